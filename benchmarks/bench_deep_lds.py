"""Deep low-density separation next to LDS, the supervised MLP and the supervised SVM.

Chapelle, Schoelkopf and Zien's transductive protocol (*Semi-Supervised
Learning*, 2006, chapter 21): every method sees all samples of a data set, 100
of them labeled (each split holds every class), and is scored by its error on
the unlabeled ones, averaged over random label splits. Data sets:

* ``digits``: scikit-learn's 8x8 digits, all ten classes (1,797 images;
  ``--quick``: 500 drawn at random).
* ``g241c``: regenerated with :func:`sklweak.datasets.make_g241c` (1,500
  points, 241 dimensions; ``--quick``: 500).

Columns: scikit-learn's ``SVC`` (RBF, defaults, features standardized) on the
labeled samples only; the supervised MLP, i.e. ``DeepLDSClassifier(max_iter=0)``
(the same network and training as the first stage of deep LDS, labeled samples
only); sklweak's ``LDSClassifier`` (defaults) on the raw features; and
``DeepLDSClassifier`` (defaults but ``device="cpu"``). The last column is deep
LDS's error relative to the supervised MLP's. Time per fit is the mean wall time
of one ``fit`` with threads pinned to one (torch too).

Run ``python benchmarks/bench_deep_lds.py`` (``--splits N``: label splits per
data set, default 12; ``--quick``: one split on 500 points).
"""

import argparse
import os
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from _common import add_common_arguments, write_json
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklweak.datasets import make_g241c
from sklweak.lowdensity import DeepLDSClassifier, LDSClassifier

N_LABELS = 100
METHODS = ("SVM", "MLP", "LDS", "DeepLDS")


def load(name, n_points, seed=0):
    """Features and labels of a data set, ``n_points`` drawn when given."""
    if name == "digits":
        X, y = load_digits(return_X_y=True)
        X = X / 16.0
    else:
        X, y = make_g241c(1500, random_state=seed)
    if n_points is not None and n_points < len(y):
        rows = np.random.RandomState(seed).choice(len(y), n_points, replace=False)
        X, y = X[rows], y[rows]
    return X, y


def label_split(y, n_labels, rng):
    """A boolean mask of ``n_labels`` labeled samples holding every class."""
    while True:
        chosen = rng.choice(len(y), n_labels, replace=False)
        if len(np.unique(y[chosen])) == len(np.unique(y)):
            mask = np.zeros(len(y), dtype=bool)
            mask[chosen] = True
            return mask


def transductive_error(name, X, y, labeled, seed):
    """Error on the unlabeled samples and fit time of one method."""
    y_weak = np.where(labeled, y, -1)
    start = time.perf_counter()
    if name == "SVM":
        model = make_pipeline(StandardScaler(), SVC()).fit(X[labeled], y[labeled])
        predicted = model.predict(X)
    elif name == "LDS":
        predicted = LDSClassifier().fit(X, y_weak).transduction_
    else:
        max_iter = 0 if name == "MLP" else DeepLDSClassifier().max_iter
        model = DeepLDSClassifier(max_iter=max_iter, device="cpu", random_state=seed)
        predicted = model.fit(X, y_weak).transduction_
    elapsed = time.perf_counter() - start
    return float(np.mean(predicted[~labeled] != y[~labeled])), elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=None, quick="one split, 500 points")
    parser.add_argument("--splits", type=int, default=12, help="label splits per data set")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    n_splits = 1 if args.quick else args.splits
    n_points = 500 if args.quick else None
    print(f"{N_LABELS} labels, {n_splits} split(s), transductive error (%) mean +- std")
    print()
    print("| data | n | " + " | ".join(METHODS) + " | DeepLDS / MLP |")
    print("|---|---|" + "---|" * len(METHODS) + "---|")
    times = {}
    records = []
    for data_name in ("digits", "g241c"):
        X, y = load(data_name, n_points)
        rng = np.random.RandomState(0)
        errors = {m: [] for m in METHODS}
        for split in range(n_splits):
            labeled = label_split(y, N_LABELS, rng)
            for method in METHODS:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    error, elapsed = transductive_error(method, X, y, labeled, split)
                errors[method].append(100 * error)
                records.append(
                    {
                        "data": data_name,
                        "n": len(y),
                        "split": split,
                        "method": method,
                        "error": error,
                        "fit_s": elapsed,
                    }
                )
                times.setdefault((data_name, method), []).append(elapsed)
        means = {m: np.mean(errors[m]) for m in METHODS}
        cells = [f"{means[m]:.2f} +- {np.std(errors[m]):.2f}" for m in METHODS]
        ratio = means["DeepLDS"] / means["MLP"] if means["MLP"] > 0 else float("nan")
        print(f"| {data_name} | {len(y)} | " + " | ".join(cells) + f" | {ratio:.2f} |")
    print()
    print("Time per fit (s)")
    print()
    print("| data | " + " | ".join(METHODS) + " |")
    print("|---|" + "---|" * len(METHODS))
    for data_name in ("digits", "g241c"):
        cells = [f"{np.mean(times[(data_name, m)]):.2f}" for m in METHODS]
        print(f"| {data_name} | " + " | ".join(cells) + " |")
    write_json(args.json, {"n_labels": N_LABELS, "records": records})


if __name__ == "__main__":
    main()
