"""Early-learning regularization against the same MLP without it, on noisy labels.

A KEEL data set (satimage by default) is split 70/30; the training labels get
40% symmetric noise (``sklweak.datasets.make_noisy_labels``). Three MLPs of
the same architecture, optimizer and number of epochs (a fixed schedule,
``tol=None``) are compared on the clean test labels:

- ``clean``: cross-entropy on the clean training labels (the ceiling);
- ``CE noisy``: cross-entropy on the noisy labels (``regularization=0``),
  the same network without ELR;
- ``ELR noisy``: :class:`sklweak.noise.ELRClassifier` with the paper's
  ``lambda=3``, ``beta=0.7``.

It also reports how well ``label_issues_`` (target disagrees with the given
label) finds the flipped training labels (F1), and the fraction of noisy
training labels each model fits (memorization).

``--grid`` measures the defaults ``regularization=3.0`` and ``momentum=0.7``
instead (issue 19 item 16): ``ELRClassifier`` with its own defaults otherwise
(the (100,) MLP, ``learning_rate=1e-2`` (1e-3 before this benchmark),
``max_iter=50``, ``tol=1e-4``), one of the two varied at a time (``CONFIGS``; ``regularization=0`` is the same MLP without ELR), on the
noisy KEEL cells of ``bench_noise_robust.py`` (stratified 75/25 split, the
training part subsampled to ``--sizes`` rows, test part capped at 2,000) with
symmetric 40% and pair 30% noise on the training labels: test accuracy on the
clean labels, epochs run and whether ``max_iter`` was reached.
``--max-iter`` and ``--learning-rate`` change the training schedule (the
tables keep each schedule apart). One JSON line per fit in ``--results`` (git-ignored
``benchmarks/out/``); a rerun skips the fits already there. ``--report``
prints the tables.

Usage::

    python benchmarks/bench_elr.py            # full: satimage, 3 seeds
    python benchmarks/bench_elr.py --quick    # smoke: 1 seed, small subsample
    python benchmarks/bench_elr.py --grid --sizes 300 2000 --seeds 3
    python benchmarks/bench_elr.py --grid --sizes 300 --seeds 5 --max-iter 200
    python benchmarks/bench_elr.py --grid --sizes 300 --seeds 5 --learning-rate 1e-2
    python benchmarks/bench_elr.py --grid --report
"""

import argparse
import os
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch
from _common import add_common_arguments, append_jsonl, load_set, read_jsonl, write_json
from bench_noise_defaults import compare
from bench_noise_robust import make_cell
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from sklweak.datasets import load_keel, make_noisy_labels
from sklweak.noise import ELRClassifier

GRID_RESULTS = Path(__file__).parent / "out" / "elr_defaults.jsonl"
GRID_SETS = ["satimage", "penbased", "segment", "letter"]
GRID_NOISE = [("symmetric", 0.4), ("pair", 0.3)]
# One parameter varied at a time around the defaults (regularization=3.0, momentum=0.7).
CONFIGS = {
    "default": {},
    "regularization=0": {"regularization": 0.0},
    "regularization=0.3": {"regularization": 0.3},
    "regularization=1": {"regularization": 1.0},
    "regularization=7": {"regularization": 7.0},
    "momentum=0.5": {"momentum": 0.5},
    "momentum=0.9": {"momentum": 0.9},
    "momentum=0.99": {"momentum": 0.99},
}


def _f1(found, truth):
    hits = np.sum(found & truth)
    return 2.0 * hits / max(found.sum() + truth.sum(), 1)


def run(dataset, seeds, noise_rate, max_iter, hidden, n_train, device):
    X, y = load_keel(dataset)
    rows = []
    for seed in seeds:
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=seed
        )
        if n_train is not None and n_train < len(y_train):
            X_train, _, y_train, _ = train_test_split(
                X_train, y_train, train_size=n_train, stratify=y_train, random_state=seed
            )
        y_noisy, flipped = make_noisy_labels(y_train, noise_rate=noise_rate, random_state=seed)
        common = {
            "hidden_layer_sizes": hidden,
            "learning_rate": 1e-3,
            "tol": None,
            "max_iter": max_iter,
            "device": device,
            "random_state": seed,
        }
        result = {"seed": seed, "flipped": flipped.mean()}
        for name, labels, lam in (
            ("clean", y_train, 0.0),
            ("ce", y_noisy, 0.0),
            ("elr", y_noisy, 3.0),
        ):
            start = time.perf_counter()
            clf = ELRClassifier(regularization=lam, momentum=0.7, **common)
            clf.fit(X_train, labels)
            result[f"{name}_time"] = time.perf_counter() - start
            result[f"{name}_acc"] = clf.score(X_test, y_test)
            if name != "clean":
                result[f"{name}_memorized"] = np.mean(
                    clf.predict(X_train[flipped]) == y_noisy[flipped]
                )
                result[f"{name}_f1"] = _f1(clf.label_issues_, flipped)
        rows.append(result)
        print(
            f"seed {seed}: clean {result['clean_acc']:.4f} | CE noisy {result['ce_acc']:.4f}"
            f" | ELR noisy {result['elr_acc']:.4f}",
            flush=True,
        )
    return rows


