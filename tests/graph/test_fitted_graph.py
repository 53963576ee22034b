"""The fitted graph through scikit-learn's private ``_build_graph()``."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_classification

from sklweak.graph import LabelPropagation, LabelSpreading


def _data(n_samples):
    X, y = make_classification(n_classes=2, n_samples=n_samples, random_state=0)
    y[::3] = -1
    return X, y


@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.9])
def test_fitted_graph_gives_scikit_learns_closed_form(alpha):
    # scikit-learn's own test calls ``_build_graph()`` after fit: the
    # distributions are the closed form (I - alpha S)^-1 Y, normalized.
    X, y = _data(200)
    clf = LabelSpreading(max_iter=100, alpha=alpha, tol=1e-10, gamma=0.1).fit(X, y)
    S = clf._build_graph()
    assert isinstance(S, np.ndarray) and S.shape == (200, 200)
    Y = np.zeros((200, 2))
    Y[np.flatnonzero(y != -1), y[y != -1]] = 1
    expected = np.linalg.solve(np.eye(200) - alpha * S, Y)
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(clf.label_distributions_, expected, rtol=1e-7)


@pytest.mark.parametrize("Estimator", [LabelPropagation, LabelSpreading])
@pytest.mark.parametrize("gamma", ["local", "auto", 0.1])
def test_rbf_graph_is_the_symmetric_neighbour_graph(Estimator, gamma):
    # kernel="rbf" links i and j when either is among the other's
    # neighbours; kernel="knn" keeps scikit-learn's directed graph.
    from sklearn.neighbors import kneighbors_graph

    X, y = _data(80)
    model = Estimator(gamma=gamma, n_neighbors=5).fit(X, y)
    affinity = model._affinity(model.X_)
    assert abs(affinity - affinity.T).max() == 0
    directed = kneighbors_graph(X, 5, include_self=True)
    edges = (directed + directed.T).astype(bool)
    np.testing.assert_array_equal(affinity.toarray() > 0, edges.toarray())
    knn = Estimator(kernel="knn", n_neighbors=5).fit(X, y)
    np.testing.assert_array_equal(knn._affinity(knn.X_).toarray(), directed.toarray())


def test_fitted_graph_of_a_knn_kernel_is_sparse_and_row_normalized():
    X, y = _data(60)
    graph = LabelPropagation(kernel="knn", n_neighbors=5).fit(X, y)._build_graph()
    assert sparse.issparse(graph)
    np.testing.assert_allclose(np.asarray(graph.sum(axis=1)).ravel(), 1.0)


def test_fitted_graph_needs_a_fitted_estimator():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        LabelSpreading()._build_graph()


@pytest.mark.parametrize("kernel", ["rbf", "knn"])
def test_fitted_graph_leaves_the_fitted_model_unchanged(kernel):
    # The graph is rebuilt from the fitted index and widths, not by a new fit.
    X, y = _data(60)
    model = LabelSpreading(kernel=kernel, n_neighbors=5).fit(X, y)
    index, scales = model.neighbor_index_, model._sample_scales
    probabilities = model.predict_proba(X)
    graph = model._build_graph()
    assert model.neighbor_index_ is index and model._sample_scales is scales
    np.testing.assert_array_equal(model.predict_proba(X), probabilities)
    fitted = model._normalize_graph(model._affinity(X)).toarray()
    np.testing.assert_allclose(graph.toarray() if sparse.issparse(graph) else graph, fitted)
