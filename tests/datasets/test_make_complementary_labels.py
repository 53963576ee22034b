import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklweak.datasets import make_complementary_labels
from sklweak.utils import check_complementary_y


@pytest.fixture
def y():
    return np.random.RandomState(0).randint(0, 4, size=20000)


def test_uniform_single_label(y):
    y_bar = make_complementary_labels(y, random_state=0)
    assert y_bar.shape == y.shape and y_bar.dtype == y.dtype
    assert np.all(y_bar != y)
    counts = np.bincount(y_bar[y == 2], minlength=4)
    assert counts[2] == 0
    assert_allclose(counts[[0, 1, 3]] / counts.sum(), 1 / 3, atol=0.03)
    target = check_complementary_y(y_bar, classes=[0, 1, 2, 3])
    assert not target.excluded[np.arange(len(y)), y].any()


def test_several_labels_give_a_matrix(y):
    matrix = make_complementary_labels(y, n_complementary=2, random_state=0)
    assert matrix.shape == (len(y), 4) and matrix.dtype == np.int64
    assert_array_equal(matrix.sum(axis=1), 2)
    assert not matrix[np.arange(len(y)), y].any()
    target = check_complementary_y(matrix)
    assert_array_equal(target.excluded, matrix.astype(bool))
    # Uniform: each wrong class excluded in about 2/3 of the samples of class 0.
    assert_allclose(matrix[y == 0][:, 1:].mean(axis=0), 2 / 3, atol=0.03)


def test_biased_transition_matrix(y):
    Q = np.array(
        [
            [0.0, 0.8, 0.2, 0.0],
            [0.5, 0.0, 0.5, 0.0],
            [0.1, 0.1, 0.0, 0.8],
            [1 / 3, 1 / 3, 1 / 3, 0.0],
        ]
    )
    y_bar = make_complementary_labels(y, transition_matrix=Q, random_state=0)
    realized = np.zeros((4, 4))
    np.add.at(realized, (y, y_bar), 1)
    realized /= realized.sum(axis=1, keepdims=True)
    assert_allclose(realized, Q, atol=0.025)
    # Two draws without replacement from row 0 always give classes 1 and 2.
    matrix = make_complementary_labels(y, n_complementary=2, transition_matrix=Q, random_state=0)
    assert_array_equal(matrix[y == 0][:, [1, 2]], 1)


def test_string_labels_with_given_classes():
    y = np.array(["a", "b"] * 50)
    y_bar = make_complementary_labels(y, classes=["a", "b", "c"], random_state=0)
    assert set(y_bar.tolist()) <= {"a", "b", "c"}
    assert np.all(y_bar != y)
    check_complementary_y(y_bar, classes=["a", "b", "c"])


def test_reproducible_and_input_untouched(y):
    y_copy = y.copy()
    a = make_complementary_labels(y, n_complementary=3, random_state=1)
    b = make_complementary_labels(y, n_complementary=3, random_state=1)
    c = make_complementary_labels(y, n_complementary=1, random_state=2)
    d = make_complementary_labels(y, n_complementary=1, random_state=3)
    assert_array_equal(a, b)
    assert not np.array_equal(c, d)
    assert_array_equal(y, y_copy)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_complementary": 3}, "below the number of classes"),
        ({"n_complementary": 0}, "n_complementary"),
        ({"transition_matrix": np.ones((2, 2)) / 2}, "shape"),
        ({"transition_matrix": 1 - np.eye(3)}, "sum to 1"),
        ({"transition_matrix": np.full((3, 3), 1 / 3)}, "zero diagonal"),
        (
            {
                "transition_matrix": [[0, 1, 0], [0.5, 0, 0.5], [0.5, 0.5, 0]],
                "n_complementary": 2,
            },
            "allows only 1",
        ),
        (
            {"transition_matrix": [[0, 2, -1], [0.5, 0, 0.5], [0.5, 0.5, 0]]},
            "non-negative",
        ),
        ({"classes": [0, 1]}, "not in classes"),
    ],
)
def test_bad_arguments_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_complementary_labels([0, 1, 2, 2], random_state=0, **kwargs)
