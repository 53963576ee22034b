"""Does unlabeled data help? Semi-supervised methods against the supervised base.

The measurement of issue 14. For each data set, training size, label rate,
base classifier and seed: a stratified train/test split (the test part is the
same for every size), the training part subsampled (stratified) to the size,
features standardized on the training part, a stratified set of labeled rows
(``rate`` of each class, at least 2), the rest unlabeled (``-1``). Every
method is fitted on the same split and scored by test accuracy; its fit time
is recorded. Every library runs single-threaded in this one process
(threadpoolctl, ``n_jobs=1``).

Data: the 15 sets of ``bench_self_training.py`` (14 KEEL raw sets and
digits, with that script's caps) and scikit-learn's breast_cancer and wine.
Sizes: ``300`` and ``1000`` (the training part subsampled to that many rows;
a set whose training part is not larger has no such cell, its ``full`` cell
is the same data) and ``full`` (the training part capped per base by
``POOL_CAP``).

Methods (columns) are the entries of ``METHODS``, a table of named factories
``factory(base, seed) -> estimator``: ``base`` is an unfitted clone of the
cell's base classifier, ``seed`` the integer seed of the split. The estimator
is fitted on ``(X, y)`` with ``-1`` for unlabeled rows and must predict test
rows. To add a column, add an entry, for example::

    from sklweak import SafeSemiSupervisedClassifier

    METHODS["safe"] = lambda base, seed: SafeSemiSupervisedClassifier(
        base, random_state=seed
    )

``supervised`` (the base on the labeled rows) and ``sklearn`` (scikit-learn's
SelfTrainingClassifier) are the references of the report. sslearn's CoForest
gets the cell's base as its member classifier. A factory that raises
``ImportError`` (a method that does not exist yet) is skipped with a note and
nothing is recorded; any other error, in fit or predict, is recorded with its
message and shown as such by ``--report``.

Results: one JSON line per (set, size, rate, base, seed, method) appended to
``--results``; a rerun skips what is recorded (``--retry-errors`` reruns the
recorded failures). ``--report`` prints markdown tables from the results:
per cell the mean accuracy over seeds of every method, then per method, over
the cells where it and the references share seeds, the mean gain over
supervised (points), the cells more than 1 and 2 points below supervised and
more than 1 point above, the gain over scikit-learn's self-training and the
median ratio of fit time to it; also per size and per base.

Usage::

    python benchmarks/bench_safe_ssl.py --quick
    python benchmarks/bench_safe_ssl.py --sizes 300 --sets pima,wine [--seeds 5]
    python benchmarks/bench_safe_ssl.py --report [--results PATH]
"""

import argparse
import os
import re
import sys
import time
import traceback
import warnings
from collections import defaultdict

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.semi_supervised import SelfTrainingClassifier as SklearnSelfTraining
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (
    append_jsonl,
    git_commit,
    keel_raw_dir,
    load_any,
    markdown_table,
    read_jsonl,
)
from bench_self_training import KEEL_SETS, TEST_CAP, make_split

from sklweak.self_training import (
    SelfTrainingClassifier,
    TriTrainingClassifier,
)

SETS = KEEL_SETS + ["digits", "breast_cancer", "wine"]
SIZES = ["300", "1000", "full"]
RATES = [0.05, 0.10]
BASES = ["LR", "SVC", "HGB", "RF"]
# Largest training part (labeled + unlabeled) of the ``full`` size per base:
# bench_self_training.py's caps for LR and SVC; the tree ensembles as LR.
POOL_CAP = {"LR": 4000, "SVC": 1000, "HGB": 4000, "RF": 4000}
DEFAULT_RESULTS = os.path.join(os.path.dirname(__file__), "out", "safe_ssl.jsonl")
REFERENCE = "supervised"
PEER = "sklearn"


class LabeledRowsOnly:
    """The base classifier fitted on the labeled rows only (``y != -1``)."""

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y):
        labeled = y != -1
        self.estimator_ = clone(self.estimator).fit(X[labeled], y[labeled])
        return self

    def predict(self, X):
        return self.estimator_.predict(X)


def _sslearn(name):
    def factory(base, seed):
        from sslearn import wrapper

        if name == "CoForest":
            return wrapper.CoForest(base, random_state=seed, n_jobs=1)
        return getattr(wrapper, name)(base, random_state=seed, n_jobs=1)

    return factory


