"""Counting passes of confident learning, compiled.

Same functions and signatures as ``_counting_reference`` (read its docstring
for the conventions). Every function is a single pass over the rows of
``pred_probs``, reading it in place whatever its floating dtype:

- float32 and float64 are read directly through fused typed memoryviews;
- float16 has no C type, so the rows are read as their raw ``uint16`` bit
  patterns and converted through a 65,536-entry float32 table built by NumPy
  at import (exact, since every float16 is a float32). A second table holds,
  for each float16 ``h``, the float16 sum ``h + 1e-6`` as NumPy computes it,
  so the "given label is the top class" rule is the same in every precision.

The only arrays allocated are O(n_samples) outputs and O(n_classes) buffers,
except in ``select_issues``, which copies one given class's rows at a time
(transposed, in the input's dtype).
"""

import numpy as np

from libc.math cimport INFINITY, fabs, frexp, isfinite, ldexp, log, rint
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy
from numpy cimport float32_t, float64_t, int32_t, int64_t, uint8_t, uint16_t

ctypedef fused prob_t:
    uint16_t
    float32_t
    float64_t


def _half_tables():
    bits = np.arange(65536, dtype=np.uint16).view(np.float16)
    with np.errstate(invalid="ignore", over="ignore"):
        plus = bits + np.float16(1e-6)
    return (
        np.ascontiguousarray(bits.astype(np.float32)),
        np.ascontiguousarray(plus.astype(np.float32)),
    )


_HALF_VALUE, _HALF_PLUS_BONUS = _half_tables()
cdef const float32_t[::1] HALF_VALUE = _HALF_VALUE
cdef const float32_t[::1] HALF_PLUS_BONUS = _HALF_PLUS_BONUS

cdef double LABEL_BONUS = 1e-6
cdef double CLIP = 1e-6


cdef inline double _value(prob_t x) noexcept nogil:
    if prob_t is uint16_t:
        return HALF_VALUE[x]
    else:
        return x


cdef inline double _boosted(prob_t x) noexcept nogil:
    """``x + 1e-6`` rounded to the precision of ``x``."""
    if prob_t is uint16_t:
        return HALF_PLUS_BONUS[x]
    elif prob_t is float32_t:
        return <float32_t>(x + <float32_t>LABEL_BONUS)
    else:
        return x + LABEL_BONUS


def _raw(pred_probs):
    """The memoryview-compatible array: float16 is viewed as uint16 bits."""
    if pred_probs.dtype == np.float16:
        return pred_probs.view(np.uint16)
    return pred_probs


cdef Py_ssize_t _first_invalid_row(const prob_t[:, ::1] p, double tolerance) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef Py_ssize_t n_samples = p.shape[0], n_classes = p.shape[1]
    cdef double v, total
    for i in range(n_samples):
        total = 0.0
        for j in range(n_classes):
            v = _value(p[i, j])
            if not isfinite(v) or v < 0.0 or v > 1.0 + tolerance:
                return i
            total += v
        if fabs(total - 1.0) > tolerance:
            return i
    return -1


def first_invalid_row(pred_probs, double tolerance):
    """Index of the first invalid row of ``pred_probs``, -1 when all are valid.

    Parameters
    ----------
    pred_probs : ndarray of shape (n_samples, n_classes)
        float16, float32 or float64, C-contiguous.
    tolerance : float
        Allowed distance of a row sum from 1 (and of an entry above 1).

    Returns
    -------
    row : int
    """
    cdef const uint16_t[:, ::1] p16
    cdef const float32_t[:, ::1] p32
    cdef const float64_t[:, ::1] p64
    cdef Py_ssize_t row
    raw = _raw(pred_probs)
    if raw.dtype == np.uint16:
        p16 = raw
        with nogil:
            row = _first_invalid_row(p16, tolerance)
    elif raw.dtype == np.float32:
        p32 = raw
        with nogil:
            row = _first_invalid_row(p32, tolerance)
    else:
        p64 = raw
        with nogil:
            row = _first_invalid_row(p64, tolerance)
    return row


cdef void _count_confident(
    const prob_t[:, ::1] p, const int64_t[::1] labels, const float64_t[::1] cutoffs,
    int64_t[:, ::1] counts, int32_t[::1] guess, uint8_t[::1] label_is_top,
) noexcept nogil:
    cdef Py_ssize_t i, j, n_confident, first_confident, top, top_boosted
    cdef Py_ssize_t n_samples = p.shape[0], n_classes = p.shape[1]
    cdef int64_t label
    cdef double v, best, best_boosted
    for i in range(n_samples):
        label = labels[i]
        n_confident = 0
        first_confident = -1
        top = 0
        top_boosted = 0
        best = -INFINITY
        best_boosted = -INFINITY
        for j in range(n_classes):
            v = _value(p[i, j])
            if v >= cutoffs[j]:
                if n_confident == 0:
                    first_confident = j
                n_confident += 1
            if v > best:
                best = v
                top = j
            if j == label:
                v = _boosted(p[i, j])
            if v > best_boosted:
                best_boosted = v
                top_boosted = j
        if n_confident == 0:
            guess[i] = -1
        else:
            guess[i] = <int32_t>(top if n_confident > 1 else first_confident)
            counts[label, guess[i]] += 1
        label_is_top[i] = top_boosted == label


