import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from sklweak.datasets import make_bags
from sklweak.llp import (
    EasyLLPClassifier,
    ProportionWeightedClassifier,
    bag_kl_divergence,
    make_bag_scorer,
    make_bag_target,
    mean_absolute_proportion_error,
)


def test_proportion_error_by_hand():
    Y = make_bag_target([0, 0, 1, 1, 1], [[0.5, 0.3, 0.2], [0.0, 0.0, 1.0]])
    proba = np.array(
        [[1.0, 0.0, 0.0], [0.0, 0.6, 0.4], [0.0, 0.0, 1.0], [0.0, 0.3, 0.7], [0.0, 0.0, 1.0]]
    )
    # bag 0 predicts (0.5, 0.3, 0.2): error 0; bag 1 predicts (0, 0.1, 0.9): 0.2 / 3.
    assert_allclose(mean_absolute_proportion_error(Y, proba), (0.0 + 0.2 / 3) / 2)


def test_kl_is_zero_exactly_when_bags_are_matched():
    Y = make_bag_target([0, 0, 1, 1], [0.5, 1.0])
    exact = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    assert bag_kl_divergence(Y, exact) == pytest.approx(0.0, abs=1e-6)
    off = np.array([[0.5, 0.5]] * 4)
    # bag 0 matched; bag 1: log(1 / 0.5).
    assert bag_kl_divergence(Y, off) == pytest.approx(np.log(2) / 2)
    assert np.isfinite(bag_kl_divergence(Y, np.array([[1.0, 0.0]] * 4)))


def test_labels_are_singleton_bags():
    y = np.array(["b", "a", "b"])
    proba = np.array([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]])
    # columns (a, b): errors 0, 0.5, 1.
    assert_allclose(mean_absolute_proportion_error(y, proba), 0.5)
    assert_allclose(mean_absolute_proportion_error(y, proba[:, ::-1], classes=["b", "a"]), 0.5)
    with pytest.raises(ValueError, match="pass classes"):
        mean_absolute_proportion_error(y, np.ones((3, 3)) / 3)
    with pytest.raises(ValueError, match="not in classes"):
        mean_absolute_proportion_error(y, proba, classes=["a", "c"])


def test_sample_weight_weights_the_bag_means_and_drops_empty_bags():
    Y = make_bag_target([0, 0, 1], [[0.5, 0.5], [1.0, 0.0]])
    proba = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    assert_allclose(mean_absolute_proportion_error(Y, proba, sample_weight=[1, 1, 0]), 0.0)
    assert_allclose(mean_absolute_proportion_error(Y, proba, sample_weight=[3, 1, 0]), 0.25)
    with pytest.raises(ValueError, match="zero weight"):
        mean_absolute_proportion_error(Y, proba, sample_weight=[0, 0, 0])


def test_shape_and_target_errors():
    Y = make_bag_target([0, 0, 1], [[0.5, 0.5], [1.0, 0.0]])
    with pytest.raises(ValueError, match="2-D"):
        mean_absolute_proportion_error(Y, np.ones(3))
    with pytest.raises(ValueError, match="samples"):
        mean_absolute_proportion_error(Y, np.ones((2, 2)) / 2)
    with pytest.raises(ValueError, match="expected 3"):
        bag_kl_divergence(Y, np.ones((3, 3)) / 3)
    bad = Y.copy()
    bad[0, 1:] = [0.9, 0.1]
    with pytest.raises(ValueError, match="two different"):
        mean_absolute_proportion_error(bad, np.ones((3, 2)) / 2)
    with pytest.raises(ValueError, match="NaN"):
        mean_absolute_proportion_error(Y, np.full((3, 2), np.nan))


def test_scorers_are_minus_the_metrics():
    X, y = make_classification(n_samples=200, n_features=4, random_state=0)
    _, Y, _ = make_bags(X, y, bag_size=5, random_state=0)
    clf = EasyLLPClassifier().fit(X, Y)
    proba = clf.predict_proba(X)
    assert make_bag_scorer()(clf, X, Y) == pytest.approx(-mean_absolute_proportion_error(Y, proba))
    assert make_bag_scorer("kl")(clf, X, Y) == pytest.approx(-bag_kl_divergence(Y, proba))
    assert clf.score(X, Y) == pytest.approx(1 + make_bag_scorer()(clf, X, Y))
    assert "kl" in repr(make_bag_scorer("kl"))
    with pytest.raises(ValueError, match="metric"):
        make_bag_scorer("accuracy")


def test_scorer_without_predict_proba_uses_predicted_classes():
    X, y = make_classification(n_samples=200, n_features=4, random_state=0)
    _, Y, _ = make_bags(X, y, bag_size=5, random_state=0)
    clf = ProportionWeightedClassifier(LinearSVC()).fit(X, Y)
    one_hot = (clf.predict(X)[:, None] == clf.classes_[None, :]).astype(float)
    expected = -mean_absolute_proportion_error(Y, one_hot)
    assert make_bag_scorer()(clf, X, Y) == pytest.approx(expected)
    assert clf.score(X, Y) == pytest.approx(1 + expected)


def test_a_better_model_scores_better_on_clustered_bags():
    X, y = make_classification(n_samples=400, n_features=4, class_sep=2.0, random_state=0)
    _, Y, _ = make_bags(X, y, bag_size=8, method="clustered", random_state=0)
    good = ProportionWeightedClassifier(LogisticRegression()).fit(X, Y)
    constant = ProportionWeightedClassifier(LogisticRegression()).fit(np.zeros_like(X), Y)
    scorer = make_bag_scorer("kl")
    assert scorer(good, X, Y) > scorer(constant, np.zeros_like(X), Y)