CAREFUL = {
    "confidence_cv": 3,
    "class_balanced": True,
    "confidence_weighting": True,
    "editing_alpha": 0.05,
    "early_stopping": True,
}

METHODS = {
    "supervised": lambda base, seed: LabeledRowsOnly(base),
    "sklearn": lambda base, seed: SklearnSelfTraining(base),
    "default": lambda base, seed: SelfTrainingClassifier(base),
    "adaptive": lambda base, seed: SelfTrainingClassifier(
        base, criterion="adaptive", class_balanced=False
    ),
    "tri": lambda base, seed: TriTrainingClassifier(base, random_state=seed),
    "sslearn_setred": _sslearn("Setred"),
    "sslearn_tri": _sslearn("TriTraining"),
    "sslearn_coforest": _sslearn("CoForest"),
    # Issue 14's safe estimator with its defaults, and self-training with the
    # small-data options (cross-fitted confidences, class proportions,
    # confidence weights, SETRED editing, labeled-row early stopping).
    "safe": lambda base, seed: _safe_estimator(base, seed),
    "careful": lambda base, seed: SelfTrainingClassifier(base, criterion="threshold", **CAREFUL),
    # Issue 19 item 16 (self-training's defaults): each criterion named
    # explicitly, the small-data options with the adaptive criterion, one at a
    # time and all together.
    "threshold": lambda base, seed: SelfTrainingClassifier(base, criterion="threshold"),
    "adaptive_careful": lambda base, seed: SelfTrainingClassifier(
        base, criterion="adaptive", **CAREFUL
    ),
    **{
        f"adaptive_{name}": (
            lambda base, seed, option=option: SelfTrainingClassifier(
                base, criterion="adaptive", **{"class_balanced": False, **option}
            )
        )
        for name, option in [
            ("cv", {"confidence_cv": 3}),
            ("balanced", {"class_balanced": True}),
            ("weighted", {"confidence_weighting": True}),
            ("editing", {"editing_alpha": 0.05}),
            ("stopping", {"early_stopping": True}),
            ("t90", {"threshold": 0.9}),
            ("t60", {"threshold": 0.6}),
            ("relabel", {"relabel": True}),
            ("iter30", {"max_iter": 30}),
            ("be", {"class_balanced": True, "editing_alpha": 0.05}),
            ("bes", {"class_balanced": True, "editing_alpha": 0.05, "early_stopping": True}),
        ]
    },
    # Issue 19 item 16: co-training (random feature halves), tri-training and
    # the safe estimator with their defaults and one parameter changed.
    "cotraining": lambda base, seed: _classical(
        "CoTrainingClassifier", base=base, random_state=seed
    ),
    "cotraining_pool150": lambda base, seed: _classical(
        "CoTrainingClassifier", base=base, pool_size=150, random_state=seed
    ),
    "cotraining_iter10": lambda base, seed: _classical(
        "CoTrainingClassifier", base=base, max_iter=10, random_state=seed
    ),
    "tri_iter10": lambda base, seed: TriTrainingClassifier(base, max_iter=10, random_state=seed),
    "safe_repeats2": lambda base, seed: _safe_estimator(base, seed, n_repeats=2),
    # Issue 14 item 3: the classical methods, each with the cell's base.
    "setred": lambda base, seed: _classical("SETREDClassifier", base=base, random_state=seed),
    "coforest": lambda base, seed: _classical("CoForestClassifier", base=base, random_state=seed),
    # Democratic co-learning votes learners of different kinds: the cell's base
    # with naive Bayes and 3-NN (the paper's C4.5 is replaced by the base), the
    # same three for sslearn.
    "democratic": lambda base, seed: _classical(
        "DemocraticCoLearningClassifier", estimators=_democratic_learners(base), random_state=seed
    ),
    "sslearn_democratic": lambda base, seed: _sslearn_democratic(base, seed),
    "assemble": lambda base, seed: _classical("AssembleClassifier", base=base, random_state=seed),
    "semiboost": lambda base, seed: _classical("SemiBoostClassifier", base=base, random_state=seed),
    # LapSVM has no base classifier: the same model in every base's cells.
    "lapsvm": lambda base, seed: _classical("LapSVMClassifier"),
}


