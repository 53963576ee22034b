"""sample_weight in ASSEMBLE, Co-Forest, democratic co-learning, SETRED and SemiBoost.

A weight is a repetition count: whole-number weights give the fit of the
repeated rows where the method draws nothing at random, and a zero weight
gives the fit without the row where it does.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from sklweak.self_training import (
    AssembleClassifier,
    CoForestClassifier,
    DemocraticCoLearningClassifier,
    SemiBoostClassifier,
    SETREDClassifier,
)
from sklweak.self_training._semiboost import pseudo_label_weights, rbf_similarity

ESTIMATORS = [
    AssembleClassifier,
    CoForestClassifier,
    DemocraticCoLearningClassifier,
    SemiBoostClassifier,
    SETREDClassifier,
]


def _problem(n_samples=60, seed=0):
    X, y = make_blobs(n_samples, centers=3, cluster_std=2.0, random_state=seed)
    y_weak = y.copy()
    y_weak[np.random.RandomState(seed).rand(n_samples) < 0.6] = -1
    y_weak[:3] = y[:3]  # a labeled row of each blob is likely; three for sure
    return X, y_weak


def _weights(n_samples, low=0, seed=1):
    weights = np.random.RandomState(seed).randint(low, 4, size=n_samples).astype(float)
    weights[:3] = 1.0
    return weights


def _repeated(X, y, weights):
    rows = np.repeat(np.arange(len(y)), weights.astype(int))
    return X[rows], y[rows]


@pytest.mark.parametrize(
    "estimator",
    [
        AssembleClassifier(DecisionTreeClassifier(max_depth=3), random_state=0),
        DemocraticCoLearningClassifier(random_state=0),
    ],
    ids=["assemble", "democratic"],
)
def test_whole_number_weights_repeat_the_rows(estimator):
    # Neither draws rows at random: the weighted fit is the repeated one.
    X, y_weak = _problem()
    weights = _weights(len(y_weak))
    weighted = estimator.fit(X, y_weak, sample_weight=weights)
    proba = weighted.predict_proba(X)
    repeated = clone(estimator).fit(*_repeated(X, y_weak, weights))
    assert_allclose(proba, repeated.predict_proba(X), rtol=1e-10, atol=1e-12)


def test_semiboost_fully_labeled_weights_repeat_the_rows():
    X, y_weak = _problem()
    y = np.where(y_weak == -1, 0, y_weak)
    weights = _weights(len(y))
    weighted = SemiBoostClassifier(random_state=0).fit(X, y, sample_weight=weights)
    repeated = SemiBoostClassifier(random_state=0).fit(*_repeated(X, y, weights))
    assert_allclose(weighted.decision_function(X), repeated.decision_function(X))


def test_semiboost_weighted_objective_is_the_repeated_one():
    # p_i and q_i on fixed scores: repeated labeled rows and dropped unlabeled
    # rows against weights 2 and 0 (a repeated unlabeled row would also pair
    # with its own copy, which the weighted sum leaves out).
    X, y_weak = _problem(30)
    labeled = y_weak != -1
    positive = y_weak == 1
    scores = np.random.RandomState(0).normal(size=len(y_weak))
    weights = np.ones(len(y_weak))
    weights[np.flatnonzero(labeled)[::2]] = 2.0
    weights[np.flatnonzero(~labeled)[::3]] = 0.0
    rows = np.repeat(np.arange(len(y_weak)), weights.astype(int))
    similarity = rbf_similarity(X, 10)
    balance = weights[labeled].sum() / weights[~labeled].sum()
    p, q = pseudo_label_weights(similarity, labeled, positive, scores, balance, weights)
    p_rep, q_rep = pseudo_label_weights(
        similarity[np.ix_(rows, rows)], labeled[rows], positive[rows], scores[rows], balance
    )
    kept = weights[~labeled] > 0
    assert_allclose(p[kept], p_rep)
    assert_allclose(q[kept], q_rep)
    assert_array_equal(p[~kept], 0.0)


@pytest.mark.parametrize(
    "estimator",
    [
        CoForestClassifier(random_state=0),
        SETREDClassifier(random_state=0),
        SETREDClassifier(LogisticRegression(), random_state=0),
    ],
    ids=["coforest", "setred-knn", "setred-lr"],
)
def test_zero_weight_is_a_dropped_row(estimator):
    # Both draw rows at random: dropping rows gives the same draws.
    X, y_weak = _problem()
    weights = _weights(len(y_weak), low=0).clip(max=1)
    kept = weights > 0
    assert (~kept & (y_weak == -1)).any() and (~kept & (y_weak != -1)).any()
    weighted = estimator.fit(X, y_weak, sample_weight=weights)
    proba = weighted.predict_proba(X)
    dropped = clone(estimator).fit(X[kept], y_weak[kept])
    assert_allclose(proba, dropped.predict_proba(X), rtol=1e-10, atol=1e-12)
    assert weighted.n_iter_ == dropped.n_iter_ > 0


@pytest.mark.parametrize("estimator_class", ESTIMATORS)
def test_weights_change_the_model(estimator_class):
    X, y_weak = _problem()
    weights = _weights(len(y_weak), low=1, seed=3)
    weights[np.flatnonzero(y_weak == 0)] = 8.0
    plain = estimator_class(random_state=0).fit(X, y_weak).predict_proba(X)
    weighted = estimator_class(random_state=0).fit(X, y_weak, sample_weight=weights)
    assert np.abs(weighted.predict_proba(X) - plain).max() > 1e-3


@pytest.mark.parametrize("estimator_class", ESTIMATORS)
def test_unit_weights_give_the_unweighted_model(estimator_class):
    X, y_weak = _problem()
    plain = estimator_class(random_state=0).fit(X, y_weak)
    unit = estimator_class(random_state=0).fit(X, y_weak, sample_weight=np.ones(len(y_weak)))
    assert_array_equal(plain.predict_proba(X), unit.predict_proba(X))
    assert_array_equal(plain.transduction_, unit.transduction_)


@pytest.mark.parametrize("estimator_class", ESTIMATORS)
def test_bad_weights_are_refused_before_any_work(estimator_class):
    X, y_weak = _problem(30)
    n = len(y_weak)
    with pytest.raises(ValueError, match="non-negative"):
        estimator_class().fit(X, y_weak, sample_weight=np.r_[-1.0, np.ones(n - 1)])
    with pytest.raises(ValueError, match="shape"):
        estimator_class().fit(X, y_weak, sample_weight=np.ones(n + 1))
    no_labeled_weight = np.where(y_weak == -1, 1.0, 0.0)
    with pytest.raises(ValueError, match="zero on every labeled row"):
        estimator_class().fit(X, y_weak, sample_weight=no_labeled_weight)


@pytest.mark.parametrize(
    "estimator",
    [
        SETREDClassifier(),
        DemocraticCoLearningClassifier(),
        CoForestClassifier(KNeighborsClassifier(n_neighbors=1)),
        SemiBoostClassifier(KNeighborsClassifier(n_neighbors=1)),
    ],
    ids=["setred", "democratic", "coforest", "semiboost"],
)
def test_fractional_weights_need_an_estimator_that_takes_them(estimator):
    X, y_weak = _problem(30)
    weights = np.full(len(y_weak), 1.5)
    with pytest.raises(ValueError, match="KNeighborsClassifier.fit takes no sample_weight"):
        estimator.fit(X, y_weak, sample_weight=weights)
    # Whole-number weights repeat the rows of such an estimator.
    estimator.fit(X, y_weak, sample_weight=np.round(weights + 0.1))


@pytest.mark.parametrize("estimator_class", [SETREDClassifier, AssembleClassifier])
def test_a_pipeline_receives_the_weights_in_its_last_step(estimator_class):
    X, y_weak = _problem(30)
    pipeline = make_pipeline(StandardScaler(), LogisticRegression())
    weights = np.linspace(0.5, 2.5, len(y_weak))
    weighted = estimator_class(pipeline, random_state=0).fit(X, y_weak, sample_weight=weights)
    plain = estimator_class(pipeline, random_state=0).fit(X, y_weak)
    assert np.abs(weighted.predict_proba(X) - plain.predict_proba(X)).max() > 1e-3
