"""SafeSemiSupervisedClassifier: gains where pseudo-labels help, the supervised model otherwise."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

import sklweak
from sklweak.datasets import mask_labels
from sklweak.model_selection import SemiSupervisedKFold
from sklweak.semi_supervised import SafeSemiSupervisedClassifier
from sklweak.semi_supervised._candidates import proportional_pseudo_labels


def _cancer(fraction=0.05, seed=0):
    X, y = load_breast_cancer(return_X_y=True)
    return X, y, mask_labels(y, labeled_fraction=fraction, random_state=seed)


def _supervised(base, X, y_weak):
    labeled = y_weak != -1
    return clone(base).fit(X[labeled], y_weak[labeled])


def test_top_level_import():
    assert sklweak.SafeSemiSupervisedClassifier is SafeSemiSupervisedClassifier


def test_pseudo_labels_lift_a_tree_ensemble_that_predicts_one_class():
    # 28 labeled rows: HistGradientBoosting (min_samples_leaf=20) cannot split
    # and predicts one class; the linear teacher's pseudo-labels teach it.
    X, y, y_weak = _cancer()
    base = HistGradientBoostingClassifier(random_state=0)
    clf = SafeSemiSupervisedClassifier(base, random_state=0).fit(X, y_weak)
    assert clf.strategy_ != "supervised"
    assert clf.n_pseudo_labeled_ > 100
    supervised = _supervised(base, X, y_weak).score(X, y)
    assert clf.score(X, y) > supervised + 0.2
    results = clf.cv_results_
    chosen = list(results["strategy"]).index(clf.strategy_)
    assert results["mean_gain"][chosen] - clf.safety * results["gain_se"][chosen] > 0
    assert results["mean_gain"][0] == 0.0
    assert np.all(results["std_score"] >= 0)


def test_strict_safety_returns_the_supervised_model():
    X, _, y_weak = _cancer()
    base = HistGradientBoostingClassifier(random_state=0)
    clf = SafeSemiSupervisedClassifier(base, safety=1e9, random_state=0).fit(X, y_weak)
    assert clf.strategy_ == "supervised"
    assert clf.student_estimator_ is None
    assert clf.n_pseudo_labeled_ == 0
    assert_array_equal(clf.predict(X), _supervised(base, X, y_weak).predict(X))


def test_no_unlabeled_row_fits_the_supervised_model_without_cv():
    X, y = load_iris(return_X_y=True)
    base = LogisticRegression(max_iter=1000)
    clf = SafeSemiSupervisedClassifier(base, random_state=0).fit(X, y)
    assert clf.strategy_ == "supervised"
    assert clf.cv_results_["mean_gain"].shape == (0,)
    assert_allclose(clf.predict_proba(X), clone(base).fit(X, y).predict_proba(X))
    assert_array_equal(clf.classes_, [0, 1, 2])


def test_one_labeled_class_is_accepted_when_the_base_accepts_it():
    X, y = load_iris(return_X_y=True)
    y_weak = np.full_like(y, -1)
    y_weak[0] = y[0]
    clf = SafeSemiSupervisedClassifier(KNeighborsClassifier(n_neighbors=1)).fit(X, y_weak)
    assert clf.strategy_ == "supervised"
    assert_array_equal(clf.predict(X[:5]), np.full(5, y[0]))


@pytest.mark.parametrize(
    "estimator, message",
    [(LinearSVC(), "has no attribute 'predict_proba'"), (LinearRegression(), "regressor")],
)
def test_base_without_predict_proba_or_regressor_rejected(estimator, message):
    X, _, y_weak = _cancer()
    with pytest.raises(ValueError, match=message):
        SafeSemiSupervisedClassifier(estimator).fit(X, y_weak)


def test_unknown_candidate_rejected():
    X, _, y_weak = _cancer()
    with pytest.raises(ValueError, match="candidates must be"):
        SafeSemiSupervisedClassifier(candidates=["magic"]).fit(X, y_weak)


def test_same_result_whatever_n_jobs_and_string_classes():
    X, _, y_weak = _cancer(0.1, seed=1)
    names = np.array(["benign", "malignant"], dtype=object)
    y_str = np.where(y_weak == -1, -1, names[np.maximum(y_weak, 0)]).astype(object)
    base = make_pipeline(StandardScaler(), LogisticRegression())
    one = SafeSemiSupervisedClassifier(base, random_state=3, n_jobs=1).fit(X, y_str)
    two = SafeSemiSupervisedClassifier(base, random_state=3, n_jobs=2).fit(X, y_str)
    assert one.strategy_ == two.strategy_
    assert_allclose(one.cv_results_["mean_score"], two.cv_results_["mean_score"])
    assert_allclose(one.predict_proba(X), two.predict_proba(X))
    assert set(one.predict(X)) <= set(names)


def test_sample_weight_zero_equals_dropping_the_rows_when_fully_labeled():
    X, y = load_iris(return_X_y=True)
    weight = np.ones(y.shape[0])
    weight[::3] = 0.0
    base = LogisticRegression(max_iter=1000)
    weighted = SafeSemiSupervisedClassifier(base).fit(X, y, sample_weight=weight)
    dropped = SafeSemiSupervisedClassifier(base).fit(X[weight > 0], y[weight > 0])
    assert_allclose(weighted.predict_proba(X), dropped.predict_proba(X), atol=1e-4)


def test_grid_search_on_labeled_folds():
    X, _, y_weak = _cancer(0.1)
    search = GridSearchCV(
        SafeSemiSupervisedClassifier(HistGradientBoostingClassifier(max_iter=20), random_state=0),
        {"safety": [0.0, 1.0]},
        cv=SemiSupervisedKFold(2),
    ).fit(X, y_weak)
    assert search.best_score_ > 0.8


def test_proportional_pseudo_labels_cap_each_class_at_its_labeled_share():
    rng = np.random.RandomState(0)
    proba = rng.dirichlet([5.0, 1.0], size=200)  # the teacher favours class 0
    selected, labels, weights = proportional_pseudo_labels(proba, np.array([0.5, 0.5]))
    assert np.sum(labels == 0) <= 100
    assert np.all(np.diff(selected) > 0)
    assert_allclose(weights, proba[selected, labels])
    kept0 = weights[labels == 0].min()
    dropped0 = np.setdiff1d(np.flatnonzero(proba.argmax(1) == 0), selected)
    assert np.all(proba[dropped0, 0] <= kept0)


def test_sparse_input_and_nan_features_reach_the_teacher_and_the_student():
    import scipy.sparse as sp

    X, y, y_weak = _cancer(0.1)
    X = StandardScaler().fit_transform(X)
    sparse = SafeSemiSupervisedClassifier(LogisticRegression(), safety=0.0, random_state=0).fit(
        sp.csr_matrix(X), y_weak
    )
    assert sparse.predict(sp.csr_matrix(X)).shape == y.shape
    X_nan = X.copy()
    X_nan[::7, 0] = np.nan
    nan = SafeSemiSupervisedClassifier(
        HistGradientBoostingClassifier(max_iter=20), random_state=0
    ).fit(X_nan, y_weak)
    assert nan.strategy_ != "supervised"
    assert np.all(np.isfinite(nan.predict_proba(X_nan)))


def test_blend_averages_the_supervised_and_student_probabilities():
    X, _, y_weak = _cancer(0.1, seed=2)
    clf = SafeSemiSupervisedClassifier(
        HistGradientBoostingClassifier(max_iter=20, random_state=0), random_state=0
    ).fit(X, y_weak)
    clf.strategy_ = "linear+blend"
    expected = 0.5 * (
        clf.supervised_estimator_.predict_proba(X) + clf.student_estimator_.predict_proba(X)
    )
    assert_allclose(clf.predict_proba(X), expected)
    assert_allclose(clf.predict_proba(X).sum(axis=1), 1.0)


def test_supervised_strategy_predicts_exactly_as_the_users_base():
    # An SVC's predict follows its decision function, not its Platt
    # probabilities, and its random_state (set by the user) is kept.
    from sklearn.svm import SVC

    X, _, y_weak = _cancer(0.05, seed=3)
    X = StandardScaler().fit_transform(X)
    base = SVC(probability=True, random_state=5)
    clf = SafeSemiSupervisedClassifier(base, safety=1e9, random_state=0).fit(X, y_weak)
    assert clf.supervised_estimator_.random_state == 5
    assert_array_equal(clf.predict(X), _supervised(base, X, y_weak).predict(X))


def test_one_labeled_class_refused_by_the_base_is_a_clear_error():
    X = np.random.RandomState(0).rand(6, 3)
    y = np.array([2, -1, -1, -1, -1, -1])
    with pytest.raises(ValueError, match=r"one class only \(2\), and LogisticRegression"):
        SafeSemiSupervisedClassifier(LogisticRegression()).fit(X, y)
    model = SafeSemiSupervisedClassifier(KNeighborsClassifier(n_neighbors=1)).fit(X, y)
    assert model.strategy_ == "supervised" and list(model.predict(X)) == [2] * 6
