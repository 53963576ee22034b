"""BaggingPUClassifier's defaults: number of trees and tree size (issue 19 item 16).

The SCAR part of ``bench_pu.py``: its seven data sets (breast_cancer and the
KEEL sets), its split (``pu_split``: stratified 70/30, features standardized
on the training part, ``make_pu`` SCAR labels with label frequency c, magic
capped at 8,000 rows), ROC AUC and F1 of the positive class on the true labels
of the test part. Each set is run at full size and with the training part
subsampled to 300 rows (stratified on the true and the PU labels together, so
the prior and c stay those of the full part; the test part is the full one).

Grid: ``n_estimators`` in {10, 50} times the tree in {full depth
(``DecisionTreeClassifier()``), ``max_depth=8``, ``min_samples_leaf=5``}, no prior,
``n_jobs=1``, threads pinned to 1. Fit time: CPU seconds of ``fit``
(``time.process_time``, the machine is shared). The reference is 10
full-depth trees, the default until this benchmark made it 50 trees of depth 8.

Usage::

    python benchmarks/bench_pu_bagging_defaults.py              # 7 sets, 2 sizes, c 0.3/0.5, 3 seeds
    python benchmarks/bench_pu_bagging_defaults.py --quick      # breast_cancer, seed 0
    python benchmarks/bench_pu_bagging_defaults.py --sizes 300  # the small versions only
    python benchmarks/bench_pu_bagging_defaults.py --report     # tables of the results file
    python benchmarks/bench_pu_bagging_defaults.py --grid max_samples [--report]

Resumable: one JSON line per (data set, size, c, seed, config) in
``benchmarks/out/pu_bagging_defaults.jsonl``; records already there are not
computed again.
"""

import argparse
import os
import sys
import time
import warnings
from collections import defaultdict

import numpy as np
from sklearn.tree import DecisionTreeClassifier
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
from bench_pu import KEEL, score
from bench_pu_prior_bagging import pu_split

from sklweak.pu import BaggingPUClassifier

DATASETS = ["breast_cancer"] + KEEL
FREQUENCIES = [0.3, 0.5]
SIZES = ["full", "300"]
SMALL_ROWS = 300
RESULTS = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "out", "pu_bagging_defaults.jsonl"
)
TREES = {
    "full depth": lambda: DecisionTreeClassifier(),
    "max_depth=8": lambda: DecisionTreeClassifier(max_depth=8),
    "min_samples_leaf=5": lambda: DecisionTreeClassifier(min_samples_leaf=5),
}
CONFIGS = [f"{n} trees, {tree}" for n in (10, 50) for tree in TREES]
REFERENCE = "10 trees, full depth"  # the former default
# ``--grid max_samples``: the size of the unlabeled bootstrap around the
# default (None: as many as the labeled positives), as a fraction of the
# unlabeled samples.
DEFAULT = "50 trees, max_depth=8"
MAX_SAMPLES_CONFIGS = [DEFAULT] + [f"{DEFAULT}, max_samples={f}" for f in (0.25, 0.5, 1.0)]
GRIDS = {"trees": (CONFIGS, REFERENCE), "max_samples": (MAX_SAMPLES_CONFIGS, DEFAULT)}


def make_config(config, seed):
    n_trees, tree = config.split(" trees, ")
    tree, _, max_samples = tree.partition(", max_samples=")
    return BaggingPUClassifier(
        TREES[tree](),
        n_estimators=int(n_trees),
        max_samples=float(max_samples) if max_samples else None,
        n_jobs=1,
        random_state=seed,
    )


def training_part(name, size, seed, c):
    """``pu_split``'s arrays, the training part cut to ``SMALL_ROWS`` for size "300"."""
    X_train, X_test, y_train, y_test, y_pu = pu_split(name, seed, c)
    if size != "full":
        keep = stratified_subset(2 * y_train + y_pu, SMALL_ROWS, seed)
        X_train, y_train, y_pu = X_train[keep], y_train[keep], y_pu[keep]
    return X_train, X_test, y_pu, y_test


def run(datasets, sizes, frequencies, seeds, path, configs=CONFIGS):
    done = {_key(r) for r in read_jsonl(path)}
    for name in datasets:
        for size in sizes:
            for c in frequencies:
                for seed in seeds:
                    todo = [k for k in configs if (name, size, c, seed, k) not in done]
                    if not todo:
                        continue
                    X_train, X_test, y_pu, y_test = training_part(name, size, seed, c)
                    for config in todo:
                        model = make_config(config, seed)
                        seconds, _ = timed_fit(model, X_train, y_pu)
                        auc, f1 = score(model, X_test, y_test)
                        record = {
                            "dataset": name,
                            "size": size,
                            "c": c,
                            "seed": seed,
                            "config": config,
                            "auc": auc,
                            "f1": f1,
                            "fit_seconds": seconds,
                            "n_train": int(y_pu.shape[0]),
                            "n_labeled": int(y_pu.sum()),
                        }
                        append_jsonl(path, record)
                    print(f"done {name} {size} c={c} seed {seed} ({time.strftime('%H:%M:%S')})")


def timed_fit(model, X, y):
    """Fit ``model``; its CPU seconds and the warnings it raised (not shown)."""
    start = time.process_time()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    return time.process_time() - start, caught


def _key(record):
    return tuple(record[k] for k in ("dataset", "size", "c", "seed", "config"))


