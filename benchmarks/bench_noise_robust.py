"""Training on noisy labels: NoiseRobustClassifier's strategies against cleanlab.

The measurement of issue 15. For each KEEL set, training size, noise and base
classifier and seed: a stratified 75/25 split, the test part capped at
``TEST_CAP`` rows (stratified), the training part subsampled (stratified) to
the size (``full``: capped at ``FULL_CAP`` rows), noise drawn on the training
labels only with ``make_noisy_labels`` (symmetric 20% and 40%, pair 30%).
Every column is fitted on the same noisy training labels and scored by test
accuracy against the clean test labels; its fit time is recorded. One thread
(threadpoolctl, ``n_jobs=1``).

Columns: ``oracle`` (the base on the clean labels), ``noisy`` (the base on
the noisy labels), ``CL`` (ConfidentLearningClassifier, 5 folds),
``cleanlab`` (cleanlab's CleanLearning, same base, 5 folds), every strategy
of NoiseRobustClassifier with the base alone as filter (``prune``,
``relabel``, ``weight``, ``relabel_weight``) and with the default second
opinions (``+ens``), the majority and consensus filters, two rounds
(``x2``), the robust losses (LR base only), ``default``
(NoiseRobustClassifier with its defaults), and the defaults with two rounds
(``default x2``) or 10 folds (``default cv10``).

Within one (cell, seed) the out-of-sample probabilities of a model on the
same labels, weights, folds and seed are identical from column to column, so
the script memoizes them: ``default`` runs first on an empty memo (its fit
time is honest), later columns reuse what it computed (their times are not
comparable and are not reported).

Results: one JSON line per (set, size, noise, base, seed, method) appended to
``--results``; a rerun skips what is recorded. ``--report`` prints the
tables.

Usage::

    python benchmarks/bench_noise_robust.py --sizes 500
    python benchmarks/bench_noise_robust.py --sizes 500 --sets satimage --bases LR --seeds 1
    python benchmarks/bench_noise_robust.py --report [--sizes 500]
"""

import argparse
import hashlib
import os
import sys
import time
import warnings
from collections import defaultdict

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(__file__))

from _common import append_jsonl, load_set, read_jsonl, stratified_subset  # noqa: E402
from bench_noise import KEEL_NOISE, keel_base  # noqa: E402
from bench_noise import KEEL_SETS as NOISE_SETS  # noqa: E402

DEFAULT_RESULTS = os.path.join(os.path.dirname(__file__), "out", "noise_robust.jsonl")
EXTRA_SETS = ["optdigits", "segment", "texture"]
SIZES = ["500", "2000", "full"]
FULL_CAP = 5000
TEST_CAP = 2000
BASES = ["LR", "HGB", "RF"]
REFERENCES = ["oracle", "noisy", "CL", "cleanlab"]
CLEANING = ["prune", "relabel", "weight", "relabel_weight", "prune_weight"]
LOSSES = ["forward", "gce", "sce", "bootstrap"]


def make_base(name, seed):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if name == "LR":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    if name == "HGB":
        return keel_base(seed)
    return RandomForestClassifier(n_estimators=100, random_state=seed)


def robust(base, seed, **params):
    from sklweak.noise import NoiseRobustClassifier

    return NoiseRobustClassifier(base, random_state=seed, **params)


def robust_filters():
    """The default second opinions with the linear one trained on the SCE loss."""
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklweak.noise._robust_losses import RobustSoftmaxRegression

    return [
        make_pipeline(StandardScaler(), RobustSoftmaxRegression("sce")),
        make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)),
    ]