def table(rows, dataset, n_train, noise_rate):
    print()
    print(
        f"{dataset}, {int(100 * noise_rate)}% symmetric noise on the training labels "
        f"({n_train} training samples), test accuracy on clean labels"
    )
    print()
    print(
        "| seed | MLP clean labels | MLP noisy (CE, no ELR) | ELR noisy | gain ELR - CE "
        "| noisy labels fitted CE / ELR | issue F1 CE / ELR | fit time CE / ELR (s) |"
    )
    print("|---|---|---|---|---|---|---|---|")

    def line(label, r):
        print(
            f"| {label} | {r['clean_acc']:.4f} | {r['ce_acc']:.4f} | {r['elr_acc']:.4f} "
            f"| {r['elr_acc'] - r['ce_acc']:+.4f} "
            f"| {r['ce_memorized']:.3f} / {r['elr_memorized']:.3f} "
            f"| {r['ce_f1']:.3f} / {r['elr_f1']:.3f} "
            f"| {r['ce_time']:.1f} / {r['elr_time']:.1f} |"
        )

    for r in rows:
        line(str(r["seed"]), r)
    mean = {k: float(np.mean([r[k] for r in rows])) for k in rows[0] if k != "seed"}
    line("mean", mean)
    std = np.std([r["elr_acc"] - r["ce_acc"] for r in rows])
    print()
    print(
        f"Mean gain of ELR over the same MLP without it: {mean['elr_acc'] - mean['ce_acc']:+.4f} "
        f"(std over seeds {std:.4f}); gap to clean labels closed: "
        f"{(mean['elr_acc'] - mean['ce_acc']) / max(mean['clean_acc'] - mean['ce_acc'], 1e-12):.0%}."
    )


def run_grid(args):
    max_iter = args.max_iter or ELRClassifier().max_iter
    learning_rate = args.learning_rate or ELRClassifier().learning_rate
    schedule = (max_iter, learning_rate)
    done = {
        (r["set"], r["size"], r["noise"], r["seed"], r["config"], r["max_iter"], r["learning_rate"])
        for r in read_jsonl(args.results)
    }
    for size in args.sizes:
        for set_name in args.sets:
            X, y = load_set(set_name)
            for kind, rate in GRID_NOISE:
                noise = f"{kind} {rate:.0%}"
                for seed in range(args.seeds):
                    cell = (set_name, size, noise, seed)
                    todo = [c for c in args.configs if (*cell, c, *schedule) not in done]
                    if not todo:
                        continue
                    X_tr, y_tr, X_te, y_te = make_cell(X, y, size, seed)
                    y_noisy, _ = make_noisy_labels(
                        y_tr, noise_rate=rate, kind=kind, random_state=seed
                    )
                    for config in todo:
                        clf = ELRClassifier(
                            max_iter=max_iter,
                            learning_rate=learning_rate,
                            device="cpu",
                            random_state=seed,
                            **CONFIGS[config],
                        )
                        start = time.perf_counter()
                        with warnings.catch_warnings(record=True) as caught:
                            warnings.simplefilter("always", ConvergenceWarning)
                            clf.fit(X_tr, y_noisy)
                        record = {
                            "set": set_name,
                            "size": size,
                            "noise": noise,
                            "seed": seed,
                            "config": config,
                            "max_iter": max_iter,
                            "learning_rate": learning_rate,
                            "acc": float(clf.score(X_te, y_te)),
                            "n_iter": int(clf.n_iter_),
                            "at_max_iter": any(
                                issubclass(w.category, ConvergenceWarning) for w in caught
                            ),
                            "fit_s": time.perf_counter() - start,
                        }
                        append_jsonl(args.results, record)
                    print(f"{set_name}/{size}/{noise} seed {seed}: {len(todo)} fits", flush=True)


