"""SelfTrainingClassifier: parity with scikit-learn's, its behaviours, and the extras."""

from math import ceil

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, make_blobs
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    RandomForestClassifier,
    StackingClassifier,
)
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier as SklearnSelfTraining
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags

from sklweak.self_training import (
    CoTrainingClassifier,
    SelfTrainingClassifier,
    TriTrainingClassifier,
)
from sklweak.self_training._pseudo_label_checks import cross_fitted_proba
from sklweak.self_training._self_training import flexible_thresholds

IRIS = load_iris()
X_TRAIN, X_TEST, Y_TRAIN, Y_TEST = train_test_split(IRIS.data, IRIS.target, random_state=1)
N_LABELED = 40
Y_MISSING = Y_TRAIN.copy()
Y_MISSING[N_LABELED:] = -1
NAMES = np.array(["setosa", "versicolor", "virginica"], dtype=object)
Y_MISSING_STR = np.where(Y_MISSING == -1, -1, NAMES[np.maximum(Y_MISSING, 0)]).astype(object)


def _masked(loader, fraction, seed):
    X, y = loader(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    y_weak = y.copy()
    y_weak[np.random.RandomState(seed).rand(y.shape[0]) < fraction] = -1
    return X, y, y_weak


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression that records the sample weights of each fit."""

    def fit(self, X, y, sample_weight=None):
        self.model_ = LogisticRegression().fit(X, y, sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        self.seen_weights_ = sample_weight
        self.n_fit_rows_ = X.shape[0]
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)


# --- parity with scikit-learn ------------------------------------------------


@pytest.mark.parametrize("loader", [load_iris, load_digits, load_breast_cancer])
@pytest.mark.parametrize("criterion", ["threshold", "k_best"])
@pytest.mark.parametrize(
    "base",
    [LogisticRegression(), KNeighborsClassifier(), SVC(probability=True, random_state=0)],
    ids=["lr", "knn", "svc"],
)
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_same_result_as_scikit_learn(loader, criterion, base):
    X, _, y_weak = _masked(loader, 0.85, seed=3)
    kwargs = {"criterion": criterion, "k_best": 25, "max_iter": 6}
    theirs = SklearnSelfTraining(clone(base), **kwargs).fit(X, y_weak)
    ours = SelfTrainingClassifier(clone(base), **kwargs).fit(X, y_weak)
    assert_array_equal(ours.transduction_, theirs.transduction_)
    assert_array_equal(ours.labeled_iter_, theirs.labeled_iter_)
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.termination_condition_ == theirs.termination_condition_
    assert_array_equal(ours.predict(X), theirs.predict(X))
    assert_array_equal(ours.classes_, theirs.classes_)


@pytest.mark.parametrize("threshold", [0.5, 0.9, 0.99])
@pytest.mark.parametrize("max_iter", [0, 1, None])
def test_same_termination_as_scikit_learn(threshold, max_iter):
    X, _, y_weak = _masked(load_iris, 0.8, seed=0)
    theirs = SklearnSelfTraining(
        KNeighborsClassifier(), threshold=threshold, max_iter=max_iter
    ).fit(X, y_weak)
    ours = SelfTrainingClassifier(
        KNeighborsClassifier(), threshold=threshold, max_iter=max_iter, criterion="threshold"
    ).fit(X, y_weak)
    assert ours.termination_condition_ == theirs.termination_condition_
    assert ours.n_iter_ == theirs.n_iter_
    assert_array_equal(ours.transduction_, theirs.transduction_)


def test_k_best_ties_like_scikit_learn():
    # Duplicated rows give tied confidences; the same samples must be chosen.
    X = np.repeat(np.array([[0.0], [1.0], [2.0], [3.0], [4.0]]), 6, axis=0)
    y = np.full(X.shape[0], -1)
    y[[0, 29]] = [0, 1]
    theirs = SklearnSelfTraining(GaussianNB(), criterion="k_best", k_best=7).fit(X, y)
    ours = SelfTrainingClassifier(GaussianNB(), criterion="k_best", k_best=7).fit(X, y)
    assert_array_equal(ours.labeled_iter_, theirs.labeled_iter_)


# --- scikit-learn's behaviours -------------------------------------------------


@pytest.mark.parametrize("base", [KNeighborsClassifier(), LogisticRegression()])
@pytest.mark.parametrize("criterion", ["threshold", "k_best", "adaptive"])
def test_string_and_integer_labels_agree(base, criterion):
    ints = SelfTrainingClassifier(clone(base), criterion=criterion).fit(X_TRAIN, Y_MISSING)
    strs = SelfTrainingClassifier(clone(base), criterion=criterion).fit(X_TRAIN, Y_MISSING_STR)
    assert_array_equal(NAMES[ints.predict(X_TEST)], strs.predict(X_TEST))
    assert_array_equal(ints.predict_proba(X_TEST), strs.predict_proba(X_TEST))
    assert ints.termination_condition_ == strs.termination_condition_
    labeled = Y_MISSING != -1
    assert_array_equal(ints.labeled_iter_ == 0, labeled)
    assert_array_equal(ints.transduction_[labeled], Y_MISSING[labeled])
    assert ints.labeled_iter_.max() <= ints.n_iter_ <= 10
    assert ints.labeled_iter_.shape == ints.transduction_.shape


def test_k_best_labels_k_per_round_until_done():
    y = np.full(Y_TRAIN.shape[0], -1)
    y[0] = Y_TRAIN[0]
    clf = SelfTrainingClassifier(
        KNeighborsClassifier(n_neighbors=1), criterion="k_best", k_best=10, max_iter=None
    )
    # One labeled row (one class) is valid, as in scikit-learn's test_k_best.
    clf.fit(X_TRAIN, y)
    assert clf.n_iter_ == ceil((Y_TRAIN.shape[0] - 1) / 10)
    assert clf.termination_condition_ == "all_labeled"
    assert_array_equal(clf.predict(X_TRAIN), np.full(Y_TRAIN.shape[0], Y_TRAIN[0]))
    y[1:3] = Y_TRAIN[1:3]
    y[np.flatnonzero(Y_TRAIN[0] != Y_TRAIN)[0]] = Y_TRAIN[Y_TRAIN[0] != Y_TRAIN][0]
    n_unlabeled = int(np.sum(y == -1))
    clf.fit(X_TRAIN, y)
    assert clf.n_iter_ == ceil(n_unlabeled / 10)
    for i in range(1, clf.n_iter_):
        assert np.sum(clf.labeled_iter_ == i) == 10
    assert np.sum(clf.labeled_iter_ == clf.n_iter_) == n_unlabeled - 10 * (clf.n_iter_ - 1)
    assert clf.termination_condition_ == "all_labeled"


def test_warns_when_k_best_exceeds_unlabeled():
    clf = SelfTrainingClassifier(KNeighborsClassifier(), criterion="k_best", k_best=1000)
    with pytest.warns(UserWarning, match="k_best is larger"):
        clf.fit(X_TRAIN, Y_MISSING)
    assert clf.termination_condition_ == "all_labeled"


def test_no_iteration_limit_labels_everything():
    clf = SelfTrainingClassifier(KNeighborsClassifier(), threshold=0.55, max_iter=None)
    clf.fit(X_TRAIN, Y_MISSING)
    assert clf.termination_condition_ == "all_labeled"
    assert np.all(clf.labeled_iter_ >= 0)


@pytest.mark.parametrize("y", [Y_MISSING, Y_MISSING_STR], ids=["int", "str"])
def test_zero_iterations_is_supervised(y):
    clf = SelfTrainingClassifier(KNeighborsClassifier(), max_iter=0).fit(X_TRAIN, y)
    plain = KNeighborsClassifier().fit(X_TRAIN[:N_LABELED], y[:N_LABELED])
    assert_array_equal(clf.predict(X_TEST), plain.predict(X_TEST))
    assert clf.termination_condition_ == "max_iter"
    assert clf.n_iter_ == 0


def test_predict_before_fit_raises():
    clf = SelfTrainingClassifier(KNeighborsClassifier().fit(X_TRAIN, Y_TRAIN))
    with pytest.raises(NotFittedError, match="SelfTrainingClassifier instance is not fitted"):
        clf.predict(X_TRAIN)


def test_fully_labeled_equals_base_and_warns():
    with pytest.warns(UserWarning, match="y contains no unlabeled samples"):
        clf = SelfTrainingClassifier(KNeighborsClassifier()).fit(X_TRAIN, Y_TRAIN)
    plain = KNeighborsClassifier().fit(X_TRAIN, Y_TRAIN)
    assert_array_equal(clf.predict(X_TEST), plain.predict(X_TEST))
    assert np.all(clf.labeled_iter_ == 0)
    assert clf.termination_condition_ == "all_labeled"


def test_stops_when_nothing_is_confident():
    clf = SelfTrainingClassifier(LogisticRegression())
    clf.fit([[1.0], [0.0], [1.0], [0.5]], [1, 0, -1, -1])
    assert clf.n_iter_ == 1
    assert clf.termination_condition_ == "no_change"
    assert clf.history_[-1]["n_added"] == 0


def test_string_dtype_needs_object_or_string_sentinel():
    X, y = make_blobs(n_samples=30, random_state=0, cluster_std=0.1)
    y_str = np.take(["one", "two", "three"], y)
    with pytest.raises(ValueError, match="dtype"):
        SelfTrainingClassifier(KNeighborsClassifier()).fit(X, y_str)
    y_str = y_str.astype("<U9")
    y_str[::3] = "unlabeled"
    clf = SelfTrainingClassifier(KNeighborsClassifier(n_neighbors=3), unlabeled_label="unlabeled")
    clf.fit(X, y_str)
    assert set(clf.classes_) == {"one", "two", "three"}
    assert "unlabeled" not in set(clf.transduction_)


def test_verbose_prints_each_round(capsys):
    SelfTrainingClassifier(
        KNeighborsClassifier(n_neighbors=1),
        criterion="k_best",
        k_best=10,
        max_iter=3,
        verbose=True,
    ).fit(X_TRAIN, Y_MISSING)
    out = capsys.readouterr().out
    for i in (1, 2, 3):
        assert f"End of iteration {i}, added 10 new labels." in out
    SelfTrainingClassifier(KNeighborsClassifier()).fit(X_TRAIN, Y_MISSING)
    assert "iteration" not in capsys.readouterr().out


def test_k_best_takes_the_most_confident():
    clf = SelfTrainingClassifier(LogisticRegression(), criterion="k_best", max_iter=1)
    clf.fit(X_TRAIN, Y_MISSING)
    unlabeled = Y_MISSING == -1
    base = LogisticRegression().fit(X_TRAIN[~unlabeled], Y_MISSING[~unlabeled])
    confidence = base.predict_proba(X_TRAIN[unlabeled]).max(axis=1)
    best = np.flatnonzero(unlabeled)[np.argsort(confidence)[-10:]]
    assert set(best) == set(np.flatnonzero(clf.labeled_iter_ == 1))


def test_meta_estimator_base_with_late_predict_proba():
    stack = StackingClassifier(
        [("a", LogisticRegression()), ("b", LogisticRegression())],
        final_estimator=LogisticRegression(),
        cv=2,
    )
    SelfTrainingClassifier(stack).fit(X_TRAIN, Y_MISSING).predict_proba(X_TEST)
    stack = StackingClassifier([("a", SVC()), ("b", SVC())], final_estimator=SVC(), cv=2)
    with pytest.raises(AttributeError):
        SelfTrainingClassifier(stack).fit(X_TRAIN, Y_MISSING)


def test_missing_methods_raise_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'predict_proba'"):
        SelfTrainingClassifier(SVC()).fit(X_TRAIN, Y_MISSING)
    clf = SelfTrainingClassifier(DecisionTreeClassifier()).fit(X_TRAIN, Y_MISSING)
    with pytest.raises(AttributeError, match="has no attribute 'decision_function'") as info:
        clf.decision_function(X_TRAIN)
    assert isinstance(info.value.__cause__, AttributeError)
    assert "DecisionTreeClassifier" in str(info.value.__cause__)


@pytest.mark.parametrize(
    "method", ["predict", "predict_proba", "predict_log_proba", "decision_function"]
)
def test_metadata_without_routing_is_rejected(method):
    clf = SelfTrainingClassifier(LogisticRegression())
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        clf.fit(X_TRAIN, Y_MISSING, prop="a")
    clf.fit(X_TRAIN, Y_MISSING)
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        getattr(clf, method)(X_TEST, prop="a")


@pytest.mark.parametrize(
    "method", ["predict", "predict_proba", "predict_log_proba", "decision_function"]
)
def test_metadata_is_rejected_before_the_fitted_model_is_read(method):
    # scikit-learn's own test: an estimator that only looks fitted still
    # refuses unrouted metadata, before it reads ``estimator_``.
    clf = SelfTrainingClassifier(LogisticRegression())
    clf.fitted_params_ = True
    with pytest.raises(ValueError, match="enable_metadata_routing=True"):
        getattr(clf, method)([[1.0, 2.0]], sample_weight=[1], prop="a")


# --- sklweak's additions -------------------------------------------------------


def test_default_estimator_is_logistic_regression():
    clf = SelfTrainingClassifier().fit(X_TRAIN, Y_MISSING)
    assert isinstance(clf.estimator_, LogisticRegression)
    assert clf.score(X_TEST, Y_TEST) > 0.8


def test_custom_integer_sentinel():
    y = np.where(Y_MISSING == -1, 99, Y_MISSING)
    a = SelfTrainingClassifier(LogisticRegression(), unlabeled_label=99).fit(X_TRAIN, y)
    b = SelfTrainingClassifier(LogisticRegression()).fit(X_TRAIN, Y_MISSING)
    assert_array_equal(a.predict(X_TEST), b.predict(X_TEST))
    assert 99 not in set(a.classes_)


def test_sample_weight_is_sliced_with_the_samples():
    weights = np.linspace(0.5, 2.0, X_TRAIN.shape[0])
    clf = SelfTrainingClassifier(RecordingClassifier(), max_iter=2)
    clf.fit(X_TRAIN, Y_MISSING, sample_weight=weights)
    rows = np.flatnonzero(clf.transduction_ != -1)
    assert_array_equal(clf.estimator_.seen_weights_, weights[rows])
    ones = SelfTrainingClassifier(LogisticRegression()).fit(
        X_TRAIN, Y_MISSING, sample_weight=np.ones(X_TRAIN.shape[0])
    )
    plain = SelfTrainingClassifier(LogisticRegression()).fit(X_TRAIN, Y_MISSING)
    assert_array_equal(ones.transduction_, plain.transduction_)


def test_bad_sample_weight_is_rejected():
    with pytest.raises(ValueError, match="sample_weight"):
        SelfTrainingClassifier().fit(X_TRAIN, Y_MISSING, sample_weight=np.ones(3))


def test_confidence_weighting_passes_confidences():
    clf = SelfTrainingClassifier(
        RecordingClassifier(), criterion="threshold", confidence_weighting=True
    )
    clf.fit(X_TRAIN, Y_MISSING)
    rows = np.flatnonzero(clf.transduction_ != -1)
    weights = clf.estimator_.seen_weights_
    assert weights.shape == rows.shape
    given = Y_MISSING[rows] != -1
    assert np.all(weights[given] == 1.0)
    assert np.all((weights[~given] > 0.75) & (weights[~given] <= 1.0))


def test_confidence_weighting_warns_without_sample_weight():
    with pytest.warns(UserWarning, match="no effect"):
        SelfTrainingClassifier(KNeighborsClassifier(), confidence_weighting=True).fit(
            X_TRAIN, Y_MISSING
        )


def test_adaptive_thresholds_are_class_wise():
    X, y, y_weak = _masked(load_digits, 0.9, seed=0)
    clf = SelfTrainingClassifier(LogisticRegression(), criterion="adaptive", threshold=0.9)
    clf.fit(X, y_weak)
    first = clf.history_[0]["thresholds"]
    assert first.shape == (10,)
    assert first.max() == pytest.approx(0.9)
    assert np.all(first >= 0.5 * (0.9 + 0.1) - 1e-12)
    assert first.min() < 0.9
    plain = SelfTrainingClassifier(LogisticRegression(), threshold=0.9).fit(X, y_weak)
    assert np.sum(clf.labeled_iter_ > 0) >= np.sum(plain.labeled_iter_ > 0)


def test_class_balanced_follows_the_prior():
    X, y = make_blobs(n_samples=[300, 300], centers=[[0, 0], [1.5, 0]], random_state=0)
    X = np.vstack([X, np.random.RandomState(1).normal([-3, 0], 0.3, size=(200, 2))])
    y = np.concatenate([y, np.zeros(200, dtype=int)])
    y_weak = np.full(y.shape[0], -1)
    rng = np.random.RandomState(0)
    for c in (0, 1):
        y_weak[rng.choice(np.flatnonzero(y == c), 10, replace=False)] = c
    clf = SelfTrainingClassifier(LogisticRegression(), class_balanced=True, max_iter=1)
    clf.fit(X, y_weak)
    added = clf.transduction_[clf.labeled_iter_ == 1]
    counts = np.bincount(added, minlength=2)
    assert counts.min() > 0
    assert abs(counts[0] - counts[1]) <= 1
    plain = SelfTrainingClassifier(LogisticRegression(), class_balanced=False, max_iter=1)
    plain.fit(X, y_weak)
    plain_counts = np.bincount(plain.transduction_[plain.labeled_iter_ == 1], minlength=2)
    assert plain_counts.max() > counts.max()


@pytest.mark.parametrize(
    "criterion, balanced", [("adaptive", True), ("threshold", False), ("k_best", False)]
)
def test_class_balanced_auto_balances_with_the_adaptive_criterion_only(criterion, balanced):
    X, _, y_weak = _masked(load_digits, 0.9, seed=0)
    params = {"criterion": criterion, "max_iter": 3}
    auto = SelfTrainingClassifier(LogisticRegression(), **params).fit(X, y_weak)
    explicit = SelfTrainingClassifier(LogisticRegression(), class_balanced=balanced, **params).fit(
        X, y_weak
    )
    other = SelfTrainingClassifier(LogisticRegression(), class_balanced=not balanced, **params).fit(
        X, y_weak
    )
    assert_array_equal(auto.transduction_, explicit.transduction_)
    assert not np.array_equal(auto.transduction_, other.transduction_)


def test_class_balanced_k_best_keeps_the_budget():
    clf = SelfTrainingClassifier(
        LogisticRegression(), criterion="k_best", k_best=12, class_balanced=True, max_iter=1
    ).fit(X_TRAIN, Y_MISSING)
    added = clf.transduction_[clf.labeled_iter_ == 1]
    assert added.shape[0] <= 12
    assert np.bincount(added.astype(int), minlength=3).min() >= 3


def test_relabel_revisits_pseudo_labels_and_stops_without_change():
    X, y, y_weak = _masked(load_breast_cancer, 0.95, seed=2)
    clf = SelfTrainingClassifier(
        LogisticRegression(), threshold=0.6, relabel=True, max_iter=None
    ).fit(X, y_weak)
    assert clf.termination_condition_ in ("no_change", "all_labeled")
    assert all("n_changed" in h for h in clf.history_)
    if clf.termination_condition_ == "no_change":
        assert clf.history_[-1]["n_added"] == 0 and clf.history_[-1]["n_changed"] == 0
    given = y_weak != -1
    assert_array_equal(clf.transduction_[given], y_weak[given])
    plain = SelfTrainingClassifier(LogisticRegression(), threshold=0.6).fit(X, y_weak)
    assert all(h["n_changed"] == 0 for h in plain.history_)


def test_history_counts_add_up():
    clf = SelfTrainingClassifier(LogisticRegression(), max_iter=5).fit(X_TRAIN, Y_MISSING)
    assert len(clf.history_) == clf.n_iter_
    for h in clf.history_:
        assert h["n_added"] == np.sum(clf.labeled_iter_ == h["iteration"])
    assert clf.history_[-1]["n_labeled"] == np.sum(clf.labeled_iter_ >= 0)


def test_nan_and_sparse_pass_through_to_the_estimator():
    X = X_TRAIN.copy()
    X[::7, 1] = np.nan
    clf = SelfTrainingClassifier(HistGradientBoostingClassifier(max_iter=10))
    clf.fit(X, Y_MISSING)
    assert clf.predict(X).shape == (X.shape[0],)
    assert get_tags(clf).input_tags.allow_nan
    assert not get_tags(SelfTrainingClassifier(SVC())).input_tags.allow_nan
    for fmt in ("csr", "csc", "lil"):
        Xs = sp.random(120, 8, density=0.4, format=fmt, random_state=0)
        ys = np.where(np.arange(120) % 3 == 0, np.arange(120) % 2, -1)
        SelfTrainingClassifier(LogisticRegression()).fit(Xs, ys).predict(Xs)
    with pytest.raises(ValueError, match="NaN"):
        SelfTrainingClassifier(LogisticRegression()).fit(X, Y_MISSING)


def test_inputs_are_not_modified():
    X = X_TRAIN.copy()
    y = Y_MISSING.copy()
    w = np.ones(X.shape[0])
    SelfTrainingClassifier(LogisticRegression(), relabel=True, criterion="adaptive").fit(
        X, y, sample_weight=w
    )
    assert_array_equal(X, X_TRAIN)
    assert_array_equal(y, Y_MISSING)
    assert_array_equal(w, np.ones(X.shape[0]))


@pytest.mark.parametrize(
    "y, message",
    [
        (np.full(X_TRAIN.shape[0], -1), "no labeled sample"),
        (np.where(Y_MISSING == -1, -1, 0), "one class only"),
    ],
)
def test_bad_targets_raise_clear_errors(y, message):
    with pytest.raises(ValueError, match=message):
        SelfTrainingClassifier().fit(X_TRAIN, y)


def test_bad_parameters_and_feature_count():
    with pytest.raises(ValueError, match="criterion"):
        SelfTrainingClassifier(criterion="best").fit(X_TRAIN, Y_MISSING)
    with pytest.raises(ValueError, match="threshold"):
        SelfTrainingClassifier(threshold=1.0).fit(X_TRAIN, Y_MISSING)
    clf = SelfTrainingClassifier().fit(X_TRAIN, Y_MISSING)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X_TEST[:, :2])


@settings(max_examples=50, deadline=None)
@given(
    threshold=st.floats(0.0, 0.99),
    effect=st.lists(st.integers(0, 1000), min_size=2, max_size=12),
)
def test_flexible_thresholds_properties(threshold, effect):
    effect = np.array(effect, dtype=float)
    thresholds = flexible_thresholds(threshold, effect)
    assert thresholds.shape == effect.shape
    assert np.all(np.isfinite(thresholds))
    assert np.all(thresholds <= threshold + 1e-12)
    assert np.all(thresholds >= min(threshold, 0.5 * (threshold + 1 / effect.size)) - 1e-12)
    order = np.argsort(effect, kind="stable")
    assert np.all(np.diff(thresholds[order]) >= -1e-12)
    if effect.max() > 0:
        assert thresholds[np.argmax(effect)] == pytest.approx(threshold)


def test_score_ignores_unlabeled_rows():
    clf = SelfTrainingClassifier(LogisticRegression()).fit(X_TRAIN, Y_MISSING)
    labeled = Y_MISSING != -1
    assert clf.score(X_TRAIN, Y_MISSING) == clf.estimator_.score(
        X_TRAIN[labeled], Y_MISSING[labeled]
    )
    assert clf.score(X_TEST, Y_TEST) == clf.estimator_.score(X_TEST, Y_TEST)


@pytest.mark.parametrize(
    "estimator, message",
    [
        (LinearSVC(), "has no attribute 'predict_proba'"),
        (LinearRegression(), "is a regressor"),
    ],
)
def test_estimator_without_predict_proba_or_regressor_rejected(estimator, message):
    y = Y_MISSING.copy()
    for cls in (SelfTrainingClassifier, CoTrainingClassifier):
        with pytest.raises(ValueError, match=message) as info:
            cls(estimator).fit(X_TRAIN, y)
        # scikit-learn's own tests expect an AttributeError here.
        assert isinstance(info.value, AttributeError)
        assert "'estimator' parameter" in str(info.value)
    with pytest.raises(ValueError, match="is a regressor"):
        TriTrainingClassifier(LinearRegression()).fit(X_TRAIN, y)
    # Tri-training votes with predict only: LinearSVC is a valid base.
    TriTrainingClassifier(LinearSVC(), random_state=0).fit(X_TRAIN, y)


def test_cross_fitted_confidences_never_grade_memorized_rows():
    # A 1-nearest-neighbour model grades each of its training rows with
    # probability 1 for its own label; out of fold it gets its neighbour's.
    X, y = make_blobs(n_samples=60, centers=2, cluster_std=4.0, random_state=0)
    rows = np.arange(40)
    classes, oof, other = cross_fitted_proba(
        KNeighborsClassifier(n_neighbors=1), X, rows, y, np.arange(40, 60), 4, {}
    )
    assert_array_equal(classes, [0, 1])
    assert oof.shape == (40, 2) and other.shape == (20, 2)
    assert np.any(classes[oof.argmax(axis=1)] != y[rows])
    assert_allclose(other.sum(axis=1), 1.0)


def test_confidence_cv_records_the_labeled_score_and_changes_the_selection():
    X, _, y_weak = _masked(load_breast_cancer, 0.9, seed=0)
    forest = RandomForestClassifier(n_estimators=20, random_state=0)
    plain = SelfTrainingClassifier(forest, relabel=True, max_iter=3).fit(X, y_weak)
    crossed = SelfTrainingClassifier(forest, relabel=True, max_iter=3, confidence_cv=3).fit(
        X, y_weak
    )
    assert plain.history_[0]["labeled_score"] is None
    assert 0.5 < crossed.history_[0]["labeled_score"] <= 1.0
    assert [h["n_added"] for h in crossed.history_] != [h["n_added"] for h in plain.history_]


def test_threshold_criterion_keeps_scikit_learn_behaviour_with_new_options_off():
    X, _, y_weak = _masked(load_breast_cancer, 0.9, seed=1)
    ours = SelfTrainingClassifier(LogisticRegression(), criterion="threshold").fit(X, y_weak)
    theirs = SklearnSelfTraining(LogisticRegression()).fit(X, y_weak)
    assert_array_equal(ours.transduction_, theirs.transduction_)
    assert all(entry["n_edited"] == 0 for entry in ours.history_)


def test_early_stopping_withdraws_the_round_that_lowered_the_labeled_score():
    X, _, y_weak = _masked(load_digits, 0.95, seed=0)
    clf = SelfTrainingClassifier(
        LogisticRegression(),
        criterion="k_best",
        k_best=50,
        early_stopping=True,
        max_iter=None,
    ).fit(X, y_weak)
    assert clf.termination_condition_ == "no_improvement"
    scores = [entry["labeled_score"] for entry in clf.history_]
    assert scores == sorted(scores)
    # The round whose pseudo-labels lowered the score left none behind.
    assert clf.labeled_iter_.max() == clf.n_iter_ - 2
    assert len(clf.history_) == clf.n_iter_ - 1
    kept = clf.transduction_ != -1
    assert np.sum(kept) == np.sum(y_weak != -1) + 50 * (clf.n_iter_ - 2)


def test_editing_removes_pseudo_labels_that_disagree_with_their_neighbours():
    # Eight wrong given labels: a 1-nearest-neighbour base copies each to its
    # neighbours, whose own neighbourhoods disagree; SETRED's test drops them.
    X, y = make_blobs(n_samples=400, centers=[[0, 0], [5, 0]], random_state=0)
    rng = np.random.RandomState(0)
    y_weak = np.full(400, -1)
    given = rng.choice(400, 60, replace=False)
    y_weak[given] = y[given]
    y_weak[given[:8]] = 1 - y[given[:8]]
    base = KNeighborsClassifier(n_neighbors=1)
    options = {"criterion": "k_best", "k_best": 100, "max_iter": 1}
    plain = SelfTrainingClassifier(base, **options).fit(X, y_weak)
    edited = SelfTrainingClassifier(base, editing_alpha=0.05, **options).fit(X, y_weak)
    assert edited.history_[0]["n_edited"] > 0
    assert edited.history_[0]["n_added"] + edited.history_[0]["n_edited"] == 100
    new, old = edited.labeled_iter_ == 1, plain.labeled_iter_ == 1
    assert np.mean(edited.transduction_[new] == y[new]) > np.mean(
        plain.transduction_[old] == y[old]
    )


@pytest.mark.parametrize(
    "make_estimator",
    [
        lambda: SelfTrainingClassifier(LogisticRegression()),
        lambda: TriTrainingClassifier(LogisticRegression(), random_state=0),
        lambda: CoTrainingClassifier(LogisticRegression(), random_state=0),
    ],
    ids=["self", "tri", "co"],
)
def test_score_reads_missing_values_as_unlabeled(make_estimator):
    pd = pytest.importorskip("pandas")
    X, y = load_iris(return_X_y=True)
    y_table = pd.Series(y).where(np.arange(y.shape[0]) % 3 == 0)
    model = make_estimator().fit(X, y_table)
    labeled = y_table.notna().to_numpy()
    expected = np.mean(model.predict(X[labeled]) == y[labeled])
    assert model.score(X, y_table) == pytest.approx(expected)


@pytest.mark.parametrize("n_rows", [1, 4])
def test_one_labeled_class_refused_by_the_base_is_a_clear_error(n_rows):
    X = np.random.RandomState(0).rand(n_rows, 3)
    y = np.full(n_rows, -1)
    y[0] = 1
    with pytest.raises(ValueError, match=r"one class only \(1\), and LogisticRegression") as info:
        SelfTrainingClassifier(LogisticRegression()).fit(X, y)
    assert "at least 2 classes" in str(info.value.__cause__)
    SelfTrainingClassifier(KNeighborsClassifier(n_neighbors=1)).fit(X, y)