def cell_means(records, configs=CONFIGS):
    """``{(data set, size, c): {config: (AUC, F1, fit s)}}`` over seeds, complete cells only.

    A cell is complete when every config ran on the same seeds. ``configs``
    (this grid by default) lets ``bench_pu_defaults.py`` reuse it.
    """
    values = defaultdict(lambda: defaultdict(dict))
    for r in records:
        cell = (r["dataset"], r["size"], r["c"])
        values[cell][r["config"]][r["seed"]] = (r["auc"], r["f1"], r["fit_seconds"])
    cells = {}
    for cell, by_config in values.items():
        seeds = [set(by_config.get(k, {})) for k in configs]
        if not seeds[0] or any(s != seeds[0] for s in seeds):
            continue
        cells[cell] = {k: np.mean(list(by_config[k].values()), axis=0) for k in configs}
    return cells


def report(records, configs=CONFIGS, reference=REFERENCE):
    """Print the tables of ``configs`` against ``reference``; return the means over all cells."""
    cells = cell_means(records, configs)
    if not cells:
        print("No complete cell yet.")
        return {}
    order = sorted(cells, key=lambda cell: (cell[1], DATASETS.index(cell[0]), cell[2]))
    n_seeds = sorted({len({r["seed"] for r in records if _key(r)[:3] == cell}) for cell in order})
    print(f"\n{len(cells)} complete cells (data set, size, c); seeds per cell: {n_seeds}\n")
    summary = {}
    rows = []
    for config in configs:
        row = [config]
        for subset in (SIZES, ["full"], ["300"]):
            chosen = [cell for cell in order if cell[1] in subset]
            if not chosen:
                row += ["n/a", "n/a"]
                continue
            means = np.mean([cells[cell][config] for cell in chosen], axis=0)
            row += [f"{means[0]:.4f}", f"{means[1]:.4f}"]
            if subset is SIZES:
                summary[config] = means
                row_time = f"{means[2]:.3f}"
        best_auc = sum(
            np.isclose(cells[cell][config][0], max(cells[cell][k][0] for k in configs))
            for cell in order
        )
        best_f1 = sum(
            np.isclose(cells[cell][config][1], max(cells[cell][k][1] for k in configs))
            for cell in order
        )
        wins = [
            sum(cells[cell][config][m] > cells[cell][reference][m] for cell in order)
            for m in (0, 1)
        ]
        both = sum(
            all(cells[cell][config][m] > cells[cell][reference][m] for m in (0, 1))
            for cell in order
        )
        row += [row_time, f"{best_auc} / {best_f1}", f"{wins[0]} / {wins[1]} / {both}"]
        rows.append(row)
    print(
        markdown_table(
            [
                "config",
                "AUC all",
                "F1 all",
                "AUC full",
                "F1 full",
                "AUC 300",
                "F1 300",
                "fit s (all)",
                "best cells AUC / F1",
                "beats reference AUC / F1 / both",
            ],
            rows,
        )
    )
    print(
        "\nBest cells count ties for each tied config; 'beats reference' counts cells where the "
        f"config's seed mean is above {reference!r}'s (of {len(order)} cells).\n"
    )
    print(f"### Per-cell losses of more than 1 point against {reference!r} (AUC or F1)\n")
    loss_rows = []
    for config in configs:
        if config == reference:
            continue
        for cell in order:
            delta = cells[cell][config][:2] - cells[cell][reference][:2]
            if (delta < -0.01).any():
                loss_rows.append(
                    [config, cell[0], cell[1], cell[2], f"{delta[0]:+.4f}", f"{delta[1]:+.4f}"]
                )
    if loss_rows:
        print(markdown_table(["config", "data set", "size", "c", "dAUC", "dF1"], loss_rows))
    else:
        print("none")
    print("\n### Per-cell AUC / F1 (mean over seeds)\n")
    print(
        markdown_table(
            ["data set", "size", "c"] + configs,
            [
                [*cell, *(f"{cells[cell][k][0]:.3f} / {cells[cell][k][1]:.3f}" for k in configs)]
                for cell in order
            ],
        )
    )
    return {config: {"auc": m[0], "f1": m[1], "fit_seconds": m[2]} for config, m in summary.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=3, quick="breast_cancer only, seed 0")
    parser.add_argument("--datasets", nargs="+", default=DATASETS, choices=DATASETS)
    parser.add_argument("--sizes", nargs="+", default=SIZES, choices=SIZES)
    parser.add_argument("--frequencies", nargs="+", type=float, default=FREQUENCIES)
    parser.add_argument("--results", default=RESULTS, help="JSON-lines results file")
    parser.add_argument("--report", action="store_true", help="only print the tables")
    parser.add_argument(
        "--grid",
        choices=sorted(GRIDS),
        default="trees",
        help="trees: n_estimators x tree size; max_samples: the default's unlabeled bootstrap size",
    )
    parser.add_argument("--first-seed", type=int, default=0)
    args = parser.parse_args()
    configs, reference = GRIDS[args.grid]
    datasets = args.datasets
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    if args.quick:
        datasets, seeds = ["breast_cancer"], [0]
    if args.quick:
        datasets, seeds = ["breast_cancer"], [0]
    if not args.report:
        with threadpool_limits(limits=1):
            run(datasets, args.sizes, args.frequencies, seeds, args.results, configs)
    write_json(args.json, report(read_jsonl(args.results), configs, reference))


if __name__ == "__main__":
    main()