def _democratic_learners(base):
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier

    return [base, GaussianNB(), KNeighborsClassifier(n_neighbors=3)]


def _sslearn_democratic(base, seed):
    from sslearn.wrapper import DemocraticCoLearning

    return DemocraticCoLearning(_democratic_learners(base), random_state=seed)


def _classical(name, **params):
    """A sklweak estimator by name (ImportError while it does not exist yet)."""
    import sklweak.lowdensity
    import sklweak.self_training

    for module in (sklweak.self_training, sklweak.lowdensity):
        if hasattr(module, name):
            cls = getattr(module, name)
            if "base" in params:
                params["estimator"] = params.pop("base")
            return cls(**params)
    raise ImportError(f"sklweak has no {name} yet")


def _safe_estimator(base, seed, **params):
    from sklweak import SafeSemiSupervisedClassifier

    return SafeSemiSupervisedClassifier(base, random_state=seed, **params)


def make_base(name, seed):
    if name == "LR":
        return LogisticRegression(max_iter=1000)
    if name == "SVC":
        return SVC(probability=True, random_state=seed)
    if name == "HGB":
        return HistGradientBoostingClassifier(random_state=seed)
    if name == "RF":
        return RandomForestClassifier(random_state=seed, n_jobs=1)
    raise ValueError(f"unknown base {name!r}; expected one of {BASES}")


def _key(record):
    return (
        record["set"],
        record["size"],
        record["rate"],
        record["base"],
        record["seed"],
        record["method"],
    )


def fit_and_score(factory, base, seed, X, y_weak, X_test, y_test):
    """Fit one method; the record's accuracy and fit time, or its error."""
    try:
        estimator = factory(clone(base), seed)
        start = time.perf_counter()
        estimator.fit(X, y_weak)
        fit_time = time.perf_counter() - start
        accuracy = float(np.mean(np.asarray(estimator.predict(X_test)) == y_test))
    except ImportError:
        raise
    except Exception as error:  # noqa: BLE001 (a peer's crash is a result)
        last = traceback.extract_tb(error.__traceback__)[-1]
        return {
            "error": f"{type(error).__name__}: {error}"[:300],
            "where": f"{os.path.basename(last.filename)}:{last.lineno}",
        }
    return {"accuracy": accuracy, "fit_time": fit_time}


def _n_train(n_samples):
    """Rows of ``make_split``'s training part before any cap."""
    return n_samples - int(np.ceil(min(0.25, TEST_CAP / n_samples) * n_samples))


def run(args):
    done = {_key(r): r for r in read_jsonl(args.results)}
    if args.retry_errors:
        done = {k: r for k, r in done.items() if "error" not in r}
    data_dir = args.data or keel_raw_dir()
    unavailable = set()
    commit = git_commit()  # tells results of changed defaults apart
    warnings.filterwarnings("ignore")
    with threadpool_limits(limits=1):
        for set_name in args.sets:
            X_all, y_all = load_any(set_name, data_dir)
            for size in args.sizes:
                for rate in args.rates:
                    for base_name in args.bases:
                        if size != "full" and _n_train(y_all.shape[0]) <= int(size):
                            continue  # the training part is not larger than the size
                        cap = POOL_CAP[base_name] if size == "full" else int(size)
                        for seed in args.seeds:
                            cell = {
                                "set": set_name,
                                "size": size,
                                "rate": rate,
                                "base": base_name,
                                "seed": seed,
                            }
                            todo = [
                                m
                                for m in args.methods
                                if m not in unavailable and _key({**cell, "method": m}) not in done
                            ]
                            if not todo:
                                continue
                            X, y_weak, X_test, y_test = make_split(X_all, y_all, rate, seed, cap)
                            base = make_base(base_name, seed)
                            for method in todo:
                                try:
                                    result = fit_and_score(
                                        METHODS[method],
                                        base,
                                        seed,
                                        X,
                                        y_weak,
                                        X_test,
                                        y_test,
                                    )
                                except ImportError as error:
                                    print(f"skipping {method}: {error}", flush=True)
                                    unavailable.add(method)
                                    continue
                                record = {
                                    **cell,
                                    "method": method,
                                    "n_train": int(X.shape[0]),
                                    "n_labeled": int(np.sum(y_weak != -1)),
                                    "n_test": int(y_test.shape[0]),
                                    "commit": commit,
                                    **result,
                                }
                                append_jsonl(args.results, record)
                            print(
                                f"{set_name} size={size} rate={rate} base={base_name}"
                                f" seed={seed}: {len(todo)} methods",
                                flush=True,
                            )