def report_grid(results):
    records = [{**r, "cell": f"{r['set']}/{r['size']}/{r['noise']}"} for r in read_jsonl(results)]
    options = [c for c in CONFIGS if any(r["config"] == c for r in records)]
    schedules = sorted({(r["max_iter"], r["learning_rate"]) for r in records})
    for max_iter, learning_rate in schedules:
        run = [
            r for r in records if (r["max_iter"], r["learning_rate"]) == (max_iter, learning_rate)
        ]
        title = f"ELR, max_iter={max_iter}, learning_rate={learning_rate:g}"
        sizes = sorted({r["size"] for r in run}, key=str)
        ran = {size: {r["config"] for r in run if r["size"] == size} for size in sizes}
        for size in sizes:
            at_size = [r for r in run if r["size"] == size]
            present = [c for c in options if c in ran[size]]
            compare(at_size, "config", "acc", present, f"{title}, {size} training rows", "default")
        everywhere = [c for c in options if all(c in ran[size] for size in sizes)]
        compare(run, "config", "acc", everywhere, f"{title}, all sizes", "default")
    across_schedules(records, schedules)
    print("| max_iter | learning_rate | config | mean epochs | fits at max_iter | mean fit s |")
    print("|---|---|---|---|---|---|")
    for max_iter, learning_rate in schedules:
        for config in options:
            mine = [
                r
                for r in records
                if (r["config"], r["max_iter"], r["learning_rate"])
                == (config, max_iter, learning_rate)
            ]
            if mine:
                cells = [
                    str(max_iter),
                    f"{learning_rate:g}",
                    config,
                    f"{np.mean([r['n_iter'] for r in mine]):.1f}",
                    f"{sum(r['at_max_iter'] for r in mine)}/{len(mine)}",
                    f"{np.mean([r['fit_s'] for r in mine]):.2f}",
                ]
                print("| " + " | ".join(cells) + " |")


def across_schedules(records, schedules):
    """The default, ``regularization=1`` and plain cross-entropy under every schedule."""
    columns = {}
    for max_iter, learning_rate in schedules:
        for config in ("default", "regularization=1", "regularization=0"):
            columns[max_iter, learning_rate, config] = (
                f"{config}, max_iter={max_iter}, learning_rate={learning_rate:g}"
            )
    chosen = [
        {**r, "option": columns[r["max_iter"], r["learning_rate"], r["config"]]}
        for r in records
        if (r["max_iter"], r["learning_rate"], r["config"]) in columns
    ]
    reference = columns[ELRClassifier().max_iter, ELRClassifier().learning_rate, "default"]
    for size in sorted({r["size"] for r in chosen}, key=str):
        at_size = [r for r in chosen if r["size"] == size]
        ran = {r["option"] for r in at_size}
        present = [c for c in columns.values() if c in ran]
        if reference in ran:
            title = f"ELR across schedules, {size} training rows"
            compare(at_size, "option", "acc", present, title, reference)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=None)
    parser.add_argument("--grid", action="store_true", help="measure the ELR defaults")
    parser.add_argument("--report", action="store_true", help="with --grid: print the tables")
    parser.add_argument("--sets", nargs="+", default=GRID_SETS, help="with --grid")
    parser.add_argument("--sizes", nargs="+", default=["300", "2000"], help="with --grid")
    parser.add_argument("--seeds", type=int, default=3, help="with --grid: seeds 0 .. N-1")
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--results", default=str(GRID_RESULTS), help="with --grid")
    parser.add_argument(
        "--max-iter", type=int, default=None, help="with --grid: epochs (default: the default)"
    )
    parser.add_argument(
        "--learning-rate", type=float, default=None, help="with --grid (default: the default)"
    )
    parser.add_argument("--dataset", default="satimage", help="KEEL data set name")
    parser.add_argument("--noise-rate", type=float, default=0.4)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--device", default="cpu", help="'cpu', 'cuda' or 'auto'")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.grid:
        if args.report:
            report_grid(args.results)
        else:
            run_grid(args)
        return
    if args.quick:
        seeds, max_iter, hidden, n_train = [0], args.epochs or 40, (128, 128), 1500
    else:
        seeds, max_iter, hidden, n_train = [0, 1, 2], args.epochs or 100, (256, 256), None
    rows = run(args.dataset, seeds, args.noise_rate, max_iter, hidden, n_train, args.device)
    size = n_train if n_train is not None else "all"
    print(
        f"\nMLP {hidden}, Adam lr 1e-3, batch 128, {max_iter} epochs (fixed), "
        f"ELR lambda=3, beta=0.7, device={args.device}"
    )
    table(rows, args.dataset, size, args.noise_rate)
    settings = {"dataset": args.dataset, "noise_rate": args.noise_rate, "n_train": size}
    settings.update(hidden=hidden, max_iter=max_iter, device=args.device)
    write_json(args.json, {**settings, "rows": rows})


if __name__ == "__main__":
    main()
