"""SETREDClassifier: the neighbourhood-edited self-training of Li and Zhou (2005)."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklweak.self_training import SETREDClassifier
from sklweak.self_training._setred import class_quotas, most_confident_per_class


def _data(seed=0, fraction=0.9):
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=seed, stratify=y)
    y_weak = y_tr.copy()
    y_weak[np.random.RandomState(seed).rand(y_tr.shape[0]) < fraction] = -1
    return X_tr, y_weak, X_te, y_te, y_tr


def test_quotas_follow_the_labeled_proportions():
    assert class_quotas(np.array([0.75, 0.25]), 20).tolist() == [15, 5]
    assert class_quotas(np.array([0.99, 0.01]), 10).tolist() == [10, 1]
    proba = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.95, 0.05], [0.4, 0.6]])
    positions, labels = most_confident_per_class(proba, np.array([2, 1]))
    assert positions.tolist() == [3, 0, 2]
    assert labels.tolist() == [0, 0, 1]


def test_kept_pseudo_labels_are_mostly_right_and_help():
    gains = []
    for seed in range(3):
        X, y_weak, X_te, y_te, y_true = _data(seed)
        clf = SETREDClassifier(LogisticRegression(), random_state=seed).fit(X, y_weak)
        pseudo = clf.labeled_iter_ > 0
        assert pseudo.sum() > 0
        assert np.mean(clf.transduction_[pseudo] == y_true[pseudo]) > 0.9
        assert_array_equal(clf.transduction_[y_weak != -1], y_weak[y_weak != -1])
        assert np.all(clf.transduction_[clf.labeled_iter_ == -1] == -1)
        labeled = y_weak != -1
        supervised = LogisticRegression().fit(X[labeled], y_weak[labeled])
        gains.append(clf.score(X_te, y_te) - supervised.score(X_te, y_te))
    assert np.mean(gains) >= 0


def test_the_test_rejects_pseudo_labels_against_their_neighbourhood():
    # A base model that predicts the wrong class for every row it is given:
    # its pseudo-labels contradict their neighbours and the test drops them.
    X, y_weak, _, _, _ = _data()

    class Flipped(LogisticRegression):
        def predict_proba(self, X):
            return super().predict_proba(X)[:, ::-1]

    flipped = SETREDClassifier(Flipped(), random_state=0, max_iter=1)
    honest = SETREDClassifier(LogisticRegression(), random_state=0, max_iter=1)
    with pytest.warns(ConvergenceWarning):
        flipped.fit(X, y_weak)
        honest.fit(X, y_weak)
    first = flipped.history_[0]
    assert first["n_accepted"] < 0.3 * first["n_candidates"]
    assert honest.history_[0]["n_accepted"] > 0.9 * honest.history_[0]["n_candidates"]


def test_history_and_max_iter_warning():
    X, y_weak, _, _, _ = _data()
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        clf = SETREDClassifier(LogisticRegression(), max_iter=2, random_state=0).fit(X, y_weak)
    assert clf.n_iter_ == len(clf.history_) == 2
    assert sum(h["n_accepted"] for h in clf.history_) == np.sum(clf.labeled_iter_ > 0)


def test_estimator_needs_predict_proba_and_default_is_knn():
    X, y_weak, _, _, _ = _data()
    with pytest.raises(ValueError, match="predict_proba"):
        SETREDClassifier(SVC()).fit(X, y_weak)
    clf = SETREDClassifier(random_state=0).fit(X, y_weak)
    assert type(clf.estimator_).__name__ == "KNeighborsClassifier"
