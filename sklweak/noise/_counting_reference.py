"""Counting passes of confident learning, in plain NumPy.

The readable reference of ``_counting_fast``: same functions, same signatures,
same results. It is used by the parity tests and, when asked for
(``SKLWEAK_KERNELS=reference``), in place of the compiled module.

Conventions shared with the compiled module:

- ``pred_probs`` is a C-contiguous ``(n_samples, n_classes)`` array of
  float16, float32 or float64 and is never modified nor copied as a whole;
  it is read in blocks of rows (converted to float32 or float64 block by
  block) so no full ``(n_samples, n_classes)`` temporary is made.
- ``labels`` is an int64 array of class indices in ``[0, n_classes)``.
- A comparison against a per-class ``cutoffs`` value happens in float64, where
  every float16/float32/float64 value is exact.
- "The given label is the top class" adds ``1e-6`` to the given label's
  probability *in the input's own precision* before taking the argmax (the
  first largest wins), so the rule agrees with the confident-learning
  reference implementation for every input dtype.
"""

import numpy as np

__all__ = [
    "check_and_group",
    "count_confident",
    "first_invalid_row",
    "group_by_label",
    "quality_scores",
    "select_issues",
]

BLOCK_ROWS = 8192
LABEL_BONUS = 1e-6
_METHODS = {"self_confidence": 0, "normalized_margin": 1, "confidence_weighted_entropy": 2}
CLIP = 1e-6


def _blocks(n_samples):
    for start in range(0, n_samples, BLOCK_ROWS):
        yield start, min(start + BLOCK_ROWS, n_samples)


def first_invalid_row(pred_probs, tolerance):
    """Index of the first row with a non-finite or negative entry, an entry
    above 1, or a sum farther than ``tolerance`` from 1; -1 when all are valid.
    """
    for start, stop in _blocks(pred_probs.shape[0]):
        block = pred_probs[start:stop].astype(np.float64)
        finite = np.isfinite(block).all(axis=1)
        in_range = (block >= 0).all(axis=1) & (block <= 1 + tolerance).all(axis=1)
        sums = np.where(finite, block.sum(axis=1), np.inf)
        bad = ~(finite & in_range & (np.abs(sums - 1.0) <= tolerance))
        if bad.any():
            return start + int(np.flatnonzero(bad)[0])
    return -1


def check_and_group(pred_probs, labels, label_counts, tolerance):
    """:func:`first_invalid_row`, then the outputs of :func:`group_by_label`
    (which mean nothing when the row is not -1)."""
    return (
        first_invalid_row(pred_probs, tolerance),
        *group_by_label(pred_probs, labels, label_counts),
    )


def group_by_label(pred_probs, labels, label_counts):
    """Rows grouped by given label, and each row's probability of its label.

    Returns ``order = numpy.argsort(labels, kind="stable")`` and ``own =
    pred_probs[order, labels[order]]`` (in the input's dtype).
    """
    order = np.argsort(labels, kind="stable")
    return order, pred_probs[order, labels[order]]


def count_confident(pred_probs, labels, cutoffs):
    """One pass: the confident counts, per row the guess and the top flag, and
    per class the floors of the rows whose label is top.

    Row ``i`` is confident for class ``j`` when ``pred_probs[i, j] >=
    cutoffs[j]``. With one confident class the guess is that class; with
    several it is the row's argmax; with none it is -1.

    Returns
    -------
    counts : int64 ndarray of shape (n_classes, n_classes)
        ``counts[given, guess]`` over the rows with a guess.
    guess : int32 ndarray of shape (n_samples,)
    label_is_top : bool ndarray of shape (n_samples,)
        The given label is the argmax once ``1e-6`` is added to its
        probability in the input's precision.
    own_floor : float64 ndarray of shape (n_classes,)
        Per given class, the smallest probability of the label over the rows
        whose label is top (``inf`` when there is none).
    margin_floor : float64 ndarray of shape (n_classes,)
        Per given class, the smallest ``p_label - max_other`` over the same
        rows, the difference taken in the input's precision.
    """
    n_samples, n_classes = pred_probs.shape
    dtype = pred_probs.dtype.type
    bonus = dtype(LABEL_BONUS)
    cutoffs = np.asarray(cutoffs, dtype=np.float64)
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    guess = np.empty(n_samples, dtype=np.int32)
    label_is_top = np.empty(n_samples, dtype=bool)
    own_floor = np.full(n_classes, np.inf)
    margin_floor = np.full(n_classes, np.inf)
    for start, stop in _blocks(n_samples):
        block = pred_probs[start:stop]
        rows = np.arange(stop - start)
        given = labels[start:stop]
        confident = block.astype(np.float64) >= cutoffs
        n_confident = confident.sum(axis=1)
        block_guess = np.where(n_confident > 1, block.argmax(axis=1), confident.argmax(axis=1))
        block_guess[n_confident == 0] = -1
        guess[start:stop] = block_guess
        has_guess = block_guess >= 0
        np.add.at(counts, (given[has_guess], block_guess[has_guess]), 1)
        boosted = block.copy()
        boosted[rows, given] = block[rows, given] + bonus
        top = boosted.argmax(axis=1) == given
        label_is_top[start:stop] = top
        own = block[rows, given]
        others = block.copy()
        others[rows, given] = -np.inf
        margin = own - others.max(axis=1)
        np.minimum.at(own_floor, given[top], own[top].astype(np.float64))
        np.minimum.at(margin_floor, given[top], margin[top].astype(np.float64))
    return counts, guess, label_is_top, own_floor, margin_floor


