import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin

from sklweak.base import BaseWeakClassifier, LLPMixin
from sklweak.llp import make_bag_target
from sklweak.utils._checks_llp import (
    check_llp_learns_from_bags,
    check_llp_score_is_bag_level,
)
from sklweak.utils._proportions import (
    bag_mean,
    predicted_bag_proportions,
    sample_proportions,
)


class _Decoder(LLPMixin, BaseWeakClassifier):
    """Keeps the decoded target; predicts the first class."""

    _parameter_constraints: dict = {"classes": ["array-like", None]}

    def __init__(self, classes=None):
        self.classes = classes

    def _fit(self, X, target, sample_weight):
        self.target_ = target
        self.classes_ = np.asarray(target.classes)
        return self

    def predict(self, X):
        return np.repeat(self.classes_[:1], np.asarray(X).shape[0])


class _PriorOnly(LLPMixin, ClassifierMixin, BaseEstimator):
    """Ignores the features: the overall class shares for every sample."""

    def fit(self, X, y):
        target = self._decode_target(y)
        self.classes_ = np.asarray(target.classes)
        self.prior_ = sample_proportions(target).mean(axis=0)
        return self

    def predict_proba(self, X):
        return np.tile(self.prior_, (np.asarray(X).shape[0], 1))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class _AccuracyScore(_PriorOnly):
    """Scores with plain accuracy on the bag target's argmax: not bag-level."""

    def score(self, X, y, sample_weight=None):
        y = np.asarray(y)
        labels = np.argmax(y[:, 1:], axis=1) if y.ndim == 2 else y
        return float(np.mean(self.predict(X) == labels))


X4 = np.arange(8.0).reshape(4, 2)


def test_two_dimensional_target_decodes_to_bags():
    Y = make_bag_target([5, 5, 9, 9], [0.5, 1.0])
    target = _Decoder().fit(X4, Y).target_
    assert_array_equal(target.bag_index, [0, 0, 1, 1])
    assert_allclose(target.bag_proportions, [[0.5, 0.5], [0.0, 1.0]])
    assert_array_equal(target.classes, [0, 1])
    named = _Decoder(classes=["no", "yes"]).fit(X4, Y)
    assert_array_equal(named.classes_, ["no", "yes"])


def test_labels_are_singleton_bags_and_a_column_vector_is_refused():
    y = np.array(["b", "a", "b", "a"], dtype=object)
    target = _Decoder().fit(X4, y).target_
    assert_array_equal(target.bag_sizes, [1, 1, 1, 1])
    assert_array_equal(target.classes, ["a", "b"])
    with pytest.raises(ValueError, match="make_bag_target"):
        _Decoder().fit(X4, y[:, None])


@pytest.mark.parametrize(
    "y, classes, message",
    [
        (np.array([0.1, 0.7, 0.3, 0.2]), None, "continuous"),
        (np.array([1, 1, 1, 1]), None, "one class only"),
        (make_bag_target([0, 0, 1, 1], [0.5, 1.0]), ["a", "b", "c"], "expected 3"),
        (make_bag_target([0, 0, 1, 1], [0.5, 1.0]), ["a", "a"], "distinct"),
        (np.column_stack([[0, 0, 1, 1], [[1.2, -0.2]] * 4]), None, r"\[0, 1\]"),
        (np.column_stack([[0, 0, 1, 1], [[0.5, 0.6]] * 4]), None, "sum to 1"),
        (np.array([[0, 0.5, 0.5], [0, 0.2, 0.8], [1, 1, 0], [1, 1, 0]]), None, "two different"),
        (np.array([[0.5, 0.5, 0.5]] * 4), None, "integers"),
        (np.zeros((4, 2)), None, "shape"),
    ],
)
def test_bad_targets_are_rejected(y, classes, message):
    with pytest.raises(ValueError, match=message):
        _Decoder(classes=classes).fit(X4, y)


def test_an_empty_bag_list_is_rejected():
    with pytest.raises(ValueError, match="empty"):
        make_bag_target([], [])


def test_bag_mean_and_predicted_proportions():
    assert_allclose(bag_mean([1.0, 3.0, 5.0], [0, 0, 2], 3), [2.0, 0.0, 5.0])
    assert_allclose(bag_mean([1.0, 3.0], [0, 0], 1, sample_weight=[3, 1]), [1.5])
    clf = _Decoder().fit(X4, [0, 1, 0, 1])
    assert_allclose(predicted_bag_proportions(clf, X4, [0, 0, 1, 1], 2), [[1, 0], [1, 0]])


def test_score_is_accuracy_on_labels_and_bag_level_on_bag_targets():
    clf = _PriorOnly().fit(X4, make_bag_target([0, 0, 1, 1], [0.5, 1.0]))
    assert_allclose(clf.prior_, [0.25, 0.75])
    assert clf.score(X4, np.array([1, 1, 0, 1])) == pytest.approx(0.75)
    # Predicted bag shares (0.25, 0.75) against (0.5, 0.5) and (0, 1): error 0.25.
    assert clf.score(X4, make_bag_target([0, 0, 1, 1], [0.5, 1.0])) == pytest.approx(0.75)


def test_family_checks_catch_an_estimator_that_ignores_the_features():
    with pytest.raises(AssertionError, match="ROC AUC"):
        check_llp_learns_from_bags("_PriorOnly", _PriorOnly())


def test_family_checks_catch_a_score_that_is_not_bag_level():
    with pytest.raises(AssertionError, match="bag-level"):
        check_llp_score_is_bag_level("_AccuracyScore", _AccuracyScore())
