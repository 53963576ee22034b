"""TSVMClassifier: transduction, balance constraint, sparse input, kernels, errors."""

import numpy as np
import pytest
from joblib import parallel_config
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

from sklweak.lowdensity import TSVMClassifier, _tsvm


def _two_clusters(n_per_class=100, n_features=10, distance=3.0, n_labels=4, seed=0):
    """Two Gaussian clusters, ``n_labels`` labeled samples (half per class)."""
    rng = np.random.RandomState(seed)
    direction = rng.randn(n_features)
    direction *= distance / (2 * np.linalg.norm(direction))
    X = np.vstack(
        [
            rng.randn(n_per_class, n_features) - direction,
            rng.randn(n_per_class, n_features) + direction,
        ]
    )
    y = np.repeat([0, 1], n_per_class)
    order = rng.permutation(len(y))
    X, y = X[order], y[order]
    y_weak = np.full(len(y), -1)
    for cls in (0, 1):
        picked = np.flatnonzero(y == cls)[: n_labels // 2]
        y_weak[picked] = cls
    return X, y, y_weak


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_beats_supervised_svm_on_two_clusters(seed):
    X, y, y_weak = _two_clusters(seed=seed)
    unlabeled = y_weak == -1
    model = TSVMClassifier(random_state=0).fit(X, y_weak)
    tsvm_error = np.mean(model.transduction_[unlabeled] != y[unlabeled])
    svm = SVC(kernel="linear").fit(X[~unlabeled], y[~unlabeled])
    svm_error = np.mean(svm.predict(X[unlabeled]) != y[unlabeled])
    assert tsvm_error < svm_error
    assert tsvm_error < 0.1
    np.testing.assert_array_equal(model.transduction_[~unlabeled], y[~unlabeled])
    assert model.n_iter_ > 1


def test_rbf_kernel_beats_supervised_svm():
    X, y, y_weak = _two_clusters(n_per_class=60, n_features=5, seed=3)
    unlabeled = y_weak == -1
    model = TSVMClassifier(C=10.0, kernel="rbf", random_state=0).fit(X, y_weak)
    tsvm_error = np.mean(model.predict(X[unlabeled]) != y[unlabeled])
    svm = SVC(kernel="rbf", C=10.0).fit(X[~unlabeled], y[~unlabeled])
    svm_error = np.mean(svm.predict(X[unlabeled]) != y[unlabeled])
    assert tsvm_error < svm_error
    assert model.kernel_map_.shape[0] == X.shape[0]


def test_kernel_map_reproduces_the_kernel():
    from sklearn.metrics.pairwise import rbf_kernel

    X, _, y_weak = _two_clusters(n_per_class=40, n_features=3, seed=17)
    model = TSVMClassifier(kernel="rbf", gamma=0.5, random_state=0).fit(X, y_weak)
    gram = rbf_kernel(X, gamma=0.5)
    coordinates = gram @ model.kernel_map_
    np.testing.assert_allclose(coordinates @ coordinates.T, gram, atol=1e-6)
    assert model.gamma_ == 0.5


def test_kernel_that_is_not_positive_semidefinite():
    X, y, y_weak = _two_clusters(n_per_class=40, n_features=3, seed=18)
    model = TSVMClassifier(kernel="sigmoid", gamma=0.1, random_state=0)
    model.fit(X, y_weak)
    proba = model.predict_proba(X)
    assert np.all(np.isfinite(proba))
    assert np.mean(model.predict(X) == y) > 0.8


def test_kernel_map_of_linear_kernel_matches_linear_tsvm():
    X, _, y_weak = _two_clusters(n_per_class=30, n_features=4, seed=4)
    params = {"tol": 1e-8, "random_state": 0}
    linear = TSVMClassifier(kernel="linear", **params).fit(X, y_weak)
    mapped = TSVMClassifier(kernel=lambda A, B: A @ B.T, **params).fit(X, y_weak)
    np.testing.assert_array_equal(mapped.transduction_, linear.transduction_)
    X_new = np.random.RandomState(0).randn(7, 4)
    np.testing.assert_allclose(
        mapped.decision_function(X_new), linear.decision_function(X_new), atol=1e-6
    )


@pytest.mark.parametrize("class_ratio", [None, 0.3, [0.6, 0.4]])
def test_balance_constraint_respected(class_ratio):
    X, _, y_weak = _two_clusters(n_labels=10, seed=5)
    y_weak[np.flatnonzero(y_weak == 1)[:2]] = -1
    unlabeled = y_weak == -1
    n_unlabeled = unlabeled.sum()
    model = TSVMClassifier(class_ratio=class_ratio, random_state=0).fit(X, y_weak)
    if class_ratio is None:
        expected = np.mean(y_weak[~unlabeled] == 1)
    elif np.ndim(class_ratio) == 0:
        expected = class_ratio
    else:
        expected = class_ratio[1]
    n_positive = np.sum(model.transduction_[unlabeled] == 1)
    assert n_positive == round(expected * n_unlabeled)
    np.testing.assert_allclose(model.class_ratio_[1], expected)


def test_multiclass_one_vs_rest():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    y_weak = np.where(np.arange(len(y)) % 10 == 0, y, -1)
    model = TSVMClassifier(kernel="linear", random_state=0).fit(X, y_weak)
    assert model.coef_.shape == (3, 4)
    assert model.decision_function(X).shape == (150, 3)
    assert np.mean(model.transduction_ == y) > 0.8
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], model.predict(X))
    with parallel_config(backend="threading"):
        parallel = TSVMClassifier(kernel="linear", random_state=0, n_jobs=2).fit(X, y_weak)
    np.testing.assert_array_equal(parallel.coef_, model.coef_)
    np.testing.assert_array_equal(parallel.transduction_, model.transduction_)


