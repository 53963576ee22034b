"""Confident learning: count, calibrate, estimate noise, and find label issues.

Pure functions over two arrays (Northcutt, Jiang & Chuang, "Confident
Learning: Estimating Uncertainty in Dataset Labels", JAIR 2021):

- ``labels``: int array of shape ``(n_samples,)``, the given (possibly wrong)
  class index of each sample, in ``0 .. n_classes - 1``;
- ``pred_probs``: array of shape ``(n_samples, n_classes)``, out-of-sample
  predicted class probabilities (e.g. from :func:`cross_val_pred_probs`),
  float16, float32 or float64, read in place and never modified.

The passes over ``pred_probs`` run in the compiled kernel
``sklweak.noise._counting_fast``, and so do the pruning rules' per-class
selections; what is left here works on ``(n_classes, n_classes)`` matrices.
"""

import warnings
from collections import namedtuple
from numbers import Integral, Real

import numpy as np

from ..utils._kernels import load_kernel
from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._validation import (
    check_noisy_labels,
    check_noisy_labels_but_rows,
    raise_for_invalid_row,
    row_sum_tolerance,
)

__all__ = [
    "compute_confident_joint",
    "estimate_noise_matrices",
    "find_label_issues",
    "label_quality_scores",
]

FILTER_RULES = (
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
)
QUALITY_METHODS = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")
# A threshold never falls below 2e-6, and a probability counts as reaching it
# from 1e-6 below, both in the input's own precision.
THRESHOLD_FLOOR = 2e-6
THRESHOLD_SLACK = 1e-6
NOISE_RATE_CEILING = 0.9999
PRIOR_FLOOR = 1e-6
TINY = 1e-100


def _kernel():
    return load_kernel("sklweak.noise._counting")


def _cutoffs(own, label_counts):
    """Per-class confidence cutoffs, computed in the input's own precision.

    The threshold of class ``c`` is the mean probability of ``c`` over the
    samples labeled ``c`` (``own``, grouped by label in sample order), as
    ``numpy.mean`` computes it on those values in the input's dtype (so that
    the cutoffs, and hence the confident joint, agree bit for bit with the
    reference implementation). A class without samples gets an unreachable
    threshold of 2.
    """
    dtype = own.dtype.type
    stops = np.cumsum(label_counts)
    thresholds = np.array(
        [
            own[stop - count : stop].mean() if count else 2.0
            for stop, count in zip(stops, label_counts)
        ],
        dtype=dtype,
    )
    thresholds = np.maximum(thresholds, dtype(THRESHOLD_FLOOR))
    return (thresholds - dtype(THRESHOLD_SLACK)).astype(np.float64)


ConfidentPass = namedtuple(
    "ConfidentPass",
    [
        "counts",
        "guess",
        "label_is_top",
        "own_floor",
        "margin_floor",
        "label_counts",
        "order",
        "own",
    ],
)


def _confident_pass(labels, pred_probs, n_classes):
    """Confident counts, per-row guesses and top flags, rows grouped by label.

    Two passes over ``pred_probs``: one checks the rows (the ``ValueError``
    of :func:`check_noisy_labels`, whose other checks the caller has made)
    and reads each one's probability of its label (grouped by label, for the
    cutoffs), one counts. Returns a
    :class:`ConfidentPass`: the kernel's ``count_confident`` outputs (the
    diagonal of ``counts`` raised to at least 1), ``label_counts``, ``order``
    (the sample indices sorted by given label, stable) and ``own`` (their
    probabilities of their labels).
    """
    kernel = _kernel()
    label_counts = np.bincount(labels, minlength=n_classes)
    tolerance = row_sum_tolerance(pred_probs)
    invalid_row, order, own = kernel.check_and_group(pred_probs, labels, label_counts, tolerance)
    raise_for_invalid_row(pred_probs, invalid_row, tolerance)
    cutoffs = _cutoffs(own, label_counts)
    counts, guess, label_is_top, own_floor, margin_floor = kernel.count_confident(
        pred_probs, labels, cutoffs
    )
    np.fill_diagonal(counts, np.maximum(np.diagonal(counts), 1))
    return ConfidentPass(
        counts, guess, label_is_top, own_floor, margin_floor, label_counts, order, own
    )


def _round_keeping_total(values):
    """Round a row to integers whose sum is the rounded sum of the row."""
    values = np.asarray(values, dtype=np.float64)
    rounded = np.round(values)
    target = np.round(values.sum())
    while rounded.sum() != target:
        gap = target - rounded.sum()
        step = 1.0 if gap > 0 else -1.0
        # Round up the largest leftovers (or down the smallest), tied cells in
        # numpy.argsort's order, as the reference implementation does.
        order = np.argsort(values - rounded)
        if step > 0:
            order = order[::-1]
        rounded[order[: min(int(abs(gap)), values.size)]] += step
    return rounded.astype(np.int64)


