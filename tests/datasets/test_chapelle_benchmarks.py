import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklweak.datasets import make_g241c, make_g241d


def _mean_direction_accuracy(X, y):
    """Accuracy of the midpoint rule along the difference of class means."""
    mean0, mean1 = X[y == 0].mean(axis=0), X[y == 1].mean(axis=0)
    score = (X - (mean0 + mean1) / 2) @ (mean1 - mean0)
    return np.mean((score > 0) == (y == 1))


@pytest.mark.parametrize("make", [make_g241c, make_g241d])
def test_shape_balance_and_standardization(make):
    X, y = make(random_state=0)
    assert X.shape == (1500, 241) and X.dtype == np.float64
    assert y.dtype == np.int64
    assert_array_equal(np.bincount(y), [750, 750])
    assert_allclose(X.mean(axis=0), 0, atol=1e-10)
    assert_allclose(X.std(axis=0), 1)
    X_odd, y_odd = make(n_samples=101, random_state=0)
    assert X_odd.shape == (101, 241)
    assert abs(np.bincount(y_odd)[0] - np.bincount(y_odd)[1]) <= 1


@pytest.mark.parametrize("make", [make_g241c, make_g241d])
def test_reproducible(make):
    X_a, y_a = make(n_samples=50, random_state=3)
    X_b, y_b = make(n_samples=50, random_state=3)
    X_c, _ = make(n_samples=50, random_state=4)
    assert_array_equal(X_a, X_b)
    assert_array_equal(y_a, y_b)
    assert not np.allclose(X_a, X_c)


def test_g241c_classes_are_gaussians_at_distance_2_5():
    X, y = make_g241c(n_samples=6000, random_state=0)
    # Bayes accuracy of two unit Gaussians 2.5 apart is Phi(1.25) ~ 0.894.
    assert 0.86 < _mean_direction_accuracy(X, y) < 0.93
    # The data's main direction is the class direction: the clusters are classes.
    top = np.linalg.svd(X, full_matrices=False)[2][0]
    side = X @ top > 0
    purity = max(np.mean(side == (y == 1)), np.mean(side != (y == 1)))
    assert purity > 0.8


def test_g241d_clusters_mix_the_classes():
    X, y = make_g241d(n_samples=6000, random_state=0)
    # Two clusters 6 apart dominate the first principal direction ...
    top = np.linalg.svd(X, full_matrices=False)[2][0]
    side = X @ top > 0
    assert 0.4 < side.mean() < 0.6
    # ... and each holds both classes equally: the gap is not the boundary.
    for cluster in (side, ~side):
        assert abs(y[cluster].mean() - 0.5) < 0.05
    # The classes are still linearly separated, along another direction.
    assert 0.86 < _mean_direction_accuracy(X, y) < 0.93


def test_too_few_samples_rejected():
    with pytest.raises(ValueError, match="n_samples"):
        make_g241c(n_samples=3)
    with pytest.raises(ValueError, match="n_samples"):
        make_g241d(n_samples=0)
