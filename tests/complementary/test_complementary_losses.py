"""The complementary-label losses: gradients, limits and identities."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime
from scipy.special import log_softmax

from sklweak.complementary._losses import (
    forward_loss,
    pairwise_comparison_loss,
    partial_risks,
    surrogate_exp_loss,
    surrogate_log_loss,
    unbiased_loss,
    unbiased_risk_coefficients,
)


def _problem(seed, n_samples=6, n_classes=4):
    rng = np.random.RandomState(seed)
    G = rng.normal(scale=2.0, size=(n_samples, n_classes))
    index = rng.randint(n_classes, size=n_samples)
    excluded = np.zeros((n_samples, n_classes), dtype=bool)
    excluded[np.arange(n_samples), index] = True
    Q = rng.uniform(0.2, 1.0, size=(n_classes, n_classes))
    np.fill_diagonal(Q, 0.0)
    Q /= Q.sum(axis=1, keepdims=True)
    return G, index, excluded, Q


def _losses(index, excluded, Q):
    coefficients = unbiased_risk_coefficients(excluded, np.linalg.inv(Q))
    return {
        "log": lambda G: surrogate_log_loss(G, excluded),
        "exp": lambda G: surrogate_exp_loss(G, excluded),
        "fwd": lambda G: forward_loss(G, index, Q),
        "pc": lambda G: pairwise_comparison_loss(G, index),
        "ure": lambda G: unbiased_loss(G, coefficients),
    }


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000))
def test_gradients_match_finite_differences(seed):
    G, index, excluded, Q = _problem(seed)
    for name, loss in _losses(index, excluded, Q).items():
        value, grad = loss(G)
        assert value.shape == (G.shape[0],)
        numeric = approx_fprime(G.ravel(), lambda v, f=loss: f(v.reshape(G.shape))[0].sum(), 1e-6)
        np.testing.assert_allclose(grad.ravel(), numeric, rtol=1e-3, atol=1e-5, err_msg=name)


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000))
def test_partial_risks_sum_to_unbiased_loss(seed):
    G, _, excluded, Q = _problem(seed)
    coefficients = unbiased_risk_coefficients(excluded, np.linalg.inv(Q))
    weights = np.full(G.shape[0], 1.0 / G.shape[0])
    risks, gradient = partial_risks(G, coefficients, weights)
    value, grad = unbiased_loss(G, coefficients)
    np.testing.assert_allclose(risks.sum(), weights @ value)
    all_classes = np.ones(G.shape[1], dtype=bool)
    np.testing.assert_allclose(gradient(all_classes), grad * weights[:, None], atol=1e-12)
    mask = np.arange(G.shape[1]) % 2 == 0
    numeric = approx_fprime(
        G.ravel(),
        lambda v: partial_risks(v.reshape(G.shape), coefficients, weights)[0][mask].sum(),
        1e-6,
    )
    np.testing.assert_allclose(gradient(mask).ravel(), numeric, rtol=1e-3, atol=1e-6)


def test_uniform_forward_is_surrogate_log_plus_constant():
    G, index, excluded, _ = _problem(0, n_classes=5)
    uniform = (1.0 - np.eye(5)) / 4
    fwd, fwd_grad = forward_loss(G, index, uniform)
    log, log_grad = surrogate_log_loss(G, excluded)
    np.testing.assert_allclose(fwd, log + np.log(4))
    np.testing.assert_allclose(fwd_grad, log_grad, atol=1e-12)


def test_surrogate_log_with_all_but_one_excluded_is_cross_entropy():
    G, _, _, _ = _problem(1)
    y = np.array([0, 1, 2, 3, 0, 1])
    excluded = np.ones_like(G, dtype=bool)
    excluded[np.arange(6), y] = False
    loss, _ = surrogate_log_loss(G, excluded)
    np.testing.assert_allclose(loss, -log_softmax(G, axis=1)[np.arange(6), y])


def test_uniform_unbiased_loss_formula():
    G, index, excluded, _ = _problem(2)
    K = G.shape[1]
    ce = -log_softmax(G, axis=1)
    expected = -(K - 1) * ce[np.arange(G.shape[0]), index] + ce.sum(axis=1)
    loss, _ = unbiased_loss(G, unbiased_risk_coefficients(excluded))
    np.testing.assert_allclose(loss, expected)


def test_losses_stay_finite_for_huge_logits():
    G, index, excluded, Q = _problem(3)
    for name, loss in _losses(index, excluded, Q).items():
        value, grad = loss(1e4 * G)
        assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad)), name


@pytest.mark.parametrize("n_excluded", [1, 2, 3])
def test_coefficients_are_unbiased_for_uniform_sets(n_excluded):
    """Averaging c . l over every equally likely set gives l[y]."""
    from itertools import combinations

    K, y = 5, 2
    losses = np.arange(1.0, K + 1.0)
    others = [k for k in range(K) if k != y]
    rows = []
    for subset in combinations(others, n_excluded):
        row = np.zeros(K, dtype=bool)
        row[list(subset)] = True
        rows.append(row)
    c = unbiased_risk_coefficients(np.array(rows))
    np.testing.assert_allclose(c.sum(axis=1), 1.0)
    assert np.mean(c @ losses) == pytest.approx(losses[y])


def test_coefficients_reject_several_labels_with_a_matrix():
    with pytest.raises(ValueError, match="one complementary label"):
        unbiased_risk_coefficients(np.array([[1, 1, 0]], dtype=bool), np.eye(3))
