"""The noisy-label family checks catch what they must (tests/test_common.py runs them)."""

import pytest
from sklearn.tree import DecisionTreeClassifier

from sklweak.noise import ConfidentLearningClassifier
from sklweak.utils._checks_noisy import CHECKS


def test_random_state_check_detects_unseeded_randomness():
    class Unseeded(ConfidentLearningClassifier):
        def fit(self, X, y, sample_weight=None):
            self.set_params(random_state=None)
            return super().fit(X, y, sample_weight)

    estimator = Unseeded(DecisionTreeClassifier(max_features=2), cv=3)
    with pytest.raises(AssertionError):
        for _ in range(3):
            CHECKS[3]("Unseeded", estimator)
