"""complementary_risk, make_complementary_scorer and the transition matrix helpers."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import spearmanr
from sklearn.datasets import make_blobs, make_classification
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split

from sklweak.complementary import (
    ComplementaryLabelClassifier,
    complementary_risk,
    estimate_transition_matrix,
    make_complementary_scorer,
)
from sklweak.complementary._transition import check_transition_matrix
from sklweak.datasets import make_complementary_labels

Q3 = np.array([[0.0, 0.8, 0.2], [0.3, 0.0, 0.7], [0.6, 0.4, 0.0]])


def _monte_carlo_risk(y, y_pred, n_draws=200, **kwargs):
    classes = np.arange(3)
    draws = []
    for seed in range(n_draws):
        y_bar = make_complementary_labels(
            y,
            classes=classes,
            random_state=seed,
            **{k: v for k, v in kwargs.items() if k in ("transition_matrix", "n_complementary")},
        )
        draws.append(
            complementary_risk(
                y_bar,
                y_pred,
                classes=classes,
                transition_matrix=kwargs.get("transition_matrix"),
            )
        )
    return np.mean(draws)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"transition_matrix": Q3}, {"n_complementary": 2}],
    ids=["uniform", "biased", "two-labels"],
)
def test_zero_one_risk_is_unbiased(kwargs):
    rng = np.random.RandomState(0)
    y = rng.randint(3, size=60)
    y_pred = np.where(rng.rand(60) < 0.7, y, (y + 1) % 3)
    true_error = np.mean(y_pred != y)
    assert _monte_carlo_risk(y, y_pred, **kwargs) == pytest.approx(true_error, abs=0.03)


@given(seed=st.integers(0, 1000))
def test_single_label_uniform_risk_formula(seed):
    rng = np.random.RandomState(seed)
    y_bar = rng.randint(4, size=20)
    y_pred = rng.randint(4, size=20)
    expected = 3 * np.mean(y_pred == y_bar)
    assert complementary_risk(y_bar, y_pred, classes=np.arange(4)) == pytest.approx(expected)


def test_log_risk_matches_cross_entropy_in_expectation():
    rng = np.random.RandomState(1)
    y = rng.randint(3, size=40)
    proba = rng.dirichlet(np.ones(3), size=40)
    true_log_loss = -np.mean(np.log(proba[np.arange(40), y]))
    estimates = [
        complementary_risk(
            make_complementary_labels(y, classes=np.arange(3), random_state=s),
            proba,
            loss="log",
            classes=np.arange(3),
        )
        for s in range(200)
    ]
    assert np.mean(estimates) == pytest.approx(true_log_loss, rel=0.05)


def test_risk_rejects_bad_input():
    with pytest.raises(ValueError, match="one predicted class per sample"):
        complementary_risk([0, 1], [0, 1, 2], classes=[0, 1, 2])
    with pytest.raises(ValueError, match="probabilities of shape"):
        complementary_risk([0, 1], np.ones((2, 2)), loss="log", classes=[0, 1, 2])
    with pytest.raises(ValueError, match="not among classes"):
        complementary_risk([0, 5], [0, 1], classes=[0, 1, 2])
    with pytest.raises(ValueError, match="one complementary label per sample"):
        complementary_risk(np.array([[1, 1, 0]]), [2], classes=[0, 1, 2], transition_matrix=Q3)


def test_scorer_selects_without_true_labels():
    X, y = make_classification(
        n_samples=600,
        n_features=10,
        n_informative=6,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=0,
    )
    y_bar = make_complementary_labels(y, random_state=0)
    search = GridSearchCV(
        ComplementaryLabelClassifier(),
        {"loss": ["fwd", "ure"], "alpha": [1e-4, 10.0]},
        scoring=make_complementary_scorer(),
        cv=3,
        error_score="raise",
    ).fit(X, y_bar)
    assert search.best_params_["alpha"] == 1e-4
    log_scores = cross_val_score(
        ComplementaryLabelClassifier(),
        X,
        y_bar,
        cv=3,
        scoring=make_complementary_scorer(loss="log"),
    )
    assert np.all(np.isfinite(log_scores)) and np.all(log_scores < 0)
    assert "zero_one" in repr(make_complementary_scorer())


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_scorer_ranks_candidates_like_held_out_accuracy():
    # The search sees complementary labels only; true labels of a held-out
    # part judge its choice of loss and penalty.
    X, y = make_classification(
        n_samples=900,
        n_features=10,
        n_informative=6,
        n_classes=4,
        n_clusters_per_class=1,
        random_state=0,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=1 / 3, stratify=y, random_state=0
    )
    y_bar = make_complementary_labels(y_train, random_state=0)
    search = GridSearchCV(
        ComplementaryLabelClassifier(),
        {"loss": ["fwd", "ure", "scl_exp"], "alpha": [1e-4, 1.0, 100.0]},
        scoring=make_complementary_scorer(),
        cv=3,
        refit=False,
    ).fit(X_train, y_bar)
    held_out = np.array(
        [
            np.mean(
                ComplementaryLabelClassifier(**params).fit(X_train, y_bar).predict(X_test) == y_test
            )
            for params in search.cv_results_["params"]
        ]
    )
    estimated = search.cv_results_["mean_test_score"]
    assert held_out[np.argmax(estimated)] >= held_out.max() - 0.03
    assert spearmanr(estimated, held_out)[0] > 0.8


def test_scorer_uses_fitted_transition_matrix():
    X, y = make_blobs(n_samples=600, centers=3, cluster_std=2.0, random_state=0)
    y_bar = make_complementary_labels(y, transition_matrix=Q3, random_state=0)
    clf = ComplementaryLabelClassifier(transition_matrix=Q3).fit(X, y_bar)
    scorer = make_complementary_scorer()
    expected = 1 - complementary_risk(
        y_bar, clf.predict(X), classes=clf.classes_, transition_matrix=Q3
    )
    assert scorer(clf, X, y_bar) == pytest.approx(expected)


def test_estimate_transition_matrix_recovers_rows():
    X, y = make_blobs(n_samples=3000, centers=3, cluster_std=0.8, random_state=2)
    y_bar = make_complementary_labels(y, transition_matrix=Q3, random_state=0)
    Q = estimate_transition_matrix(X, y_bar)
    np.testing.assert_allclose(np.diag(Q), 0.0)
    np.testing.assert_allclose(Q.sum(axis=1), 1.0)
    assert np.abs(Q - Q3).max() < 0.1


def test_estimate_transition_matrix_rejects_bad_input():
    with pytest.raises(ValueError, match="1-D y"):
        estimate_transition_matrix(np.zeros((2, 2)), np.array([[1, 0, 0], [0, 1, 0]]))
    with pytest.raises(ValueError, match="one row per label"):
        estimate_transition_matrix(np.zeros((3, 2)), [0, 1])


@pytest.mark.parametrize(
    "matrix, match",
    [
        (np.ones((2, 2)), "shape"),
        (np.full((3, 3), np.nan), "finite"),
        (np.ones((3, 3)) / 3, "zero diagonal"),
        (Q3 * 0.5, "sum to 1"),
    ],
)
def test_check_transition_matrix(matrix, match):
    with pytest.raises(ValueError, match=match):
        check_transition_matrix(matrix, 3)
