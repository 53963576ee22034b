"""Defaults of the other PU estimators on the bagging-defaults protocol (issue 19 item 16).

The protocol of ``bench_pu_bagging_defaults.py`` (its ``training_part``): the
seven SCAR sets of ``bench_pu.py``, a stratified 70/30 split, features
standardized on the training part, ``make_pu`` SCAR labels with label
frequency c in {0.3, 0.5}, each set at full size and with the training part
cut to 300 rows (28 cells); ROC AUC and F1 of the positive class on the true
labels of the test part; ``n_jobs=1``, threads pinned to 1; fit time in CPU
seconds of ``fit`` (``time.process_time``). Every estimator keeps its other
defaults (``prior="auto"`` included: what a user gets). Families:

- ``nnpu``: ``NNPUClassifier(alpha=...)`` in {1e-4 (default), 1e-3, 1e-2, 0.1};
- ``elkan_noto``: ``ElkanNotoClassifier(LogisticRegression(max_iter=1000))``,
  ``weighted`` False (the default before this benchmark) / True (the default
  since) times ``hold_out_ratio`` 0.1 (default) / 0.2;
- ``pnu_pu``: ``PNUClassifier(alpha=...)`` in {1e-2 (default), 1e-3, 0.1} on
  the PU labels (no labeled negative: the uPU risk, ``eta_ = 1``, as
  ``bench_pu.py``'s "sklweak PNU as uPU" column);
- ``pnu``: the same alphas on PNU labels of the same cell: the PU labels plus
  each training negative labeled with probability c (``eta="auto"``);
- ``sarpu``: ``SARPUClassifier()`` (``max_iter=100``, ``tol=1e-4``), to count
  the fits that stop at ``max_iter`` (a ``ConvergenceWarning``);
- ``nnpu_settings``: ``NNPUClassifier`` with its defaults (the paper's
  sigmoid loss, ``beta=0``, ``gamma=1``) against ``loss="logistic"``,
  ``beta=0.01`` and ``gamma=0.5``, one at a time;
- ``sarpu_tol``: ``SARPUClassifier(tol=...)`` in {1e-4 (default), 1e-3, 1e-5, 3e-3, 1e-2}.

Every fit records its ``ConvergenceWarning`` count and ``n_iter_``.

Usage::

    python benchmarks/bench_pu_defaults.py                  # 5 seeds, every family
    python benchmarks/bench_pu_defaults.py --sizes 300      # the small versions first
    python benchmarks/bench_pu_defaults.py --families nnpu elkan_noto
    python benchmarks/bench_pu_defaults.py --quick          # breast_cancer, seed 0
    python benchmarks/bench_pu_defaults.py --report         # tables of the results file

Resumable: one JSON line per (family, data set, size, c, seed, config) in
``benchmarks/out/pu_defaults.jsonl``; records already there are not computed
again.
"""

import argparse
import os
import sys
import time

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (
    add_common_arguments,
    append_jsonl,
    markdown_table,
    read_jsonl,
    stratified_subset,
    write_json,
)
from bench_pu import score
from bench_pu_bagging_defaults import (
    DATASETS,
    FREQUENCIES,
    SIZES,
    SMALL_ROWS,
    report,
    timed_fit,
)
from bench_pu_prior_bagging import pu_split

from sklweak.pu import ElkanNotoClassifier, NNPUClassifier, PNUClassifier, SARPUClassifier

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "pu_defaults.jsonl")


def _elkan_noto(weighted, hold_out_ratio):
    def make(seed):
        return ElkanNotoClassifier(
            LogisticRegression(max_iter=1000),
            weighted=weighted,
            hold_out_ratio=hold_out_ratio,
            random_state=seed,
        )

    return make


# family -> {config: factory(seed)}; the first config, the reference, is the default
# the benchmark was written against.
FAMILIES = {
    "nnpu": {
        f"alpha={alpha:g}": (lambda a: lambda seed: NNPUClassifier(alpha=a, random_state=seed))(
            alpha
        )
        for alpha in (1e-4, 1e-3, 1e-2, 1e-1)
    },
    "elkan_noto": {
        f"weighted={weighted}, hold_out_ratio={ratio}": _elkan_noto(weighted, ratio)
        for ratio in (0.1, 0.2)
        for weighted in (False, True)
    },
    "pnu_pu": {
        f"alpha={alpha:g}": (
            lambda a: (
                lambda seed: PNUClassifier(
                    alpha=a, neg_label=-1, unlabeled_label=0, random_state=seed
                )
            )
        )(alpha)
        for alpha in (1e-2, 1e-3, 1e-1)
    },
    "pnu": {
        f"alpha={alpha:g}": (lambda a: lambda seed: PNUClassifier(alpha=a, random_state=seed))(
            alpha
        )
        for alpha in (1e-2, 1e-3, 1e-1)
    },
    "sarpu": {"max_iter=100, tol=1e-4": lambda seed: SARPUClassifier()},
    # the nnPU settings taken from the paper (issue 19 item 16): the surrogate
    # loss, and the non-negative correction's slack beta and step factor gamma
    "nnpu_settings": {
        label: (lambda kw: lambda seed: NNPUClassifier(**kw, random_state=seed))(kwargs)
        for label, kwargs in (
            ("defaults (sigmoid, beta=0, gamma=1)", {}),
            ("loss=logistic", {"loss": "logistic"}),
            ("beta=0.01", {"beta": 0.01}),
            ("gamma=0.5", {"gamma": 0.5}),
        )
    },
    "sarpu_tol": {
        f"tol={tol:g}": (lambda t: lambda seed: SARPUClassifier(tol=t))(tol)
        for tol in (1e-4, 1e-3, 1e-5, 3e-3, 1e-2)
    },
}
TITLES = {
    "nnpu": "NNPUClassifier(alpha=...), prior='auto'",
    "elkan_noto": "ElkanNotoClassifier(LogisticRegression(max_iter=1000), weighted, hold_out_ratio)",
    "pnu_pu": "PNUClassifier(alpha=...) on the PU labels (uPU, prior 'auto')",
    "pnu": "PNUClassifier(alpha=...) on PNU labels (negatives labeled with probability c)",
    "sarpu": "SARPUClassifier() defaults",
    "nnpu_settings": "NNPUClassifier(loss, beta, gamma), prior='auto'",
    "sarpu_tol": "SARPUClassifier(tol=...)",
}


