"""run_active_learning: the rounds, self-labeling, stopping rules and bad input."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from sklweak.active import run_active_learning
from sklweak.active._loop import _self_labels_help
from sklweak.active._suggest import Pool
from sklweak.graph import LabelSpreading
from sklweak.semi_supervised import SafeSemiSupervisedClassifier


@pytest.fixture(scope="module")
def blobs():
    X, y_true = make_blobs(n_samples=120, centers=3, cluster_std=2.0, random_state=1)
    y = np.full_like(y_true, -1)
    for c in range(3):
        y[np.flatnonzero(y_true == c)[:2]] = c
    return X, y, y_true


def test_rounds_follow_the_budget_and_ask_only_unlabeled_rows(blobs):
    X, y, y_true = blobs
    y_before = y.copy()
    asked = []

    def oracle(rows):
        asked.append(rows.copy())
        return y_true[rows]

    result = run_active_learning(
        LogisticRegression(), X, y, oracle, budget=31, batch_size=10, random_state=0
    )
    assert [entry["n_labeled"] for entry in result.history] == [6, 16, 26, 31]
    assert result.stop_reason == "budget"
    queried = np.concatenate(asked)
    assert np.unique(queried).shape == queried.shape
    assert np.all(y_before[queried] == -1)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(result.y[queried], y_true[queried])
    assert np.sum(result.y != -1) == 31
    assert [len(rows) for rows in result.queries] == [10, 10, 5]


def test_same_seed_same_run(blobs):
    X, y, y_true = blobs
    runs = [
        run_active_learning(LogisticRegression(), X, y, y_true, budget=26, random_state=4)
        for _ in range(2)
    ]
    for first, second in zip(runs[0].queries, runs[1].queries, strict=True):
        np.testing.assert_array_equal(first, second)


def _linear_boundary(seed):
    """300 rows in a 4-d cube, the class the sign of their sum, 60 of them labeled."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(300, 4))
    y_true = (X.sum(axis=1) > 0).astype(int)
    y = np.full_like(y_true, -1)
    labeled = rng.choice(300, 60, replace=False)
    y[labeled] = y_true[labeled]
    return X, y, y_true


def test_safe_self_labeling_uses_pseudo_labels_where_cross_validation_says_they_help():
    # A tree draws a staircase along a slanted boundary; the logistic
    # teacher's pseudo-labels fill it in, which cross-validation sees here.
    X, y, y_true = _linear_boundary(3)
    runs = {
        mode: run_active_learning(
            DecisionTreeClassifier(random_state=0),
            X,
            y,
            y_true,
            budget=70,
            self_labeling=mode,
            validation_data=(X, y_true),
            random_state=0,
        )
        for mode in ("safe", None)
    }
    safe, alone = runs["safe"], runs[None]
    assert isinstance(safe.estimator, SafeSemiSupervisedClassifier)
    assert isinstance(alone.estimator, DecisionTreeClassifier)
    assert safe.history[0]["n_self_labeled"] > 200
    assert np.isnan(safe.history[0]["self_labeling_precision"])
    assert all(entry["n_self_labeled"] == 0 for entry in alone.history)
    # Round 0 fits both on the same labeled rows.
    assert safe.history[0]["validation_score"] > alone.history[0]["validation_score"] + 0.1
    assert safe.estimator.n_pseudo_labeled_ == safe.history[-1]["n_self_labeled"]


def test_a_semi_supervised_estimator_is_not_wrapped(blobs):
    X, y, y_true = blobs
    result = run_active_learning(LabelSpreading(), X, y, y_true, budget=16, random_state=0)
    assert isinstance(result.estimator, LabelSpreading)


def test_committee_self_labeling_adds_agreed_rows_and_can_be_turned_off(blobs):
    X, y, y_true = blobs
    on = run_active_learning(
        LogisticRegression(),
        X,
        y,
        y_true,
        budget=16,
        self_labeling="committee",
        check_self_labels=False,
        random_state=0,
    )
    off = run_active_learning(
        LogisticRegression(), X, y, y_true, budget=16, self_labeling=None, random_state=0
    )
    assert on.history[-1]["n_self_labeled"] > 0
    assert on.history[-1]["self_labeling_precision"] >= 0.97
    checked = run_active_learning(
        LogisticRegression(), X, y, y_true, budget=16, self_labeling="committee", random_state=0
    )
    # Three well-separated blobs: the members are right on every labeled row
    # they did not see, so self-labels cannot help there and are not used.
    assert all(entry["n_self_labeled"] == 0 for entry in checked.history)
    assert all(entry["n_self_labeled"] == 0 for entry in off.history)