def methods(base_name):
    """Ordered ``{name: factory(base, seed)}``; ``default`` first (empty memo)."""
    from cleanlab.classification import CleanLearning

    from sklweak.noise import ConfidentLearningClassifier

    table = {
        "default": lambda b, s: robust(b, s),
        "CL": lambda b, s: ConfidentLearningClassifier(b, cv=5, random_state=s),
        "cleanlab": lambda b, s: CleanLearning(b, seed=s, cv_n_folds=5, verbose=False),
    }
    for strategy in CLEANING:
        table[strategy] = lambda b, s, st=strategy: robust(
            b, s, strategy=st, filter_estimators=None
        )
        table[f"{strategy}+ens"] = lambda b, s, st=strategy: robust(b, s, strategy=st)
    table["weight+rens"] = lambda b, s: robust(
        b, s, strategy="weight", filter_estimators=robust_filters()
    )
    table["prune_weight+rens"] = lambda b, s: robust(
        b, s, strategy="prune_weight", filter_estimators=robust_filters()
    )
    table["majority+ens"] = lambda b, s: robust(b, s, detection="majority")
    table["consensus+ens"] = lambda b, s: robust(b, s, detection="consensus")
    table["relabel_weight+ens x2"] = lambda b, s: robust(b, s, strategy="relabel_weight", n_iter=2)
    table["default x2"] = lambda b, s: robust(b, s, n_iter=2)
    table["default cv10"] = lambda b, s: robust(b, s, cv=10)
    if base_name == "LR":
        for loss in LOSSES:
            table[loss] = lambda b, s, st=loss: robust(b, s, strategy=st, filter_estimators=None)
    return table


class OutOfFoldMemo:
    """Memoize ``_cross_val_pred_probs`` on identical inputs within one cell."""

    def __init__(self, function):
        self.function = function
        self.store = {}

    @staticmethod
    def _digest(*arrays):
        h = hashlib.sha1()
        for a in arrays:
            if a is None:
                h.update(b"none")
            else:
                h.update(np.ascontiguousarray(a).tobytes())
        return h.hexdigest()

    def __call__(self, estimator, X, y, *, cv, n_jobs, random_state, sample_weight):
        folds = self._digest(*[np.asarray(t) for fold in cv for t in fold])
        key = (
            repr(estimator),
            id(X),
            self._digest(np.asarray(y), sample_weight),
            folds,
            random_state,
        )
        if key not in self.store:
            self.store[key] = self.function(
                estimator,
                X,
                y,
                cv=cv,
                n_jobs=n_jobs,
                random_state=random_state,
                sample_weight=sample_weight,
            )
        return self.store[key]


def make_cell(X, y, size, seed):
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed
    )
    test = stratified_subset(y_test, TEST_CAP, seed, sort=False)
    n = FULL_CAP if size == "full" else int(size)
    train = stratified_subset(y_train, n, seed, sort=False)
    return X_train[train], y_train[train], X_test[test], y_test[test]


def load_done(path):
    return {
        (r["set"], r["size"], r["noise"], r["base"], r["seed"], r["method"])
        for r in read_jsonl(path)
    }


def run(args):
    import sklweak.noise._robust as robust_module
    from sklweak.datasets import make_noisy_labels

    os.makedirs(os.path.dirname(args.results), exist_ok=True)
    done = load_done(args.results)
    warnings.filterwarnings("ignore")
    original = robust_module._cross_val_pred_probs
    for size in args.sizes:
        for set_name in args.sets:
            X, y = load_set(set_name, None)
            for kind, rate in KEEL_NOISE:
                noise = f"{kind} {rate:.0%}"
                for base_name in args.bases:
                    for seed in range(args.seeds):
                        table = methods(base_name)
                        names = ["oracle", "noisy", *table]
                        if args.methods:
                            names = [m for m in names if m in args.methods]
                        todo = [
                            m
                            for m in names
                            if (set_name, size, noise, base_name, seed, m) not in done
                        ]
                        if not todo:
                            continue
                        X_tr, y_tr, X_te, y_te = make_cell(X, y, size, seed)
                        if X_tr.shape[0] < int(size if size != "full" else 0):
                            continue
                        y_noisy, _ = make_noisy_labels(
                            y_tr, noise_rate=rate, kind=kind, random_state=seed
                        )
                        memo = OutOfFoldMemo(original)
                        robust_module._cross_val_pred_probs = memo
                        try:
                            for method in todo:
                                base = make_base(base_name, seed)
                                labels = y_tr if method == "oracle" else y_noisy
                                model = (
                                    base
                                    if method in ("oracle", "noisy")
                                    else table[method](base, seed)
                                )
                                start = time.perf_counter()
                                model.fit(X_tr, labels)
                                seconds = time.perf_counter() - start
                                accuracy = float(np.mean(model.predict(X_te) == y_te))
                                record = {
                                    "set": set_name,
                                    "size": size,
                                    "noise": noise,
                                    "base": base_name,
                                    "seed": seed,
                                    "method": method,
                                    "n_train": int(X_tr.shape[0]),
                                    "accuracy": accuracy,
                                    "fit_s": seconds,
                                }
                                append_jsonl(args.results, record)
                        finally:
                            robust_module._cross_val_pred_probs = original
                        print(f"{set_name} {size} {noise} {base_name} seed {seed}", flush=True)


