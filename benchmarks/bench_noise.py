"""Label noise: sklweak's confident learning side by side with cleanlab.

(a) The confident-learning paper's CIFAR-10 inputs: precision, recall and F1
    of every rule against ``noisy != true`` for both libraries, and whether
    the two masks are identical.
(b) Speed and peak memory on synthetic Dirichlet ``pred_probs`` (float32):
    median wall and CPU time of ``find_label_issues`` per rule against
    cleanlab's (``n_jobs=1``) in the same process, threads pinned to 1;
    resumable (JSON lines in ``benchmarks/out/``).
(c) KEEL raw letter, penbased, satimage with 20% / 40% symmetric and 30%
    pair noise on the training labels: issue-finding precision, recall and F1
    of sklweak and cleanlab on the same out-of-sample probabilities, and test
    accuracy of ConfidentLearningClassifier against its base model fitted on
    the noisy and on the clean labels.
(d) Several annotators, simulated on digits and KEEL penbased: consensus
    accuracy, consensus-quality AUROC and annotator-quality Spearman of
    majority vote, Dawid-Skene, sklweak's CROWDLAB and cleanlab's
    ``get_label_quality_multiannotator`` on the same out-of-sample
    probabilities, and MultiAnnotatorClassifier's iterated consensus.
(e) Multi-label tags with 1% flipped on synthetic independent per-class
    probabilities: F1 against the flipped samples, time, and whether
    ``find_multilabel_issues`` gives cleanlab's multi-label masks, ranked
    issues and label-quality scores.

Usage::

    python benchmarks/bench_noise.py --data ../shared/data            # full
    python benchmarks/bench_noise.py --data ../shared/data --quick    # smoke
    python benchmarks/bench_noise.py --parts annotators multilabel    # (d), (e)
    python benchmarks/bench_noise.py --parts keel                     # (c)
    python benchmarks/bench_noise.py --parts speed --speed-sizes 100000x1000
    PYTHONPATH=<old checkout> python benchmarks/bench_noise.py --parts speed \
        --speed-label <old commit>                                 # before/after
"""

import argparse
import json
import os
import statistics
import time
import tracemalloc
import warnings
from functools import partial
from pathlib import Path

import numpy as np
from _common import append_jsonl, median_seconds, read_jsonl
from threadpoolctl import threadpool_limits

from sklweak.noise import (
    ConfidentLearningClassifier,
    MultiAnnotatorClassifier,
    cross_val_pred_probs,
    estimate_consensus,
    find_label_issues,
    find_multilabel_issues,
    majority_vote,
    multilabel_quality_scores,
)

RULES = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
]


