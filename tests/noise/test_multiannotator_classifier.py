"""MultiAnnotatorClassifier on raw annotations, one annotator and missing classes."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from sklweak.datasets import simulate_annotators
from sklweak.noise import MultiAnnotatorClassifier, majority_vote


def test_one_dimensional_y_is_one_annotator():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    clf = MultiAnnotatorClassifier(LogisticRegression(max_iter=500), cv=3, random_state=0).fit(
        X, names
    )
    base = LogisticRegression(max_iter=500).fit(X, names)
    np.testing.assert_array_equal(clf.consensus_label_, names)
    np.testing.assert_array_equal(clf.predict(X), base.predict(X))
    assert clf.annotator_quality_.shape == (1,)


def test_crowdlab_consensus_beats_majority_vote():
    X, y = load_iris(return_X_y=True)
    annotations, _ = simulate_annotators(
        y, n_annotators=6, accuracy=(0.6, 0.9), labels_per_example=2, random_state=1
    )
    clf = MultiAnnotatorClassifier(LogisticRegression(max_iter=500), cv=3, random_state=0).fit(
        X, annotations
    )
    vote = majority_vote(annotations)
    assert np.mean(clf.consensus_label_ == y) > np.mean(vote == y) + 0.1
    assert clf.pred_probs_.shape == (150, 3)
    assert np.all((clf.consensus_quality_ >= 0) & (clf.consensus_quality_ <= 1))


def test_class_missing_from_the_consensus_keeps_its_column():
    X, y = load_iris(return_X_y=True)
    annotations = np.column_stack([y, y, np.full_like(y, -1)])
    annotations[0, 2] = 2  # class 2 once, outvoted: only in the raw annotations
    annotations = np.where(annotations == 2, 1, annotations)
    annotations[0, 2] = 2
    clf = MultiAnnotatorClassifier(LogisticRegression(max_iter=500), cv=3, random_state=0).fit(
        X, annotations
    )
    assert clf.classes_.tolist() == [0, 1, 2]
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 3) and np.all(proba[:, 2] == 0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_score_is_agreement_with_the_annotations():
    X, y = load_iris(return_X_y=True)
    annotations = np.column_stack([y, np.where(np.arange(150) % 2 == 0, y, -1)])
    annotations[:10, 0] = (y[:10] + 1) % 3
    clf = MultiAnnotatorClassifier(LogisticRegression(max_iter=500), cv=3, random_state=0).fit(X, y)
    predicted = clf.predict(X)
    observed = annotations != -1
    expected = np.sum((annotations == predicted[:, None]) & observed) / observed.sum()
    assert clf.score(X, annotations) == pytest.approx(expected)
    assert clf.score(X, y) == pytest.approx(np.mean(predicted == y))


def test_row_nobody_labeled_is_rejected_before_any_fit():
    X, y = load_iris(return_X_y=True)
    annotations = np.column_stack([y, y, np.full_like(y, -1)])
    annotations[17] = -1
    before = annotations.copy()
    clf = MultiAnnotatorClassifier(LogisticRegression(max_iter=500), cv=3)
    with pytest.raises(ValueError, match="Row 17"):
        clf.fit(X, annotations)
    assert not hasattr(clf, "estimator_")
    np.testing.assert_array_equal(annotations, before)
    with pytest.raises(ValueError, match="no label"):
        MultiAnnotatorClassifier(LogisticRegression(), missing_label=9).fit(
            X[:3], np.full((3, 2), 9)
        )


@pytest.mark.parametrize("n_seen", [2, 3])
def test_decision_function_has_a_column_per_declared_class(n_seen):
    rng = np.random.RandomState(0)
    X = rng.randn(90, 3)
    y = (X[:, 0] > 0).astype(int) + (n_seen == 3) * (X[:, 1] > 1).astype(int)
    annotations = np.column_stack([y, y, y])
    annotations[0, 0] = 3  # given once, outvoted: never a consensus class
    model = MultiAnnotatorClassifier(LogisticRegression(), random_state=0).fit(X, annotations)
    assert model.classes_.tolist() == list(range(n_seen)) + [3]
    decision = model.decision_function(X)
    assert decision.shape == model.predict_proba(X).shape == (90, n_seen + 1)
    assert np.all(decision[:, -1] == -np.inf)
    np.testing.assert_array_equal(model.classes_[decision.argmax(axis=1)], model.predict(X))
