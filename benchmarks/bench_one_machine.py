"""At the limit of one machine: label issues on 10M rows, label spreading and
LLP-BP on 1M rows, with the peer library where one exists.

Each workload runs in its own fresh child process. Its resident memory is
read from ``/proc/self/statm``: after the imports, once the input is built,
and at its peak during the fit (sampled every 5 ms), so the fit's own memory
is the peak minus the memory with the input. Threads are pinned to one; CPU
seconds are reported beside wall seconds because the machine is shared.

Workloads:

``label_issues``
    ``find_label_issues`` (default rule) on synthetic float32 Dirichlet
    ``pred_probs`` of 10,000,000 x 10 with 20% of the labels flipped; the
    peer is cleanlab's ``find_label_issues`` with ``n_jobs=1``.
``label_spreading``
    ``LabelSpreading(kernel="knn", n_neighbors=10)`` on one million points
    of two interleaved spirals with 1,000 labels (the gallery example); the
    peer is scikit-learn's ``LabelSpreading`` with the same graph.
``llp_bp``
    ``LLPBPClassifier`` on one million ``make_classification`` samples (20
    features) in random bags of 64 (no peer library runs at this size).

Usage::

    python benchmarks/bench_one_machine.py                 # everything
    python benchmarks/bench_one_machine.py --quick         # 1/20 of the sizes
    python benchmarks/bench_one_machine.py --only label_spreading
"""

import argparse
import multiprocessing
import os
import threading
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np


def _resident_mb():
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class _ResidentPeak:
    """Largest resident memory seen, sampled every 5 ms, inside a ``with``."""

    def __enter__(self):
        self.peak = _resident_mb()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._done.wait(0.005):
            self.peak = max(self.peak, _resident_mb())

    def __exit__(self, *exc_info):
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, _resident_mb())


def _clock():
    return time.perf_counter(), time.process_time()


def _since(start):
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def _dirichlet_problem(n_samples, n_classes, seed=0):
    rng = np.random.default_rng(seed)
    true = rng.integers(0, n_classes, n_samples)
    flipped = rng.random(n_samples) < 0.2
    labels = np.where(flipped, (true + rng.integers(1, n_classes, n_samples)) % n_classes, true)
    alpha = np.full(n_classes, 0.5, dtype=np.float32)
    pred_probs = np.empty((n_samples, n_classes), dtype=np.float32)
    for begin in range(0, n_samples, 1_000_000):
        end = min(begin + 1_000_000, n_samples)
        block = rng.dirichlet(alpha, size=end - begin).astype(np.float32)
        block[np.arange(end - begin), true[begin:end]] += 1.0
        pred_probs[begin:end] = block / block.sum(axis=1, keepdims=True)
    return labels, pred_probs, flipped


