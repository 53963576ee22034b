"""KM2 class-prior estimation (kernel mean embedding, gradient thresholding)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import minimize
from scipy.spatial.distance import cdist

from sklweak.datasets import make_pu
from sklweak.pu import estimate_class_prior
from sklweak.pu._km2 import _HullDistance, kernel_embedding, km2_kappa, median_bandwidth


def gaussian_pu(n_samples, prior, label_frequency, seed, shift=2.0):
    rng = np.random.RandomState(seed)
    y = (rng.rand(n_samples) < prior).astype(np.int64)
    X = rng.randn(n_samples, 3) + np.where(y[:, np.newaxis] == 1, shift, -shift)
    y_pu, _ = make_pu(X, y, label_frequency=label_frequency, random_state=seed)
    return X, y, y_pu


@pytest.mark.parametrize("prior", [0.3, 0.6])
@pytest.mark.parametrize("label_frequency", [0.2, 0.5])
def test_km2_recovers_prior_of_separated_mixture(prior, label_frequency):
    X, y, y_pu = gaussian_pu(1500, prior, label_frequency, seed=1)
    estimate, (low, high) = estimate_class_prior(
        X, y_pu, method="km2", n_bootstrap=5, random_state=0
    )
    assert abs(estimate - y.mean()) < 0.1
    assert low <= high
    assert y_pu.mean() <= estimate <= 1.0


def test_km2_is_deterministic_and_accepts_sparse_input():
    X, _, y_pu = gaussian_pu(600, 0.4, 0.3, seed=2)
    first = estimate_class_prior(X, y_pu, method="km2", n_bootstrap=4, random_state=7)
    second = estimate_class_prior(X, y_pu, method="km2", n_bootstrap=4, random_state=7)
    assert first == second
    assert (
        estimate_class_prior(
            sparse.csr_matrix(X), y_pu, method="km2", n_bootstrap=4, random_state=7
        )
        == first
    )
    prior, interval = estimate_class_prior(X, y_pu, method="km2", n_bootstrap=0, random_state=7)
    assert prior == first[0]
    assert interval == (prior, prior)


def test_km2_bandwidth_and_subsample_size_are_used():
    X, _, y_pu = gaussian_pu(600, 0.4, 0.3, seed=3)
    options = {"method": "km2", "n_bootstrap": 0, "random_state": 0}
    default = estimate_class_prior(X, y_pu, **options)[0]
    scaled = estimate_class_prior(3.0 * X, y_pu, bandwidth=None, **options)[0]
    # The median heuristic follows the scale of the features.
    assert scaled == pytest.approx(default, abs=1e-6)
    # A tiny length scale makes every point its own island: nothing is learned.
    assert estimate_class_prior(X, y_pu, bandwidth=1e-3, **options)[0] != default
    small = estimate_class_prior(X, y_pu, max_kernel_samples=50, **options)[0]
    assert y_pu.mean() <= small <= 1.0


def test_hull_distance_matches_a_generic_solver():
    rng = np.random.RandomState(0)
    Z = rng.randn(30, 2)
    bandwidth = median_bandwidth(Z)
    gram = np.exp(-cdist(Z, Z, "sqeuclidean") / (2 * bandwidth**2))
    distance = _HullDistance(kernel_embedding(Z, bandwidth))
    inside = rng.dirichlet(np.ones(30))
    assert distance(inside) < 1e-6
    outside = 2.5 * inside - 1.5 * rng.dirichlet(np.ones(30))

    def objective(w):
        return (outside - w) @ gram @ (outside - w)

    reference = minimize(
        objective,
        np.full(30, 1 / 30),
        jac=lambda w: -2 * gram @ (outside - w),
        bounds=[(0, None)] * 30,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    assert distance(outside) == pytest.approx(np.sqrt(reference.fun), abs=2e-3)
    assert distance(outside) > 0.01


def test_km2_kappa_of_a_pure_component_is_high_and_of_a_foreign_mixture_low():
    rng = np.random.RandomState(0)
    component = rng.randn(80, 2) + 4.0
    foreign = rng.randn(80, 2) - 4.0
    Z = np.vstack([foreign, component])
    distance = _HullDistance(kernel_embedding(Z, median_bandwidth(Z)))
    mixture_weights = np.r_[np.full(80, 1 / 80), np.zeros(80)]
    component_weights = np.r_[np.zeros(80), np.full(80, 1 / 80)]
    assert km2_kappa(distance, mixture_weights, component_weights) < 0.05
    same = np.r_[np.zeros(80), np.full(80, 1 / 80)]
    assert km2_kappa(distance, same, component_weights) == pytest.approx(0.99)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), prior=st.floats(0.15, 0.85))
def test_km2_prior_lies_between_labeled_fraction_and_one(seed, prior):
    X, _, y_pu = gaussian_pu(200, prior, 0.4, seed=seed, shift=0.5)
    if y_pu.sum() < 2:
        return
    estimate, (low, high) = estimate_class_prior(
        X, y_pu, method="km2", n_bootstrap=3, max_kernel_samples=60, random_state=seed
    )
    for value in (estimate, low, high):
        assert y_pu.mean() <= value <= 1.0


@pytest.mark.parametrize(
    "params, match",
    [
        ({"max_kernel_samples": 1}, "max_kernel_samples"),
        ({"bandwidth": 0.0}, "bandwidth"),
        ({"bandwidth": -1.0}, "bandwidth"),
        ({"n_bootstrap": -1}, "n_bootstrap"),
        ({"method": "km3"}, "method"),
    ],
)
def test_km2_bad_parameters(params, match):
    X, _, y_pu = gaussian_pu(100, 0.4, 0.5, seed=0)
    with pytest.raises(ValueError, match=match):
        estimate_class_prior(X, y_pu, **{"method": "km2", **params})


def test_km2_bad_targets():
    X, _, y_pu = gaussian_pu(100, 0.4, 0.5, seed=0)
    with pytest.raises(ValueError, match="labeled positive"):
        estimate_class_prior(X, np.zeros(100), method="km2")
    with pytest.raises(ValueError, match="unlabeled"):
        estimate_class_prior(X, np.ones(100), method="km2")
    with pytest.raises(ValueError):
        estimate_class_prior(X[:50], y_pu, method="km2")


# --- the default method: KM2 at two length scales (issue 19, item 15) ---------------


def test_km2_multiscale_is_the_mean_of_km2_at_half_and_twice_the_scale():
    X, _, y_pu = gaussian_pu(300, 0.4, 0.5, seed=1)
    options = {"n_bootstrap": 0, "max_kernel_samples": 80, "random_state": 3}
    both, _ = estimate_class_prior(X, y_pu, method="km2_multiscale", bandwidth=1.5, **options)
    half, _ = estimate_class_prior(X, y_pu, method="km2", bandwidth=0.75, **options)
    twice, _ = estimate_class_prior(X, y_pu, method="km2", bandwidth=3.0, **options)
    assert both == pytest.approx((half + twice) / 2)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_default_prior_holds_where_a_logistic_model_cannot(seed):
    # Concentric circles: Elkan-Noto's logistic g(x) is misspecified (its old
    # default missed the prior by about 0.5 here).
    from sklearn.datasets import make_circles

    X, y = make_circles(1500, noise=0.1, factor=0.5, random_state=seed)
    y_pu, _ = make_pu(X, y, label_frequency=0.3, random_state=seed)
    prior, (low, high) = estimate_class_prior(X, y_pu, random_state=0)
    assert abs(prior - y.mean()) <= 0.08
    assert low <= high
