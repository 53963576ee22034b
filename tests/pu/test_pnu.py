"""PNUClassifier: the PNU risk, its limits and the PNU family checks."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from sklweak.pu import PNUClassifier
from sklweak.utils._checks_pnu import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_pnu_family_check(check):
    check("PNUClassifier", PNUClassifier())


def _pnu_problem(seed=0, n_samples=600, fraction_labeled=0.2):
    X, y = make_classification(n_samples=n_samples, random_state=seed)
    rng = np.random.RandomState(seed)
    y_pnu = np.where(rng.rand(n_samples) < fraction_labeled, y, -1)
    return X, y, y_pnu


def test_eta_zero_is_weighted_supervised_logistic_regression():
    X, _, y_pnu = _pnu_problem()
    labeled = y_pnu != -1
    clf = PNUClassifier(eta=0.0, prior=0.5, alpha=1e-3).fit(X, y_pnu)
    # with prior 0.5, the PN risk weights each class by 0.5 / class size
    counts = np.bincount(y_pnu[labeled])
    weights = 0.5 / counts[y_pnu[labeled]]
    Z_mean, Z_std = X.mean(axis=0), X.std(axis=0)
    Z = (X - Z_mean) / Z_std
    lr = LogisticRegression(C=1.0 / 1e-3, tol=1e-10, max_iter=10000)
    lr.fit(Z[labeled], y_pnu[labeled], sample_weight=weights)
    np.testing.assert_allclose(
        clf.decision_function(X), lr.decision_function(Z), rtol=1e-3, atol=1e-3
    )


def test_pnu_learns_from_few_labels():
    X, y, y_pnu = _pnu_problem(seed=1, n_samples=2000, fraction_labeled=0.02)
    X_test, y_test = X[1000:], y[1000:]
    X, y, y_pnu = X[:1000], y[:1000], y_pnu[:1000]
    prior = float(y[y_pnu == -1].mean())
    pnu = PNUClassifier(eta=0.5, prior=prior).fit(X, y_pnu)
    assert pnu.score(X_test, y_test) > 0.7


def test_without_negatives_the_risk_is_pu():
    X, y, y_pnu = _pnu_problem(n_samples=1000, fraction_labeled=0.4)
    y_pu = np.where(y_pnu == 0, -1, y_pnu)
    clf = PNUClassifier(prior=float(y[y_pu == -1].mean()), eta=-0.5).fit(X, y_pu)
    assert clf.eta_ == 1.0
    assert clf.score(X, y) > 0.8


def test_without_unlabeled_the_risk_is_pn():
    X, y, _ = _pnu_problem()
    clf = PNUClassifier(eta=0.7).fit(X, y)
    assert clf.eta_ == 0.0
    assert clf.class_prior_ == pytest.approx(y.mean())


def test_auto_prior_is_close_to_the_unlabeled_prior():
    X, y, y_pnu = _pnu_problem(n_samples=2000, fraction_labeled=0.3)
    clf = PNUClassifier(random_state=0).fit(X, y_pnu)
    assert abs(clf.class_prior_ - y[y_pnu == -1].mean()) < 0.08


def test_negative_eta_uses_the_nu_risk():
    X, y, y_pnu = _pnu_problem(n_samples=1000, fraction_labeled=0.2)
    prior = float(y[y_pnu == -1].mean())
    nu = PNUClassifier(eta=-0.5, prior=prior).fit(X, y_pnu)
    pu = PNUClassifier(eta=0.5, prior=prior).fit(X, y_pnu)
    assert nu.eta_ == -0.5
    assert nu.score(X, y) > 0.8
    assert not np.allclose(nu.coef_, pu.coef_)


def test_convergence_warning_at_max_iter():
    X, _, y_pnu = _pnu_problem()
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        PNUClassifier(max_iter=1, prior=0.5).fit(X, y_pnu)


def test_bad_eta_rejected():
    X, _, y_pnu = _pnu_problem()
    with pytest.raises(ValueError, match="eta"):
        PNUClassifier(eta=1.5).fit(X, y_pnu)
