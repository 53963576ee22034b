"""LLP benchmark: sklweak's LLP estimators beside llp-learn on Bank Marketing and KEEL.

Three parts, in one process:

(a) Bank Marketing as prepared by the LLP-BP paper (``DATA/bank_marketing_llp/
    bank_marketing.npz``, 16 standardized features, 11.6% positive): bags of
    consecutive training rows of size 8, 32, 128 and 512, as in the paper;
    instance-level test ROC AUC. Each seed shuffles the training rows before
    they are cut into bags (as ``bench_llp_bp.py`` does) and is the methods'
    ``random_state``. All 27126 training rows are used unless ``--bank-train``
    is given (a subsample of the shuffled rows); the test set is whole.
(b) KEEL raw data (``sklweak.datasets.load_keel``): magic, twonorm, spambase,
    phoneme (binary), satimage and penbased (multiclass); a stratified 70/30
    split, the training part subsampled to ``--keel-train`` rows (default
    1000) and standardized; random bags (``make_bags(method="random")``) and
    feature-clustered bags (k-means on the standardized features with
    ``n_train / bag_size`` clusters, each cluster one bag, so bag sizes
    vary); bag sizes 8, 32, 128, 256; test accuracy.
(c) llp-learn 1.6.0 (installed with ``--no-deps``) on the same bags: EM with
    logistic regression (Wu et al.'s label-EM), alter-SVM (linear; one
    restart, 20 alternations, to bound its cost) and DLLP (simple MLP with 100
    hidden units, one bag per step, 10 epochs). Its ``dllp`` module imports
    ``torchvision`` (for a ResNet it does not need here), which is not
    installed: the benchmark registers an empty stand-in module so the MLP
    variant can run. EM and alter-SVM are binary only.

Every method is one entry of ``METHODS`` (sklweak), ``PEERS`` (llp-learn) or
``ORACLES`` (trained on the instance labels). sklweak methods that do not exist
in the installed ``sklweak.llp`` are skipped by name.

Usage::

    python benchmarks/bench_llp.py                # full run (about 40 minutes on 2 idle cores)
    python benchmarks/bench_llp.py --quick        # bag sizes 8 and 128, one seed, 2 data sets
    python benchmarks/bench_llp.py --data DIR     # DIR/bank_marketing_llp/bank_marketing.npz
    python benchmarks/bench_llp.py --skip-bank --datasets magic twonorm   # parts
    python benchmarks/bench_llp.py --n-jobs 3    # settings in 3 processes (one thread each)
    python benchmarks/bench_llp.py --methods LLP-BP "oracle LR"   # only these rows
"""

import argparse
import contextlib
import io
import multiprocessing
import sys
import time
import types
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
from _common import append_jsonl, mean_std_cell, read_jsonl
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from sklweak import llp
from sklweak.datasets import load_keel, make_bags

BANK_BAG_SIZES = [8, 32, 128, 512]
KEEL_BAG_SIZES = [8, 32, 128, 256]
KEEL_DATASETS = ["magic", "twonorm", "spambase", "phoneme", "satimage", "penbased"]


def _sklweak(name, **params):
    """Factory of ``sklweak.llp.<name>(**params)``, or None when it does not exist."""
    cls = getattr(llp, name, None)
    if cls is None:
        return None
    return lambda seed, classes: cls(
        classes=classes,
        **params,
        **({"random_state": seed} if "random_state" in cls().get_params() else {}),
    )


METHODS = {
    "EasyLLP (squared)": _sklweak("EasyLLPClassifier"),
    "EasyLLP (log)": _sklweak("EasyLLPClassifier", loss="log"),
    "EasyLLP (MLP, squared)": _sklweak("EasyLLPClassifier", model="mlp", max_iter=50, device="cpu"),
    "proportion-weighted LR": lambda seed, classes: llp.ProportionWeightedClassifier(
        LogisticRegression(max_iter=1000), classes=classes
    ),
    "LLP-BP": _sklweak("LLPBPClassifier"),
    "DLLP (MLP)": _sklweak("DLLPClassifier", max_iter=30),
}
METHODS = {name: factory for name, factory in METHODS.items() if factory is not None}

