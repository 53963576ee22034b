"""sample_weight in ELRClassifier (weighted per-row loss) and MultiAnnotatorClassifier."""

import importlib.util

import numpy as np
import pytest
from sklearn.datasets import make_classification

from sklweak.noise import ELRClassifier

needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("skorch") is None,
    reason="ELR needs torch and skorch",
)


def _noisy_problem(n_samples=45, seed=0):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=seed,
    )
    return X, y


def _elr(**params):
    defaults = {
        "hidden_layer_sizes": (8,),
        "max_iter": 10,
        "tol": None,
        "batch_size": 1000,
        "learning_rate": 1e-2,
        "device": "cpu",
        "random_state": 0,
    }
    return ELRClassifier(**{**defaults, **params})


@needs_torch
def test_elr_weighted_loss_is_the_loss_of_repeated_rows():
    import torch

    from sklweak.neural._elr_loss import ELRLoss

    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(4, 3, generator=generator, dtype=torch.float64)
    labels = np.array([0, 2, 1, 1])
    counts = np.array([2, 1, 0, 3])
    relative = counts * (4 / counts.sum())
    weighted = ELRLoss(n_samples=4, n_classes=3)(
        logits, torch.as_tensor(np.column_stack([labels, np.arange(4), relative]))
    )
    n_repeated = counts.sum()
    repeated = ELRLoss(n_samples=n_repeated, n_classes=3)(
        logits.repeat_interleave(torch.as_tensor(counts), dim=0),
        torch.as_tensor(np.column_stack([np.repeat(labels, counts), np.arange(n_repeated)])),
    )
    assert torch.allclose(weighted, repeated)


@needs_torch
def test_elr_integer_weights_equal_repeated_rows_in_one_batch():
    X, y = _noisy_problem()
    weights = np.random.RandomState(0).randint(0, 4, size=y.shape[0])
    weighted = _elr().fit(X, y, sample_weight=weights)
    repeated = _elr().fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=2e-5)
    np.testing.assert_allclose(weighted.feature_scale_, repeated.feature_scale_)


@needs_torch
def test_elr_weights_change_the_model_and_equal_weights_do_not():
    X, y = _noisy_problem()
    plain = _elr(batch_size=16).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(
        _elr(batch_size=16).fit(X, y, sample_weight=np.ones(y.shape[0])).predict_proba(X), plain
    )
    weights = np.where(y == 0, 5.0, 0.5)
    changed = _elr(batch_size=16).fit(X, y, sample_weight=weights).predict_proba(X)
    assert np.abs(changed - plain).max() > 1e-3


@needs_torch
@pytest.mark.parametrize(
    "weights, message",
    [(-np.ones(45), "Negative values"), (np.ones(44), "sample_weight.shape")],
)
def test_elr_bad_weights_are_refused_before_training(weights, message):
    X, y = _noisy_problem()
    clf = _elr()
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y, sample_weight=weights)
    assert not hasattr(clf, "net_")
