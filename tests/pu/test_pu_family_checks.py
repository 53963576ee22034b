"""The PU family checks (sklweak.utils._checks_pu) on every PU estimator."""

import pytest
from sklearn.linear_model import LogisticRegression

from sklweak.pu import (
    BaggingPUClassifier,
    ElkanNotoClassifier,
    NNPUClassifier,
    SARPUClassifier,
)
from sklweak.utils._checks_pu import CHECKS

ESTIMATORS = [
    ElkanNotoClassifier(LogisticRegression(max_iter=1000)),
    ElkanNotoClassifier(LogisticRegression(max_iter=1000), weighted=True),
    BaggingPUClassifier(LogisticRegression(max_iter=1000), n_estimators=5),
    BaggingPUClassifier(n_estimators=5),
    NNPUClassifier(),
    SARPUClassifier(),
]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: repr(e)[:60])
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_pu_family_check(estimator, check):
    check(type(estimator).__name__, estimator)


def test_full_information_check_catches_a_weak_estimator():
    from sklearn.dummy import DummyClassifier

    from sklweak.utils._checks_pu import check_pu_full_information_is_supervised

    with pytest.raises(AssertionError, match="supervised counterpart"):
        check_pu_full_information_is_supervised("DummyClassifier", DummyClassifier())
