"""Label noise: the defaults of sklweak.noise measured (issue 19 item 16).

(cifar) The confident-learning paper's CIFAR-10 inputs (6 settings, 50,000 x
    10): precision, recall and F1 of every ``find_label_issues`` rule against
    ``noisy != true``, and how well each ``label_quality_scores`` method ranks
    the wrong labels first (AUROC and average precision of ``-score``).
(tabular) KEEL satimage, penbased, letter with symmetric 20% / 40% and pair
    30% noise on the training labels (the cells of
    ``bench_noise_robust.py``: stratified 75/25 split, training part
    subsampled to 300 or 2,000 rows or ``full`` (capped at 5,000), test part
    capped at 2,000), base StandardScaler + LogisticRegression (``LR``),
    RandomForest (``RF``, 100 trees) or HistGradientBoosting (``HGB``, the
    base of ``bench_noise.py`` (c)). ConfidentLearningClassifier
    with ``cv`` 3, 5 and 10 (default rule): issue F1 and test accuracy; with
    ``cv=5``, every rule (issue P / R / F1 and test accuracy of the final fit:
    the out-of-fold probabilities are computed once and shared) and every
    quality method (AUROC / AP). References: the base on the clean and on the
    noisy labels.
(reweight) The tabular cells again, ConfidentLearningClassifier with its
    defaults and ``reweight=True`` (the kept rows weighted by class so that
    each class keeps its estimated share of the true labels): test accuracy,
    against the default-rule ``cv=10`` records of (tabular).
(multilabel) Flipped tags on two kinds of data, several seeds: the
    synthetic independent per-class probabilities of ``bench_noise.py`` (e)
    (20,000 x 20 and 300 x 20, 1% of tags flipped), and
    ``make_multilabel_classification`` (2,000 and 300 rows, 10 classes, 3% of
    tags flipped) with 5-fold out-of-fold probabilities of a one-vs-rest
    logistic regression trained on the noisy tags. Every
    ``find_multilabel_issues`` rule (P / R / F1 against the samples with a
    flipped tag) and every ``multilabel_quality_scores`` pooling (AUROC / AP).
(annotators) The crowd of ``bench_noise.py`` (d) (30 annotators, accuracy in
    [0.55, 0.95], 1 to 5 labels per example) on digits and penbased, full
    size and a 300-row stratified subset: MultiAnnotatorClassifier's consensus
    accuracy and consensus-quality AUROC for ``n_iter`` 1, 2, 3.

Results: one JSON line per record in ``--results`` (git-ignored
``benchmarks/out/``); a rerun skips the cells already there. ``--report``
prints the tables. Threads pinned to 1.

Usage::

    python benchmarks/bench_noise_defaults.py --parts cifar multilabel --seeds 5
    python benchmarks/bench_noise_defaults.py --parts tabular --sizes 300 2000 full --bases LR
    python benchmarks/bench_noise_defaults.py --parts tabular --sizes 300 2000 --bases RF
    python benchmarks/bench_noise_defaults.py --parts tabular --sizes 300 --bases HGB \
        --sets satimage penbased
    python benchmarks/bench_noise_defaults.py --parts annotators --seeds 5
    python benchmarks/bench_noise_defaults.py --parts reweight --sizes 300 2000 full --bases LR
    python benchmarks/bench_noise_defaults.py --report
"""

import argparse
import os
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(__file__))

from _common import append_jsonl, load_set, read_jsonl, stratified_subset  # noqa: E402
from bench_noise import KEEL_NOISE, KEEL_SETS, RULES, crowd, crowd_scores, scores  # noqa: E402
from bench_noise_robust import make_base, make_cell  # noqa: E402

from sklweak.noise import (  # noqa: E402
    ConfidentLearningClassifier,
    MultiAnnotatorClassifier,
    find_label_issues,
    find_multilabel_issues,
    label_quality_scores,
    multilabel_quality_scores,
)

DEFAULT_RESULTS = Path(__file__).parent / "out" / "noise_defaults.jsonl"
QUALITY_METHODS = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]
POOLINGS = ["softmin", "ema", "min", "mean"]
CV_FOLDS = [3, 5, 10]
N_ITERS = [1, 2, 3]


