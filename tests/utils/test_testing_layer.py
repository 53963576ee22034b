"""The testing layer: default instances, extra configurations, expected failures."""

import pytest

from sklweak.llp import EasyLLPClassifier
from sklweak.utils import all_estimators
from sklweak.utils._testing import (
    EXPECTED_FAILED_CHECKS,
    EXTRA_CONFIGURATIONS,
    default_instance,
    expected_failed_checks,
    extra_instances,
)

REGISTERED = dict(all_estimators())


def test_tables_name_registered_estimators_only():
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
