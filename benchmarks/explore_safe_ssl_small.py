"""Fast exploration for SafeSemiSupervisedClassifier on the 300-row sets.

For every (set, label rate, base, seed) of the small protocol of issue 14 (the
14 KEEL sets and digits, training part subsampled to 300 rows, 5% and 10%
labels): the test accuracy of EVERY strategy the safe estimator can pick (the
supervised base, each candidate's student, each blend), the labeled-row
cross-validation table the estimator saw, and scikit-learn's
SelfTrainingClassifier. Selection rules are then compared offline
(``--summary``) without refitting. One JSON line per cell, resumable.

Usage::

    python benchmarks/explore_safe_ssl_small.py --bases LR --out /tmp/a1_exp
    python benchmarks/explore_safe_ssl_small.py --summary --out /tmp/a1_exp
"""

import argparse
import os
import time
import warnings

import numpy as np
from _common import (
    SUBSAMPLE,
    append_jsonl,
    keel_raw_dir,
    load_set,
    read_jsonl,
    stratified_subset,
)
from bench_self_training import KEEL_SETS, make_split
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.semi_supervised import SelfTrainingClassifier as SklearnSelfTraining
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from sklweak.self_training._common import class_prior, proba_in_class_order
from sklweak.semi_supervised import SafeSemiSupervisedClassifier
from sklweak.semi_supervised._candidates import (
    CANDIDATES,
    candidate_probabilities,
    fit_student,
)


def make_base(name, seed):
    return {
        "LR": lambda: LogisticRegression(max_iter=1000),
        "SVC": lambda: SVC(probability=True, random_state=seed),
        "HGB": lambda: HistGradientBoostingClassifier(random_state=seed),
        "RF": lambda: RandomForestClassifier(random_state=seed),
    }[name]()


def run_cell(X, y_weak, X_test, y_test, base_name, seed):
    out = {}
    start = time.perf_counter()
    SklearnSelfTraining(make_base(base_name, seed)).fit(X, y_weak)
    out["t_sklearn"] = time.perf_counter() - start
    sk = SklearnSelfTraining(make_base(base_name, seed)).fit(X, y_weak)
    out["acc_sklearn"] = float(np.mean(sk.predict(X_test) == y_test))
    start = time.perf_counter()
    safe = SafeSemiSupervisedClassifier(
        make_base(base_name, seed), candidates=CANDIDATES, random_state=seed
    )
    safe.fit(X, y_weak)
    out["t_safe"] = time.perf_counter() - start
    out["acc_safe"] = float(np.mean(safe.predict(X_test) == y_test))
    out["strategy"] = str(safe.strategy_)
    out["cv"] = {k: np.asarray(v).tolist() for k, v in safe.cv_results_.items()}
    # Test accuracy of every strategy, fitted as the estimator would.
    classes, y_enc = np.unique(y_weak[y_weak != -1], return_inverse=True)
    y_encoded = np.full(y_weak.shape[0], -1)
    y_encoded[y_weak != -1] = y_enc
    labeled, unlabeled = np.flatnonzero(y_weak != -1), np.flatnonzero(y_weak == -1)
    n_classes = len(classes)
    prior = class_prior(y_encoded, y_weak != -1, n_classes)
    base = safe.supervised_estimator_  # seeded as in the estimator
    from sklearn.base import clone

    sup, teachers = candidate_probabilities(
        clone(base), X, y_encoded, labeled, unlabeled, n_classes, None, False
    )
    p_sup = proba_in_class_order(sup, X_test, n_classes)
    acc = {"supervised": float(np.mean(classes[p_sup.argmax(1)] == y_test))}
    for name, proba in teachers.items():
        student, _ = fit_student(clone(base), X, y_encoded, labeled, unlabeled, proba, prior, None)
        p = proba_in_class_order(student, X_test, n_classes)
        acc[name] = float(np.mean(classes[p.argmax(1)] == y_test))
        acc[name + "+blend"] = float(np.mean(classes[(p + p_sup).argmax(1)] == y_test))
    out["acc"] = acc
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bases", default="LR,SVC,HGB,RF")
    parser.add_argument("--sets", default=",".join(KEEL_SETS + ["digits"]))
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--out", default="/tmp/a1_exp")
    parser.add_argument("--summary", action="store_true")
    parser.add_argument("--budget", type=float, default=540.0, help="seconds, then stop")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"cells_{args.size}.jsonl")
    if args.summary:
        return summary(path)
    done = {cell["key"] for cell in read_jsonl(path)}
    warnings.filterwarnings("ignore")
    start = time.time()
    data_dir = keel_raw_dir()
    with threadpool_limits(limits=1):
        for set_name in args.sets.split(","):
            X, y = load_set(set_name, data_dir)
            if set_name in SUBSAMPLE:
                keep = stratified_subset(y, SUBSAMPLE[set_name], 0)
                X, y = X[keep], y[keep]
            for rate in (0.05, 0.10):
                for base_name in args.bases.split(","):
                    for seed in range(args.seeds):
                        key = f"{set_name}|{rate}|{base_name}|{seed}"
                        if key in done:
                            continue
                        if time.time() - start > args.budget:
                            print("budget reached")
                            return
                        X_tr, y_weak, X_te, y_te = make_split(X, y, rate, seed, args.size)
                        cell = run_cell(X_tr, y_weak, X_te, y_te, base_name, seed)
                        cell["key"] = key
                        append_jsonl(path, cell)
                        print(
                            key,
                            cell["strategy"],
                            round(cell["acc_safe"] - cell["acc"]["supervised"], 3),
                        )