def count_confident(pred_probs, const int64_t[::1] labels, cutoffs):
    """One pass: confident counts, per-row guess and "given label is top" flag.

    Parameters
    ----------
    pred_probs : ndarray of shape (n_samples, n_classes)
        float16, float32 or float64, C-contiguous; read, never written.
    labels : int64 ndarray of shape (n_samples,)
    cutoffs : float64 ndarray of shape (n_classes,)
        A row is confident for class ``j`` when its probability is at least
        ``cutoffs[j]``.

    Returns
    -------
    counts : int64 ndarray of shape (n_classes, n_classes)
    guess : int32 ndarray of shape (n_samples,)
    label_is_top : bool ndarray of shape (n_samples,)
    """
    n_samples, n_classes = pred_probs.shape
    cdef const float64_t[::1] cut = np.ascontiguousarray(cutoffs, dtype=np.float64)
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    guess = np.empty(n_samples, dtype=np.int32)
    top = np.empty(n_samples, dtype=np.uint8)
    cdef int64_t[:, ::1] counts_view = counts
    cdef int32_t[::1] guess_view = guess
    cdef uint8_t[::1] top_view = top
    cdef const uint16_t[:, ::1] p16
    cdef const float32_t[:, ::1] p32
    cdef const float64_t[:, ::1] p64
    raw = _raw(pred_probs)
    if raw.dtype == np.uint16:
        p16 = raw
        with nogil:
            _count_confident(p16, labels, cut, counts_view, guess_view, top_view)
    elif raw.dtype == np.float32:
        p32 = raw
        with nogil:
            _count_confident(p32, labels, cut, counts_view, guess_view, top_view)
    else:
        p64 = raw
        with nogil:
            _count_confident(p64, labels, cut, counts_view, guess_view, top_view)
    return counts, guess, top.view(bool)


cdef void _quality_scores(
    const prob_t[:, ::1] p, const int64_t[::1] labels, int method,
    float64_t[::1] scores,
) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef Py_ssize_t n_samples = p.shape[0], n_classes = p.shape[1]
    cdef int64_t label
    cdef double v, own, other, entropy, ratio
    cdef double log_k = log(<double>n_classes)
    for i in range(n_samples):
        label = labels[i]
        own = _value(p[i, label])
        if method == 0:
            scores[i] = own
        elif method == 1:
            other = -INFINITY
            for j in range(n_classes):
                if j != label:
                    v = _value(p[i, j])
                    if v > other:
                        other = v
            scores[i] = (own - other + 1.0) / 2.0
        else:
            entropy = 0.0
            for j in range(n_classes):
                v = _value(p[i, j])
                if v > 0.0:
                    entropy -= v * log(v)
            ratio = (entropy / log_k) / (own if own > CLIP else CLIP)
            scores[i] = log(ratio + 1.0) / (ratio if ratio > CLIP else CLIP)


_METHODS = {"self_confidence": 0, "normalized_margin": 1, "confidence_weighted_entropy": 2}


