"""LLP by belief propagation: kernel scaling, one million samples, Bank Marketing.

Three tables.

1. Time per belief-propagation iteration of the compiled kernel at fixed
   ``n`` (``make_classification``, 16 features, HNSW 10-NN graph built once,
   random unary log-odds) for bags of 8, 32, 128 and 512 consecutive samples:
   graph and bags together, the graph alone and the bags alone, the latter per
   sample and per sample times bag size. The count factor's dynamic programme
   costs ``O(n * bag size)`` plus a per-sample constant: the last column
   falls towards a constant as the bag size grows.
2. ``LLPBPClassifier`` on one million samples (``make_classification``, 20
   features, 2 classes), random bags of 64, approximate HNSW graph: stage
   times and the test AUC next to the oracle (logistic regression on the
   instance labels).
3. Bank Marketing as prepared by the LLP-BP paper's code (bags of consecutive
   training rows, rows shuffled by the seed): instance-level test AUC of
   LLP-BP (default parameters, approximate HNSW graph), the proportion-weighted
   baseline and
   EasyLLP (all linear learners), and the oracle, mean and standard deviation
   over 3 seeds, for bag sizes 8, 32, 128 and 512.
4. ``--only refine``: the paper's embedding refinement on the same Bank
   bags. LLP-BP with its default learner (logistic regression), with the MLP
   learner (``estimator="mlp"``, one round: read off the first round of the
   next fit, which it equals), and with the MLP and embedding refinement
   (``n_rounds=2``: the second round's kNN graph is built on the MLP's last
   hidden layer); the oracles are logistic regression and the same MLP on
   the instance labels. Settings (seed, bag size) run in ``--n-jobs``
   processes; each finished cell is printed as it ends.

Run ``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/bench_llp_bp.py``
(``--quick`` for a smoke run, ``--data`` for the shared data folder,
``--max-train 300`` for the small version of the Bank tables; the defaults
grids are in ``bench_llp_defaults.py``).
"""

import argparse
import multiprocessing
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from _common import add_common_arguments, write_json
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from sklweak.llp import (
    EasyLLPClassifier,
    LLPBPClassifier,
    ProportionWeightedClassifier,
    make_bag_target,
)
from sklweak.llp._soft_mlp import SoftLabelMLPClassifier
from sklweak.utils import load_kernel
from sklweak.utils._proportions import bag_mean

BAG_SIZES = (8, 32, 128, 512)


def consecutive_bags(y, bag_size):
    """Bag target of consecutive rows, proportions from the true labels."""
    bags = np.arange(y.shape[0]) // bag_size
    proportions = bag_mean(np.eye(2)[y], bags, bags[-1] + 1)
    return bags, make_bag_target(bags, proportions)


def kernel_scaling(n_samples, n_iter):
    X, y = make_classification(n_samples=n_samples, n_features=16, n_informative=8, random_state=0)
    graph = LLPBPClassifier(n_neighbors=10, neighbors="hnsw")._similarity_graph(X)
    empty = (
        np.zeros(n_samples + 1, dtype=graph[1].dtype),
        graph[1][:0],
        graph[2][:0],
        graph[3][:0],
    )
    kernel = load_kernel("sklweak.llp._belief_propagation", implementation="compiled")
    members = np.arange(n_samples, dtype=np.int64)
    prior = np.random.default_rng(0).normal(size=n_samples)
    no_bags = (np.zeros(1, dtype=np.int64), members[:0], np.zeros(0))

    def per_iteration(edges, bag_arrays):
        start = time.perf_counter()
        _, done, _ = kernel.run_belief_propagation(
            *edges, *bag_arrays, 1.0, prior, 0.3, n_iter, 0.0
        )
        return (time.perf_counter() - start) / done

    graph_only = per_iteration(graph, no_bags)
    rows = [
        (
            "| bag size | s / iteration (graph + bags) | graph alone (s) "
            "| bags alone (s) | bags alone, ns / sample "
            "| bags alone, ns / (sample * bag size) |"
        ),
        "|---:|---:|---:|---:|---:|---:|",
    ]
    records = []
    for bag_size in BAG_SIZES:
        indptr = np.unique(np.r_[np.arange(0, n_samples, bag_size), n_samples])
        counts = np.add.reduceat(y, indptr[:-1]).astype(np.float64)
        bags = (indptr.astype(np.int64), members, counts)
        whole = per_iteration(graph, bags)
        bags_only = per_iteration(empty, bags)
        records.append({"bag_size": bag_size, "whole_s": whole, "bags_only_s": bags_only})
        rows.append(
            f"| {bag_size} | {whole:.3f} | {graph_only:.3f} | {bags_only:.3f} "
            f"| {1e9 * bags_only / n_samples:.0f} "
            f"| {1e9 * bags_only / (n_samples * bag_size):.1f} |"
        )
    edges = graph[1].shape[0]
    text = f"n = {n_samples}, {edges} directed edges, {n_iter} iterations each\n\n"
    data = {"n": n_samples, "edges": edges, "graph_only_s": graph_only, "bags": records}
    return text + "\n".join(rows), data