def cell_data(name, size, seed, c):
    """Training and test arrays of one cell and seed, with PU and PNU training labels.

    The split and the 300-row cut are ``bench_pu_bagging_defaults.training_part``'s;
    the PNU labels keep the PU labels (1) and label each training negative (0)
    with probability c, the rest unlabeled (-1).
    """
    X_train, X_test, y_train, y_test, y_pu = pu_split(name, seed, c)
    if size != "full":
        keep = stratified_subset(2 * y_train + y_pu, SMALL_ROWS, seed)
        X_train, y_train, y_pu = X_train[keep], y_train[keep], y_pu[keep]
    negative_labeled = (y_train == 0) & (np.random.RandomState(seed).rand(y_train.shape[0]) < c)
    y_pnu = np.where(y_pu == 1, 1, np.where(negative_labeled, 0, -1))
    return X_train, X_test, y_test, {"pu": y_pu, "pnu": y_pnu}


def _key(record):
    return tuple(record[k] for k in ("family", "dataset", "size", "c", "seed", "config"))


def run(families, datasets, sizes, frequencies, seeds, path):
    done = {_key(r) for r in read_jsonl(path)}
    for size in sizes:
        for name in datasets:
            for c in frequencies:
                for seed in seeds:
                    todo = [
                        (family, config)
                        for family in families
                        for config in FAMILIES[family]
                        if (family, name, size, c, seed, config) not in done
                    ]
                    if not todo:
                        continue
                    X_train, X_test, y_test, labels = cell_data(name, size, seed, c)
                    for family, config in todo:
                        y_fit = labels["pnu" if family == "pnu" else "pu"]
                        model = FAMILIES[family][config](seed)
                        seconds, caught = timed_fit(model, X_train, y_fit)
                        auc, f1 = score(model, X_test, y_test)
                        record = {
                            "family": family,
                            "dataset": name,
                            "size": size,
                            "c": c,
                            "seed": seed,
                            "config": config,
                            "auc": auc,
                            "f1": f1,
                            "fit_seconds": seconds,
                            "convergence_warnings": sum(
                                issubclass(w.category, ConvergenceWarning) for w in caught
                            ),
                            "n_iter": int(getattr(model, "n_iter_", -1)),
                            "class_prior": float(getattr(model, "class_prior_", np.nan)),
                            "eta": float(getattr(model, "eta_", np.nan)),
                            "n_train": int(y_fit.shape[0]),
                        }
                        append_jsonl(path, record)
                    print(
                        f"done {name} {size} c={c} seed {seed} ({time.strftime('%H:%M:%S')})",
                        flush=True,
                    )


def report_iterations(records, family):
    """Fits that warned (stopped at ``max_iter``) and ``n_iter_`` per config and size."""
    if all(r["n_iter"] < 0 and not r["convergence_warnings"] for r in records):
        return  # no iterations to count (Elkan-Noto)
    rows = []
    for config in FAMILIES[family]:
        for size in SIZES:
            chosen = [r for r in records if r["config"] == config and r["size"] == size]
            if not chosen:
                continue
            n_iter = np.array([r["n_iter"] for r in chosen])
            warned = sum(r["convergence_warnings"] > 0 for r in chosen)
            rows.append(
                [
                    config,
                    size,
                    len(chosen),
                    warned,
                    f"{np.median(n_iter):g}",
                    int(n_iter.max()),
                    ", ".join(
                        sorted(
                            {
                                f"{r['dataset']} c={r['c']}"
                                for r in chosen
                                if r["convergence_warnings"]
                            }
                        )
                    )
                    or "-",
                ]
            )
    print(f"\n### {family}: fits that stopped at max_iter (ConvergenceWarning) and n_iter_\n")
    print(
        markdown_table(
            ["config", "size", "fits", "warned", "median n_iter_", "max n_iter_", "where"], rows
        )
    )


def report_all(records, families):
    summary = {}
    for family in families:
        chosen = [r for r in records if r["family"] == family]
        if not chosen:
            continue
        configs = list(FAMILIES[family])
        print(f"\n## {TITLES[family]}\n")
        print(f"Reference: {configs[0]!r}, the default before this benchmark.")
        summary[family] = report(chosen, configs, configs[0])
        report_iterations(chosen, family)
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=5, quick="breast_cancer only, seed 0")
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--datasets", nargs="+", default=DATASETS, choices=DATASETS)
    parser.add_argument("--sizes", nargs="+", default=SIZES, choices=SIZES)
    parser.add_argument("--frequencies", nargs="+", type=float, default=FREQUENCIES)
    parser.add_argument("--results", default=RESULTS, help="JSON-lines results file")
    parser.add_argument("--report", action="store_true", help="only print the tables")
    args = parser.parse_args()
    datasets, seeds = args.datasets, list(range(args.seeds))
    if args.quick:
        datasets, seeds = ["breast_cancer"], [0]
    if not args.report:
        with threadpool_limits(limits=1):
            run(args.families, datasets, args.sizes, args.frequencies, seeds, args.results)
    write_json(args.json, report_all(read_jsonl(args.results), args.families))


if __name__ == "__main__":
    main()