def quality_scores(pred_probs, const int64_t[::1] labels, method):
    """Label-quality score of each row, in float64 (higher = more trusted).

    Parameters
    ----------
    pred_probs : ndarray of shape (n_samples, n_classes)
    labels : int64 ndarray of shape (n_samples,)
    method : {"self_confidence", "normalized_margin", "confidence_weighted_entropy"}

    Returns
    -------
    scores : float64 ndarray of shape (n_samples,)
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {sorted(_METHODS)}; got {method!r}.")
    cdef int code = _METHODS[method]
    scores = np.empty(pred_probs.shape[0], dtype=np.float64)
    cdef float64_t[::1] scores_view = scores
    cdef const uint16_t[:, ::1] p16
    cdef const float32_t[:, ::1] p32
    cdef const float64_t[:, ::1] p64
    raw = _raw(pred_probs)
    if raw.dtype == np.uint16:
        p16 = raw
        with nogil:
            _quality_scores(p16, labels, code, scores_view)
    elif raw.dtype == np.float32:
        p32 = raw
        with nogil:
            _quality_scores(p32, labels, code, scores_view)
    else:
        p64 = raw
        with nogil:
            _quality_scores(p64, labels, code, scores_view)
    return scores


cdef inline double _round_to_half(double v) noexcept nogil:
    """``v`` rounded to the nearest float16 (ties to even), for |v| <= 2."""
    cdef int exponent
    cdef double step
    if v == 0.0:
        return v
    frexp(v, &exponent)
    # float16 keeps 11 significant bits above 2**-14 and a fixed step of
    # 2**-24 below it.
    step = ldexp(1.0, -24) if exponent - 1 < -14 else ldexp(1.0, exponent - 11)
    return rint(v / step) * step


cdef inline double _difference(prob_t own, prob_t other) noexcept nogil:
    """``own - other`` rounded to the input's precision, as NumPy computes it
    (float16 through float32, where a second rounding cannot change it)."""
    cdef float32_t single
    if prob_t is uint16_t:
        single = HALF_VALUE[own] - HALF_VALUE[other]
        return _round_to_half(single)
    elif prob_t is float32_t:
        single = own - other
        return single
    else:
        return own - other


cdef double _kth_smallest(double* values, Py_ssize_t n, Py_ssize_t kth) noexcept nogil:
    """The ``kth`` smallest (0-based) of ``values[:n]``, reordering them."""
    cdef Py_ssize_t low = 0, high = n - 1, less, more, i
    cdef double pivot, a, b, c, swap
    while low < high:
        a = values[low]
        b = values[low + (high - low) // 2]
        c = values[high]
        pivot = max(min(a, b), min(max(a, b), c))
        less = low
        more = high
        i = low
        while i <= more:
            if values[i] < pivot:
                swap = values[less]
                values[less] = values[i]
                values[i] = swap
                less += 1
                i += 1
            elif values[i] > pivot:
                swap = values[more]
                values[more] = values[i]
                values[i] = swap
                more -= 1
            else:
                i += 1
        if kth < less:
            high = less - 1
        elif kth > more:
            low = more + 1
        else:
            return pivot
    return values[kth]


cdef inline void _sift_down(double* heap, Py_ssize_t size, Py_ssize_t node) noexcept nogil:
    cdef Py_ssize_t child
    cdef double value = heap[node]
    while True:
        child = 2 * node + 1
        if child >= size:
            break
        if child + 1 < size and heap[child + 1] > heap[child]:
            child += 1
        if heap[child] <= value:
            break
        heap[node] = heap[child]
        node = child
    heap[node] = value


cdef double _kth_smallest_by_heap(
    const double* values, Py_ssize_t n, Py_ssize_t count, double* heap
) noexcept nogil:
    """The ``count``-th smallest of ``values[:n]`` through a max-heap of the
    ``count`` smallest seen so far: one pass, fast when ``count`` is small."""
    cdef Py_ssize_t r, node
    memcpy(heap, values, count * sizeof(double))
    for node in range(count // 2 - 1, -1, -1):
        _sift_down(heap, count, node)
    for r in range(count, n):
        if values[r] < heap[0]:
            heap[0] = values[r]
            _sift_down(heap, count, 0)
    return heap[0]


cdef bint _flag_smallest(
    const double* values, const int64_t* rows, Py_ssize_t n, Py_ssize_t count,
    double* scratch, uint8_t[::1] mask,
) noexcept nogil:
    cdef Py_ssize_t r, n_taken = 0
    cdef double cut
    if count >= n:
        for r in range(n):
            mask[rows[r]] = 1
        return True
    if count * 8 <= n:
        cut = _kth_smallest_by_heap(values, n, count, scratch)
    else:
        memcpy(scratch, values, n * sizeof(double))
        cut = _kth_smallest(scratch, n, count - 1)
    for r in range(n):
        if values[r] <= cut:
            n_taken += 1
    if n_taken != count:
        return False
    for r in range(n):
        if values[r] <= cut:
            mask[rows[r]] = 1
    return True


cdef Py_ssize_t _select_issues(
    const prob_t[:, ::1] p, const int64_t[::1] order, const int64_t[::1] label_counts,
    const int64_t[:, ::1] remove, bint by_class, bint by_noise, Py_ssize_t min_rows,
    uint8_t[::1] class_mask, uint8_t[::1] noise_mask, int64_t[:, ::1] ties,
    prob_t* columns, double* values, double* scratch,
) noexcept nogil:
    cdef Py_ssize_t n_classes = p.shape[1]
    cdef Py_ssize_t k, j, r, n_rows, start = 0, n_ties = 0
    cdef const int64_t* rows
    for k in range(n_classes):
        n_rows = label_counts[k]
        rows = &order[start]
        start += n_rows
        if n_rows <= min_rows:
            continue
        if by_noise:
            for r in range(n_rows):
                for j in range(n_classes):
                    columns[j * n_rows + r] = p[rows[r], j]
        if by_class and n_rows - remove[k, k] >= 1:
            for r in range(n_rows):
                values[r] = _value(p[rows[r], k])
            if not _flag_smallest(
                values, rows, n_rows, n_rows - remove[k, k], scratch, class_mask
            ):
                ties[n_ties, 0] = k
                ties[n_ties, 1] = k
                n_ties += 1
        if not by_noise:
            continue
        for j in range(n_classes):
            if j == k or remove[k, j] <= 0:
                continue
            for r in range(n_rows):
                values[r] = _difference(columns[k * n_rows + r], columns[j * n_rows + r])
            if not _flag_smallest(values, rows, n_rows, remove[k, j], scratch, noise_mask):
                ties[n_ties, 0] = k
                ties[n_ties, 1] = j
                n_ties += 1
    return n_ties


def select_issues(
    pred_probs, const int64_t[::1] order, label_counts, remove,
    bint by_class, bint by_noise, Py_ssize_t min_rows,
):
    """The pruning passes of confident learning, one given class at a time.

    Parameters
    ----------
    pred_probs : ndarray of shape (n_samples, n_classes)
        float16, float32 or float64, C-contiguous; read, never written.
    order : int64 ndarray of shape (n_samples,)
        Sample indices grouped by given label (class 0's rows first).
    label_counts : int64 ndarray of shape (n_classes,)
        Rows of each given label; a class with at most ``min_rows`` rows is
        skipped.
    remove : int64 ndarray of shape (n_classes, n_classes)
        ``remove[k, j]`` (``j != k``): rows of class ``k`` to flag as truly
        ``j``, those with the smallest ``p_k - p_j`` (difference in the
        input's precision); ``label_counts[k] - remove[k, k]``: rows of class
        ``k`` to flag by class, those with the smallest ``p_k``.
    by_class, by_noise : bool
        Which of the two selections to make.
    min_rows : int

    Returns
    -------
    class_mask : bool ndarray of shape (n_samples,)
    noise_mask : bool ndarray of shape (n_samples,)
    ties : int64 ndarray of shape (n_ties, 2)
        Cells ``(k, j)`` whose cut falls among tied values only partly taken:
        nothing is flagged for them, the caller decides (``j == k``: the
        by-class selection of class ``k``).
    """
    n_samples, n_classes = pred_probs.shape
    cdef const int64_t[::1] counts = np.ascontiguousarray(label_counts, dtype=np.int64)
    cdef const int64_t[:, ::1] remove_view = np.ascontiguousarray(remove, dtype=np.int64)
    class_mask = np.zeros(n_samples, dtype=np.uint8)
    noise_mask = np.zeros(n_samples, dtype=np.uint8)
    ties = np.empty((n_classes * n_classes, 2), dtype=np.int64)
    cdef uint8_t[::1] class_view = class_mask
    cdef uint8_t[::1] noise_view = noise_mask
    cdef int64_t[:, ::1] ties_view = ties
    cdef Py_ssize_t largest = max(int(np.max(counts)), 1) if n_classes else 1
    cdef Py_ssize_t n_ties = 0
    cdef const uint16_t[:, ::1] p16
    cdef const float32_t[:, ::1] p32
    cdef const float64_t[:, ::1] p64
    cdef void* columns = malloc((largest * n_classes if by_noise else 1) * pred_probs.itemsize)
    cdef double* values = <double*>malloc(largest * sizeof(double))
    cdef double* scratch = <double*>malloc(largest * sizeof(double))
    try:
        if columns == NULL or values == NULL or scratch == NULL:
            raise MemoryError()
        raw = _raw(pred_probs)
        if raw.dtype == np.uint16:
            p16 = raw
            with nogil:
                n_ties = _select_issues(
                    p16, order, counts, remove_view, by_class, by_noise, min_rows,
                    class_view, noise_view, ties_view, <uint16_t*>columns, values, scratch,
                )
        elif raw.dtype == np.float32:
            p32 = raw
            with nogil:
                n_ties = _select_issues(
                    p32, order, counts, remove_view, by_class, by_noise, min_rows,
                    class_view, noise_view, ties_view, <float32_t*>columns, values, scratch,
                )
        else:
            p64 = raw
            with nogil:
                n_ties = _select_issues(
                    p64, order, counts, remove_view, by_class, by_noise, min_rows,
                    class_view, noise_view, ties_view, <float64_t*>columns, values, scratch,
                )
    finally:
        free(columns)
        free(values)
        free(scratch)
    return class_mask.view(bool), noise_mask.view(bool), ties[:n_ties].copy()
