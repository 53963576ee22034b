"""PUStratifiedKFold, the PU scorers and estimate_class_prior."""

import numpy as np
import pytest
import sklearn
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, make_scorer, roc_auc_score
from sklearn.model_selection import GridSearchCV

from sklweak.datasets import make_pu
from sklweak.pu import (
    ElkanNotoClassifier,
    PUStratifiedKFold,
    estimate_class_prior,
    lee_liu_score,
    make_pu_scorer,
    pu_accuracy_score,
    pu_roc_auc_score,
)


@pytest.fixture(scope="module")
def big_pu():
    X, y = make_classification(n_samples=4000, n_features=6, class_sep=1.5, random_state=0)
    y_pu, _ = make_pu(X, y, label_frequency=0.4, random_state=0)
    return X, y, y_pu


def test_fold_keeps_labeled_ratio():
    y = np.r_[np.ones(20, int), np.zeros(80, int)]
    for train, test in PUStratifiedKFold(5, shuffle=True, random_state=0).split(
        np.zeros((100, 1)), y
    ):
        assert y[test].sum() == 4 and y[train].sum() == 16
    with pytest.raises(ValueError, match="labeled positives"):
        list(PUStratifiedKFold(30).split(np.zeros((100, 1)), y))


def test_corrected_scores_recover_true_ones(big_pu):
    X, y, y_pu = big_pu
    prior = float(y.mean())
    model = LogisticRegression().fit(X, y)
    pred, score = model.predict(X), model.decision_function(X)
    assert abs(pu_accuracy_score(y_pu, pred, prior=prior) - accuracy_score(y, pred)) < 0.03
    assert abs(pu_roc_auc_score(y_pu, score, prior=prior) - roc_auc_score(y, score)) < 0.03


@given(
    y=st.lists(st.sampled_from([0, 1]), min_size=4, max_size=40),
    pred=st.lists(st.sampled_from([0, 1]), min_size=40, max_size=40),
)
def test_lee_liu_formula(y, pred):
    y = np.array(y)
    pred = np.array(pred[: len(y)])
    if y.sum() == 0:
        with pytest.raises(ValueError):
            lee_liu_score(y, pred)
        return
    value = lee_liu_score(y, pred)
    if pred.sum() == 0:
        assert value == 0.0
    else:
        recall = pred[y == 1].mean()
        assert value == pytest.approx(recall**2 / pred.mean())


def test_scorers_validate_prior():
    with pytest.raises(ValueError, match="labeled fraction"):
        pu_accuracy_score([1, 1, 1, 0], [1, 1, 1, 0], prior=0.5)
    with pytest.raises(ValueError, match="prior"):
        make_pu_scorer("accuracy")


def test_grid_search_picks_like_true_labels(big_pu):
    X, y, y_pu = big_pu
    grid = {"estimator__C": [1e-4, 1e-2, 1.0]}
    base = ElkanNotoClassifier(LogisticRegression(), random_state=0)
    pu_search = GridSearchCV(
        base,
        grid,
        scoring=make_pu_scorer("accuracy", prior=float(y.mean())),
        cv=PUStratifiedKFold(3),
    ).fit(X, y_pu)
    assert pu_search.best_params_["estimator__C"] != 1e-4
    lee_liu = GridSearchCV(base, grid, scoring=make_pu_scorer("lee_liu"), cv=PUStratifiedKFold(3))
    assert lee_liu.fit(X, y_pu).best_score_ > 0


@pytest.mark.parametrize(
    ("pu_metric", "true_metric"),
    [("lee_liu", "f1"), ("accuracy", "accuracy"), ("roc_auc", "roc_auc")],
)
def test_pu_scorer_picks_near_the_true_label_pick(big_pu, pu_metric, true_metric):
    # One search, the same fits: the PU scorer sees the PU labels, the oracle
    # scorer the true labels of each test fold (through metadata routing).
    X, y, y_pu = big_pu
    prior = float(y.mean())
    grid = {"estimator__C": [1e-5, 1e-4, 1e-3, 1e-2, 1.0]}

    def on_true_labels(y_pu_fold, prediction, true_y):
        if true_metric == "f1":
            return f1_score(true_y, prediction)
        if true_metric == "accuracy":
            return accuracy_score(true_y, prediction)
        return roc_auc_score(true_y, prediction)

    with sklearn.config_context(enable_metadata_routing=True):
        oracle = make_scorer(
            on_true_labels,
            response_method="predict_proba" if true_metric == "roc_auc" else "predict",
        ).set_score_request(true_y=True)
        search = GridSearchCV(
            ElkanNotoClassifier(LogisticRegression(), random_state=0),
            grid,
            scoring={"pu": make_pu_scorer(pu_metric, prior=prior), "true": oracle},
            refit=False,
            cv=PUStratifiedKFold(3, shuffle=True, random_state=0),
        ).fit(X, y_pu, true_y=y)
    pu_scores = search.cv_results_["mean_test_pu"]
    true_scores = search.cv_results_["mean_test_true"]
    # The PU pick is (nearly) as good on the true labels as the true-label pick,
    # and clearly better than the worst grid point.
    assert true_scores[np.argmax(pu_scores)] >= true_scores.max() - 0.01
    assert true_scores[np.argmax(pu_scores)] > true_scores.min() + 0.01


def test_estimate_class_prior(big_pu):
    X, y, y_pu = big_pu
    prior, (low, high) = estimate_class_prior(X, y_pu, random_state=0, n_bootstrap=100)
    assert abs(prior - y.mean()) < 0.08
    assert low <= prior <= high
    again = estimate_class_prior(X, y_pu, random_state=0, n_bootstrap=100)
    assert again == (prior, (low, high))
    assert estimate_class_prior(X, y_pu, n_bootstrap=0, random_state=0)[1] == (prior, prior)
    with pytest.raises(ValueError, match="method"):
        estimate_class_prior(X, y_pu, method="nope")
    with pytest.raises(ValueError, match="labeled positive"):
        estimate_class_prior(X, np.zeros_like(y_pu))
