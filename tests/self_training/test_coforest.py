"""CoForestClassifier: the Co-Forest algorithm of Li and Zhou (2007)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklweak.self_training import CoForestClassifier
from sklweak.self_training._coforest import concomitant_votes, out_of_bag_error


def _data(seed=0, fraction=0.92):
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=seed, stratify=y)
    y_weak = y_tr.copy()
    y_weak[np.random.RandomState(seed).rand(y_tr.shape[0]) < fraction] = -1
    return X_tr, y_weak, X_te, y_te


def test_concomitant_votes_leave_the_member_out_and_use_out_of_bag_rows():
    predictions = np.array([[0, 1, 1], [1, 1, 0], [1, 0, 0]])
    assert concomitant_votes(predictions, 0, 2).tolist() == [[0, 2], [1, 1], [2, 0]]
    in_bag = np.array([[0, 0, 0], [1, 0, 0], [0, 0, 1]], dtype=bool)
    # Member 0's ensemble: row 0 is voted by member 2 only (1, wrong), row 1 by
    # members 1 and 2 (tie, class 0), row 2 by member 1 only (0, right).
    assert out_of_bag_error(predictions, in_bag, 0, np.array([0, 0, 0]), 2) == 1 / 3
    assert out_of_bag_error(predictions, np.ones((3, 3), bool), 0, np.zeros(3, int), 2) == 0.5


def test_beats_a_random_forest_of_the_same_trees_on_labeled_rows():
    gains = []
    for seed in range(4):
        X, y_weak, X_te, y_te = _data(seed)
        clf = CoForestClassifier(random_state=seed).fit(X, y_weak)
        labeled = y_weak != -1
        forest = RandomForestClassifier(6, random_state=seed).fit(X[labeled], y_weak[labeled])
        gains.append(clf.score(X_te, y_te) - forest.score(X_te, y_te))
        assert sum(map(sum, (h["n_new_labels"] for h in clf.history_))) > 0
    assert np.mean(gains) > 0


def test_same_result_whatever_n_jobs_and_history():
    X, y_weak, X_te, _ = _data()
    a = CoForestClassifier(random_state=0, n_jobs=1).fit(X, y_weak)
    b = CoForestClassifier(random_state=0, n_jobs=2).fit(X, y_weak)
    assert_allclose(a.predict_proba(X_te), b.predict_proba(X_te))
    assert_array_equal(a.transduction_, b.transduction_)
    assert len(a.history_) == a.n_iter_ and len(a.estimators_) == 6
    assert sum(a.history_[-1]["n_new_labels"]) == 0
    assert np.all((a.history_[0]["errors"] >= 0) & (a.history_[0]["errors"] <= 1))


def test_stops_at_max_iter_with_a_warning():
    X, y_weak, _, _ = _data()
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        CoForestClassifier(random_state=0, max_iter=1).fit(X, y_weak)