def _spirals(n_samples, n_labeled, seed=0):
    rng = np.random.default_rng(seed)
    turn = np.sqrt(rng.random(n_samples)) * 3 * np.pi
    arm = rng.integers(0, 2, n_samples)
    X = np.column_stack([turn * np.cos(turn + np.pi * arm), turn * np.sin(turn + np.pi * arm)])
    X += rng.normal(scale=0.15, size=X.shape)
    y = np.full(n_samples, -1)
    labeled = np.concatenate(
        [rng.choice(np.flatnonzero(arm == k), n_labeled // 2, replace=False) for k in (0, 1)]
    )
    y[labeled] = arm[labeled]
    return X, y, arm


def run_label_issues(library, n_samples):
    if library == "sklweak":
        from sklweak.noise import find_label_issues

        options = {}
    else:
        from cleanlab.filter import find_label_issues

        options = {"n_jobs": 1}
    baseline = _resident_mb()
    start = _clock()
    labels, pred_probs, flipped = _dirichlet_problem(n_samples, 10)
    setup = _since(start)
    with_input = _resident_mb()
    start = _clock()
    with _ResidentPeak() as memory:
        issues = find_label_issues(labels, pred_probs, **options)
    fit = _since(start)
    found = np.asarray(issues, dtype=bool)
    precision = (found & flipped).sum() / max(found.sum(), 1)
    recall = (found & flipped).sum() / flipped.sum()
    quality = f"F1 {2 * precision * recall / (precision + recall):.3f}"
    input_mb = (labels.nbytes + pred_probs.nbytes) / 2**20
    return baseline, with_input, memory.peak, setup, fit, quality, input_mb


def run_label_spreading(library, n_samples):
    if library == "sklweak":
        from sklweak.graph import LabelSpreading
    else:
        from sklearn.semi_supervised import LabelSpreading
    baseline = _resident_mb()
    start = _clock()
    X, y, arm = _spirals(n_samples, 1_000)
    setup = _since(start)
    with_input = _resident_mb()
    start = _clock()
    model = LabelSpreading(kernel="knn", n_neighbors=10, alpha=0.9, max_iter=100)
    with _ResidentPeak() as memory:
        model.fit(X, y)
    fit = _since(start)
    quality = f"accuracy {np.mean(model.transduction_ == arm):.4f}"
    input_mb = (X.nbytes + y.nbytes) / 2**20
    return baseline, with_input, memory.peak, setup, fit, quality, input_mb


def run_llp_bp(library, n_samples):
    from sklearn.datasets import make_classification
    from sklearn.metrics import roc_auc_score

    from sklweak.llp import LLPBPClassifier, make_bag_target

    baseline = _resident_mb()
    start = _clock()
    X, y = make_classification(
        n_samples=n_samples + 100_000, n_features=20, n_informative=10, random_state=0
    )
    X_test, y_test = X[n_samples:], y[n_samples:]
    X, y = X[:n_samples], y[:n_samples]
    bags = np.empty(n_samples, dtype=np.int64)
    bags[np.random.default_rng(0).permutation(n_samples)] = np.arange(n_samples) // 64
    Y = make_bag_target(bags, np.bincount(bags, weights=y) / np.bincount(bags))
    setup = _since(start)
    with_input = _resident_mb()
    start = _clock()
    with _ResidentPeak() as memory:
        model = LLPBPClassifier(n_neighbors=10).fit(X, Y)
    fit = _since(start)
    quality = f"test AUC {roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]):.4f}"
    input_mb = (X.nbytes + Y.nbytes) / 2**20
    return baseline, with_input, memory.peak, setup, fit, quality, input_mb


WORKLOADS = {
    "label_issues": (run_label_issues, 10_000_000, ("sklweak", "cleanlab")),
    "label_spreading": (run_label_spreading, 1_000_000, ("sklweak", "scikit-learn")),
    "llp_bp": (run_llp_bp, 1_000_000, ("sklweak",)),
}


def _child(name, library, n_samples, queue):
    function = WORKLOADS[name][0]
    queue.put(function(library, n_samples))


def measure(name, library, n_samples):
    """Run one workload in a fresh process; return its numbers."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(name, library, n_samples, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main():
    # Here, not at the top: the spawned children import this module, and their
    # memory after imports must not include the harness's (sklearn, sklweak).
    from _common import add_common_arguments, write_json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=None, quick="1/20 of the sizes")
    parser.add_argument("--only", nargs="+", choices=sorted(WORKLOADS))
    args = parser.parse_args()
    print(
        "| workload | n | library | input MB | RSS after imports MB "
        "| RSS with input MB | peak RSS in fit MB | fit wall s | fit CPU s | result |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
    records = []
    for name in args.only or WORKLOADS:
        _, n_samples, libraries = WORKLOADS[name]
        if args.quick:
            n_samples //= 20
        for library in libraries:
            baseline, with_input, peak, _, fit, quality, input_mb = measure(
                name, library, n_samples
            )
            print(
                f"| {name} | {n_samples:,} | {library} | {input_mb:,.0f} "
                f"| {baseline:,.0f} | {with_input:,.0f} | {peak:,.0f} "
                f"| {fit[0]:.1f} | {fit[1]:.1f} | {quality} |",
                flush=True,
            )
            records.append(
                {
                    "workload": name,
                    "n": n_samples,
                    "library": library,
                    "input_mb": input_mb,
                    "rss_after_imports_mb": baseline,
                    "rss_with_input_mb": with_input,
                    "peak_rss_mb": peak,
                    "fit_wall_s": fit[0],
                    "fit_cpu_s": fit[1],
                    "result": quality,
                }
            )
    write_json(args.json, records)


if __name__ == "__main__":
    main()
