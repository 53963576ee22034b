"""NoiseRobustClassifier and its robust linear losses beyond the common checks."""

import numpy as np
import pytest
from scipy.optimize import check_grad
from scipy.special import log_softmax
from sklearn.datasets import load_iris, make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklweak.datasets import make_noisy_labels
from sklweak.noise import NoiseRobustClassifier, find_label_issues
from sklweak.noise._robust_losses import (
    ROBUST_LOSSES,
    RobustSoftmaxRegression,
    _loss_and_logit_gradient,
)


def iris_noisy(noise_rate=0.3, kind="symmetric"):
    X, y = load_iris(return_X_y=True)
    y_noisy, flipped = make_noisy_labels(y, noise_rate=noise_rate, kind=kind, random_state=1)
    return X, y, y_noisy, flipped


def linear():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


@pytest.mark.parametrize("loss", ["cross_entropy", *ROBUST_LOSSES])
def test_logit_gradients_match_finite_differences(loss):
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(6, 3))
    y = rng.integers(0, 3, 6)
    noise = np.array([[0.8, 0.1, 0.2], [0.1, 0.7, 0.1], [0.1, 0.2, 0.7]])

    def parts(flat):
        log_p = log_softmax(flat.reshape(6, 3), axis=1)
        return _loss_and_logit_gradient(loss, log_p, y, noise)

    error = check_grad(lambda v: parts(v)[0].sum(), lambda v: parts(v)[1].ravel(), logits.ravel())
    assert error < 1e-5


def test_cross_entropy_is_scikit_learn_logistic_regression():
    X, y, _, _ = iris_noisy()
    ours = RobustSoftmaxRegression("cross_entropy", C=0.5).fit(X, y)
    theirs = LogisticRegression(C=0.5, max_iter=5000, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=2e-3)


def test_forward_correction_with_the_true_noise_matrix_undoes_pair_noise():
    X, y = make_classification(
        n_samples=1200, n_features=6, n_informative=4, n_classes=3, random_state=0
    )
    train, test = slice(0, 600), slice(600, None)
    noise = np.array([[0.6, 0.0, 0.4], [0.4, 0.6, 0.0], [0.0, 0.4, 0.6]])
    y_noisy, _ = make_noisy_labels(y[train], noise_matrix=noise, kind="matrix", random_state=0)
    plain = RobustSoftmaxRegression("cross_entropy").fit(X[train], y_noisy)
    forward = RobustSoftmaxRegression("forward").fit(X[train], y_noisy, noise_matrix=noise)
    assert forward.score(X[test], y[test]) > plain.score(X[test], y[test]) + 0.05


def test_forward_needs_a_noise_matrix_of_the_right_shape():
    X, y, _, _ = iris_noisy()
    with pytest.raises(ValueError, match="noise_matrix"):
        RobustSoftmaxRegression("forward").fit(X, y)
    with pytest.raises(ValueError, match="shape"):
        RobustSoftmaxRegression("forward").fit(X, y, noise_matrix=np.eye(2))


def test_max_iter_warns():
    X, y, _, _ = iris_noisy()
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        RobustSoftmaxRegression("gce", max_iter=1).fit(X, y)


@pytest.mark.parametrize(
    "strategy", ["prune", "relabel", "weight", "relabel_weight", "prune_weight"]
)
def test_cleaning_strategies_say_what_they_did(strategy):
    X, y, y_noisy, flipped = iris_noisy()
    clf = NoiseRobustClassifier(
        LogisticRegression(max_iter=500), strategy=strategy, random_state=0
    ).fit(X, y_noisy)
    assert clf.strategy_ == strategy
    np.testing.assert_array_equal(clf.label_issues_, find_label_issues(y_noisy, clf.pred_probs_))
    assert (clf.label_issues_ & flipped).sum() > 0.6 * clf.label_issues_.sum()
    np.testing.assert_allclose(clf.noise_matrix_.sum(axis=0), 1.0)
    guess = clf.pred_probs_.argmax(axis=1)
    if strategy.startswith("prune"):
        np.testing.assert_array_equal(clf.dropped_, clf.label_issues_)
    else:
        assert not clf.dropped_.any()
    if strategy.startswith("relabel"):
        assert clf.relabeled_.any()
        assert not (clf.relabeled_ & ~clf.label_issues_).any()
        np.testing.assert_array_equal(clf.cleaned_labels_[clf.relabeled_], guess[clf.relabeled_])
        # Relabeling corrects more labels than it breaks.
        assert (clf.cleaned_labels_ == y).sum() > (y_noisy == y).sum()
    else:
        assert not clf.relabeled_.any()
        np.testing.assert_array_equal(clf.cleaned_labels_, y_noisy)
    if strategy.endswith("weight"):
        kept = ~clf.dropped_
        expected = clf.pred_probs_[np.arange(150), clf.cleaned_labels_] * kept
        np.testing.assert_allclose(clf.sample_weight_, expected / expected[kept].mean())
        assert clf.sample_weight_[flipped].mean() < clf.sample_weight_[~flipped].mean()
    else:
        assert clf.sample_weight_ is None


