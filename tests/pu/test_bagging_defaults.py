"""BaggingPUClassifier's defaults, measured by benchmarks/bench_pu_bagging_defaults.py."""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from sklweak.datasets import make_pu
from sklweak.pu import BaggingPUClassifier


def test_default_is_fifty_trees_of_depth_eight():
    X, y = make_classification(n_samples=400, n_features=8, flip_y=0.2, random_state=0)
    y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=0)
    model = BaggingPUClassifier(random_state=0).fit(X, y_pu)
    assert len(model.estimators_) == 50
    assert max(tree.get_depth() for tree in model.estimators_) == 8
    # The same bags grow deeper without the limit: the default depth is in effect.
    full = BaggingPUClassifier(DecisionTreeClassifier(), random_state=0).fit(X, y_pu)
    assert max(tree.get_depth() for tree in full.estimators_) > 8


def test_predictions_do_not_depend_on_n_jobs_with_fractional_scores():
    # Depth-limited trees and logistic regressions score in (0, 1): the models'
    # scores must be added in one order whatever the chunks of n_jobs.
    X, y = make_classification(n_samples=300, n_features=6, flip_y=0.1, random_state=1)
    y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=1)
    for estimator in (None, LogisticRegression()):
        one = BaggingPUClassifier(estimator, n_estimators=7, n_jobs=1, random_state=0)
        two = BaggingPUClassifier(estimator, n_estimators=7, n_jobs=2, random_state=0)
        proba = one.fit(X, y_pu).predict_proba(X)
        np.testing.assert_array_equal(proba, two.fit(X, y_pu).predict_proba(X))
