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

Usage::

    python benchmarks/bench_elr.py            # full: satimage, 3 seeds
    python benchmarks/bench_elr.py --quick    # smoke: 1 seed, small subsample
"""

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch
from _common import add_common_arguments, write_json
from sklearn.model_selection import train_test_split

from sklweak.datasets import load_keel, make_noisy_labels
from sklweak.noise import ELRClassifier


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=None)
    parser.add_argument("--dataset", default="satimage", help="KEEL data set name")
    parser.add_argument("--noise-rate", type=float, default=0.4)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--device", default="cpu", help="'cpu', 'cuda' or 'auto'")
    args = parser.parse_args()
    torch.set_num_threads(1)
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
