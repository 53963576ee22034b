"""The LLP belief-propagation kernels: compiled against reference, and against brute force."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from sklweak.llp import _belief_propagation_reference as reference
from sklweak.utils import load_kernel

compiled = load_kernel("sklweak.llp._belief_propagation", implementation="compiled")
KERNELS = [compiled, reference]


def _symmetric_graph(n_samples, edges, weights, index_dtype=np.int64):
    """CSR arrays, reverse positions and couplings of an undirected edge list."""
    rows = [i for i, j in edges] + [j for i, j in edges]
    cols = [j for i, j in edges] + [i for i, j in edges]
    data = list(weights) + list(weights)
    graph = sparse.csr_matrix(
        (np.asarray(data, dtype=np.float64), (rows, cols)), shape=(n_samples, n_samples)
    )
    graph.sort_indices()
    positions = sparse.csr_matrix(
        (np.arange(1, graph.nnz + 1, dtype=np.float64), graph.indices, graph.indptr),
        shape=graph.shape,
    )
    transposed = positions.T.tocsr()
    transposed.sort_indices()
    return (
        graph.indptr.astype(index_dtype),
        graph.indices.astype(index_dtype),
        (transposed.data - 1).astype(index_dtype),
        graph.data.copy(),
    )


def _bag_arrays(bags):
    indptr = np.concatenate([[0], np.cumsum([len(b) for b in bags])]).astype(np.int64)
    members = np.asarray([m for b in bags for m in b], dtype=np.int64)
    return indptr, members


def _exact_marginals(n_samples, edges, weights, bags, targets, strength, prior):
    """Marginals of the Gibbs distribution by enumerating every labelling."""
    total = 0.0
    ones = np.zeros(n_samples)
    for labels in itertools.product([0, 1], repeat=n_samples):
        y = np.asarray(labels, dtype=np.float64)
        energy = prior @ y
        for (i, j), w in zip(edges, weights):
            energy -= w * (y[i] != y[j])
        for bag, target in zip(bags, targets):
            energy -= strength * (y[bag].sum() - target) ** 2
        weight = np.exp(energy)
        total += weight
        ones += weight * y
    return ones / total


@st.composite
def bp_problems(draw):
    """A random graph with cycles, bags of unequal sizes and unbagged samples."""
    n_samples = draw(st.integers(1, 18))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    pairs = [(i, j) for i in range(n_samples) for j in range(i + 1, n_samples)]
    density = draw(st.floats(0.0, 0.5))
    edges = [pair for pair in pairs if rng.random() < density]
    weights = rng.choice([0.0, 0.2, 1.0, 2.0], size=len(edges))
    index_dtype = draw(st.sampled_from([np.int32, np.int64]))
    graph = _symmetric_graph(n_samples, edges, weights, index_dtype)
    order = rng.permutation(n_samples)
    bags, start = [], 0
    while start < n_samples:
        size = int(rng.integers(1, 8))
        if rng.random() < 0.8:
            bags.append(order[start : start + size].tolist())
        start += size
    targets = np.asarray([rng.uniform(0, len(b)) for b in bags])
    prior = rng.choice([-30.0, -2.0, 0.0, 0.5, 3.0, 30.0], size=n_samples)
    strength = draw(st.sampled_from([0.1, 1.0, 5.0]))
    damping = draw(st.sampled_from([0.0, 0.3, 0.7]))
    max_iter = draw(st.integers(1, 25))
    tol = draw(st.sampled_from([0.0, 1e-6, 1e-2]))
    return graph, bags, targets, strength, prior, damping, max_iter, tol


@given(bp_problems())
def test_run_belief_propagation_matches_reference(problem):
    graph, bags, targets, strength, prior, damping, max_iter, tol = problem
    args = (
        *graph,
        *_bag_arrays(bags),
        targets,
        strength,
        prior,
        damping,
        max_iter,
        tol,
    )
    fast = compiled.run_belief_propagation(*args)
    slow = reference.run_belief_propagation(*args)
    np.testing.assert_allclose(fast[0], slow[0], rtol=1e-7, atol=1e-9)
    assert fast[1:] == slow[1:]
    assert np.all((fast[0] >= 0) & (fast[0] <= 1))


@given(
    st.integers(1, 70),
    st.integers(0, 2**31 - 1),
    st.sampled_from([0.5, 3.0, 40.0, 800.0]),
    st.floats(0.0, 1.0),
    st.sampled_from([0.0, 0.05, 1.0, 10.0, 200.0]),
)
def test_count_factor_messages_match_reference(size, seed, scale, share, strength):
    # Large cavities and strengths push the compiled kernel onto its log-domain path.
    cavity = np.random.default_rng(seed).normal(size=size) * scale
    fast = compiled.count_factor_messages(cavity, share * size, strength)
    slow = reference.count_factor_messages(cavity, share * size, strength)
    assert np.all(np.isfinite(fast))
    np.testing.assert_allclose(fast, slow, rtol=1e-7, atol=1e-7)


def test_count_factor_messages_of_a_large_bag():
    # 700 members: blocks of 27 rows between checkpoints, the last one partial.
    cavity = np.random.default_rng(0).normal(size=700)
    fast = compiled.count_factor_messages(cavity, 250.0, 0.5)
    slow = reference.count_factor_messages(cavity, 250.0, 0.5)
    np.testing.assert_allclose(fast, slow, rtol=1e-8, atol=1e-9)


def test_pairwise_messages_match_reference():
    cavity = np.array([-800.0, -3.0, 0.0, 0.7, 40.0, 800.0])
    coupling = np.array([2.0, 0.0, 1.0, 5.0, 0.5, 3.0])
    np.testing.assert_allclose(
        compiled.pairwise_messages(cavity, coupling),
        reference.pairwise_messages(cavity, coupling),
        rtol=1e-12,
        atol=1e-12,
    )


@pytest.mark.parametrize("kernel", KERNELS, ids=["compiled", "reference"])
@pytest.mark.parametrize("seed", range(6))
def test_single_bag_is_exact(kernel, seed):
    """One bag, no similarity factor: a tree, so BP gives the exact marginals."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 10))
    prior = rng.normal(size=size) * 2
    target = rng.uniform(0, size)
    strength = rng.choice([0.2, 1.0, 4.0])
    graph = _symmetric_graph(size, [], [])
    marginals, _, converged = kernel.run_belief_propagation(
        *graph,
        *_bag_arrays([list(range(size))]),
        np.array([target]),
        strength,
        prior,
        0.0,
        10,
        1e-12,
    )
    exact = _exact_marginals(size, [], [], [list(range(size))], [target], strength, prior)
    assert converged
    np.testing.assert_allclose(marginals, exact, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("kernel", KERNELS, ids=["compiled", "reference"])
@pytest.mark.parametrize("seed", range(3))
def test_tree_of_bags_and_edges_is_exact(kernel, seed):
    """Bags linked by single edges into a tree factor graph: BP is exact."""
    rng = np.random.default_rng(seed)
    bags = [[0, 1, 2], [3, 4], [5, 6, 7]]
    # One edge between consecutive bags, plus pendant samples 8 and 9: no cycle.
    edges = [(int(rng.integers(0, 3)), int(rng.integers(3, 5))), (4, 6), (8, 1), (9, 7)]
    weights = rng.uniform(0.1, 3.0, size=len(edges))
    targets = np.array([rng.uniform(0, len(b)) for b in bags])
    prior = rng.normal(size=10)
    graph = _symmetric_graph(10, edges, weights)
    marginals, _, converged = kernel.run_belief_propagation(
        *graph, *_bag_arrays(bags), targets, 1.5, prior, 0.2, 200, 1e-13
    )
    exact = _exact_marginals(10, edges, weights, bags, targets, 1.5, prior)
    assert converged
    np.testing.assert_allclose(marginals, exact, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("kernel", KERNELS, ids=["compiled", "reference"])
def test_loopy_graph_is_close_to_exact(kernel):
    """On a small graph with cycles and weak couplings BP is a close approximation."""
    rng = np.random.default_rng(3)
    edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3), (1, 4)]
    weights = np.full(len(edges), 0.3)
    bags = [[0, 3], [1, 4, 5]]
    targets = np.array([1.0, 2.0])
    prior = rng.normal(size=6) * 0.5
    graph = _symmetric_graph(6, edges, weights)
    marginals, _, converged = kernel.run_belief_propagation(
        *graph, *_bag_arrays(bags), targets, 0.5, prior, 0.5, 500, 1e-12
    )
    exact = _exact_marginals(6, edges, weights, bags, targets, 0.5, prior)
    assert converged
    np.testing.assert_allclose(marginals, exact, atol=0.05)


def test_max_iter_stops_without_convergence():
    graph = _symmetric_graph(3, [(0, 1), (1, 2), (2, 0)], [2.0, 2.0, 2.0])
    result = compiled.run_belief_propagation(
        *graph,
        *_bag_arrays([[0, 1, 2]]),
        np.array([1.0]),
        1.0,
        np.zeros(3),
        0.0,
        1,
        0.0,
    )
    assert result[1:] == (1, False)


@pytest.mark.parametrize("kernel", KERNELS, ids=["compiled", "reference"])
def test_inconsistent_arrays_are_rejected(kernel):
    graph = _symmetric_graph(3, [(0, 1)], [1.0])
    with pytest.raises(ValueError, match="bag_indptr"):
        kernel.run_belief_propagation(
            *graph,
            np.array([0, 1], dtype=np.int64),
            np.array([0], dtype=np.int64),
            np.array([0.5, 0.5]),
            1.0,
            np.zeros(3),
            0.5,
            5,
            1e-4,
        )
    with pytest.raises(ValueError, match="n_samples"):
        kernel.run_belief_propagation(
            *graph, *_bag_arrays([]), np.zeros(0), 1.0, np.zeros(4), 0.5, 5, 1e-4
        )
