"""PNUClassifier: sample_weight weighs the three empirical risks and the prior."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from sklweak.pu import PNUClassifier


def _pnu_problem(n_samples=120, seed=0):
    X, y = make_classification(n_samples=n_samples, n_features=4, random_state=seed)
    rng = np.random.RandomState(seed)
    y_pnu = np.where(rng.rand(n_samples) < 0.6, -1, y)
    weights = rng.randint(0, 4, size=n_samples).astype(float)
    weights[np.flatnonzero(y_pnu == 1)[:2]] = 2.0
    return X, y_pnu, weights


@pytest.mark.parametrize(
    "params, atol",
    [
        ({"prior": 0.45, "eta": 0.5}, 1e-6),
        ({"prior": 0.45, "eta": -0.5}, 1e-6),
        # The prior's logistic regression is solved to its own tolerance.
        ({"prior": "auto", "eta": 0.5}, 1e-3),
    ],
)
def test_integer_weights_are_repeated_rows(params, atol):
    X, y_pnu, weights = _pnu_problem()
    rows = np.repeat(np.arange(len(y_pnu)), weights.astype(int))
    weighted = PNUClassifier(tol=1e-10, **params).fit(X, y_pnu, sample_weight=weights)
    repeated = PNUClassifier(tol=1e-10, **params).fit(X[rows], y_pnu[rows])
    assert weighted.class_prior_ == pytest.approx(repeated.class_prior_, abs=atol)
    np.testing.assert_allclose(
        weighted.decision_function(X), repeated.decision_function(X), atol=atol * 10
    )


def test_weights_change_the_model():
    X, y_pnu, weights = _pnu_problem()
    plain = PNUClassifier(prior="auto", eta=0.5).fit(X, y_pnu)
    weighted = PNUClassifier(prior="auto", eta=0.5).fit(X, y_pnu, sample_weight=weights)
    assert weighted.class_prior_ != pytest.approx(plain.class_prior_, abs=1e-3)
    assert np.abs(weighted.coef_ - plain.coef_).max() > 1e-2


@pytest.mark.parametrize("y_kind", ["pnu", "no_negative", "no_unlabeled"])
def test_equal_weights_give_the_unweighted_model(y_kind):
    X, y_pnu, _ = _pnu_problem()
    if y_kind == "no_negative":
        y_pnu = np.where(y_pnu == 0, -1, y_pnu)
    elif y_kind == "no_unlabeled":
        y_pnu = np.where(y_pnu == -1, 0, y_pnu)
    plain = PNUClassifier(random_state=0).fit(X, y_pnu)
    for weights in (np.ones(len(y_pnu)), np.full(len(y_pnu), 3.0)):
        weighted = PNUClassifier(random_state=0).fit(X, y_pnu, sample_weight=weights)
        np.testing.assert_array_equal(weighted.decision_function(X), plain.decision_function(X))
        assert weighted.eta_ == plain.eta_
        assert weighted.class_prior_ == plain.class_prior_


def test_weighted_auto_settings_are_seeded():
    X, y_pnu, weights = _pnu_problem()
    first = PNUClassifier(random_state=0).fit(X, y_pnu, sample_weight=weights)
    second = PNUClassifier(random_state=0).fit(X, y_pnu, sample_weight=weights)
    np.testing.assert_array_equal(first.coef_, second.coef_)
    assert first.eta_validation_error_ == second.eta_validation_error_
    no_negative = np.where(y_pnu == 0, -1, y_pnu)
    pu = PNUClassifier(random_state=0).fit(X, no_negative, sample_weight=weights)
    assert 0.0 < pu.class_prior_ < 1.0
    assert pu.eta_ == 1.0


def test_bad_weights_are_refused_before_any_work():
    X, y_pnu, weights = _pnu_problem()
    with pytest.raises(ValueError, match="non-negative"):
        PNUClassifier().fit(X, y_pnu, sample_weight=-weights)
    with pytest.raises(ValueError, match="sample_weight.shape"):
        PNUClassifier().fit(X, y_pnu, sample_weight=weights[:-1])
    no_positive_weight = np.where(y_pnu == 1, 0.0, 1.0)
    with pytest.raises(ValueError, match="zero on every labeled positive"):
        PNUClassifier().fit(X, y_pnu, sample_weight=no_positive_weight)