def test_final_fit_is_the_estimator_on_the_cleaned_weighted_labels():
    X, _, y_noisy, _ = iris_noisy()
    clf = NoiseRobustClassifier(
        LogisticRegression(max_iter=500), strategy="relabel_weight", random_state=0
    ).fit(X, y_noisy)
    base = LogisticRegression(max_iter=500).fit(
        X, clf.cleaned_labels_, sample_weight=clf.sample_weight_
    )
    np.testing.assert_allclose(clf.predict_proba(X), base.predict_proba(X))


def test_caller_sample_weight_multiplies_the_cleaning_weights():
    X, _, y_noisy, _ = iris_noisy()
    sample_weight = np.random.default_rng(0).uniform(0.5, 2.0, size=150)
    clf = NoiseRobustClassifier(
        LogisticRegression(max_iter=500), strategy="weight", random_state=0
    ).fit(X, y_noisy, sample_weight=sample_weight)
    quality = clf.pred_probs_[np.arange(150), y_noisy]
    np.testing.assert_allclose(clf.sample_weight_, quality / quality.mean() * sample_weight)
    unweighted = NoiseRobustClassifier(
        LogisticRegression(max_iter=500), strategy="weight", random_state=0
    ).fit(X, y_noisy)
    assert not np.allclose(clf.pred_probs_, unweighted.pred_probs_)


@pytest.mark.parametrize("strategy", ROBUST_LOSSES)
def test_loss_strategies_replace_the_logistic_step(strategy):
    X, _, y_noisy, _ = iris_noisy()
    clf = NoiseRobustClassifier(linear(), strategy=strategy, random_state=0).fit(X, y_noisy)
    robust = clf.estimator_.steps[-1][1]
    assert isinstance(robust, RobustSoftmaxRegression) and robust.loss == strategy
    assert not clf.dropped_.any() and not clf.relabeled_.any()
    assert clf.predict_proba(X).shape == (150, 3)


def test_loss_strategy_needs_a_logistic_regression():
    X, _, y_noisy, _ = iris_noisy()
    with pytest.raises(ValueError, match="strategy='gce'.*LogisticRegression"):
        NoiseRobustClassifier(KNeighborsClassifier(), strategy="gce").fit(X, y_noisy)


def test_auto_is_sce_for_a_logistic_regression_else_prune_or_weight_by_class_size():
    X, _, y_noisy, _ = iris_noisy()
    linear_fit = NoiseRobustClassifier(linear(), random_state=0).fit(X, y_noisy)
    assert linear_fit.strategy_ == "sce"
    trees = HistGradientBoostingClassifier(max_iter=10)
    # 50 rows per class: enough to prune.
    large = NoiseRobustClassifier(trees, random_state=0).fit(X, y_noisy)
    assert large.strategy_ == "prune" and large.dropped_.any()
    # 20 rows per class: too few to tell a wrong label from a hard row, so weight.
    rows = np.concatenate([np.flatnonzero(y_noisy == k)[:20] for k in range(3)])
    small = NoiseRobustClassifier(trees, random_state=0).fit(X[rows], y_noisy[rows])
    assert small.strategy_ == "weight" and small.sample_weight_ is not None
    explicit = NoiseRobustClassifier(trees, strategy="weight", random_state=0).fit(
        X[rows], y_noisy[rows]
    )
    np.testing.assert_allclose(small.predict_proba(X), explicit.predict_proba(X))


def test_estimator_without_sample_weight_falls_back_to_unweighted():
    X, _, y_noisy, _ = iris_noisy()
    clf = NoiseRobustClassifier(KNeighborsClassifier(), random_state=0).fit(X, y_noisy)
    assert clf.strategy_ == "prune" and clf.sample_weight_ is None
    with pytest.raises(ValueError, match="sample_weight"):
        clf.fit(X, y_noisy, sample_weight=np.ones(150))
    relabel = NoiseRobustClassifier(
        KNeighborsClassifier(), strategy="relabel_weight", random_state=0
    ).fit(X, y_noisy)
    assert relabel.strategy_ == "relabel" and relabel.strategy_scores_ is None
    select = NoiseRobustClassifier(KNeighborsClassifier(), strategy="select", random_state=0).fit(
        X, y_noisy
    )
    assert set(select.strategy_scores_) == {"prune", "relabel"}


