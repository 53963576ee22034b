"""Label models on practitioner-written labeling functions (issue 17).

For each data set and seed: a stratified train/test split (test part capped at
``TEST_CAP`` rows, training part at ``POOL_CAP``), and a labeled development
sample of ``DEV_SIZE`` training rows (stratified), the only true labels the
"practitioner" sees. From it the labeling functions are written the way a
practitioner would for tabular data:

- threshold rules: for the ``N_FEATURES`` features that best separate the
  dev sample, "x_f > t -> class k" and "x_f <= t -> class k", with t the dev
  quantile and k the dev majority class that give the best precision gain
  (kept when it is at least 0.1 over the class rate);
- tree leaves (as WRENCH does for tabular data): every leaf of depth-3 trees
  fitted on 3 bootstrap draws of the dev sample votes its dev majority class
  (kept when its dev purity is at least 0.6);
- correlated copies: a third of the threshold rules again, the threshold
  moved by 5 dev quantile points;
- weak/junk functions: 3 rules on random features at random quantiles voting
  a random class.

Columns: ``MV`` (majority vote, ties at random), ``snorkel`` (snorkel 0.10's
LabelModel, 500 epochs, lr 0.01, ties at random), and every method of
``sklweak.labeling.LabelModel`` (``sk_<method>``; ``sk_default`` is the
default). Label accuracy is measured on the training rows some function
covers. End models (LogisticRegression on standardized features, and
HistGradientBoosting) are fitted on those rows with each label model's
labels and scored on the test part; ``oracle`` is the same end model on the
true labels of the same rows; ``wsc`` is
``sklweak.labeling.WeakSupervisionClassifier`` with its defaults (each covered
row once, its most probable class weighted by its probability),
``wsc_copies`` the same with ``soft_labels="copies"`` (one weighted copy per
probable class), ``wsc_self_train`` with ``uncovered="self_train"`` (rows no
function covers self-labeled by the end model), ``wsc_dev`` given the dev
sample's true labels as an extra column of ``L`` (``true_labels_column=-1``;
the votes kept only where a cross-validation on those labels says they help,
``wsc_dev_always`` keeps them);
``dev_supervised`` is the end model fitted on the dev sample alone (the
simple baseline: supervised on the labeled rows).

Results: one JSON line per (set, seed, column) appended to ``--results``; a
rerun skips what is recorded. ``--report`` prints the markdown tables.

Usage::

    python benchmarks/bench_labeling.py --sets wine,breast_cancer --seeds 3
    python benchmarks/bench_labeling.py --no-end-models   # label accuracy only
    python benchmarks/bench_labeling.py --no-end-models --first-seed 3 \
        --results benchmarks/out/labeling_heldout.jsonl   # other LF draws
    python benchmarks/bench_labeling.py --report
    python benchmarks/bench_labeling.py --speed   # 1M rows x 50 functions
"""

import argparse
import json
import os
import sys
import time
import traceback
import warnings
from collections import defaultdict

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (
    append_jsonl,
    git_commit,
    keel_raw_dir,
    load_any,
    read_jsonl,
    stratified_subset,
)
from bench_self_training import KEEL_SETS

from sklweak.labeling import LabelModel
from sklweak.labeling._label_model import METHODS as SK_METHODS

SETS = ["breast_cancer", "wine"] + KEEL_SETS
DEV_SIZE = 60
POOL_CAP = 3000
TEST_CAP = 2000
N_FEATURES = 8
DEFAULT_RESULTS = os.path.join(os.path.dirname(__file__), "out", "labeling.jsonl")
LABEL_COLUMNS = ["MV", "snorkel", "sk_default"] + [f"sk_{m}" for m in SK_METHODS]
WSC = {
    "wsc": {},
    "wsc_copies": {"soft_labels": "copies"},
    "wsc_self_train": {"uncovered": "self_train"},
    "wsc_dev": {"true_labels_column": -1},
    "wsc_dev_always": {"true_labels_column": -1, "use_votes": "always"},
}
END_COLUMNS = [
    "MV",
    "snorkel",
    "sk_default",
    "sk_dawid_skene",
    *WSC,
    "dev_supervised",
    "oracle",
]


def make_split(X, y, seed, pool_cap=POOL_CAP):
    """Training part (at most ``pool_cap`` rows), test part, and the dev sample's indices."""
    test_size = min(0.25, TEST_CAP / y.shape[0])
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed
    )
    keep = stratified_subset(y_train, pool_cap, seed)
    X_train, y_train = X_train[keep], y_train[keep]
    dev = stratified_subset(y_train, DEV_SIZE, seed)
    return X_train, y_train, X_test, y_test, dev


