"""LabelSpreading and LabelPropagation: scikit-learn parity and behaviour."""

import pickle
import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn import semi_supervised
from sklearn.datasets import load_digits, load_iris, make_classification
from sklearn.exceptions import (
    ConvergenceWarning,
    DataConversionWarning,
    NotFittedError,
)
from sklearn.metrics.pairwise import rbf_kernel

from sklweak.graph import LabelPropagation, LabelSpreading

PAIRS = [
    (LabelSpreading, semi_supervised.LabelSpreading),
    (LabelPropagation, semi_supervised.LabelPropagation),
]
PAIR_IDS = ["spreading", "propagation"]


def _peer_graph_defaults(theirs):
    """scikit-learn's graph defaults, which sklweak's (chosen on small data) differ from."""
    params = theirs().get_params()
    return {key: params[key] for key in ("n_neighbors", "alpha") if key in params}


def _weak(y, fraction, seed=0, sentinel=-1):
    rng = np.random.default_rng(seed)
    y_weak = np.asarray(y).copy()
    y_weak[rng.random(len(y)) >= fraction] = sentinel
    return y_weak


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:900], y[:900], _weak(y[:900], 0.1)


def _fit_quietly(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def _assert_close_distributions(mine, peer):
    """Equal where scikit-learn found a distribution; uniform where it did not."""
    reached = np.nan_to_num(peer).sum(axis=1) > 0
    np.testing.assert_allclose(mine[reached], peer[reached], atol=1e-6)
    np.testing.assert_allclose(mine[~reached], 1.0 / mine.shape[1])


def _assert_parity(ours, theirs, X_test):
    _assert_close_distributions(ours.label_distributions_, theirs.label_distributions_)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_array_equal(ours.transduction_, theirs.transduction_)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    with np.errstate(invalid="ignore"):
        peer_probabilities = theirs.predict_proba(X_test)
        peer_predictions = theirs.predict(X_test)
    _assert_close_distributions(ours.predict_proba(X_test), peer_probabilities)
    np.testing.assert_array_equal(ours.predict(X_test), peer_predictions)


@pytest.mark.parametrize("ours, theirs", PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize(
    "options",
    [{}, {"n_neighbors": 3, "max_iter": 4}, {"n_neighbors": 12, "tol": 1e-8}],
)
def test_knn_matches_scikit_learn(ours, theirs, options, digits):
    X, _, y_weak = digits
    options = {**_peer_graph_defaults(theirs), **options}
    mine = _fit_quietly(ours(kernel="knn", **options), X, y_weak)
    peer = _fit_quietly(theirs(kernel="knn", **options), X, y_weak)
    _assert_parity(mine, peer, X[::7] + 0.5)


@pytest.mark.parametrize("alpha", [0.01, 0.5, 0.99])
def test_spreading_alpha_matches_scikit_learn(alpha):
    X, y = make_classification(300, 6, n_informative=4, n_classes=3, random_state=1)
    y_weak = _weak(y, 0.15, seed=1)
    mine = _fit_quietly(LabelSpreading(kernel="knn", n_neighbors=7, alpha=alpha), X, y_weak)
    peer = _fit_quietly(semi_supervised.LabelSpreading(kernel="knn", alpha=alpha), X, y_weak)
    _assert_parity(mine, peer, X[:40])


@pytest.mark.parametrize("ours, theirs", PAIRS, ids=PAIR_IDS)
def test_knn_parity_with_duplicates_and_sparse_input(ours, theirs):
    X, y = load_iris(return_X_y=True)  # iris holds duplicated rows
    X = sparse.csr_matrix(X)
    y_weak = _weak(y, 0.2, seed=3)
    mine = _fit_quietly(ours(kernel="knn", **_peer_graph_defaults(theirs)), X, y_weak)
    peer = _fit_quietly(theirs(kernel="knn"), X, y_weak)
    _assert_parity(mine, peer, X[::5])


@pytest.mark.parametrize("ours, theirs", PAIRS, ids=PAIR_IDS)
def test_callable_kernel_matches_scikit_learn_rbf(ours, theirs):
    X, y = make_classification(200, 4, n_informative=3, n_redundant=0, random_state=0)
    y_weak = _weak(y, 0.2, seed=2)

    def kernel(A, B):
        return rbf_kernel(A, B, gamma=0.5)

    mine = _fit_quietly(ours(kernel=kernel, **_peer_graph_defaults(theirs)), X, y_weak)
    peer = _fit_quietly(theirs(kernel="rbf", gamma=0.5), X, y_weak)
    _assert_parity(mine, peer, X[:30] + 0.1)
    assert mine.neighbor_index_ is None


def test_rbf_on_knn_graph_approaches_dense_rbf_with_many_neighbours():
    X, y = make_classification(150, 4, n_informative=3, n_redundant=0, random_state=0)
    y_weak = _weak(y, 0.2, seed=2)
    dense = semi_supervised.LabelSpreading(kernel="rbf", gamma=0.5).fit(X, y_weak)
    full = LabelSpreading(kernel="rbf", gamma=0.5, n_neighbors=150, alpha=0.2).fit(X, y_weak)
    sparse_graph = LabelSpreading(kernel="rbf", gamma=0.5, n_neighbors=10, alpha=0.2)
    sparse_graph.fit(X, y_weak)
    np.testing.assert_allclose(full.label_distributions_, dense.label_distributions_, atol=1e-6)
    agreement = np.mean(sparse_graph.transduction_ == dense.transduction_)
    assert agreement >= 0.85


@pytest.mark.parametrize("Estimator", [LabelSpreading, LabelPropagation])
def test_zero_affinity_rows_get_uniform_distributions(Estimator):
    # two far-apart groups; only the first carries labels, and the RBF
    # weights between distinct points vanish
    X = np.vstack([np.arange(6)[:, None] * 100.0, 1e6 + np.arange(4)[:, None]])
    y = np.array([0, 1, 0, 1, 0, 1, -1, -1, -1, -1])
    model = Estimator(kernel="rbf", gamma=20, n_neighbors=3).fit(X, y)
    distributions = model.label_distributions_
    assert np.all(np.isfinite(distributions))
    np.testing.assert_allclose(distributions.sum(axis=1), 1.0)
    np.testing.assert_allclose(distributions[6:], 0.5)
    np.testing.assert_array_equal(model.unreached_, np.arange(10) >= 6)
    probabilities = model.predict_proba(np.array([[5e5], [1e6]]))
    assert np.all(np.isfinite(probabilities))
    np.testing.assert_allclose(probabilities, 0.5)


def test_unreached_component_is_uniform_where_scikit_learn_is_zero():
    X = np.array([[0.0], [0.1], [0.2], [50.0], [50.1], [50.2]])
    y = np.array([0, 1, -1, -1, -1, -1])
    mine = LabelPropagation(kernel="knn", n_neighbors=3).fit(X, y)
    peer = semi_supervised.LabelPropagation(kernel="knn", n_neighbors=3).fit(X, y)
    np.testing.assert_allclose(peer.label_distributions_[3:], 0.0)
    np.testing.assert_allclose(mine.label_distributions_[3:], 0.5)
    np.testing.assert_array_equal(mine.unreached_, [False] * 3 + [True] * 3)
    with np.errstate(invalid="ignore"):
        assert np.isnan(peer.predict_proba([[50.0]])).all()
    np.testing.assert_allclose(mine.predict_proba([[50.0]]), 0.5)
    np.testing.assert_allclose(
        mine.label_distributions_[:3], peer.label_distributions_[:3], atol=1e-6
    )


@pytest.mark.parametrize("Estimator", [LabelSpreading, LabelPropagation])
def test_convergence_warning_and_n_iter(Estimator, digits):
    X, _, y_weak = digits
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        model = Estimator(kernel="knn", max_iter=2, tol=0.0).fit(X, y_weak)
    assert model.n_iter_ == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = Estimator(kernel="knn", max_iter=2000, tol=1e-3).fit(X, y_weak)
    assert 0 < model.n_iter_ < 2000


def test_string_labels_and_custom_sentinel():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    y_weak = _weak(names, 0.2, sentinel="?")
    y_copy = y_weak.copy()
    X_copy = X.copy()
    model = LabelSpreading(kernel="knn", unlabeled_label="?").fit(X, y_weak)
    assert model.classes_.tolist() == ["setosa", "versicolor", "virginica"]
    assert np.mean(model.transduction_ == names) > 0.85
    assert set(model.predict(X[:10])) <= set(model.classes_)
    np.testing.assert_array_equal(y_weak, y_copy)
    np.testing.assert_array_equal(X, X_copy)


def test_hnsw_backend_agrees_with_exact(digits):
    pytest.importorskip("faiss")
    X, _, y_weak = digits
    exact = LabelSpreading(kernel="knn", neighbors="exact").fit(X, y_weak)
    approximate = LabelSpreading(kernel="knn", neighbors="hnsw", n_jobs=1).fit(X, y_weak)
    assert exact.neighbors_backend_ == "exact"
    assert approximate.neighbors_backend_ == "hnsw"
    assert np.mean(exact.transduction_ == approximate.transduction_) > 0.97
    again = pickle.loads(pickle.dumps(approximate))
    np.testing.assert_array_equal(again.predict_proba(X), approximate.predict_proba(X))


def test_reference_kernel_gives_the_same_model(digits, monkeypatch):
    X, _, y_weak = digits
    compiled = LabelSpreading(kernel="knn").fit(X, y_weak)
    monkeypatch.setenv("SKLWEAK_KERNELS", "reference")
    reference = LabelSpreading(kernel="knn").fit(X, y_weak)
    np.testing.assert_allclose(
        reference.label_distributions_, compiled.label_distributions_, atol=1e-12
    )
    assert reference.n_iter_ == compiled.n_iter_


def test_more_neighbours_than_samples_uses_every_sample():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    model = LabelPropagation(kernel="knn", n_neighbors=10).fit(X, [0, -1, -1, 1])
    np.testing.assert_allclose(model.label_distributions_.sum(axis=1), 1.0)
    assert model.predict_proba(X).shape == (4, 2)


def test_errors():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(NotFittedError):
        LabelSpreading().predict(X)
    with pytest.raises(ValueError, match="n_neighbors"):
        LabelSpreading(n_neighbors=0).fit(X, y)
    with pytest.raises(ValueError, match="neighbors"):
        LabelSpreading(neighbors="annoy").fit(X, y)
    with pytest.raises(ValueError, match="alpha"):
        LabelSpreading(alpha=1.0).fit(X, y)
    with pytest.raises(ValueError, match="no labeled sample"):
        LabelSpreading().fit(X, np.full(len(y), -1))
    with pytest.raises(ValueError, match="one class"):
        LabelSpreading().fit(X, np.where(y == 0, 0, -1))
    model = LabelSpreading(kernel="knn").fit(X, _weak(y, 0.3))
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :3])
    with pytest.raises(ValueError, match="sparse"):
        LabelSpreading(kernel="knn", neighbors="hnsw").fit(sparse.csr_matrix(X), y)


