"""CoTrainingClassifier: views, per-class counts, determinism and input handling."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.naive_bayes import GaussianNB

from sklweak.self_training import CoTrainingClassifier
from sklweak.self_training._co_training import per_class_counts


def _two_view_data(seed=0):
    # Two views, each informative on its own.
    X1, y = make_classification(
        n_samples=600, n_features=6, n_informative=4, n_redundant=0, random_state=seed
    )
    rng = np.random.RandomState(seed)
    X2 = np.column_stack([y + rng.normal(0, 1.2, 600) for _ in range(4)])
    X = np.hstack([X1, X2])
    y_weak = y.copy()
    y_weak[rng.rand(600) < 0.95] = -1
    return X, y, y_weak


def test_per_class_counts():
    assert per_class_counts(np.array([0.25, 0.75])).tolist() == [1, 3]
    assert per_class_counts(np.array([0.5, 0.5]), n_per_round=5).tolist() == [3, 2]
    assert per_class_counts(np.array([0.98, 0.01, 0.01]), n_per_round=4).min() >= 1


@pytest.mark.filterwarnings(
    "ignore:CoTrainingClassifier stopped:sklearn.exceptions.ConvergenceWarning"
)
def test_given_views_and_random_split():
    X, _, y_weak = _two_view_data()
    clf = CoTrainingClassifier(views=[range(6), range(6, 10)], random_state=0)
    clf.fit(X, y_weak)
    assert_array_equal(clf.views_[1], np.arange(6, 10))
    split = CoTrainingClassifier(random_state=0).fit(X, y_weak)
    assert sorted(np.concatenate(split.views_).tolist()) == list(range(10))
    assert abs(len(split.views_[0]) - len(split.views_[1])) <= 1


@pytest.mark.filterwarnings(
    "ignore:CoTrainingClassifier stopped:sklearn.exceptions.ConvergenceWarning"
)
def test_co_training_helps_on_two_views():
    gains = []
    for seed in range(3):
        X, y, y_weak = _two_view_data(seed)
        clf = CoTrainingClassifier(
            views=[list(range(6)), list(range(6, 10))], max_iter=30, random_state=seed
        ).fit(X, y_weak)
        labeled = y_weak != -1
        sup = GaussianNB().fit(X[labeled], y_weak[labeled])
        gains.append(clf.score(X, y) - sup.score(X, y))
    assert np.mean(gains) > 0


def test_rounds_history_and_transduction():
    X, y, y_weak = _two_view_data()
    clf = CoTrainingClassifier(n_per_round=4, pool_size=20, max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_iter=5"):
        clf.fit(X, y_weak)
    assert clf.n_iter_ == 5
    assert [h["n_added"] for h in clf.history_] == [8] * 5
    new = (y_weak == -1) & (clf.transduction_ != -1)
    assert new.sum() == 40
    assert_allclose(clf.predict_proba(X).sum(axis=1), 1.0)


@pytest.mark.filterwarnings(
    "ignore:CoTrainingClassifier stopped:sklearn.exceptions.ConvergenceWarning"
)
def test_multiclass_and_determinism():
    X, y = load_digits(return_X_y=True)
    y_weak = y.copy()
    y_weak[np.random.RandomState(0).rand(y.shape[0]) < 0.9] = -1
    a = CoTrainingClassifier(max_iter=5, random_state=3).fit(X, y_weak)
    b = CoTrainingClassifier(max_iter=5, random_state=3).fit(X, y_weak)
    assert_array_equal(a.predict(X), b.predict(X))
    assert_array_equal(a.views_[0], b.views_[0])
    assert (
        a.history_[0]["n_added"]
        == 2 * per_class_counts(np.bincount(y_weak[y_weak >= 0]) / np.sum(y_weak >= 0)).sum()
    )


@pytest.mark.parametrize(
    "views, message",
    [
        ([[0, 1]], "two lists"),
        ([[0, 1], [2, 99]], "outside"),
        ([[0, 1], []], "non-empty"),
    ],
)
def test_bad_views(views, message):
    X, _, y_weak = _two_view_data()
    with pytest.raises(ValueError, match=message):
        CoTrainingClassifier(views=views).fit(X, y_weak)


def test_single_feature_cannot_be_split():
    with pytest.raises(ValueError, match="two features"):
        CoTrainingClassifier().fit(np.arange(6.0).reshape(-1, 1), [0, 1, -1, -1, 0, 1])
