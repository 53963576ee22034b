import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklweak.datasets import make_bags
from sklweak.llp import ProportionWeightedClassifier, make_bag_target


class _Recorder(ClassifierMixin, BaseEstimator):
    """Stores what fit received; predicts class 0."""

    def fit(self, X, y, sample_weight=None):
        self.X_, self.y_, self.sample_weight_ = X, y, sample_weight
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.zeros(X.shape[0], dtype=int)


def _data(n=200):
    X, y = make_classification(n_samples=n, n_features=4, random_state=0)
    return StandardScaler().fit_transform(X), y


def test_each_sample_is_repeated_once_per_class_with_its_bag_share():
    X = np.arange(6.0).reshape(3, 2)
    Y = make_bag_target([0, 0, 1], [[0.25, 0.75], [1.0, 0.0]])
    clf = ProportionWeightedClassifier(_Recorder()).fit(X, Y, sample_weight=[1, 2, 3])
    inner = clf.estimator_
    # Zero-weight copies (sample 2, class 1) are dropped.
    assert_array_equal(inner.X_, X[[0, 0, 1, 1, 2]])
    assert_array_equal(inner.y_, [0, 1, 0, 1, 0])
    assert_allclose(inner.sample_weight_, [0.25, 0.75, 0.5, 1.5, 3.0])


def test_labels_give_the_inner_classifier():
    X, y = _data()
    clf = ProportionWeightedClassifier(LogisticRegression()).fit(X, y)
    reference = LogisticRegression().fit(X, y)
    assert_allclose(clf.predict_proba(X), reference.predict_proba(X))
    assert_allclose(clf.decision_function(X), reference.decision_function(X))
    assert_array_equal(clf.predict(X), reference.predict(X))


def test_string_labels_and_declared_classes():
    X, y = _data()
    names = np.array(["no", "yes"], dtype=object)
    clf = ProportionWeightedClassifier(LogisticRegression()).fit(X, names[y])
    assert list(clf.classes_) == ["no", "yes"]
    _, Y, _ = make_bags(X, y, bag_size=5, method="clustered", random_state=0)
    named = ProportionWeightedClassifier(LogisticRegression(), classes=names).fit(X, Y)
    assert set(named.predict(X)) <= {"no", "yes"}


def test_clustered_bags_are_learned():
    X, y = _data(600)
    _, Y, _ = make_bags(X, y, bag_size=10, method="clustered", random_state=0)
    clf = ProportionWeightedClassifier(LogisticRegression()).fit(X, Y)
    assert np.mean(clf.predict(X) == y) > 0.8


def test_a_class_absent_from_every_bag_gets_probability_zero():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    Y = make_bag_target([0, 0, 1, 1], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    clf = ProportionWeightedClassifier(LogisticRegression()).fit(X, Y)
    proba = clf.predict_proba(X)
    assert proba.shape == (4, 3)
    assert_array_equal(proba[:, 2], 0.0)
    assert np.all(np.isneginf(clf.predict_log_proba(X)[:, 2]))
    assert set(clf.predict(X)) <= {0, 1}


def test_delegation_follows_the_inner_estimator():
    X, y = _data()
    clf = ProportionWeightedClassifier(SVC())
    assert not hasattr(clf, "predict_proba")
    clf.fit(X, y)
    assert not hasattr(clf, "predict_proba")
    assert clf.decision_function(X).shape == (X.shape[0],)
    assert hasattr(ProportionWeightedClassifier(SVC(probability=True)), "predict_proba")


def test_pipeline_gets_the_weights_on_its_last_step():
    X, y = _data()
    _, Y, _ = make_bags(X, y, bag_size=4, method="clustered", random_state=0)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    clf = ProportionWeightedClassifier(pipe).fit(X * 100, Y)
    assert np.mean(clf.predict(X * 100) == y) > 0.8


def test_estimator_without_sample_weight_is_rejected():
    X, y = _data()
    with pytest.raises(ValueError, match="sample_weight"):
        ProportionWeightedClassifier(KNeighborsClassifier()).fit(X, y)
    with pytest.raises(ValueError, match="sample_weight"):
        ProportionWeightedClassifier(make_pipeline(KNeighborsClassifier())).fit(X, y)


def test_sparse_input():
    X, y = _data()
    _, Y, _ = make_bags(X, y, bag_size=4, random_state=0)
    dense = ProportionWeightedClassifier(LogisticRegression()).fit(X, Y)
    csr = ProportionWeightedClassifier(LogisticRegression()).fit(sparse.csr_matrix(X), Y)
    assert_allclose(dense.predict_proba(X), csr.predict_proba(sparse.csr_matrix(X)), atol=1e-6)


def test_zero_weight_everywhere_is_rejected():
    X, y = _data()
    with pytest.raises(ValueError, match="non-zero|zero on every row"):
        ProportionWeightedClassifier(LogisticRegression()).fit(
            X, y, sample_weight=np.zeros(y.shape[0])
        )


def test_negative_sample_weight_is_rejected():
    X, y = _data()
    weights = np.ones(y.shape[0])
    weights[0] = -1.0
    with pytest.raises(ValueError, match="non-negative"):
        ProportionWeightedClassifier(LogisticRegression()).fit(X, y, sample_weight=weights)