def ranking(quality, wrong):
    """AUROC and average precision of ``-quality`` for finding the wrong labels."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    return float(roc_auc_score(wrong, -quality)), float(average_precision_score(wrong, -quality))


def rule_record(mask, wrong, **fields):
    precision, recall, f1 = scores(mask, wrong)
    return {**fields, "issues": int(mask.sum()), "P": precision, "R": recall, "F1": f1}


def to_plain(record):
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in record.items()}


def run_cifar(data_dir, results, done):
    if ("cifar",) in done:
        return
    data = np.load(Path(data_dir) / "cifar10_confident_learning" / "cifar10_cl.npz")
    true = data["true_labels"].astype(np.int64)
    settings = sorted(k.split("__")[1] for k in data.files if k.startswith("noisy_labels"))
    for setting in settings:
        labels = data[f"noisy_labels__{setting}"].astype(np.int64)
        probs = data[f"pred_probs__{setting}"]
        wrong = labels != true
        for rule in RULES:
            mask = find_label_issues(labels, probs, filter_by=rule)
            append_jsonl(
                results, to_plain(rule_record(mask, wrong, part="cifar", cell=setting, rule=rule))
            )
        for method in QUALITY_METHODS:
            auroc, ap = ranking(label_quality_scores(labels, probs, method=method), wrong)
            append_jsonl(
                results,
                {
                    "part": "cifar_quality",
                    "cell": setting,
                    "method": method,
                    "AUROC": auroc,
                    "AP": ap,
                },
            )
        print(f"cifar {setting}", flush=True)
    append_jsonl(results, {"part": "cifar_done"})


class SharedProbs:
    """Memoize ``_cross_val_pred_probs`` within one cell: the rules share their folds."""

    def __init__(self, function):
        self.function = function
        self.store = {}

    def __call__(self, estimator, X, y, *, cv, random_state, **kwargs):
        key = (repr(estimator), id(X), np.asarray(y).tobytes(), repr(cv), random_state)
        if key not in self.store:
            self.store[key] = self.function(
                estimator, X, y, cv=cv, random_state=random_state, **kwargs
            )
        return self.store[key]


def noisy_cells(args, done, part):
    """Each (cell, seed) of (tabular) not yet in ``done`` for ``part``, with its noisy split."""
    from sklweak.datasets import make_noisy_labels

    for size in args.sizes:
        for set_name in args.sets:
            X, y = load_set(set_name)
            for kind, rate in KEEL_NOISE:
                noise = f"{kind} {rate:.0%}"
                for base_name in args.bases:
                    for seed in range(args.seeds):
                        cell = f"{set_name}/{size}/{noise}/{base_name}"
                        if (part, cell, seed) in done:
                            continue
                        X_tr, y_tr, X_te, y_te = make_cell(X, y, size, seed)
                        y_noisy, flipped = make_noisy_labels(
                            y_tr, noise_rate=rate, kind=kind, random_state=seed
                        )
                        yield base_name, cell, seed, (X_tr, y_tr, y_noisy, flipped, X_te, y_te)


def run_tabular(args, results, done):
    import sklweak.noise._classifier as classifier_module

    original = classifier_module._cross_val_pred_probs
    for base_name, cell, seed, data in noisy_cells(args, done, "tabular"):
        fields = {"cell": cell, "seed": seed}
        start = time.perf_counter()
        classifier_module._cross_val_pred_probs = SharedProbs(original)
        try:
            records = tabular_cell(base_name, seed, *data, fields)
        finally:
            classifier_module._cross_val_pred_probs = original
        for record in records:
            append_jsonl(results, to_plain(record))
        append_jsonl(results, {"part": "tabular_done", **fields})
        print(f"{cell} seed {seed}: {time.perf_counter() - start:.1f} s", flush=True)


def run_reweight(args, results, done):
    for base_name, cell, seed, data in noisy_cells(args, done, "reweight"):
        X_tr, _, y_noisy, _, X_te, y_te = data
        clf = ConfidentLearningClassifier(
            make_base(base_name, seed), reweight=True, random_state=seed
        ).fit(X_tr, y_noisy)
        fields = {"cell": cell, "seed": seed}
        record = {"part": "tabular_reweight", **fields, "reweight": True}
        append_jsonl(results, {**record, "acc": clf.score(X_te, y_te)})
        append_jsonl(results, {"part": "reweight_done", **fields})
        print(f"{cell} seed {seed} reweight", flush=True)


def tabular_cell(base_name, seed, X_tr, y_tr, y_noisy, flipped, X_te, y_te, fields):
    records = []
    for labels, name in ((y_tr, "clean"), (y_noisy, "noisy")):
        model = make_base(base_name, seed).fit(X_tr, labels)
        records.append(
            {"part": "tabular_base", **fields, "labels": name, "acc": model.score(X_te, y_te)}
        )
    for folds in CV_FOLDS:
        for rule in RULES if folds == 5 else RULES[:1]:
            clf = ConfidentLearningClassifier(
                make_base(base_name, seed), cv=folds, filter_by=rule, random_state=seed
            ).fit(X_tr, y_noisy)
            record = rule_record(
                clf.label_issues_, flipped, part="tabular", **fields, cv=folds, rule=rule
            )
            records.append({**record, "acc": clf.score(X_te, y_te)})
        if folds == 5:
            for method in QUALITY_METHODS:
                quality = label_quality_scores(y_noisy, clf.pred_probs_, method=method)
                auroc, ap = ranking(quality, flipped)
                records.append(
                    {
                        "part": "tabular_quality",
                        **fields,
                        "method": method,
                        "AUROC": auroc,
                        "AP": ap,
                    }
                )
    return records


def multilabel_data(kind, n_samples, seed):
    """``(noisy tags, out-of-sample probabilities, flipped mask)`` of one multi-label cell."""
    rng = np.random.default_rng(seed)
    if kind == "beta":
        n_classes = 20
        true = rng.random((n_samples, n_classes)) < rng.uniform(0.05, 0.5, n_classes)
        true = true.astype(np.int64)
        probs = np.where(true == 1, rng.beta(5, 2, true.shape), rng.beta(2, 5, true.shape))
        flip = rng.random(true.shape) < 0.01
        return np.where(flip, 1 - true, true), probs, flip
    from sklearn.datasets import make_multilabel_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, cross_val_predict
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, true = make_multilabel_classification(
        n_samples=n_samples, n_features=20, n_classes=10, n_labels=2, random_state=seed
    )
    flip = rng.random(true.shape) < 0.03
    noisy = np.where(flip, 1 - true, true)
    model = OneVsRestClassifier(make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)))
    folds = KFold(5, shuffle=True, random_state=seed)
    probs = cross_val_predict(model, X, noisy, cv=folds, method="predict_proba")
    return noisy, probs, flip


MULTILABEL_CELLS = [("beta", 20_000), ("beta", 300), ("sklearn", 2_000), ("sklearn", 300)]


def run_multilabel(args, results, done):
    for kind, n_samples in MULTILABEL_CELLS:
        cell = f"{kind}/{n_samples}"
        for seed in range(args.seeds):
            if ("multilabel", cell, seed) in done:
                continue
            noisy, probs, flip = multilabel_data(kind, n_samples, seed)
            wrong = flip.any(axis=1)
            fields = {"cell": cell, "seed": seed}
            for rule in RULES:
                mask = find_multilabel_issues(noisy, probs, filter_by=rule)
                append_jsonl(
                    results,
                    to_plain(rule_record(mask, wrong, part="multilabel", **fields, rule=rule)),
                )
            for pooling in POOLINGS:
                auroc, ap = ranking(multilabel_quality_scores(noisy, probs, method=pooling), wrong)
                append_jsonl(
                    results,
                    {
                        "part": "multilabel_quality",
                        **fields,
                        "method": pooling,
                        "AUROC": auroc,
                        "AP": ap,
                    },
                )
            append_jsonl(results, {"part": "multilabel_done", **fields})
            print(f"multilabel {cell} seed {seed}", flush=True)


def run_annotators(args, results, done):
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    datasets = {"digits": load_digits(return_X_y=True), "penbased": load_set("penbased")}
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=300))
    for size in args.annotator_sizes:
        for data_name, (X, y) in datasets.items():
            y = np.unique(y, return_inverse=True)[1]
            for seed in range(args.seeds):
                cell = f"{data_name}/{size}"
                if ("annotators", cell, seed) in done:
                    continue
                rows = (
                    np.arange(y.shape[0])
                    if size == "full"
                    else stratified_subset(y, int(size), seed)
                )
                X_cell, y_cell = X[rows], y[rows]
                annotations, realized = crowd(y_cell, 30, seed)
                for n_iter in N_ITERS:
                    start = time.perf_counter()
                    clf = MultiAnnotatorClassifier(model, cv=5, n_iter=n_iter, random_state=seed)
                    clf.fit(X_cell, annotations)
                    seconds = time.perf_counter() - start
                    acc, auroc, rho = crowd_scores(
                        clf.consensus_label_,
                        clf.consensus_quality_,
                        clf.annotator_quality_,
                        y_cell,
                        realized,
                    )
                    append_jsonl(
                        results,
                        to_plain(
                            {
                                "part": "annotators",
                                "cell": cell,
                                "seed": seed,
                                "n_iter": n_iter,
                                "acc": acc,
                                "AUROC": auroc,
                                "spearman": rho,
                                "fit_s": seconds,
                            }
                        ),
                    )
                append_jsonl(results, {"part": "annotators_done", "cell": cell, "seed": seed})
                print(f"annotators {cell} seed {seed}", flush=True)


def finished(records):
    done = set()
    for record in records:
        part = record["part"]
        if part == "cifar_done":
            done.add(("cifar",))
        elif part.endswith("_done"):
            done.add((part[: -len("_done")], record["cell"], record["seed"]))
    return done


# ----------------------------------------------------------------- report


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(value) for value in row) + " |")
    print()


def compare(records, key, metric, options, title, default):
    """Per-cell means, the mean over cells, and each option's wins (best within 0.0005)."""
    by_cell = defaultdict(lambda: defaultdict(list))
    for r in records:
        by_cell[r["cell"]][r[key]].append(r[metric])
    cells = sorted(c for c in by_cell if all(o in by_cell[c] for o in options))
    if not cells:
        return
    print(f"#### {title}: {metric}, mean over seeds per cell\n")
    rows, wins, means = [], defaultdict(int), defaultdict(list)
    for cell in cells:
        values = {o: float(np.mean(by_cell[cell][o])) for o in options}
        best = max(values.values())
        for o in options:
            means[o].append(values[o])
            wins[o] += values[o] >= best - 5e-4
        seeds = len(by_cell[cell][options[0]])
        rows.append([cell, seeds, *(f"{values[o]:.4f}" for o in options)])
    rows.append(["**mean over cells**", "", *(f"**{np.mean(means[o]):.4f}**" for o in options)])
    rows.append(["cells best (within 0.0005)", "", *(f"{wins[o]}/{len(cells)}" for o in options)])
    seed_wins = per_seed_wins(records, key, metric, options, cells)
    rows.append(
        ["(cell, seed) pairs best", "", *(f"{seed_wins[0][o]}/{seed_wins[1]}" for o in options)]
    )
    rows.append(
        [
            "paired Δ per (cell, seed) ± 2 SE",
            "",
            *(paired_difference(records, key, metric, o, default, cells) for o in options),
        ]
    )
    rows.append(
        [
            f"Δ vs default {default!r}",
            "",
            *(f"{np.mean(means[o]) - np.mean(means[default]):+.4f}" for o in options),
        ]
    )
    table(["cell", "seeds", *map(str, options)], rows)


