"""PU grid search scored without true labels, against the true-label choice.

The ``--gridsearch`` part of ``bench_pu.py`` (run it as
``python benchmarks/bench_pu.py --gridsearch``): ``GridSearchCV`` over PU
estimators with the PU-corrected scorers of ``sklweak.pu`` against the same
search scored on true labels, on ``GRID_SETS`` at label frequency ``GRID_C``.
"""

import os
import sys
import time
import warnings
from collections import defaultdict

import numpy as np
from sklearn.metrics import f1_score, make_scorer, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import load_binary, write_json
from bench_pu import logistic, score

from sklweak.datasets import make_pu
from sklweak.pu import (
    BaggingPUClassifier,
    ElkanNotoClassifier,
    NNPUClassifier,
    PUStratifiedKFold,
    make_pu_scorer,
)

GRID_SETS = ["breast_cancer", "spambase", "twonorm", "banana"]
GRID_C = 0.3
GRID_FOLDS = 3
# (PU scorer, true-label scorer it stands for, test metric compared)
GRID_CRITERIA = [
    ("Lee & Liu", "F1", "f1"),
    ("PU accuracy (true prior)", "accuracy", "accuracy"),
    ("PU AUC (true prior)", "AUC", "auc"),
]


def grid_estimators(prior, seed):
    """(name, estimator, parameter, values) of the grid-search part."""
    return [
        (
            "ElkanNoto (LR)",
            ElkanNotoClassifier(logistic(), weighted=False, random_state=seed),
            "estimator__C",
            [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0],
        ),
        (
            "nnPU linear (true prior)",
            NNPUClassifier(prior=prior, random_state=seed),
            "alpha",
            [1e-4, 1e-3, 1e-2, 1e-1, 1.0],
        ),
        (
            "Bagging (20 trees)",
            BaggingPUClassifier(DecisionTreeClassifier(), n_estimators=20, random_state=seed),
            "estimator__max_depth",
            [1, 2, 4, 8, None],
        ),
    ]


def _true_metric(metric):
    def scoring(y_pu, y_pred, true_y):
        if metric == "auc":
            return roc_auc_score(true_y, y_pred)
        if metric == "f1":
            return f1_score(true_y, y_pred)
        return float(np.mean(np.asarray(true_y) == np.asarray(y_pred)))

    response = ("decision_function", "predict_proba") if metric == "auc" else "predict"
    return make_scorer(scoring, response_method=response).set_score_request(true_y=True)


