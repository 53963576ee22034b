import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import check_grad
from sklearn.datasets import load_iris, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklweak.datasets import make_bags
from sklweak.llp import (
    EasyLLPClassifier,
    easyllp_soft_labels,
    make_bag_target,
    soft_label_loss,
)
from sklweak.utils import check_bag_target


def _binary(n=600, seed=0):
    X, y = make_classification(
        n_samples=n,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        class_sep=1.5,
        random_state=seed,
    )
    return train_test_split(X, y, test_size=0.5, random_state=0, stratify=y)


def test_soft_labels_follow_the_formula_per_bag_size():
    bags = [0, 0, 0, 1, 2, 2]
    y = make_bag_target(bags, [[2 / 3, 1 / 3], [0.0, 1.0], [0.5, 0.5]])
    soft, prior = easyllp_soft_labels(check_bag_target(y))
    assert_allclose(prior, y[:, 1:].mean(axis=0))
    sizes = np.array([3, 3, 3, 1, 2, 2])[:, None]
    assert_allclose(soft, sizes * (y[:, 1:] - prior) + prior)
    assert_allclose(soft.sum(axis=1), 1.0)


@settings(max_examples=30, deadline=None)
@given(
    labels=st.lists(st.integers(0, 2), min_size=3, max_size=30),
    prior=st.lists(st.floats(0.05, 1.0), min_size=3, max_size=3),
)
def test_singleton_bags_give_one_hot_soft_labels_whatever_the_prior(labels, prior):
    labels = np.array(labels)
    prior = np.array(prior) / np.sum(prior)
    one_hot = np.eye(3)[labels]
    target = check_bag_target(make_bag_target(np.arange(labels.shape[0]), dict(enumerate(one_hot))))
    soft, _ = easyllp_soft_labels(target, class_prior=prior)
    assert_allclose(soft, one_hot, atol=1e-12)


def test_soft_labels_are_unbiased_for_random_bags():
    # A sample's soft label, averaged over the random bag companions drawn from
    # the population, is its own one-hot label.
    rng = np.random.RandomState(0)
    prior = np.array([0.7, 0.2, 0.1])
    k, draws = 5, 40000
    companions = rng.choice(3, size=(draws, k - 1), p=prior)
    for label in range(3):
        counts = np.stack([(companions == c).sum(axis=1) for c in range(3)], axis=1)
        counts[:, label] += 1
        alpha = counts / k
        soft = k * (alpha - prior) + prior
        assert_allclose(soft.mean(axis=0), np.eye(3)[label], atol=0.03)


def test_class_prior_is_checked():
    target = check_bag_target(make_bag_target([0, 0, 1, 1], [0.5, 1.0]))
    with pytest.raises(ValueError, match="one entry per class"):
        easyllp_soft_labels(target, class_prior=[1.0])
    with pytest.raises(ValueError, match="sum to 1"):
        easyllp_soft_labels(target, class_prior=[0.5, 0.6])


@pytest.mark.parametrize("loss", ["log", "squared"])
def test_soft_label_loss_gradient_matches_finite_differences(loss):
    rng = np.random.RandomState(1)
    soft = rng.normal(size=(4, 3))
    soft /= soft.sum(axis=1, keepdims=True)

    def value(flat):
        return soft_label_loss(flat.reshape(4, 3), soft, loss)[0].sum()

    def gradient(flat):
        return soft_label_loss(flat.reshape(4, 3), soft, loss)[1].ravel()

    assert check_grad(value, gradient, rng.normal(size=12)) < 1e-5


def test_soft_label_loss_rejects_unknown_loss():
    with pytest.raises(ValueError, match="'log' or 'squared'"):
        soft_label_loss(np.zeros((1, 2)), np.array([[1.0, 0.0]]), "hinge")


