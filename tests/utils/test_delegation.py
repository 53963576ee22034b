"""The one delegation rule (``delegate_has``) and the one input-tag copy."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, Perceptron
from sklearn.utils import get_tags

from sklweak.llp import ProportionWeightedClassifier
from sklweak.noise import ConfidentLearningClassifier
from sklweak.pu import ElkanNotoClassifier
from sklweak.self_training import SelfTrainingClassifier


@pytest.mark.parametrize("meta", [SelfTrainingClassifier, ConfidentLearningClassifier])
def test_delegated_methods_follow_the_estimator(meta):
    with_proba = meta(estimator=LogisticRegression())
    without_proba = meta(estimator=Perceptron())
    assert hasattr(with_proba, "predict_proba")
    assert not hasattr(without_proba, "predict_proba")
    assert hasattr(without_proba, "decision_function")


def test_self_training_default_estimator_is_checked_before_fit():
    # estimator=None resolves to LogisticRegression, which has predict_proba.
    assert hasattr(SelfTrainingClassifier(), "predict_proba")


def test_unrouted_keyword_arguments_are_refused():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(int)
    est = ConfidentLearningClassifier(estimator=LogisticRegression(), cv=2).fit(X, y)
    with pytest.raises(TypeError, match="unexpected keyword arguments"):
        est.predict(X, foo=1)


@pytest.mark.parametrize(
    "meta", [SelfTrainingClassifier, ElkanNotoClassifier, ProportionWeightedClassifier]
)
def test_input_tags_copied_from_the_estimator(meta):
    nan_ok = get_tags(meta(estimator=HistGradientBoostingClassifier())).input_tags
    nan_refused = get_tags(meta(estimator=LogisticRegression())).input_tags
    assert nan_ok.allow_nan and not nan_refused.allow_nan
    # LogisticRegression declares sparse input from scikit-learn 1.7 on.
    assert not nan_ok.sparse
    assert nan_refused.sparse == get_tags(LogisticRegression()).input_tags.sparse
