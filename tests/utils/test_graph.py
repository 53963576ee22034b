"""The shared k-nearest-neighbour graph builder."""

import pickle
import sys

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_blobs
from sklearn.neighbors import NearestNeighbors

from sklweak.utils._graph import (
    EXACT_MAX_SAMPLES,
    TREE_MAX_FEATURES,
    NeighborIndex,
    _remove_self,
    build_knn_graph,
    graph_from_neighbors,
    locality_order,
    resolve_neighbors,
)


@pytest.fixture(scope="module")
def blobs():
    X, _ = make_blobs(600, n_features=8, centers=5, random_state=0)
    return X


def test_exact_graph_is_scikit_learns(blobs):
    X = np.vstack([blobs, blobs[:20]])  # duplicated points too
    nn = NearestNeighbors(n_neighbors=6).fit(X)
    with_self = build_knn_graph(X, 6, neighbors="exact")
    expected = nn.kneighbors_graph(X, 6, mode="connectivity")
    assert (with_self != expected).nnz == 0
    np.testing.assert_array_equal(with_self.indices, expected.indices)
    without_self = build_knn_graph(X, 6, include_self=False, neighbors="exact")
    assert (without_self != nn.kneighbors_graph(None, 6)).nnz == 0
    assert without_self.diagonal().sum() == 0


def test_weights(blobs):
    distance = build_knn_graph(blobs, 5, weights="distance", include_self=False)
    expected = NearestNeighbors(n_neighbors=5).fit(blobs).kneighbors_graph(None, 5, mode="distance")
    np.testing.assert_allclose(distance.toarray(), expected.toarray())
    rbf = build_knn_graph(blobs, 5, weights="rbf", gamma=0.3, include_self=False)
    np.testing.assert_allclose(rbf.data, np.exp(-0.3 * distance.data**2))
    with pytest.raises(ValueError, match="weights"):
        build_knn_graph(blobs, 5, weights="cosine")


def test_sparse_input_uses_exact_search(blobs):
    X = sparse.csr_matrix(np.where(np.abs(blobs) > 3, blobs, 0.0))
    graph, index = build_knn_graph(X, 4, return_index=True)
    assert index.backend_ == "exact"
    dense = build_knn_graph(X.toarray(), 4, neighbors="exact")
    assert (graph != dense).nnz == 0


def test_graph_from_neighbors_shapes_and_index_type():
    indices = np.array([[0, 2], [1, 0]])
    graph = graph_from_neighbors(np.ones((2, 2)), indices, 5, weights="rbf", gamma=1)
    assert graph.shape == (2, 5) and graph.indices.dtype == np.int32
    np.testing.assert_allclose(graph.toarray()[0], [np.exp(-1), 0, np.exp(-1), 0, 0])


def test_remove_self_drops_own_index_or_farthest():
    indices = np.array([[0, 3, 1], [2, 0, 3], [1, 2, 3]])
    distances = np.arange(9.0).reshape(3, 3)
    kept_distances, kept = _remove_self(distances, indices)
    np.testing.assert_array_equal(kept, [[3, 1], [2, 0], [1, 3]])
    np.testing.assert_array_equal(kept_distances, [[1, 2], [3, 4], [6, 8]])
    kept_distances, kept = _remove_self(distances, np.array([[4, 5, 6]] * 3))
    np.testing.assert_array_equal(kept, [[4, 5]] * 3)


def test_resolve_neighbors(blobs):
    assert resolve_neighbors("auto", blobs) == "exact"
    assert resolve_neighbors("exact", blobs) == "exact"
    with pytest.raises(ValueError, match="neighbors must be one of"):
        resolve_neighbors("kd_tree", blobs)
    with pytest.raises(ValueError, match="dense"):
        resolve_neighbors("hnsw", sparse.csr_matrix(blobs))
    big = np.zeros((EXACT_MAX_SAMPLES, 1))
    assert resolve_neighbors("auto", sparse.csr_matrix(big)) == "exact"


