"""Compiled counting kernel against its pure-NumPy reference."""

from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklweak.utils._kernels import load_kernel

reference = load_kernel("sklweak.noise._counting", implementation="reference")
try:
    compiled = load_kernel("sklweak.noise._counting", implementation="compiled")
except ImportError:  # pragma: no cover - exercised only without a build
    compiled = None

needs_compiled = pytest.mark.skipif(compiled is None, reason="kernel not compiled")
DTYPES = [np.float16, np.float32, np.float64]
METHODS = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]


@contextmanager
def compiled_settings(**settings):
    """The compiled module's tuning constants set to ``settings`` inside."""
    saved = {name: getattr(compiled, name) for name in settings}
    for name, value in settings.items():
        setattr(compiled, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(compiled, name, value)


@st.composite
def problems(draw):
    n_samples = draw(st.integers(1, 60))
    n_classes = draw(st.integers(2, 6))
    seed = draw(st.integers(0, 2**31 - 1))
    concentration = draw(st.sampled_from([0.05, 0.5, 5.0]))
    dtype = draw(st.sampled_from(DTYPES))
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.full(n_classes, concentration), size=n_samples)
    if draw(st.booleans()):
        # Coarse values make ties between classes and at the cutoffs.
        probs = np.round(probs * 4) + 1e-3
        probs /= probs.sum(axis=1, keepdims=True)
    labels = rng.integers(0, n_classes, n_samples).astype(np.int64)
    cutoffs = rng.uniform(0, 1, n_classes)
    if draw(st.booleans()):
        cutoffs = probs.astype(dtype).astype(np.float64)[0]
    return probs.astype(dtype), labels, cutoffs


@needs_compiled
@settings(max_examples=150, deadline=None)
@given(problems())
def test_compiled_matches_reference(problem):
    probs, labels, cutoffs = problem
    before = probs.copy()
    expected = reference.count_confident(probs, labels, cutoffs)
    # Both counting loops: the one for few classes (bit masks) and the
    # general one.
    for mask_classes in (compiled.MASK_CLASSES, 0):
        with compiled_settings(MASK_CLASSES=mask_classes):
            counted = compiled.count_confident(probs, labels, cutoffs)
        for left, right in zip(counted, expected):
            np.testing.assert_array_equal(left, right)
    label_counts = np.bincount(labels, minlength=probs.shape[1])
    for left, right in zip(
        compiled.group_by_label(probs, labels, label_counts),
        reference.group_by_label(probs, labels, label_counts),
    ):
        assert left.dtype == right.dtype
        np.testing.assert_array_equal(left, right)
    for method in METHODS:
        np.testing.assert_allclose(
            compiled.quality_scores(probs, labels, method),
            reference.quality_scores(probs, labels, method),
            rtol=1e-12,
            atol=1e-12,
        )
    assert compiled.first_invalid_row(probs, 1e-2) == reference.first_invalid_row(probs, 1e-2)
    np.testing.assert_array_equal(probs, before)


@needs_compiled
@settings(max_examples=100, deadline=None)
@given(problems(), st.integers(0, 59), st.sampled_from([None, np.nan, np.inf, -0.5, 0.5]))
def test_grouping_checks_the_rows_as_first_invalid_row(problem, row, fault):
    probs, labels, _ = problem
    if fault is not None and row < probs.shape[0]:
        probs = probs.copy()
        probs[row, -1] += fault
    label_counts = np.bincount(labels, minlength=probs.shape[1])
    invalid_row, *grouped = compiled.check_and_group(probs, labels, label_counts, 1e-2)
    assert invalid_row == reference.first_invalid_row(probs, 1e-2)
    if invalid_row < 0:
        for left, right in zip(grouped, reference.group_by_label(probs, labels, label_counts)):
            assert left.dtype == right.dtype
            np.testing.assert_array_equal(left, right)


@needs_compiled
@pytest.mark.parametrize("n_classes", [63, 64, 65])
@pytest.mark.parametrize("dtype", DTYPES)
def test_counting_on_either_side_of_the_bit_mask_width(n_classes, dtype):
    # Peaked rows: one confident class (the last ones included) or several.
    rng = np.random.default_rng(n_classes)
    probs = rng.dirichlet(np.full(n_classes, 0.05), 3000).astype(dtype)
    labels = rng.integers(0, n_classes, 3000).astype(np.int64)
    cutoffs = np.full(n_classes, 0.2)
    cutoffs[-3:] = 0.01
    for left, right in zip(
        compiled.count_confident(probs, labels, cutoffs),
        reference.count_confident(probs, labels, cutoffs),
    ):
        np.testing.assert_array_equal(left, right)