def test_probabilities_calibrated_and_consistent():
    X, y, y_weak = _two_clusters(seed=0)
    model = TSVMClassifier(random_state=0).fit(X, y_weak)
    far = np.vstack([X, np.full((2, X.shape[1]), 1e4), np.full((2, X.shape[1]), -1e4)])
    proba = model.predict_proba(far)
    assert np.all(np.isfinite(proba)) and proba.min() >= 0 and proba.max() <= 1
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(proba.argmax(axis=1), model.predict(far))
    assert model.platt_slope_ > 0
    confidence = proba.max(axis=1)[: len(y)]
    correct = model.predict(X) == y
    assert abs(confidence.mean() - correct.mean()) < 0.05
    assert correct[confidence > 0.9].mean() > 0.9


def test_sparse_input_matches_dense():
    rng = np.random.RandomState(7)
    X, _, y_weak = _two_clusters(n_features=30, seed=7)
    X[rng.rand(*X.shape) < 0.6] = 0.0
    dense = TSVMClassifier(kernel="linear", random_state=0).fit(X, y_weak)
    for matrix in (sparse.csr_matrix(X), sparse.csc_matrix(X)):
        sparse_fit = TSVMClassifier(kernel="linear", random_state=0).fit(matrix, y_weak)
        np.testing.assert_array_equal(sparse_fit.transduction_, dense.transduction_)
        np.testing.assert_allclose(sparse_fit.coef_, dense.coef_, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(
            sparse_fit.decision_function(matrix), dense.decision_function(X), atol=1e-10
        )


def test_sparse_text_like_input():
    rng = np.random.RandomState(8)
    n_docs, n_words = 300, 2000
    y = rng.randint(2, size=n_docs)
    counts = sparse.random(n_docs, n_words, density=0.01, random_state=rng, format="csr")
    topic = sparse.random(n_docs, 50, density=0.2, random_state=rng, format="csr")
    topic_words = sparse.hstack([topic.multiply(y[:, None] == 0), topic.multiply(y[:, None] == 1)])
    X = sparse.hstack([counts, topic_words]).tocsr()
    y_weak = np.full(n_docs, -1)
    for cls in (0, 1):
        picked = np.flatnonzero(y == cls)[:3]
        y_weak[picked] = cls
    model = TSVMClassifier(C=10.0, random_state=0).fit(X, y_weak)
    unlabeled = y_weak == -1
    assert sparse.issparse(X) and model.coef_.shape == (1, X.shape[1])
    labeled = ~unlabeled
    svm = LinearSVC(C=10.0).fit(X[labeled], y[labeled])
    svm_accuracy = np.mean(svm.predict(X[unlabeled]) == y[unlabeled])
    tsvm_accuracy = np.mean(model.transduction_[unlabeled] == y[unlabeled])
    assert tsvm_accuracy > max(svm_accuracy, 0.9)


def test_same_random_state_same_result_and_fit_idempotent():
    X, _, y_weak = _two_clusters(seed=9)
    model = TSVMClassifier(random_state=3)
    params = model.get_params()
    first = clone(model).fit(X, y_weak)
    second = model.fit(X, y_weak)
    assert model.get_params() == params
    np.testing.assert_array_equal(first.coef_, second.coef_)
    refit = model.fit(X, y_weak)
    np.testing.assert_array_equal(refit.coef_, first.coef_)
    np.testing.assert_array_equal(refit.transduction_, first.transduction_)


def test_no_unlabeled_sample_fits_the_supervised_svm():
    X, y, _ = _two_clusters(n_per_class=40, distance=1.5, seed=10)
    with pytest.warns(UserWarning, match="no unlabeled sample"):
        model = TSVMClassifier(kernel="linear", C=0.5, tol=1e-8, random_state=0).fit(X, y)
    svm = LinearSVC(C=0.5, loss="hinge", tol=1e-10, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(model.coef_, svm.coef_, atol=1e-5)
    np.testing.assert_allclose(model.intercept_, svm.intercept_, atol=1e-5)


def test_zero_unlabeled_cost_is_the_supervised_svm():
    X, _, y_weak = _two_clusters(seed=11)
    labeled = y_weak != -1
    model = TSVMClassifier(kernel="linear", Cu=0.0, tol=1e-8, random_state=0).fit(X, y_weak)
    alone = TSVMClassifier(kernel="linear", tol=1e-8, random_state=0)
    with pytest.warns(UserWarning, match="no unlabeled sample"):
        alone.fit(X[labeled], y_weak[labeled])
    np.testing.assert_allclose(model.coef_, alone.coef_, atol=1e-8)
    assert model.n_iter_ == 1
    unlabeled = ~labeled
    n_positive = np.sum(model.transduction_[unlabeled] == 1)
    assert n_positive == round(0.5 * unlabeled.sum())


def test_single_labeled_class_rejected():
    X, _, y_weak = _two_clusters(seed=12)
    y_one = np.where(y_weak == 1, -1, y_weak)
    with pytest.raises(ValueError, match="class"):
        TSVMClassifier().fit(X, y_one)


@pytest.mark.parametrize(
    "class_ratio, match",
    [
        (0.0, "strictly between 0 and 1"),
        (1.0, "strictly between 0 and 1"),
        (1.5, "strictly between 0 and 1"),
        ([0.5, 0.6], "sum to 1"),
        ([0.2, 0.3, 0.5], "shape"),
        ([1.0, 0.0], "strictly between 0 and 1"),
    ],
)
def test_infeasible_class_ratio_rejected(class_ratio, match):
    X, _, y_weak = _two_clusters(seed=13)
    with pytest.raises(ValueError, match=match):
        TSVMClassifier(class_ratio=class_ratio).fit(X, y_weak)


def test_single_fraction_rejected_with_more_than_two_classes():
    X, y = load_iris(return_X_y=True)
    y_weak = np.where(np.arange(len(y)) % 5 == 0, y, -1)
    with pytest.raises(ValueError, match="two classes"):
        TSVMClassifier(class_ratio=0.3).fit(X, y_weak)


def test_convergence_warning_at_max_iter():
    X, _, y_weak = _two_clusters(seed=14)
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        model = TSVMClassifier(max_iter=3, random_state=0).fit(X, y_weak)
    assert model.n_iter_ == 3


def test_kernel_tsvm_refuses_too_many_samples(monkeypatch):
    monkeypatch.setattr(_tsvm, "MAX_KERNEL_SAMPLES", 50)
    X, _, y_weak = _two_clusters(seed=15)
    with pytest.raises(ValueError, match="MAX_KERNEL_SAMPLES"):
        TSVMClassifier(kernel="rbf").fit(X, y_weak)
    TSVMClassifier(kernel="linear").fit(X, y_weak)


def test_inputs_not_modified():
    X, _, y_weak = _two_clusters(seed=16)
    X_sparse = sparse.csr_matrix(X)
    copies = X.copy(), y_weak.copy(), X_sparse.copy()
    TSVMClassifier(random_state=0).fit(X, y_weak)
    TSVMClassifier(random_state=0).fit(X_sparse, y_weak)
    np.testing.assert_array_equal(X, copies[0])
    np.testing.assert_array_equal(y_weak, copies[1])
    np.testing.assert_array_equal(X_sparse.toarray(), copies[2].toarray())


def test_auto_kernel_is_rbf_on_small_dense_data_and_linear_otherwise(monkeypatch):
    X, y_weak = _two_blobs_for_auto_kernel()
    assert TSVMClassifier(random_state=0).fit(X, y_weak).kernel_ == "rbf"
    assert TSVMClassifier(random_state=0).fit(sparse.csr_matrix(X), y_weak).kernel_ == "linear"
    monkeypatch.setattr(_tsvm, "MAX_KERNEL_SAMPLES", X.shape[0] - 1)
    large = TSVMClassifier(random_state=0).fit(X, y_weak)
    assert large.kernel_ == "linear" and large.X_fit_ is None
    with pytest.raises(ValueError, match="MAX_KERNEL_SAMPLES"):
        TSVMClassifier(kernel="rbf").fit(X, y_weak)


def test_auto_kernel_separates_rings_that_a_linear_tsvm_cannot():
    from sklearn.datasets import make_circles

    X, y = make_circles(300, factor=0.4, noise=0.05, random_state=0)
    y_weak = np.full_like(y, -1)
    y_weak[np.flatnonzero(y == 0)[:5]] = 0
    y_weak[np.flatnonzero(y == 1)[:5]] = 1
    auto = TSVMClassifier(random_state=0).fit(X, y_weak)
    linear = TSVMClassifier(kernel="linear", random_state=0).fit(X, y_weak)
    assert np.mean(auto.transduction_ == y) > 0.95
    assert np.mean(linear.transduction_ == y) < 0.8


def _two_blobs_for_auto_kernel():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.randn(40, 3) - 2, rng.randn(40, 3) + 2])
    y_weak = np.full(80, -1)
    y_weak[[0, 1, 40, 41]] = [0, 0, 1, 1]
    return X, y_weak
