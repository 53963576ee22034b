"""The compiled propagation kernel against its NumPy reference."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from sklweak.graph import _propagation_reference as reference
from sklweak.utils import load_kernel

compiled = load_kernel("sklweak.graph._propagation", implementation="compiled")


@st.composite
def propagation_problems(draw):
    """A random sparse graph with isolated nodes, empty rows and labels."""
    n_samples = draw(st.integers(1, 25))
    n_classes = draw(st.integers(1, 4))
    density = draw(st.floats(0.0, 0.6))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    graph = sparse.random(n_samples, n_samples, density=density, random_state=rng, format="csr")
    graph.data = rng.choice([0.0, 1e-300, 0.3, 1.0, 2.5], size=graph.nnz)
    isolated = rng.random(n_samples) < 0.2
    graph = (
        sparse.diags((~isolated).astype(float)) @ graph @ sparse.diags((~isolated).astype(float))
    )
    graph = graph.tocsr()
    graph.sort_indices()
    y_encoded = rng.integers(-1, n_classes, size=n_samples).astype(np.int64)
    index_dtype = draw(st.sampled_from([np.int32, np.int64]))
    arrays = (
        graph.indptr.astype(index_dtype),
        graph.indices.astype(index_dtype),
        graph.data.astype(np.float64),
    )
    max_iter = draw(st.integers(1, 40))
    tol = draw(st.sampled_from([0.0, 1e-9, 1e-3, 0.5, 100.0]))
    return arrays, y_encoded, n_classes, max_iter, tol


def _assert_same(result, expected):
    np.testing.assert_allclose(result[0], expected[0], rtol=1e-10, atol=1e-12)
    assert result[1:] == expected[1:]
    assert np.all(np.isfinite(result[0]))


@given(propagation_problems())
def test_propagate_labels_matches_reference(problem):
    arrays, y_encoded, n_classes, max_iter, tol = problem
    args = (*arrays, y_encoded, n_classes, max_iter, tol)
    _assert_same(compiled.propagate_labels(*args), reference.propagate_labels(*args))


@given(propagation_problems(), st.floats(0.01, 0.99))
def test_spread_labels_matches_reference(problem, alpha):
    arrays, y_encoded, n_classes, max_iter, tol = problem
    args = (*arrays, y_encoded, n_classes, alpha, max_iter, tol)
    _assert_same(compiled.spread_labels(*args), reference.spread_labels(*args))


@pytest.mark.parametrize("module", [compiled, reference], ids=["compiled", "reference"])
def test_hard_clamping_keeps_labels_and_normalises_rows(module):
    # path 0 - 1 - 2 - 3, ends labeled with different classes
    graph = sparse.csr_matrix(
        np.array([[0, 1, 0, 0], [0.5, 0, 0.5, 0], [0, 0.5, 0, 0.5], [0, 0, 1, 0]], float)
    )
    y_encoded = np.array([0, -1, -1, 1])
    scores, n_iter, converged = module.propagate_labels(
        graph.indptr, graph.indices, graph.data, y_encoded, 2, 200, 1e-12
    )
    assert converged and 0 < n_iter < 200
    np.testing.assert_allclose(scores, [[1, 0], [2 / 3, 1 / 3], [1 / 3, 2 / 3], [0, 1]])


@pytest.mark.parametrize("module", [compiled, reference], ids=["compiled", "reference"])
def test_spreading_fixed_point(module):
    rng = np.random.default_rng(0)
    dense = rng.random((6, 6)) * (rng.random((6, 6)) < 0.5)
    graph = sparse.csr_matrix(dense)
    y_encoded = np.array([0, 1, -1, -1, 2, -1])
    alpha = 0.3
    scores, _, converged = module.spread_labels(
        graph.indptr, graph.indices, graph.data, y_encoded, 3, alpha, 1000, 1e-13
    )
    one_hot = np.zeros((6, 3))
    one_hot[[0, 1, 4], [0, 1, 2]] = 1.0
    expected = np.linalg.solve(np.eye(6) - alpha * dense, (1 - alpha) * one_hot)
    assert converged
    np.testing.assert_allclose(scores, expected, atol=1e-10)


@pytest.mark.parametrize("module", [compiled, reference], ids=["compiled", "reference"])
def test_stopping_rule(module):
    graph = sparse.csr_matrix(np.array([[0.0, 1.0], [1.0, 0.0]]))
    args = (graph.indptr, graph.indices, graph.data, np.array([0, -1]), 2)
    # the one-hot start counts as a change of 1: a larger tol stops at once
    scores, n_iter, converged = module.propagate_labels(*args, 10, 1.5)
    assert (n_iter, converged) == (0, True)
    np.testing.assert_array_equal(scores, [[1, 0], [0, 0]])
    # running out of iterations is reported, even after a small last change
    _, n_iter, converged = module.propagate_labels(*args, 2, 1e-3)
    assert (n_iter, converged) == (2, False)
    _, n_iter, converged = module.propagate_labels(*args, 3, 1e-3)
    assert (n_iter, converged) == (2, True)


@pytest.mark.parametrize("module", [compiled, reference], ids=["compiled", "reference"])
def test_malformed_graph_rejected(module):
    y_encoded = np.array([0, -1])
    indptr = np.array([0, 1, 2], dtype=np.int32)
    data = np.ones(2)
    with pytest.raises(ValueError, match="outside"):
        module.spread_labels(
            indptr, np.array([0, 5], dtype=np.int32), data, y_encoded, 1, 0.5, 5, 0.0
        )
    with pytest.raises(ValueError, match="indptr"):
        module.spread_labels(
            indptr[:2], np.array([0], dtype=np.int32), data[:1], y_encoded, 1, 0.5, 5, 0
        )
    with pytest.raises(ValueError, match="n_classes"):
        module.propagate_labels(
            indptr, np.array([1, 0], dtype=np.int32), data, np.array([3, -1]), 2, 5, 0
        )


def test_read_only_inputs_accepted():
    graph = sparse.csr_matrix(np.array([[0.0, 1.0], [1.0, 0.0]]))
    arrays = [graph.indptr.copy(), graph.indices.copy(), graph.data.copy()]
    y_encoded = np.array([0, -1], dtype=np.int64)
    for array in (*arrays, y_encoded):
        array.setflags(write=False)
    scores, _, _ = compiled.spread_labels(*arrays, y_encoded, 1, 0.5, 50, 1e-9)
    assert scores.flags.writeable and np.all(scores > 0)
