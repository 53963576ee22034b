"""ConfidentLearningClassifier beyond the common checks."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from sklweak.datasets import make_noisy_labels
from sklweak.noise import ConfidentLearningClassifier, find_label_issues


def iris_noisy():
    X, y = load_iris(return_X_y=True)
    y_noisy, flipped = make_noisy_labels(y, noise_rate=0.25, random_state=1)
    return X, y_noisy, flipped


def test_fitted_attributes_and_clean_fit():
    X, y_noisy, flipped = iris_noisy()
    clf = ConfidentLearningClassifier(LogisticRegression(max_iter=500), random_state=0)
    clf.fit(X, y_noisy)
    np.testing.assert_array_equal(clf.label_issues_, find_label_issues(y_noisy, clf.pred_probs_))
    assert clf.label_quality_.shape == (150,)
    np.testing.assert_allclose(clf.noise_matrix_.sum(axis=0), 1.0)
    assert (clf.label_issues_ & flipped).sum() > 0.6 * clf.label_issues_.sum()
    # The final estimator saw exactly the unflagged samples.
    base = LogisticRegression(max_iter=500).fit(X[~clf.label_issues_], y_noisy[~clf.label_issues_])
    np.testing.assert_allclose(clf.predict_proba(X), base.predict_proba(X))


def test_reweight_weights_by_inverse_keep_rate():
    X, y_noisy, _ = iris_noisy()
    clf = ConfidentLearningClassifier(
        LogisticRegression(max_iter=500), reweight=True, random_state=0
    ).fit(X, y_noisy)
    keep = ~clf.label_issues_
    weights = 1.0 / np.diagonal(clf.noise_matrix_)[y_noisy[keep]]
    base = LogisticRegression(max_iter=500).fit(X[keep], y_noisy[keep], sample_weight=weights)
    np.testing.assert_allclose(clf.predict_proba(X), base.predict_proba(X))


def test_reweight_and_sample_weight_reach_a_pipelines_last_step():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y_noisy, _ = iris_noisy()
    user_weights = np.where(np.arange(len(y_noisy)) % 4 == 0, 2.0, 1.0)
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    clf = ConfidentLearningClassifier(pipe, reweight=True, random_state=0).fit(
        X, y_noisy, sample_weight=user_weights
    )
    keep = ~clf.label_issues_
    weights = user_weights[keep] / np.diagonal(clf.noise_matrix_)[y_noisy[keep]]
    base = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(
        X[keep], y_noisy[keep], logisticregression__sample_weight=weights
    )
    np.testing.assert_allclose(clf.predict_proba(X), base.predict_proba(X))


def test_sample_weight_without_a_weighted_estimator_is_a_clear_error():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y_noisy, _ = iris_noisy()
    clf = ConfidentLearningClassifier(make_pipeline(StandardScaler(), KNeighborsClassifier()))
    with pytest.raises(ValueError, match="ConfidentLearningClassifier: sample_weight needs"):
        clf.fit(X, y_noisy, sample_weight=np.ones(len(y_noisy)))


def test_reweight_needs_sample_weight():
    X, y_noisy, _ = iris_noisy()
    clf = ConfidentLearningClassifier(KNeighborsClassifier(), reweight=True)
    with pytest.raises(ValueError, match="sample_weight"):
        clf.fit(X, y_noisy)


def test_tiny_class_reduces_the_folds_or_fails_clearly():
    X, y_noisy, _ = iris_noisy()
    y_small = y_noisy.copy()
    y_small[np.flatnonzero(y_small == 2)[3:]] = 0
    clf = ConfidentLearningClassifier(LogisticRegression(max_iter=500), random_state=0)
    assert clf.fit(X, y_small).pred_probs_.shape == (150, 3)
    y_small[np.flatnonzero(y_small == 2)[1:]] = 0
    with pytest.raises(ValueError, match="at least 2 samples"):
        clf.fit(X, y_small)
