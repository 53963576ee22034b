"""TriTrainingClassifier: the Zhou-Li algorithm, determinism and input handling."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from sklweak.self_training import TriTrainingClassifier
from sklweak.self_training._tri_training import _pair_error, _stratified_bootstrap


def _data(seed=0, fraction=0.85):
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=seed, stratify=y)
    y_weak = y_tr.copy()
    y_weak[np.random.RandomState(seed).rand(y_tr.shape[0]) < fraction] = -1
    return X_tr, y_weak, X_te, y_te, y_tr


def test_same_random_state_same_result_for_any_n_jobs():
    X, y_weak, X_te, _, _ = _data()
    a = TriTrainingClassifier(random_state=0, n_jobs=1).fit(X, y_weak)
    b = TriTrainingClassifier(random_state=0, n_jobs=2).fit(X, y_weak)
    assert_array_equal(a.predict(X_te), b.predict(X_te))
    assert_allclose(a.predict_proba(X_te), b.predict_proba(X_te))
    assert_array_equal(a.transduction_, b.transduction_)
    assert a.n_iter_ == b.n_iter_


def test_learns_from_unlabeled_data():
    scores_tri, scores_sup = [], []
    for seed in range(3):
        X, y_weak, X_te, y_te, _ = _data(seed)
        tri = TriTrainingClassifier(DecisionTreeClassifier(), random_state=seed)
        scores_tri.append(tri.fit(X, y_weak).score(X_te, y_te))
        labeled = y_weak != -1
        sup = DecisionTreeClassifier(random_state=seed).fit(X[labeled], y_weak[labeled])
        scores_sup.append(sup.score(X_te, y_te))
    assert np.mean(scores_tri) > np.mean(scores_sup)


def test_error_condition_and_history():
    X, y_weak, _, _, y_true = _data()
    clf = TriTrainingClassifier(KNeighborsClassifier(n_neighbors=3), random_state=1)
    clf.fit(X, y_weak)
    assert len(clf.estimators_) == 3
    assert len(clf.history_) == clf.n_iter_
    assert not any(clf.history_[-1]["updated"])
    for h in clf.history_:
        assert np.all((h["errors"] >= 0) & (h["errors"] <= 1))
        for i in range(3):
            assert h["updated"][i] == (h["n_new_labels"][i] > 0)
    given = y_weak != -1
    assert_array_equal(clf.transduction_[given], y_weak[given])
    assert np.mean(clf.transduction_[~given] == y_true[~given]) > 0.85


def test_pair_error_and_bootstrap_helpers():
    truth = np.array([0, 1, 1, 0])
    assert _pair_error(np.array([0, 1, 0, 1]), np.array([0, 1, 0, 0]), truth) == 1 / 3
    assert _pair_error(np.array([0, 0]), np.array([1, 1]), truth[:2]) == 0.5
    y_encoded = np.array([0, 0, 0, 1, -1, -1])
    rows = _stratified_bootstrap(y_encoded, np.array([0, 1, 2, 3]), seed=0)
    assert rows.shape == (4,)
    assert set(y_encoded[rows]) == {0, 1}


def test_string_labels_and_custom_sentinel():
    X, y = load_iris(return_X_y=True)
    names = np.array(["a", "b", "c"], dtype=object)
    y_str = names[y]
    y_str[np.random.RandomState(0).rand(y.shape[0]) < 0.7] = "?"
    clf = TriTrainingClassifier(unlabeled_label="?", random_state=0).fit(X, y_str)
    assert set(clf.classes_) == {"a", "b", "c"}
    assert set(clf.predict(X)) <= {"a", "b", "c"}
    assert "?" not in set(clf.transduction_)
    proba = clf.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)


def test_stops_at_max_iter_with_a_warning():
    X, y_weak, _, _, _ = _data()
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        clf = TriTrainingClassifier(random_state=0, max_iter=1).fit(X, y_weak)
    assert clf.n_iter_ == 1


def test_sample_weight_and_bad_inputs():
    X, y_weak, _, _, _ = _data()
    w = np.ones(X.shape[0])
    a = TriTrainingClassifier(random_state=0).fit(X, y_weak, sample_weight=w)
    b = TriTrainingClassifier(random_state=0).fit(X, y_weak)
    assert_array_equal(a.transduction_, b.transduction_)
    assert_array_equal(w, np.ones(X.shape[0]))
    with pytest.raises(ValueError, match="takes no sample_weight"):
        TriTrainingClassifier(KNeighborsClassifier()).fit(X, y_weak, sample_weight=w)
    with pytest.raises(ValueError, match="no labeled sample"):
        TriTrainingClassifier().fit(X, np.full(X.shape[0], -1))
    assert not hasattr(TriTrainingClassifier(SVC()), "predict_proba")
