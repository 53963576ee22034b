"""Defaults of the LLP estimators on the LLP benchmark's data (issue 19 item 16).

The data and bags of ``bench_llp.py``:

- Bank Marketing as prepared by the LLP-BP paper: the training rows shuffled
  by the seed, bags of consecutive rows, the whole test set, test ROC AUC;
  "full" is all 27,126 training rows (bag sizes 8, 32, 128, 512), the small
  version the first 300 shuffled rows (bag sizes 8, 32, 128);
- the six KEEL sets (magic, twonorm, spambase, phoneme, satimage, penbased),
  stratified 70/30 split, the training part cut to 1000 rows ("full", as
  ``bench_llp.py``; bag sizes 8, 32, 128, 256) or 300 rows (small; bag sizes
  8, 32, 128) and standardized; random bags and k-means bags; test accuracy.

Families (every estimator keeps its other defaults):

- ``llp_bp``: ``LLPBPClassifier`` with ``n_neighbors`` in {5, 10, 20} times
  ``damping`` in {0, 0.3, 0.5, 0.7}, and ``tol`` 1e-3 and 1e-4 at the
  defaults (does the stopping tolerance bind?), and ``tol=1e-3`` with
  ``max_iter=1000`` (what the tighter tolerance costs without the cap); the
  reference is the default ``n_neighbors=10, damping=0.3`` (``max_iter=300``,
  ``tol=1e-2``);
- ``easyllp``: ``EasyLLPClassifier(alpha=...)`` in {1e-4, 1e-3, 1e-2
  (the reference: the default before this benchmark), 0.03, 0.1 (the default
  since), 0.3, 1} with the default squared loss;
- ``easyllp_log``: the same alphas with ``loss="log"`` (for the record);
- ``easyllp_mlp``: ``model="mlp"`` (torch on the CPU, seeded), alpha 1e-2 and
  0.1: the MLP's weight decay is the same parameter;
- ``dllp``: ``DLLPClassifier``'s ``max_iter`` 50 / 200, ``learning_rate``
  1e-3 / 1e-2 and ``alpha`` 1e-4 / 1e-2 (the reference: the former defaults
  50, 1e-3, 1e-4);
- ``dllp_hidden``: ``DLLPClassifier(hidden_layer_sizes=...)`` in {(100,)
  (the reference, the default), () (a linear model), (50,), (200,), (100,
  100)}, with ``learning_rate=1e-2`` and ``max_iter=200``.

Every fit records its CPU seconds, ``n_iter_`` (for LLP-BP the most
belief-propagation iterations of its runs) and its ``ConvergenceWarning``
count, so the tables say whether ``max_iter`` binds.

Usage::

    python benchmarks/bench_llp_defaults.py --sizes 300           # the small versions
    python benchmarks/bench_llp_defaults.py --families easyllp    # one family
    python benchmarks/bench_llp_defaults.py --datasets bank       # one data set
    python benchmarks/bench_llp_defaults.py --quick               # twonorm 300 rows, seed 0
    python benchmarks/bench_llp_defaults.py --report              # tables of the results file

Resumable: one JSON line per (family, data set, size, bags, bag size, seed,
config) in ``benchmarks/out/llp_defaults.jsonl``; records already there are
not computed again.
"""

import argparse
import os
import sys
import time
from collections import defaultdict

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import add_common_arguments, append_jsonl, markdown_table, read_jsonl, write_json
from bench_llp import KEEL_DATASETS, _bank_data, _keel_data, bag_shares, evaluate, kmeans_bags
from bench_pu_bagging_defaults import timed_fit

from sklweak.datasets import make_bags
from sklweak.llp import EasyLLPClassifier, LLPBPClassifier, make_bag_target

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "out", "llp_defaults.jsonl")
DATA_DIR = os.path.join(HERE, "..", "..", "shared", "data")
DATASETS = ["bank", *KEEL_DATASETS]
SIZES = ["full", "300"]
SMALL_ROWS = 300
KEEL_FULL_ROWS = 1000
BAG_SIZES = {
    ("bank", "full"): [8, 32, 128, 512],
    ("keel", "full"): [8, 32, 128, 256],
    ("bank", "300"): [8, 32, 128],
    ("keel", "300"): [8, 32, 128],
}
GROUPS = ["Bank full", "Bank 300", "KEEL full", "KEEL 300"]
# Differences within this (in AUC or accuracy) count as ties.
TIE = 1e-3


def _llp_bp(**params):
    return lambda seed, classes: LLPBPClassifier(classes=classes, **params)


def _easyllp(**params):
    return lambda seed, classes: EasyLLPClassifier(classes=classes, **params)


def _easyllp_mlp(alpha):
    return lambda seed, classes: EasyLLPClassifier(
        classes=classes, model="mlp", alpha=alpha, device="cpu", random_state=seed
    )