ORACLES = {
    "oracle LR": lambda seed: LogisticRegression(max_iter=1000),
    # No early stopping: on Bank (88% negatives) its accuracy-based validation
    # stops after a few epochs at a near-constant model.
    "oracle MLP": lambda seed: MLPClassifier(
        hidden_layer_sizes=(100,), max_iter=100, random_state=seed
    ),
}


# --- llp-learn ---------------------------------------------------------------


def _import_llp_learn():
    """Import llp-learn's EM, alter-SVM and DLLP; record why any fails."""
    found, failures = {}, {}
    try:
        from llp_learn.em import EM

        found["EM"] = EM
    except Exception as exc:  # noqa: BLE001 - reported in the output
        failures["EM"] = f"{type(exc).__name__}: {exc}"
    try:
        from llp_learn.alter import alterSVM

        found["alterSVM"] = alterSVM
    except Exception as exc:  # noqa: BLE001
        failures["alterSVM"] = f"{type(exc).__name__}: {exc}"
    try:
        import llp_learn.dllp  # noqa: F401
    except ModuleNotFoundError as exc:
        failures["DLLP-import"] = f"{type(exc).__name__}: {exc}"
        if exc.name == "torchvision":
            stand_in = types.ModuleType("torchvision")
            stand_in.models = types.ModuleType("torchvision.models")
            stand_in.models.resnet18 = None
            sys.modules["torchvision"] = stand_in
            sys.modules["torchvision.models"] = stand_in.models
    try:
        from llp_learn.dllp import DLLP

        found["DLLP"] = DLLP
    except Exception as exc:  # noqa: BLE001
        failures["DLLP"] = f"{type(exc).__name__}: {exc}"
    return found, failures


LLP_LEARN, LLP_LEARN_FAILURES = _import_llp_learn()


class _Peer:
    """llp-learn method behind ``fit(X, bags, proportions)`` / ``scores(X)``."""

    binary_only = True

    def __init__(self, seed):
        self.seed = seed

    def predict(self, X):
        return np.argmax(self.scores(X), axis=1)


class _PeerEM(_Peer):
    def fit(self, X, bags, proportions):
        self.model = LLP_LEARN["EM"](
            LogisticRegression(max_iter=1000),
            init_y="random",
            max_iter=100,
            random_state=self.seed,
        )
        self.model.fit(X, bags, proportions[:, 1])
        return self

    def scores(self, X):
        p = self.model.score_function(X)
        return np.column_stack([1 - p, p])


class _PeerAlterSVM(_Peer):
    def fit(self, X, bags, proportions):
        self.model = LLP_LEARN["alterSVM"](max_iter=20, num_exec=1, random_state=self.seed)
        self.model.fit(X, bags, proportions[:, 1])
        return self

    def scores(self, X):
        s = self.model.model.decision_function(X)
        return np.column_stack([-s, s])


class _PeerDLLP(_Peer):
    binary_only = False

    def fit(self, X, bags, proportions):
        import torch

        torch.set_num_threads(1)
        self.model = LLP_LEARN["DLLP"](
            lr=1e-3,
            n_epochs=10,
            model_type="simple-mlp",
            hidden_layer_sizes=(100,),
            device="cpu",
            n_jobs=0,
            random_state=self.seed,
        )
        X = X.astype(np.float32)
        shares = proportions[:, 1] if proportions.shape[1] == 2 else proportions
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            self.model.fit(X, bags, shares.astype(np.float32))
        return self

    def scores(self, X):
        import torch

        net = self.model.model
        net.eval()
        with torch.no_grad():
            return torch.softmax(net(torch.as_tensor(X, dtype=torch.float32)), 1).numpy()


PEERS = {
    "llp-learn EM (LR)": (_PeerEM, "EM"),
    "llp-learn alter-SVM": (_PeerAlterSVM, "alterSVM"),
    "llp-learn DLLP (MLP)": (_PeerDLLP, "DLLP"),
}
PEERS = {name: cls for name, (cls, key) in PEERS.items() if key in LLP_LEARN}