def test_missing_faiss_is_a_clear_error(blobs, monkeypatch):
    monkeypatch.setitem(sys.modules, "faiss", None)
    with pytest.raises(ImportError, match=r"faiss-cpu.*sklweak\[ann\]"):
        build_knn_graph(blobs, 5, neighbors="hnsw")
    big = np.zeros((EXACT_MAX_SAMPLES, TREE_MAX_FEATURES + 1))
    with pytest.warns(UserWarning, match="faiss-cpu"):
        assert resolve_neighbors("auto", big) == "exact"


def test_kneighbors_bounds(blobs):
    index = NeighborIndex("exact").fit(blobs[:5])
    with pytest.raises(ValueError, match="n_neighbors must be between 1 and 4"):
        index.kneighbors(None, 5, include_self=False)
    assert index.kneighbors(None, 5)[1].shape == (5, 5)
    assert index.kneighbors(blobs[:2], 5)[1].shape == (2, 5)


def test_hnsw_graph_recall_and_self_loops(blobs):
    faiss = pytest.importorskip("faiss")
    threads = faiss.omp_get_max_threads()
    exact = build_knn_graph(blobs, 10, include_self=False, neighbors="exact")
    approximate, index = build_knn_graph(
        blobs, 10, include_self=False, neighbors="hnsw", n_jobs=1, return_index=True
    )
    assert faiss.omp_get_max_threads() == threads
    assert index.backend_ == "hnsw"
    assert approximate.diagonal().sum() == 0
    assert np.all(approximate.getnnz(axis=1) == 10)
    recall = exact.multiply(approximate).nnz / exact.nnz
    assert recall > 0.95
    with_self = build_knn_graph(blobs, 10, neighbors="hnsw", n_jobs=1)
    assert with_self.diagonal().sum() > 0.95 * len(blobs)
    distances, indices = index.kneighbors(blobs[:3] + 0.01, 4)
    np.testing.assert_allclose(
        distances,
        np.linalg.norm(blobs[indices] - (blobs[:3] + 0.01)[:, None], axis=2),
        rtol=1e-4,
    )


def test_hnsw_single_thread_is_deterministic_and_picklable(blobs):
    pytest.importorskip("faiss")
    first = build_knn_graph(blobs, 5, neighbors="hnsw", n_jobs=1)
    second = build_knn_graph(blobs, 5, neighbors="hnsw", n_jobs=1)
    assert (first != second).nnz == 0
    index = NeighborIndex("hnsw", n_jobs=1).fit(blobs)
    copy = pickle.loads(pickle.dumps(index))
    np.testing.assert_array_equal(
        copy.kneighbors(blobs[:50], 3)[1], index.kneighbors(blobs[:50], 3)[1]
    )


def test_hnsw_tiny_index_fills_every_row():
    pytest.importorskip("faiss")
    X = np.arange(6.0)[:, None]
    distances, indices = NeighborIndex("hnsw", n_jobs=1).fit(X).kneighbors(None, 6)
    assert np.all(indices >= 0) and np.all(np.isfinite(distances))


def test_locality_order_is_a_permutation_that_shortens_edges():
    rng = np.random.default_rng(0)
    X = rng.random((2_000, 2))
    graph = build_knn_graph(X, 5, neighbors="exact")
    order = locality_order(graph)
    np.testing.assert_array_equal(np.sort(order), np.arange(2_000))

    def mean_edge_span(g):
        g = g.tocoo()
        return np.abs(g.row - g.col).mean()

    assert mean_edge_span(graph[order][:, order]) < mean_edge_span(graph) / 10


def test_auto_uses_the_tree_search_in_few_dimensions():
    few = np.zeros((EXACT_MAX_SAMPLES, TREE_MAX_FEATURES))
    many = np.zeros((EXACT_MAX_SAMPLES, TREE_MAX_FEATURES + 1))
    assert resolve_neighbors("auto", few) == "exact"
    pytest.importorskip("faiss")
    assert resolve_neighbors("auto", many) == "hnsw"
