import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, cross_val_score

from sklweak.datasets import make_bags
from sklweak.llp import (
    BagKFold,
    BagStratifiedKFold,
    EasyLLPClassifier,
    make_bag_scorer,
    make_bag_target,
)


def _target_from_sizes(sizes, seed=0):
    rng = np.random.RandomState(seed)
    bags = np.repeat(np.arange(len(sizes)), sizes)
    bags = rng.permutation(bags)
    share = rng.rand(len(sizes))
    return make_bag_target(bags, share)


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 9), min_size=4, max_size=25),
    n_splits=st.integers(2, 4),
    shuffle=st.booleans(),
    stratified=st.booleans(),
)
def test_every_bag_lies_in_exactly_one_test_fold(sizes, n_splits, shuffle, stratified):
    Y = _target_from_sizes(sizes)
    X = np.zeros((Y.shape[0], 1))
    kind = BagStratifiedKFold if stratified else BagKFold
    cv = kind(n_splits, shuffle=shuffle, random_state=0 if shuffle else None)
    seen = np.zeros(Y.shape[0], dtype=int)
    for train, test in cv.split(X, Y):
        assert test.size > 0
        assert np.intersect1d(Y[train, 0], Y[test, 0]).size == 0
        assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(Y.shape[0]))
        seen[test] += 1
    assert_array_equal(seen, 1)
    assert cv.get_n_splits(X, Y) == n_splits


def test_bag_kfold_cuts_bags_in_order_into_equal_sample_counts():
    Y = make_bag_target(np.repeat(np.arange(6), 2), np.linspace(0, 1, 6))
    folds = [Y[test, 0].tolist() for _, test in BagKFold(3).split(np.zeros((12, 1)), Y)]
    assert folds == [[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5]]


def test_bag_kfold_shuffle_is_seeded():
    Y = _target_from_sizes([3] * 12)
    X = np.zeros((Y.shape[0], 1))

    def folds(seed):
        cv = BagKFold(3, shuffle=True, random_state=seed)
        return [test.tolist() for _, test in cv.split(X, Y)]

    assert folds(1) == folds(1)
    assert folds(1) != folds(2)


def test_groups_override_the_bag_ids_and_labels_are_singletons():
    X = np.zeros((6, 1))
    y = np.array([0, 1, 0, 1, 0, 1])
    assert [t.tolist() for _, t in BagKFold(3).split(X, y)] == [[0, 1], [2, 3], [4, 5]]
    groups = [5, 5, 5, 7, 7, 7]
    assert [t.tolist() for _, t in BagKFold(2).split(X, y, groups)] == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match="inconsistent|one bag per sample"):
        list(BagKFold(2).split(X, y, groups[:3]))


def test_too_few_bags_and_missing_bags_are_clear_errors():
    Y = make_bag_target([0, 0, 1, 1], [0.5, 1.0])
    with pytest.raises(ValueError, match="2 bags into n_splits=3"):
        list(BagKFold(3).split(np.zeros((4, 1)), Y))
    with pytest.raises(ValueError, match="read the bags from y"):
        list(BagKFold(2).split(np.zeros((4, 1))))


def test_stratified_folds_have_similar_positive_shares():
    rng = np.random.RandomState(0)
    shares = np.sort(rng.rand(40))
    Y = make_bag_target(np.repeat(np.arange(40), 5), shares)
    X = np.zeros((Y.shape[0], 1))

    def spread(cv):
        means = [Y[test, 2].mean() for _, test in cv.split(X, Y)]
        return max(means) - min(means)

    assert spread(BagStratifiedKFold(4)) < 0.05
    assert spread(BagKFold(4)) > 0.5


def test_stratified_multiclass_deals_each_majority_class_evenly():
    rows = np.array([[0.8, 0.1, 0.1]] * 6 + [[0.1, 0.8, 0.1]] * 6 + [[0.1, 0.1, 0.8]])
    Y = make_bag_target(np.repeat(np.arange(13), 2), rows)
    X = np.zeros((Y.shape[0], 1))
    for _, test in BagStratifiedKFold(3).split(X, Y):
        majority = np.argmax(Y[test, 1:], axis=1)
        assert (majority == 0).sum() == 4 and (majority == 1).sum() == 4


def test_grid_search_on_the_bag_target_alone():
    X, y = make_classification(n_samples=400, n_features=5, random_state=0)
    _, Y, _ = make_bags(X, y, bag_size=4, random_state=0)
    search = GridSearchCV(EasyLLPClassifier(), {"alpha": [1e-2, 10.0]}, cv=BagKFold())
    search.fit(X, Y)
    assert search.best_params_ == {"alpha": 1e-2}
    assert 0.5 < search.best_score_ <= 1.0
    scores = cross_val_score(
        EasyLLPClassifier(), X, Y, cv=BagStratifiedKFold(4), scoring=make_bag_scorer("kl")
    )
    assert scores.shape == (4,) and np.all(scores <= 0)


def test_one_huge_bag_still_leaves_every_fold_a_bag():
    Y = make_bag_target(np.repeat([0, 1, 2], [100, 1, 1]), [0.5, 0.0, 1.0])
    folds = [np.unique(Y[t, 0]).tolist() for _, t in BagKFold(3).split(np.zeros((102, 1)), Y)]
    assert sorted(map(len, folds)) == [1, 1, 1]
