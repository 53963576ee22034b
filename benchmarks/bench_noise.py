"""Label noise: sklweak's confident learning side by side with cleanlab.

(a) The confident-learning paper's CIFAR-10 inputs: precision, recall and F1
    of every rule against ``noisy != true`` for both libraries, and whether
    the two masks are identical.
(b) Speed and peak memory on synthetic Dirichlet ``pred_probs`` (float32):
    median wall time of ``find_label_issues`` per rule, threads pinned to 1,
    cleanlab with ``n_jobs=1`` and with its default multiprocessing.

Usage::

    python benchmarks/bench_noise.py --data ../shared/data            # full
    python benchmarks/bench_noise.py --data ../shared/data --quick    # smoke
"""

import argparse
import os
import statistics
import time
import tracemalloc
import warnings
from functools import partial
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from sklweak.noise import find_label_issues

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
    print("| setting | rule | issues (sklweak) | P | R | F1 | issues (cleanlab) | P | R | F1 | identical masks | ΔF1 |")
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
    probs[np.arange(n_samples), y_true] += rng.standard_gamma(
        3.0, size=n_samples, dtype=np.float32
    )
    probs /= probs.sum(axis=1, keepdims=True)
    flip = rng.random(n_samples) < noise_rate
    labels = np.where(flip, rng.integers(0, n_classes, n_samples), y_true)
    return labels.astype(np.int64), probs


def timed(func, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_mib(func):
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def speed_section(quick):
    import cleanlab.filter as cleanlab_filter

    sizes = [(20_000, 10), (20_000, 100)] if quick else [
        (1_000_000, 10), (1_000_000, 100), (10_000_000, 10)
    ]
    rules = ["prune_by_noise_rate", "confident_learning", "prune_by_class"]
    print("## (b) Speed and peak memory, synthetic Dirichlet float32 pred_probs\n")
    print(f"Threads pinned to 1 (threadpoolctl); medians of {1 if quick else 3} runs "
          "(1 run at 10M). Peak memory: tracemalloc peak of the call, on top of the "
          "input. cleanlab mp: its default n_jobs (multiprocessing over "
          f"{os.cpu_count()} cores).\n")
    print("| n x k | input MiB | rule | sklweak s | cleanlab n_jobs=1 s | speed-up | cleanlab mp s | sklweak peak MiB | cleanlab peak MiB | identical |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n_samples, n_classes in sizes:
        labels, probs = synthetic(n_samples, n_classes)
        repeats = 1 if (quick or n_samples >= 10_000_000) else 3
        for rule in rules:
            ours_call = partial(find_label_issues, labels, probs, filter_by=rule)
            theirs_call = partial(
                cleanlab_filter.find_label_issues, labels, probs, filter_by=rule, n_jobs=1
            )
            ours_s, ours = timed(ours_call, repeats)
            theirs_s, theirs = timed(theirs_call, repeats)
            if rule == "prune_by_noise_rate":
                mp_s, _ = timed(
                    partial(cleanlab_filter.find_label_issues, labels, probs, filter_by=rule),
                    1,
                )
                mp = f"{mp_s:.2f}"
            else:
                mp = "-"
            ours_mem = peak_mib(ours_call)
            theirs_mem = peak_mib(theirs_call)
            print(
                f"| {n_samples:,} x {n_classes} | {probs.nbytes / 2**20:.0f} | {rule} "
                f"| {ours_s:.3f} | {theirs_s:.3f} | {theirs_s / ours_s:.1f}x | {mp} "
                f"| {ours_mem:.0f} | {theirs_mem:.0f} | {bool(np.array_equal(ours, theirs))} |",
                flush=True,
            )
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="shared data folder")
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", module="cleanlab")
    import cleanlab

    print(f"cleanlab {cleanlab.__version__}, numpy {np.__version__}\n")
    with threadpool_limits(1):
        cifar_section(args.data, args.quick)
        speed_section(args.quick)


if __name__ == "__main__":
    main()
