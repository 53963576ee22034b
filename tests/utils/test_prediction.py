"""ScorePredictionMixin: predictions from logits or from a positive-class probability."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklweak.base import ScorePredictionMixin, log_odds


class _Logits(ScorePredictionMixin):
    classes_ = np.array(["a", "b", "c"])

    def decision_function(self, X):
        return np.asarray(X, dtype=float)


class _PositiveProbability(ScorePredictionMixin):
    _scores_are_probabilities = True
    classes_ = np.array([0, 1])

    def _scores(self, X):
        return np.asarray(X, dtype=float)[:, 0]


def test_logits_give_softmax_and_argmax():
    scores = np.array([[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]])
    est = _Logits()
    proba = est.predict_proba(scores)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(est.predict(scores), ["c", "a"])
    assert_array_equal(np.argmax(proba, axis=1), [2, 0])


def test_binary_logit_is_read_through_the_logistic_function():
    est = _Logits()
    est.classes_ = np.array([0, 1])
    proba = est.predict_proba(np.array([-2.0, 0.0, 3.0]))
    assert_allclose(proba[:, 1], 1.0 / (1.0 + np.exp([2.0, 0.0, -3.0])))
    assert_array_equal(est.predict(np.array([-2.0, 0.0, 3.0])), [0, 0, 1])


def test_probability_scores_kept_as_given():
    p = np.array([0.0, 0.3, 0.5, 0.5000001, 1.0])
    X = p[:, np.newaxis]
    est = _PositiveProbability()
    assert_array_equal(est.predict_proba(X), np.column_stack([1.0 - p, p]))
    assert_array_equal(est.predict(X), [0, 0, 0, 1, 1])
    scores = est.decision_function(X)
    assert np.all(np.isfinite(scores))
    assert_array_equal(scores > 0, est.predict(X) == 1)
    assert_allclose(scores[1], np.log(0.3 / 0.7))


def test_log_odds_only_for_probability_scores():
    # A logit estimator that defines no decision_function gets none.
    class _NetLogits(ScorePredictionMixin):
        def _scores(self, X):
            return X

    assert not hasattr(_NetLogits(), "decision_function")
    assert hasattr(_PositiveProbability(), "decision_function")
    assert_allclose(log_odds(np.array([0.5])), [0.0])


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_log_odds_finite_at_the_ends(p):
    assert np.isfinite(log_odds(np.array([p]))).all()
