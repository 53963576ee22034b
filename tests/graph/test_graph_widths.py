"""Kernel widths read from the data: ``gamma="auto"`` and ``gamma="local"``."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors

from sklweak.graph import LabelPropagation, LabelSpreading

ESTIMATORS = [LabelSpreading, LabelPropagation]


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X, y = X[:400], y[:400]
    y_weak = np.where(np.arange(y.size) % 8 == 0, y, -1)
    return X, y, y_weak


def test_auto_gamma_is_the_inverse_median_squared_neighbour_distance(digits):
    X, _, y_weak = digits
    model = LabelSpreading(gamma="auto", n_neighbors=10).fit(X, y_weak)
    distances, _ = NearestNeighbors(n_neighbors=10).fit(X).kneighbors(X)
    squared = distances[:, 1:] ** 2
    assert model.gamma_ == pytest.approx(1 / np.median(squared[squared > 0]))


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("gamma", ["auto", "local"])
def test_widths_from_the_data_do_not_depend_on_the_feature_scale(Estimator, gamma, digits):
    X, y, y_weak = digits
    small = Estimator(gamma=gamma, max_iter=2000).fit(X, y_weak)
    large = Estimator(gamma=gamma, max_iter=2000).fit(X * 1000, y_weak)
    np.testing.assert_allclose(small.label_distributions_, large.label_distributions_, atol=1e-6)
    np.testing.assert_array_equal(small.predict(X[:50]), large.predict(X[:50] * 1000))
    assert np.mean(small.transduction_ == y) > 0.85


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_a_fixed_gamma_fails_on_unscaled_features(Estimator, digits):
    X, y, y_weak = digits
    fixed = Estimator(gamma=20).fit(X, y_weak)
    assert np.mean(fixed.transduction_ == y) < 0.5  # why the widths are read from the data


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_local_scaling_matches_the_dense_formula_on_a_complete_graph(Estimator, digits):
    X, _, y_weak = digits
    X_fit, y_fit, X_new = X[:120], y_weak[:120], X[120:160]

    def local_kernel(A, B):
        # Complete graph: every sample's farthest neighbour is its farthest sample.
        scale_a = pairwise_distances(A, X_fit).max(axis=1)
        scale_b = pairwise_distances(B, X_fit).max(axis=1)
        distances = pairwise_distances(A, B)
        return np.exp(-(distances**2) / np.outer(scale_a, scale_b))

    local = Estimator(gamma="local", n_neighbors=120, max_iter=3000, tol=1e-9)
    dense = Estimator(kernel=local_kernel, max_iter=3000, tol=1e-9)
    local.fit(X_fit, y_fit)
    dense.fit(X_fit, y_fit)
    np.testing.assert_allclose(local.label_distributions_, dense.label_distributions_, atol=1e-8)
    np.testing.assert_allclose(local.predict_proba(X_new), dense.predict_proba(X_new), atol=1e-8)
    assert local.gamma_ is None


def test_gamma_strings_other_than_auto_and_local_are_refused(digits):
    X, _, y_weak = digits
    with pytest.raises(ValueError, match="gamma"):
        LabelSpreading(gamma="median").fit(X, y_weak)


def test_gamma_is_ignored_by_the_knn_kernel(digits):
    X, _, y_weak = digits
    a = LabelSpreading(kernel="knn", gamma="auto").fit(X, y_weak)
    b = LabelSpreading(kernel="knn", gamma=3.0).fit(X, y_weak)
    np.testing.assert_array_equal(a.label_distributions_, b.label_distributions_)
    assert a.gamma_ is None
