import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklweak.datasets import simulate_annotators
from sklweak.utils import check_annotator_matrix


@pytest.fixture
def y():
    return np.random.RandomState(0).randint(1, 4, size=6000)


def test_shape_contract_and_labels_per_example(y):
    annotations, accuracies = simulate_annotators(
        y, n_annotators=8, labels_per_example=3, random_state=0
    )
    assert annotations.shape == (6000, 8) and annotations.dtype == np.int64
    assert accuracies.shape == (8,)
    assert np.all((accuracies >= 0.6) & (accuracies <= 0.9))
    assert_array_equal((annotations != -1).sum(axis=1), 3)
    target = check_annotator_matrix(annotations)
    assert_array_equal(target.classes, [1, 2, 3])
    # Every annotator gets about its share of the work.
    load = (annotations != -1).sum(axis=0) / 6000
    assert np.all(np.abs(load - 3 / 8) < 0.04)


def test_realized_accuracy_and_uniform_errors(y):
    annotations, accuracies = simulate_annotators(
        y, n_annotators=4, accuracy=(0.5, 0.95), random_state=1
    )
    for a in range(4):
        assert abs((annotations[:, a] == y).mean() - accuracies[a]) < 0.03
    errors = annotations[:, 0][(annotations[:, 0] != y) & (y == 1)]
    assert set(errors.tolist()) == {2, 3}
    assert abs((errors == 2).mean() - 0.5) < 0.06


def test_fixed_accuracy_and_string_labels():
    y = np.array(["cat", "dog", "eel"] * 100)
    annotations, accuracies = simulate_annotators(y, n_annotators=3, accuracy=1.0, random_state=0)
    assert np.all(accuracies == 1.0)
    # Non-integer labels become indices into the sorted classes.
    assert_array_equal(annotations[:, 0], np.searchsorted(["cat", "dog", "eel"], y))


def test_reproducible_and_input_untouched(y):
    y_copy = y.copy()
    a = simulate_annotators(y, n_annotators=5, labels_per_example=2, random_state=4)
    b = simulate_annotators(y, n_annotators=5, labels_per_example=2, random_state=4)
    c = simulate_annotators(y, n_annotators=5, labels_per_example=2, random_state=5)
    assert_array_equal(a[0], b[0])
    assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert_array_equal(y, y_copy)


def test_custom_missing_label(y):
    annotations, _ = simulate_annotators(
        y, n_annotators=3, labels_per_example=1, missing_label=0, random_state=0
    )
    assert_array_equal((annotations != 0).sum(axis=1), 1)
    check_annotator_matrix(annotations, missing_label=0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_annotators": 2, "labels_per_example": 3}, "exceeds"),
        ({"n_annotators": 0}, "n_annotators"),
        ({"n_annotators": 2, "accuracy": (0.9, 0.5)}, "low <= high"),
        ({"n_annotators": 2, "accuracy": (0.5, 1.2)}, "low <= high"),
        ({"n_annotators": 2, "accuracy": (0.5, 0.6, 0.7)}, "pair"),
        ({"n_annotators": 2, "missing_label": 1}, "missing_label=1 is one of"),
    ],
)
def test_bad_arguments_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        simulate_annotators([0, 1, 2, 1], random_state=0, **kwargs)


def test_single_class_rejected():
    with pytest.raises(ValueError, match="at least 2 classes"):
        simulate_annotators([1, 1, 1], n_annotators=2)