# ------------------------------------------------------------- labeling functions
def _best_threshold_rule(column, y_dev, n_classes, direction):
    """(gain, threshold quantile, class) of the best one-sided rule on one feature."""
    rates = np.bincount(y_dev, minlength=n_classes) / y_dev.shape[0]
    best = (0.0, None, None)
    for q in np.arange(0.1, 0.91, 0.05):
        t = np.quantile(column, q)
        side = column > t if direction == "gt" else column <= t
        if side.sum() < 6:
            continue
        shares = np.bincount(y_dev[side], minlength=n_classes) / side.sum()
        k = int(np.argmax(shares - rates))
        gain = (shares[k] - rates[k]) * np.sqrt(side.mean())
        if shares[k] - rates[k] >= 0.1 and gain > best[0]:
            best = (gain, q, k)
    return best


def write_labeling_functions(X_dev, y_dev, n_classes, seed):
    """Functions ``f(X) -> votes`` written from the labeled dev sample."""
    rng = np.random.RandomState(seed)
    functions = []
    separation = []
    for f in range(X_dev.shape[1]):
        separation.append(
            max(_best_threshold_rule(X_dev[:, f], y_dev, n_classes, d)[0] for d in ("gt", "le"))
        )
    top = np.argsort(separation)[::-1][:N_FEATURES]
    rules = []
    for f in top:
        for direction in ("gt", "le"):
            gain, q, k = _best_threshold_rule(X_dev[:, f], y_dev, n_classes, direction)
            if q is not None:
                rules.append((f, direction, q, k))
    copies = [rules[i] for i in rng.permutation(len(rules))[: len(rules) // 3]]
    rules += [(f, d, float(np.clip(q + 0.05, 0.05, 0.95)), k) for f, d, q, k in copies]
    for _ in range(3):
        f = int(rng.randint(X_dev.shape[1]))
        rules.append(
            (f, "gt" if rng.rand() < 0.5 else "le", rng.uniform(0.2, 0.8), rng.randint(n_classes))
        )
    for f, direction, q, k in rules:
        t = float(np.quantile(X_dev[:, f], q))
        functions.append(_threshold_function(f, direction, t, k))
    for b in range(3):
        draw = rng.randint(X_dev.shape[0], size=X_dev.shape[0])
        tree = DecisionTreeClassifier(max_depth=3, random_state=seed + b).fit(
            X_dev[draw], y_dev[draw]
        )
        leaves = tree.apply(X_dev[draw])
        for leaf in np.unique(leaves):
            shares = np.bincount(y_dev[draw][leaves == leaf], minlength=n_classes)
            if shares.max() / shares.sum() >= 0.6:
                functions.append(_leaf_function(tree, int(leaf), int(np.argmax(shares))))
    return functions


def _threshold_function(f, direction, t, k):
    def vote(X):
        side = X[:, f] > t if direction == "gt" else X[:, f] <= t
        return np.where(side, k, -1)

    return vote


def _leaf_function(tree, leaf, k):
    def vote(X):
        return np.where(tree.apply(X) == leaf, k, -1)

    return vote


def apply_all(functions, X):
    return np.column_stack([f(X) for f in functions]).astype(np.int64)


# ------------------------------------------------------------------ label models
def _random_tie_argmax(scores, seed):
    rng = np.random.RandomState(seed)
    noise = rng.rand(*scores.shape) * 1e-9
    top = scores >= scores.max(axis=1, keepdims=True) - 1e-12
    return np.argmax(np.where(top, 1 + noise, 0), axis=1)


def label_column(column, L, n_classes, seed):
    """(hard labels of every row, fit seconds) of one label model."""
    start = time.perf_counter()
    if column == "MV":
        counts = np.stack([(k == L).sum(axis=1) for k in range(n_classes)], axis=1)
        labels = _random_tie_argmax(counts, seed)
    elif column == "snorkel":
        from snorkel.labeling.model import LabelModel as SnorkelLabelModel

        model = SnorkelLabelModel(cardinality=n_classes, verbose=False)
        model.fit(L, n_epochs=500, lr=0.01, seed=seed, progress_bar=False)
        labels = _random_tie_argmax(model.predict_proba(L), seed)
    else:
        method = column[3:]
        model = LabelModel() if method == "default" else LabelModel(method=method)
        model.set_params(n_classes=n_classes)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(L)
        labels = model.predict(L)
    return labels, time.perf_counter() - start


def make_end_model(name, seed):
    if name == "LR":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    return HistGradientBoostingClassifier(random_state=seed)


def end_model_scores(X_train, labels, covered, X_test, y_test, seed):
    scores = {}
    use = covered & (labels >= 0)
    for name in ("LR", "HGB"):
        if np.unique(labels[use]).shape[0] < 2:
            scores[name] = float(np.mean(y_test == np.bincount(labels[use]).argmax()))
            continue
        model = make_end_model(name, seed).fit(X_train[use], labels[use])
        scores[name] = float(np.mean(model.predict(X_test) == y_test))
    return scores


def wsc_scores(
    X_train, L_train, n_classes, X_test, y_test, seed, label_model_params=None, **params
):
    from sklweak.labeling import WeakSupervisionClassifier

    label_model = LabelModel(n_classes=n_classes, **(label_model_params or {}))
    scores = {}
    for name in ("LR", "HGB"):
        clf = WeakSupervisionClassifier(
            make_end_model(name, seed), label_model=label_model, **params
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.fit(X_train, L_train)
        scores[name] = float(np.mean(clf.predict(X_test) == y_test))
    return scores


# --------------------------------------------------------------------- running
def run(args):
    done = {(r["set"], r["seed"], r["column"]) for r in read_jsonl(args.results)}
    columns = LABEL_COLUMNS + ([] if args.no_end_models else [*WSC, "dev_supervised", "oracle"])
    if args.columns:
        columns = args.columns.split(",")
    commit = git_commit()
    for name in args.sets.split(","):
        X, y = load_any(name, args.data)
        y = np.unique(y, return_inverse=True)[1]
        n_classes = int(y.max()) + 1
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            todo = [c for c in columns if (name, seed, c) not in done]
            if not todo:
                continue
            X_train, y_train, X_test, y_test, dev = make_split(X, y, seed, args.pool_cap)
            functions = write_labeling_functions(X_train[dev], y_train[dev], n_classes, seed)
            L_train = apply_all(functions, X_train)
            covered = np.any(L_train >= 0, axis=1)
            for column in todo:
                record = {
                    "set": name,
                    "seed": seed,
                    "column": column,
                    "n_functions": L_train.shape[1],
                    "coverage": float(covered.mean()),
                    "commit": commit,
                }
                try:
                    if column.startswith("wsc"):
                        L_used = L_train
                        if column.startswith("wsc_dev"):
                            dev_labels = np.full(y_train.shape[0], -1)
                            dev_labels[dev] = y_train[dev]
                            L_used = np.column_stack([L_train, dev_labels])
                        record["end"] = wsc_scores(
                            X_train, L_used, n_classes, X_test, y_test, seed, **WSC[column]
                        )
                    elif column == "dev_supervised":
                        on_dev = np.zeros(y_train.shape[0], dtype=bool)
                        on_dev[dev] = True
                        record["end"] = end_model_scores(
                            X_train, y_train, on_dev, X_test, y_test, seed
                        )
                    elif column == "oracle":
                        record["end"] = end_model_scores(
                            X_train, y_train, covered, X_test, y_test, seed
                        )
                    else:
                        labels, seconds = label_column(column, L_train, n_classes, seed)
                        record["label_accuracy"] = float(
                            np.mean(labels[covered] == y_train[covered])
                        )
                        record["fit_seconds"] = seconds
                        if not args.no_end_models and column in END_COLUMNS:
                            record["end"] = end_model_scores(
                                X_train, labels, covered, X_test, y_test, seed
                            )
                except Exception as error:  # recorded, shown by --report
                    record["error"] = f"{type(error).__name__}: {error}"
                    traceback.print_exc()
                append_jsonl(args.results, record)
                print(json.dumps(record), flush=True)


def report(args):
    records = [r for r in read_jsonl(args.results) if "error" not in r]
    by = defaultdict(dict)
    for r in records:
        by[(r["set"], r["seed"])][r["column"]] = r
    sets = sorted({k[0] for k in by}, key=lambda s: (SETS + [s]).index(s))
    label_cols = [c for c in LABEL_COLUMNS if any(c in v for v in by.values())]
    print("Label accuracy on covered training rows (%, mean over seeds)\n")
    print("| set | seeds | LFs | coverage | " + " | ".join(label_cols) + " |")
    print("|---|---|---|---|" + "---|" * len(label_cols))
    per_col = defaultdict(list)
    for name in sets:
        cells = [v for (s, _), v in by.items() if s == name and all(c in v for c in label_cols)]
        if not cells:
            continue
        means = {c: 100 * np.mean([v[c]["label_accuracy"] for v in cells]) for c in label_cols}
        for c in label_cols:
            per_col[c].append(means[c])
        first = cells[0][label_cols[0]]
        print(
            f"| {name} | {len(cells)} | {first['n_functions']} | {first['coverage']:.2f} | "
            + " | ".join(f"{means[c]:.1f}" for c in label_cols)
            + " |"
        )
    if per_col:
        print(
            f"| **mean of {len(per_col[label_cols[0]])} sets** | | | | "
            + " | ".join(f"**{np.mean(per_col[c]):.2f}**" for c in label_cols)
            + " |"
        )
        best_peer = np.maximum(per_col["MV"], per_col["snorkel"])
        print("\nGain over the better of MV and snorkel per set, mean (points):\n")
        for c in label_cols:
            gain = np.array(per_col[c]) - best_peer
            print(f"- {c}: {gain.mean():+.2f} (sets below by > 1 point: {int(np.sum(gain < -1))})")
    for end in ("LR", "HGB"):
        cols = [c for c in END_COLUMNS if any("end" in v.get(c, {}) for v in by.values())]
        if not cols:
            continue
        print(f"\nEnd model {end}: test accuracy (%, mean over seeds)\n")
        print("| set | seeds | " + " | ".join(cols) + " |")
        print("|---|---|" + "---|" * len(cols))
        per = defaultdict(list)
        for name in sets:
            cells = [
                v
                for (s, _), v in by.items()
                if s == name and all("end" in v.get(c, {}) for c in cols)
            ]
            if not cells:
                continue
            means = {c: 100 * np.mean([v[c]["end"][end] for v in cells]) for c in cols}
            for c in cols:
                per[c].append(means[c])
            print(
                f"| {name} | {len(cells)} | " + " | ".join(f"{means[c]:.1f}" for c in cols) + " |"
            )
        if per:
            print(
                f"| **mean of {len(per[cols[0]])} sets** | | "
                + " | ".join(f"**{np.mean(per[c]):.2f}**" for c in cols)
                + " |"
            )
        if "MV" in per and "snorkel" in per:
            best_peer = np.maximum(np.mean(per["MV"]), np.mean(per["snorkel"]))
            per_set_peer = np.maximum(per["MV"], per["snorkel"])
            print(f"\nEnd model {end}, gain over the better of the MV and snorkel pipelines:\n")
            for c in cols:
                gain = np.array(per[c]) - per_set_peer
                print(
                    f"- {c}: {np.mean(per[c]) - best_peer:+.2f} over the better mean, "
                    f"{gain.mean():+.2f} over the better per set "
                    f"(sets below it by > 1 point: {int(np.sum(gain < -1))})"
                )


def speed(n_samples=1_000_000, n_functions=50, seed=0):
    """Seconds to fit and predict_proba a 1M x 50 vote matrix (binary, 30% coverage)."""
    rng = np.random.RandomState(seed)
    y = rng.randint(2, size=n_samples)
    accuracy = rng.uniform(0.55, 0.9, size=n_functions)
    right = rng.rand(n_samples, n_functions) < accuracy
    L = np.where(right, y[:, None], 1 - y[:, None])
    L[rng.rand(n_samples, n_functions) < 0.7] = -1
    print("| model | fit + predict_proba (s) |\n|---|---|")
    for column in ("sk_default", "sk_dawid_skene", "sk_majority_vote", "snorkel"):
        start = time.perf_counter()
        if column == "snorkel":
            from snorkel.labeling.model import LabelModel as SnorkelLabelModel

            model = SnorkelLabelModel(cardinality=2, verbose=False)
            model.fit(L, n_epochs=500, lr=0.01, seed=seed, progress_bar=False)
        else:
            method = column[3:]
            model = LabelModel() if method == "default" else LabelModel(method=method)
            model.fit(L)
        model.predict_proba(L)
        print(f"| {column} | {time.perf_counter() - start:.2f} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--columns", default=None, help="comma-separated subset of columns")
    parser.add_argument("--data", default=None)
    parser.add_argument("--results", default=DEFAULT_RESULTS)
    parser.add_argument("--no-end-models", action="store_true")
    parser.add_argument(
        "--pool-cap",
        type=int,
        default=POOL_CAP,
        help="most training rows (default: %(default)s; 300 for the small version)",
    )
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--speed", action="store_true", help="time 1M x 50 instead")
    args = parser.parse_args()
    if args.data is None:
        args.data = keel_raw_dir()
    if args.report:
        report(args)
        return
    with threadpool_limits(1):
        speed() if args.speed else run(args)


if __name__ == "__main__":
    main()
