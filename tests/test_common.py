"""scikit-learn's common checks and sklweak's family checks on every estimator."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklweak.utils import all_estimators, default_instance
from sklweak.utils.estimator_checks import yield_weak_checks

ESTIMATORS = [default_instance(cls) for _, cls in all_estimators()]

# Each expected failure of scikit-learn's checks, with the reason it is expected.
EXPECTED_FAILED_CHECKS = {}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


def test_registry_lists_estimators():
    names = [name for name, _ in all_estimators()]
    assert "SelfTrainingClassifier" in names
    assert len(names) == len(set(names))


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _weak_cases():
    for estimator in ESTIMATORS:
        for check in yield_weak_checks(estimator):
            yield pytest.param(
                estimator, check, id=f"{type(estimator).__name__}-{check.__name__}"
            )


@pytest.mark.parametrize("estimator, check", list(_weak_cases()))
def test_weak_label_checks(estimator, check):
    check(type(estimator).__name__, estimator)
