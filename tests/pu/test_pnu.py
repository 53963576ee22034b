"""PNUClassifier: the PNU risk, its limits and the PNU family checks."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from sklweak.pu import PNUClassifier


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


def test_auto_eta_side_follows_the_scarcer_labeled_class():
    X, y = make_classification(n_samples=800, random_state=3)
    rng = np.random.RandomState(3)
    labeled = rng.rand(800) < 0.3
    # Many labeled positives, few labeled negatives: the negatives' term is the
    # noisier one, so the PU side (eta >= 0) is validated; and the reverse.
    few_negatives = labeled & ((y == 1) | (rng.rand(800) < 0.1))
    few_positives = labeled & ((y == 0) | (rng.rand(800) < 0.1))
    for rows, sign in [(few_negatives, 1.0), (few_positives, -1.0)]:
        y_pnu = np.where(rows, y, -1)
        clf = PNUClassifier(random_state=0).fit(X, y_pnu)
        assert set(clf.eta_validation_error_) == {sign * s + 0.0 for s in (0, 0.25, 0.5, 0.75, 1)}
        errors = clf.eta_validation_error_
        assert clf.eta_ == min(errors, key=lambda eta: (errors[eta], abs(eta)))
        assert clf.eta_ * sign >= 0


def test_auto_eta_without_enough_labels_to_validate():
    X, y, y_pnu = _pnu_problem(n_samples=400, fraction_labeled=0.3)
    y_pnu = y_pnu.copy()
    negatives = np.flatnonzero(y_pnu == 0)
    y_pnu[negatives[1:]] = -1
    clf = PNUClassifier(prior=float(y.mean()), random_state=0).fit(X, y_pnu)
    assert clf.eta_validation_error_ == {}
    assert clf.eta_ in (-1.0, 0.0, 1.0)
    fixed = PNUClassifier(eta=0.25, prior=0.5).fit(X, y_pnu)
    assert fixed.eta_ == 0.25 and fixed.eta_validation_error_ == {}


def test_auto_eta_keeps_few_labels_close_to_the_supervised_baseline():
    # The tour's PNU setting: breast_cancer, 10% labels. A fixed eta = 0.5 leans
    # on the noisy PU risk and loses about 9 points to logistic regression on
    # the labeled rows; the validated eta does not.
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from sklweak.datasets import mask_labels

    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    y_pnu = mask_labels(y_train, labeled_fraction=0.1, random_state=0)
    labeled = y_pnu != -1
    supervised = LogisticRegression(max_iter=1000).fit(X_train[labeled], y_pnu[labeled])
    baseline = supervised.score(X_test, y_test)
    auto = PNUClassifier(random_state=0).fit(X_train, y_pnu)
    fixed = PNUClassifier(eta=0.5, random_state=0).fit(X_train, y_pnu)
    assert auto.score(X_test, y_test) >= baseline - 0.02
    assert auto.score(X_test, y_test) > fixed.score(X_test, y_test) + 0.05


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_auto_prior_without_negatives_follows_the_default_estimator(seed):
    # Concentric circles, no labeled negative: the prior comes from
    # estimate_class_prior's default (KM2 at two scales); Elkan-Noto's logistic
    # g(x), the old choice, cannot fit this boundary.
    from sklearn.datasets import make_circles

    from sklweak.datasets import make_pu

    X, y = make_circles(1500, noise=0.1, factor=0.5, random_state=seed)
    y_pu, _ = make_pu(X, y, label_frequency=0.3, random_state=seed)
    model = PNUClassifier(random_state=0).fit(X, np.where(y_pu == 1, 1, -1))
    assert abs(model.class_prior_ - y[y_pu != 1].mean()) < 0.1
