"""Behaviour of ElkanNotoClassifier, BaggingPUClassifier and NNPUClassifier."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.svm import LinearSVC

from sklweak.datasets import make_pu
from sklweak.pu import BaggingPUClassifier, ElkanNotoClassifier, NNPUClassifier


@pytest.fixture(scope="module")
def pu_data():
    X, y = make_classification(n_samples=800, n_features=8, random_state=0)
    y_pu, _ = make_pu(X, y, label_frequency=0.3, random_state=0)
    return X, y, y_pu


def test_elkan_noto_estimates_label_frequency(pu_data):
    X, y, y_pu = pu_data
    clf = ElkanNotoClassifier(
        LogisticRegression(), hold_out_ratio=0.2, weighted=False, random_state=0
    )
    clf.fit(X, y_pu)
    assert abs(clf.c_ - 0.3) < 0.1
    assert abs(clf.class_prior_ - y.mean()) < 0.2
    proba = clf.predict_proba(X)[:, 1]
    g = clf.estimator_.predict_proba(X)[:, 1]
    np.testing.assert_allclose(proba, np.clip(g / clf.c_, 0, 1))
    np.testing.assert_array_equal(clf.predict(X), (proba > 0.5).astype(int))


def test_elkan_noto_weighted_beats_naive(pu_data):
    X, y, y_pu = pu_data
    naive = LogisticRegression().fit(X, y_pu)
    weighted = ElkanNotoClassifier(LogisticRegression(), weighted=True, random_state=0)
    weighted.fit(X, y_pu)
    assert weighted.score(X, y) > naive.score(X, y) + 0.1
    assert hasattr(weighted, "weighted_estimator_")


def test_elkan_noto_weighted_needs_sample_weight(pu_data):
    X, _, y_pu = pu_data

    class NoWeights(LogisticRegression):
        def fit(self, X, y):
            return super().fit(X, y)

    with pytest.raises(ValueError, match="sample_weight"):
        ElkanNotoClassifier(NoWeights(), weighted=True).fit(X, y_pu)
    # The default is the weighted classifier: the message names the way out.
    with pytest.raises(ValueError, match="Pass weighted=False"):
        ElkanNotoClassifier(NoWeights()).fit(X, y_pu)
    unweighted = ElkanNotoClassifier(NoWeights(), weighted=False).fit(X, y_pu)
    assert not hasattr(unweighted, "weighted_estimator_")


def test_elkan_noto_needs_predict_proba(pu_data):
    X, _, y_pu = pu_data
    with pytest.raises(ValueError, match="estimator"):
        ElkanNotoClassifier(LinearSVC()).fit(X, y_pu)


def test_bagging_oob_and_n_jobs(pu_data):
    X, y, y_pu = pu_data
    one = BaggingPUClassifier(n_estimators=8, random_state=1).fit(X, y_pu)
    two = BaggingPUClassifier(n_estimators=8, n_jobs=2, random_state=1).fit(X, y_pu)
    np.testing.assert_array_equal(one.oob_decision_function_, two.oob_decision_function_)
    np.testing.assert_array_equal(one.predict_proba(X), two.predict_proba(X))
    assert len(one.estimators_) == 8
    labeled = y_pu == 1
    np.testing.assert_array_equal(one.oob_decision_function_[labeled], [[0.0, 1.0]] * labeled.sum())
    # Out-of-bag scores rank the hidden positives above the negatives.
    unlabeled = ~labeled
    assert roc_auc_score(y[unlabeled], one.oob_score_[unlabeled]) > 0.8


def test_bagging_prior_calibrates(pu_data):
    X, y, y_pu = pu_data
    plain = BaggingPUClassifier(LogisticRegression(), n_estimators=5, random_state=0)
    calibrated = BaggingPUClassifier(
        LogisticRegression(), n_estimators=5, prior=y.mean(), random_state=0
    )
    plain.fit(X, y_pu)
    calibrated.fit(X, y_pu)
    # Same ranking, different probabilities.
    a, b = plain.decision_function(X), calibrated.decision_function(X)
    assert np.corrcoef(np.argsort(np.argsort(a)), np.argsort(np.argsort(b)))[0, 1] > 0.98
    assert abs(calibrated.predict_proba(X)[:, 1].mean() - y.mean()) < 0.1
    with pytest.raises(ValueError, match="labeled fraction"):
        BaggingPUClassifier(prior=0.01).fit(X, y_pu)


def test_bagging_max_samples(pu_data):
    X, _, y_pu = pu_data
    assert BaggingPUClassifier(n_estimators=2, max_samples=0.5).fit(X, y_pu).n_draw_ == round(
        0.5 * (y_pu == 0).sum()
    )
    assert BaggingPUClassifier(n_estimators=2, max_samples=30).fit(X, y_pu).n_draw_ == 30


def test_nnpu_beats_naive_and_upu_goes_negative(pu_data):
    X, y, y_pu = pu_data
    nn = NNPUClassifier(prior=y.mean(), random_state=0).fit(X, y_pu)
    naive = LogisticRegression().fit(X, y_pu)
    assert nn.score(X, y) > naive.score(X, y) + 0.1
    assert min(nn.risk_curve_) >= 0.0
    assert nn.coef_.shape == (1, X.shape[1]) and nn.intercept_.shape == (1,)
    np.testing.assert_allclose(nn.decision_function(X), X @ nn.coef_[0] + nn.intercept_[0])


@pytest.mark.parametrize("loss", ["sigmoid", "logistic"])
def test_nnpu_losses_and_auto_prior(pu_data, loss):
    X, y, y_pu = pu_data
    clf = NNPUClassifier(loss=loss, random_state=0).fit(X, y_pu)
    assert abs(clf.class_prior_ - y.mean()) < 0.2
    assert clf.score(X, y) > 0.75


@pytest.mark.parametrize("method", ["elkan_noto", "tice", "km2", "km2_multiscale"])
def test_nnpu_prior_by_named_estimator(pu_data, method):
    X, y, y_pu = pu_data
    clf = NNPUClassifier(prior=method, random_state=0).fit(X, y_pu)
    assert abs(clf.class_prior_ - y.mean()) < 0.2
    if method == "km2_multiscale":
        auto = NNPUClassifier(prior="auto", random_state=0).fit(X, y_pu)
        assert auto.class_prior_ == clf.class_prior_


def test_nnpu_convergence_warning(pu_data):
    X, _, y_pu = pu_data
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        NNPUClassifier(prior=0.5, max_iter=2, random_state=0).fit(X, y_pu)


def test_nnpu_rejects_sparse(pu_data):
    from scipy import sparse

    X, _, y_pu = pu_data
    with pytest.raises(TypeError, match="[Ss]parse"):
        NNPUClassifier(prior=0.5).fit(sparse.csr_matrix(X), y_pu)


def test_multiclass_rejected_with_binary_message(pu_data):
    X, _, y_pu = pu_data
    y3 = y_pu.copy()
    y3[:10] = 2
    for est in (ElkanNotoClassifier(LogisticRegression()), NNPUClassifier(prior=0.5)):
        with pytest.raises(ValueError, match="Only binary classification"):
            est.fit(X, y3)


def test_same_neg_and_pos_label_rejected(pu_data):
    X, _, y_pu = pu_data
    with pytest.raises(ValueError, match="differ"):
        ElkanNotoClassifier(LogisticRegression(), neg_label=1).fit(X, y_pu)


def test_one_labeled_positive_says_what_is_wrong():
    # The hold-out used to take the only positive away and the inner
    # LogisticRegression then said the data "contains only one class".
    from sklearn.linear_model import LogisticRegression

    from sklweak.pu import ElkanNotoClassifier, estimate_class_prior

    X = np.random.RandomState(0).randn(50, 3)
    y = np.zeros(50, dtype=int)
    y[0] = 1
    with pytest.raises(ValueError, match="1 labeled positive.*at least 2"):
        ElkanNotoClassifier(LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match="1 labeled positive.*at least 2"):
        NNPUClassifier(prior="elkan_noto").fit(X, y)
    with pytest.raises(ValueError, match="1 labeled positive.*at least 2"):
        estimate_class_prior(X, y, method="elkan_noto")
    assert 0 < NNPUClassifier(random_state=0).fit(X, y).class_prior_ < 1
