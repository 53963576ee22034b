"""The annotators family checks, run on MultiAnnotatorClassifier."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from sklweak.noise import MultiAnnotatorClassifier
from sklweak.utils._checks_annotators import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("method", ["crowdlab", "dawid_skene"])
def test_family_checks_pass(check, method):
    estimator = MultiAnnotatorClassifier(LogisticRegression(max_iter=1000), method=method, cv=3)
    check(type(estimator).__name__, estimator)


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