def _dllp(**params):
    from sklweak.llp import DLLPClassifier

    return lambda seed, classes: DLLPClassifier(
        classes=classes, device="cpu", random_state=seed, **params
    )


ALPHAS = (1e-2, 1e-4, 1e-3, 3e-2, 1e-1, 3e-1, 1.0)
# family -> {config: factory(seed, classes)}; the first config is the reference, the
# default when the benchmark was written.
FAMILIES = {
    "llp_bp": {
        "n_neighbors=10, damping=0.3": _llp_bp(),
        **{
            f"n_neighbors={k}, damping={d:g}": _llp_bp(n_neighbors=k, damping=d)
            for k in (5, 10, 20)
            for d in (0.0, 0.3, 0.5, 0.7)
            if (k, d) != (10, 0.3)
        },
        "n_neighbors=10, damping=0.3, tol=1e-3": _llp_bp(tol=1e-3),
        "n_neighbors=10, damping=0.3, tol=1e-4": _llp_bp(tol=1e-4),
        "n_neighbors=10, damping=0.3, tol=1e-3, max_iter=1000": _llp_bp(tol=1e-3, max_iter=1000),
    },
    "easyllp": {f"alpha={a:g}": _easyllp(alpha=a) for a in ALPHAS},
    "easyllp_mlp": {f"alpha={a:g}": _easyllp_mlp(a) for a in (1e-2, 1e-1)},
    "easyllp_log": {f"alpha={a:g}": _easyllp(alpha=a, loss="log") for a in ALPHAS},
    # DLLP's training settings (torch on the CPU): the former defaults, then one change at a time
    "dllp": {
        "defaults (max_iter=50, learning_rate=1e-3, alpha=1e-4)": _dllp(
            max_iter=50, learning_rate=1e-3
        ),
        "max_iter=200": _dllp(max_iter=200, learning_rate=1e-3),
        "learning_rate=1e-2": _dllp(learning_rate=1e-2, max_iter=50),
        "alpha=1e-2": _dllp(alpha=1e-2, max_iter=50, learning_rate=1e-3),
        "learning_rate=1e-2, max_iter=200": _dllp(learning_rate=1e-2, max_iter=200),
    },
    # DLLP's hidden layers at the training settings above (the defaults since)
    "dllp_hidden": {
        f"hidden_layer_sizes={sizes}": _dllp(
            hidden_layer_sizes=sizes, learning_rate=1e-2, max_iter=200
        )
        for sizes in ((100,), (), (50,), (200,), (100, 100))
    },
}
TITLES = {
    "llp_bp": "LLPBPClassifier(n_neighbors, damping, tol)",
    "easyllp": "EasyLLPClassifier(alpha=...), loss='squared' (the default)",
    "easyllp_log": "EasyLLPClassifier(alpha=...), loss='log'",
    "easyllp_mlp": "EasyLLPClassifier(model='mlp', alpha=...), device='cpu'",
    "dllp": "DLLPClassifier(max_iter, learning_rate, alpha), device='cpu'",
    "dllp_hidden": "DLLPClassifier(hidden_layer_sizes=...), learning_rate=1e-2, max_iter=200",
}


def _settings(name, size):
    """``(bags kind, bag size)`` pairs of a data set at a size."""
    kinds = ["consecutive"] if name == "bank" else ["random", "k-means"]
    sizes = BAG_SIZES[("bank" if name == "bank" else "keel", size)]
    return [(kind, k) for kind in kinds for k in sizes]


def training_data(name, size, seed, data_dir):
    """``(X, y, X_test, y_test, metric)`` of a data set at a size and seed."""
    if name == "bank":
        n_train = None if size == "full" else SMALL_ROWS
        X, y, X_test, y_test = _bank_data(data_dir, seed, n_train)
        return X, y.ravel(), X_test, y_test.ravel(), "auc"
    n_train = KEEL_FULL_ROWS if size == "full" else SMALL_ROWS
    X, y, X_test, y_test, _ = _keel_data(name, seed, n_train)
    return X, y, X_test, y_test, "acc"


def bags_of(kind, bag_size, X, y, seed):
    if kind == "consecutive":
        return np.arange(X.shape[0]) // bag_size
    if kind == "random":
        return make_bags(X, y, bag_size=bag_size, random_state=seed)[0]
    return kmeans_bags(X, bag_size, seed)


def _key(record):
    return tuple(
        record[k] for k in ("family", "dataset", "size", "bags", "bag_size", "seed", "config")
    )


