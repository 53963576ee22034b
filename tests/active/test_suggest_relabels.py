"""suggest_relabels: the least trustworthy labels first, for one label or several annotators."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from sklweak.active import suggest_relabels


@pytest.fixture(scope="module")
def data():
    X, y = make_blobs(n_samples=150, centers=3, cluster_std=1.0, random_state=0)
    return X, y


def test_flipped_labels_come_first(data):
    X, y = data
    flipped = np.array([3, 50, 90, 120])
    noisy = y.copy()
    noisy[flipped] = (y[flipped] + 1) % 3
    noisy_before = noisy.copy()
    rows = suggest_relabels(LogisticRegression(), X, noisy, 4, random_state=0)
    assert set(rows) == set(flipped)
    np.testing.assert_array_equal(noisy, noisy_before)


def test_unlabeled_rows_are_never_suggested(data):
    X, y = data
    partial = y.copy()
    partial[::2] = -1
    rows = suggest_relabels(LogisticRegression(), X, partial, 20, random_state=0)
    assert np.all(partial[rows] != -1)


def test_annotators_disagreeing_with_each_other_and_the_model_come_first(data):
    X, y = data
    votes = np.tile(y[:, None], (1, 3))
    disputed = np.array([10, 70, 130])
    votes[disputed, 0] = (y[disputed] + 1) % 3
    votes[disputed, 1] = (y[disputed] + 2) % 3
    votes[5:40, 2] = -1  # rows with two agreeing labels stay trusted
    rows = suggest_relabels(LogisticRegression(), X, votes, 3, random_state=0)
    assert set(rows) == set(disputed)


def test_same_seed_same_rows(data):
    X, y = data
    noisy = y.copy()
    noisy[:10] = (y[:10] + 1) % 3
    first = suggest_relabels(LogisticRegression(), X, noisy, 8, random_state=2)
    np.testing.assert_array_equal(
        first, suggest_relabels(LogisticRegression(), X, noisy, 8, random_state=2)
    )


@pytest.mark.parametrize(
    "estimator, n_queries, error, match",
    [
        (LinearSVC(), 3, TypeError, "no predict_proba"),
        (LogisticRegression(), 0, ValueError, "at least 1"),
        (LogisticRegression(), 1.5, TypeError, "integer"),
        (LogisticRegression(), 151, ValueError, "larger than the 150 labeled rows"),
    ],
)
def test_bad_arguments_are_refused(data, estimator, n_queries, error, match):
    X, y = data
    with pytest.raises(error, match=match):
        suggest_relabels(estimator, X, y, n_queries)


def test_a_row_nobody_labeled_is_refused(data):
    X, y = data
    votes = np.tile(y[:, None], (1, 2))
    votes[7] = -1
    with pytest.raises(ValueError, match="Row 7"):
        suggest_relabels(LogisticRegression(), X, votes, 3)
