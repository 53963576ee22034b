"""DemocraticCoLearningClassifier: Zhou and Goldman's democratic co-learning (2004)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from sklweak.self_training import DemocraticCoLearningClassifier
from sklweak.self_training._democratic import accuracy_interval, group_confidence


def _data(seed=0, fraction=0.9):
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=seed, stratify=y)
    y_weak = y_tr.copy()
    y_weak[np.random.RandomState(seed).rand(y_tr.shape[0]) < fraction] = -1
    return X_tr, y_weak, X_te, y_te


def test_accuracy_interval_and_group_confidence():
    low, high = accuracy_interval(15, 15, 0.95)
    assert 0.75 < low < 0.85 and high == pytest.approx(1.0)
    low, high = accuracy_interval(50, 100, 0.95)
    assert low == pytest.approx(1 - high) and low == pytest.approx(0.4038, abs=1e-3)
    # Two learners of weight 0.6 say class 0, one of weight 0.9 says class 1:
    # (2.5 / 3) * 0.6 = 0.5 against (1.5 / 2) * 0.9 = 0.675.
    scores = group_confidence(np.array([[0], [0], [1]]), np.array([0.6, 0.6, 0.9]), 2)
    assert_allclose(scores, [[0.5, 0.675]])


def test_learns_from_unlabeled_rows_and_records_rounds():
    gains = []
    for seed in range(3):
        X, y_weak, X_te, y_te = _data(seed)
        clf = DemocraticCoLearningClassifier(random_state=seed).fit(X, y_weak)
        labeled = y_weak != -1
        tree = DecisionTreeClassifier(random_state=seed).fit(X[labeled], y_weak[labeled])
        gains.append(clf.score(X_te, y_te) - tree.score(X_te, y_te))
        assert len(clf.history_) == clf.n_iter_
        assert sum(clf.history_[0]["n_new_labels"]) > 0
        assert sum(clf.history_[-1]["n_new_labels"]) == 0
        assert np.all((clf.weights_ > 0) & (clf.weights_ < 1))
    assert np.mean(gains) > 0


def test_same_result_whatever_n_jobs():
    X, y_weak, X_te, _ = _data()
    learners = [DecisionTreeClassifier(), GaussianNB(), LogisticRegression()]
    a = DemocraticCoLearningClassifier(learners, random_state=0).fit(X, y_weak)
    b = DemocraticCoLearningClassifier(learners, random_state=0, n_jobs=2).fit(X, y_weak)
    assert_allclose(a.predict_proba(X_te), b.predict_proba(X_te))
    assert_array_equal(a.transduction_, b.transduction_)


def test_bad_learners_and_max_iter():
    X, y_weak, _, _ = _data()
    with pytest.raises(ValueError, match="at least two"):
        DemocraticCoLearningClassifier([GaussianNB()]).fit(X, y_weak)
    with pytest.raises(ValueError, match="classifier"):
        DemocraticCoLearningClassifier([GaussianNB(), LinearRegression()]).fit(X, y_weak)
    with pytest.raises(TypeError, match="fit and predict"):
        DemocraticCoLearningClassifier([GaussianNB(), "tree"]).fit(X, y_weak)
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        DemocraticCoLearningClassifier(random_state=0, max_iter=1).fit(X, y_weak)
