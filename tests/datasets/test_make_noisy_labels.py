import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklweak.datasets import make_noisy_labels

N = 30000


@pytest.fixture
def y():
    return np.random.RandomState(0).randint(0, 4, size=N)


def test_symmetric_rate_and_uniform_targets(y):
    y_noisy, is_noisy = make_noisy_labels(y, noise_rate=0.3, random_state=0)
    assert y_noisy.dtype == y.dtype and y_noisy.shape == y.shape
    assert_array_equal(is_noisy, y_noisy != y)
    assert abs(is_noisy.mean() - 0.3) < 0.015
    wrong = y_noisy[is_noisy & (y == 0)]
    assert_allclose(np.bincount(wrong, minlength=4)[1:] / len(wrong), 1 / 3, atol=0.03)


def test_pair_flips_to_next_class(y):
    y_noisy, is_noisy = make_noisy_labels(y, noise_rate=0.2, kind="pair", random_state=0)
    assert abs(is_noisy.mean() - 0.2) < 0.015
    assert_array_equal(y_noisy[is_noisy], (y[is_noisy] + 1) % 4)


def test_matrix_is_column_stochastic(y):
    T = np.array(
        [
            [0.7, 0.0, 0.0, 0.1],
            [0.3, 1.0, 0.0, 0.0],
            [0.0, 0.0, 0.6, 0.0],
            [0.0, 0.0, 0.4, 0.9],
        ]
    )
    y_noisy, _ = make_noisy_labels(y, noise_matrix=T, kind="matrix", random_state=0)
    realized = np.zeros((4, 4))
    np.add.at(realized, (y_noisy, y), 1)
    realized /= realized.sum(axis=0)
    assert_allclose(realized, T, atol=0.02)
    assert np.all(realized[T == 0] == 0)


def test_string_labels_and_given_classes():
    y = np.array(["a", "b", "a", "b"] * 500)
    y_noisy, is_noisy = make_noisy_labels(
        y, noise_rate=0.5, classes=["a", "b", "c"], random_state=0
    )
    assert y_noisy.dtype == y.dtype
    assert set(np.unique(y_noisy).tolist()) == {"a", "b", "c"}
    # "pair" follows the order of classes: a -> b, b -> c.
    y_pair, is_pair = make_noisy_labels(
        y, noise_rate=1.0, kind="pair", classes=["a", "b", "c"], random_state=0
    )
    assert is_pair.all()
    assert_array_equal(y_pair, np.where(y == "a", "b", "c"))


def test_zero_noise_and_reproducibility(y):
    y_copy = y.copy()
    y_noisy, is_noisy = make_noisy_labels(y, noise_rate=0.0, random_state=0)
    assert_array_equal(y_noisy, y)
    assert not is_noisy.any()
    a = make_noisy_labels(y, noise_rate=0.4, random_state=9)[0]
    b = make_noisy_labels(y, noise_rate=0.4, random_state=9)[0]
    c = make_noisy_labels(y, noise_rate=0.4, random_state=10)[0]
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert_array_equal(y, y_copy)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({}, "needs noise_rate"),
        ({"noise_rate": 1.5}, "noise_rate"),
        ({"noise_rate": 0.1, "kind": "uniform"}, "kind"),
        ({"kind": "matrix"}, "needs noise_matrix"),
        ({"kind": "matrix", "noise_matrix": np.eye(3)}, "shape"),
        (
            {"kind": "matrix", "noise_matrix": [[0.5, 0.5], [0.6, 0.5]]},
            "column-stochastic",
        ),
        ({"kind": "matrix", "noise_matrix": [[1.5, 0.0], [-0.5, 1.0]]}, "non-negative"),
        (
            {"kind": "matrix", "noise_matrix": np.eye(2), "noise_rate": 0.1},
            "not noise_rate",
        ),
        ({"noise_rate": 0.1, "noise_matrix": np.eye(2)}, "only used"),
        ({"noise_rate": 0.1, "classes": [0, 2]}, "not in classes"),
        ({"noise_rate": 0.1, "classes": [0, 1, 1]}, "twice"),
    ],
)
def test_bad_arguments_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_noisy_labels([0, 1, 1, 0], random_state=0, **kwargs)


def test_single_class_rejected():
    with pytest.raises(ValueError, match="at least 2 classes"):
        make_noisy_labels([1, 1, 1], noise_rate=0.1)
