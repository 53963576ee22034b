"""Compiled counting kernel against its pure-NumPy reference."""

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
    for left, right in zip(
        compiled.count_confident(probs, labels, cutoffs),
        reference.count_confident(probs, labels, cutoffs),
    ):
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


@pytest.mark.parametrize("kernel", [reference, compiled], ids=["reference", "compiled"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_label_bonus_uses_input_precision(kernel, dtype):
    if kernel is None:
        pytest.skip("kernel not compiled")
    # Two classes tied: the bonus makes the given label the top class. For
    # float16 a bonus of 1e-6 vanishes on 0.5, so the first column wins.
    probs = np.array([[0.5, 0.5], [0.5, 0.5]], dtype=dtype)
    labels = np.array([0, 1])
    _, _, top = kernel.count_confident(probs, labels, np.array([2.0, 2.0]))
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
    counts, guess, _ = compiled.count_confident(probs, labels, np.full(4, 0.3))
    assert counts.sum() == np.count_nonzero(guess >= 0)


@st.composite
def pruning_problems(draw):
    n_classes = draw(st.integers(2, 7))
    n_samples = draw(st.integers(n_classes, 80))
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
    order = np.argsort(labels, kind="stable").astype(np.int64)
    remove = (rng.random((n_classes, n_classes)) * label_counts[:, None] * 0.6).astype(np.int64)
    remove[rng.random(remove.shape) < 0.3] = 0
    np.fill_diagonal(remove, rng.integers(0, label_counts + 1))
    options = (draw(st.booleans()), draw(st.booleans()), draw(st.integers(0, 3)))
    return probs.astype(dtype), order, label_counts, remove, options


@needs_compiled
@settings(max_examples=200, deadline=None)
@given(pruning_problems())
def test_compiled_selection_matches_reference(problem):
    probs, order, label_counts, remove, (by_class, by_noise, min_rows) = problem
    before = probs.copy()
    for left, right in zip(
        compiled.select_issues(probs, order, label_counts, remove, by_class, by_noise, min_rows),
        reference.select_issues(probs, order, label_counts, remove, by_class, by_noise, min_rows),
    ):
        np.testing.assert_array_equal(left, right)
    np.testing.assert_array_equal(probs, before)


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
    labels = np.arange(n_samples) % n_classes
    label_counts = np.bincount(labels).astype(np.int64)
    order = np.argsort(labels, kind="stable").astype(np.int64)
    remove = rng.integers(1, 30, (n_classes, n_classes)).astype(np.int64)
    _, noise_mask, ties = kernel.select_issues(probs, order, label_counts, remove, False, True, 1)
    tied = {(int(k), int(j)) for k, j in ties}
    for k in range(n_classes):
        rows = order[labels[order] == k]
        for j in range(n_classes):
            if j == k or (k, j) in tied:
                continue
            margin = probs[rows, k] - probs[rows, j]
            cut = np.sort(margin)[remove[k, j] - 1]
            # Every row of the prefix is flagged, and the prefix is unambiguous.
            assert np.count_nonzero(margin <= cut) == remove[k, j]
            assert noise_mask[rows[margin <= cut]].all()
    assert len(tied) > 0