# --- bags and scoring ----------------------------------------------------------


def bag_shares(bags, y, n_classes):
    counts = np.zeros((bags.max() + 1, n_classes))
    np.add.at(counts, (bags, y), 1.0)
    return counts / counts.sum(axis=1, keepdims=True)


def kmeans_bags(X, bag_size, seed):
    n_clusters = max(2, round(X.shape[0] / bag_size))
    labels = KMeans(n_clusters, n_init=1, random_state=seed).fit_predict(X)
    return np.unique(labels, return_inverse=True)[1]


def _scores(model, X):
    if hasattr(model, "scores"):
        return model.scores(X)
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)
    return model.decision_function(X)


def evaluate(model, X_test, y_test, metric):
    scores = _scores(model, X_test)
    if metric == "auc":
        if scores.ndim == 2:
            # Ranking by the log-odds keeps ties apart where probabilities saturate.
            with np.errstate(divide="ignore"):
                scores = np.log(scores[:, 1]) - np.log(scores[:, 0])
            scores = np.nan_to_num(scores)
        return roc_auc_score(y_test, scores)
    predicted = np.argmax(scores, axis=1) if scores.ndim == 2 else scores > 0
    return float(np.mean(predicted == y_test))


def run_setting(X, y, X_test, y_test, bags, seed, metric, results, times, failures, key, only=None):
    n_classes = int(y.max()) + 1
    classes = np.arange(n_classes)
    shares = bag_shares(bags, y, n_classes)
    Y = llp.make_bag_target(bags, shares)
    entries = [(name, "sklweak", f) for name, f in METHODS.items()]
    entries += [(name, "peer", cls) for name, cls in PEERS.items()]
    for name, kind, factory in entries:
        if only is not None and name not in only:
            continue
        if kind == "peer" and factory.binary_only and n_classes > 2:
            continue
        model = factory(seed, classes) if kind == "sklweak" else factory(seed)
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", UserWarning)
                if kind == "sklweak":
                    model.fit(X, Y)
                else:
                    model.fit(X, bags, shares)
        except Exception as exc:  # noqa: BLE001 - a peer's failure is a result
            failures[name].add(f"{type(exc).__name__}: {str(exc)[:160]}")
            continue
        times[key + (name,)].append(time.perf_counter() - start)
        results[key + (name,)].append(evaluate(model, X_test, y_test, metric))


def run_oracles(X, y, X_test, y_test, seed, metric, results, times, key, only=None):
    for name, factory in ORACLES.items():
        if only is not None and name not in only:
            continue
        model = factory(seed)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        times[key + (name,)].append(time.perf_counter() - start)
        results[key + (name,)].append(evaluate(model, X_test, y_test, metric))


def _cell(values):
    return mean_std_cell(values) if values else "—"


def _names():
    return list(METHODS), list(PEERS), list(ORACLES)


def _best(results, key, names):
    means = [np.mean(results[key + (n,)]) for n in names if results.get(key + (n,))]
    return max(means) if means else np.nan


# --- running settings, in parallel processes when asked -------------------------


def _merge(parts):
    results, times, failures = defaultdict(list), defaultdict(list), defaultdict(set)
    for part_results, part_times, part_failures in parts:
        for key, values in part_results.items():
            results[key].extend(values)
        for key, values in part_times.items():
            times[key].extend(values)
        for key, values in part_failures.items():
            failures[key] |= values
    return results, times, failures


def _call(task):
    function, args = task
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    with threadpool_limits(limits=1):
        return repr(args), function(*args)


def _to_record(task_id, part):
    results, times, failures = part
    return {
        "task": task_id,
        "results": [[list(k), v] for k, v in results.items()],
        "times": [[list(k), v] for k, v in times.items()],
        "failures": [[k, sorted(v)] for k, v in failures.items()],
    }


