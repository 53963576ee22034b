"""The compiled Floyd-Warshall kernel against its NumPy reference and scipy."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import shortest_path

from sklweak.lowdensity import _paths_reference as reference
from sklweak.utils._kernels import load_kernel

compiled = load_kernel("sklweak.lowdensity._paths", implementation="compiled")


def _graph(n_nodes, density, zero_edges, seed):
    rng = np.random.RandomState(seed)
    lengths = np.where(rng.rand(n_nodes, n_nodes) < density, rng.rand(n_nodes, n_nodes), np.inf)
    if zero_edges:
        lengths[rng.rand(n_nodes, n_nodes) < 0.1] = 0.0
    np.fill_diagonal(lengths, 0.0)
    return lengths


# Sizes around and past the kernel's 64-node tiles, directed graphs with
# missing and zero-length edges.
@settings(max_examples=40, deadline=None)
@given(
    n_nodes=st.sampled_from([1, 2, 5, 63, 64, 65, 130]),
    density=st.sampled_from([0.05, 0.3, 1.0]),
    zero_edges=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_compiled_matches_reference(n_nodes, density, zero_edges, seed):
    lengths = _graph(n_nodes, density, zero_edges, seed)
    fast, slow = lengths.copy(), lengths.copy()
    compiled.floyd_warshall_inplace(fast)
    reference.floyd_warshall_inplace(slow)
    np.testing.assert_allclose(fast, slow, rtol=1e-12)
    assert np.array_equal(np.isinf(fast), np.isinf(slow))


def test_matches_scipy_shortest_paths():
    lengths = _graph(150, 0.2, False, 0)
    expected = shortest_path(np.where(np.isinf(lengths), 0.0, lengths), method="D")
    compiled.floyd_warshall_inplace(lengths)
    np.testing.assert_allclose(lengths, expected, rtol=1e-12)


def test_rejects_non_square():
    with pytest.raises(ValueError, match="square"):
        compiled.floyd_warshall_inplace(np.zeros((2, 3)))