def run(families, datasets, sizes, seeds, path, data_dir, only=None):
    """Fit what the results file lacks; ``only``: configs to run, in the families holding any."""
    done = {_key(r) for r in read_jsonl(path)}
    chosen = {}
    for family in families:
        configs = list(FAMILIES[family])
        if only and set(only) & set(configs):
            configs = [c for c in configs if c in only]
        chosen[family] = configs
    for size in sizes:
        for name in datasets:
            for seed in seeds:
                data = None
                for kind, bag_size in _settings(name, size):
                    todo = [
                        (family, config)
                        for family in families
                        for config in chosen[family]
                        if (family, name, size, kind, bag_size, seed, config) not in done
                    ]
                    if not todo:
                        continue
                    if data is None:
                        data = training_data(name, size, seed, data_dir)
                    X, y, X_test, y_test, metric = data
                    bags = bags_of(kind, bag_size, X, y, seed)
                    n_classes = int(y.max()) + 1
                    Y = make_bag_target(bags, bag_shares(bags, y, n_classes))
                    for family, config in todo:
                        model = FAMILIES[family][config](seed, np.arange(n_classes))
                        seconds, caught = timed_fit(model, X, Y)
                        record = {
                            "family": family,
                            "dataset": name,
                            "size": size,
                            "bags": kind,
                            "bag_size": bag_size,
                            "seed": seed,
                            "config": config,
                            "metric": metric,
                            "score": float(evaluate(model, X_test, y_test, metric)),
                            "fit_seconds": seconds,
                            "n_iter": int(np.max(model.n_iter_)),
                            "convergence_warnings": sum(
                                issubclass(w.category, ConvergenceWarning) for w in caught
                            ),
                            "n_train": int(X.shape[0]),
                        }
                        append_jsonl(path, record)
                print(f"done {name} {size} seed {seed} ({time.strftime('%H:%M:%S')})", flush=True)


# --- tables ----------------------------------------------------------------------


def _group(record):
    return ("Bank" if record["dataset"] == "bank" else "KEEL") + f" {record['size']}"


def _paired(records, configs):
    """``{(cell, seed): {config: record}}`` for the (cell, seed) pairs every config ran."""
    pairs = defaultdict(dict)
    for r in records:
        if r["config"] in configs:
            pairs[_key(r)[1:6]][r["config"]] = r
    return {pair: by for pair, by in pairs.items() if len(by) == len(configs)}


def _present(records, family):
    """The family's configs that have records, the reference first."""
    ran = {r["config"] for r in records}
    return [c for c in FAMILIES[family] if c in ran]


def report_family(records, family):
    """Print the family's tables; return ``{group: {config: mean difference}}``."""
    summary = {}
    for group in sorted({_group(r) for r in records}):
        in_group = [r for r in records if _group(r) == group]
        configs = _present(in_group, family)
        default = configs[0]
        chosen = _paired(in_group, configs)
        if not chosen or default != next(iter(FAMILIES[family])):
            print(f"\n#### {group}: no complete (cell, seed) pair with the reference yet")
            continue
        seeds = sorted({p[4] for p in chosen})
        cells = sorted({p[:4] for p in chosen})
        print(
            f"\n#### {group}: {len(cells)} cells (data set, bags, bag size), "
            f"{len(chosen)} (cell, seed) pairs, seeds {seeds}\n"
        )
        bag_sizes = sorted({p[3] for p in chosen})
        rows, summary[group] = [], {}
        for config in configs:
            scores = np.array([by[config]["score"] for by in chosen.values()])
            delta = scores - np.array([by[default]["score"] for by in chosen.values()])
            cell_means = defaultdict(dict)
            for p, by in chosen.items():
                for c in configs:
                    cell_means[p[:4]].setdefault(c, []).append(by[c]["score"])
            best = sum(
                np.mean(means[config]) >= max(np.mean(v) for v in means.values()) - TIE
                for means in cell_means.values()
            )
            iters = np.array([by[config]["n_iter"] for by in chosen.values()])
            warned = sum(by[config]["convergence_warnings"] > 0 for by in chosen.values())
            by_size = [
                100 * np.mean([by[config]["score"] for p, by in chosen.items() if p[3] == k])
                for k in bag_sizes
            ]
            summary[group][config] = float(100 * delta.mean())
            rows.append(
                [
                    config + (" (reference)" if config == default else ""),
                    f"{100 * scores.mean():.2f}",
                    *(f"{v:.2f}" for v in by_size),
                    f"{100 * delta.mean():+.2f}",
                    f"{(delta > TIE).sum()} / {(abs(delta) <= TIE).sum()} / {(delta < -TIE).sum()}",
                    f"{best}/{len(cell_means)}",
                    f"{np.mean([by[config]['fit_seconds'] for by in chosen.values()]):.2f}",
                    f"{np.median(iters):g} / {iters.max()}",
                    f"{warned}/{len(chosen)}",
                ]
            )
        print(
            markdown_table(
                [
                    "config",
                    "mean",
                    *(f"k={k}" for k in bag_sizes),
                    "minus reference",
                    "W / T / L vs reference",
                    "cells best",
                    "fit s",
                    "median / max n_iter_",
                    "fits warned",
                ],
                rows,
            )
        )
        names = [n for n in DATASETS if any(p[0] == n for p in chosen)]
        if len(names) > 1:
            print(f"\n{group}, per data set: mean minus the reference's (points)\n")
            print(markdown_table(["config", *names], _per_dataset(chosen, configs, names)))
    return summary


