"""WeakSupervisionClassifier: soft labels, uncovered rows, Pipeline and GridSearchCV."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklweak.labeling import LabelModel, WeakSupervisionClassifier


@pytest.fixture(scope="module")
def data():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    L = np.column_stack(
        [
            np.where(X_train[:, 22] > 120, 0, -1),
            np.where(X_train[:, 27] > 0.16, 0, -1),
            np.where(X_train[:, 27] < 0.1, 1, -1),
            np.where(X_train[:, 23] < 600, 1, -1),
            np.where(X_train[:, 1] > 25, 0, -1),
        ]
    )
    return X_train, L, y_train, X_test, y_test


def _model():
    return make_pipeline(StandardScaler(), LogisticRegression())


def test_learns_from_votes_and_labels_uncovered_rows(data):
    X, L, y, X_test, y_test = data
    clf = WeakSupervisionClassifier(_model()).fit(X, L)
    assert np.mean(clf.predict(X_test) == y_test) > 0.9
    covered = np.any(L >= 0, axis=1)
    assert clf.coverage_ == pytest.approx(covered.mean())
    assert np.mean(clf.predict(X[~covered]) == y[~covered]) > 0.8
    proba = clf.predict_proba(X_test)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1)


def test_soft_copies_are_weighted(data, monkeypatch):
    X, L, _, _, _ = data
    seen = {}
    original = LogisticRegression.fit

    def spy(self, X, y, sample_weight=None):
        seen["n_rows"], seen["weights"] = X.shape[0], sample_weight
        return original(self, X, y, sample_weight=sample_weight)

    monkeypatch.setattr(LogisticRegression, "fit", spy)
    WeakSupervisionClassifier(_model(), soft_labels="copies", min_share=0.01).fit(X, L)
    assert seen["weights"] is not None and seen["n_rows"] > np.any(L >= 0, axis=1).sum()
    WeakSupervisionClassifier(_model(), soft_labels="confidence").fit(X, L)
    assert seen["n_rows"] == np.any(L >= 0, axis=1).sum() and seen["weights"].max() <= 1


def test_copies_without_any_row_at_min_share_names_min_share(data):
    X, L, _, _, _ = data
    clf = WeakSupervisionClassifier(_model(), soft_labels="copies", min_share=1.0)
    with pytest.raises(ValueError, match="min_share=1.0"):
        clf.fit(X, L)


def test_estimator_without_weights_gets_hard_labels(data):
    X, L, _, X_test, y_test = data
    clf = WeakSupervisionClassifier(make_pipeline(StandardScaler(), KNeighborsClassifier()))
    assert np.mean(clf.fit(X, L).predict(X_test) == y_test) > 0.85


def test_self_training_on_uncovered_rows(data):
    X, L, _, _, _ = data
    clf = WeakSupervisionClassifier(_model(), uncovered="self_train", threshold=0.8).fit(X, L)
    uncovered = int(np.sum(~np.any(L >= 0, axis=1)))
    assert 0 < clf.n_self_labeled_ <= uncovered
    assert WeakSupervisionClassifier(_model()).fit(X, L).n_self_labeled_ == 0


def test_ordinary_labels_train_the_estimator_itself(data):
    X, _, y, X_test, _ = data
    names = np.array(["benign", "malignant"])[y]
    clf = WeakSupervisionClassifier(_model()).fit(X, names)
    base = _model().fit(X, names)
    np.testing.assert_array_equal(clf.predict(X_test), base.predict(X_test))
    assert clf.label_model_ is None


def test_grid_search_on_votes_alone(data):
    X, L, _, X_test, y_test = data
    search = GridSearchCV(
        WeakSupervisionClassifier(_model()),
        {"label_model": [LabelModel(), LabelModel(method="majority_vote")]},
        cv=KFold(3, shuffle=True, random_state=0),
        error_score="raise",
    ).fit(X, L)
    assert 0.5 < search.best_score_ <= 1
    assert np.mean(search.predict(X_test) == y_test) > 0.9


def test_score_counts_agreeing_votes(data):
    X, L, y, _, _ = data
    clf = WeakSupervisionClassifier(_model()).fit(X, L)
    predicted = clf.predict(X)
    voted = L >= 0
    expected = np.sum((predicted[:, None] == L) & voted) / voted.sum()
    assert clf.score(X, L) == pytest.approx(expected)
    assert clf.score(X, y) == pytest.approx(np.mean(predicted == y))


def test_bad_votes(data):
    X, L, _, _, _ = data
    with pytest.raises(ValueError, match="no vote"):
        WeakSupervisionClassifier(_model()).fit(X, np.full(L.shape, -1))
    with pytest.raises(ValueError, match="vote -3"):
        WeakSupervisionClassifier(_model()).fit(X, np.where(L == 1, -3, L))
    with pytest.raises(ValueError, match="same class"):
        WeakSupervisionClassifier(_model(), label_model=LabelModel(n_classes=2)).fit(
            X, np.where(L == 1, -1, L)
        )


def _with_true_labels(L, y, n_known, seed=1):
    """L with a last column holding n_known true labels (-1 elsewhere)."""
    known = np.random.RandomState(seed).choice(y.shape[0], n_known, replace=False)
    column = np.full(y.shape[0], -1)
    column[known] = y[known]
    return np.column_stack([L, column]), known


def test_true_labels_column_calibrates_and_scores(data, monkeypatch):
    X, L, y, X_test, y_test = data
    L_true, known = _with_true_labels(L, y, 40)
    seen = {}
    original = LabelModel.fit

    def spy(self, X, y=None):
        seen["shape"], seen["y"] = X.shape, y
        return original(self, X, y)

    monkeypatch.setattr(LabelModel, "fit", spy)
    clf = WeakSupervisionClassifier(_model(), true_labels_column=-1, use_votes="always")
    clf.fit(X, L_true)
    assert seen["shape"] == L.shape and np.sum(seen["y"] >= 0) == 40
    assert clf.n_true_labels_ == 40 and np.mean(clf.predict(X_test) == y_test) > 0.9
    predicted = clf.predict(X[known])
    assert clf.score(X, L_true) == pytest.approx(np.mean(predicted == y[known]))
    assert clf.score(X, L_true) != pytest.approx(
        WeakSupervisionClassifier(_model()).fit(X, L).score(X, L)
    )


def test_true_labels_cover_rows_no_function_votes_on(data):
    X, L, y, _, _ = data
    uncovered = np.flatnonzero(~np.any(L >= 0, axis=1))
    column = np.full(y.shape[0], -1)
    column[uncovered] = y[uncovered]
    clf = WeakSupervisionClassifier(_model(), true_labels_column=0).fit(
        X, np.column_stack([column, L])
    )
    assert clf.coverage_ == 1.0 and clf.n_true_labels_ == uncovered.shape[0]


def test_grid_search_selects_on_true_labels(data):
    X, L, y, _, _ = data
    L_true, _ = _with_true_labels(L, y, 90)
    search = GridSearchCV(
        WeakSupervisionClassifier(_model(), true_labels_column=-1),
        {"label_model": [LabelModel(), LabelModel(method="majority_vote")]},
        cv=KFold(3, shuffle=True, random_state=0),
        error_score="raise",
    ).fit(X, L_true)
    assert search.best_estimator_.n_true_labels_ == 90
    assert 0.8 < search.best_score_ <= 1


def test_bad_true_labels_column(data):
    X, L, y, _, _ = data
    L_true, _ = _with_true_labels(L, y, 20)
    with pytest.raises(ValueError, match="true_labels_column=7"):
        WeakSupervisionClassifier(_model(), true_labels_column=7).fit(X, L_true)
    with pytest.raises(ValueError, match=r"outside 0 \.\. 1"):
        WeakSupervisionClassifier(_model(), true_labels_column=-1).fit(
            X, np.column_stack([L, np.where(L_true[:, -1] == 1, 2, L_true[:, -1])])
        )
    clf = WeakSupervisionClassifier(_model(), true_labels_column=-1).fit(X, L_true)
    with pytest.raises(ValueError, match="No row here has a true label"):
        clf.score(X, np.column_stack([L, np.full(y.shape[0], -1)]))


def test_votes_kept_only_when_they_beat_the_true_labels_alone(data):
    X, L, y, X_test, y_test = data
    L_true, known = _with_true_labels(L, y, 60)
    clf = WeakSupervisionClassifier(_model(), true_labels_column=-1).fit(X, L_true)
    assert set(clf.cv_scores_) == {"votes", "true_labels"}
    assert clf.votes_used_ == (clf.cv_scores_["votes"] > clf.cv_scores_["true_labels"])
    # Votes that contradict the true labels lose to the true labels alone.
    flipped = np.column_stack([np.where(L >= 0, 1 - L, -1), L_true[:, -1]])
    clf = WeakSupervisionClassifier(_model(), true_labels_column=-1).fit(X, flipped)
    assert not clf.votes_used_ and clf.cv_scores_["true_labels"] > 0.85
    alone = _model().fit(X[known], y[known])
    assert_array_equal(clf.predict(X_test), alone.predict(X_test))
    always = WeakSupervisionClassifier(_model(), true_labels_column=-1, use_votes="always")
    assert always.fit(X, flipped).votes_used_ and always.cv_scores_ is None


@pytest.mark.parametrize(
    "params",
    [{}, {"soft_labels": "copies"}, {"uncovered": "self_train", "threshold": 0.8}],
)
def test_integer_weights_equal_repeated_rows(data, params):
    X, L, _, X_test, _ = data
    X, X_test = (StandardScaler().fit(X).transform(Z) for Z in (X, X_test))
    weights = np.random.RandomState(0).randint(0, 4, size=X.shape[0])
    end_model = LogisticRegression(tol=1e-10, max_iter=10_000)
    weighted = WeakSupervisionClassifier(end_model, **params).fit(X, L, sample_weight=weights)
    repeated = WeakSupervisionClassifier(end_model, **params).fit(
        np.repeat(X, weights, axis=0), np.repeat(L, weights, axis=0)
    )
    np.testing.assert_allclose(
        weighted.predict_proba(X_test), repeated.predict_proba(X_test), atol=1e-6
    )
    assert weighted.coverage_ == pytest.approx(repeated.coverage_)


def test_sample_weight_needs_models_that_take_it(data):
    X, L, y, _, _ = data
    weights = np.ones(X.shape[0])
    with pytest.raises(TypeError, match="estimator whose fit takes sample_weight"):
        WeakSupervisionClassifier(KNeighborsClassifier()).fit(X, L, sample_weight=weights)
    with pytest.raises(TypeError, match="estimator whose fit takes sample_weight"):
        WeakSupervisionClassifier(KNeighborsClassifier()).fit(X, y, sample_weight=weights)
    with pytest.raises(TypeError, match="label_model whose fit takes sample_weight"):
        WeakSupervisionClassifier(_model(), label_model=_NoWeightLabelModel()).fit(
            X, L, sample_weight=weights
        )


class _NoWeightLabelModel(LabelModel):
    """A label model whose fit takes no sample_weight."""

    def fit(self, X, y=None):
        return super().fit(X, y)
