"""SARPUClassifier: EM over a classifier and a propensity model."""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import KNeighborsClassifier

from sklweak.pu import ElkanNotoClassifier, SARPUClassifier


def _sar_problem(seed=0, n_samples=1500):
    """Class from features 0-1; propensity 0.1 to 0.9 driven by feature 2."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_samples, 4)
    y = (X[:, 0] + X[:, 1] > 0.5).astype(np.int64)
    propensity = 0.1 + 0.8 / (1.0 + np.exp(-3.0 * X[:, 2]))
    y_pu = ((y == 1) & (rng.rand(n_samples) < propensity)).astype(np.int64)
    return X, y, y_pu, propensity


@pytest.mark.parametrize("seed", [0, 1])
def test_sar_beats_scar_under_selection_bias(seed):
    X, y, y_pu, _ = _sar_problem(seed)
    sar = SARPUClassifier(propensity_features=[2]).fit(X, y_pu)
    scar = ElkanNotoClassifier(LogisticRegression(max_iter=1000), random_state=0).fit(X, y_pu)
    sar_auc = roc_auc_score(y, sar.predict_proba(X)[:, 1])
    scar_auc = roc_auc_score(y, scar.predict_proba(X)[:, 1])
    assert sar_auc > scar_auc
    assert sar.score(X, y) > scar.score(X, y)
    assert abs(sar.class_prior_ - y.mean()) < 0.05


def test_propensity_is_recovered():
    X, y, y_pu, propensity = _sar_problem()
    sar = SARPUClassifier(propensity_features=[2]).fit(X, y_pu)
    positives = y == 1
    assert np.corrcoef(sar.propensity_[positives], propensity[positives])[0, 1] > 0.9
    np.testing.assert_allclose(sar.predict_propensity(X), sar.propensity_)
    assert sar.propensity_.min() > 0 and sar.propensity_.max() <= 1
    assert np.all(np.diff(sar.log_likelihood_[1:]) > -1e-3)


def test_boolean_mask_equals_indices():
    X, _, y_pu, _ = _sar_problem(n_samples=500)
    by_index = SARPUClassifier(propensity_features=[2]).fit(X, y_pu)
    by_mask = SARPUClassifier(propensity_features=[False, False, True, False]).fit(X, y_pu)
    np.testing.assert_array_equal(by_mask.propensity_features_, [2])
    np.testing.assert_allclose(by_index.predict_proba(X), by_mask.predict_proba(X))


@pytest.mark.parametrize(
    "features, match",
    [
        ([7], "outside"),
        ([], "no feature"),
        ([True, False], "boolean mask"),
        ([[0, 1]], "1-D"),
    ],
)
def test_bad_propensity_features_rejected(features, match):
    X, _, y_pu, _ = _sar_problem(n_samples=200)
    with pytest.raises(ValueError, match=match):
        SARPUClassifier(propensity_features=features).fit(X, y_pu)


def test_estimator_without_sample_weight_rejected():
    X, _, y_pu, _ = _sar_problem(n_samples=200)
    with pytest.raises(ValueError, match="sample_weight"):
        SARPUClassifier(KNeighborsClassifier()).fit(X, y_pu)
    with pytest.raises(ValueError, match="propensity_estimator"):
        SARPUClassifier(propensity_estimator=KNeighborsClassifier()).fit(X, y_pu)


def test_convergence_warning_at_max_iter():
    X, _, y_pu, _ = _sar_problem(n_samples=500)
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        SARPUClassifier(propensity_features=[2], max_iter=1).fit(X, y_pu)


# tol=1e-12: both fits run all 30 EM steps, so they stop at the same step.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_sample_weight_is_repetition():
    X, _, y_pu, _ = _sar_problem(0, n_samples=300)
    weights = np.random.RandomState(1).randint(0, 3, size=300)
    repeated = np.repeat(np.arange(300), weights)
    sar = {"propensity_features": [2], "tol": 1e-12, "max_iter": 30}
    weighted = SARPUClassifier(LogisticRegression(tol=1e-10, max_iter=1000), **sar).fit(
        X, y_pu, sample_weight=weights
    )
    copies = SARPUClassifier(LogisticRegression(tol=1e-10, max_iter=1000), **sar).fit(
        X[repeated], y_pu[repeated]
    )
    np.testing.assert_allclose(weighted.class_prior_, copies.class_prior_, rtol=1e-5)
    np.testing.assert_allclose(weighted.predict_proba(X), copies.predict_proba(X), atol=1e-5)
    unweighted = SARPUClassifier(LogisticRegression(tol=1e-10, max_iter=1000), **sar).fit(X, y_pu)
    assert not np.allclose(weighted.class_prior_, unweighted.class_prior_)