# ---------------------------------------------------------------- report


def _cells(records):
    """{(set, size, rate, base): {method: {seed: record}}}, last record wins."""
    cells = defaultdict(lambda: defaultdict(dict))
    for r in records:
        cells[(r["set"], r["size"], r["rate"], r["base"])][r["method"]][r["seed"]] = r
    return cells


def _paired(by_seed, other):
    """Seeds where both methods have an accuracy."""
    return sorted(
        s for s in by_seed if "accuracy" in by_seed[s] and s in other and "accuracy" in other[s]
    )


def _mean_acc(by_seed, seeds, field="accuracy"):
    return float(np.mean([by_seed[s][field] for s in seeds]))


def _cell_text(by_seed, n_seeds):
    ok = [s for s, r in by_seed.items() if "accuracy" in r]
    errors = len(by_seed) - len(ok)
    text = f"{100 * _mean_acc(by_seed, ok):.1f}" if ok else "error"
    if errors and ok:
        text += f" ({errors} err)"
    if len(by_seed) < n_seeds:
        text += f" [{len(by_seed)}/{n_seeds}]"
    return text


def summarize(cells, methods, peer=PEER):
    """Per method: the issue's numbers over the cells it shares with the references.

    The gain and fit-time ratio columns compare with ``peer`` (scikit-learn's
    self-training unless ``--peer`` names another method).
    """
    rows = []
    for method in methods:
        gains, below1, below2, above1, vs_peer, ratios = [], 0, 0, 0, [], []
        errors = sum(sum("error" in r for r in c.get(method, {}).values()) for c in cells.values())
        for by_method in cells.values():
            if method not in by_method or REFERENCE not in by_method:
                continue
            seeds = _paired(by_method[method], by_method[REFERENCE])
            if not seeds:
                continue
            gain = 100 * (
                _mean_acc(by_method[method], seeds) - _mean_acc(by_method[REFERENCE], seeds)
            )
            gains.append(gain)
            below1 += gain < -1
            below2 += gain < -2
            above1 += gain > 1
            peer_seeds = _paired(by_method[method], by_method.get(peer, {}))
            if peer_seeds:
                vs_peer.append(
                    100
                    * (
                        _mean_acc(by_method[method], peer_seeds)
                        - _mean_acc(by_method[peer], peer_seeds)
                    )
                )
                peer_time = _mean_acc(by_method[peer], peer_seeds, "fit_time")
                ratios.append(
                    _mean_acc(by_method[method], peer_seeds, "fit_time") / max(peer_time, 1e-9)
                )
        if not gains and not errors:
            continue
        rows.append(
            [
                method,
                str(len(gains)),
                f"{np.mean(gains):+.2f}" if gains else "-",
                str(below1),
                str(below2),
                str(above1),
                f"{np.mean(vs_peer):+.2f}" if vs_peer else "-",
                f"{np.median(ratios):.2f}" if ratios else "-",
                str(errors),
            ]
        )
    return rows


SUMMARY_HEADER = [
    "method",
    "cells",
    "mean gain over supervised (points)",
    "cells > 1 point below",
    "cells > 2 points below",
    "cells > 1 point above",
    "gain over sklearn self-training (points)",
    "median fit-time ratio to sklearn self-training",
    "failed fits",
]


