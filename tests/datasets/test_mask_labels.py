import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklweak.datasets import mask_labels
from sklweak.utils import check_semi_supervised_y


def test_counts_and_kept_labels_are_true_labels():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, size=300)
    y_masked = mask_labels(y, n_labeled=30, random_state=0)
    assert y_masked.shape == y.shape
    assert y_masked.dtype == y.dtype
    kept = y_masked != -1
    assert kept.sum() == 30
    assert_array_equal(y_masked[kept], y[kept])
    target = check_semi_supervised_y(y_masked)
    assert_array_equal(target.classes, [0, 1, 2])


def test_stratified_allocation_matches_class_balance():
    y = np.repeat([0, 1, 2], [600, 300, 100])
    y_masked = mask_labels(y, labeled_fraction=0.1, random_state=1)
    counts = np.bincount(y_masked[y_masked != -1], minlength=3)
    assert_array_equal(counts, [60, 30, 10])


def test_every_class_keeps_a_label_even_when_rare():
    y = np.array([0] * 500 + [1] + [2] * 2)
    y_masked = mask_labels(y, labeled_fraction=0.004, random_state=3)
    kept = y_masked[y_masked != -1]
    assert set(kept.tolist()) == {0, 1, 2}
    assert len(kept) == 3  # round(0.004 * 503) = 2, raised to one per class


def test_strings_come_back_as_object_with_sentinel():
    y = np.array(["cat", "dog", "cat", "dog", "bird", "bird"])
    y_masked = mask_labels(y, n_labeled=3, random_state=0)
    assert y_masked.dtype == object
    assert sorted(v for v in y_masked.tolist() if v != -1) == ["bird", "cat", "dog"]
    target = check_semi_supervised_y(y_masked)
    assert target.labeled.sum() == 3


def test_string_sentinel_and_dtype_widening():
    y = np.array([1, 2, 1, 2], dtype=np.uint8)
    y_masked = mask_labels(y, n_labeled=2, random_state=0)
    assert y_masked.dtype == np.int64 and (y_masked == -1).sum() == 2
    y_masked = mask_labels(y, n_labeled=2, unlabeled_label="?", random_state=0)
    assert y_masked.dtype == object and y_masked.tolist().count("?") == 2
    assert check_semi_supervised_y(y_masked, unlabeled_label="?").labeled.sum() == 2
    y_bool = np.array([True, False, True, False])
    assert mask_labels(y_bool, n_labeled=2, random_state=0).dtype == np.int64


def test_reproducible_and_seed_dependent():
    y = np.arange(200) % 4
    a = mask_labels(y, n_labeled=20, random_state=7)
    b = mask_labels(y, n_labeled=20, random_state=7)
    c = mask_labels(y, n_labeled=20, random_state=8)
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_input_not_modified():
    y = np.arange(20) % 2
    y_copy = y.copy()
    mask_labels(y, n_labeled=4, random_state=0)
    assert_array_equal(y, y_copy)


@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        ([0, 1, -1, 1], {"n_labeled": 2}, "unlabeled_label=-1 is one of the classes"),
        (
            ["a", "?", "b"],
            {"n_labeled": 2, "unlabeled_label": "?"},
            "one of the classes",
        ),
        ([0, 1, 0, 1], {}, "exactly one of"),
        ([0, 1, 0, 1], {"n_labeled": 2, "labeled_fraction": 0.5}, "exactly one of"),
        ([0, 1, 2, 0], {"n_labeled": 2}, "below the number of classes"),
        ([0, 1, 0, 1], {"n_labeled": 5}, "exceeds"),
        ([0, 0, 0], {"n_labeled": 2}, "at least 2 classes"),
        ([[0, 1]], {"n_labeled": 2}, "1-D"),
        ([0.0, np.nan], {"n_labeled": 2}, "NaN"),
        ([0, 1], {"n_labeled": 2, "unlabeled_label": np.nan}, "finite"),
        ([0, 1], {"n_labeled": 0}, "n_labeled"),
        ([0, 1], {"labeled_fraction": 1.5}, "labeled_fraction"),
    ],
)
def test_bad_arguments_rejected(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        mask_labels(y, random_state=0, **kwargs)