@pytest.mark.parametrize("kernel", [reference, compiled], ids=["reference", "compiled"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_label_bonus_uses_input_precision(kernel, dtype):
    if kernel is None:
        pytest.skip("kernel not compiled")
    # Two classes tied: the bonus makes the given label the top class. For
    # float16 a bonus of 1e-6 vanishes on 0.5, so the first column wins.
    probs = np.array([[0.5, 0.5], [0.5, 0.5]], dtype=dtype)
    labels = np.array([0, 1])
    _, _, top, _, _ = kernel.count_confident(probs, labels, np.array([2.0, 2.0]))
    expected_second = dtype is not np.float16
    np.testing.assert_array_equal(top, [True, expected_second])


@pytest.mark.parametrize("kernel", [reference, compiled], ids=["reference", "compiled"])
def test_first_invalid_row_finds_each_fault(kernel):
    if kernel is None:
        pytest.skip("kernel not compiled")
    good = np.full((5, 2), 0.5)
    assert kernel.first_invalid_row(good, 1e-3) == -1
    for row, values in [(1, [np.nan, 1.0]), (2, [-0.1, 1.1]), (3, [0.6, 0.6])]:
        bad = good.copy()
        bad[row] = values
        assert kernel.first_invalid_row(bad, 1e-3) == row


@needs_compiled
def test_compiled_reads_read_only_half_precision_in_place():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(4), size=1000).astype(np.float16)
    probs.setflags(write=False)
    labels = rng.integers(0, 4, 1000).astype(np.int64)
    counts, guess, *_ = compiled.count_confident(probs, labels, np.full(4, 0.3))
    assert counts.sum() == np.count_nonzero(guess >= 0)


@needs_compiled
@pytest.mark.parametrize("n_classes", [5, 300])
def test_row_sums_are_numpys_to_the_last_bit(n_classes):
    # Each row's tolerance is set to its own distance from 1 as numpy.sum
    # finds it: a sum taken in any other order lands on either side of it.
    rng = np.random.default_rng(n_classes)
    probs = rng.dirichlet(np.full(n_classes, 0.2), 400).astype(np.float32)
    distance = np.abs(probs.astype(np.float64).sum(axis=1) - 1.0)
    for row in np.argsort(distance)[-40:]:
        tolerance = float(distance[row])
        expected = reference.first_invalid_row(probs, tolerance)
        assert compiled.first_invalid_row(probs, tolerance) == expected
        assert compiled.first_invalid_row(probs, np.nextafter(tolerance, 0)) == (
            reference.first_invalid_row(probs, np.nextafter(tolerance, 0))
        )


def _selection_inputs(kernel, probs, labels):
    """What select_issues takes besides the counts: grouping, top flags, floors."""
    n_classes = probs.shape[1]
    label_counts = np.bincount(labels, minlength=n_classes).astype(np.int64)
    order, own = kernel.group_by_label(probs, labels, label_counts)
    _, _, top, own_floor, margin_floor = kernel.count_confident(
        probs, labels, np.full(n_classes, 2.0)
    )
    return label_counts, order, own, top, own_floor, margin_floor


@st.composite
def pruning_problems(draw):
    n_classes = draw(st.integers(2, 7))
    # From fewer rows than cells (selections class by class) to many more
    # (one pass over the rows).
    n_samples = draw(st.integers(n_classes, 160))
    seed = draw(st.integers(0, 2**31 - 1))
    dtype = draw(st.sampled_from(DTYPES))
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.full(n_classes, draw(st.sampled_from([0.1, 1.0]))), n_samples)
    if draw(st.booleans()):
        # Coarse values: many ties at the cuts, which must come back as ties.
        probs = np.round(probs * 3) + 0.1
        probs /= probs.sum(axis=1, keepdims=True)
    labels = rng.integers(0, n_classes, n_samples)
    labels[:n_classes] = np.arange(n_classes)
    label_counts = np.bincount(labels, minlength=n_classes).astype(np.int64)
    # Small counts are decided among the rows whose label is not top; large
    # ones (up to the whole class) need the other rows too.
    scale = draw(st.sampled_from([0.1, 0.6, 1.2]))
    remove = (rng.random((n_classes, n_classes)) * label_counts[:, None] * scale).astype(np.int64)
    remove[rng.random(remove.shape) < 0.3] = 0
    np.fill_diagonal(remove, rng.integers(0, label_counts + 1))
    options = (draw(st.booleans()), draw(st.booleans()), draw(st.integers(0, 3)))
    # Bounds estimated on every few rows, as on millions of rows: sometimes
    # too tight, so that their cells are made again over the whole class.
    sampling = draw(st.sampled_from([None, (16, 8), (64, 0), (200, -3), (200, -8)]))
    return probs.astype(dtype), labels.astype(np.int64), remove, options, sampling


