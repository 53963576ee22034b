"""Round trips and error paths of the weak-label validators."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from sklweak.utils import (
    check_annotator_matrix,
    check_bag_target,
    check_complementary_y,
    check_pnu_y,
    check_pu_y,
    check_semi_supervised_y,
)

# ---------------------------------------------------------------- semi-supervised


@st.composite
def semi_supervised_targets(draw):
    """Integer labels >= 0 plus -1 entries, at least two labeled classes."""
    values = draw(st.lists(st.integers(-1, 6), min_size=2, max_size=40))
    labeled = [v for v in values if v != -1]
    if len(set(labeled)) < 2:
        values = values + [0, 1]
    return np.array(values)


@given(semi_supervised_targets())
def test_semi_supervised_round_trip(y):
    y_copy = y.copy()
    target = check_semi_supervised_y(y)
    assert_array_equal(target.labeled, y != -1)
    assert_array_equal(target.classes, np.unique(y[y != -1]))
    assert_array_equal(target.classes[target.y_encoded[target.labeled]], y[target.labeled])
    assert np.all(target.y_encoded[~target.labeled] == -1)
    assert target.y_encoded.dtype == np.int64
    assert_array_equal(y, y_copy)


@given(semi_supervised_targets(), st.integers(-3, 10))
def test_semi_supervised_custom_sentinel(y, sentinel):
    y = np.where(y == -1, 100, y)
    y[0] = sentinel
    labeled = y != sentinel
    if len(np.unique(y[labeled])) < 2:
        return
    target = check_semi_supervised_y(y, unlabeled_label=sentinel)
    assert_array_equal(target.labeled, labeled)


@given(st.lists(st.sampled_from(["a", "b", "c", -1]), min_size=1, max_size=30))
def test_semi_supervised_strings_in_object_array(values):
    y = np.array(values + ["a", "b"], dtype=object)
    target = check_semi_supervised_y(y)
    labeled = np.array([v != -1 for v in y])
    assert_array_equal(target.labeled, labeled)
    assert_array_equal(target.classes[target.y_encoded[labeled]], y[labeled])


@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        ([[0], [1]], {}, "column vector"),
        ([[0, 1], [1, 0]], {}, "1-D"),
        ([], {}, "empty"),
        ([0.0, np.inf, 1.0, -1], {}, "infinity"),
        ([-1, -1], {}, "no labeled sample"),
        ([0, 0, -1], {}, "at least 2 classes"),
        ([0.5, 1.5, -1], {}, "continuous"),
        (np.array(["a", 1, -1], dtype=object), {}, "mixes label types"),
        ([0, 1, 2, -1], {"min_classes": 4}, "at least 4 classes"),
    ],
)
def test_semi_supervised_errors(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_semi_supervised_y(y, **kwargs)


# -------------------------------------------------------------------------- PU/PNU


@given(
    st.lists(st.booleans(), min_size=2, max_size=40).filter(lambda v: 0 < sum(v) < len(v)),
    st.sampled_from([(1, 0), (1, -1), (True, False), ("pos", "unl"), (2, 7)]),
)
def test_pu_round_trip(mask, encoding):
    positive_value, other_value = encoding
    y = np.array([positive_value if m else other_value for m in mask])
    target = check_pu_y(y, pos_label=positive_value)
    assert_array_equal(target.labeled, mask)
    assert target.n_labeled == sum(mask)


@pytest.mark.parametrize(
    "y, match",
    [
        ([1, 0, 2], "two values"),
        ([0, 0, -1], "no labeled positive"),
        ([1, 1], "no unlabeled sample"),
        ([1.0, np.inf], "NaN or infinity"),
    ],
)
def test_pu_errors(y, match):
    with pytest.raises(ValueError, match=match):
        check_pu_y(y)


@given(st.lists(st.sampled_from([1, 0, -1]), min_size=1, max_size=40))
def test_pnu_masks_partition_the_samples(values):
    y = np.array(values + [1])
    target = check_pnu_y(y)
    stacked = np.vstack([target.positive, target.negative, target.unlabeled])
    assert_array_equal(stacked.sum(axis=0), 1)
    assert_array_equal(target.positive, y == 1)
    assert_array_equal(target.negative, y == 0)


@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        ([1, 0, 2], {}, r"values \[2\] outside"),
        ([0, -1], {}, "no labeled positive"),
        ([1, 0], {"neg_label": 1}, "three different values"),
        ([1, 0], {"unlabeled_label": 0}, "three different values"),
    ],
)
def test_pnu_errors(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_pnu_y(y, **kwargs)


def test_semi_supervised_string_sentinel_in_object_array():
    y = np.array(["a", "b", "?"], dtype=object)
    target = check_semi_supervised_y(y, unlabeled_label="?")
    assert_array_equal(target.labeled, [True, True, False])


def test_pu_string_pos_label_in_object_array():
    target = check_pu_y(np.array(["p", "u", "u"], dtype=object), pos_label="p")
    assert_array_equal(target.labeled, [True, False, False])
    # An integer sentinel never matches a string label, nor the reverse.
    y = np.array(["-1", "a", -1, "b"], dtype=object)
    assert_array_equal(check_semi_supervised_y(y).labeled, [True, True, False, True])


# Sentinels that are equal by value but of different types must be rejected.


def test_pnu_equal_sentinels_of_different_types_rejected():
    with pytest.raises(ValueError, match="three different values"):
        check_pnu_y([1, -1], pos_label=1, neg_label=True)
    with pytest.raises(ValueError, match="three different values"):
        check_pnu_y([1, 0, -1], pos_label=1, neg_label=1.0)


# ------------------------------------------------------------------------------ LLP


@st.composite
def bag_targets(draw):
    n_classes = draw(st.integers(2, 4))
    n_bags = draw(st.integers(1, 6))
    raw = draw(
        st.lists(
            st.lists(st.integers(0, 9), min_size=n_classes, max_size=n_classes).filter(any),
            min_size=n_bags,
            max_size=n_bags,
        )
    )
    rows = np.array(raw, dtype=float)
    rows /= rows.sum(axis=1, keepdims=True)
    ids = draw(st.lists(st.integers(-50, 50), min_size=n_bags, max_size=n_bags, unique=True))
    membership = draw(st.lists(st.integers(0, n_bags - 1), min_size=1, max_size=40))
    membership = np.array(membership)
    y = np.column_stack([np.array(ids)[membership], rows[membership]])
    return y, np.array(ids), rows, membership


@given(bag_targets())
def test_bag_target_round_trip(problem):
    y, ids, rows, membership = problem
    y_copy = y.copy()
    target = check_bag_target(y)
    used = np.unique(membership)
    order = np.argsort(ids[used])
    assert_array_equal(target.bag_ids, ids[used][order])
    assert_allclose(target.bag_proportions, rows[used][order], atol=1e-12)
    assert_array_equal(target.bag_ids[target.bag_index], y[:, 0])
    assert_array_equal(target.bag_sizes, np.bincount(target.bag_index))
    assert_array_equal(target.classes, np.arange(rows.shape[1]))
    assert_array_equal(y, y_copy)


@given(st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=30))
def test_bag_target_from_plain_labels_is_one_hot(values):
    y = np.array(values)
    target = check_bag_target(y)
    assert_array_equal(target.bag_index, np.arange(len(y)))
    assert_array_equal(target.classes[target.bag_proportions.argmax(axis=1)], y)
    assert_array_equal(target.bag_proportions.sum(axis=1), 1)


@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        ([[0, 1.0], [1, 1.0]], {}, "at least two classes"),
        ([[0.5, 0.5, 0.5]], {}, "hold integers"),
        ([[0, 1.5, -0.5]], {}, r"\[0, 1\]"),
        ([[0, 0.5, 0.6]], {}, "sum to 1"),
        ([[0, 0.5, 0.5], [0, 1.0, 0.0]], {}, "two different proportion rows"),
        ([[0, np.nan, 1.0]], {}, "NaN"),
        ([[0, 0.5, 0.5]], {"n_classes": 3}, "expected 3"),
        ([0, 1, 2], {"n_classes": 2}, "at most 2"),
        (np.empty((0, 3)), {}, "empty"),
        ([["a", "b", "c"]], {}, "numeric"),
    ],
)
def test_bag_target_errors(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_bag_target(y, **kwargs)


# -------------------------------------------------------------------- complementary


@given(st.lists(st.integers(0, 4), min_size=1, max_size=40))
def test_complementary_1d_round_trip(values):
    y = np.array(values)
    classes = np.arange(5)
    target = check_complementary_y(y, classes=classes)
    assert_array_equal(target.excluded.sum(axis=1), 1)
    assert_array_equal(target.classes[target.excluded.argmax(axis=1)], y)


@given(st.lists(st.sampled_from(["b", "a", "c"]), min_size=1, max_size=20))
def test_complementary_1d_keeps_given_class_order(values):
    y = np.array(values)
    classes = np.array(["c", "a", "b"])
    target = check_complementary_y(y, classes=classes)
    assert_array_equal(classes[target.excluded.argmax(axis=1)], y)


@given(
    st.integers(2, 5).flatmap(
        lambda k: st.lists(
            st.lists(st.integers(0, 1), min_size=k, max_size=k).filter(
                lambda row: 0 < sum(row) < len(row)
            ),
            min_size=1,
            max_size=20,
        )
    )
)
def test_complementary_2d_round_trip(rows):
    y = np.array(rows)
    target = check_complementary_y(y)
    assert_array_equal(target.excluded, y.astype(bool))
    assert_array_equal(target.classes, np.arange(y.shape[1]))


@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        ([0, 3], {"classes": [0, 1, 2]}, r"\[3\] are not among"),
        ([0, 1], {"classes": [0, 0, 1]}, "distinct"),
        ([0, 0], {}, "at least two classes"),
        ([[1, 1], [0, 1]], {}, "excludes every class"),
        ([[0, 0], [0, 1]], {}, "no complementary label"),
        ([[0, 2], [0, 1]], {}, "0/1 matrix"),
        ([[0, 1], [1, 0]], {"classes": ["a"]}, "columns"),
        (np.zeros((2, 2, 2)), {}, "1-D or a 2-D"),
        (np.empty((0, 3)), {}, "empty"),
    ],
)
def test_complementary_errors(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_complementary_y(y, **kwargs)


# ----------------------------------------------------------------------- annotators


@given(
    st.integers(1, 4).flatmap(
        lambda a: st.lists(
            st.lists(st.integers(-1, 3), min_size=a, max_size=a).filter(
                lambda row: any(v != -1 for v in row)
            ),
            min_size=1,
            max_size=20,
        )
    )
)
def test_annotator_matrix_round_trip(rows):
    y = np.array(rows)
    observed = y != -1
    if len(np.unique(y[observed])) < 2:
        with pytest.raises(ValueError, match="single class"):
            check_annotator_matrix(y)
        return
    target = check_annotator_matrix(y)
    assert_array_equal(target.observed, observed)
    assert_array_equal(target.classes, np.unique(y[observed]))
    assert_array_equal(target.classes[target.labels[observed]], y[observed])
    assert np.all(target.labels[~observed] == -1)
    # Integral floats are read as the same integers.
    assert_array_equal(check_annotator_matrix(y.astype(float)).labels, target.labels)


def test_annotator_matrix_custom_missing_label():
    target = check_annotator_matrix([[9, 1], [2, 9]], missing_label=9)
    assert_array_equal(target.observed, [[False, True], [True, False]])
    assert_array_equal(target.classes, [1, 2])


@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        ([0, 1], {}, "must be 2-D"),
        (np.empty((0, 2), dtype=int), {}, "empty"),
        ([[0, np.nan]], {}, "NaN"),
        ([[0.5, 1.0]], {}, "integer labels"),
        ([["a", "b"]], {}, "integer labels"),
        ([[0, 1], [-1, -1]], {}, "Row 1 .* no label"),
        ([[1, -1], [1, 1]], {}, "single class"),
        ([[0, 1]], {"missing_label": 0.5}, "missing_label must be an integer"),
    ],
)
def test_annotator_matrix_errors(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_annotator_matrix(y, **kwargs)
