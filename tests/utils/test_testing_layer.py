"""The testing layer: instances, expected failures, and the generic checks catching faults."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sklweak.llp import EasyLLPClassifier
from sklweak.utils import all_estimators, estimator_checks
from sklweak.utils._testing import (
    EXPECTED_FAILED_CHECKS,
    EXTRA_CONFIGURATIONS,
    default_instance,
    expected_failed_checks,
    extra_instances,
)
from sklweak.utils._testing._assertions import (
    _assert_bad_input_rejected,
    _assert_inputs_not_mutated,
    _assert_random_state_fixes_result,
)
from sklweak.utils.estimator_checks import FAMILY_CHECKS

REGISTERED = dict(all_estimators())


def test_every_family_check_module_is_in_the_table():
    modules = {path.stem for path in Path(estimator_checks.__file__).parent.glob("_checks_*.py")}
    listed = {id(checks) for checks in FAMILY_CHECKS.values()}
    for module in modules:
        checks = importlib.import_module(f"sklweak.utils.{module}").CHECKS
        assert id(checks) in listed, f"{module}.CHECKS is missing from FAMILY_CHECKS"
    assert len(listed) == len(modules)
    kinds = {getattr(cls, "_weak_label_kind", None) for cls in REGISTERED.values()}
    assert kinds - {None} <= set(FAMILY_CHECKS)


def test_tables_name_registered_estimators_only():
    if importlib.util.find_spec("torch") is None:
        pytest.skip("the tables also name the neural estimators, registered only with torch")
    assert set(EXPECTED_FAILED_CHECKS) <= set(REGISTERED)
    assert set(EXTRA_CONFIGURATIONS) <= set(REGISTERED)


@pytest.mark.parametrize("name", sorted(EXTRA_CONFIGURATIONS))
def test_extra_configurations_differ_from_the_default(name):
    default = default_instance(REGISTERED[name]).get_params(deep=False)
    extras = extra_instances(REGISTERED[name])
    assert len(extras) == len(EXTRA_CONFIGURATIONS[name])
    for params, estimator in zip(EXTRA_CONFIGURATIONS[name], extras):
        assert any(default[key] != value for key, value in params.items()), params
        assert all(estimator.get_params()[key] == value for key, value in params.items())


def test_every_expected_failure_has_a_reason():
    for name, failures in EXPECTED_FAILED_CHECKS.items():
        for check, reason in failures.items():
            assert check.startswith("check_") and len(reason) > 40, (name, check)


def test_expected_failures_follow_the_configuration():
    linear = expected_failed_checks(EasyLLPClassifier())
    mlp = expected_failed_checks(EasyLLPClassifier(model="mlp"))
    assert "check_supervised_y_2d" in linear and "check_supervised_y_2d" in mlp
    assert "check_sample_weight_equivalence_on_dense_data" not in linear
    assert "check_sample_weight_equivalence_on_dense_data" in mlp
    assert expected_failed_checks(default_instance(REGISTERED["LabelPropagation"])) == {}


class _MutatesY(LogisticRegression):
    def fit(self, X, y, sample_weight=None):
        y[:3] = y[0]
        return super().fit(X, y, sample_weight)


class _SeedIgnored(LogisticRegression):
    """Adds noise to the data that no random_state fixes."""

    def fit(self, X, y, sample_weight=None):
        noise = np.random.default_rng().normal(size=X.shape)
        return super().fit(X + noise, y, sample_weight)


def _problem():
    X, y = make_classification(n_samples=80, random_state=0)
    return X[:60], y[:60], X[60:]


def test_generic_checks_catch_a_mutating_or_unseeded_estimator():
    X, y, X_test = _problem()
    with pytest.raises(AssertionError, match="modified y"):
        _assert_inputs_not_mutated("_MutatesY", _MutatesY(), X, y.copy(), X_test)
    with pytest.raises(AssertionError, match="random_state"):
        _assert_random_state_fixes_result(
            "_SeedIgnored", lambda seed: _SeedIgnored(), X, y, X_test, method="predict_proba"
        )


def test_bad_input_check_needs_every_bad_target_rejected():
    X, y, X_test = _problem()
    _assert_bad_input_rejected("LogisticRegression", LogisticRegression(), X, y, X_test, [])
    accepted = [(y + 5, ("class",), "shifted labels")]
    with pytest.raises(AssertionError, match="shifted labels: no ValueError"):
        _assert_bad_input_rejected(
            "LogisticRegression", LogisticRegression(), X, y, X_test, accepted
        )
