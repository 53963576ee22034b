"""The annotators family checks catch what they must (tests/test_common.py runs them on
both methods, sklweak/utils/_testing lists the configurations)."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from sklweak.noise import MultiAnnotatorClassifier
from sklweak.utils._checks_annotators import CHECKS


def test_sentinel_check_detects_a_hard_coded_sentinel():
    class HardCoded(MultiAnnotatorClassifier):
        def fit(self, X, y):
            self.set_params(missing_label=-1)
            return super().fit(X, y)

    estimator = HardCoded(LogisticRegression(max_iter=1000), cv=3)
    with pytest.raises((AssertionError, ValueError)):
        CHECKS[2]("HardCoded", estimator)


def test_perfect_annotator_check_detects_a_wrong_consensus():
    class Flipping(MultiAnnotatorClassifier):
        def fit(self, X, y):
            y = np.asarray(y)
            return super().fit(X, np.where(np.arange(len(y))[:, None] % 3 == 0, 1 - y, y))

    estimator = Flipping(LogisticRegression(max_iter=1000), cv=3)
    with pytest.raises(AssertionError):
        CHECKS[0]("Flipping", estimator)
