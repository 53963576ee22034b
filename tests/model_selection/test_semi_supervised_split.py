import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from sklweak.model_selection import (
    SemiSupervisedKFold,
    labeled_accuracy_score,
    make_labeled_scorer,
)


@settings(max_examples=50, deadline=None)
@given(
    labels=st.lists(st.sampled_from([-1, 0, 1, 2]), min_size=12, max_size=60),
    n_splits=st.integers(2, 4),
    shuffle=st.booleans(),
)
def test_folds_partition_labeled_rows_and_keep_unlabeled_in_training(labels, n_splits, shuffle):
    y = np.array(labels)
    labeled = np.flatnonzero(y != -1)
    if len(labeled) < n_splits or len(np.unique(y[labeled])) < 1:
        return
    cv = SemiSupervisedKFold(n_splits, shuffle=shuffle, random_state=0, stratify=False)
    tested = []
    for train, test in cv.split(np.zeros((len(y), 1)), y):
        assert np.all(y[test] != -1)
        assert set(np.flatnonzero(y == -1)) <= set(train)
        assert not set(train) & set(test)
        tested.extend(test)
    assert sorted(tested) == labeled.tolist()


def test_stratified_folds_keep_class_shares():
    y = np.array([0] * 20 + [1] * 10 + [-1] * 30)
    for _, test in SemiSupervisedKFold(5).split(None, y):
        assert np.bincount(y[test]).tolist() == [4, 2]


def test_string_sentinel_and_errors():
    y = np.array(["a", "b", "?", "a", "b", "?"], dtype=object)
    splits = list(SemiSupervisedKFold(2, unlabeled_label="?", stratify=False).split(None, y))
    assert all("?" not in set(y[test]) for _, test in splits)
    with pytest.raises(ValueError, match="labeled rows"):
        list(SemiSupervisedKFold(5).split(None, np.array([0, 1, -1, -1])))
    with pytest.raises(ValueError, match="n_splits"):
        list(SemiSupervisedKFold(1).split(None, np.array([0, 1, 0, 1])))
    with pytest.raises(ValueError, match="no labeled"):
        list(SemiSupervisedKFold(2).split(None, np.array([-1, -1])))


def test_labeled_scorer_skips_unlabeled_rows():
    rng = np.random.RandomState(0)
    X = rng.randn(200, 2)
    y_true = (X[:, 0] > 0).astype(int)
    y = np.where(rng.rand(200) < 0.5, -1, y_true)
    labeled = y != -1
    clf = LogisticRegression().fit(X[labeled], y[labeled])
    labeled_only = clf.score(X[labeled], y[labeled])
    assert make_labeled_scorer()(clf, X, y) == pytest.approx(labeled_only)
    assert clf.score(X, y) < labeled_only - 0.3


def test_labeled_accuracy_ignores_unlabeled_rows():
    assert labeled_accuracy_score([0, -1, 1], [0, 1, 0]) == 0.5
    assert labeled_accuracy_score(["a", -1, "b"], ["a", "b", "b"]) == 1.0
    with pytest.raises(ValueError, match="no labeled"):
        labeled_accuracy_score([-1, -1], [0, 1])