def _two_clusters(flipped):
    """Two far clusters, 4 labeled rows each, ``flipped`` of them with the other cluster's class."""
    rng = np.random.RandomState(0)
    X = np.concatenate([rng.normal(-10, 1, size=(40, 2)), rng.normal(10, 1, size=(40, 2))])
    y_true = np.repeat([0, 1], 40)
    y = np.full(80, -1)
    y[[0, 1, 2, 3, 40, 41, 42, 43]] = y_true[[0, 1, 2, 3, 40, 41, 42, 43]]
    y[[3, 43][:flipped]] = 1 - y_true[[3, 43][:flipped]]
    return X, y, y_true


def test_a_committee_that_is_confidently_wrong_out_of_bag_self_labels_nothing():
    # 1-NN members are always sure; with a wrong label in each cluster their
    # guesses on the labeled rows they did not see are often wrong, so their
    # agreement on the pool is not trusted.
    X, y, y_true = _two_clusters(flipped=2)
    committee = {"self_labeling": "committee", "random_state": 0}
    result = run_active_learning(KNeighborsClassifier(1), X, y, y_true, budget=9, **committee)
    assert result.history[0]["self_labeling_precision"] < 0.97
    assert result.history[0]["n_self_labeled"] == 0
    unchecked = run_active_learning(
        KNeighborsClassifier(1), X, y, y_true, budget=9, check_self_labels=False, **committee
    )
    assert unchecked.history[0]["n_self_labeled"] > 0
    X, y, y_true = _two_clusters(flipped=0)
    clean = run_active_learning(KNeighborsClassifier(1), X, y, y_true, budget=9, **committee)
    assert clean.history[0]["self_labeling_precision"] == 1.0


def _members_on_a_line(X, y):
    """1-NN members that each missed the labeled row nearest the boundary on their side."""
    pool = Pool(X, X, y, y == -1, np.array([0, 1]))
    members = []
    for missed, kept in [(2, [0, 1, 3, 4, 5]), (3, [0, 1, 2, 4, 5])]:
        member = KNeighborsClassifier(1).fit(X[kept], y[kept])
        right = member.predict(X[[missed]]) == y[[missed]]
        members.append((member, np.array(kept), np.array([missed]), right))
    return pool, members


def test_self_labels_pass_the_check_only_when_they_help_out_of_bag():
    # Labeled at -5, -4, -0.5 (class 0) and 0.5, 4, 5 (class 1); unlabeled
    # rows at -0.3 and 0.3. A member that missed -0.5 takes 0.5's class for
    # it, and one that missed 0.5 takes -0.5's: right self-labels between
    # them correct both, wrong ones do not.
    X = np.array([-5, -4, -0.5, 0.5, 4, 5, -0.3, 0.3])[:, None]
    y = np.array([0, 0, 0, 1, 1, 1, -1, -1])
    pool, members = _members_on_a_line(X, y)
    assert not any(right.any() for *_, right in members)
    agreed_rows = np.array([6, 7])
    for self_labels, helps in [([0, 1], True), ([1, 0], False)]:
        augmented = y.copy()
        augmented[agreed_rows] = self_labels
        augmented_pool = Pool(X, X, augmented, np.zeros(8, dtype=bool), pool.classes)
        assert _self_labels_help(members, augmented_pool, agreed_rows) is helps


def test_validation_data_gives_the_learning_curve(blobs):
    X, y, y_true = blobs
    result = run_active_learning(
        LogisticRegression(), X, y, y_true, budget=36, validation_data=(X, y_true), random_state=0
    )
    curve = [entry["validation_score"] for entry in result.history]
    assert len(curve) == 4 and curve[-1] > 0.8


