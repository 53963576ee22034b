"""Graph estimators: sparse queries after a dense fit, and callable kernels checked."""

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_moons

from sklweak.graph import LabelPropagation, LabelSpreading

ESTIMATORS = [LabelSpreading, LabelPropagation]


def _moons():
    X, y = make_moons(200, noise=0.1, random_state=0)
    y_weak = y.copy()
    y_weak[np.random.RandomState(0).rand(200) < 0.8] = -1
    return X, y, y_weak


@pytest.mark.parametrize("estimator", ESTIMATORS)
@pytest.mark.parametrize("kernel", ["rbf", "knn"])
@pytest.mark.parametrize("neighbors", ["exact", "hnsw"])
def test_sparse_queries_after_a_dense_fit(estimator, kernel, neighbors):
    if neighbors == "hnsw":
        pytest.importorskip("faiss")
    X, _, y_weak = _moons()
    model = estimator(kernel=kernel, neighbors=neighbors).fit(X, y_weak)
    for query in (sparse.csr_matrix(X), sparse.csc_matrix(X)):
        np.testing.assert_allclose(model.predict_proba(query), model.predict_proba(X))
        np.testing.assert_array_equal(model.predict(query), model.predict(X))


def _nan_kernel(A, B):
    return np.full((A.shape[0], B.shape[0]), np.nan)


def _negative_kernel(A, B):
    return -np.ones((A.shape[0], B.shape[0]))


def _infinite_kernel(A, B):
    return np.full((A.shape[0], B.shape[0]), np.inf)


def _wrong_shape_kernel(A, B):
    return np.ones((3, 3))


@pytest.mark.parametrize("estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "kernel, match",
    [
        (_nan_kernel, "NaN, infinite or negative"),
        (_negative_kernel, "NaN, infinite or negative"),
        (_infinite_kernel, "NaN, infinite or negative"),
        (_wrong_shape_kernel, r"shape \(len\(A\), len\(B\)\)"),
    ],
)
def test_a_bad_callable_kernel_is_a_clear_error_at_fit(estimator, kernel, match):
    X, _, y_weak = _moons()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=f"{estimator.__name__}: kernel.*{match}"):
            estimator(kernel=kernel).fit(X, y_weak)


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_a_kernel_that_fails_only_on_new_samples_is_caught_at_prediction(estimator):
    X, _, y_weak = _moons()
    n_train = X.shape[0]

    def kernel(A, B):
        weights = np.exp(-((A[:, None, :] - B[None, :, :]) ** 2).sum(-1))
        if B.shape[0] != n_train:
            weights[0, 0] = np.nan
        return weights

    model = estimator(kernel=kernel).fit(X, y_weak)
    assert np.all(np.isfinite(model.label_distributions_))
    with pytest.raises(ValueError, match="NaN, infinite or negative"):
        model.predict_proba(X[:5])


@pytest.mark.parametrize("estimator", ESTIMATORS)
def test_sample_weight_is_refused_with_an_error_naming_the_estimator(estimator):
    X, _, y_weak = _moons()
    with pytest.raises(TypeError, match=f"{estimator.__name__}.fit takes no sample_weight"):
        estimator().fit(X, y_weak, sample_weight=np.ones(len(y_weak)))
