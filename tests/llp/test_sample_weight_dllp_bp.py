"""sample_weight in DLLPClassifier (weighted bag loss) and LLPBPClassifier (its learner)."""

import importlib.util

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from sklweak.datasets import make_bags
from sklweak.llp import DLLPClassifier, LLPBPClassifier

# The nets run a fixed number of epochs (no plateau is waited for).
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("skorch") is None,
    reason="DLLP needs torch and skorch",
)


def _problem(n_samples=60, seed=0):
    X, y = make_classification(
        n_samples=n_samples, n_features=4, n_informative=3, n_redundant=0, random_state=seed
    )
    _, Y, _ = make_bags(X, y, bag_size=5, random_state=seed)
    return X, y, Y


def _dllp(**params):
    defaults = {
        "hidden_layer_sizes": (8,),
        "max_iter": 12,
        "tol": 0.0,
        "n_iter_no_change": 50,
        "batch_size": 1000,
        "device": "cpu",
        "learning_rate": 1e-2,
        "random_state": 0,
    }
    return DLLPClassifier(**{**defaults, **params})


@needs_torch
def test_dllp_bag_loss_weighs_shares_and_bags():
    import torch

    from sklweak.neural import BagProportionLoss

    logits = torch.tensor([[1.0, -1.0], [0.5, 0.2], [-2.0, 1.0]], dtype=torch.float64)
    bags = torch.tensor([[0, 0.25, 0.75], [0, 0.25, 0.75], [1, 1.0, 0.0]], dtype=torch.float64)
    weights = torch.tensor([[3.0], [1.0], [0.5]], dtype=torch.float64)
    value = BagProportionLoss()(logits, torch.cat([bags, weights], dim=1))
    p = torch.softmax(logits, dim=1)
    q0 = (3.0 * p[0] + 1.0 * p[1]) / 4.0
    loss0 = -(0.25 * torch.log(q0[0]) + 0.75 * torch.log(q0[1]))
    loss1 = -torch.log(p[2, 0])
    expected = (2.0 * loss0 + 0.5 * loss1) / 2.0
    assert torch.allclose(value, expected)
    # A bag of weight-2 samples counts as the bag twice, under two ids.
    twice = torch.cat([bags[:2], bags[:2] + torch.tensor([5.0, 0, 0], dtype=torch.float64)])
    doubled = BagProportionLoss()(torch.cat([logits[:2], logits[:2]]), twice)
    ones = torch.ones(2, 1, dtype=torch.float64)
    weighted = BagProportionLoss()(logits[:2], torch.cat([bags[:2], 2.0 * ones], dim=1))
    # (Each loss is a mean over its bags: one bag here, two there.)
    assert torch.allclose(weighted, 2.0 * doubled)
    # Weights of 1 are the unweighted loss.
    plain = BagProportionLoss()(logits, bags)
    assert torch.allclose(BagProportionLoss()(logits, torch.cat([bags, weights**0], dim=1)), plain)


@needs_torch
def test_dllp_integer_weights_equal_repeated_rows_in_one_batch():
    X, y, _ = _problem()
    weights = np.random.RandomState(0).randint(1, 4, size=y.shape[0])
    weighted = _dllp().fit(X, y, sample_weight=weights)
    repeated = _dllp().fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=2e-5)
    np.testing.assert_allclose(weighted.feature_mean_, repeated.feature_mean_)


@needs_torch
def test_dllp_zero_weight_drops_the_row_and_an_emptied_bag():
    X, _, Y = _problem()
    weights = np.random.RandomState(1).randint(1, 4, size=X.shape[0]).astype(float)
    weights[:3] = 0.0
    weights[Y[:, 0] == Y[10, 0]] = 0.0
    kept = weights > 0
    for w in (weights, (weights > 0).astype(float)):
        with_zeros = _dllp(batch_size=16).fit(X, Y, sample_weight=w)
        dropped = _dllp(batch_size=16).fit(X[kept], Y[kept], sample_weight=w[kept])
        np.testing.assert_array_equal(with_zeros.predict_proba(X), dropped.predict_proba(X))
    unweighted = _dllp(batch_size=16).fit(X[kept], Y[kept])
    np.testing.assert_array_equal(with_zeros.predict_proba(X), unweighted.predict_proba(X))


