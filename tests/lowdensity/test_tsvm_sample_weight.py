"""TSVMClassifier: sample_weight multiplies the labeled samples' cost C."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from sklweak.lowdensity import TSVMClassifier


def _blobs():
    X, y = make_blobs(200, centers=2, cluster_std=2.5, random_state=0)
    y_weak = y.copy()
    y_weak[20:] = -1
    return X, y, y_weak


def test_a_weight_is_a_repetition_of_a_labeled_sample():
    X, y, y_weak = _blobs()
    weights = np.ones(len(y))
    weights[::7] = 3.0
    rows = np.repeat(np.arange(len(y)), weights.astype(int))
    with pytest.warns(UserWarning, match="no unlabeled sample"):
        weighted = TSVMClassifier(kernel="linear", C=1.0, tol=1e-6, random_state=0).fit(
            X, y, sample_weight=weights
        )
    with pytest.warns(UserWarning, match="no unlabeled sample"):
        repeated = TSVMClassifier(kernel="linear", C=1.0, tol=1e-6, random_state=0).fit(
            X[rows], y[rows]
        )
    with pytest.warns(UserWarning, match="no unlabeled sample"):
        plain = TSVMClassifier(kernel="linear", C=1.0, tol=1e-6, random_state=0).fit(X, y)
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-4)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, atol=1e-4)
    np.testing.assert_allclose(weighted.platt_slope_, repeated.platt_slope_, rtol=1e-3)
    assert np.abs(weighted.coef_ - plain.coef_).max() > 1e-2
    labeled_weights = np.ones(len(y))
    labeled_weights[:20:2] = 3.0
    transductive = TSVMClassifier(random_state=0).fit(X, y_weak, sample_weight=labeled_weights)
    unweighted = TSVMClassifier(random_state=0).fit(X, y_weak)
    accuracy = np.mean(transductive.transduction_ == y)
    assert accuracy == pytest.approx(np.mean(unweighted.transduction_ == y), abs=0.1)


def test_unit_weights_give_the_unweighted_model():
    X, _, y_weak = _blobs()
    plain = TSVMClassifier(random_state=0).fit(X, y_weak)
    unit = TSVMClassifier(random_state=0).fit(X, y_weak, sample_weight=np.ones(len(y_weak)))
    np.testing.assert_array_equal(plain.coef_, unit.coef_)
    assert plain.platt_slope_ == unit.platt_slope_


def test_weights_on_unlabeled_samples_or_negative_weights_are_refused():
    X, _, y_weak = _blobs()
    weights = np.ones(len(y_weak))
    weights[50] = 2.0
    with pytest.raises(ValueError, match="TSVMClassifier: .*unlabeled samples must keep"):
        TSVMClassifier().fit(X, y_weak, sample_weight=weights)
    weights = np.ones(len(y_weak))
    weights[0] = -1.0
    with pytest.raises(ValueError, match="non-negative"):
        TSVMClassifier().fit(X, y_weak, sample_weight=weights)