def report(args):
    records = read_jsonl(args.results)
    records = [
        r
        for r in records
        if r["set"] in args.sets
        and r["size"] in args.sizes
        and r["rate"] in args.rates
        and r["base"] in args.bases
        and r["seed"] in args.seeds
    ]
    present = {r["method"] for r in records}
    methods = [m for m in args.methods if m in present]
    if not args.methods_given:  # also what the results hold beyond METHODS
        methods += sorted(present - set(methods))
    cells = _cells(records)
    order = {name: i for i, name in enumerate(SETS)}
    keys = sorted(
        cells,
        key=lambda k: (SIZES.index(k[1]), order.get(k[0], 99), k[2], BASES.index(k[3])),
    )
    n_seeds = len(args.seeds)
    print(f"Results: {args.results}, {len(records)} records, seeds {args.seeds}.\n")
    print(
        "Summary over every cell (set, size, rate, base), accuracy averaged over "
        "the seeds each method shares with the reference:\n"
    )
    header = [h.replace("sklearn self-training", args.peer) for h in SUMMARY_HEADER]
    print(markdown_table(header, summarize(cells, methods, args.peer)))
    for title, position, values in (("size", 1, args.sizes), ("base", 3, args.bases)):
        print(f"\nPer {title}:\n")
        rows = []
        for value in values:
            subset = {k: v for k, v in cells.items() if k[position] == value}
            rows += [[value] + row for row in summarize(subset, methods, args.peer)]
        print(markdown_table([title] + header, rows))
    print("\nCompleted cells (all seeds recorded, failures included) per size and method:\n")
    rows = []
    for size in args.sizes:
        sized = [k for k in keys if k[1] == size]
        rows.append(
            [size]
            + [
                str(sum(len(cells[k].get(m, {})) >= n_seeds for k in sized)) + f"/{len(sized)}"
                for m in methods
            ]
        )
    print(markdown_table(["size"] + methods, rows))
    print(
        "\nTest accuracy (%) per cell, mean over seeds; 'error' when every seed "
        "failed, (k err) failed seeds, [n/m] seeds recorded:\n"
    )
    rows = [
        [k[0], k[1], f"{k[2]:.0%}", k[3]]
        + [_cell_text(cells[k][m], n_seeds) if m in cells[k] else "-" for m in methods]
        for k in keys
    ]
    print(markdown_table(["set", "size", "labels", "base"] + methods, rows))
    failures = defaultdict(int)
    for r in records:
        if "error" in r:
            message = re.sub(r"\d+", "N", r["error"][:160]).replace("|", "/")
            failures[(r["method"], r["base"], r.get("where", ""), message)] += 1
    if failures:
        print("\nFailures (numbers in messages replaced by N):\n")
        print(
            markdown_table(
                ["method", "base", "where", "message", "count"],
                [[*key, str(n)] for key, n in sorted(failures.items())],
            )
        )


def _list(text, kind=str):
    return [kind(item) for item in text.split(",") if item]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    parser.add_argument(
        "--report",
        action="store_true",
        help="print markdown tables from the results, fit nothing",
    )
    parser.add_argument("--results", default=DEFAULT_RESULTS)
    parser.add_argument("--data", default=None, help="directory of KEEL raw .dat files")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--rates", default=",".join(map(str, RATES)))
    parser.add_argument("--bases", default=",".join(BASES))
    parser.add_argument(
        "--methods",
        default=None,
        help=f"comma-separated names of METHODS (default all: {','.join(METHODS)})",
    )
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0 .. N-1")
    parser.add_argument(
        "--peer",
        default=PEER,
        help="--report: the method of the gain and time-ratio columns (default sklearn)",
    )
    parser.add_argument(
        "--retry-errors",
        action="store_true",
        help="refit the (set, size, rate, base, seed, method) that failed",
    )
    args = parser.parse_args()
    args.methods_given = args.methods is not None
    args.methods = _list(args.methods) if args.methods else list(METHODS)
    if args.quick:
        args.sets, args.sizes, args.rates = "wine,pima", "300,full", "0.1"
        args.bases, args.seeds = "LR,HGB", 1
        if args.results == DEFAULT_RESULTS:
            args.results = DEFAULT_RESULTS.replace(".jsonl", "_quick.jsonl")
    args.sets, args.sizes = _list(args.sets), _list(args.sizes)
    args.rates, args.bases = _list(args.rates, float), _list(args.bases)
    args.seeds = list(range(args.seeds))
    for name, given, known in (
        ("--sets", args.sets, SETS),
        ("--sizes", args.sizes, SIZES),
        ("--bases", args.bases, BASES),
        ("--methods", args.methods if not args.report else [], METHODS),
    ):
        unknown = [item for item in given if item not in known]
        if unknown:
            parser.error(f"{name}: unknown {unknown}; expected some of {list(known)}")
    if args.report:
        report(args)
    else:
        run(args)
        if args.quick:
            report(args)


if __name__ == "__main__":
    main()
