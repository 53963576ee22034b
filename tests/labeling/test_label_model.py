"""LabelModel: every method, class balance, few labels, negatives, bad input."""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sklweak.labeling import LabelModel
from sklweak.labeling._label_model import METHODS

ACCURACIES = np.array([0.9, 0.8, 0.75, 0.7, 0.65, 0.6])


def _votes(n_samples=800, n_classes=3, seed=0, abstain=0.4):
    rng = np.random.RandomState(seed)
    y = rng.randint(n_classes, size=n_samples)
    right = rng.rand(n_samples, ACCURACIES.shape[0]) < ACCURACIES
    wrong = (y[:, None] + rng.randint(1, n_classes, size=right.shape)) % n_classes
    L = np.where(right, y[:, None], wrong)
    L[rng.rand(*L.shape) < abstain] = -1
    return L, y


@pytest.mark.parametrize("method", METHODS)
def test_every_method_beats_the_average_function(method):
    L, y = _votes()
    covered = np.any(L >= 0, axis=1)
    model = LabelModel(method=method).fit(L)
    accuracy = np.mean(model.predict(L)[covered] == y[covered])
    assert accuracy > ACCURACIES.mean() + 0.1
    proba = model.predict_proba(L)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1)


@pytest.mark.parametrize("method", ["anchored_dawid_skene", "dawid_skene", "triplet"])
def test_accuracies_are_recovered(method):
    L, _ = _votes(n_samples=3000, abstain=0.3)
    model = LabelModel(method=method).fit(L)
    assert np.corrcoef(model.accuracy_, ACCURACIES)[0, 1] > 0.9


def test_unipolar_functions_beat_majority_vote():
    """Functions that each vote one class, more functions for class 1: the
    majority vote leans to class 1, Dawid-Skene reads the abstentions."""
    rng = np.random.RandomState(0)
    y = (rng.rand(2000) < 0.5).astype(int)
    columns = []
    for k, n_functions, fire_right, fire_wrong in [(0, 2, 0.7, 0.1), (1, 6, 0.5, 0.3)]:
        for _ in range(n_functions):
            fires = rng.rand(y.shape[0]) < np.where(y == k, fire_right, fire_wrong)
            columns.append(np.where(fires, k, -1))
    L = np.column_stack(columns)
    covered = np.any(L >= 0, axis=1)
    majority = LabelModel(method="majority_vote").fit(L).predict(L)
    model = LabelModel(method="dawid_skene").fit(L).predict(L)
    assert np.mean(model[covered] == y[covered]) > np.mean(majority[covered] == y[covered]) + 0.03


def test_rows_without_vote_get_the_prior_and_abstain():
    L, _ = _votes()
    L[:5] = -1
    for method in ("majority_vote", "weighted_vote"):
        model = LabelModel(method=method).fit(L)
        np.testing.assert_allclose(model.predict_proba(L[:5]), np.tile(model.class_prior_, (5, 1)))
    model = LabelModel(abstain_label=-1).fit(L)
    assert np.all(model.predict(L[:5]) == -1)
    moved = np.where(L == -1, 7, L)
    assert np.all(LabelModel(abstain_label=7).fit(moved).predict(moved[:5]) == 7)


def test_given_class_prior_is_used_and_checked():
    L, _ = _votes()
    model = LabelModel(class_prior=[2, 1, 1]).fit(L)
    np.testing.assert_allclose(model.class_prior_, [0.5, 0.25, 0.25])
    with pytest.raises(ValueError, match="class_prior"):
        LabelModel(class_prior=[0.5, 0.5]).fit(L)


def test_few_true_labels_calibrate_the_weighted_vote():
    """Three functions that agree and are wrong 60% of the time, one right 85%:
    agreement trusts the three, a few labels reveal them."""
    rng = np.random.RandomState(1)
    y = rng.randint(2, size=1000)
    shared_error = rng.rand(1000) < 0.6
    bad = np.where(shared_error, 1 - y, y)
    good = np.where(rng.rand(1000) < 0.85, y, 1 - y)
    L = np.column_stack([bad, bad, bad, good])
    few = np.full(1000, -1)
    few[:100] = y[:100]
    unsupervised = LabelModel(method="weighted_vote", copy_threshold=None).fit(L).predict(L)
    calibrated = LabelModel(method="weighted_vote", copy_threshold=None).fit(L, few).predict(L)
    assert np.mean(calibrated == y) > np.mean(unsupervised == y) + 0.2


def test_labeled_rows_keep_their_label_in_em():
    L, y = _votes()
    few = np.full(y.shape[0], -1)
    few[:50] = y[:50]
    model = LabelModel(method="dawid_skene").fit(L, few)
    plain = LabelModel(method="dawid_skene").fit(L)
    assert not np.allclose(model.log_conditional_, plain.log_conditional_)
    with pytest.raises(ValueError, match="y holds values"):
        LabelModel().fit(L, np.full(y.shape[0], 5))
    with pytest.raises(ValueError, match="1-D"):
        LabelModel().fit(L, y[:10])


def test_near_copies_count_once():
    L, y = _votes(n_classes=2)
    copies = np.column_stack([L, np.repeat(L[:, [5]], 4, axis=1)])
    model = LabelModel().fit(copies)
    np.testing.assert_allclose(model.function_weights_[5:], 0.2)
    np.testing.assert_allclose(model.function_weights_[:5], 1.0)
    without = LabelModel(copy_threshold=None).fit(copies)
    covered = np.any(L >= 0, axis=1)
    accuracy = np.mean(model.predict(copies)[covered] == y[covered])
    assert accuracy > np.mean(without.predict(copies)[covered] == y[covered])


