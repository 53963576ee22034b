"""LDSClassifier on features of any magnitude, and sparse queries after a dense fit."""

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_moons

from sklweak.lowdensity import LDSClassifier


def _moons():
    X, y = make_moons(100, noise=0.1, random_state=0)
    y_weak = y.copy()
    y_weak[::2] = -1
    return X, y, y_weak


@pytest.mark.parametrize("scale", [1e-300, 1e-20, 1e8, 1e154, 1e200, 1e300])
def test_the_fit_does_not_depend_on_the_units(scale):
    X, y, y_weak = _moons()
    reference = LDSClassifier().fit(X, y_weak)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = LDSClassifier().fit(X * scale, y_weak)
        proba = model.predict_proba(X * scale)
        decision = model.decision_function(X * scale)
    assert np.all(np.isfinite(proba)) and np.all(np.isfinite(decision))
    np.testing.assert_array_equal(model.transduction_, reference.transduction_)
    np.testing.assert_allclose(proba, reference.predict_proba(X), atol=1e-4)
    assert np.mean(model.predict(X * scale) == y) > 0.95
    assert model.rho_ == pytest.approx(reference.rho_ / scale)


def test_a_query_too_far_from_the_training_data_is_a_clear_error():
    X, _, y_weak = _moons()
    model = LDSClassifier().fit(X, y_weak)
    with pytest.raises(ValueError, match="LDSClassifier: X holds values up to .*overflow"):
        model.predict(X * 1e200)
    assert np.all(np.isfinite(model.predict_proba(X * 1e100)))


def test_absolute_rho_keeps_its_meaning_after_rescaling():
    X, _, y_weak = _moons()
    unit = LDSClassifier(rho=2.0, rho_units="absolute").fit(X, y_weak)
    stretched = LDSClassifier(rho=0.5, rho_units="absolute").fit(X * 4.0, y_weak)
    np.testing.assert_array_equal(unit.transduction_, stretched.transduction_)
    np.testing.assert_allclose(unit.decision_values_, stretched.decision_values_, atol=1e-6)
    assert stretched.rho_ == 0.5


@pytest.mark.parametrize("to_sparse", [sparse.csr_matrix, sparse.csc_matrix])
def test_sparse_queries_after_a_dense_fit(to_sparse):
    X, _, y_weak = _moons()
    model = LDSClassifier().fit(X, y_weak)
    np.testing.assert_allclose(model.predict_proba(to_sparse(X)), model.predict_proba(X))
    np.testing.assert_array_equal(model.predict(to_sparse(X)), model.transduction_)