def million(n_samples, bag_size):
    X, y = make_classification(
        n_samples=n_samples + 100_000,
        n_features=20,
        n_informative=10,
        random_state=0,
    )
    X_test, y_test = X[n_samples:], y[n_samples:]
    X, y = X[:n_samples], y[:n_samples]
    order = np.random.default_rng(0).permutation(n_samples)
    bags = np.empty(n_samples, dtype=np.int64)
    bags[order] = np.arange(n_samples) // bag_size
    Y = make_bag_target(bags, bag_mean(np.eye(2)[y], bags, bags.max() + 1))
    clf = LLPBPClassifier(n_neighbors=10, neighbors="hnsw", n_rounds=1)
    stages = {}
    build_graph = clf._similarity_graph

    def timed_graph(points):
        begin, cpu_begin = time.perf_counter(), time.process_time()
        graph = build_graph(points)
        stages["graph"] = time.perf_counter() - begin
        stages["graph cpu"] = time.process_time() - cpu_begin
        stages["edges"] = graph[1].shape[0]
        return graph

    clf._similarity_graph = timed_graph
    start, cpu_start = time.perf_counter(), time.process_time()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        clf.fit(X, Y)
    fit_time = time.perf_counter() - start
    fit_cpu = time.process_time() - cpu_start
    auc = roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
    start = time.perf_counter()
    oracle = LogisticRegression(max_iter=1000).fit(X, y)
    oracle_time = time.perf_counter() - start
    oracle_auc = roc_auc_score(y_test, oracle.predict_proba(X_test)[:, 1])
    converged = "no (ConvergenceWarning)" if caught else "yes"
    data = {"n": n_samples, "bag_size": bag_size, **stages, "fit_s": fit_time, "fit_cpu_s": fit_cpu}
    data.update(auc=auc, oracle_auc=oracle_auc, oracle_s=oracle_time, converged=not caught)
    text = "\n".join(
        [
            (
                f"n = {n_samples}, bag size {bag_size}, {stages['edges']} directed "
                "edges (HNSW 10-NN, symmetrised)"
            ),
            "",
            "| step | wall s | CPU s (one thread) |",
            "|---|---:|---:|",
            f"| kNN graph (HNSW) | {stages['graph']:.1f} | {stages['graph cpu']:.1f} |",
            (
                f"| belief propagation + learner | {fit_time - stages['graph']:.1f} "
                f"| {fit_cpu - stages['graph cpu']:.1f} |"
            ),
            f"| LLPBPClassifier.fit total | {fit_time:.1f} | {fit_cpu:.1f} |",
            f"| BP iterations run / converged | {clf.n_iter_[0, 0]} / {converged} | |",
            (f"| oracle LogisticRegression fit on instance labels | {oracle_time:.1f} | |"),
            "",
            (f"test AUC: LLP-BP {auc:.4f}, oracle {oracle_auc:.4f} (ratio {auc / oracle_auc:.3f})"),
        ]
    )
    return text, data


