"""transductive_grid_search: hidden labels, same samples, honest choice."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_blobs
from sklearn.linear_model import LinearRegression
from sklearn.semi_supervised import LabelSpreading

from sklweak.lowdensity import LDSClassifier, transductive_grid_search

# The targets every _RecordingClassifier.fit received, in order.
_FITS = []


class _RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the majority labeled class, or copies the nearest labeled sample."""

    def __init__(self, mode="majority"):
        self.mode = mode

    def fit(self, X, y):
        y = np.asarray(y)
        _FITS.append(y.copy())
        labeled = y != -1
        self.classes_ = np.unique(y[labeled])
        self.X_ = np.asarray(X)[labeled]
        self.y_ = y[labeled]
        return self

    def predict(self, X):
        if self.mode == "majority":
            values, counts = np.unique(self.y_, return_counts=True)
            return np.full(len(X), values[np.argmax(counts)])
        distances = ((np.asarray(X)[:, None, :] - self.X_[None]) ** 2).sum(-1)
        return self.y_[np.argmin(distances, axis=1)]


def _blobs(n_labeled=20, n_samples=120, seed=0):
    X, y = make_blobs(n_samples=n_samples, centers=2, cluster_std=1.0, random_state=seed)
    y_weak = np.full_like(y, -1)
    y_weak[:n_labeled] = y[:n_labeled]
    return X, y, y_weak


def test_held_out_labels_are_hidden_and_every_sample_is_kept():
    X, _, y_weak = _blobs()
    _FITS.clear()
    transductive_grid_search(
        _RecordingClassifier(),
        {"mode": ["majority"]},
        X,
        y_weak,
        n_splits=4,
        random_state=0,
        refit=False,
    )
    fits = list(_FITS)
    assert len(fits) == 4
    hidden = np.zeros(len(y_weak), dtype=int)
    for y_fold in fits:
        assert y_fold.shape == y_weak.shape
        assert np.all(y_fold[y_weak == -1] == -1)
        newly_hidden = (y_fold == -1) & (y_weak != -1)
        assert newly_hidden.sum() == 5
        # Labels left visible are the caller's, untouched.
        np.testing.assert_array_equal(y_fold[~newly_hidden], y_weak[~newly_hidden])
        hidden += newly_hidden
    # Every labeled sample is held out exactly once.
    np.testing.assert_array_equal(hidden[y_weak != -1], 1)


def test_chooses_the_candidate_that_predicts_hidden_labels():
    X, _, y_weak = _blobs()
    search = transductive_grid_search(
        _RecordingClassifier(),
        {"mode": ["majority", "nearest"]},
        X,
        y_weak,
        n_splits=5,
        random_state=0,
    )
    assert search.best_params == {"mode": "nearest"}
    assert search.best_score > 0.9
    scores = search.cv_results["mean_test_score"]
    assert scores[0] < scores[1]
    assert search.best_estimator.mode == "nearest"
    assert search.n_folds_used == 5


def test_reads_transduction_and_reproducible():
    X, y, y_weak = _blobs(n_labeled=12, n_samples=60)
    y_before = y_weak.copy()
    grid = {"C": [1.0, 10.0]}
    first = transductive_grid_search(
        LDSClassifier(n_neighbors=10), grid, X, y_weak, n_splits=3, random_state=1
    )
    second = transductive_grid_search(
        LDSClassifier(n_neighbors=10), grid, X, y_weak, n_splits=3, random_state=1
    )
    np.testing.assert_array_equal(y_weak, y_before)
    np.testing.assert_array_equal(
        first.cv_results["mean_test_score"], second.cv_results["mean_test_score"]
    )
    assert len(first.cv_results["params"]) == 2
    assert np.mean(first.best_estimator.transduction_ == y) > 0.9


def test_scikit_learn_transductive_estimator():
    X, _, y_weak = _blobs()
    search = transductive_grid_search(
        LabelSpreading(kernel="knn"),
        {"n_neighbors": [3, 7]},
        X,
        y_weak,
        n_splits=4,
        random_state=0,
        refit=False,
    )
    assert search.best_estimator is None
    assert set(search.cv_results) >= {
        "params",
        "mean_test_score",
        "std_test_score",
        "split3_test_score",
    }


@pytest.mark.filterwarnings("ignore:The least populated class")
def test_fold_without_two_classes_is_skipped():
    X, _, y_weak = _blobs()
    y_weak[:20] = 0
    y_weak[0] = 1  # a single labeled sample of class 1
    search = transductive_grid_search(
        _RecordingClassifier(),
        {"mode": ["nearest"]},
        X,
        y_weak,
        n_splits=4,
        random_state=0,
        refit=False,
    )
    assert search.n_folds_used == 3
    fold_scores = [search.cv_results[f"split{k}_test_score"][0] for k in range(4)]
    assert np.isnan(fold_scores).sum() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda y: np.where(y == -1, 0, y), "no unlabeled"),
        (lambda y: y, "exceeds"),
    ],
)
def test_bad_input(change, message):
    X, _, y_weak = _blobs(n_labeled=6)
    y_weak = change(y_weak) if message == "no unlabeled" else y_weak
    n_splits = 5 if message == "exceeds" else 2
    with pytest.raises(ValueError, match=message):
        transductive_grid_search(
            _RecordingClassifier(),
            {"mode": ["nearest"]},
            X,
            y_weak,
            n_splits=n_splits,
        )


def test_bad_grid_and_estimator():
    X, _, y_weak = _blobs()
    with pytest.raises(ValueError, match="no candidate"):
        transductive_grid_search(_RecordingClassifier(), [], X, y_weak)
    with pytest.raises(ValueError, match="classifier"):
        transductive_grid_search(LinearRegression(), {}, X, y_weak)
