"""NNPUClassifier(model="mlp"): the nnPU and uPU risks with a torch MLP."""

import pickle
import warnings

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.estimator_checks import (
    check_fit_idempotent,
    check_methods_subset_invariance,
)

from sklweak.datasets import make_pu
from sklweak.pu import NNPUClassifier


def _mlp(**params):
    defaults = {
        "model": "mlp",
        "hidden_layer_sizes": (32,),
        "max_iter": 30,
        "device": "cpu",
        "random_state": 0,
    }
    defaults.update(params)
    return NNPUClassifier(**defaults)


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def _data(n_samples=600, label_frequency=0.3, seed=0):
    X, y = make_classification(n_samples=n_samples, n_features=10, random_state=seed)
    y_pu, _ = make_pu(X, y, label_frequency=label_frequency, random_state=seed)
    return X, y, y_pu


def test_mlp_learns_from_positive_and_unlabeled():
    X, y, y_pu = _data(n_samples=400)
    clf = _fit(_mlp(prior=y.mean(), max_iter=20), X, y_pu)
    assert not hasattr(clf, "coef_") and clf.device_ == "cpu"
    linear = _fit(NNPUClassifier(prior=y.mean(), random_state=0), X, y_pu)
    assert clf.score(X, y) > 0.8  # chance is 0.5
    assert clf.score(X, y) >= linear.score(X, y) - 0.05
    scores = clf.decision_function(X)
    assert scores.shape == (len(y),)
    np.testing.assert_array_equal(clf.predict(X), (scores > 0).astype(int))
    proba = clf.predict_proba(X)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(proba[:, 1], 1.0 / (1.0 + np.exp(-scores)))
    assert clf.n_iter_ == len(clf.risk_curve_)


def test_unbiased_risk_goes_negative_and_non_negative_risk_does_not():
    # Few positives, a wide net, many steps: uPU's empirical risk dives below
    # zero (the overfitting of Kiryo et al.), nnPU's never does.
    X, y, y_pu = _data(n_samples=300, label_frequency=0.2, seed=1)
    params = {
        "prior": y.mean(),
        "hidden_layer_sizes": (64, 64),
        "learning_rate": 1e-2,
        "alpha": 0.0,
        "max_iter": 120,
        "tol": 0.0,
        "n_iter_no_change": 1000,
    }
    upu = _fit(_mlp(non_negative=False, **params), X, y_pu)
    nnpu = _fit(_mlp(non_negative=True, **params), X, y_pu)
    assert min(upu.risk_curve_) < -0.01
    assert min(nnpu.risk_curve_) >= 0.0
    assert nnpu.score(X, y) >= upu.score(X, y)


def test_same_seed_same_model_pickle_and_switching_backends():
    X, _, y_pu = _data()
    first = _fit(_mlp(prior=0.5, loss="logistic"), X, y_pu)
    second = _fit(_mlp(prior=0.5, loss="logistic"), X, y_pu)
    np.testing.assert_array_equal(first.decision_function(X), second.decision_function(X))
    restored = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(restored.predict_proba(X), first.predict_proba(X))
    first.set_params(model="linear", max_iter=50)
    _fit(first, X, y_pu)
    assert hasattr(first, "coef_") and not hasattr(first, "net_")
    assert not hasattr(first, "feature_mean_")
    first.set_params(model="mlp", max_iter=5)
    _fit(first, X, y_pu)
    assert hasattr(first, "net_") and not hasattr(first, "coef_")


def test_mlp_convergence_warning_and_bad_parameters():
    X, _, y_pu = _data()
    with pytest.warns(ConvergenceWarning, match="model='mlp'"):
        _mlp(prior=0.5, max_iter=2).fit(X, y_pu)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        _mlp(prior=0.5, hidden_layer_sizes=(0,)).fit(X, y_pu)
    with pytest.raises(ValueError, match="model"):
        _mlp(model="forest").fit(X, y_pu)
    with pytest.raises(ValueError, match="prior"):
        _mlp(prior=0.01).fit(X, y_pu)


@pytest.mark.parametrize(
    "check",
    [check_fit_idempotent, check_methods_subset_invariance],
    ids=lambda check: check.__name__,
)
def test_sklearn_checks_with_the_mlp(check):
    estimator = NNPUClassifier(
        model="mlp", hidden_layer_sizes=(16,), max_iter=20, device="cpu", random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(type(estimator).__name__, estimator)