def report(args):
    records = [
        r for r in read_jsonl(args.results) if r["size"] in args.sizes and r["set"] in args.sets
    ]
    acc = defaultdict(dict)
    times = defaultdict(dict)
    for r in records:
        cell = (r["set"], r["size"], r["noise"], r["base"])
        acc[cell].setdefault(r["method"], {})[r["seed"]] = r["accuracy"]
        times[cell].setdefault(r["method"], {})[r["seed"]] = r["fit_s"]
    all_methods = []
    for cell in acc:
        for m in acc[cell]:
            if m not in all_methods and m not in ("oracle", "noisy"):
                all_methods.append(m)
    if args.methods:
        all_methods = [m for m in args.methods if m in all_methods]

    def mean_on(cell, method, seeds):
        return float(np.mean([acc[cell][method][s] for s in seeds]))

    summary = defaultdict(list)
    print("| set | size | noise | base | oracle | noisy | " + " | ".join(all_methods) + " |")
    print("|" + "---|" * (6 + len(all_methods)))
    for cell in sorted(acc):
        m = acc[cell]
        if not all(k in m for k in ("oracle", "noisy", "cleanlab")):
            continue
        seeds = set(m["oracle"]) & set(m["noisy"]) & set(m["cleanlab"])
        oracle, noisy = mean_on(cell, "oracle", seeds), mean_on(cell, "noisy", seeds)
        clean_learning = mean_on(cell, "cleanlab", seeds)
        row = []
        for method in all_methods:
            if method not in m or not seeds <= set(m[method]):
                row.append("")
                continue
            value = mean_on(cell, method, seeds)
            row.append(f"{value:.3f}")
            lost = oracle - noisy
            summary[method].append(
                (
                    (value - noisy) / lost if lost > 1e-9 else np.nan,
                    value - clean_learning,
                    value - noisy,
                    lost,
                )
            )
        print(
            f"| {cell[0]} | {cell[1]} | {cell[2]} | {cell[3]} | {oracle:.3f} | {noisy:.3f} | "
            + " | ".join(row)
            + " |"
        )
    print()
    print(
        "| method | cells | recovered (mean) | recovered (median) | recovered (pooled) "
        "| recovered (mean, cells losing >= 1 point) "
        "| points over cleanlab | cells > 2 points below noisy | worst vs noisy (points) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for method in all_methods:
        rows = summary[method]
        if not rows:
            continue
        recovered = np.array([r[0] for r in rows])
        over = np.array([r[1] for r in rows])
        vs_noisy = np.array([r[2] for r in rows])
        lost = np.array([r[3] for r in rows])
        pooled = vs_noisy.sum() / lost.sum()
        costly = recovered[lost >= 0.01]
        print(
            f"| {method} | {len(rows)} | {np.nanmean(recovered):.3f} "
            f"| {np.nanmedian(recovered):.3f} | {pooled:.3f} "
            f"| {np.mean(costly):.3f} ({costly.size}) | {100 * over.mean():+.2f} "
            f"| {int((vs_noisy < -0.02).sum())} | {100 * vs_noisy.min():+.2f} |"
        )
    print()
    print("Fit time of default / cleanlab (median over cells of the mean over seeds):")
    ratios = []
    for cell in times:
        if "default" in times[cell] and "cleanlab" in times[cell]:
            seeds = set(times[cell]["default"]) & set(times[cell]["cleanlab"])
            if seeds:
                ratios.append(
                    np.mean([times[cell]["default"][s] for s in seeds])
                    / np.mean([times[cell]["cleanlab"][s] for s in seeds])
                )
    if ratios:
        print(f"{np.median(ratios):.2f} over {len(ratios)} cells\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=lambda s: s.split(","), default=SIZES)
    parser.add_argument("--sets", type=lambda s: s.split(","), default=NOISE_SETS + EXTRA_SETS)
    parser.add_argument("--bases", type=lambda s: s.split(","), default=BASES)
    parser.add_argument("--methods", type=lambda s: s.split(","), default=None)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--results", default=DEFAULT_RESULTS)
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    if args.report:
        report(args)
        return
    with threadpool_limits(1):
        run(args)


if __name__ == "__main__":
    main()
