"""suggest_labels: every strategy's contract, what each one prefers, and bad input."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from sklweak.active import suggest_labels
from sklweak.active._strategies import (
    entropy,
    kl_disagreement,
    least_confidence,
    margin,
    vote_entropy,
)
from sklweak.active._suggest import STRATEGIES
from sklweak.self_training import SelfTrainingClassifier


@pytest.fixture(scope="module")
def blobs():
    X, y_true = make_blobs(n_samples=150, centers=3, cluster_std=1.5, random_state=0)
    y = np.full_like(y_true, -1)
    for c in range(3):
        y[np.flatnonzero(y_true == c)[:2]] = c
    return X, y, y_true


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_returns_distinct_unlabeled_rows_deterministically(blobs, strategy):
    X, y, _ = blobs
    X_before, y_before = X.copy(), y.copy()
    rows = suggest_labels(LogisticRegression(), X, y, 7, strategy=strategy, random_state=3)
    assert rows.dtype == np.int64 and rows.shape == (7,)
    assert np.unique(rows).shape == (7,)
    assert np.all(y[rows] == -1)
    again = suggest_labels(LogisticRegression(), X, y, 7, strategy=strategy, random_state=3)
    np.testing.assert_array_equal(rows, again)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_uncertainty_scores_rank_rows_as_defined():
    proba = np.array([[0.9, 0.05, 0.05], [0.5, 0.45, 0.05], [0.4, 0.3, 0.3]])
    assert np.argmax(least_confidence(proba)) == 2
    assert np.argmax(margin(proba)) == 1
    assert np.argmax(entropy(proba)) == 2
    np.testing.assert_allclose(margin(proba), [0.15, 0.95, 0.9])


def test_committee_scores_are_zero_when_members_agree_and_grow_with_disagreement():
    same = np.tile([[0.8, 0.2], [0.3, 0.7]], (3, 1, 1))
    np.testing.assert_allclose(vote_entropy(same), 0.0)
    np.testing.assert_allclose(kl_disagreement(same), 0.0, atol=1e-12)
    split = np.array([[[0.9, 0.1]], [[0.1, 0.9]], [[0.9, 0.1]]])
    assert vote_entropy(split)[0] > 0.6 and kl_disagreement(split)[0] > 0.3


def test_margin_queries_the_rows_between_the_classes():
    X = np.linspace(-5, 5, 101)[:, None]
    y = np.full(101, -1)
    y[[0, 1, 99, 100]] = [0, 0, 1, 1]
    rows = suggest_labels(LogisticRegression(), X, y, 2, strategy="margin", random_state=0)
    assert np.all(np.abs(X[rows, 0]) <= 0.1)


def test_coreset_takes_the_row_farthest_from_the_labeled_rows():
    X = np.array([[0.0], [0.1], [0.2], [5.0], [10.0]])
    y = np.array([0, -1, -1, -1, -1])
    assert suggest_labels(None, X, y, 1, strategy="coreset", random_state=0).tolist() == [4]
    assert set(suggest_labels(None, X, y, 2, strategy="coreset", random_state=0)) == {4, 3}


def test_typiclust_takes_a_typical_row_of_an_uncovered_cluster():
    rng = np.random.RandomState(0)
    covered = rng.normal(0, 0.3, size=(40, 2))
    uncovered = rng.normal(10, 0.3, size=(40, 2))
    X = np.vstack([covered, uncovered, [[30.0, 30.0]]])
    y = np.full(81, -1)
    y[:2] = 0
    row = suggest_labels(None, X, y, 1, strategy="typiclust", random_state=0)[0]
    assert 40 <= row < 80
    assert np.linalg.norm(X[row] - uncovered.mean(axis=0)) < 0.5


def test_density_weighting_passes_over_an_uncertain_outlier():
    rng = np.random.RandomState(1)
    # Labeled rows symmetric in the second feature: the boundary is x0 = 0.
    labeled = np.array([[-2.0, 0.0], [-2.0, 1.0], [2.0, 0.0], [2.0, 1.0]])
    unlabeled = np.vstack([rng.normal(0, 1.0, (60, 2)), [[0.0, 40.0]]])
    X = np.vstack([labeled, unlabeled])
    y = np.full(X.shape[0], -1)
    y[:4] = [0, 0, 1, 1]
    fitted = LogisticRegression().fit(X[:4], y[:4])
    outlier = X.shape[0] - 1
    uncertain = suggest_labels(fitted, X, y, 1, strategy="margin", random_state=0)
    assert uncertain[0] == outlier
    dense = suggest_labels(fitted, X, y, 1, strategy="density_weighted", random_state=0)
    assert dense[0] != outlier


def test_self_labeling_aware_skips_rows_the_committee_agrees_on(blobs):
    X, y, _ = blobs
    margin_rows = suggest_labels(LogisticRegression(), X, y, 140, strategy="margin", random_state=0)
    aware = suggest_labels(
        LogisticRegression(), X, y, 20, strategy="self_labeling_aware", random_state=0
    )
    # The far ends of the blobs, which a committee agrees on, never come first.
    easiest = set(margin_rows[-40:].tolist())
    assert not easiest & set(aware.tolist())


def test_a_fitted_estimator_is_used_as_it_is(blobs):
    X, y, y_true = blobs
    fitted = LogisticRegression().fit(X, y_true)
    coef = fitted.coef_.copy()
    rows = suggest_labels(fitted, X, y, 5, strategy="entropy", random_state=0)
    np.testing.assert_array_equal(fitted.coef_, coef)
    proba = fitted.predict_proba(X)
    expected = np.flatnonzero(y == -1)[np.argsort(-entropy(proba[y == -1]))[:5]]
    assert set(rows) == set(expected)


def test_a_list_of_models_is_a_committee(blobs):
    X, y, _ = blobs
    committee = [LogisticRegression(), RandomForestClassifier(n_estimators=10, random_state=0)]
    for strategy in ("vote_entropy", "kl_divergence", "margin"):
        rows = suggest_labels(committee, X, y, 4, strategy=strategy, random_state=0)
        assert np.all(y[rows] == -1)


def test_semi_supervised_estimators_sparse_dataframes_and_string_labels(blobs):
    pd = pytest.importorskip("pandas")
    X, y, _ = blobs
    ssl = SelfTrainingClassifier(LogisticRegression(), max_iter=2)
    assert np.all(y[suggest_labels(ssl, X, y, 3, strategy="margin", random_state=0)] == -1)
    sparse_rows = suggest_labels(
        LogisticRegression(), sp.csr_matrix(X), y, 3, strategy="diverse_margin", random_state=0
    )
    assert np.all(y[sparse_rows] == -1)
    frame = pd.DataFrame(X, columns=["a", "b"])
    assert suggest_labels(LogisticRegression(), frame, y, 3, random_state=0).shape == (3,)
    names = np.array(["-", "ant", "bee", "cat"], dtype=object)[y + 1]
    names[y == -1] = -1
    rows = suggest_labels(LogisticRegression(), X, names, 3, strategy="margin", random_state=0)
    assert all(names[row] == -1 for row in rows)


def test_auto_starts_with_typiclust_then_diverse_margin(blobs):
    X, y, y_true = blobs
    for strategy_expected, labels in (("typiclust", y), ("diverse_margin", y_true.copy())):
        if strategy_expected == "diverse_margin":
            labels[::3] = -1
        auto = suggest_labels(LogisticRegression(), X, labels, 4, random_state=5)
        chosen = suggest_labels(
            LogisticRegression(), X, labels, 4, strategy=strategy_expected, random_state=5
        )
        np.testing.assert_array_equal(auto, chosen)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_queries": 0}, ValueError, "n_queries must be at least 1"),
        ({"n_queries": 2.5}, TypeError, "n_queries must be an integer"),
        ({"n_queries": 200}, ValueError, "larger than the unlabeled pool"),
        ({"strategy": "greedy"}, ValueError, "strategy must be one of"),
        ({"estimator": LinearSVC(), "strategy": "margin"}, TypeError, "no predict_proba"),
        ({"estimator": None, "strategy": "entropy"}, ValueError, "pass a classifier"),
        ({"committee_size": 1}, ValueError, "committee_size must be at least 2"),
    ],
)
def test_bad_arguments_are_refused_by_name(blobs, kwargs, error, match):
    X, y, _ = blobs
    args = {"estimator": LogisticRegression(), "n_queries": 3, **kwargs}
    with pytest.raises(error, match=match):
        suggest_labels(args.pop("estimator"), X, y, args.pop("n_queries"), **args)


def test_no_unlabeled_row_left_is_an_error(blobs):
    X, _, y_true = blobs
    with pytest.raises(ValueError, match="no unlabeled row left"):
        suggest_labels(LogisticRegression(), X, y_true, 1)


def test_strategies_that_need_no_model_accept_an_estimator_without_proba(blobs):
    X, y, _ = blobs
    rows = suggest_labels(LinearSVC(), X, y, 3, strategy="coreset", random_state=0)
    assert np.all(y[rows] == -1)
    no_labels = np.full_like(y, -1)
    assert suggest_labels(None, X, no_labels, 3, strategy="typiclust", random_state=0).shape == (3,)


def test_fitted_classes_must_cover_the_labels(blobs):
    X, y, y_true = blobs
    two_classes = y_true != 2
    fitted = LogisticRegression().fit(X[two_classes], y_true[two_classes])
    with pytest.raises(ValueError, match=r"do not cover the labels \[2\]"):
        suggest_labels(fitted, X, y, 3, strategy="margin")


def test_an_unfitted_estimator_needs_two_labeled_classes(blobs):
    X, _, _ = blobs
    one_class = np.full(X.shape[0], -1)
    one_class[:3] = 0
    with pytest.raises(ValueError, match="at least 2 classes"):
        suggest_labels(clone(LogisticRegression()), X, one_class, 3, strategy="margin")


def test_length_mismatch_is_refused(blobs):
    X, y, _ = blobs
    with pytest.raises(ValueError, match="X has 150 rows but y has 149"):
        suggest_labels(LogisticRegression(), X, y[:-1], 3)


@pytest.mark.parametrize("strategy", ["margin", "diverse_margin"])
def test_ties_are_broken_at_random_not_by_row_order(blobs, strategy):
    from sklearn.dummy import DummyClassifier

    X, y, _ = blobs
    same_everywhere = DummyClassifier(strategy="prior").fit(X[y != -1], y[y != -1])
    first_candidates = set(np.flatnonzero(y == -1)[: 10 * 3])
    picks = [
        set(suggest_labels(same_everywhere, X, y, 3, strategy=strategy, random_state=seed))
        for seed in range(5)
    ]
    assert len({frozenset(p) for p in picks}) > 1
    assert not all(p <= first_candidates for p in picks)