def _from_record(record):
    part = (
        defaultdict(list, {tuple(k): v for k, v in record["results"]}),
        defaultdict(list, {tuple(k): v for k, v in record["times"]}),
        defaultdict(set, {k: set(v) for k, v in record["failures"]}),
    )
    return record["task"], part


def run_tasks(tasks, n_jobs, save=None, report_only=False):
    """Run ``(function, args)`` tasks returning (results, times, failures); merge them.

    With ``save``, each finished task is appended to that JSON-lines file as
    it ends, and tasks already there are read back instead of run again;
    ``report_only`` runs nothing and reports what ``save`` holds.
    """
    done = dict(_from_record(record) for record in read_jsonl(save))
    todo = [task for task in tasks if repr(task[1]) not in done and not report_only]
    parts = [done[repr(task[1])] for task in tasks if repr(task[1]) in done]

    def collect(finished):
        for task_id, part in finished:
            parts.append(part)
            if save is not None:
                append_jsonl(save, _to_record(task_id, part))

    if n_jobs == 1 or len(todo) <= 1:
        collect(_call(task) for task in todo)
    else:
        # fork: the workers inherit the llp-learn imports (and the torchvision stand-in).
        with multiprocessing.get_context("fork").Pool(n_jobs, maxtasksperchild=1) as pool:
            collect(pool.imap_unordered(_call, todo))
    return _merge(parts)


# --- (a) Bank Marketing -----------------------------------------------------


def _bank_data(data_dir, seed, n_train):
    data = np.load(Path(data_dir) / "bank_marketing_llp" / "bank_marketing.npz")
    order = np.random.default_rng(seed).permutation(data["X_train"].shape[0])[:n_train]
    X, y = data["X_train"][order].astype(np.float64), data["y_train"][order].astype(int)
    return X, y, data["X_test"].astype(np.float64), data["y_test"].astype(int)


def _bank_task(data_dir, seed, size, n_train, method):
    results, times, failures = defaultdict(list), defaultdict(list), defaultdict(set)
    X, y, X_test, y_test = _bank_data(data_dir, seed, n_train)
    start = time.perf_counter()
    if size is None:
        run_oracles(X, y, X_test, y_test, seed, "auc", results, times, ("oracle",), [method])
    else:
        bags = np.arange(X.shape[0]) // size
        run_setting(
            X, y, X_test, y_test, bags, seed, "auc", results, times, failures, (size,), [method]
        )
    print(
        f"# bank: {method}, bag size {size or '-'}, seed {seed}: "
        f"{time.perf_counter() - start:.0f} s",
        flush=True,
    )
    return results, times, failures


