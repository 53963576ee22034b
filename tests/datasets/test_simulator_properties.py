"""Property tests: every simulator's output passes its family's validator."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from sklweak.datasets import (
    make_bags,
    make_complementary_labels,
    make_noisy_labels,
    make_pu,
    mask_labels,
    simulate_annotators,
)
from sklweak.utils import (
    check_annotator_matrix,
    check_bag_target,
    check_complementary_y,
    check_pu_y,
    check_semi_supervised_y,
)

SETTINGS = settings(max_examples=40, deadline=None)
seeds = st.integers(0, 2**31 - 1)


@st.composite
def labels(draw, min_classes=2, max_classes=5, max_size=40, strings=False):
    n_classes = draw(st.integers(min_classes, max_classes))
    pool = [f"c{k}" for k in range(n_classes)] if strings else list(range(n_classes))
    # Every class appears at least once.
    extra = draw(st.lists(st.sampled_from(pool), max_size=max_size - n_classes))
    values = draw(st.permutations(pool + extra))
    return np.array(values, dtype=object if strings else np.int64)


@SETTINGS
@given(labels(), seeds, st.data())
def test_mask_labels_keeps_one_label_per_class(y, seed, data):
    n_classes = len(np.unique(y))
    n_labeled = data.draw(st.integers(n_classes, len(y)))
    y_masked = mask_labels(y, n_labeled=n_labeled, random_state=seed)
    target = check_semi_supervised_y(y_masked)
    assert target.labeled.sum() == n_labeled
    assert_array_equal(target.classes, np.unique(y))
    assert_array_equal(y_masked[target.labeled], y[target.labeled])


@SETTINGS
@given(labels(strings=True), seeds, st.floats(0.001, 1.0))
def test_mask_labels_on_strings_with_a_fraction(y, seed, fraction):
    y_masked = mask_labels(y, labeled_fraction=fraction, random_state=seed)
    target = check_semi_supervised_y(y_masked)
    assert set(target.classes.tolist()) == set(y.tolist())
    expected = max(round(fraction * len(y)), len(target.classes))
    assert target.labeled.sum() == expected


@SETTINGS
@given(labels(), seeds, st.floats(0.01, 1.0), st.sampled_from(["scar", "sar"]))
def test_make_pu_gives_a_valid_pu_target(y, seed, c, mechanism):
    X = np.random.RandomState(seed % 1000).standard_normal((len(y), 2))
    y_pu, propensity = make_pu(
        X, y, pos_label=0, label_frequency=c, mechanism=mechanism, random_state=seed
    )
    target = check_pu_y(y_pu)
    assert np.all(y[target.labeled] == 0)
    assert np.all((propensity > 0) & (propensity <= 1))
    assert abs(propensity[y == 0].mean() - c) < 1e-6


@SETTINGS
@given(labels(max_size=60), seeds, st.data(), st.sampled_from(["random", "clustered"]))
def test_make_bags_proportions_match_labels(y, seed, data, method):
    bag_size = data.draw(st.integers(1, len(y)))
    X = np.random.RandomState(seed % 1000).standard_normal((len(y), 3))
    bags, y_bag, classes = make_bags(X, y, bag_size=bag_size, method=method, random_state=seed)
    target = check_bag_target(y_bag, n_classes=len(classes))
    sizes = np.bincount(bags)
    assert np.all(sizes[:-1] == bag_size) and 1 <= sizes[-1] <= bag_size
    counts = np.zeros((len(sizes), len(classes)))
    np.add.at(counts, (bags, np.searchsorted(classes, y)), 1)
    assert_allclose(target.bag_proportions, counts / sizes[:, None])


@SETTINGS
@given(labels(), seeds, st.floats(0.0, 1.0), st.sampled_from(["symmetric", "pair"]))
def test_make_noisy_labels_stays_in_classes(y, seed, rate, kind):
    y_noisy, is_noisy = make_noisy_labels(y, noise_rate=rate, kind=kind, random_state=seed)
    assert set(y_noisy.tolist()) <= set(y.tolist())
    assert_array_equal(is_noisy, y_noisy != y)


@SETTINGS
@given(labels(min_classes=3), seeds, st.data())
def test_make_complementary_labels_never_exclude_the_truth(y, seed, data):
    classes = np.unique(y)
    n_complementary = data.draw(st.integers(1, len(classes) - 1))
    y_bar = make_complementary_labels(y, n_complementary=n_complementary, random_state=seed)
    target = check_complementary_y(y_bar, classes=classes)
    assert_array_equal(target.excluded.sum(axis=1), n_complementary)
    assert not target.excluded[np.arange(len(y)), np.searchsorted(classes, y)].any()


@SETTINGS
@given(labels(), seeds, st.data())
def test_simulate_annotators_labels_each_example_k_times(y, seed, data):
    n_annotators = data.draw(st.integers(1, 6))
    k = data.draw(st.integers(1, n_annotators))
    annotations, accuracies = simulate_annotators(
        y,
        n_annotators=n_annotators,
        labels_per_example=k,
        accuracy=(0.0, 1.0),
        random_state=seed,
    )
    observed = annotations != -1
    assert_array_equal(observed.sum(axis=1), k)
    assert set(annotations[observed].tolist()) <= set(y.tolist())
    if len(np.unique(annotations[observed])) >= 2:
        check_annotator_matrix(annotations)