def test_identical_functions_give_their_vote():
    rng = np.random.RandomState(0)
    column = rng.randint(-1, 2, size=300)
    L = np.repeat(column[:, None], 4, axis=1)
    for method in METHODS:
        predicted = LabelModel(method=method).fit(L).predict(L)
        np.testing.assert_array_equal(predicted, column, err_msg=method)


def test_function_that_never_votes_changes_nothing():
    L, _ = _votes()
    silent = np.column_stack([L, np.full(L.shape[0], -1)])
    model = LabelModel().fit(silent)
    assert np.isnan(model.accuracy_[-1])
    np.testing.assert_array_equal(model.predict(silent), LabelModel().fit(L).predict(L))


def test_negative_columns():
    rng = np.random.RandomState(0)
    y = rng.randint(3, size=900)
    positive = np.where(rng.rand(900) < 0.7, y, (y + 1) % 3)
    excluded = (y + rng.randint(1, 3, size=900)) % 3  # always a wrong class
    L = np.column_stack([positive, excluded])
    negative = np.array([False, True])
    model = LabelModel(method="dawid_skene", negative=negative).fit(L)
    assert np.mean(model.predict(L) == y) > np.mean(positive == y) + 0.05
    anchored = LabelModel(negative=negative).fit(L)
    assert np.mean(anchored.predict(L) == y) >= np.mean(positive == y)
    assert anchored.accuracy_[1] > anchored.accuracy_[0]  # "not k" is right when y is not k
    two_nots = np.array([[0, 1], [1, 2], [2, 0], [0, 0]])
    majority = LabelModel(method="majority_vote", negative=np.array([True, True]), n_classes=3)
    assert majority.fit(two_nots).predict(two_nots)[:3].tolist() == [2, 0, 1]
    with pytest.raises(ValueError, match="does not model"):
        LabelModel(method="triplet", negative=negative).fit(L)
    with pytest.raises(ValueError, match="negative must be"):
        LabelModel(negative=[True]).fit(L)


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([[0, 1], [-2, 1]]), "vote -2"),
        (np.array([[0.5, 1.0], [0.0, 1.0]]), "integer"),
        (np.array([[np.nan, 1.0], [0.0, 1.0]]), "NaN"),
        (np.full((3, 2), -1), "votes for 0 class"),
        (np.zeros((3, 2), dtype=int), "votes for 1 class"),
        (np.array([["a", "b"]]), "integer"),
    ],
)
def test_bad_votes_are_rejected(bad, match):
    with pytest.raises(ValueError, match=match):
        LabelModel().fit(bad)


def test_votes_beyond_the_fitted_classes_are_rejected_at_predict():
    L, _ = _votes(n_classes=2)
    model = LabelModel().fit(L)
    with pytest.raises(ValueError, match="vote 2"):
        model.predict(np.array([[2, -1, -1, -1, -1, -1]]))
    with pytest.raises(ValueError, match="features"):
        model.predict(L[:, :3])
    assert LabelModel(n_classes=4).fit(L).predict_proba(L).shape == (L.shape[0], 4)


def test_deterministic_pickles_and_leaves_input_alone():
    import pickle

    L, _ = _votes()
    copy = L.copy()
    for method in METHODS:
        first = LabelModel(method=method).fit(L)
        second = LabelModel(method=method).fit(L)
        np.testing.assert_array_equal(first.predict_proba(L), second.predict_proba(L))
        restored = pickle.loads(pickle.dumps(first))
        np.testing.assert_array_equal(restored.predict_proba(L), first.predict_proba(L))
    np.testing.assert_array_equal(L, copy)


def test_em_warns_at_max_iter():
    L, _ = _votes()
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        LabelModel(method="dawid_skene", max_iter=2, tol=0).fit(L)


def test_dataframe_names_are_kept():
    pd = pytest.importorskip("pandas")
    L, _ = _votes()
    frame = pd.DataFrame(L, columns=[f"rule_{j}" for j in range(L.shape[1])])
    model = LabelModel().fit(frame)
    assert list(model.feature_names_in_) == list(frame.columns)
    np.testing.assert_array_equal(model.predict(frame), LabelModel().fit(L).predict(L))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("with_labels", [False, True])
def test_integer_weights_equal_repeated_rows(method, with_labels):
    L, y = _votes(n_samples=300, seed=1)
    rng = np.random.RandomState(0)
    weights = rng.randint(0, 4, size=L.shape[0])  # zeros leave rows out
    labels = np.where(rng.rand(L.shape[0]) < 0.1, y, -1) if with_labels else None
    weighted = LabelModel(method=method).fit(L, labels, sample_weight=weights.tolist())
    repeated = LabelModel(method=method).fit(
        np.repeat(L, weights, axis=0), None if labels is None else np.repeat(labels, weights)
    )
    np.testing.assert_allclose(weighted.predict_proba(L), repeated.predict_proba(L), atol=1e-10)
    np.testing.assert_allclose(weighted.class_prior_, repeated.class_prior_, atol=1e-10)
    np.testing.assert_allclose(weighted.accuracy_, repeated.accuracy_, atol=1e-10)
    np.testing.assert_array_equal(weighted.function_weights_, repeated.function_weights_)
    assert weighted.n_iter_ == repeated.n_iter_


@pytest.mark.parametrize(
    "weights, match",
    [
        (-np.ones(800), "[Nn]egative"),
        (np.zeros(800), "non-zero|zero on every row"),  # scikit-learn's message from 1.7
        (np.ones(5), "inconsistent|shape"),
    ],
)
def test_bad_sample_weight_is_rejected(weights, match):
    L, _ = _votes()
    with pytest.raises(ValueError, match=match):
        LabelModel().fit(L, sample_weight=weights)
