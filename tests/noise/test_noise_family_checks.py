"""The noisy-label family checks, run on ConfidentLearningClassifier."""

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from sklweak.noise import ConfidentLearningClassifier
from sklweak.utils._checks_noisy import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_family_checks_pass(check):
    estimator = ConfidentLearningClassifier(LogisticRegression(max_iter=1000))
    check(type(estimator).__name__, estimator)


def test_random_state_check_detects_unseeded_randomness():
    class Unseeded(ConfidentLearningClassifier):
        def fit(self, X, y, sample_weight=None):
            self.set_params(random_state=None)
            return super().fit(X, y, sample_weight)

    estimator = Unseeded(DecisionTreeClassifier(max_features=2), cv=3)
    with pytest.raises(AssertionError):
        for _ in range(3):
            CHECKS[3]("Unseeded", estimator)
