"""ElkanNotoClassifier with sample_weight."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sklweak.datasets import make_pu
from sklweak.pu import ElkanNotoClassifier


class RecordingLogisticRegression(LogisticRegression):
    """Logistic regression that keeps the sample_weight of its last fit."""

    def fit(self, X, y, sample_weight=None):
        self.seen_weight_ = None if sample_weight is None else np.array(sample_weight)
        return super().fit(X, y, sample_weight=sample_weight)


class Unweighted(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


@pytest.fixture(scope="module")
def pu_data():
    X, y = make_classification(n_samples=400, n_features=5, class_sep=1.5, random_state=0)
    y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=0)
    return X, y, y_pu


@pytest.mark.parametrize("weighted", [False, True])
def test_unit_weights_change_nothing(pu_data, weighted):
    X, _, y_pu = pu_data
    plain = ElkanNotoClassifier(LogisticRegression(), weighted=weighted, random_state=0)
    ones = ElkanNotoClassifier(LogisticRegression(), weighted=weighted, random_state=0)
    plain.fit(X, y_pu)
    ones.fit(X, y_pu, sample_weight=np.ones(X.shape[0]))
    assert ones.c_ == pytest.approx(plain.c_, abs=1e-12)
    assert ones.class_prior_ == pytest.approx(plain.class_prior_, abs=1e-12)
    np.testing.assert_allclose(ones.predict_proba(X), plain.predict_proba(X), atol=1e-12)


def test_weights_reach_every_fit_and_the_prior(pu_data):
    X, _, y_pu = pu_data
    weight = np.random.RandomState(0).uniform(0.5, 2.0, X.shape[0])
    clf = ElkanNotoClassifier(RecordingLogisticRegression(), weighted=True, random_state=0)
    clf.fit(X, y_pu, sample_weight=weight)
    # g is fitted on the training part: a subset of the given weights.
    seen = clf.estimator_.seen_weight_
    assert seen.shape[0] < X.shape[0]
    assert np.isin(seen, weight).all()
    # The weighted variant multiplies the Elkan-Noto weights by the sample weights:
    # the positives' rows come first with weight 1 each, so exactly their weights.
    positives = np.flatnonzero(y_pu == 1)
    np.testing.assert_allclose(
        clf.weighted_estimator_.seen_weight_[: positives.shape[0]], weight[positives]
    )
    labeled_total = weight[positives].sum()
    assert clf.class_prior_ == pytest.approx(min(1.0, labeled_total / (clf.c_ * weight.sum())))


def test_heavier_unlabeled_lower_the_prior(pu_data):
    X, _, y_pu = pu_data
    base = ElkanNotoClassifier(LogisticRegression(), random_state=0).fit(X, y_pu)
    weight = np.where(y_pu == 1, 1.0, 3.0)
    heavy = ElkanNotoClassifier(LogisticRegression(), random_state=0)
    heavy.fit(X, y_pu, sample_weight=weight)
    # In the weighted population the unlabeled rows (a quarter of them positive
    # here) count three times: the positive share falls from about 0.5 to 0.4.
    assert heavy.class_prior_ < base.class_prior_


def test_sample_weight_errors(pu_data):
    X, _, y_pu = pu_data
    with pytest.raises(ValueError, match="sample_weight"):
        ElkanNotoClassifier(Unweighted()).fit(X, y_pu, sample_weight=np.ones(X.shape[0]))
    with pytest.raises(ValueError, match="class"):
        ElkanNotoClassifier(LogisticRegression()).fit(
            X, y_pu, sample_weight=np.where(y_pu == 1, 0.0, 1.0)
        )
    with pytest.raises(ValueError):
        ElkanNotoClassifier(LogisticRegression()).fit(X, y_pu, sample_weight=np.ones(5))