def choose(cv, safety, allowed=None):
    names = cv["strategy"]
    gain = np.array(cv["mean_gain"]) - safety * np.array(cv["gain_se"])
    gain[0] = 0
    if allowed is not None:
        gain[[name.split("+")[0] not in allowed and name != "supervised" for name in names]] = -1
    best = int(np.argmax(gain))
    return names[best] if gain[best] > 0 else "supervised"


def summary(path):
    cells = read_jsonl(path)
    # Aggregate per (set, rate, base) over seeds.
    groups = {}
    for c in cells:
        groups.setdefault(c["key"].rsplit("|", 1)[0], []).append(c)
    print(f"{len(cells)} runs, {len(groups)} cells")
    names = list(cells[0]["acc"])
    for name in names + ["sklearn"]:
        g = [
            np.mean(
                [
                    (c["acc"][name] if name != "sklearn" else c["acc_sklearn"])
                    - c["acc"]["supervised"]
                    for c in cs
                ]
            )
            for cs in groups.values()
        ]
        g = 100 * np.array(g)
        print(
            f"fixed {name:18s} mean {g.mean():+.2f}  <-2: {np.sum(g < -2)}  <-1: {np.sum(g < -1)} >+1: {np.sum(g > 1)}"
        )
    for allowed in (None, ("linear", "agreement"), ("linear",), ("agreement",), ("self", "linear")):
        for safety in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0):
            g = [
                np.mean(
                    [
                        c["acc"][choose(c["cv"], safety, allowed)] - c["acc"]["supervised"]
                        for c in cs
                    ]
                )
                for cs in groups.values()
            ]
            g = 100 * np.array(g)
            print(
                f"rule {allowed} safety={safety:4.2f} mean {g.mean():+.2f}  <-2: {np.sum(g < -2)}  <-1: {np.sum(g < -1)} >+1: {np.sum(g > 1)}"
            )
    by_base = {}
    for c in cells:
        by_base.setdefault(c["key"].split("|")[2], []).append(c)
    for base, cs in by_base.items():
        ratio = np.median([c["t_safe"] / c["t_sklearn"] for c in cs])
        print(
            f"{base}: median time ratio safe/sklearn {ratio:.1f}, safe - sklearn {100 * np.mean([c['acc_safe'] - c['acc_sklearn'] for c in cs]):+.2f}"
        )


if __name__ == "__main__":
    main()
