"""SemiBoostClassifier: SemiBoost (Mallapragada, Jin, Jain and Liu, 2009)."""

import numpy as np
from numpy.testing import assert_allclose
from sklearn.datasets import load_breast_cancer, load_iris, make_moons
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from sklweak.self_training import SemiBoostClassifier
from sklweak.self_training._semiboost import pseudo_label_weights, rbf_similarity


def test_pseudo_label_weights_follow_the_formulas():
    X = np.array([[0.0], [0.1], [1.0], [1.1]])
    similarity = rbf_similarity(X, 50)
    labeled = np.array([True, False, True, False])
    positive = np.array([True, False, False, False])
    H = np.array([0.0, 0.3, 0.0, -0.2])
    p, q = pseudo_label_weights(similarity, labeled, positive, H, 2.0)
    S = similarity
    p1 = np.exp(-0.6) * S[1, 0] + np.exp(-0.2 - 0.3) * S[1, 3]
    q1 = np.exp(0.6) * S[1, 2] + np.exp(0.3 + 0.2) * S[1, 3]
    assert_allclose([p[0], q[0]], [p1, q1])
    # Row 1 sits next to the positive row 0, row 3 next to the negative row 2.
    H0 = np.zeros(4)
    p, q = pseudo_label_weights(similarity, labeled, positive, H0, 2.0)
    assert p[0] > q[0] and q[1] > p[1]


def test_two_moons_from_two_labels():
    X, y = make_moons(300, noise=0.08, random_state=0)
    y_weak = np.full_like(y, -1)
    rng = np.random.RandomState(0)
    for c in (0, 1):
        y_weak[rng.choice(np.flatnonzero(y == c), 3, replace=False)] = c
    stump = DecisionTreeClassifier(max_depth=2)
    clf = SemiBoostClassifier(stump, random_state=0).fit(X, y_weak)
    labeled = y_weak != -1
    supervised = stump.fit(X[labeled], y_weak[labeled]).score(X, y)
    assert clf.score(X, y) > supervised
    assert clf.n_iter_ > 1 and np.all(clf.estimator_weights_[0] > 0)


def test_binary_and_one_against_rest_shapes_and_n_jobs():
    X, y = load_iris(return_X_y=True)
    y_weak = y.copy()
    y_weak[np.random.RandomState(0).rand(y.shape[0]) < 0.8] = -1
    a = SemiBoostClassifier(random_state=0).fit(X, y_weak)
    b = SemiBoostClassifier(random_state=0, n_jobs=2).fit(X, y_weak)
    assert len(a.estimators_) == 3 and a.decision_function(X).shape == (150, 3)
    assert_allclose(a.predict_proba(X), b.predict_proba(X))
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0, stratify=y)
    y_weak = np.where(np.random.RandomState(1).rand(y_tr.shape[0]) < 0.9, -1, y_tr)
    clf = SemiBoostClassifier(random_state=0).fit(X_tr, y_weak)
    assert len(clf.estimators_) == 1 and clf.decision_function(X_te).shape == (X_te.shape[0],)
    assert clf.score(X_te, y_te) > 0.85
