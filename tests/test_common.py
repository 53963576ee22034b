"""scikit-learn's common checks and sklweak's family checks on every estimator."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklweak.utils import all_estimators
from sklweak.utils._testing import (
    EXTRA_CONFIGURATIONS,
    default_instance,
    expected_failed_checks,
    extra_instances,
)
from sklweak.utils.estimator_checks import yield_weak_checks

# Default instances, extra configurations and expected failures (each with its
# reason) live in the testing layer, sklweak/utils/_testing/.
ESTIMATORS = [default_instance(cls) for _, cls in all_estimators()]


def test_registry_lists_estimators():
    names = [name for name, _ in all_estimators()]
    assert "SelfTrainingClassifier" in names
    assert len(names) == len(set(names))


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _configurations():
    """Each registered class's default instance, then its extra configurations."""
    for name, cls in all_estimators():
        yield name, default_instance(cls)
        for params, estimator in zip(EXTRA_CONFIGURATIONS.get(name, []), extra_instances(cls)):
            yield f"{name}({', '.join(f'{k}={v!r}' for k, v in params.items())})", estimator


def _weak_cases():
    for label, estimator in _configurations():
        for check in yield_weak_checks(estimator):
            yield pytest.param(estimator, check, id=f"{label}-{check.__name__}")


@pytest.mark.parametrize("estimator, check", list(_weak_cases()))
def test_weak_label_checks(estimator, check):
    check(type(estimator).__name__, estimator)