def _calibrate(counts, label_counts):
    """Scale each given-label row to that label's count, then round."""
    n_samples = label_counts.sum()
    rows = counts.sum(axis=1, keepdims=True)
    scaled = counts / np.maximum(rows, TINY) * label_counts[:, None]
    # The total is added up column by column (true label outer, given label
    # inner), as the reference implementation does on its transposed joint.
    # Float addition is not associative: summed row by row, the total can
    # differ in the last bit, and that bit decides which of several cells with
    # equal fractional parts is rounded up, hence how many samples a class
    # prunes.
    total = np.ascontiguousarray(scaled.T).sum()
    scaled = scaled / max(total, TINY) * n_samples
    return np.vstack([_round_keeping_total(row) for row in scaled])


@validate_params(
    {
        "labels": ["array-like"],
        "pred_probs": ["array-like"],
        "calibrate": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def compute_confident_joint(labels, pred_probs, *, calibrate=True):
    """Count samples by given label and confidently predicted true label.

    A sample is *confident* for class ``j`` when its probability of ``j``
    reaches the class threshold ``t_j``, the mean probability of ``j`` over the
    samples labeled ``j``. Its true-label guess is that class, or its argmax
    when several classes are confident; samples confident for no class are
    not counted. Diagonal entries are at least 1.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given labels, integer class indices ``0 .. n_classes - 1``.
    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample predicted probabilities, columns in class-index order;
        float16, float32 or float64 arrays are read without a copy.
    calibrate : bool, default=True
        Rescale each row so that it sums to the number of samples with that
        given label (and the whole matrix to ``n_samples``), then round to
        integers keeping the row totals.

    Returns
    -------
    confident_joint : ndarray of shape (n_classes, n_classes), dtype int64
        ``confident_joint[i, j]``: samples labeled ``i`` whose true label is
        confidently ``j``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.noise import compute_confident_joint
    >>> probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9], [0.95, 0.05]])
    >>> compute_confident_joint([0, 0, 1, 1, 1], probs, calibrate=False)
    array([[1, 0],
           [1, 2]])
    """
    checked = check_noisy_labels_but_rows(labels, pred_probs, require_every_class=False)
    confident = _confident_pass(*checked)
    if calibrate:
        return _calibrate(confident.counts, confident.label_counts)
    return confident.counts


@validate_params(
    {
        "labels": ["array-like"],
        "pred_probs": ["array-like"],
        "calibrate": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def estimate_noise_matrices(labels, pred_probs, *, calibrate=True):
    """Estimate the noise process from the confident joint.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given labels, integer class indices ``0 .. n_classes - 1``.
    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample predicted probabilities, columns in class-index order.
    calibrate : bool, default=True
        Calibrate the confident joint first (see
        :func:`compute_confident_joint`).

    Returns
    -------
    noise_matrix : ndarray of shape (n_classes, n_classes)
        ``noise_matrix[i, j]`` estimates ``P(given label = i | true label =
        j)``; columns sum to 1 (the convention of
        :func:`sklweak.datasets.make_noisy_labels`). Off-diagonal rates are
        capped at 0.9999 before the columns are renormalised.
    inverse_noise_matrix : ndarray of shape (n_classes, n_classes)
        ``inverse_noise_matrix[i, j]`` estimates ``P(true label = i | given
        label = j)``; columns sum to 1.
    true_class_prior : ndarray of shape (n_classes,)
        Estimated ``P(true label = j)``, at least 1e-6 each, summing to 1.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.noise import estimate_noise_matrices
    >>> probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9], [0.7, 0.3]])
    >>> noise, inverse, prior = estimate_noise_matrices([0, 0, 1, 1, 1], probs)
    >>> noise.sum(axis=0)
    array([1., 1.])
    """
    checked = check_noisy_labels_but_rows(labels, pred_probs, require_every_class=False)
    confident = _confident_pass(*checked)
    label_counts = confident.label_counts
    counts = confident.counts
    if calibrate:
        counts = _calibrate(counts, label_counts)
    counts = counts.astype(np.float64)
    noise_matrix = counts / np.maximum(counts.sum(axis=0), TINY)
    inverse = counts.T / np.maximum(counts.sum(axis=1), TINY)
    given_prior = label_counts / label_counts.sum()
    prior = np.diagonal(inverse) / np.maximum(np.diagonal(noise_matrix), TINY) * given_prior
    prior = np.clip(prior, PRIOR_FLOOR, 1.0)
    prior = prior / prior.sum()
    return _cap_noise_rates(noise_matrix), _cap_noise_rates(inverse), prior


def _cap_noise_rates(matrix):
    capped = np.clip(matrix, 0.0, NOISE_RATE_CEILING)
    np.fill_diagonal(capped, np.diagonal(matrix))
    return capped / np.maximum(capped.sum(axis=0), TINY)


def _prune_counts(confident_joint, min_examples_per_class, frac_noise):
    """How many samples to prune per (given, true) pair.

    Returns ``remove`` with ``remove[k, j]`` (``j != k``) the number of
    samples labeled ``k`` to flag as truly ``j``, and ``remove[k, k]`` the
    number of samples labeled ``k`` to keep. Each class keeps at least
    ``min_examples_per_class``, and only ``frac_noise`` of each off-diagonal
    count is pruned (rounded down).
    """
    # Work with true labels on rows and given labels on columns.
    by_given = confident_joint.T.astype(np.float64)
    kept = np.diagonal(by_given).copy()
    new_kept = np.maximum(kept, min_examples_per_class)
    n_noise_rates = np.maximum(np.count_nonzero(by_given, axis=0) - 1.0, 1.0)
    adjusted = by_given - (new_kept - kept) / n_noise_rates
    adjusted[adjusted < 0] = 0
    np.fill_diagonal(adjusted, new_kept)
    reduced = adjusted * frac_noise
    np.fill_diagonal(reduced, new_kept + (adjusted - reduced).sum(axis=0))
    return reduced.astype(np.int64).T


def _first_in_sort_order(values, count):
    """Positions of the first ``count`` entries of ``numpy.argsort(values)``.

    Used only where values tied at a pruning cut are partly taken: the full
    sort order decides which, as in the original confident-learning
    implementation, so both flag the same samples.
    """
    return np.argsort(values)[:count]


def _prune(labels, pred_probs, confident, remove, rule, min_examples_per_class):
    """Masks of the ``prune_by_class`` and ``prune_by_noise_rate`` rules.

    The compiled kernel makes every per-class selection in one call (rows
    whose label is top left out); the few selections whose cut falls among
    tied values come back and are made here with a full sort of that class's
    values (in the input dtype).
    """
    label_counts, order = confident.label_counts, confident.order
    for k in np.flatnonzero(label_counts <= min_examples_per_class):
        warnings.warn(
            f"Class {k} has {label_counts[k]} examples, not more than "
            f"min_examples_per_class={min_examples_per_class}; none of its "
            "labels is flagged.",
            UserWarning,
            stacklevel=3,
        )
    by_class, by_noise, ties = _kernel().select_issues(
        pred_probs,
        labels,
        order,
        confident.own,
        label_counts,
        remove,
        rule != "prune_by_noise_rate",
        rule != "prune_by_class",
        min_examples_per_class,
        confident.label_is_top,
        confident.own_floor,
        confident.margin_floor,
    )
    stops = np.cumsum(label_counts)
    for k, j in ties:
        rows = order[stops[k] - label_counts[k] : stops[k]]
        own = pred_probs[rows, k]
        if j == k:
            by_class[rows[_first_in_sort_order(own, label_counts[k] - remove[k, k])]] = True
        else:
            # p_k - p_j is exactly minus the margin p_j - p_k.
            margin = own - pred_probs[rows, j]
            by_noise[rows[_first_in_sort_order(margin, remove[k, j])]] = True
    if rule == "prune_by_class":
        return by_class
    if rule == "prune_by_noise_rate":
        return by_noise
    return by_class & by_noise


@validate_params(
    {
        "labels": ["array-like"],
        "pred_probs": ["array-like"],
        "filter_by": [StrOptions(set(FILTER_RULES))],
        "return_indices_ranked_by": [StrOptions(set(QUALITY_METHODS)), None],
        "frac_noise": [Interval(Real, 0, 1, closed="both")],
        "min_examples_per_class": [Interval(Integral, 0, None, closed="left")],
        "confident_joint": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def find_label_issues(
    labels,
    pred_probs,
    *,
    filter_by="prune_by_noise_rate",
    return_indices_ranked_by=None,
    frac_noise=1.0,
    min_examples_per_class=1,
    confident_joint=None,
):
    """Flag the samples whose given label is likely wrong.

    Rules (``filter_by``), all from the confident-learning paper:

    - ``"prune_by_class"``: in each given class ``k``, flag the samples with
      the lowest probability of ``k``, as many as the calibrated confident
      joint says are mislabeled in that class;
    - ``"prune_by_noise_rate"``: for each pair ``(k, j)``, flag the samples
      labeled ``k`` with the largest margin ``p_j - p_k``, as many as the
      confident joint counts in cell ``(k, j)``;
    - ``"both"``: flagged by both of the above;
    - ``"confident_learning"``: the samples off the diagonal of the confident
      joint (confidently another class than the given one);
    - ``"predicted_neq_given"``: the argmax differs from the given label.

    Whatever the rule, a sample whose given label is its most probable class
    is never flagged. Samples tied at a pruning cut are taken in the order
    of ``numpy.argsort``, as in the reference implementation (cleanlab).

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given labels, integer class indices ``0 .. n_classes - 1``; every
        class needs at least one sample.
    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample predicted probabilities, columns in class-index order;
        float16, float32 or float64 arrays are read without a copy.
    filter_by : {"prune_by_noise_rate", "prune_by_class", "both", \
            "confident_learning", "predicted_neq_given"}, \
            default="prune_by_noise_rate"
        The rule deciding which samples are flagged.
    return_indices_ranked_by : {"self_confidence", "normalized_margin", \
            "confidence_weighted_entropy"} or None, default=None
        Return the indices of the flagged samples, most likely wrong first
        (by increasing :func:`label_quality_scores`), instead of a mask.
    frac_noise : float in [0, 1], default=1.0
        Fraction of the estimated number of issues to flag, for the pruning
        rules.
    min_examples_per_class : int, default=1
        Each class keeps at least this many samples unflagged, for the pruning
        rules.
    confident_joint : array-like of shape (n_classes, n_classes), default=None
        A precomputed (calibrated) confident joint for the pruning rules;
        computed from the inputs when None.

    Returns
    -------
    label_issues : ndarray
        Boolean mask of shape ``(n_samples,)``, or the int64 indices of the
        flagged samples when ``return_indices_ranked_by`` is set.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.noise import find_label_issues
    >>> probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9],
    ...                   [0.95, 0.05], [0.2, 0.8]])
    >>> labels = [0, 0, 1, 1, 1, 1]
    >>> find_label_issues(labels, probs, filter_by="confident_learning")
    array([False, False, False, False,  True, False])
    >>> find_label_issues(labels, probs, return_indices_ranked_by="self_confidence")
    array([4])
    """
    labels, pred_probs, n_classes = check_noisy_labels_but_rows(labels, pred_probs)
    confident = _confident_pass(labels, pred_probs, n_classes)
    if filter_by == "confident_learning":
        issues = (confident.guess >= 0) & (confident.guess != labels)
    elif filter_by == "predicted_neq_given":
        issues = ~confident.label_is_top
    else:
        if confident_joint is None:
            confident_joint = _calibrate(confident.counts, confident.label_counts)
        else:
            confident_joint = np.asarray(confident_joint)
            if confident_joint.shape != (n_classes, n_classes):
                raise ValueError(
                    f"confident_joint must have shape ({n_classes}, {n_classes}); "
                    f"got {confident_joint.shape}."
                )
        remove = _prune_counts(confident_joint, min_examples_per_class, frac_noise)
        issues = _prune(labels, pred_probs, confident, remove, filter_by, min_examples_per_class)
    issues &= ~confident.label_is_top
    if return_indices_ranked_by is None:
        return issues
    flagged = np.flatnonzero(issues)
    scores = _kernel().quality_scores(
        pred_probs[flagged], labels[flagged], return_indices_ranked_by
    )
    return flagged[np.argsort(scores, kind="stable")]


@validate_params(
    {
        "labels": ["array-like"],
        "pred_probs": ["array-like"],
        "method": [StrOptions(set(QUALITY_METHODS))],
    },
    prefer_skip_nested_validation=True,
)
def label_quality_scores(labels, pred_probs, *, method="self_confidence"):
    """Score how much each given label can be trusted (higher = better).

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given labels, integer class indices ``0 .. n_classes - 1``.
    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample predicted probabilities, columns in class-index order.
    method : {"self_confidence", "normalized_margin", \
            "confidence_weighted_entropy"}, default="self_confidence"
        ``"self_confidence"``: the probability of the given label.
        ``"normalized_margin"``: ``(p_label - max_other + 1) / 2``, in [0, 1].
        ``"confidence_weighted_entropy"``: ``log(1 + r) / r`` with ``r`` the
        entropy (normalised by ``log(n_classes)``) divided by the
        self-confidence, both floored at 1e-6.

    Returns
    -------
    scores : ndarray of shape (n_samples,), dtype float64

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.noise import label_quality_scores
    >>> probs = np.array([[0.9, 0.1], [0.4, 0.6]])
    >>> label_quality_scores([0, 0], probs, method="normalized_margin")
    array([0.9, 0.4])
    """
    labels, pred_probs, _ = check_noisy_labels(labels, pred_probs, require_every_class=False)
    return _kernel().quality_scores(pred_probs, labels, method)