def scores(mask, truth):
    hits = np.sum(mask & truth)
    precision = hits / max(mask.sum(), 1)
    recall = hits / max(truth.sum(), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return precision, recall, f1


def cifar_section(data_dir, quick):
    import cleanlab.filter as cleanlab_filter

    data = np.load(Path(data_dir) / "cifar10_confident_learning" / "cifar10_cl.npz")
    true = data["true_labels"].astype(np.int64)
    settings = sorted(k.split("__")[1] for k in data.files if k.startswith("noisy_labels"))
    if quick:
        settings = settings[:1]
    print("## (a) CIFAR-10 confident-learning inputs (float16 pred_probs, 50,000 x 10)\n")
    print(
        "| setting | rule | issues (sklweak) | P | R | F1 | issues (cleanlab) | P | R | F1 | identical masks | ΔF1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for setting in settings:
        labels = data[f"noisy_labels__{setting}"].astype(np.int64)
        probs = data[f"pred_probs__{setting}"]
        truth = labels != true
        for rule in RULES:
            ours = find_label_issues(labels, probs, filter_by=rule)
            theirs = cleanlab_filter.find_label_issues(labels, probs, filter_by=rule, n_jobs=1)
            p1, r1, f1 = scores(ours, truth)
            p2, r2, f2 = scores(theirs, truth)
            worst = max(worst, abs(f1 - f2))
            print(
                f"| {setting} | {rule} | {ours.sum()} | {p1:.3f} | {r1:.3f} | {f1:.4f} "
                f"| {theirs.sum()} | {p2:.3f} | {r2:.3f} | {f2:.4f} "
                f"| {bool(np.array_equal(ours, theirs))} | {f1 - f2:+.4f} |"
            )
    print(f"\nLargest |ΔF1|: {worst:.4f}\n")


def synthetic(n_samples, n_classes, seed=0, noise_rate=0.2):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, n_classes, n_samples)
    probs = rng.standard_gamma(0.3, size=(n_samples, n_classes), dtype=np.float32)
    probs[np.arange(n_samples), y_true] += rng.standard_gamma(3.0, size=n_samples, dtype=np.float32)
    probs /= probs.sum(axis=1, keepdims=True)
    flip = rng.random(n_samples) < noise_rate
    labels = np.where(flip, rng.integers(0, n_classes, n_samples), y_true)
    return labels.astype(np.int64), probs


def peak_mib(func):
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


SPEED_RESULTS = Path(__file__).parent / "out" / "noise_speed.jsonl"


def speed_section(
    quick, sizes=None, rules=None, label="sklweak", results=SPEED_RESULTS, repeats=None
):
    """Time find_label_issues against cleanlab's in this process, rule by rule.

    Each (label, size, rule) is written as one JSON line to ``results`` and
    skipped when already there, so an interrupted run resumes. Run it once
    per checkout of sklweak to compare versions (``--speed-label``): each
    line holds its own cleanlab time, so the ratios compare across runs.
    """
    import cleanlab.filter as cleanlab_filter

    if sizes is None:
        sizes = (
            [(20_000, 10), (20_000, 100)]
            if quick
            else [(10_000, 10), (1_000_000, 100), (10_000_000, 10)]
        )
    rules = rules or RULES
    results = Path(results)
    results.parent.mkdir(parents=True, exist_ok=True)
    done = {(r["label"], r["n"], r["k"], r["rule"]): r for r in read_jsonl(results)}
    print("## (b) Speed and peak memory, synthetic Dirichlet float32 pred_probs\n")
    runs = "3 runs (1 at 10M)" if repeats is None else f"{repeats} runs"
    print(
        f"Threads pinned to 1 (threadpoolctl); median wall and CPU seconds of {runs}, "
        "sklweak and cleanlab (n_jobs=1) alternating in one process. "
        "Peak memory: tracemalloc peak of one call, on top of the input.\n"
    )
    print(
        "| sklweak | n x k | rule | sklweak s | cleanlab s | speed-up | sklweak CPU s "
        "| cleanlab CPU s | CPU speed-up | sklweak peak MiB | cleanlab peak MiB | identical |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n_samples, n_classes in sizes:
        data = None
        for rule in rules:
            key = (label, n_samples, n_classes, rule)
            if key not in done:
                if data is None:
                    data = synthetic(n_samples, n_classes)
                done[key] = _speed_record(label, data, rule, quick, cleanlab_filter, repeats)
                append_jsonl(results, done[key])
            record = done[key]
            print(
                f"| {label} | {n_samples:,} x {n_classes} | {rule} | {record['ours_s']:.3f} "
                f"| {record['theirs_s']:.3f} | {record['theirs_s'] / record['ours_s']:.1f}x "
                f"| {record['ours_cpu']:.3f} | {record['theirs_cpu']:.3f} "
                f"| {record['theirs_cpu'] / record['ours_cpu']:.1f}x "
                f"| {record['ours_mib']:.0f} | {record['theirs_mib']:.0f} "
                f"| {record['identical']} |",
                flush=True,
            )
    print()


def _speed_record(label, data, rule, quick, cleanlab_filter, repeats=None):
    labels, probs = data
    n_samples, n_classes = probs.shape
    if repeats is None:
        repeats = 1 if quick else (1 if n_samples >= 10_000_000 else 3)
    calls = {
        "ours": partial(find_label_issues, labels, probs, filter_by=rule),
        "theirs": partial(
            cleanlab_filter.find_label_issues, labels, probs, filter_by=rule, n_jobs=1
        ),
    }
    wall = {"ours": [], "theirs": []}
    cpu = {"ours": [], "theirs": []}
    masks = {}
    for _ in range(repeats):
        for name, call in calls.items():
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            masks[name] = call()
            cpu[name].append(time.process_time() - start_cpu)
            wall[name].append(time.perf_counter() - start_wall)
    return {
        "label": label,
        "n": n_samples,
        "k": n_classes,
        "rule": rule,
        "repeats": repeats,
        "ours_s": statistics.median(wall["ours"]),
        "theirs_s": statistics.median(wall["theirs"]),
        "ours_cpu": statistics.median(cpu["ours"]),
        "theirs_cpu": statistics.median(cpu["theirs"]),
        "ours_mib": peak_mib(calls["ours"]),
        "theirs_mib": peak_mib(calls["theirs"]),
        "identical": bool(np.array_equal(masks["ours"], masks["theirs"])),
        "load": os.getloadavg()[0],
    }


KEEL_SETS = ["letter", "penbased", "satimage"]
KEEL_NOISE = [("symmetric", 0.2), ("symmetric", 0.4), ("pair", 0.3)]


def keel_base(seed):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=seed)


KEEL_HEADER = (
    "| data set | noise | realized noise | issues (sklweak) | P | R | F1 "
    "| issues (cleanlab) | P | R | F1 | identical masks (all 5 rules) "
    "| acc base clean | acc base noisy | acc ConfidentLearning | fit s base | fit s CL |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def keel_row(name, label, rows, clean_acc):
    """Print one table row (means over seeds) and return its summary."""
    values = np.array(rows, dtype=np.float64)
    mean = values.mean(axis=0)
    identical = bool(values[:, 9].all())
    print(
        f"| {name} | {label} | {mean[0]:.3f} | {mean[1]:.0f} | {mean[2]:.3f} "
        f"| {mean[3]:.3f} | {mean[4]:.4f} | {mean[5]:.0f} | {mean[6]:.3f} "
        f"| {mean[7]:.3f} | {mean[8]:.4f} | {identical} "
        f"| {np.mean(clean_acc):.4f} | {mean[10]:.4f} | {mean[11]:.4f} "
        f"| {mean[12]:.1f} | {mean[13]:.1f} |",
        flush=True,
    )
    return name, label, mean[4], mean[8], np.mean(clean_acc), mean[10], mean[11]


def keel_summary(summary):
    gains = [cl - noisy for *_, noisy, cl in summary]
    recovered = [
        (cl - noisy) / (clean - noisy) for *_, clean, noisy, cl in summary if clean - noisy > 1e-9
    ]
    print(
        f"\nConfidentLearning - base on noisy labels: mean {np.mean(gains):+.4f}, "
        f"min {np.min(gains):+.4f}, max {np.max(gains):+.4f} accuracy; "
        f"share of the clean-label accuracy lost to noise that is recovered: "
        f"mean {np.mean(recovered):.2f}\n"
    )


def keel_section(quick, sets=None, seeds=(0, 1, 2), save_dir=None, noises=None):
    import cleanlab.filter as cleanlab_filter
    from sklearn.base import clone
    from sklearn.model_selection import train_test_split

    from sklweak.datasets import load_keel, make_noisy_labels

    sets = ["satimage"] if quick else (sets or KEEL_SETS)
    seeds = [0] if quick else list(seeds)
    print("## (c) KEEL raw sets with noisy training labels: issues found and test accuracy\n")
    print(
        "Stratified 75/25 split per seed (seeds "
        f"{seeds}); noise drawn on the training labels only with "
        "`make_noisy_labels` (symmetric: flip to any other class; pair: class k to "
        "k + 1); truth: the realized flips. Base model: HistGradientBoostingClassifier"
        "(max_iter=100, early_stopping=False), one thread. ConfidentLearningClassifier: "
        "5-fold out-of-sample probabilities, default rule prune_by_noise_rate, no "
        "reweighting; cleanlab's `filter.find_label_issues` runs on the same "
        "pred_probs (`pred_probs_` of the fitted classifier), so the masks can be "
        "compared. Accuracy on the untouched test part; mean over seeds.\n"
    )
    print(KEEL_HEADER)
    summary = []
    for name in sets:
        X, y = load_keel(name)
        y = np.unique(y, return_inverse=True)[1]
        splits = [
            train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed) for seed in seeds
        ]
        clean_acc = []
        for seed, (X_train, X_test, y_train, y_test) in zip(seeds, splits):
            clean_acc.append(keel_base(seed).fit(X_train, y_train).score(X_test, y_test))
        for kind, rate in noises or KEEL_NOISE:
            rows = []
            for seed, accuracy, (X_train, X_test, y_train, y_test) in zip(seeds, clean_acc, splits):
                y_noisy, flipped = make_noisy_labels(
                    y_train, noise_rate=rate, kind=kind, random_state=seed
                )
                start = time.perf_counter()
                noisy_model = keel_base(seed).fit(X_train, y_noisy)
                base_s = time.perf_counter() - start
                start = time.perf_counter()
                clf = ConfidentLearningClassifier(
                    clone(keel_base(seed)), cv=5, random_state=seed
                ).fit(X_train, y_noisy)
                cl_s = time.perf_counter() - start
                ours = clf.label_issues_
                theirs = cleanlab_filter.find_label_issues(y_noisy, clf.pred_probs_, n_jobs=1)
                same = all(
                    np.array_equal(
                        find_label_issues(y_noisy, clf.pred_probs_, filter_by=rule),
                        cleanlab_filter.find_label_issues(
                            y_noisy, clf.pred_probs_, filter_by=rule, n_jobs=1
                        ),
                    )
                    for rule in RULES
                )
                rows.append(
                    (
                        flipped.mean(),
                        ours.sum(),
                        *scores(ours, flipped),
                        theirs.sum(),
                        *scores(theirs, flipped),
                        same,
                        noisy_model.score(X_test, y_test),
                        clf.score(X_test, y_test),
                        base_s,
                        cl_s,
                    )
                )
                if save_dir is not None:
                    stem = f"{name}_{kind}{round(rate * 100)}_seed{seed}"
                    np.savez_compressed(
                        Path(save_dir) / f"{stem}.npz",
                        labels=y_noisy,
                        flipped=flipped,
                        pred_probs=clf.pred_probs_,
                    )
                    (Path(save_dir) / f"{stem}.json").write_text(
                        json.dumps(
                            {
                                "name": name,
                                "kind": kind,
                                "rate": rate,
                                "seed": seed,
                                "clean_acc": accuracy,
                                "row": [float(v) for v in rows[-1]],
                            }
                        )
                    )
            summary.append(keel_row(name, f"{kind} {rate:.0%}", rows, clean_acc))
    keel_summary(summary)


def keel_recheck(save_dir):
    """Compare every rule with cleanlab again on the saved pred_probs of (c)."""
    import cleanlab.filter as cleanlab_filter

    print(f"## (c) masks on the saved pred_probs, {save_dir}\n")
    print("| run | " + " | ".join(RULES) + " | largest |ΔF1| |")
    print("|---|" + "---|" * (len(RULES) + 1))
    for path in sorted(Path(save_dir).glob("*.npz")):
        saved = np.load(path)
        labels, flipped, probs = saved["labels"], saved["flipped"], saved["pred_probs"]
        cells, gap = [], 0.0
        for rule in RULES:
            ours = find_label_issues(labels, probs, filter_by=rule)
            theirs = cleanlab_filter.find_label_issues(labels, probs, filter_by=rule, n_jobs=1)
            gap = max(gap, abs(scores(ours, flipped)[2] - scores(theirs, flipped)[2]))
            diff = int(np.sum(ours != theirs))
            cells.append("same" if diff == 0 else f"{diff} differ")
        print(f"| {path.stem} | " + " | ".join(cells) + f" | {gap:.4f} |", flush=True)
    print()


def keel_combine(save_dir):
    """Print table (c) from the per-seed results saved by separate runs."""
    results = [json.loads(path.read_text()) for path in Path(save_dir).glob("*.json")]
    seeds = sorted({result["seed"] for result in results})
    print(f"## (c) KEEL raw sets with noisy training labels (combined runs, seeds {seeds})\n")
    print(KEEL_HEADER)
    summary = []
    for name in KEEL_SETS:
        for kind, rate in KEEL_NOISE:
            found = sorted(
                (
                    r
                    for r in results
                    if r["name"] == name and r["kind"] == kind and r["rate"] == rate
                ),
                key=lambda r: r["seed"],
            )
            if found:
                summary.append(
                    keel_row(
                        f"{name} ({len(found)} seeds)",
                        f"{kind} {rate:.0%}",
                        [r["row"] for r in found],
                        [r["clean_acc"] for r in found],
                    )
                )
    keel_summary(summary)


def crowd(y, n_annotators, seed):
    """Annotators of accuracy drawn in [0.55, 0.95]; each example gets 1 to 5
    labels (uniform): simulate 5 per example, then hide a random surplus."""
    from sklweak.datasets import simulate_annotators

    annotations, _ = simulate_annotators(
        y,
        n_annotators=n_annotators,
        accuracy=(0.55, 0.95),
        labels_per_example=5,
        random_state=seed,
    )
    rng = np.random.default_rng(seed)
    keep = rng.integers(1, 6, size=y.shape[0])
    order = np.argsort(rng.random(annotations.shape) + (annotations == -1), axis=1)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(annotations.shape[1])[None, :], axis=1)
    annotations = np.where(rank < keep[:, None], annotations, -1)
    observed = annotations != -1
    realized = np.array(
        [
            np.mean(annotations[observed[:, a], a] == y[observed[:, a]])
            if observed[:, a].any()
            else np.nan
            for a in range(n_annotators)
        ]
    )
    return annotations, realized