@needs_torch
def test_dllp_weights_change_the_model_and_equal_weights_do_not():
    X, _, Y = _problem()
    plain = _dllp().fit(X, Y).predict_proba(X)
    np.testing.assert_array_equal(
        _dllp().fit(X, Y, sample_weight=np.full(X.shape[0], 3.0)).predict_proba(X), plain
    )
    weights = np.where(np.arange(X.shape[0]) % 2 == 0, 5.0, 0.2)
    changed = _dllp().fit(X, Y, sample_weight=weights).predict_proba(X)
    assert np.abs(changed - plain).max() > 1e-3


@needs_torch
@pytest.mark.parametrize(
    "weights, message",
    [(-np.ones(60), "Negative values"), (np.ones(59), "sample_weight.shape")],
)
def test_dllp_bad_weights_are_refused_before_training(weights, message):
    X, _, Y = _problem()
    clf = _dllp()
    with pytest.raises(ValueError, match=message):
        clf.fit(X, Y, sample_weight=weights)
    assert not hasattr(clf, "net_")


def _scaled_bags(seed=0):
    X, y, Y = _problem(n_samples=80, seed=seed)
    return StandardScaler().fit_transform(X), y, Y


def _tight_learner():
    return LogisticRegression(tol=1e-10, max_iter=10_000)


def test_llp_bp_integer_weights_equal_repeated_rows_on_labels():
    X, y, _ = _scaled_bags()
    weights = np.random.RandomState(0).randint(0, 4, size=y.shape[0])
    weighted = LLPBPClassifier(_tight_learner()).fit(X, y, sample_weight=weights)
    repeated = LLPBPClassifier(_tight_learner()).fit(
        np.repeat(X, weights, axis=0), np.repeat(y, weights)
    )
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-6)


def test_llp_bp_weights_weigh_the_learner_not_belief_propagation():
    X, _, Y = _scaled_bags()
    weights = np.random.RandomState(1).randint(0, 4, size=X.shape[0]).astype(float)
    plain = LLPBPClassifier(_tight_learner()).fit(X, Y)
    weighted = LLPBPClassifier(_tight_learner()).fit(X, Y, sample_weight=weights)
    # Every sample counts once in its bag: the pseudo-labels do not move.
    np.testing.assert_array_equal(weighted.pseudo_labels_, plain.pseudo_labels_)
    copies = weighted.pseudo_labels_ * weights[:, None]
    sample, column = np.nonzero(copies > 0)
    learner = _tight_learner().fit(X[sample], column, sample_weight=copies[sample, column])
    np.testing.assert_allclose(weighted.predict_proba(X), learner.predict_proba(X), atol=1e-8)
    assert np.abs(weighted.predict_proba(X) - plain.predict_proba(X)).max() > 1e-2
    # Weights of 1 are no weights.
    ones = LLPBPClassifier(_tight_learner()).fit(X, Y, sample_weight=np.ones(X.shape[0]))
    np.testing.assert_array_equal(ones.predict_proba(X), plain.predict_proba(X))


@needs_torch
def test_llp_bp_mlp_learner_takes_the_weights():
    X, _, Y = _scaled_bags()
    mlp_params = {"device": "cpu", "hidden_layer_sizes": (8,), "max_iter": 5}
    weights = np.where(np.arange(X.shape[0]) % 3 == 0, 4.0, 0.5)
    plain = LLPBPClassifier("mlp", mlp_params=mlp_params, random_state=0).fit(X, Y)
    weighted = LLPBPClassifier("mlp", mlp_params=mlp_params, random_state=0)
    weighted.fit(X, Y, sample_weight=weights)
    np.testing.assert_allclose(
        weighted.estimator_.feature_mean_, np.average(X, axis=0, weights=weights)
    )
    assert np.abs(weighted.predict_proba(X) - plain.predict_proba(X)).max() > 1e-3


@pytest.mark.parametrize(
    "fit_params, error, message",
    [
        ({"sample_weight": -np.ones(80)}, ValueError, "Negative values"),
        ({"sample_weight": np.ones(79)}, ValueError, "sample_weight.shape"),
        ({"groups": np.ones(80)}, TypeError, r"does not take \['groups'\]"),
    ],
)
def test_llp_bp_bad_fit_arguments_are_refused_before_any_work(fit_params, error, message):
    X, _, Y = _scaled_bags()
    clf = LLPBPClassifier()
    with pytest.raises(error, match=message):
        clf.fit(X, Y, **fit_params)
    assert not hasattr(clf, "estimator_")
