"""The torch weak-label losses against NumPy references (values and gradients)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, softmax

from sklweak.complementary._losses import (
    forward_loss,
    pairwise_comparison_loss,
    partial_risks,
    surrogate_exp_loss,
    surrogate_log_loss,
    unbiased_loss,
    unbiased_risk_coefficients,
)
from sklweak.neural import (
    BagProportionLoss,
    ComplementaryLoss,
    NonNegativePULoss,
    complementary_forward_loss,
    complementary_pairwise_loss,
    complementary_partial_risks,
    complementary_surrogate_exp_loss,
    complementary_surrogate_log_loss,
    complementary_unbiased_loss,
)


def _problem(seed, n_samples=7, n_classes=4, n_labels=1):
    rng = np.random.RandomState(seed)
    G = rng.normal(scale=2.0, size=(n_samples, n_classes))
    excluded = np.zeros((n_samples, n_classes), dtype=bool)
    for i in range(n_samples):
        excluded[i, rng.choice(n_classes, n_labels, replace=False)] = True
    Q = rng.uniform(0.2, 1.0, size=(n_classes, n_classes))
    np.fill_diagonal(Q, 0.0)
    Q /= Q.sum(axis=1, keepdims=True)
    return G, excluded, Q


def _value_and_grad(function, G):
    """Per-sample values of a torch loss and the gradient of their sum."""
    logits = torch.tensor(G, dtype=torch.float64, requires_grad=True)
    values = function(logits)
    values.sum().backward()
    return values.detach().numpy(), logits.grad.numpy()


@settings(max_examples=20)
@given(seed=st.integers(0, 10_000), n_labels=st.integers(1, 3))
def test_complementary_losses_match_numpy(seed, n_labels):
    G, excluded, Q = _problem(seed, n_labels=n_labels)
    index = excluded.argmax(axis=1)
    mask = torch.tensor(excluded, dtype=torch.float64)
    cases = {
        "log": (
            lambda g: complementary_surrogate_log_loss(g, mask),
            surrogate_log_loss(G, excluded),
        ),
        "exp": (
            lambda g: complementary_surrogate_exp_loss(g, mask),
            surrogate_exp_loss(G, excluded),
        ),
        "ure": (
            lambda g: complementary_unbiased_loss(
                g, torch.tensor(unbiased_risk_coefficients(excluded))
            ),
            unbiased_loss(G, unbiased_risk_coefficients(excluded)),
        ),
    }
    if n_labels == 1:
        coefficients = unbiased_risk_coefficients(excluded, np.linalg.inv(Q))
        cases["fwd"] = (
            lambda g: complementary_forward_loss(g, torch.tensor(index), torch.tensor(Q)),
            forward_loss(G, index, Q),
        )
        cases["pc"] = (
            lambda g: complementary_pairwise_loss(g, torch.tensor(index)),
            pairwise_comparison_loss(G, index),
        )
        cases["ure_q"] = (
            lambda g: complementary_unbiased_loss(g, torch.tensor(coefficients)),
            unbiased_loss(G, coefficients),
        )
    for name, (function, (value, grad)) in cases.items():
        got_value, got_grad = _value_and_grad(function, G)
        np.testing.assert_allclose(got_value, value, rtol=1e-10, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(got_grad, grad, rtol=1e-8, atol=1e-10, err_msg=name)


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000))
def test_partial_risks_match_numpy(seed):
    G, excluded, _ = _problem(seed)
    coefficients = unbiased_risk_coefficients(excluded)
    weights = np.random.RandomState(seed).uniform(0.1, 1.0, size=G.shape[0])
    risks, gradient = partial_risks(G, coefficients, weights)
    logits = torch.tensor(G, requires_grad=True)
    got = complementary_partial_risks(logits, torch.tensor(coefficients), torch.tensor(weights))
    np.testing.assert_allclose(got.detach().numpy(), risks, rtol=1e-10)
    mask = risks < 0
    if mask.any():
        got[torch.tensor(mask)].sum().backward()
        np.testing.assert_allclose(logits.grad.numpy(), gradient(mask), rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("loss", ["pc", "fwd", "ure", "scl_nl", "scl_exp", "ce"])
def test_complementary_module_is_weighted_mean(loss):
    G, excluded, _ = _problem(0, n_samples=9)
    weights = np.linspace(0.5, 2.0, G.shape[0])
    module = ComplementaryLoss(loss).double()
    target = torch.tensor(np.column_stack([excluded, weights]))
    per_sample = module.per_sample(torch.tensor(G), torch.tensor(excluded))
    expected = np.average(per_sample.numpy(), weights=weights)
    assert module(torch.tensor(G), target).item() == pytest.approx(expected, rel=1e-10)
    unweighted = module(torch.tensor(G), torch.tensor(excluded, dtype=torch.float64))
    assert unweighted.item() == pytest.approx(per_sample.numpy().mean(), rel=1e-10)


def test_uniform_forward_equals_surrogate_log_up_to_constant():
    G, excluded, _ = _problem(1)
    n_classes = G.shape[1]
    uniform = (1.0 - np.eye(n_classes)) / (n_classes - 1)
    logits, mask = torch.tensor(G), torch.tensor(excluded, dtype=torch.float64)
    fwd = ComplementaryLoss("fwd", transition_matrix=uniform).double()(logits, mask)
    log = ComplementaryLoss("scl_nl").double()(logits, mask)
    assert fwd.item() == pytest.approx(log.item() + np.log(n_classes - 1), rel=1e-6)


def test_ure_ga_value_and_ascent_gradient():
    G, excluded, _ = _problem(2, n_samples=12)
    index = excluded.argmax(axis=1)
    n_classes = G.shape[1]
    prior = np.bincount(index, minlength=n_classes) / len(index)
    module = ComplementaryLoss("ure_ga", label_prior=prior).double()
    logits = torch.tensor(G, requires_grad=True)
    value = module(logits, torch.tensor(excluded, dtype=torch.float64))
    totals = np.bincount(index, minlength=n_classes)
    w = prior[index] / totals[index]
    risks, gradient = partial_risks(G, unbiased_risk_coefficients(excluded), w)
    assert value.item() == pytest.approx(np.maximum(risks, 0).sum(), rel=1e-6)
    value.backward()
    negative = risks < 0
    expected = -gradient(negative) if negative.any() else gradient(np.ones(n_classes, bool))
    np.testing.assert_allclose(logits.grad.numpy(), expected, rtol=1e-6, atol=1e-9)


def _bag_loss_reference(G, bags, proportions):
    P = softmax(G, axis=1)
    losses = []
    for bag in np.unique(bags):
        q = P[bags == bag].mean(axis=0)
        p = proportions[bags == bag][0]
        losses.append(-np.sum(p * np.log(q)))
    return np.mean(losses)


@settings(max_examples=20)
@given(seed=st.integers(0, 10_000))
def test_bag_proportion_loss_matches_numpy(seed):
    rng = np.random.RandomState(seed)
    n_samples, n_classes = 12, 3
    G = rng.normal(scale=3.0, size=(n_samples, n_classes))
    bags = rng.randint(0, 4, size=n_samples)
    bag_rows = rng.dirichlet(np.ones(n_classes), size=4)
    bag_rows[0] = [1.0, 0.0, 0.0]
    proportions = bag_rows[bags]
    target = torch.tensor(np.column_stack([bags, proportions]))
    expected = _bag_loss_reference(G, bags, proportions)
    got = BagProportionLoss()(torch.tensor(G), target).item()
    assert got == pytest.approx(expected, rel=1e-10)
    kl = BagProportionLoss(divergence="kl")(torch.tensor(G), target).item()
    present = np.unique(bags)
    entropy = np.mean(
        [-np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0)) for p in bag_rows[present]]
    )
    assert kl == pytest.approx(expected - entropy, rel=1e-8, abs=1e-12)


def test_bag_loss_of_singletons_is_cross_entropy_and_finite():
    G = np.array([[50.0, -50.0, 0.0], [0.0, 1.0, 2.0]])
    y = np.array([1, 2])
    target = torch.tensor(np.column_stack([[0, 1], np.eye(3)[y]]))
    logits = torch.tensor(G, requires_grad=True)
    loss = BagProportionLoss()(logits, target)
    expected = torch.nn.functional.cross_entropy(torch.tensor(G), torch.tensor(y))
    assert loss.item() == pytest.approx(expected.item(), rel=1e-10)
    loss.backward()
    assert torch.isfinite(logits.grad).all()


def _nnpu_reference(g, labeled, prior, loss):
    def ell(z):
        return expit(-z) if loss == "sigmoid" else np.logaddexp(0.0, -z)

    positive = prior * ell(g[labeled]).mean()
    negative = ell(-g).mean() - prior * ell(-g[labeled]).mean()
    return positive, negative


@pytest.mark.parametrize("loss", ["sigmoid", "logistic"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_nnpu_risk_matches_numpy(loss, seed):
    rng = np.random.RandomState(seed)
    g = rng.normal(scale=2.0, size=20)
    labeled = rng.rand(20) < 0.4
    labeled[0] = True
    prior = 0.6
    positive, negative = _nnpu_reference(g, labeled, prior, loss)
    scores = torch.tensor(g, requires_grad=True)
    module = NonNegativePULoss(prior, loss=loss, beta=0.0, gamma=0.5)
    value = module(scores, torch.tensor(labeled.astype(float)))
    assert value.item() == pytest.approx(positive + max(negative, 0.0), rel=1e-10)
    upu = NonNegativePULoss(prior, loss=loss, non_negative=False)
    assert upu(torch.tensor(g), torch.tensor(labeled.astype(float))).item() == pytest.approx(
        positive + negative, rel=1e-10
    )
    value.backward()
    # Gradient: of the risk, or of -gamma * negative part when it is below -beta.
    check = torch.tensor(g, requires_grad=True)
    pos, neg = module.risks(check, torch.tensor(labeled.astype(float)))
    (-0.5 * neg if negative < 0 else pos + neg).backward()
    np.testing.assert_allclose(scores.grad.numpy(), check.grad.numpy(), rtol=1e-10)


def test_nnpu_defocus_branch_is_taken():
    g = torch.tensor([3.0, 3.0, -3.0, -3.0], requires_grad=True)
    labeled = torch.tensor([1.0, 1.0, 0.0, 0.0])
    module = NonNegativePULoss(0.9)
    _, negative = module.risks(g, labeled)
    assert negative.item() < 0
    value = module(g, labeled)
    assert value.item() >= 0
    value.backward()
    expected = torch.autograd.grad(-module.risks(g, labeled)[1], g)[0]
    np.testing.assert_allclose(g.grad.numpy(), expected.numpy(), rtol=1e-6)


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: ComplementaryLoss("nope"), "loss must be one of"),
        (lambda: NonNegativePULoss(1.5), "prior"),
        (lambda: NonNegativePULoss(0.5, loss="hinge"), "loss"),
        (lambda: NonNegativePULoss(0.5, gamma=2.0), "gamma"),
        (lambda: BagProportionLoss(divergence="l2"), "divergence"),
    ],
)
def test_losses_reject_bad_options(build, match):
    with pytest.raises(ValueError, match=match):
        build()