def run_gridsearch(quick, datasets, seeds, json_path=None):
    """GridSearchCV with PU scorers on PU labels against the same search scored with true labels.

    Both searches are one ``GridSearchCV`` (the same fits, PUStratifiedKFold
    on the PU labels); the true labels reach only the oracle scorers, through
    scikit-learn's metadata routing. Each grid point is then refitted on the
    whole PU training part and scored on the test part. ``json_path``: where
    the picks are also written as JSON.
    """
    import sklearn
    from sklearn.model_selection import GridSearchCV

    datasets = datasets or (["breast_cancer"] if quick else GRID_SETS)
    seeds = [0] if quick else seeds
    rows = defaultdict(list)
    for name in datasets:
        for seed in seeds:
            rng = np.random.RandomState(seed)
            X, y = load_binary(name, rng)
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.3, stratify=y, random_state=seed
            )
            scaler = StandardScaler().fit(X_train)
            X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
            y_pu, _ = make_pu(X_train, y_train, label_frequency=GRID_C, random_state=seed)
            prior = float(y_train.mean())
            for label, estimator, parameter, values in grid_estimators(prior, seed):
                start = time.perf_counter()
                with (
                    sklearn.config_context(enable_metadata_routing=True),
                    warnings.catch_warnings(),
                ):
                    warnings.simplefilter("ignore")
                    scoring = {
                        "Lee & Liu": make_pu_scorer("lee_liu"),
                        "PU accuracy (true prior)": make_pu_scorer("accuracy", prior=prior),
                        "PU AUC (true prior)": make_pu_scorer("roc_auc", prior=prior),
                        "F1": _true_metric("f1"),
                        "accuracy": _true_metric("accuracy"),
                        "AUC": _true_metric("auc"),
                    }
                    search = GridSearchCV(
                        estimator,
                        {parameter: values},
                        scoring=scoring,
                        refit=False,
                        cv=PUStratifiedKFold(GRID_FOLDS, shuffle=True, random_state=seed),
                    ).fit(X_train, y_pu, true_y=y_train)
                test = []  # per grid point: {metric: test value}
                for value in values:
                    model = sklearn.base.clone(estimator).set_params(**{parameter: value})
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        model.fit(X_train, y_pu)
                        auc, f1 = score(model, X_test, y_test)
                        accuracy = float(np.mean(model.predict(X_test) == y_test))
                    test.append({"auc": auc, "f1": f1, "accuracy": accuracy})
                elapsed = time.perf_counter() - start
                for pu_scorer, true_scorer, metric in GRID_CRITERIA:
                    pu_pick = int(np.argmax(search.cv_results_[f"mean_test_{pu_scorer}"]))
                    oracle_pick = int(np.argmax(search.cv_results_[f"mean_test_{true_scorer}"]))
                    on_test = [t[metric] for t in test]
                    rows[(name, label, parameter, pu_scorer, true_scorer, metric)].append(
                        {
                            "pu": values[pu_pick],
                            "oracle": values[oracle_pick],
                            "pu_test": test[pu_pick],
                            "oracle_test": test[oracle_pick],
                            "best_test": max(on_test),
                            "worst_test": min(on_test),
                        }
                    )
                print(f"done grid {name} seed {seed} {label} ({elapsed:.1f} s)", flush=True)
    report_gridsearch(rows, seeds)
    keys = ["dataset", "estimator", "parameter", "pu_scorer", "true_scorer", "metric"]
    cells = [dict(zip(keys, key), runs=runs) for key, runs in rows.items()]
    write_json(json_path, {"c": GRID_C, "folds": GRID_FOLDS, "seeds": seeds, "cells": cells})


def report_gridsearch(rows, seeds):
    print(
        f"\n### PU grid search (GridSearchCV, PUStratifiedKFold({GRID_FOLDS}), c={GRID_C}, "
        f"seeds {', '.join(map(str, seeds))})\n"
    )
    print(
        "| data set | estimator: parameter | PU scorer (true-label scorer) | picked by PU scorer "
        "| picked with true labels | same pick | test metric: PU pick | oracle pick | gap "
        "| grid best / worst on test | test AUC / F1: PU pick | oracle pick |"
    )
    print("|" + "---|" * 12)
    gaps = defaultdict(list)
    for (name, label, parameter, pu_scorer, true_scorer, metric), runs in rows.items():
        pu_vals = ", ".join(f"{r['pu']:g}" if r["pu"] is not None else "None" for r in runs)
        or_vals = ", ".join(f"{r['oracle']:g}" if r["oracle"] is not None else "None" for r in runs)
        same = sum(r["pu"] == r["oracle"] for r in runs)
        pu_m = np.mean([r["pu_test"][metric] for r in runs])
        or_m = np.mean([r["oracle_test"][metric] for r in runs])
        best = np.mean([r["best_test"] for r in runs])
        worst = np.mean([r["worst_test"] for r in runs])
        gaps[pu_scorer].append(or_m - pu_m)
        pu_af = (
            np.mean([r["pu_test"]["auc"] for r in runs]),
            np.mean([r["pu_test"]["f1"] for r in runs]),
        )
        or_af = (
            np.mean([r["oracle_test"]["auc"] for r in runs]),
            np.mean([r["oracle_test"]["f1"] for r in runs]),
        )
        print(
            f"| {name} | {label}: {parameter} | {pu_scorer} ({true_scorer}) | {pu_vals} | {or_vals} "
            f"| {same}/{len(runs)} | {metric} {pu_m:.3f} | {or_m:.3f} | {or_m - pu_m:+.3f} "
            f"| {best:.3f} / {worst:.3f} | {pu_af[0]:.3f} / {pu_af[1]:.3f} | {or_af[0]:.3f} / {or_af[1]:.3f} |"
        )
    print("\n| PU scorer | mean test-metric gap to the true-label pick | largest gap | cells |")
    print("|---|---|---|---|")
    for pu_scorer, values in gaps.items():
        print(f"| {pu_scorer} | {np.mean(values):+.4f} | {np.max(values):+.4f} | {len(values)} |")