def crowd_scores(consensus, quality, annotator_quality, y, realized):
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    correct = consensus == y
    auroc = roc_auc_score(correct, quality) if 0 < correct.sum() < len(y) else float("nan")
    seen = np.isfinite(realized)
    rho = spearmanr(annotator_quality[seen], realized[seen]).statistic
    return correct.mean(), auroc, rho


def annotators_section(quick):
    from cleanlab.multiannotator import get_label_quality_multiannotator
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklweak.datasets import load_keel

    datasets = {"digits": load_digits(return_X_y=True)}
    if not quick:
        datasets["penbased"] = load_keel("penbased")
    seeds = [0] if quick else [0, 1, 2]
    n_annotators = 30
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=300))
    print("## (d) Several annotators: consensus, its quality, annotator quality\n")
    print(
        f"{n_annotators} simulated annotators, accuracy drawn uniformly in [0.55, 0.95], "
        "1 to 5 labels per example (uniform). pred_probs: 5-fold out-of-sample "
        "probabilities of StandardScaler + LogisticRegression fitted on the majority "
        "vote, the same array for every method. AUROC: consensus quality against "
        "'consensus is right'; Spearman: annotator quality against each annotator's "
        f"realized accuracy. Mean over seeds {seeds}; time: consensus step only "
        "(MultiAnnotatorClassifier: its whole fit, n_iter=2, cv=5).\n"
    )
    print(
        "| data set | method | consensus acc | ΔAcc vs cleanlab | quality AUROC | annotator Spearman | time s |"
    )
    print("|---|---|---|---|---|---|---|")
    for data_name, (X, y) in datasets.items():
        y = np.unique(y, return_inverse=True)[1]
        rows = {}
        for seed in seeds:
            annotations, realized = crowd(y, n_annotators, seed)
            vote = majority_vote(annotations)
            probs = cross_val_pred_probs(model, X, vote, cv=5, random_state=seed)
            nan_matrix = np.where(annotations == -1, np.nan, annotations.astype(float))

            def record(
                method,
                seconds,
                consensus,
                quality,
                annotator_quality,
                y=y,
                realized=realized,
                rows=rows,
            ):
                scores = crowd_scores(consensus, quality, annotator_quality, y, realized)
                rows.setdefault(method, []).append((*scores, seconds))

            for method in ["majority_vote", "dawid_skene", "crowdlab"]:
                start = time.perf_counter()
                result = estimate_consensus(annotations, probs, method=method)
                seconds = time.perf_counter() - start
                record(
                    f"sklweak {method}",
                    seconds,
                    result.consensus_label,
                    result.consensus_quality,
                    result.annotator_quality,
                )
            start = time.perf_counter()
            theirs = get_label_quality_multiannotator(nan_matrix, probs, verbose=False)
            seconds = time.perf_counter() - start
            record(
                "cleanlab crowdlab",
                seconds,
                theirs["label_quality"]["consensus_label"].to_numpy(),
                theirs["label_quality"]["consensus_quality_score"].to_numpy(),
                theirs["annotator_stats"].sort_index()["annotator_quality"].to_numpy(),
            )
            start = time.perf_counter()
            clf = MultiAnnotatorClassifier(model, cv=5, n_iter=2, random_state=seed)
            clf.fit(X, annotations)
            seconds = time.perf_counter() - start
            record(
                "sklweak MultiAnnotatorClassifier",
                seconds,
                clf.consensus_label_,
                clf.consensus_quality_,
                clf.annotator_quality_,
            )
        reference = np.mean([r[0] for r in rows["cleanlab crowdlab"]])
        for method, values in rows.items():
            acc, auroc, rho, seconds = np.nanmean(np.array(values), axis=0)
            print(
                f"| {data_name} | {method} | {acc:.4f} | {acc - reference:+.4f} "
                f"| {auroc:.3f} | {rho:.3f} | {seconds:.3f} |",
                flush=True,
            )
    print()