def test_select_fits_the_candidate_with_the_best_held_out_accuracy():
    X, _, y_noisy, _ = iris_noisy()
    select = NoiseRobustClassifier(
        LogisticRegression(max_iter=500), strategy="select", random_state=0
    )
    select.fit(X, y_noisy)
    scores = select.strategy_scores_
    assert set(scores) == {"prune", "weight", "relabel"}
    assert select.strategy_ == max(scores, key=scores.get)
    assert all(0.5 < value <= 1 for value in scores.values())
    chosen = NoiseRobustClassifier(
        LogisticRegression(max_iter=500), strategy=select.strategy_, random_state=0
    ).fit(X, y_noisy)
    np.testing.assert_allclose(select.predict_proba(X), chosen.predict_proba(X))


def test_consensus_flags_a_subset_of_majority():
    X, _, y_noisy, _ = iris_noisy()
    flags = {
        detection: NoiseRobustClassifier(
            LogisticRegression(max_iter=500), detection=detection, random_state=0
        )
        .fit(X, y_noisy)
        .label_issues_
        for detection in ("majority", "consensus")
    }
    assert flags["consensus"].sum() < flags["majority"].sum()
    assert not (flags["consensus"] & ~flags["majority"]).any()


def test_filter_estimators_join_the_detection():
    X, _, y_noisy, _ = iris_noisy()
    alone = NoiseRobustClassifier(
        LogisticRegression(max_iter=500), filter_estimators=None, random_state=0
    ).fit(X, y_noisy)
    joined = NoiseRobustClassifier(
        LogisticRegression(max_iter=500),
        filter_estimators=[KNeighborsClassifier(n_neighbors=5)],
        random_state=0,
    ).fit(X, y_noisy)
    assert not np.allclose(alone.pred_probs_, joined.pred_probs_)
    with pytest.raises(TypeError, match="filter_estimators"):
        NoiseRobustClassifier(LogisticRegression(), filter_estimators=[StandardScaler()]).fit(
            X, y_noisy
        )


def test_second_round_trains_on_the_cleaned_labels():
    X, _, y_noisy, _ = iris_noisy()
    one = NoiseRobustClassifier(
        LogisticRegression(max_iter=500), strategy="weight", n_iter=1, random_state=0
    )
    two = NoiseRobustClassifier(
        LogisticRegression(max_iter=500), strategy="weight", n_iter=2, random_state=0
    )
    one.fit(X, y_noisy)
    two.fit(X, y_noisy)
    assert not np.allclose(one.pred_probs_, two.pred_probs_)


def test_a_loss_strategy_runs_one_round():
    # A loss strategy cleans nothing, so a second round would only refit the
    # same out-of-fold models; the forest filter would make it differ.
    X, _, y_noisy, _ = iris_noisy()
    filters = [RandomForestClassifier(n_estimators=5)]
    fits = [
        NoiseRobustClassifier(
            linear(), strategy="sce", filter_estimators=filters, n_iter=n_iter, random_state=0
        ).fit(X, y_noisy)
        for n_iter in (1, 3)
    ]
    np.testing.assert_array_equal(fits[0].pred_probs_, fits[1].pred_probs_)


def test_nan_features_use_the_estimator_alone():
    X, _, y_noisy, _ = iris_noisy()
    X = X.copy()
    X[::7, 0] = np.nan
    clf = NoiseRobustClassifier(HistGradientBoostingClassifier(max_iter=10), random_state=0).fit(
        X, y_noisy
    )
    assert clf.predict(X).shape == (150,)


def test_small_class_reduces_the_folds_and_a_single_row_is_rejected():
    X, y = load_iris(return_X_y=True)
    rows = np.r_[0:3, 50:100, 100:150]
    clf = NoiseRobustClassifier(LogisticRegression(max_iter=500), random_state=0)
    clf.fit(X[rows], y[rows])
    assert clf.pred_probs_.shape == (103, 3)
    rows = np.r_[0:1, 50:150]
    with pytest.raises(ValueError, match="at least 2 samples of every class"):
        clf.fit(X[rows], y[rows])
