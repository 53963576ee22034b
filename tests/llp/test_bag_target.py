import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from sklweak.llp import make_bag_target
from sklweak.utils import check_bag_target


def test_per_bag_rows_follow_sorted_bag_labels():
    bags = np.array(["z", "a", "z", "m"])
    proportions = [[1.0, 0.0], [0.3, 0.7], [0.5, 0.5]]  # rows for "a", "m", "z"
    y = make_bag_target(bags, proportions)
    assert y.dtype == np.float64
    assert_array_equal(y[:, 0], [2, 0, 2, 1])
    assert_allclose(y[:, 1:], [[0.5, 0.5], [1.0, 0.0], [0.5, 0.5], [0.3, 0.7]])


def test_mapping_and_per_sample_rows_give_the_same_target():
    bags = [3, 7, 3, 7, 7]
    mapping = {3: [0.2, 0.8], 7: [0.6, 0.4], 99: [1.0, 0.0]}
    per_sample = [mapping[b] for b in bags]
    per_bag = [mapping[3], mapping[7]]
    expected = make_bag_target(bags, mapping)
    assert_array_equal(make_bag_target(bags, per_sample), expected)
    assert_array_equal(make_bag_target(bags, per_bag), expected)
    assert_array_equal(expected[:, 0], [0, 1, 0, 1, 1])


def test_binary_shares_become_two_columns():
    y = make_bag_target([0, 1, 1], [0.25, 1.0])
    assert_allclose(y[:, 1:], [[0.75, 0.25], [0.0, 1.0], [0.0, 1.0]])
    y_map = make_bag_target(["a", "b", "b"], {"a": 0.25, "b": 1.0})
    assert_array_equal(y_map, y)


def test_every_sample_its_own_bag_reads_rows_per_sample():
    bags = [2, 0, 1]
    rows = [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]
    y = make_bag_target(bags, rows)
    assert_allclose(y[:, 1:], rows)
    assert_array_equal(y[:, 0], [2, 0, 1])
    # A mapping gives per-bag rows unambiguously.
    y_map = make_bag_target(bags, {0: rows[0], 1: rows[1], 2: rows[2]})
    assert_allclose(y_map[:, 1:], [rows[2], rows[0], rows[1]])


def test_inputs_not_modified():
    bags = np.array([1, 0, 1])
    proportions = np.array([[0.5, 0.5], [1.0, 0.0]])
    bags_copy, proportions_copy = bags.copy(), proportions.copy()
    make_bag_target(bags, proportions)
    assert_array_equal(bags, bags_copy)
    assert_array_equal(proportions, proportions_copy)


def test_classes_checks_column_count():
    y = make_bag_target([0, 1], [[0.1, 0.2, 0.7], [1, 0, 0]], classes=["a", "b", "c"])
    assert y.shape == (2, 4)
    with pytest.raises(ValueError, match="classes has 2 entries"):
        make_bag_target([0, 1], [[0.1, 0.2, 0.7], [1, 0, 0]], classes=["a", "b"])
    with pytest.raises(ValueError, match="binary"):
        make_bag_target([0, 1], [0.1, 0.2], classes=["a", "b", "c"])


@pytest.mark.parametrize(
    "bags, proportions, match",
    [
        ([0, 0, 1], [[0.5, 0.5], [0.4, 0.6], [1.0, 0.0]], "two different rows"),
        ([0, 1], [[0.5, 0.6], [1.0, 0.0]], "sum to 1"),
        ([0, 1], [[1.5, -0.5], [1.0, 0.0]], r"\[0, 1\]"),
        ([0, 1], [[np.nan, 1.0], [1.0, 0.0]], "NaN"),
        ([0, 1, 1], [[0.5, 0.5]], "one row per bag"),
        ([0, 1], {0: [0.5, 0.5]}, "no entry for bags"),
        ([0, 1], {0: [0.5, 0.5], 1: [0.2, 0.3, 0.5]}, "same length"),
        ([[0, 1]], [[0.5, 0.5]], "1-D"),
        ([], [], "empty"),
        ([0.0, np.nan], [0.5, 0.5], "NaN"),
        ([0, 1], [[1.0], [1.0]], "two class columns"),
        ([0, 1], [["a", "b"], ["c", "d"]], "numeric"),
    ],
)
def test_bad_input_rejected(bags, proportions, match):
    with pytest.raises(ValueError, match=match):
        make_bag_target(bags, proportions)


