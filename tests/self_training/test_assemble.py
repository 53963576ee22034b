"""AssembleClassifier: ASSEMBLE boosting (Bennett, Demiriz and Maclin, 2002)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from sklweak.self_training import AssembleClassifier
from sklweak.self_training._assemble import margins, samme_round_weight


def _data(seed=0, fraction=0.9):
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=seed, stratify=y)
    y_weak = y_tr.copy()
    y_weak[np.random.RandomState(seed).rand(y_tr.shape[0]) < fraction] = -1
    return X_tr, y_weak, X_te, y_te


def test_round_weight_and_margins():
    assert samme_round_weight(0.25, 2) == pytest.approx(0.5 * np.log(3))
    assert samme_round_weight(0.5, 3) == pytest.approx(0.5 * np.log(2))
    assert samme_round_weight(0.0, 2) > 5
    scores = np.array([[2.0, 0.5, 1.0], [0.0, 3.0, 1.0]])
    assert_allclose(margins(scores, np.array([0, 2])), [1.0, -2.0])


def test_unlabeled_rows_start_from_their_nearest_labeled_row():
    X, y_weak, _, _ = _data()
    clf = AssembleClassifier(n_estimators=1, random_state=0).fit(X, y_weak)
    labeled = y_weak != -1
    nearest = KNeighborsClassifier(1).fit(X[labeled], y_weak[labeled]).predict(X[~labeled])
    first = clf.estimators_[0]
    assert clf.n_iter_ == 1 and clf.estimator_weights_.shape == (1,)
    # The first round is fitted on every row with the 1-NN labels, weighted
    # labeled_share on the labeled rows: it reproduces most 1-NN labels.
    assert np.mean(first.predict(X[~labeled]) == nearest) > 0.85


def test_boosting_uses_the_unlabeled_rows():
    gains = []
    for seed in range(3):
        X, y_weak, X_te, y_te = _data(seed)
        labeled = y_weak != -1
        stump = DecisionTreeClassifier(max_depth=1, random_state=seed)
        clf = AssembleClassifier(stump, random_state=seed).fit(X, y_weak)
        assert clf.n_iter_ > 1
        assert np.all(clf.estimator_errors_ < 0.5)
        assert_array_equal(clf.transduction_[labeled], y_weak[labeled])
        supervised = stump.fit(X[labeled], y_weak[labeled])
        gains.append(clf.score(X_te, y_te) - supervised.score(X_te, y_te))
    assert np.mean(gains) > 0


def test_base_without_sample_weight_is_fitted_on_drawn_rows():
    X, y_weak, X_te, y_te = _data()
    clf = AssembleClassifier(KNeighborsClassifier(3), n_estimators=5, random_state=0)
    clf.fit(X, y_weak)
    assert clf.score(X_te, y_te) > 0.85
    again = AssembleClassifier(KNeighborsClassifier(3), n_estimators=5, random_state=0)
    assert_allclose(again.fit(X, y_weak).predict_proba(X_te), clf.predict_proba(X_te))