def bank(data, bag_sizes, seeds, max_train):
    data = np.load(Path(data) / "bank_marketing_llp" / "bank_marketing.npz")
    X, y = data["X_train"], data["y_train"].astype(int).ravel()
    X_test, y_test = data["X_test"], data["y_test"].astype(int).ravel()
    methods = {
        "LLP-BP (HNSW graph)": lambda: LLPBPClassifier(neighbors="hnsw"),
        "proportion-weighted LR": lambda: ProportionWeightedClassifier(
            LogisticRegression(max_iter=1000)
        ),
        "EasyLLP (linear)": lambda: EasyLLPClassifier(),
    }
    oracle = LogisticRegression(max_iter=1000)
    scores = {name: {b: [] for b in bag_sizes} for name in [*methods, "oracle LR"]}
    seconds = dict.fromkeys(methods, 0.0)
    for seed in seeds:
        order = np.random.default_rng(seed).permutation(X.shape[0])[:max_train]
        X_seed, y_seed = X[order], y[order]
        oracle_auc = roc_auc_score(y_test, oracle.fit(X_seed, y_seed).predict_proba(X_test)[:, 1])
        for bag_size in bag_sizes:
            scores["oracle LR"][bag_size].append(oracle_auc)
            _, Y = consecutive_bags(y_seed, bag_size)
            for name, make in methods.items():
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    model = make().fit(X_seed, Y)
                seconds[name] += time.perf_counter() - start
                auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
                scores[name][bag_size].append(auc)
    header = "| method | " + " | ".join(f"bag {b}" for b in bag_sizes) + " | fit s |"
    rows = [header, "|---|" + "---:|" * (len(bag_sizes) + 1)]
    for name, by_size in scores.items():
        cells = [f"{np.mean(v):.4f} ± {np.std(v):.4f}" for v in by_size.values()]
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {seconds.get(name, 0):.0f} |")
    ratios = " | ".join(
        f"{np.mean(scores['LLP-BP (HNSW graph)'][b]) / np.mean(scores['oracle LR'][b]):.3f}"
        for b in bag_sizes
    )
    rows.append(f"| LLP-BP / oracle | {ratios} | |")
    text = (
        f"{X.shape[0] if max_train is None else min(max_train, X.shape[0])} "
        f"training rows, {X_test.shape[0]} test rows, seeds {list(seeds)}\n\n" + "\n".join(rows)
    )
    return text, {"seeds": list(seeds), "auc": scores, "fit_s": seconds}


ROUND_ONE = "LLP-BP, MLP learner, 1 round"
REFINED = "LLP-BP, MLP + embedding refinement (2 rounds)"
REFINE_METHODS = {
    "LLP-BP, LR learner (default)": {},
    REFINED: {"estimator": "mlp", "n_rounds": 2},
}


def _bank_rows(data, seed, max_train):
    data = np.load(Path(data) / "bank_marketing_llp" / "bank_marketing.npz")
    X, y = data["X_train"], data["y_train"].astype(int).ravel()
    order = np.random.default_rng(seed).permutation(X.shape[0])[:max_train]
    return (X[order], y[order], data["X_test"], data["y_test"].astype(int).ravel())


def _watch_first_round(model, X_test, y_test, cells, start):
    """Score the first round's MLP when the second round builds its graph.

    Round one of ``n_rounds=2`` is exactly the ``n_rounds=1`` fit (same seed,
    no feedback yet), so this gives the one-round MLP row at no extra cost.
    """
    build = model._similarity_graph

    def graph(points):
        if hasattr(model, "estimator_"):
            auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
            cells[ROUND_ONE] = (auc, time.perf_counter() - start)
        return build(points)

    model._similarity_graph = graph


def _refine_cell(task):
    data, seed, bag_size, max_train = task
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    X, y, X_test, y_test = _bank_rows(data, seed, max_train)
    cells = {}
    with threadpool_limits(limits=1):
        if bag_size is None:
            models = {
                "oracle LR": LogisticRegression(max_iter=1000),
                "oracle MLP": SoftLabelMLPClassifier(random_state=seed),
            }
            targets = dict.fromkeys(models, y)
        else:
            _, Y = consecutive_bags(y, bag_size)
            models = {
                name: LLPBPClassifier(neighbors="hnsw", random_state=seed, **params)
                for name, params in REFINE_METHODS.items()
            }
            targets = dict.fromkeys(models, Y)
        for name, model in models.items():
            start = time.perf_counter()
            if name == REFINED:
                _watch_first_round(model, X_test, y_test, cells, start)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X, targets[name])
            spent = time.perf_counter() - start
            auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
            cells[name] = (auc, spent)
            for key in [ROUND_ONE, name] if name == REFINED else [name]:
                print(
                    f"| {seed} | {bag_size or '-'} | {key} | {cells[key][0]:.4f} "
                    f"| {cells[key][1]:.0f} |",
                    flush=True,
                )
    return seed, bag_size, cells