def multilabel_section(quick):
    from cleanlab.multilabel_classification.filter import (
        find_label_issues as cleanlab_multilabel,
    )
    from cleanlab.multilabel_classification.rank import (
        get_label_quality_scores as cleanlab_scores,
    )

    n_samples, n_classes = (5_000, 10) if quick else (100_000, 20)
    rng = np.random.default_rng(0)
    true = rng.random((n_samples, n_classes)) < rng.uniform(0.05, 0.5, n_classes)
    true = true.astype(np.int64)
    probs = np.where(true == 1, rng.beta(5, 2, true.shape), rng.beta(2, 5, true.shape))
    flip = rng.random(true.shape) < 0.01
    noisy = np.where(flip, 1 - true, true)
    wrong = flip.any(axis=1)
    lists = [list(np.flatnonzero(row)) for row in noisy]
    print(f"## (e) Multi-label tags, {n_samples:,} x {n_classes}, 1% of tags flipped\n")
    print(
        "Per-class probabilities Beta(5, 2) for a true tag, Beta(2, 5) otherwise; "
        "truth: samples with a flipped tag. cleanlab: "
        "multilabel_classification.filter.find_label_issues (n_jobs=1), labels as lists.\n"
    )
    print("| rule | issues | P | R | F1 | sklweak s | cleanlab s | speed-up | identical |")
    print("|---|---|---|---|---|---|---|---|---|")
    for rule in RULES:
        ours_s, ours = median_seconds(
            partial(find_multilabel_issues, noisy, probs, filter_by=rule), 1
        )
        theirs_s, theirs = median_seconds(
            partial(cleanlab_multilabel, lists, probs, filter_by=rule, n_jobs=1), 1
        )
        precision, recall, f1 = scores(ours, wrong)
        print(
            f"| {rule} | {ours.sum()} | {precision:.3f} | {recall:.3f} | {f1:.4f} "
            f"| {ours_s:.3f} | {theirs_s:.3f} | {theirs_s / ours_s:.1f}x "
            f"| {bool(np.array_equal(ours, theirs))} |",
            flush=True,
        )
    print(
        "\nRanked issues (default rule): `find_multilabel_issues(..., "
        "return_indices_ranked_by=m)` against cleanlab's `find_label_issues(..., "
        "return_indices_ranked_by=m)`, and `multilabel_quality_scores(..., "
        "method='ema', tag_score=m)` against cleanlab's "
        "`multilabel_classification.rank.get_label_quality_scores(..., method=m)` "
        "(EMA pooling, alpha 0.8, both). Precision at k: share of flipped samples "
        "among the first k = number truly wrong.\n"
    )
    print(
        "| ranked by | issues | identical ranking | max abs score difference "
        "| precision at k | sklweak s | cleanlab s | speed-up |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for method in ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]:
        ours_s, ours = median_seconds(
            partial(find_multilabel_issues, noisy, probs, return_indices_ranked_by=method), 1
        )
        theirs_s, theirs = median_seconds(
            partial(cleanlab_multilabel, lists, probs, return_indices_ranked_by=method, n_jobs=1), 1
        )
        gap = np.max(
            np.abs(
                multilabel_quality_scores(noisy, probs, method="ema", tag_score=method)
                - cleanlab_scores(lists, probs, method=method)
            )
        )
        top = ours[: wrong.sum()]
        print(
            f"| {method} | {ours.size} | {bool(np.array_equal(ours, theirs))} "
            f"| {gap:.1e} | {wrong[top].mean():.3f} | {ours_s:.3f} | {theirs_s:.3f} "
            f"| {theirs_s / ours_s:.1f}x |",
            flush=True,
        )
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="shared data folder")
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument(
        "--parts",
        nargs="+",
        default=["cifar", "speed", "keel", "annotators", "multilabel"],
        choices=["cifar", "speed", "keel", "annotators", "multilabel"],
        help="parts to run",
    )
    parser.add_argument(
        "--keel-sets",
        nargs="+",
        default=None,
        choices=KEEL_SETS,
        help="data sets of part (c)",
    )
    parser.add_argument(
        "--speed-sizes",
        nargs="+",
        default=None,
        metavar="NxK",
        help="sizes of part (b), e.g. 1000000x100 100000x1000",
    )
    parser.add_argument(
        "--speed-rules", nargs="+", default=None, choices=RULES, help="rules of part (b)"
    )
    parser.add_argument(
        "--speed-label",
        default="sklweak",
        help="name of this sklweak checkout in part (b)'s results (e.g. a commit)",
    )
    parser.add_argument(
        "--speed-repeats",
        type=int,
        default=None,
        help="runs per record of part (b) (default: 3, or 1 at 10M rows and with --quick)",
    )
    parser.add_argument(
        "--speed-results",
        default=str(SPEED_RESULTS),
        help="JSON lines of part (b), read to resume and appended to",
    )
    parser.add_argument("--keel-seeds", type=int, default=3, help="seeds 0..N-1 of part (c)")
    parser.add_argument(
        "--keel-seed-list",
        type=int,
        nargs="+",
        default=None,
        metavar="SEED",
        help="run part (c) on these seeds only (overrides --keel-seeds)",
    )
    parser.add_argument(
        "--keel-noise",
        nargs="+",
        default=None,
        metavar="KIND:RATE",
        help="noise settings of part (c), e.g. symmetric:0.4 pair:0.3 (default: all three)",
    )
    parser.add_argument(
        "--keel-recheck",
        default=None,
        metavar="DIR",
        help="compare every rule with cleanlab on the pred_probs saved in DIR",
    )
    parser.add_argument(
        "--keel-combine",
        default=None,
        metavar="DIR",
        help="print table (c) from the per-seed results that --keel-save wrote in DIR",
    )
    parser.add_argument(
        "--keel-save",
        default=None,
        metavar="DIR",
        help="save the noisy labels, flips and pred_probs of part (c) there (.npz)",
    )
    args = parser.parse_args()
    warnings.filterwarnings("ignore", module="cleanlab")
    import cleanlab

    print(f"cleanlab {cleanlab.__version__}, numpy {np.__version__}\n")
    if args.keel_recheck is not None or args.keel_combine is not None:
        if args.keel_recheck is not None:
            keel_recheck(args.keel_recheck)
        if args.keel_combine is not None:
            keel_combine(args.keel_combine)
        return
    with threadpool_limits(1):
        if "cifar" in args.parts:
            cifar_section(args.data, args.quick)
        if "speed" in args.parts:
            sizes = (
                None
                if args.speed_sizes is None
                else [tuple(int(v) for v in size.lower().split("x")) for size in args.speed_sizes]
            )
            speed_section(
                args.quick,
                sizes,
                args.speed_rules,
                args.speed_label,
                args.speed_results,
                args.speed_repeats,
            )
        if "keel" in args.parts:
            seeds = args.keel_seed_list or range(args.keel_seeds)
            noises = (
                None
                if args.keel_noise is None
                else [
                    (kind, float(rate))
                    for kind, rate in (item.split(":") for item in args.keel_noise)
                ]
            )
            keel_section(args.quick, args.keel_sets, seeds, args.keel_save, noises)
        if "annotators" in args.parts:
            annotators_section(args.quick)
        if "multilabel" in args.parts:
            multilabel_section(args.quick)


if __name__ == "__main__":
    main()