def paired_difference(records, key, metric, option, default, cells):
    """Mean and two standard errors of ``option - default`` over the (cell, seed) pairs."""
    by_pair = defaultdict(dict)
    for r in records:
        if r["cell"] in cells:
            by_pair[(r["cell"], r.get("seed"))][r[key]] = r[metric]
    diffs = np.array(
        [v[option] - v[default] for v in by_pair.values() if option in v and default in v]
    )
    if option == default or diffs.size < 2:
        return ""
    return f"{diffs.mean():+.4f} ± {2 * diffs.std(ddof=1) / np.sqrt(diffs.size):.4f}"


def per_seed_wins(records, key, metric, options, cells):
    by_pair = defaultdict(dict)
    for r in records:
        if r["cell"] in cells:
            by_pair[(r["cell"], r.get("seed"))][r[key]] = r[metric]
    wins, total = defaultdict(int), 0
    for values in by_pair.values():
        if all(o in values for o in options):
            total += 1
            best = max(values[o] for o in options)
            for o in options:
                wins[o] += values[o] >= best - 5e-4
    return wins, total


def report(results):
    records = read_jsonl(results)
    part = defaultdict(list)
    for r in records:
        part[r["part"]].append(r)
    print("### (cifar) find_label_issues rules, 6 CIFAR-10 settings\n")
    for metric in ("F1", "P", "R"):
        compare(part["cifar"], "rule", metric, RULES, "CIFAR-10", "prune_by_noise_rate")
    compare(
        part["cifar_quality"],
        "method",
        "AUROC",
        QUALITY_METHODS,
        "CIFAR-10 quality",
        "self_confidence",
    )
    compare(
        part["cifar_quality"],
        "method",
        "AP",
        QUALITY_METHODS,
        "CIFAR-10 quality",
        "self_confidence",
    )

    print("### (tabular) KEEL cells, ConfidentLearningClassifier\n")
    cv5 = [r for r in part["tabular"] if r["cv"] == 5]
    for metric in ("F1", "acc", "P", "R"):
        compare(cv5, "rule", metric, RULES, "rules (cv=5)", "prune_by_noise_rate")
    compare(part["cifar"] + cv5, "rule", "F1", RULES, "rules, CIFAR-10 and tabular cells", RULES[0])
    for base in sorted({r["cell"].rsplit("/", 1)[1] for r in cv5}):
        on_base = [r for r in cv5 if r["cell"].endswith("/" + base)]
        compare(on_base, "rule", "F1", RULES, f"rules (cv=5), base {base} only", RULES[0])
    default_rule = [r for r in part["tabular"] if r["rule"] == RULES[0]]
    for metric in ("acc", "F1"):
        compare(default_rule, "cv", metric, CV_FOLDS, "folds (default rule)", 5)
    compare(
        part["tabular_quality"],
        "method",
        "AUROC",
        QUALITY_METHODS,
        "tabular quality",
        "self_confidence",
    )
    compare(
        part["tabular_quality"],
        "method",
        "AP",
        QUALITY_METHODS,
        "tabular quality",
        "self_confidence",
    )
    references(part["tabular_base"])
    default_cv = ConfidentLearningClassifier(None).cv
    reweight = part["tabular_reweight"] + [
        {**r, "reweight": False} for r in default_rule if r["cv"] == default_cv
    ]
    compare(reweight, "reweight", "acc", [False, True], "reweight (defaults otherwise)", False)

    print("### (multilabel) find_multilabel_issues rules and multilabel_quality_scores poolings\n")
    for metric in ("F1", "P", "R"):
        compare(
            part["multilabel"], "rule", metric, RULES, "multi-label rules", "prune_by_noise_rate"
        )
    for metric in ("AUROC", "AP"):
        compare(
            part["multilabel_quality"], "method", metric, POOLINGS, "multi-label pooling", "softmin"
        )

    print("### (annotators) MultiAnnotatorClassifier n_iter\n")
    for metric in ("acc", "AUROC"):
        compare(part["annotators"], "n_iter", metric, N_ITERS, "n_iter", 2)
    fit_s = defaultdict(list)
    for r in part["annotators"]:
        fit_s[r["n_iter"]].append(r["fit_s"])
    if fit_s:
        print(
            "Mean fit seconds: "
            + ", ".join(f"n_iter={k}: {np.mean(v):.2f}" for k, v in sorted(fit_s.items()))
            + "\n"
        )


