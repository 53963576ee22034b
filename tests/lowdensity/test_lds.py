"""Tests of LDSClassifier, its graph distances, MDS and the gradient TSVM."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import approx_fprime
from scipy.sparse.csgraph import shortest_path
from sklearn.datasets import load_iris, make_blobs, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import SVC

from sklweak.lowdensity import LDSClassifier
from sklweak.lowdensity._gradient_tsvm import fit_gradient_tsvm, tsvm_objective
from sklweak.lowdensity._lds_embedding import (
    classical_mds,
    rho_path_distances,
    select_n_components,
)


def _few_labels(y, per_class, seed=0, unlabeled_label=-1):
    rng = np.random.RandomState(seed)
    y_weak = np.full(y.shape, unlabeled_label, dtype=y.dtype)
    for cls in np.unique(y):
        chosen = rng.choice(np.flatnonzero(y == cls), per_class, replace=False)
        y_weak[chosen] = y[chosen]
    return y_weak


def _moons():
    X, y = make_moons(n_samples=300, noise=0.08, random_state=0)
    return X, y, _few_labels(y, 2, seed=3)


def test_beats_supervised_svm_on_two_moons():
    X, y, y_weak = _moons()
    unlabeled = y_weak == -1
    # Two labels per class: the labeled loss must not outweigh the gap, so
    # C=1 here (the default C=10 errs on 21% of the rows at rho=4).
    lds = LDSClassifier(C=1.0).fit(X, y_weak)
    svm = SVC().fit(X[~unlabeled], y[~unlabeled])
    lds_error = np.mean(lds.transduction_[unlabeled] != y[unlabeled])
    svm_error = np.mean(svm.predict(X[unlabeled]) != y[unlabeled])
    assert lds_error <= 0.02
    assert lds_error < svm_error - 0.05


def test_beats_supervised_svm_on_two_clusters():
    # Two elongated clusters side by side: one label each, far from the gap.
    X, y = make_blobs(
        n_samples=[150, 150],
        centers=[[-2.0, 0.0], [2.0, 0.0]],
        cluster_std=0.7,
        random_state=1,
    )
    X[:, 1] *= 4.0
    y_weak = np.full_like(y, -1)
    top_left = np.argmax(X[:, 1] - 10 * (y != 0))
    bottom_right = np.argmin(X[:, 1] + 10 * (y != 1))
    y_weak[[top_left, bottom_right]] = y[[top_left, bottom_right]]
    unlabeled = y_weak == -1
    # Low-dimensional clusters with a narrow gap need a larger rho than the
    # default (at rho=4 the gap does not dominate the complete graph's paths).
    lds = LDSClassifier(rho=8.0).fit(X, y_weak)
    svm = SVC(kernel="linear").fit(X[~unlabeled], y[~unlabeled])
    lds_error = np.mean(lds.transduction_[unlabeled] != y[unlabeled])
    svm_error = np.mean(svm.predict(X[unlabeled]) != y[unlabeled])
    assert lds_error <= 0.03
    assert lds_error < svm_error


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), C_unlabeled=st.floats(0.0, 5.0))
def test_gradient_matches_finite_differences(seed, C_unlabeled):
    rng = np.random.RandomState(seed)
    Z_labeled = rng.randn(7, 4)
    y = np.where(rng.rand(7) > 0.5, 1.0, -1.0)
    Z_unlabeled = rng.randn(11, 4)
    w = rng.randn(4)
    bias = float(rng.randn())

    def value(v):
        return tsvm_objective(
            v, Z_labeled, y, Z_unlabeled, C=1.3, C_unlabeled=C_unlabeled, bias=bias
        )[0]

    _, gradient = tsvm_objective(
        w, Z_labeled, y, Z_unlabeled, C=1.3, C_unlabeled=C_unlabeled, bias=bias
    )
    numeric = approx_fprime(w, value, 1e-7)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-4, atol=1e-4)


def test_balancing_constraint_holds():
    rng = np.random.RandomState(0)
    Z = rng.randn(60, 3)
    labeled = np.zeros(60, dtype=bool)
    labeled[:6] = True
    signs = np.array([1.0, 1.0, 1.0, 1.0, -1.0, -1.0] + [0.0] * 54)
    w, b, _, _ = fit_gradient_tsvm(Z, signs, labeled, C=1.0)
    outputs = Z[~labeled] @ w + b
    assert np.isclose(outputs.mean(), signs[labeled].mean())


def test_rho_path_distances_limits():
    rng = np.random.RandomState(0)
    X = rng.rand(30, 2)
    lengths = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    graph = sparse.csr_matrix(np.where(lengths < 0.4, lengths, 0.0))
    geodesic = shortest_path(graph, directed=False)
    D0, n_components = rho_path_distances(graph, 0.0)
    assert n_components == 1
    np.testing.assert_allclose(D0, geodesic**2)
    edges = graph.data
    off_diagonal = ~np.eye(30, dtype=bool)
    # The rho-path length lies between the longest edge of its path and the
    # path's length, and tends to the smallest possible longest edge.
    for rho in (5.0, 1000.0, 3000.0):  # 3000: edge costs rescaled against overflow
        D, _ = rho_path_distances(graph, rho)
        length = np.sqrt(D)
        assert np.all(np.isfinite(D))
        np.testing.assert_allclose(D, D.T)
        assert np.all(length <= geodesic + 1e-9)
        assert np.all(length[off_diagonal] <= edges.max() + np.log(30) / rho)
    far = np.sqrt(rho_path_distances(graph, 3000.0)[0])
    assert np.all(far[off_diagonal] <= np.sqrt(D0)[off_diagonal] + 1e-9)


@settings(max_examples=30, deadline=None)
@given(
    n_samples=st.integers(2, 12),
    rho=st.sampled_from([0.0, 0.5, 4.0, 3000.0]),
    duplicate=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_complete_graph_dense_matches_sparse(n_samples, rho, duplicate, seed):
    # The dense route (Floyd-Warshall) and the sparse one (Dijkstra) agree on
    # the complete graph, zero-length edges between duplicates included, and
    # leave the caller's matrix alone.
    X = np.random.RandomState(seed).rand(n_samples, 2)
    if duplicate:
        X[-1] = X[0]
    lengths = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    before = lengths.copy()
    dense, n_dense = rho_path_distances(lengths, rho)
    np.testing.assert_array_equal(lengths, before)
    rows, cols = np.nonzero(~np.eye(n_samples, dtype=bool))
    complete = sparse.csr_matrix((lengths[rows, cols], (rows, cols)), shape=lengths.shape)
    reference, n_sparse = rho_path_distances(complete, rho)
    assert n_dense == n_sparse == 1
    np.testing.assert_allclose(dense, reference, rtol=1e-10, atol=1e-12)


def test_disconnected_graph_gets_finite_distances():
    X = np.vstack([np.zeros((5, 2)), np.full((5, 2), 100.0)])
    X += np.random.RandomState(0).rand(10, 2) * 0.01
    lengths = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    graph = sparse.csr_matrix(np.where(lengths < 1, lengths, 0.0))
    D, n_components = rho_path_distances(graph, 1.0)
    assert n_components == 2
    assert np.all(np.isfinite(D))
    within = max(D[:5, :5].max(), D[5:, 5:].max())
    assert D[0, 9] == pytest.approx(2 * within)


def test_classical_mds_recovers_euclidean_distances():
    X = np.random.RandomState(0).randn(20, 3)
    D = ((X[:, None] - X[None]) ** 2).sum(-1)
    Z, eigenvalues = classical_mds(D.copy())
    assert Z.shape == (20, 3)
    assert np.all(np.diff(eigenvalues) <= 0)
    np.testing.assert_allclose(((Z[:, None] - Z[None]) ** 2).sum(-1), D, atol=1e-8)


def test_select_n_components_rule():
    eigenvalues = np.array([10.0, 5.0, 0.5, 0.1, 0.05])
    assert select_n_components(eigenvalues, 0.1) == 2
    assert select_n_components(eigenvalues, 0.0) == 5
    assert select_n_components(eigenvalues, None) == 5


def test_memory_limit_raises_before_work():
    X, _, y_weak = _moons()
    with pytest.raises(ValueError, match="max_samples=100"):
        LDSClassifier(max_samples=100).fit(X, y_weak)
    keep = np.concatenate([np.flatnonzero(y_weak != -1), np.arange(50)])
    model = LDSClassifier(max_samples=None).fit(X[keep], y_weak[keep])
    assert model.embedding_.shape[0] == keep.size


def test_deterministic_and_transductive():
    X, _, y_weak = _moons()
    first = LDSClassifier().fit(X, y_weak)
    second = LDSClassifier().fit(X, y_weak)
    np.testing.assert_array_equal(first.transduction_, second.transduction_)
    np.testing.assert_array_equal(first.decision_function(X), second.decision_function(X))
    # New-sample rule: a training sample gets back its own decision value.
    np.testing.assert_allclose(first.decision_function(X), first.decision_values_)
    np.testing.assert_array_equal(first.predict(X), first.transduction_)


def test_rho_in_edge_units_is_scale_free():
    X, _, y_weak = _moons()
    small = LDSClassifier().fit(X, y_weak)
    large = LDSClassifier().fit(X * 1000.0, y_weak)
    np.testing.assert_array_equal(small.transduction_, large.transduction_)
    assert large.rho_ == pytest.approx(small.rho_ / 1000.0)
    absolute = LDSClassifier(rho=2.0, rho_units="absolute").fit(X, y_weak)
    assert absolute.rho_ == 2.0


def test_no_unlabeled_sample_warns_and_fits_supervised():
    X, y, _ = _moons()
    with pytest.warns(UserWarning, match="no unlabeled"):
        model = LDSClassifier().fit(X, y)
    assert np.mean(model.predict(X) == y) > 0.95


def test_single_labeled_class_rejected():
    X, _, y_weak = _moons()
    one_class = np.where(y_weak == 1, -1, y_weak)
    with pytest.raises(ValueError, match="class"):
        LDSClassifier().fit(X, one_class)


def test_convergence_warning_at_max_iter():
    X, _, y_weak = _moons()
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        LDSClassifier(max_iter=1).fit(X, y_weak)


def test_multiclass_one_vs_rest():
    X, y = load_iris(return_X_y=True)
    y_weak = _few_labels(y, 3, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = LDSClassifier().fit(X, y_weak)
    assert model.coef_.shape[0] == 3
    decision = model.decision_function(X)
    assert decision.shape == (150, 3)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], model.predict(X))
    assert np.mean(model.transduction_ == y) > 0.85


def test_binary_probabilities_follow_decision():
    X, _, y_weak = _moons()
    model = LDSClassifier().fit(X, y_weak)
    far = np.array([[1e6, 1e6], [-1e6, 0.0]])
    queries = np.vstack([X, far])
    proba = model.predict_proba(queries)
    decision = model.decision_function(queries)
    assert np.all(np.isfinite(proba))
    assert model.probability_slope_ > 0
    np.testing.assert_array_equal(proba[:, 1] > 0.5, decision > 0)
    np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], model.predict(queries))


def test_string_classes_and_other_sentinel():
    X, _, y_weak = _moons()
    names = np.array(["left", "right"], dtype=object)
    y_str = np.where(y_weak == -1, "?", names[np.clip(y_weak, 0, 1)]).astype(object)
    model = LDSClassifier(unlabeled_label="?").fit(X, y_str)
    reference = LDSClassifier().fit(X, y_weak)
    np.testing.assert_array_equal(model.transduction_, names[reference.transduction_])


def test_input_not_modified_and_sparse_accepted():
    X, _, y_weak = _moons()
    X_copy, y_copy = X.copy(), y_weak.copy()
    dense = LDSClassifier().fit(X, y_weak)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y_weak, y_copy)
    from_sparse = LDSClassifier().fit(sparse.csr_matrix(X), y_weak)
    np.testing.assert_array_equal(dense.transduction_, from_sparse.transduction_)


def test_memory_cache_gives_the_same_fit(tmp_path):
    X, _, y_weak = _moons()
    plain = LDSClassifier().fit(X, y_weak)
    cached = LDSClassifier(memory=str(tmp_path)).fit(X, y_weak)
    again = LDSClassifier(memory=str(tmp_path)).fit(X, y_weak)
    np.testing.assert_array_equal(plain.transduction_, cached.transduction_)
    np.testing.assert_array_equal(cached.embedding_, again.embedding_)
    assert any(tmp_path.iterdir())