def quality_scores(pred_probs, labels, method):
    """Label-quality score of each row, in float64 (higher = more trusted).

    ``method`` is ``"self_confidence"`` (the given label's probability),
    ``"normalized_margin"`` (``(p_label - max_other + 1) / 2``) or
    ``"confidence_weighted_entropy"`` (``log(1 + h / s) / max(h / s, 1e-6)``
    with ``h`` the entropy normalised by ``log(n_classes)`` and ``s`` the
    self-confidence clipped at ``1e-6``).
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {sorted(_METHODS)}; got {method!r}.")
    n_samples, n_classes = pred_probs.shape
    scores = np.empty(n_samples, dtype=np.float64)
    for start, stop in _blocks(n_samples):
        block = pred_probs[start:stop].astype(np.float64)
        rows = np.arange(stop - start)
        given = labels[start:stop]
        own = block[rows, given]
        if method == "self_confidence":
            scores[start:stop] = own
        elif method == "normalized_margin":
            block[rows, given] = -np.inf
            scores[start:stop] = (own - block.max(axis=1) + 1.0) / 2.0
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                plogp = np.where(block > 0, block * np.log(block), 0.0)
            entropy = -plogp.sum(axis=1) / np.log(n_classes)
            ratio = entropy / np.maximum(own, CLIP)
            scores[start:stop] = np.log(ratio + 1.0) / np.maximum(ratio, CLIP)
    return scores


def _flag_smallest(values, rows, count, mask):
    """Flag ``rows`` of the ``count`` smallest ``values``; False when values
    tied at the cut are only partly taken (then nothing is flagged)."""
    if count >= values.shape[0]:
        mask[rows] = True
        return True
    cut = np.partition(values, count - 1)[count - 1]
    taken = values <= cut
    if np.count_nonzero(taken) != count:
        return False
    mask[rows[taken]] = True
    return True


def select_issues(
    pred_probs,
    labels,
    order,
    own,
    label_counts,
    remove,
    by_class,
    by_noise,
    min_rows,
    label_is_top,
    own_floor,
    margin_floor,
):
    """The pruning selections of confident learning, one given class at a time.

    Rows are grouped by given label (``order`` and ``own`` as returned by
    :func:`group_by_label`): class ``k`` owns ``order[sum(label_counts[:k]) :
    sum(label_counts[:k + 1])]``; a class with at most ``min_rows`` rows is
    skipped.

    - By class (``by_class``): the ``label_counts[k] - remove[k, k]`` rows of
      class ``k`` with the smallest probability of ``k``.
    - By noise rate (``by_noise``): for each ``j != k`` with ``remove[k, j] >
      0``, the ``remove[k, j]`` rows of class ``k`` with the smallest
      ``p_k - p_j``, the difference taken in the input's precision.

    Only the selected rows whose label is not top (``label_is_top``) are
    returned: the others are never flagged. ``labels``, ``own``,
    ``own_floor`` and ``margin_floor`` (from :func:`count_confident`) let the
    compiled module make most selections among those rows alone, in one pass
    over the rows; this reference makes every selection over the whole class
    and does not need them.

    A selection whose cut falls among tied values, only some of which fit, is
    not made here: its cell is returned in ``ties`` for the caller to resolve
    with a full sort.

    Returns
    -------
    class_mask : bool ndarray of shape (n_samples,)
        All False when ``by_class`` is false.
    noise_mask : bool ndarray of shape (n_samples,)
        All False when ``by_noise`` is false.
    ties : int64 ndarray of shape (n_ties, 2)
        Cells ``(k, j)``, sorted, left to the caller; ``j == k`` is class
        ``k``'s by-class selection.
    """
    n_samples, n_classes = pred_probs.shape
    class_mask = np.zeros(n_samples, dtype=bool)
    noise_mask = np.zeros(n_samples, dtype=bool)
    ties = []
    stops = np.cumsum(label_counts)
    for k in range(n_classes):
        n_rows = int(label_counts[k])
        if n_rows <= min_rows:
            continue
        rows = order[stops[k] - n_rows : stops[k]]
        columns = np.ascontiguousarray(pred_probs[rows].T)
        if by_class:
            count = n_rows - int(remove[k, k])
            if count >= 1 and not _flag_smallest(columns[k], rows, count, class_mask):
                ties.append((k, k))
        if by_noise:
            for j in np.flatnonzero(remove[k] > 0):
                if j != k:
                    margin = columns[k] - columns[j]
                    if not _flag_smallest(margin, rows, int(remove[k, j]), noise_mask):
                        ties.append((k, j))
    not_top = ~np.asarray(label_is_top, dtype=bool)
    ties = sorted(ties)
    return class_mask & not_top, noise_mask & not_top, np.array(ties, dtype=np.int64).reshape(-1, 2)