def start_bounds_from(sampling):
    """The compiled selections with start bounds sampled from every
    ``n_samples // sample_rows``-th row and ``spare`` more sampled margins
    kept below each (fewer than needed when negative), whatever the number
    of rows; ``None`` leaves the settings alone."""
    if sampling is None:
        return compiled_settings()
    sample_rows, spare = sampling
    return compiled_settings(
        START_BOUND_MIN_ROWS=0, START_BOUND_SAMPLE_ROWS=sample_rows, START_BOUND_SPARE=spare
    )


@needs_compiled
@settings(max_examples=400, deadline=None)
@given(pruning_problems())
def test_compiled_selection_matches_reference(problem):
    probs, labels, remove, (by_class, by_noise, min_rows), sampling = problem
    label_counts, order, own, top, own_floor, margin_floor = _selection_inputs(
        reference, probs, labels
    )
    before = probs.copy()
    arguments = (probs, labels, order, own, label_counts, remove, by_class, by_noise, min_rows)
    floors = (top, own_floor, margin_floor)
    with start_bounds_from(sampling):
        selected = compiled.select_issues(*arguments, *floors)
    for left, right in zip(selected, reference.select_issues(*arguments, *floors)):
        np.testing.assert_array_equal(left, right)
    np.testing.assert_array_equal(probs, before)


@needs_compiled
def test_start_bounds_cover_each_selection_on_a_large_sample():
    # On many rows the sampled bound of a cell lies above its cut (so that
    # the one pass decides it) but far below the margin floor.
    rng = np.random.default_rng(0)
    n_samples, n_classes = 300_000, 4
    probs = rng.dirichlet(np.full(n_classes, 0.3), n_samples).astype(np.float32)
    labels = rng.integers(0, n_classes, n_samples).astype(np.int64)
    label_counts, order, own, top, own_floor, margin_floor = _selection_inputs(
        compiled, probs, labels
    )
    remove = np.full((n_classes, n_classes), 2_000, dtype=np.int64)
    selected = ~np.eye(n_classes, dtype=bool)
    bounds = compiled._start_bounds(probs, labels, top, remove, selected, np.float32)
    for k in range(n_classes):
        candidates = (labels == k) & ~top
        for j in range(n_classes):
            if j == k:
                continue
            margin = np.sort(probs[candidates, k] - probs[candidates, j])
            assert margin[remove[k, j] - 1] <= bounds[k, j] < margin[2 * remove[k, j]]


@pytest.mark.parametrize("kernel", [reference, compiled], ids=["reference", "compiled"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_selection_is_the_sorted_prefix_or_a_reported_tie(kernel, dtype):
    if kernel is None:
        pytest.skip("kernel not compiled")
    rng = np.random.default_rng(3)
    n_classes, n_samples = 5, 400
    probs = rng.dirichlet(np.ones(n_classes), n_samples)
    probs[::3] = probs[0]
    probs = probs.astype(dtype)
    labels = (np.arange(n_samples) % n_classes).astype(np.int64)
    label_counts, order, own, top, own_floor, margin_floor = _selection_inputs(
        kernel, probs, labels
    )
    remove = rng.integers(1, 30, (n_classes, n_classes)).astype(np.int64)
    _, noise_mask, ties = kernel.select_issues(
        probs,
        labels,
        order,
        own,
        label_counts,
        remove,
        False,
        True,
        1,
        top,
        own_floor,
        margin_floor,
    )
    assert not noise_mask[top].any()
    tied = {(int(k), int(j)) for k, j in ties}
    for k in range(n_classes):
        rows = order[labels[order] == k]
        for j in range(n_classes):
            if j == k or (k, j) in tied:
                continue
            margin = probs[rows, k] - probs[rows, j]
            cut = np.sort(margin)[remove[k, j] - 1]
            # Every row of the prefix whose label is not top is flagged, and
            # the prefix is unambiguous.
            assert np.count_nonzero(margin <= cut) == remove[k, j]
            prefix = rows[margin <= cut]
            assert noise_mask[prefix[~top[prefix]]].all()
    assert len(tied) > 0