@pytest.mark.parametrize("rule", ["stabilizing_predictions", "kappa_average"])
def test_stabilizing_predictions_stop_before_the_pool_runs_out(rule):
    X, y_true = make_blobs(n_samples=200, centers=2, cluster_std=0.5, random_state=0)
    y = np.full_like(y_true, -1)
    y[np.flatnonzero(y_true == 0)[:2]] = 0
    y[np.flatnonzero(y_true == 1)[:2]] = 1
    result = run_active_learning(
        LogisticRegression(), X, y, y_true, batch_size=5, stopping=rule, random_state=0
    )
    assert result.stop_reason == rule
    assert result.history[-1]["n_labeled"] < 60


def test_overall_uncertainty_and_an_exhausted_pool():
    X, y_true = make_blobs(n_samples=30, centers=2, cluster_std=0.3, random_state=0)
    y = np.full_like(y_true, -1)
    y[np.flatnonzero(y_true == 0)[:2]] = 0
    y[np.flatnonzero(y_true == 1)[:2]] = 1
    certain = run_active_learning(
        LogisticRegression(C=100.0), X, y, y_true, stopping="overall_uncertainty", random_state=0
    )
    assert certain.stop_reason == "overall_uncertainty"
    assert certain.history[-1]["uncertainty"] < 0.05
    drained = run_active_learning(LogisticRegression(), X, y, y_true, batch_size=10, random_state=0)
    assert drained.stop_reason == "pool_exhausted"
    assert drained.history[-1]["n_labeled"] == 30


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"oracle": np.zeros(5)}, ValueError, "oracle must be a callable"),
        ({"budget": 6}, ValueError, "budget"),
        ({"stopping": "patience"}, ValueError, "stopping must name rules"),
        ({"self_labeling_threshold": 0.2}, ValueError, "self_labeling_threshold"),
        ({"self_labeling": True}, ValueError, "self_labeling must be one of"),
        ({"self_labeling": "agreement"}, ValueError, "self_labeling must be one of"),
        ({"validation_data": [1, 2]}, TypeError, "validation_data"),
        ({"batch_size": 500}, ValueError, "batch_size=500 is larger than the unlabeled pool"),
        ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
        ({"max_rounds": -1}, ValueError, "max_rounds must be at least 0"),
        ({"committee_size": 1}, ValueError, "committee_size must be at least 2"),
        ({"oracle": lambda rows: rows[:1]}, ValueError, "oracle returned"),
        ({"estimator": [LogisticRegression()]}, TypeError, "estimator must be one classifier"),
    ],
)
def test_bad_arguments_are_refused(blobs, kwargs, error, match):
    X, y, y_true = blobs
    args = {"oracle": y_true, "estimator": LogisticRegression(), **kwargs}
    with pytest.raises(error, match=match):
        run_active_learning(args.pop("estimator"), X, y, args.pop("oracle"), **args)


def test_each_rounds_model_keeps_the_estimators_own_seed(blobs):
    X, y, y_true = blobs
    for mode in ("safe", "committee", None):
        forest = RandomForestClassifier(n_estimators=5, random_state=3)
        result = run_active_learning(
            forest, X, y, y_true, budget=16, self_labeling=mode, random_state=0
        )
        model = result.estimator.estimator if mode == "safe" else result.estimator
        assert model.random_state == 3
        unseeded = run_active_learning(
            RandomForestClassifier(n_estimators=5),
            X,
            y,
            y_true,
            budget=16,
            self_labeling=mode,
            random_state=0,
        )
        model = unseeded.estimator.estimator if mode == "safe" else unseeded.estimator
        assert isinstance(model.random_state, int)


def test_string_labels_with_their_own_unlabeled_marker(blobs):
    X, _, y_true = blobs
    names = np.array(["ant", "bee", "cat"], dtype=object)[y_true]
    y = np.full(names.shape, "?", dtype=object)
    for name in ("ant", "bee", "cat"):
        y[np.flatnonzero(names == name)[:2]] = name
    for mode in ("safe", "committee", None):
        result = run_active_learning(
            LogisticRegression(),
            X,
            y,
            names,
            budget=16,
            self_labeling=mode,
            unlabeled_label="?",
            random_state=0,
        )
        assert result.estimator.classes_.tolist() == ["ant", "bee", "cat"]
        assert np.sum(result.y != "?") == 16
