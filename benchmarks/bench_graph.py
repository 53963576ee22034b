"""Graph propagation: sklweak against scikit-learn's knn LabelSpreading.

Two tables.

1. Transductive accuracy (on the unlabeled samples) on KEEL data sets and
   scikit-learn's digits, with 5% and 10% of the labels kept (stratified,
   several seeds), features standardised. sklweak's ``kernel="knn"`` with exact
   search (the same graph as scikit-learn), with the approximate faiss HNSW
   search, ``kernel="rbf"`` on the same kNN graph (``gamma = 1 /
   n_features``; since the graph of ``kernel="rbf"`` became symmetric, on
   the symmetric 7-NN graph) and sklweak's defaults (``LabelSpreading()``),
   against scikit-learn's ``LabelSpreading(kernel="knn")``.
2. Fit time and peak memory on ``make_classification`` (20 features, 10
   classes, 1% labeled) at n = 10k, 100k, 1M. Every size runs in a fresh
   subprocess: sklweak's fits first, then scikit-learn's, in the same process;
   peak memory is the process's ``ru_maxrss`` read after each estimator's fits
   (so the peer's figure is the larger of the two; it includes the interpreter,
   the libraries and the data). scikit-learn is skipped at 1M (its exact
   search is quadratic: ~17 min extrapolated from 41 s at 200k).

Run ``python benchmarks/bench_graph.py`` (``--quick`` for a smoke run).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from functools import partial

import numpy as np
from _common import add_common_arguments, load_set, markdown_table, write_json

# scikit-learn's LabelSpreading defaults, which sklweak's (chosen on small data
# by bench_small_defaults.py) no longer equal: both sides get the same graph.
SKLEARN_GRAPH = {"n_neighbors": 7, "alpha": 0.2}
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (5_000, 20_000)
PEER_MAX_SIZE = 200_000
KEEL_SETS = {
    "spambase": None,
    "magic": 8000,
    "optdigits": None,
    "satimage": None,
    "penbased": 8000,
    "twonorm": None,
    "banana": None,
    "phoneme": None,
    "segment": None,
    "texture": None,
    "splice": None,
    "pima": None,
    "german": None,
    "vehicle": None,
}
QUICK_SETS = ("banana", "pima", "segment")


def _load(name, subsample, data_dir):
    X, y = load_set(name, data_dir)
    if subsample is not None and len(y) > subsample:
        rows = np.random.default_rng(0).choice(len(y), subsample, replace=False)
        X, y = X[np.sort(rows)], y[np.sort(rows)]
    return np.asarray(X, dtype=np.float64), np.unique(y, return_inverse=True)[1]


def _mask(y, fraction, seed):
    """Keep a stratified ``fraction`` of the labels (at least one per class)."""
    rng = np.random.default_rng(seed)
    y_weak = np.full(len(y), -1)
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        keep = rng.choice(rows, max(1, round(fraction * len(rows))), replace=False)
        y_weak[keep] = label
    return y_weak


def _accuracy(model, y, y_weak):
    unlabeled = y_weak == -1
    return float(np.mean(model.transduction_[unlabeled] == y[unlabeled]))


def accuracy_table(names, fractions, seeds, data_dir):
    from sklearn.preprocessing import StandardScaler
    from sklearn.semi_supervised import LabelSpreading as PeerSpreading

    from sklweak.graph import LabelSpreading

    header = ["data set", "n", "labels", "scikit-learn knn", "sklweak knn", "ratio"]
    header += ["sklweak knn (hnsw)", "ratio", "sklweak rbf-kNN", "ratio"]
    header += ["sklweak defaults", "ratio"]
    rows, records = [], []
    ratios = {"knn": [], "hnsw": [], "rbf": [], "defaults": []}
    for name in names:
        X, y = _load(name, None if name == "digits" else KEEL_SETS[name], data_dir)
        X = StandardScaler().fit_transform(X)
        gamma = 1.0 / X.shape[1]
        models = {
            "peer": partial(PeerSpreading, kernel="knn"),
            "knn": partial(LabelSpreading, **SKLEARN_GRAPH, kernel="knn", neighbors="exact"),
            "hnsw": partial(
                LabelSpreading, **SKLEARN_GRAPH, kernel="knn", neighbors="hnsw", n_jobs=1
            ),
            "rbf": partial(LabelSpreading, **SKLEARN_GRAPH, kernel="rbf", gamma=gamma),
            # sklweak's own defaults (the symmetric 15-NN graph, local widths, alpha 0.5)
            "defaults": partial(LabelSpreading, neighbors="exact"),
        }
        for fraction in fractions:
            scores = {key: [] for key in models}
            for seed in range(seeds):
                y_weak = _mask(y, fraction, seed)
                for key, make in models.items():
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        scores[key].append(_accuracy(make().fit(X, y_weak), y, y_weak))
            mean = {key: np.mean(values) for key, values in scores.items()}
            records.append({"set": name, "n": len(y), "fraction": fraction, "accuracy": scores})
            row = [name, str(len(y)), f"{fraction:.0%}", f"{mean['peer']:.4f}"]
            for key in ("knn", "hnsw", "rbf", "defaults"):
                ratio = mean[key] / mean["peer"]
                ratios[key].append(ratio)
                row += [f"{mean[key]:.4f}", f"{ratio:.3f}"]
            rows.append(row)
    summary = ", ".join(
        f"{key}: mean {np.mean(v):.3f}, min {np.min(v):.3f}" for key, v in ratios.items()
    )
    text = (
        f"{markdown_table(header, rows)}\n\nAccuracy ratios (sklweak / scikit-learn) — {summary}."
    )
    return text, records


def _scale_child(n_samples, repeats, threads, run_peer):
    """Run in a subprocess: time both estimators at one size, print JSON."""
    from sklearn.datasets import make_classification
    from sklearn.semi_supervised import LabelSpreading as PeerSpreading
    from threadpoolctl import threadpool_limits

    from sklweak.graph import LabelSpreading

    X, y = make_classification(
        n_samples=n_samples,
        n_features=20,
        n_informative=10,
        n_redundant=5,
        n_classes=10,
        random_state=0,
    )
    y_weak = _mask(y, 0.01, 0)
    result = {"n": n_samples}
    candidates = [("sklweak", lambda: LabelSpreading(**SKLEARN_GRAPH, kernel="knn"))]
    if run_peer:
        candidates.append(("scikit-learn", lambda: PeerSpreading(kernel="knn")))
    with threadpool_limits(limits=threads):
        for name, make in candidates:
            times = []
            for _ in range(repeats):
                model = make()
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model.fit(X, y_weak)
                times.append(time.perf_counter() - start)
            result[name] = {
                "seconds": float(np.median(times)),
                "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "accuracy": _accuracy(model, y, y_weak),
                "backend": getattr(model, "neighbors_backend_", "exact"),
            }
    print(json.dumps(result))


def scale_table(sizes, threads):
    header = ["n", "sklweak backend", "sklweak fit (s)", "scikit-learn fit (s)", "speed-up"]
    header += ["sklweak peak RSS (MiB)", "scikit-learn peak RSS (MiB)"]
    header += ["sklweak acc", "scikit-learn acc"]
    rows, results = [], []
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    env["OPENBLAS_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(threads)
    for n in sizes:
        repeats = 3 if n <= 100_000 else 1
        run_peer = n <= PEER_MAX_SIZE
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(n),
                str(repeats),
                str(threads),
                str(int(run_peer)),
            ],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        results.append(result)
        ours = result["sklweak"]
        peer = result.get("scikit-learn")
        if peer is None:
            cells = [
                "not run",
                "-",
                f"{ours['peak_mib']:.0f}",
                "-",
                f"{ours['accuracy']:.4f}",
                "-",
            ]
        else:
            cells = [
                f"{peer['seconds']:.2f}",
                f"{peer['seconds'] / ours['seconds']:.1f}x",
                f"{ours['peak_mib']:.0f}",
                f"{peer['peak_mib']:.0f}",
                f"{ours['accuracy']:.4f}",
                f"{peer['accuracy']:.4f}",
            ]
        rows.append([f"{n:,}", ours["backend"], f"{ours['seconds']:.2f}", *cells])
        print(markdown_table(header, rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    return markdown_table(header, rows), results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=3)
    parser.add_argument("--data", default=None, help="folder of raw KEEL .dat files (fallback)")
    parser.add_argument("--threads", type=int, default=2, help="threads per library")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--sizes", type=int, nargs="+", default=None, help="override the sizes")
    parser.add_argument("--child", nargs=4, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        n, repeats, threads, run_peer = args.child
        _scale_child(n, repeats, threads, bool(run_peer))
        return
    from threadpoolctl import threadpool_limits

    print(f"threads per library: {args.threads}\n")
    results = {"threads": args.threads}
    if not args.skip_accuracy:
        names = QUICK_SETS if args.quick else (*KEEL_SETS, "digits")
        seeds = 1 if args.quick else args.seeds
        with threadpool_limits(limits=args.threads):
            text, results["accuracy"] = accuracy_table(names, (0.05, 0.10), seeds, args.data)
        print(text)
        print()
    if not args.skip_scale:
        sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
        text, results["scale"] = scale_table(sizes, args.threads)
        print(text)
    write_json(args.json, results)


if __name__ == "__main__":
    main()
