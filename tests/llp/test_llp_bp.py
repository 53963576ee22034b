"""LLPBPClassifier: pseudo-labels by belief propagation, then a learner."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from sklweak.datasets import make_bags
from sklweak.llp import LLPBPClassifier, ProportionWeightedClassifier, make_bag_target
from sklweak.utils._proportions import bag_mean


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def test_labels_give_the_supervised_learner(cancer):
    X, y = cancer
    clf = LLPBPClassifier().fit(X, y)
    supervised = LogisticRegression(max_iter=1000).fit(X, y)
    np.testing.assert_array_equal(clf.pseudo_labels_, np.eye(2)[y])
    np.testing.assert_allclose(
        clf.predict_proba(X), supervised.predict_proba(X), rtol=1e-6, atol=1e-8
    )
    np.testing.assert_array_equal(clf.predict(X), supervised.predict(X))


def test_random_bags_beat_the_proportion_baseline(cancer):
    X, y = cancer
    _, Y, classes = make_bags(X, y, bag_size=32, method="random", random_state=0)
    bp = LLPBPClassifier(classes=classes).fit(X, Y)
    baseline = ProportionWeightedClassifier(LogisticRegression(max_iter=1000), classes=classes).fit(
        X, Y
    )
    bp_accuracy = (bp.predict(X) == y).mean()
    assert bp_accuracy > 0.85
    assert bp_accuracy > (baseline.predict(X) == y).mean()


def test_pseudo_labels_follow_the_bag_proportions(cancer):
    X, y = cancer
    bags = np.arange(X.shape[0]) // 16
    Y = make_bag_target(bags, bag_mean(np.eye(2)[y], bags, bags.max() + 1))
    clf = LLPBPClassifier(bag_strength=20.0, n_rounds=1).fit(X, Y)
    proportions = bag_mean(clf.pseudo_labels_, bags, bags.max() + 1)
    np.testing.assert_allclose(proportions, Y[np.unique(bags, return_index=True)[1], 1:], atol=0.05)
    np.testing.assert_allclose(clf.pseudo_labels_.sum(axis=1), 1.0)


def test_multiclass_and_unequal_bags():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    rng = np.random.default_rng(0)
    bags = np.repeat(np.arange(12), rng.multinomial(138, np.ones(12) / 12) + 1)
    bags = bags[rng.permutation(X.shape[0])]
    proportions = bag_mean(np.eye(3)[y], bags, 12)
    Y = make_bag_target(bags, proportions)
    clf = LLPBPClassifier(classes=["setosa", "versicolor", "virginica"]).fit(X, Y)
    assert clf.n_iter_.shape == (1, 3)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(clf.predict(X)) <= {"setosa", "versicolor", "virginica"}
    assert (clf.predict(X) == clf.classes_[y]).mean() > 0.8


def test_pure_bags_fix_their_members(cancer):
    X, y = cancer
    bags = np.arange(X.shape[0]) // 10
    proportions = bag_mean(np.eye(2)[y], bags, bags.max() + 1)
    clf = LLPBPClassifier().fit(X, make_bag_target(bags, proportions))
    pure = (proportions[bags] == 1.0).any(axis=1)
    assert pure.any()
    np.testing.assert_array_equal(clf.pseudo_labels_[pure], np.eye(2)[y[pure]])


def test_sparse_input_matches_dense(cancer):
    X, y = cancer
    _, Y, _ = make_bags(X, y, bag_size=8, random_state=1)
    dense = LLPBPClassifier().fit(X, Y)
    from_sparse = LLPBPClassifier().fit(sparse.csr_matrix(X), Y)
    np.testing.assert_allclose(dense.pseudo_labels_, from_sparse.pseudo_labels_, atol=1e-8)


def test_reference_kernel_gives_the_same_model(cancer, monkeypatch):
    X, y = cancer
    X, y = X[:200], y[:200]
    _, Y, _ = make_bags(X, y, bag_size=16, random_state=0)
    compiled = LLPBPClassifier(n_rounds=1).fit(X, Y)
    monkeypatch.setenv("SKLWEAK_KERNELS", "reference")
    reference = LLPBPClassifier(n_rounds=1).fit(X, Y)
    np.testing.assert_allclose(
        compiled.pseudo_labels_, reference.pseudo_labels_, rtol=1e-6, atol=1e-8
    )


def test_without_feedback_every_round_is_the_same(cancer):
    X, y = cancer
    _, Y, _ = make_bags(X, y, bag_size=16, random_state=0)
    one = LLPBPClassifier(n_rounds=1).fit(X, Y)
    three = LLPBPClassifier(n_rounds=3, prior_strength=0.0).fit(X, Y)
    np.testing.assert_allclose(one.pseudo_labels_, three.pseudo_labels_)
    assert three.n_iter_.shape == (3, 1)


def test_convergence_warning_at_max_iter(cancer):
    X, y = cancer
    _, Y, _ = make_bags(X, y, bag_size=16, random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        clf = LLPBPClassifier(max_iter=2, tol=0.0).fit(X, Y)
    assert np.all(clf.n_iter_ == 2)
    assert np.all(np.isfinite(clf.predict_proba(X)))


def test_inputs_are_not_modified(cancer):
    X, y = cancer
    _, Y, _ = make_bags(X, y, bag_size=8, random_state=0)
    X_copy, Y_copy = X.copy(), Y.copy()
    LLPBPClassifier().fit(X, Y)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(Y, Y_copy)


def test_learner_without_sample_weight_is_rejected(cancer):
    X, y = cancer
    with pytest.raises(ValueError, match="sample_weight"):
        LLPBPClassifier(KNeighborsClassifier()).fit(X, y)


def test_bad_proportions_are_rejected(cancer):
    X, _ = cancer
    Y = np.column_stack([np.zeros(X.shape[0]), np.full(X.shape[0], 0.7), np.full(X.shape[0], 0.7)])
    with pytest.raises(ValueError, match="sum to 1"):
        LLPBPClassifier().fit(X, Y)