def references(base_records):
    by_cell = defaultdict(lambda: defaultdict(list))
    for r in base_records:
        by_cell[r["cell"]][r["labels"]].append(r["acc"])
    if by_cell:
        rows = [
            [cell, f"{np.mean(v['clean']):.4f}", f"{np.mean(v['noisy']):.4f}"]
            for cell, v in sorted(by_cell.items())
        ]
        table(["cell", "base on clean labels", "base on noisy labels"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default="../shared/data", help="shared data folder (CIFAR-10 inputs)"
    )
    parser.add_argument(
        "--parts",
        nargs="+",
        default=["cifar", "multilabel", "annotators", "tabular"],
        choices=["cifar", "multilabel", "annotators", "tabular", "reweight"],
    )
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0 .. N-1")
    parser.add_argument(
        "--sizes", nargs="+", default=["300", "2000"], help="training sizes of (tabular)"
    )
    parser.add_argument("--sets", nargs="+", default=KEEL_SETS, choices=KEEL_SETS)
    parser.add_argument("--bases", nargs="+", default=["LR"], choices=["LR", "HGB", "RF"])
    parser.add_argument("--annotator-sizes", nargs="+", default=["300", "full"])
    parser.add_argument("--results", default=str(DEFAULT_RESULTS))
    parser.add_argument("--report", action="store_true", help="print the tables and stop")
    args = parser.parse_args()
    if args.report:
        report(args.results)
        return
    warnings.filterwarnings("ignore")
    done = finished(read_jsonl(args.results))
    with threadpool_limits(1):
        if "cifar" in args.parts:
            run_cifar(args.data, args.results, done)
        if "multilabel" in args.parts:
            run_multilabel(args, args.results, done)
        if "annotators" in args.parts:
            run_annotators(args, args.results, done)
        if "tabular" in args.parts:
            run_tabular(args, args.results, done)
        if "reweight" in args.parts:
            run_reweight(args, args.results, done)


if __name__ == "__main__":
    main()
