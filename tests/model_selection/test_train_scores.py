"""Train scores of semi-supervised estimators: the training folds hold unlabeled rows."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.model_selection import cross_validate

from sklweak import SelfTrainingClassifier
from sklweak.model_selection import SemiSupervisedKFold, make_labeled_scorer


def _weak_data(string_classes):
    X, y = make_classification(n_samples=300, random_state=0)
    y_weak = np.array(["neg", "pos"], dtype=object)[y] if string_classes else y.copy()
    y_weak[np.random.RandomState(0).rand(300) < 0.7] = -1
    return X, y_weak


def _labeled_train_scores(X, y_weak, metric):
    """The metric on each training fold's labeled rows, computed by hand."""
    scores = []
    for train, _ in SemiSupervisedKFold(5).split(X, y_weak):
        model = SelfTrainingClassifier(LogisticRegression()).fit(X[train], y_weak[train])
        labeled = train[np.array([v != -1 for v in y_weak[train]])]
        scores.append(metric(y_weak[labeled].tolist(), model.predict(X[labeled]).tolist()))
    return np.array(scores)


@pytest.mark.parametrize("string_classes", [False, True])
@pytest.mark.parametrize(
    "scoring", [None, make_labeled_scorer("accuracy")], ids=["default", "labeled"]
)
def test_train_scores_count_only_labeled_rows(string_classes, scoring):
    X, y_weak = _weak_data(string_classes)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = cross_validate(
            SelfTrainingClassifier(LogisticRegression()),
            X,
            y_weak,
            cv=SemiSupervisedKFold(5),
            scoring=scoring,
            return_train_score=True,
        )
    expected = _labeled_train_scores(X, y_weak, accuracy_score)
    np.testing.assert_allclose(result["train_score"], expected)
    assert result["train_score"].min() > 0.9


@pytest.mark.parametrize("string_classes", [False, True])
def test_several_labeled_metrics_for_multi_metric_scoring(string_classes):
    X, y_weak = _weak_data(string_classes)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = cross_validate(
            SelfTrainingClassifier(LogisticRegression()),
            X,
            y_weak,
            cv=SemiSupervisedKFold(5),
            return_train_score=True,
            scoring=make_labeled_scorer(["accuracy", "balanced_accuracy"]),
        )
    np.testing.assert_allclose(
        result["train_accuracy"], _labeled_train_scores(X, y_weak, accuracy_score)
    )
    np.testing.assert_allclose(
        result["train_balanced_accuracy"],
        _labeled_train_scores(X, y_weak, balanced_accuracy_score),
    )


def test_a_dict_of_scorers_is_wrapped_and_a_list_needs_names():
    scorers = make_labeled_scorer({"acc": "accuracy", "custom": make_labeled_scorer()})
    assert sorted(scorers) == ["acc", "custom"]
    with pytest.raises(TypeError, match="must hold scorer names"):
        make_labeled_scorer([make_labeled_scorer()])
