"""ELRClassifier and its criterion ELRLoss (early-learning regularization)."""

import pickle
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from sklweak.datasets import make_noisy_labels
from sklweak.neural._elr_loss import ELRLoss
from sklweak.noise import ELRClassifier


def _rows(labels, index):
    return torch.tensor(np.column_stack([labels, index]), dtype=torch.int64)


def test_loss_without_regularization_is_the_cross_entropy():
    logits = torch.randn(5, 3, generator=torch.Generator().manual_seed(0))
    labels = np.array([0, 2, 1, 1, 0])
    criterion = ELRLoss(n_samples=5, n_classes=3, regularization=0.0)
    value = criterion(logits, _rows(labels, np.arange(5)))
    expected = F.cross_entropy(logits, torch.as_tensor(labels))
    assert torch.allclose(value, expected)
    assert torch.all(criterion.targets.sum(dim=1) > 0)  # still tracked


def test_targets_are_a_temporal_ensemble_and_the_loss_matches_the_formula():
    criterion = ELRLoss(n_samples=4, n_classes=2, regularization=3.0, momentum=0.7)
    logits = torch.tensor([[1.0, -1.0], [0.0, 3.0]], requires_grad=True)
    index = np.array([3, 1])
    rows = _rows([0, 0], index)
    p = torch.softmax(logits.detach(), dim=1).clamp(1e-4, 1 - 1e-4)
    p = p / p.sum(dim=1, keepdim=True)
    criterion(logits, rows)
    np.testing.assert_allclose(criterion.targets[index].numpy(), 0.3 * p.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(criterion.targets[[0, 2]].numpy(), 0.0)
    value = criterion(logits, rows)
    t = 0.7 * 0.3 * p + 0.3 * p
    np.testing.assert_allclose(criterion.targets[index].numpy(), t.numpy(), rtol=1e-6)
    q = torch.softmax(logits.detach(), dim=1).clamp(1e-4, 1 - 1e-4)
    expected = (
        F.cross_entropy(logits.detach(), torch.tensor([0, 0]))
        + 3.0 * torch.log(1 - (t * q).sum(dim=1)).mean()
    )
    assert abs(value.item() - expected.item()) < 1e-5
    value.backward()
    assert torch.all(torch.isfinite(logits.grad))
    criterion.eval()
    before = criterion.targets.clone()
    criterion(logits, rows)
    assert torch.equal(before, criterion.targets)


def test_regularizer_pulls_the_prediction_towards_the_target():
    # Target says class 1, the given label says class 0: the regularizer's
    # gradient raises the logit of class 1.
    criterion = ELRLoss(n_samples=1, n_classes=2, regularization=1.0)
    criterion.targets[0] = torch.tensor([0.1, 0.9])
    criterion.eval()
    logits = torch.zeros(1, 2, requires_grad=True)
    criterion.regularizer(logits, torch.tensor([0])).backward()
    assert logits.grad[0, 1] < 0 < logits.grad[0, 0]


@pytest.mark.parametrize(
    "params",
    [
        {"n_samples": 0, "n_classes": 2},
        {"n_samples": 3, "n_classes": 1},
        {"n_samples": 3, "n_classes": 2, "regularization": -1.0},
        {"n_samples": 3, "n_classes": 2, "momentum": 1.0},
    ],
)
def test_loss_rejects_bad_parameters(params):
    with pytest.raises(ValueError):
        ELRLoss(**params)


def _noisy_split():
    X, y = make_classification(
        n_samples=800,
        n_features=10,
        n_informative=6,
        n_classes=3,
        n_clusters_per_class=1,
        class_sep=1.5,
        random_state=0,
    )
    y_noisy, flipped = make_noisy_labels(y[:400], noise_rate=0.4, random_state=0)
    return X[:400], y_noisy, flipped, X[400:], y[400:]


def test_elr_resists_memorization_where_the_plain_mlp_does_not():
    X, y_noisy, flipped, X_test, y_test = _noisy_split()
    params = {
        "hidden_layer_sizes": (64, 64),
        "learning_rate": 1e-2,
        "batch_size": 64,
        "tol": None,
        "max_iter": 60,
        "device": "cpu",
        "random_state": 0,
    }
    plain = ELRClassifier(regularization=0.0, **params).fit(X, y_noisy)
    elr = ELRClassifier(regularization=3.0, momentum=0.7, **params).fit(X, y_noisy)
    memorized_plain = np.mean(plain.predict(X[flipped]) == y_noisy[flipped])
    memorized_elr = np.mean(elr.predict(X[flipped]) == y_noisy[flipped])
    assert memorized_plain > 0.5 and memorized_elr < 0.25
    assert elr.score(X_test, y_test) > plain.score(X_test, y_test) + 0.1
    issues = elr.label_issues_
    assert (issues & flipped).sum() > 0.7 * flipped.sum()
    assert (issues & flipped).sum() > 0.7 * issues.sum()
    assert elr.targets_.shape == (len(y_noisy), 3)
    np.testing.assert_allclose(elr.targets_.sum(axis=1), 1.0, atol=1e-3)


def test_string_labels_same_seed_and_pickle():
    X, y_noisy, _, X_test, _ = _noisy_split()
    names = np.array(["ant", "bee", "cat"], dtype=object)[y_noisy]
    params = {
        "hidden_layer_sizes": (16,),
        "max_iter": 5,
        "tol": None,
        "device": "cpu",
        "random_state": 3,
    }
    first = ELRClassifier(**params).fit(X, names)
    second = ELRClassifier(**params).fit(X, names)
    assert list(first.classes_) == ["ant", "bee", "cat"]
    assert set(first.predict(X_test)) <= set(first.classes_)
    np.testing.assert_array_equal(first.predict_proba(X_test), second.predict_proba(X_test))
    restored = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(restored.predict_proba(X_test), first.predict_proba(X_test))
    assert first.n_iter_ == 5 == len(first.loss_curve_)


def test_convergence_warning_only_with_tol_and_bad_input():
    X, y_noisy, _, _, _ = _noisy_split()
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        ELRClassifier(max_iter=2, device="cpu", random_state=0).fit(X, y_noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        ELRClassifier(max_iter=2, tol=None, device="cpu", random_state=0).fit(X, y_noisy)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        ELRClassifier(hidden_layer_sizes=(0,)).fit(X, y_noisy)
    with pytest.raises(ValueError, match="class"):
        ELRClassifier().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="momentum"):
        ELRClassifier(momentum=1.0).fit(X, y_noisy)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="device"):
            ELRClassifier(device="cuda").fit(X, y_noisy)