def bank(data_dir, bag_sizes, seeds, n_train, failures, n_jobs=1, save=None, report_only=False):
    X, _, X_test, _ = _bank_data(data_dir, 0, n_train)
    # Method by method (in the order of the table), seed by seed: a run stopped
    # early with --save keeps every finished cell.
    ours, peers, oracles = _names()
    # The costly rows (neural nets trained bag by bag, alter-SVM) last.
    costly = {"DLLP (MLP)", "oracle MLP", "llp-learn alter-SVM", "EasyLLP (MLP, squared)"}
    tasks = []
    for late in (False, True):
        for seed in seeds:
            tasks += [
                (_bank_task, (data_dir, seed, None, n_train, name))
                for name in oracles
                if (name in costly) == late
            ]
            tasks += [
                (_bank_task, (data_dir, seed, size, n_train, name))
                for name in ours + peers
                if (name in costly) == late
                for size in bag_sizes
            ]
    results, times, task_failures = run_tasks(tasks, n_jobs, save, report_only)
    for key, values in task_failures.items():
        failures[key] |= values
    ours, peers, oracles = _names()
    print(
        f"\n### (a) Bank Marketing: test ROC AUC (%), mean ± sd over {len(seeds)} seed(s)\n\n"
        f"{X.shape[0]} training rows (shuffled by the seed) in bags of consecutive rows, "
        f"{X_test.shape[0]} test rows.\n"
    )
    header = "| method | " + " | ".join(f"k={s}" for s in bag_sizes) + " | fit s (k=8) |"
    print(header)
    print("|" + "---|" * (len(bag_sizes) + 2))
    for name in ours + peers:
        cells = [_cell(results[(s, name)]) for s in bag_sizes]
        t = times.get((bag_sizes[0], name))
        print(
            f"| {name} | " + " | ".join(cells) + f" | {np.mean(t):.1f} |"
            if t
            else f"| {name} | " + " | ".join(cells) + " | — |"
        )
    for name in oracles:
        cell = _cell(results[("oracle", name)])
        spent = times[("oracle", name)]
        print(
            f"| {name} (instance labels) | "
            + " | ".join([cell] * len(bag_sizes))
            + (f" | {np.mean(spent):.1f} |" if spent else " | — |")
        )
    if ours and peers:
        ratio = [_best(results, (s,), ours) / _best(results, (s,), peers) for s in bag_sizes]
        print("| best sklweak / best llp-learn | " + " | ".join(f"{r:.3f}" for r in ratio) + " | |")
    if "LLP-BP" in ours and oracles:
        oracle = max(np.mean(results[("oracle", n)]) for n in oracles if results.get(("oracle", n)))
        gap = [100 * (oracle - np.mean(results[(s, "LLP-BP")])) for s in bag_sizes]
        print(
            "| LLP-BP: points below the best oracle | "
            + " | ".join(f"{g:.1f}" for g in gap)
            + " | |"
        )
        if peers:
            lead = [
                100 * (np.mean(results[(s, "LLP-BP")]) - _best(results, (s,), peers))
                for s in bag_sizes
            ]
            print(
                "| LLP-BP minus best llp-learn (points) | "
                + " | ".join(f"{g:+.1f}" for g in lead)
                + " | |"
            )


# --- (b) KEEL ------------------------------------------------------------------


def _keel_data(name, seed, n_train):
    X_all, y_all = load_keel(name)
    y_all = np.unique(y_all, return_inverse=True)[1]
    X, X_test, y, y_test = train_test_split(
        X_all, y_all, test_size=0.3, stratify=y_all, random_state=seed
    )
    if X.shape[0] > n_train:
        X, _, y, _ = train_test_split(X, y, train_size=n_train, stratify=y, random_state=seed)
    scaler = StandardScaler().fit(X)
    return scaler.transform(X), y, scaler.transform(X_test), y_test, int(y_all.max()) + 1


def _keel_task(name, seed, size, n_train):
    results, times, failures = defaultdict(list), defaultdict(list), defaultdict(set)
    X, y, X_test, y_test, _ = _keel_data(name, seed, n_train)
    if size is None:
        run_oracles(X, y, X_test, y_test, seed, "acc", results, times, (name, "oracle"))
    else:
        for how in ("random", "k-means"):
            if how == "random":
                bags, _, _ = make_bags(X, y, bag_size=size, random_state=seed)
            else:
                bags = kmeans_bags(X, size, seed)
            run_setting(
                X, y, X_test, y_test, bags, seed, "acc", results, times, failures, (name, how, size)
            )
    print(f"# keel: {name} bag size {size or 'oracle'} seed {seed} done", flush=True)
    return results, times, failures