def test_column_vector_target_warns_and_fits(digits):
    X, _, y_weak = digits
    with pytest.warns(DataConversionWarning):
        column = LabelSpreading(kernel="knn").fit(X, y_weak[:, None])
    flat = LabelSpreading(kernel="knn").fit(X, y_weak)
    np.testing.assert_array_equal(column.label_distributions_, flat.label_distributions_)


def test_fitted_attributes(digits):
    X, _, y_weak = digits
    model = LabelPropagation(kernel="knn").fit(X, y_weak)
    assert model.X_ is not None and model.n_features_in_ == X.shape[1]
    assert model.label_distributions_.shape == (len(X), 10)
    assert model.transduction_.shape == (len(X),)
    labeled = y_weak != -1
    np.testing.assert_array_equal(model.transduction_[labeled], y_weak[labeled])


@pytest.mark.parametrize("Estimator", [LabelSpreading, LabelPropagation])
def test_locality_order_leaves_the_result_unchanged(Estimator, monkeypatch):
    # Large graphs are renumbered for memory locality; force it on a small one.
    X, y = make_classification(n_samples=300, n_features=4, random_state=0)
    rng = np.random.default_rng(0)
    y_weak = np.where(rng.random(300) < 0.1, y, -1)
    params = {"kernel": "knn", "n_neighbors": 5, "max_iter": 200}
    plain = Estimator(**params).fit(X, y_weak)
    monkeypatch.setattr("sklweak.graph._label_propagation.LOCALITY_MIN_SAMPLES", 1)
    renumbered = Estimator(**params).fit(X, y_weak)
    np.testing.assert_allclose(
        renumbered.label_distributions_, plain.label_distributions_, atol=1e-12
    )
    np.testing.assert_array_equal(renumbered.transduction_, plain.transduction_)
    assert renumbered.n_iter_ == plain.n_iter_
