"""BaggingPUClassifier: bags passed as weights, the tree fast path, sample_weight."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from sklweak.datasets import make_pu
from sklweak.pu import BaggingPUClassifier


class RepeatedRowsTree(ClassifierMixin, BaseEstimator):
    """A decision tree whose ``fit`` takes no ``sample_weight``: bags arrive as repeated rows."""

    def __init__(self, max_depth=None, random_state=None):
        self.max_depth = max_depth
        self.random_state = random_state

    def fit(self, X, y):
        self.tree_ = DecisionTreeClassifier(
            max_depth=self.max_depth, random_state=self.random_state
        ).fit(X, y)
        self.classes_ = self.tree_.classes_
        return self

    def predict_proba(self, X):
        return self.tree_.predict_proba(X)


@pytest.fixture(scope="module")
def pu_data():
    X, y = make_classification(n_samples=300, n_features=6, random_state=0)
    y_pu, _ = make_pu(X, y, label_frequency=0.4, random_state=0)
    return X, y, y_pu


def test_weighted_bags_give_the_trees_of_repeated_rows(pu_data):
    X, _, y_pu = pu_data
    weighted = BaggingPUClassifier(n_estimators=8, random_state=0).fit(X, y_pu)
    repeated = BaggingPUClassifier(RepeatedRowsTree(max_depth=8), n_estimators=8, random_state=0)
    repeated.fit(X, y_pu)
    np.testing.assert_array_equal(weighted.predict_proba(X), repeated.predict_proba(X))
    np.testing.assert_array_equal(weighted.oob_decision_function_, repeated.oob_decision_function_)
    for ours, theirs in zip(weighted.estimators_, repeated.estimators_):
        np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))


class CheckedTree(DecisionTreeClassifier):
    """A decision tree without ``check_input``: the bagging validates through its fit."""

    def fit(self, X, y, sample_weight=None):
        return super().fit(X, y, sample_weight=sample_weight)


def test_tree_fast_path_equals_the_checked_path(pu_data):
    X, _, y_pu = pu_data
    fast = BaggingPUClassifier(n_estimators=5, random_state=1).fit(X, y_pu)
    checked = BaggingPUClassifier(CheckedTree(max_depth=8), n_estimators=5, random_state=1)
    checked.fit(X, y_pu)
    np.testing.assert_array_equal(fast.predict_proba(X), checked.predict_proba(X))
    np.testing.assert_array_equal(fast.oob_decision_function_, checked.oob_decision_function_)
    # Missing values: the trees validate their input themselves.
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with_nan = BaggingPUClassifier(n_estimators=5, random_state=1).fit(X_nan, y_pu)
    assert np.isfinite(with_nan.predict_proba(X_nan)).all()
    assert np.isfinite(with_nan.oob_decision_function_).all()
    X_inf = X.copy()
    X_inf[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        BaggingPUClassifier(n_estimators=2).fit(X_inf, y_pu)


def test_unit_sample_weight_changes_nothing(pu_data):
    X, _, y_pu = pu_data
    plain = BaggingPUClassifier(n_estimators=6, random_state=0).fit(X, y_pu)
    ones = BaggingPUClassifier(n_estimators=6, random_state=0).fit(
        X, y_pu, sample_weight=np.ones(X.shape[0])
    )
    np.testing.assert_array_equal(plain.predict_proba(X), ones.predict_proba(X))
    scaled = BaggingPUClassifier(n_estimators=6, prior=0.5, random_state=0)
    base = BaggingPUClassifier(n_estimators=6, prior=0.5, random_state=0).fit(X, y_pu)
    scaled.fit(X, y_pu, sample_weight=np.full(X.shape[0], 3.0))
    np.testing.assert_allclose(base.predict_proba(X), scaled.predict_proba(X))


def test_integer_weights_of_positives_equal_repeated_positives(pu_data):
    X, _, y_pu = pu_data
    positives = np.flatnonzero(y_pu == 1)
    # Repeating rows at the end keeps the unlabeled indices, hence the bags.
    X_repeated = np.r_[X, X[positives]]
    y_repeated = np.r_[y_pu, y_pu[positives]]
    weight = np.ones(X.shape[0])
    weight[positives] = 2.0
    options = {"n_estimators": 6, "max_samples": 50, "random_state": 0}
    weighted = BaggingPUClassifier(**options).fit(X, y_pu, sample_weight=weight)
    repeated = BaggingPUClassifier(**options).fit(X_repeated, y_repeated)
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X))


def test_sample_weight_with_a_linear_model(pu_data):
    X, y, y_pu = pu_data
    weight = np.where(y_pu == 1, 1.0, 0.5)
    clf = BaggingPUClassifier(LogisticRegression(), n_estimators=4, random_state=0)
    clf.fit(X, y_pu, sample_weight=weight)
    assert clf.score(X, y) > 0.7


def test_sample_weight_errors(pu_data):
    X, _, y_pu = pu_data
    with pytest.raises(ValueError, match="sample_weight"):
        BaggingPUClassifier(RepeatedRowsTree(), n_estimators=2).fit(
            X, y_pu, sample_weight=np.ones(X.shape[0])
        )
    zero_positives = np.where(y_pu == 1, 0.0, 1.0)
    with pytest.raises(ValueError, match="sample_weight"):
        BaggingPUClassifier(n_estimators=2).fit(X, y_pu, sample_weight=zero_positives)
    with pytest.raises(ValueError):
        BaggingPUClassifier(n_estimators=2).fit(X, y_pu, sample_weight=np.ones(3))