@st.composite
def bag_problems(draw):
    n_samples = draw(st.integers(1, 30))
    n_classes = draw(st.integers(2, 4))
    labels = draw(st.lists(st.integers(-5, 5), min_size=n_samples, max_size=n_samples))
    n_bags = len(set(labels))
    raw = draw(
        st.lists(
            st.lists(st.integers(0, 10), min_size=n_classes, max_size=n_classes).filter(
                lambda row: sum(row) > 0
            ),
            min_size=n_bags,
            max_size=n_bags,
        )
    )
    rows = np.array(raw, dtype=float)
    rows /= rows.sum(axis=1, keepdims=True)
    return np.array(labels), rows


@settings(max_examples=60, deadline=None)
@given(bag_problems())
def test_round_trip_with_check_bag_target(problem):
    bags, rows = problem
    sorted_labels, inverse = np.unique(bags, return_inverse=True)
    mapping = dict(zip(sorted_labels.tolist(), rows, strict=True))
    y = make_bag_target(bags, mapping)
    target = check_bag_target(y)
    assert_array_equal(target.bag_ids, np.arange(len(sorted_labels)))
    assert_array_equal(target.bag_index, inverse)
    assert_allclose(target.bag_proportions, rows, atol=1e-12)
    assert_array_equal(target.bag_sizes, np.bincount(inverse))
    # The per-sample form encodes the same target.
    assert_allclose(make_bag_target(bags, rows[inverse]), y)


# --- proportions as published: rounded, in a table (issue 19, item 5) ---------------


def test_rounded_proportions_are_refused_with_a_pointer_then_normalized():
    bags = [0, 0, 1, 1]
    rounded = [[0.33, 0.66], [0.5, 0.5]]
    with pytest.raises(ValueError, match="normalize=True"):
        make_bag_target(bags, rounded)
    y = make_bag_target(bags, rounded, normalize=True)
    assert_allclose(y[:, 1:].sum(axis=1), 1.0)
    assert_allclose(y[0, 1:], [1 / 3, 2 / 3])


def test_normalize_keeps_the_range_check():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        make_bag_target([0, 1], [[1.5, 0.5], [0.5, 0.5]], normalize=True)
    with pytest.raises(ValueError, match="all zeros"):
        make_bag_target([0, 1], [[0.0, 0.0], [0.5, 0.5]], normalize=True)


def test_proportions_table_gives_its_class_names_to_predict():
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    from sklweak.llp import (
        EasyLLPClassifier,
        LLPBPClassifier,
        ProportionWeightedClassifier,
    )

    rng = np.random.RandomState(0)
    X = rng.randn(60, 3)
    bags = np.repeat(list("fedcba"), 10)  # the table's index gives the bags' rows
    table = pd.DataFrame(
        {"cat": [0.3, 0.5, 0.2, 0.7, 0.1, 0.9], "dog": [0.7, 0.5, 0.8, 0.3, 0.9, 0.1]},
        index=list("abcdef"),
    )
    y = make_bag_target(bags, table)
    assert list(y.columns) == ["bag", "cat", "dog"]
    assert_allclose(y.loc[0, ["cat", "dog"]], [0.9, 0.1])  # bag "f"
    for estimator in (
        EasyLLPClassifier(),
        LLPBPClassifier(),
        ProportionWeightedClassifier(LogisticRegression()),
    ):
        estimator.fit(X, y)
        assert estimator.classes_.tolist() == ["cat", "dog"]
        assert set(estimator.predict(X).tolist()) <= {"cat", "dog"}
        assert 0.0 <= estimator.score(X, y) <= 1.0
    named = EasyLLPClassifier(classes=["c", "d"]).fit(X, y)
    assert named.classes_.tolist() == ["c", "d"]