def refine(data, bag_sizes, seeds, max_train, n_jobs):
    print("Cells as they end (seed, bag size, method, test AUC, fit s):\n")
    print("| seed | bag | method | AUC | fit s |\n|---|---|---|---:|---:|", flush=True)
    tasks = [(data, seed, size, max_train) for seed in seeds for size in bag_sizes]
    tasks += [(data, seed, None, max_train) for seed in seeds]
    if n_jobs == 1:
        finished = [_refine_cell(task) for task in tasks]
    else:
        with multiprocessing.get_context("fork").Pool(n_jobs, maxtasksperchild=1) as pool:
            finished = list(pool.imap_unordered(_refine_cell, tasks))
    scores, seconds = {}, {}
    for _, bag_size, cells in finished:
        for name, (auc, spent) in cells.items():
            for size in bag_sizes if bag_size is None else [bag_size]:
                scores.setdefault(name, {}).setdefault(size, []).append(auc)
            seconds.setdefault(name, []).append(spent)
    names = ["LLP-BP, LR learner (default)", ROUND_ONE, REFINED, "oracle LR", "oracle MLP"]
    rows = [
        "| method | " + " | ".join(f"bag {b}" for b in bag_sizes) + " | mean fit s |",
        "|---|" + "---:|" * (len(bag_sizes) + 1),
    ]
    for name in names:
        cells = [
            f"{np.mean(v):.4f} ± {np.std(v):.4f}" for v in (scores[name][b] for b in bag_sizes)
        ]
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {np.mean(seconds[name]):.0f} |")
    text = (
        f"\n{_n_train_rows(data, max_train)} training rows, seeds {list(seeds)}; mean ± sd\n\n"
        + "\n".join(rows)
    )
    return text, {"seeds": list(seeds), "auc": scores, "fit_s": seconds}


def _n_train_rows(data, max_train):
    n = np.load(Path(data) / "bank_marketing_llp" / "bank_marketing.npz")["y_train"].shape[0]
    return n if max_train is None else min(n, max_train)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=None)
    parser.add_argument(
        "--only",
        choices=["scaling", "million", "bank", "refine"],
        action="append",
        help="run only these tables (repeatable); default all",
    )
    parser.add_argument(
        "--seed",
        type=int,
        action="append",
        help="Bank Marketing seeds (repeatable); default 0, 1 and 2",
    )
    parser.add_argument(
        "--n-large",
        type=int,
        default=1_000_000,
        help="training samples of the large synthetic run (default one million)",
    )
    parser.add_argument(
        "--data",
        default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"),
        help="shared data folder (holds bank_marketing_llp/)",
    )
    parser.add_argument("--n-jobs", type=int, default=1, help="processes of the refine table")
    parser.add_argument(
        "--max-train",
        type=int,
        default=None,
        help="Bank tables: only the first N shuffled training rows (e.g. 300, a small version)",
    )
    args = parser.parse_args()
    only = set(args.only or ["scaling", "million", "bank", "refine"])
    results = {}

    def show(part, text_and_data):
        text, results[part] = text_and_data
        print(text)

    with threadpool_limits(limits=1):
        if "scaling" in only:
            print("### BP time per iteration against bag size\n")
            show("scaling", kernel_scaling(10_000, 2) if args.quick else kernel_scaling(100_000, 5))
        if "bank" in only:
            print("\n### Bank Marketing: test AUC\n")
            if args.quick:
                show("bank", bank(args.data, (8, 128), (0,), 5_000))
            else:
                seeds = tuple(args.seed or (0, 1, 2))
                show("bank", bank(args.data, BAG_SIZES, seeds, args.max_train))
        if "refine" in only:
            print("\n### Bank Marketing: MLP learner and embedding refinement\n")
            if args.quick:
                show("refine", refine(args.data, (8, 128), (0,), 3_000, args.n_jobs))
            else:
                seeds = tuple(args.seed or (0,))
                show("refine", refine(args.data, BAG_SIZES, seeds, args.max_train, args.n_jobs))
        if "million" in only:
            print("\n### One million samples\n")
            show("million", million(50_000, 64) if args.quick else million(args.n_large, 64))
    write_json(args.json, results)


if __name__ == "__main__":
    main()
