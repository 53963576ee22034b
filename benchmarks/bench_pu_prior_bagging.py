"""PU class prior (KM2 against TIcE and Elkan-Noto) and bagging fit time against pulearn.

Protocol of ``bench_pu.py`` (re-implemented here, not imported): for each data
set and seed, the data (positive class: the last sorted label; magic
subsampled to 8,000 rows with ``RandomState(seed)``), a stratified 70/30 split
with ``random_state=seed``, features standardized on the training part, SCAR
labels from ``sklweak.datasets.make_pu(X_train, y_train, label_frequency=c,
random_state=seed)``.

Class prior: ``estimate_class_prior(X_train, y_pu, method=m, random_state=seed)``
with default parameters for ``m`` in elkan_noto, tice, km2 (``--km2-bootstrap``
sets KM2's ``n_bootstrap``: each resample reruns its search); absolute error
against the true prior of the training part and whether the bootstrap
interval holds it (with no KM2 resample, its interval is the point and
its coverage column meaningless).

Bagging: pulearn's ``BaggingPuClassifier(DecisionTreeClassifier(),
n_estimators=50, max_samples=n_labeled, n_jobs=1)`` and sklweak's
``BaggingPUClassifier(DecisionTreeClassifier(), n_estimators=50, n_jobs=1)``
(the same trees: full-depth decision trees on every positive and a bootstrap of n_labeled unlabeled rows),
fitted alternately in one process with threads pinned to 1; median CPU time
(``time.process_time``: the machine is shared) of the fits over the repeats,
and the test AUC of both. "trees alone" times the 50 tree fits by themselves
(same bag sizes, float32 rows, no input checks, nothing else): the cost any
implementation with these trees pays, so pulearn / trees alone bounds the
ratio.

Usage::

    python benchmarks/bench_pu_prior_bagging.py                 # both parts, full grid
    python benchmarks/bench_pu_prior_bagging.py --quick         # breast_cancer, c=0.3, seed 0
    python benchmarks/bench_pu_prior_bagging.py --part prior    # class prior only
    python benchmarks/bench_pu_prior_bagging.py --part bagging  # bagging time only
"""

import argparse
import time
import warnings
from collections import defaultdict

import numpy as np
from _common import add_common_arguments, load_binary, write_json
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from sklweak.datasets import make_pu
from sklweak.pu import BaggingPUClassifier, estimate_class_prior

DATASETS = ["breast_cancer", "spambase", "mushroom", "twonorm", "banana", "phoneme", "magic"]
FREQUENCIES = [0.1, 0.3, 0.5]
METHODS = ["elkan_noto", "tice", "km2"]
N_TREES = 50


def pu_split(name, seed, c):
    X, y = load_binary(name, seed)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=seed
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    y_pu, _ = make_pu(X_train, y_train, label_frequency=c, random_state=seed)
    return X_train, X_test, y_train, y_test, y_pu


def run_prior(datasets, frequencies, seeds, km2_bootstrap):
    errors = defaultdict(list)  # (data set, method) -> abs errors
    covered = defaultdict(list)
    seconds = defaultdict(list)
    for name in datasets:
        for seed in seeds:
            for c in frequencies:
                X_train, _, y_train, _, y_pu = pu_split(name, seed, c)
                true_prior = float(y_train.mean())
                for method in METHODS:
                    start = time.perf_counter()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        options = {"n_bootstrap": km2_bootstrap} if method == "km2" else {}
                        estimate, (low, high) = estimate_class_prior(
                            X_train, y_pu, method=method, random_state=seed, **options
                        )
                    seconds[method].append(time.perf_counter() - start)
                    errors[(name, method)].append(abs(estimate - true_prior))
                    covered[(name, method)].append(float(low <= true_prior <= high))
            print(f"prior: done {name} seed {seed}", flush=True)
    return errors, covered, seconds


def report_prior(errors, covered, seconds, datasets):
    print(
        "\n### Class-prior absolute error, mean over c and seeds (coverage of the 95% interval)\n"
    )
    print("| data set | " + " | ".join(METHODS) + " | best |")
    print("|" + "---|" * (len(METHODS) + 2))
    for name in datasets:
        means = [np.mean(errors[(name, m)]) for m in METHODS]
        cells = [
            f"{mean:.3f} ({np.mean(covered[(name, m)]):.2f})" for mean, m in zip(means, METHODS)
        ]
        print(f"| {name} | " + " | ".join(cells) + f" | {METHODS[int(np.argmin(means))]} |")
    cells = []
    for m in METHODS:
        all_errors = [v for (_, mm), vs in errors.items() if mm == m for v in vs]
        all_covered = [v for (_, mm), vs in covered.items() if mm == m for v in vs]
        cells.append(f"{np.mean(all_errors):.3f} ({np.mean(all_covered):.2f})")
    print("| **mean** | " + " | ".join(cells) + " | |")
    wins = defaultdict(int)
    for name in datasets:
        runs = np.array([errors[(name, m)] for m in METHODS])
        for column in runs.T:
            wins[METHODS[int(np.argmin(column))]] += 1
    print(
        "\nRuns (data set, c, seed) where each method has the smallest error: "
        + ", ".join(f"{m} {wins[m]}" for m in METHODS)
    )
    print(
        "Mean seconds per estimate (with its bootstrap): "
        + ", ".join(f"{m} {np.mean(seconds[m]):.2f}" for m in METHODS)
    )