def keel(datasets, bag_sizes, seeds, n_train, failures, n_jobs=1, save=None, report_only=False):
    shapes = {}
    for name in datasets:
        X, _, X_test, _, n_classes = _keel_data(name, 0, n_train)
        shapes[name] = (X.shape[0], X_test.shape[0], X.shape[1], n_classes)
    tasks = [
        (_keel_task, (name, seed, size, n_train))
        for seed in seeds
        for name in datasets
        for size in [*bag_sizes, None]
    ]
    results, times, task_failures = run_tasks(tasks, n_jobs, save, report_only)
    for key, values in task_failures.items():
        failures[key] |= values
    ours, peers, oracles = _names()
    names = ours + peers
    print(
        f"\n### (b, c) KEEL: test accuracy (%), mean over {len(seeds)} seed(s)\n\n"
        "Training part: "
        + ", ".join(
            f"{n} {s[0]} train / {s1} test, {s[2]} features, {s[3]} classes"
            for n, s in shapes.items()
            for s1 in [s[1]]
        )
        + ".\n"
    )
    for how in ("random", "k-means"):
        print(f"\n#### {how} bags\n")
        columns = names + list(oracles) + ["best sklweak / best llp-learn"]
        print("| data | k | " + " | ".join(columns) + " |")
        print("|" + "---|" * (len(columns) + 2))
        for name in datasets:
            for size in bag_sizes:
                key = (name, how, size)
                cells = [_cell(results[key + (n,)]) for n in names]
                oracle = [_cell(results[(name, "oracle", n)]) for n in oracles]
                ratio = _best(results, key, ours) / _best(results, key, peers)
                print(f"| {name} | {size} | " + " | ".join(cells + oracle) + f" | {ratio:.3f} |")
    print("\nMean fit time (s) over all KEEL settings:")
    for n in names:
        spent = [t for k, v in times.items() if k[-1] == n and k[1] != "oracle" for t in v]
        if spent:
            print(f"- {n}: {np.mean(spent):.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="bag sizes 8 and 128, one seed, magic and satimage"
    )
    parser.add_argument("--data", default="../shared/data", help="shared data directory")
    parser.add_argument("--seeds", type=int, default=3, help="seeds for Bank Marketing")
    parser.add_argument("--keel-seeds", type=int, default=1)
    parser.add_argument(
        "--bank-train",
        type=int,
        default=None,
        help="subsample of the (shuffled) Bank training rows; default all",
    )
    parser.add_argument("--keel-train", type=int, default=1000)
    parser.add_argument("--datasets", nargs="*", default=None, help="KEEL data sets")
    parser.add_argument("--skip-bank", action="store_true")
    parser.add_argument("--skip-keel", action="store_true")
    parser.add_argument(
        "--n-jobs", type=int, default=1, help="settings run in this many processes, one thread each"
    )
    parser.add_argument(
        "--save",
        default=None,
        help="JSON-lines file: each finished task is appended; tasks "
        "already there are not run again (resume, or report)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="with --save: print the tables of what is saved, run nothing",
    )
    parser.add_argument(
        "--methods",
        nargs="*",
        default=None,
        help="run only these rows (method, peer or oracle names)",
    )
    args = parser.parse_args()
    if args.quick:
        bank_sizes, keel_sizes, seeds, keel_seeds = [8, 128], [8, 128], [0], [0]
        datasets, bank_train, keel_train = ["magic", "satimage"], 3000, 1000
    else:
        bank_sizes, keel_sizes = BANK_BAG_SIZES, KEEL_BAG_SIZES
        seeds, keel_seeds = list(range(args.seeds)), list(range(args.keel_seeds))
        datasets = args.datasets or KEEL_DATASETS
        bank_train, keel_train = args.bank_train, args.keel_train
    if args.methods is not None:
        for table in (METHODS, PEERS, ORACLES):
            for name in [n for n in table if n not in args.methods]:
                del table[name]
    print("sklweak methods:", ", ".join(METHODS))
    print("llp-learn methods:", ", ".join(PEERS))
    for name, why in LLP_LEARN_FAILURES.items():
        print(f"llp-learn {name} did not import: {why}")
    failures = defaultdict(set)
    with threadpool_limits(limits=1):
        if not args.skip_bank:
            bank(
                args.data,
                bank_sizes,
                seeds,
                bank_train,
                failures,
                args.n_jobs,
                args.save and f"{args.save}.bank.jsonl",
                args.report_only,
            )
        if not args.skip_keel:
            keel(
                datasets,
                keel_sizes,
                keel_seeds,
                keel_train,
                failures,
                args.n_jobs,
                args.save and f"{args.save}.keel.jsonl",
                args.report_only,
            )
    for name, messages in failures.items():
        for message in sorted(messages):
            print(f"- {name} failed: {message}")


if __name__ == "__main__":
    main()