def test_labels_give_l2_logistic_regression():
    X_train, X_test, y_train, _ = _binary()
    alpha = 0.01
    clf = EasyLLPClassifier(loss="log", alpha=alpha, tol=1e-10, max_iter=2000)
    clf.fit(X_train, y_train)
    # Softmax with two columns and a penalty on both equals the logistic model
    # on the difference with half the penalty.
    scaler = StandardScaler().fit(X_train)
    reference = LogisticRegression(C=2.0 / (alpha * X_train.shape[0]), tol=1e-10)
    reference.fit(scaler.transform(X_train), y_train)
    assert_allclose(
        clf.predict_proba(X_test)[:, 1],
        reference.predict_proba(scaler.transform(X_test))[:, 1],
        atol=5e-4,
    )


def test_singleton_bag_target_equals_labels():
    X_train, X_test, y_train, _ = _binary()
    Y = make_bag_target(np.arange(y_train.shape[0]), np.eye(2)[y_train])
    assert_allclose(
        EasyLLPClassifier().fit(X_train, Y).predict_proba(X_test),
        EasyLLPClassifier().fit(X_train, y_train).predict_proba(X_test),
    )


@pytest.mark.parametrize("loss", ["log", "squared"])
def test_small_random_bags_rank_almost_as_well_as_labels(loss):
    X_train, X_test, y_train, y_test = _binary(n=1200)
    supervised = roc_auc_score(
        y_test, LogisticRegression().fit(X_train, y_train).decision_function(X_test)
    )
    _, Y, classes = make_bags(X_train, y_train, bag_size=4, random_state=0)
    clf = EasyLLPClassifier(loss=loss, classes=classes).fit(X_train, Y)
    assert roc_auc_score(y_test, clf.decision_function(X_test)) > supervised - 0.03
    assert clf.coef_.shape == (1, X_train.shape[1])
    assert clf.class_prior_.shape == (2,)


def test_multiclass_bags():
    X, y = load_iris(return_X_y=True)
    _, Y, classes = make_bags(X, y, bag_size=3, random_state=0)
    clf = EasyLLPClassifier(classes=classes).fit(X, Y)
    assert clf.coef_.shape == (3, 4)
    assert clf.predict_proba(X).shape == (150, 3)
    assert np.mean(clf.predict(X) == y) > 0.8
    assert_array_equal(clf.predict(X), np.argmax(clf.decision_function(X), axis=1))


def test_sample_weight_zero_drops_samples_from_the_loss():
    X_train, X_test, y_train, _ = _binary()
    weights = np.ones(y_train.shape[0])
    weights[:50] = 0
    weighted = EasyLLPClassifier().fit(X_train, y_train, sample_weight=weights)
    dropped = EasyLLPClassifier().fit(X_train[50:], y_train[50:])
    assert_allclose(weighted.predict_proba(X_test), dropped.predict_proba(X_test), atol=1e-5)
    with pytest.raises(ValueError, match="non-zero|zero on every row"):
        EasyLLPClassifier().fit(X_train, y_train, sample_weight=np.zeros_like(weights))
    opposite = np.where(np.arange(weights.shape[0]) % 2 == 0, 1.0, -1.0)
    with pytest.raises(ValueError, match="Negative values"):
        EasyLLPClassifier().fit(X_train, y_train, sample_weight=opposite)


def test_max_iter_warns():
    X_train, _, y_train, _ = _binary()
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        EasyLLPClassifier(max_iter=1).fit(X_train, y_train)


def test_bag_target_errors_are_clear():
    X_train, _, y_train, _ = _binary()
    _, Y, _ = make_bags(X_train, y_train, bag_size=4, random_state=0)
    bad = Y.copy()
    bad[Y[:, 0] == 0, 1:] = [0.6, 0.6]
    with pytest.raises(ValueError, match="sum to 1"):
        EasyLLPClassifier().fit(X_train, bad)
    with pytest.raises(ValueError, match="expected 3"):
        EasyLLPClassifier(classes=["a", "b", "c"]).fit(X_train, Y)
    with pytest.raises(ValueError, match="continuous"):
        EasyLLPClassifier().fit(X_train, np.linspace(0, 1, X_train.shape[0]))


def test_fit_does_not_warn_on_defaults():
    X_train, _, y_train, _ = _binary()
    _, Y, _ = make_bags(X_train, y_train, bag_size=16, method="clustered", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        EasyLLPClassifier().fit(X_train, Y)