def trees_alone(X, y_pu, seed):
    """CPU seconds of the 50 tree fits alone: float32 rows, no input checks, no scoring.

    Every positive and a bootstrap of n_labeled unlabeled rows per tree, as in
    both implementations; what any implementation with these trees pays.
    """
    X32 = np.ascontiguousarray(X, dtype=np.float32)
    positives, unlabeled = np.flatnonzero(y_pu == 1), np.flatnonzero(y_pu != 1)
    rng = np.random.RandomState(seed)
    bags = [
        np.r_[positives, unlabeled[rng.randint(0, unlabeled.shape[0], positives.shape[0])]]
        for _ in range(N_TREES)
    ]
    target = (np.arange(2 * positives.shape[0]) < positives.shape[0]).astype(np.int64)
    start = time.process_time()
    for i, bag in enumerate(bags):
        DecisionTreeClassifier(random_state=i).fit(X32[bag], target, check_input=False)
    return time.process_time() - start


def run_bagging(datasets, frequencies, seeds, repeats):
    import pulearn

    rows = []
    for name in datasets:
        for seed in seeds:
            for c in frequencies:
                X_train, X_test, _, y_test, y_pu = pu_split(name, seed, c)
                n_labeled = int(y_pu.sum())

                def ours(seed=seed):
                    return BaggingPUClassifier(
                        DecisionTreeClassifier(), n_estimators=N_TREES, n_jobs=1, random_state=seed
                    )

                def theirs(seed=seed, n_labeled=n_labeled):
                    return pulearn.BaggingPuClassifier(
                        DecisionTreeClassifier(),
                        n_estimators=N_TREES,
                        max_samples=n_labeled,
                        n_jobs=1,
                        random_state=seed,
                    )

                times = {"pulearn": [], "sklweak": [], "trees": []}
                auc = {}
                for _ in range(repeats):
                    for label, factory in (("pulearn", theirs), ("sklweak", ours)):
                        model = factory()
                        start = time.process_time()
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            model.fit(X_train, y_pu)
                        times[label].append(time.process_time() - start)
                        auc[label] = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
                    times["trees"].append(trees_alone(X_train, y_pu, seed))
                rows.append(
                    (
                        name,
                        c,
                        seed,
                        np.median(times["pulearn"]),
                        np.median(times["sklweak"]),
                        auc["pulearn"],
                        auc["sklweak"],
                        np.median(times["trees"]),
                    )
                )
                print(f"bagging: done {name} c={c} seed {seed}", flush=True)
    return rows


def report_bagging(rows, repeats):
    print(
        f"\n### Bagging fit CPU time, 50 trees, n_jobs=1, median of {repeats} alternating repeats\n"
    )
    print(
        "| data set | c | seed | pulearn (s) | sklweak (s) | ratio | trees alone (s) | "
        "pulearn / trees alone | test AUC pulearn / sklweak |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, c, seed, t_pl, t_sk, auc_pl, auc_sk, t_trees in rows:
        print(
            f"| {name} | {c} | {seed} | {t_pl:.3f} | {t_sk:.3f} | {t_pl / t_sk:.2f}x | "
            f"{t_trees:.3f} | {t_pl / t_trees:.2f}x | {auc_pl:.3f} / {auc_sk:.3f} |"
        )
    total_pl = sum(r[3] for r in rows)
    total_sk = sum(r[4] for r in rows)
    ratios = [r[3] / r[4] for r in rows]
    total_trees = sum(r[7] for r in rows)
    print(
        f"Trees alone, summed: {total_trees:.2f} s; the largest ratio any implementation "
        f"with these trees could reach: {total_pl / total_trees:.2f}x"
    )
    print(
        f"\nSummed medians: pulearn {total_pl:.2f} s, sklweak {total_sk:.2f} s, "
        f"ratio {total_pl / total_sk:.2f}x; per-cell ratio median {np.median(ratios):.2f}x, "
        f"range {min(ratios):.2f}x-{max(ratios):.2f}x"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["prior", "bagging", "both"], default="both")
    parser.add_argument("--datasets", nargs="+", default=None)
    add_common_arguments(parser, seeds=3, quick="breast_cancer, c=0.3, seed 0")
    parser.add_argument("--bagging-seeds", type=int, default=1, help="seeds of the timing part")
    parser.add_argument("--repeats", type=int, default=3, help="timing repeats per cell")
    parser.add_argument(
        "--km2-bootstrap",
        type=int,
        default=None,
        help="bootstrap resamples of KM2 (default: the function's, 50); 0 skips its interval",
    )
    args = parser.parse_args()
    datasets = args.datasets or DATASETS
    frequencies, seeds, bagging_seeds = (
        FREQUENCIES,
        list(range(args.seeds)),
        list(range(args.bagging_seeds)),
    )
    if args.quick:
        datasets, frequencies, seeds, bagging_seeds = ["breast_cancer"], [0.3], [0], [0]
    results = {"datasets": datasets, "frequencies": frequencies}
    with threadpool_limits(limits=1):
        if args.part in ("prior", "both"):
            errors, covered, seconds = run_prior(datasets, frequencies, seeds, args.km2_bootstrap)
            report_prior(errors, covered, seconds, datasets)
            results["prior"] = [
                {"dataset": name, "method": method, "absolute_errors": values}
                | {"covered": covered[(name, method)]}
                for (name, method), values in errors.items()
            ]
            results["prior_seconds"] = seconds
        if args.part in ("bagging", "both"):
            rows = run_bagging(datasets, frequencies, bagging_seeds, args.repeats)
            report_bagging(rows, args.repeats)
            columns = ["dataset", "c", "seed", "pulearn_s", "sklweak_s"]
            columns += ["pulearn_auc", "sklweak_auc", "trees_alone_s"]
            results["bagging"] = [dict(zip(columns, row)) for row in rows]
    write_json(args.json, results)


if __name__ == "__main__":
    main()