def _per_dataset(chosen, configs, names):
    rows = []
    for config in configs[1:]:
        deltas = [
            np.mean(
                [
                    by[config]["score"] - by[configs[0]]["score"]
                    for p, by in chosen.items()
                    if p[0] == name
                ]
            )
            for name in names
        ]
        rows.append([config, *(f"{100 * d:+.2f}" for d in deltas)])
    return rows


def report_units(records, family, by_group):
    """Each config against the reference over the (data set, size) units, equally weighted."""
    reference = next(iter(FAMILIES[family]))
    scores = defaultdict(dict)
    for r in records:
        scores[_key(r)[1:6]][r["config"]] = r["score"]
    rows = []
    for config in _present(records, family)[1:]:
        units = defaultdict(list)
        for pair, by in scores.items():
            if config in by and reference in by:
                units[pair[:2]].append(by[config] - by[reference])
        means = [np.mean(v) for v in units.values()]
        groups = [
            f"{by_group[g][config]:+.2f}" if config in by_group.get(g, {}) else "-" for g in GROUPS
        ]
        rows.append(
            [
                config,
                f"{100 * np.mean(means):+.2f}",
                f"{sum(m > TIE for m in means)} / {sum(m < -TIE for m in means)} of {len(means)}",
                *groups,
            ]
        )
    print("\n#### Summary: minus the reference, points\n")
    print(
        markdown_table(
            ["config", "mean over (data set, size)", "units above / below", *GROUPS], rows
        )
    )


def report_cells(records, family):
    """Per-cell means over seeds (score in points), one row per cell."""
    configs = _present(records, family)
    pairs = _paired(records, configs)
    cells = defaultdict(lambda: defaultdict(list))
    for p, by in pairs.items():
        for config in configs:
            cells[p[:4]][config].append(by[config]["score"])
    rows = [
        [*cell, *(f"{100 * np.mean(cells[cell][c]):.1f}" for c in configs)]
        for cell in sorted(cells, key=lambda c: (c[1], DATASETS.index(c[0]), c[2], c[3]))
    ]
    print(f"\n#### {family}: per cell, mean over seeds\n")
    print(markdown_table(["data set", "size", "bags", "k", *configs], rows))


def report_all(records, families, cells=False):
    summary = {}
    for family in families:
        chosen = [r for r in records if r["family"] == family]
        if not chosen:
            continue
        print(f"\n### {TITLES[family]}\n")
        print(
            f"Reference: {next(iter(FAMILIES[family]))!r}. Scores in points (AUC on Bank, "
            f"accuracy on KEEL); W / T / L: (cell, seed) pairs above / within {100 * TIE:g} "
            "point / below the reference; cells best: cells whose mean over seeds is within "
            f"{100 * TIE:g} point of the best config's; fit s: mean CPU seconds; fits warned: "
            "fits that raised a ConvergenceWarning."
        )
        summary[family] = report_family(chosen, family)
        report_units(chosen, family, summary[family])
        if cells:
            report_cells(chosen, family)
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=3, quick="twonorm at 300 rows, seed 0")
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--datasets", nargs="+", default=DATASETS, choices=DATASETS)
    parser.add_argument("--sizes", nargs="+", default=SIZES, choices=SIZES)
    parser.add_argument("--data", default=DATA_DIR, help="shared data directory")
    parser.add_argument(
        "--results",
        nargs="+",
        default=[RESULTS],
        help="JSON-lines results files: a run appends to the first, the tables read them all",
    )
    parser.add_argument("--report", action="store_true", help="only print the tables")
    parser.add_argument(
        "--configs",
        nargs="+",
        default=None,
        help="run only these configs (in the families that hold any of them)",
    )
    parser.add_argument("--cells", action="store_true", help="also print the per-cell tables")
    args = parser.parse_args()
    datasets, sizes, seeds = args.datasets, args.sizes, list(range(args.seeds))
    if args.quick:
        datasets, sizes, seeds = ["twonorm"], ["300"], [0]
    if not args.report:
        with threadpool_limits(limits=1):
            run(args.families, datasets, sizes, seeds, args.results[0], args.data, args.configs)
    records = [r for path in args.results for r in read_jsonl(path)]
    write_json(args.json, report_all(records, args.families, args.cells))


if __name__ == "__main__":
    main()
