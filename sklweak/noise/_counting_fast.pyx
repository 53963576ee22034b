"""Counting passes of confident learning, compiled.

Same functions and signatures as ``_counting_reference`` (read its docstring
for the conventions). Every function is a single pass over the rows of
``pred_probs``, reading it in place whatever its floating dtype and working
in that precision (float32 stays float32: comparisons against float64
cutoffs use the smallest float32 not below each cutoff, which is exact):

- float32 and float64 are read directly through fused typed memoryviews;
- float16 has no C type, so the rows are read as their raw ``uint16`` bit
  patterns and converted through a 65,536-entry float32 table built by NumPy
  at import (exact, since every float16 is a float32). A second table holds,
  for each float16 ``h``, the float16 sum ``h + 1e-6`` as NumPy computes it,
  so the "given label is the top class" rule is the same in every precision.

The only arrays allocated are O(n_samples) outputs and O(n_classes) buffers,
except in ``select_issues``: with more rows than (given, other) cells it keeps
per cell a buffer of twice the number of rows to select (O(n_samples) in all
for the counts confident learning asks for); a class whose selections need all
its rows is copied at a time (transposed, in the input's dtype).

Where the outcome of a comparison is data (which classes are confident and
largest in a row, which side of a pivot a value falls), the loops are written
without branches on it: on millions of rows, mispredicted branches cost more
than the arithmetic. With many rows, the noise-rate selections offer each cell
only the margins below a bound estimated on a sample of the rows; a wrong
estimate costs time (the cell is made again over its class), never the result.
"""

import numpy as np

from libc.math cimport INFINITY, fabs, frexp, isfinite, ldexp, log, rint
from libc.stdlib cimport calloc, free, malloc
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


ctypedef fused real_t:
    float32_t
    float64_t


cdef inline void _half_row(const uint16_t* raw, Py_ssize_t n, float32_t* out) noexcept nogil:
    """Exact float32 values of a float16 row (its raw bit patterns)."""
    cdef Py_ssize_t j
    for j in range(n):
        out[j] = HALF_VALUE[raw[j]]


cdef inline const real_t* _row(
    const prob_t[:, ::1] p, Py_ssize_t i, real_t* buffer
) noexcept nogil:
    """Row ``i`` in the working precision (float16 through an exact float32
    copy)."""
    if prob_t is uint16_t:
        _half_row(&p[i, 0], p.shape[1], <float32_t*>buffer)
        return buffer
    else:
        return <const real_t*>&p[i, 0]


cdef double _pairwise_sum(const real_t* a, Py_ssize_t n) noexcept nogil:
    """Sum in float64 in NumPy's pairwise order, so bit for bit ``numpy.sum``."""
    cdef double lanes[8]
    cdef double total = 0.0
    cdef Py_ssize_t i, u, stop, half
    if n < 8:
        for i in range(n):
            total += a[i]
        return total
    if n <= 128:
        for u in range(8):
            lanes[u] = a[u]
        stop = n - n % 8
        for i in range(8, stop, 8):
            for u in range(8):
                lanes[u] += a[i + u]
        total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + (
            (lanes[4] + lanes[5]) + (lanes[6] + lanes[7])
        )
        for i in range(stop, n):
            total += a[i]
        return total
    half = n // 2
    half -= half % 8
    return _pairwise_sum(a, half) + _pairwise_sum(a + half, n - half)


cdef inline bint _row_is_valid(
    const real_t* a, Py_ssize_t n, real_t high, double tolerance
) noexcept nogil:
    # NaN passes both comparisons but makes the sum NaN, which fails the last
    # test; infinities fail a comparison.
    cdef Py_ssize_t j
    cdef int outside = 0
    for j in range(n):
        outside |= (a[j] < 0) | (a[j] > high)
    return not outside and fabs(_pairwise_sum(a, n) - 1.0) <= tolerance


cdef Py_ssize_t _first_invalid_row(
    const prob_t[:, ::1] p, double tolerance, real_t high, real_t* buffer
) noexcept nogil:
    cdef Py_ssize_t i
    cdef Py_ssize_t n_samples = p.shape[0], n_classes = p.shape[1]
    cdef const real_t* row
    for i in range(n_samples):
        row = _row(p, i, buffer)
        if not _row_is_valid(row, n_classes, high, tolerance):
            return i
    return -1


def _single_at_most(double value):
    """The largest float32 not above ``value``."""
    single = np.float32(value)
    if single > value:
        single = np.nextafter(single, np.float32(-np.inf))
    return single


def _single_at_least(values):
    """The smallest float32 values not below ``values`` (float64 array)."""
    single = values.astype(np.float32)
    below = single < values
    single[below] = np.nextafter(single[below], np.float32(np.inf))
    return single


def first_invalid_row(pred_probs, double tolerance):
    """Index of the first invalid row of ``pred_probs``, -1 when all are valid.

    A row is invalid when an entry is NaN, infinite, negative or above
    ``1 + tolerance``, or when its sum (float64, NumPy's pairwise order) is
    farther than ``tolerance`` from 1.

    Parameters
    ----------
    pred_probs : ndarray of shape (n_samples, n_classes)
        float16, float32 or float64, C-contiguous.
    tolerance : float

    Returns
    -------
    row : int
    """
    cdef const uint16_t[:, ::1] p16
    cdef const float32_t[:, ::1] p32
    cdef const float64_t[:, ::1] p64
    cdef Py_ssize_t row
    cdef float32_t high32 = _single_at_most(1.0 + tolerance)
    cdef float32_t* buffer = NULL
    raw = _raw(pred_probs)
    if raw.dtype == np.uint16:
        p16 = raw
        buffer = <float32_t*>malloc(max(p16.shape[1], 1) * sizeof(float32_t))
        if buffer == NULL:
            raise MemoryError()
        with nogil:
            row = _first_invalid_row(p16, tolerance, high32, buffer)
        free(buffer)
    elif raw.dtype == np.float32:
        p32 = raw
        with nogil:
            row = _first_invalid_row(p32, tolerance, high32, buffer)
    else:
        p64 = raw
        with nogil:
            row = _first_invalid_row[float64_t, float64_t](p64, tolerance, 1.0 + tolerance, NULL)
    return row


cdef Py_ssize_t _group_by_label(
    const prob_t[:, ::1] p, const int64_t[::1] labels, int64_t* next_slot,
    int64_t[::1] order, prob_t[::1] own, bint check, real_t high, double tolerance,
    real_t* buffer,
) noexcept nogil:
    """Group the rows; when ``check``, stop at the first row that
    ``first_invalid_row`` reports and return it (-1 when none)."""
    cdef Py_ssize_t i, slot
    cdef int64_t label
    cdef const real_t* row
    for i in range(p.shape[0]):
        if check:
            row = _row(p, i, buffer)
            if not _row_is_valid(row, p.shape[1], high, tolerance):
                return i
        label = labels[i]
        slot = next_slot[label]
        next_slot[label] = slot + 1
        order[slot] = i
        own[slot] = p[i, label]
    return -1


def group_by_label(pred_probs, const int64_t[::1] labels, label_counts):
    """Rows grouped by given label, and each row's probability of its label.

    Parameters
    ----------
    pred_probs : ndarray of shape (n_samples, n_classes)
    labels : int64 ndarray of shape (n_samples,)
    label_counts : int64 ndarray of shape (n_classes,)
        ``numpy.bincount(labels, minlength=n_classes)``.

    Returns
    -------
    order : int64 ndarray of shape (n_samples,)
        ``numpy.argsort(labels, kind="stable")``.
    own : ndarray of shape (n_samples,), dtype of ``pred_probs``
        ``pred_probs[order, labels[order]]``.
    """
    return _group(pred_probs, labels, label_counts, False, 0.0)[1:]


def check_and_group(pred_probs, const int64_t[::1] labels, label_counts, double tolerance):
    """``first_invalid_row`` and ``group_by_label`` in one pass.

    Returns
    -------
    invalid_row : int
        ``first_invalid_row(pred_probs, tolerance)``; when it is not -1 the
        pass stopped there and the other outputs mean nothing.
    order, own
        As returned by ``group_by_label``.
    """
    return _group(pred_probs, labels, label_counts, True, tolerance)


def _group(pred_probs, const int64_t[::1] labels, label_counts, bint check, double tolerance):
    n_samples, n_classes = pred_probs.shape
    starts = np.cumsum(label_counts) - label_counts
    cdef int64_t[::1] next_slot = starts
    order = np.empty(n_samples, dtype=np.int64)
    raw = _raw(pred_probs)
    own = np.empty(n_samples, dtype=raw.dtype)
    cdef int64_t[::1] order_view = order
    cdef const uint16_t[:, ::1] p16
    cdef const float32_t[:, ::1] p32
    cdef const float64_t[:, ::1] p64
    cdef uint16_t[::1] own16
    cdef float32_t[::1] own32
    cdef float64_t[::1] own64
    cdef float32_t high32 = _single_at_most(1.0 + tolerance)
    cdef float32_t[::1] buffer = np.empty(max(n_classes, 1), dtype=np.float32)
    cdef Py_ssize_t invalid_row
    if raw.dtype == np.uint16:
        p16, own16 = raw, own
        with nogil:
            invalid_row = _group_by_label(
                p16, labels, &next_slot[0], order_view, own16, check, high32, tolerance,
                &buffer[0],
            )
    elif raw.dtype == np.float32:
        p32, own32 = raw, own
        with nogil:
            invalid_row = _group_by_label(
                p32, labels, &next_slot[0], order_view, own32, check, high32, tolerance, NULL
            )
    else:
        p64, own64 = raw, own
        with nogil:
            invalid_row = _group_by_label[float64_t, float64_t](
                p64, labels, &next_slot[0], order_view, own64, check, 1.0 + tolerance,
                tolerance, NULL,
            )
    return invalid_row, order, own.view(pred_probs.dtype)


cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    static inline int sklweak_lowest_bit(unsigned long long m) { return __builtin_ctzll(m); }
    static inline int sklweak_bit_count(unsigned long long m) { return __builtin_popcountll(m); }
    #else
    static inline int sklweak_lowest_bit(unsigned long long m) {
        int i = 0;
        while (!(m & 1ULL)) { m >>= 1; i++; }
        return i;
    }
    static inline int sklweak_bit_count(unsigned long long m) {
        int c = 0;
        while (m) { m &= m - 1; c++; }
        return c;
    }
    #endif
    """
    int sklweak_lowest_bit(unsigned long long) nogil
    int sklweak_bit_count(unsigned long long) nogil


# Up to this many classes (64 at most), a row's confident classes fit in the
# bits of one integer.
MASK_CLASSES = 64


cdef void _count_confident_few_classes(
    const prob_t[:, ::1] p, const int64_t[::1] labels, const real_t* cut, real_t* buffer,
    int64_t[:, ::1] counts, int32_t[::1] guess, uint8_t[::1] label_is_top,
    float64_t[::1] own_floor, float64_t[::1] margin_floor,
) noexcept nogil:
    """``_count_confident`` for at most ``MASK_CLASSES`` classes: one loop of
    fixed length per row, without data-dependent branches, gathers the
    confident classes as bits, the first largest value and the second
    largest; the outcomes follow from those."""
    cdef Py_ssize_t i, j, top
    cdef Py_ssize_t n_samples = p.shape[0], n_classes = p.shape[1]
    cdef int64_t label
    cdef int32_t row_guess
    cdef unsigned long long confident
    cdef const real_t* row
    cdef real_t x, low, own, boosted, largest, second, other
    cdef bint is_top
    cdef double margin
    for i in range(n_samples):
        label = labels[i]
        row = _row(p, i, buffer)
        confident = 0
        top = 0
        largest = -INFINITY
        second = -INFINITY
        for j in range(n_classes):
            x = row[j]
            confident |= (<unsigned long long>(x >= cut[j])) << j
            top = j if x > largest else top
            low = x if x < largest else largest
            second = low if low > second else second
            largest = x if x > largest else largest
        # One confident class is the guess; several, the first largest.
        row_guess = -1
        if confident:
            row_guess = <int32_t>(
                sklweak_lowest_bit(confident) if sklweak_bit_count(confident) == 1 else top
            )
            counts[label, row_guess] += 1
        guess[i] = row_guess
        own = row[label]
        if prob_t is uint16_t:
            boosted = HALF_PLUS_BONUS[p[i, label]]
        else:
            boosted = own + <real_t>LABEL_BONUS
        # As in _count_confident: the label beats every class before it and
        # ties at worst with those after it. The first largest decides: it
        # comes before the label, after it, or is the label.
        is_top = (
            (top == label)
            | ((top > label) & (boosted >= largest))
            | ((top < label) & (boosted > largest))
        )
        label_is_top[i] = is_top
        # The floors are updated without branches, with values that cannot
        # lower them on the rows whose label is not top.
        other = second if top == label else largest
        if prob_t is uint16_t:
            margin = _round_to_half(<float32_t>(own - other))
        else:
            margin = own - other
        margin = margin if is_top else INFINITY
        x = own if is_top else <real_t>INFINITY
        own_floor[label] = x if x < own_floor[label] else own_floor[label]
        margin_floor[label] = margin if margin < margin_floor[label] else margin_floor[label]


cdef void _count_confident(
    const prob_t[:, ::1] p, const int64_t[::1] labels, const real_t* cut, real_t* buffer,
    int64_t[:, ::1] counts, int32_t[::1] guess, uint8_t[::1] label_is_top,
    float64_t[::1] own_floor, float64_t[::1] margin_floor,
) noexcept nogil:
    cdef Py_ssize_t i, j, n_confident, first
    cdef Py_ssize_t n_samples = p.shape[0], n_classes = p.shape[1]
    cdef int64_t label
    cdef const real_t* row
    cdef real_t x, own, boosted, before, after, largest
    cdef double margin
    for i in range(n_samples):
        label = labels[i]
        row = _row(p, i, buffer)
        n_confident = 0
        before = -INFINITY
        for j in range(label):
            x = row[j]
            n_confident += x >= cut[j]
            before = x if x > before else before
        after = -INFINITY
        for j in range(label + 1, n_classes):
            x = row[j]
            n_confident += x >= cut[j]
            after = x if x > after else after
        own = row[label]
        n_confident += own >= cut[label]
        if prob_t is uint16_t:
            boosted = HALF_PLUS_BONUS[p[i, label]]
        else:
            boosted = own + <real_t>LABEL_BONUS
        # The first largest wins the argmax: the label must beat every
        # class before it and tie at worst with those after it.
        label_is_top[i] = boosted > before and boosted >= after
        if n_confident == 0:
            guess[i] = -1
        else:
            if n_confident == 1:
                if own >= cut[label]:
                    first = label
                else:
                    first = 0
                    while row[first] < cut[first]:
                        first += 1
            else:
                largest = before if before > after else after
                largest = own if own > largest else largest
                first = 0
                while row[first] != largest:
                    first += 1
            guess[i] = <int32_t>first
            counts[label, first] += 1
        if label_is_top[i]:
            largest = before if before > after else after
            if prob_t is uint16_t:
                margin = _round_to_half(<float32_t>(own - largest))
            else:
                margin = own - largest
            if own < own_floor[label]:
                own_floor[label] = own
            if margin < margin_floor[label]:
                margin_floor[label] = margin


cdef inline void _count_rows(
    const prob_t[:, ::1] p, const int64_t[::1] labels, const real_t* cut, real_t* buffer,
    int64_t[:, ::1] counts, int32_t[::1] guess, uint8_t[::1] label_is_top,
    float64_t[::1] own_floor, float64_t[::1] margin_floor, bint few_classes,
) noexcept nogil:
    if few_classes:
        _count_confident_few_classes(
            p, labels, cut, buffer, counts, guess, label_is_top, own_floor, margin_floor
        )
    else:
        _count_confident(
            p, labels, cut, buffer, counts, guess, label_is_top, own_floor, margin_floor
        )


def count_confident(pred_probs, const int64_t[::1] labels, cutoffs):
    """One pass: confident counts, per-row guess and top flag, and the floors.

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
    own_floor : float64 ndarray of shape (n_classes,)
        Per given class, the smallest probability of the label over its rows
        whose label is top (``inf`` when none is).
    margin_floor : float64 ndarray of shape (n_classes,)
        Per given class, the smallest ``p_label - max_other`` (in the input's
        precision) over the same rows.
    """
    n_samples, n_classes = pred_probs.shape
    cutoffs = np.ascontiguousarray(cutoffs, dtype=np.float64)
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    guess = np.empty(n_samples, dtype=np.int32)
    top = np.empty(n_samples, dtype=np.uint8)
    own_floor = np.full(n_classes, np.inf)
    margin_floor = np.full(n_classes, np.inf)
    cdef int64_t[:, ::1] counts_view = counts
    cdef int32_t[::1] guess_view = guess
    cdef uint8_t[::1] top_view = top
    cdef float64_t[::1] own_view = own_floor
    cdef float64_t[::1] margin_view = margin_floor
    cdef const uint16_t[:, ::1] p16
    cdef const float32_t[:, ::1] p32
    cdef const float64_t[:, ::1] p64
    cdef const float32_t[::1] cut32 = _single_at_least(cutoffs)
    cdef const float64_t[::1] cut64 = cutoffs
    cdef float32_t* buffer = NULL
    cdef bint few = n_classes <= min(MASK_CLASSES, 64)
    raw = _raw(pred_probs)
    if raw.dtype == np.uint16:
        p16 = raw
        buffer = <float32_t*>malloc(max(n_classes, 1) * sizeof(float32_t))
        if buffer == NULL:
            raise MemoryError()
        with nogil:
            _count_rows(
                p16, labels, &cut32[0], buffer, counts_view, guess_view, top_view,
                own_view, margin_view, few,
            )
        free(buffer)
    elif raw.dtype == np.float32:
        p32 = raw
        with nogil:
            _count_rows(
                p32, labels, &cut32[0], buffer, counts_view, guess_view, top_view,
                own_view, margin_view, few,
            )
    else:
        p64 = raw
        with nogil:
            _count_rows[float64_t, float64_t](
                p64, labels, &cut64[0], NULL, counts_view, guess_view, top_view,
                own_view, margin_view, few,
            )
    return counts, guess, top.view(bool), own_floor, margin_floor


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


cdef inline Py_ssize_t _move_to_front(
    double* values, Py_ssize_t low, Py_ssize_t high, double pivot, bint or_equal
) noexcept nogil:
    """Move the values of ``values[low:high + 1]`` below ``pivot`` (or at
    most ``pivot``) to the front of that range; return where the others
    start. No branch on the data: every step swaps, and only the count of
    those moved depends on the comparison."""
    cdef Py_ssize_t i, front = low
    cdef double value
    cdef bint moved
    for i in range(low, high + 1):
        value = values[i]
        moved = value <= pivot if or_equal else value < pivot
        values[i] = values[front]
        values[front] = value
        front += moved
    return front


cdef double _kth_smallest(double* values, Py_ssize_t n, Py_ssize_t kth) noexcept nogil:
    """The ``kth`` smallest (0-based) of ``values[:n]``, reordering them."""
    cdef Py_ssize_t low = 0, high = n - 1, less, more
    cdef double pivot, a, b, c
    while low < high:
        a = values[low]
        b = values[low + (high - low) // 2]
        c = values[high]
        pivot = max(min(a, b), min(max(a, b), c))
        less = _move_to_front(values, low, high, pivot, False)
        if kth < less:
            high = less - 1
            continue
        # Then the values equal to the pivot, right after those below it.
        more = _move_to_front(values, less, high, pivot, True)
        if kth < more:
            return pivot
        low = more
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


cdef double _kth_value(
    const double* values, Py_ssize_t n, Py_ssize_t count, double* scratch
) noexcept nogil:
    """The ``count``-th smallest of ``values[:n]`` (1 <= count <= n)."""
    if count * 8 <= n:
        return _kth_smallest_by_heap(values, n, count, scratch)
    memcpy(scratch, values, n * sizeof(double))
    return _kth_smallest(scratch, n, count - 1)


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
    cut = _kth_value(values, n, count, scratch)
    for r in range(n):
        if values[r] <= cut:
            n_taken += 1
    if n_taken != count:
        return False
    for r in range(n):
        if values[r] <= cut:
            mask[rows[r]] = 1
    return True


cdef enum Outcome:
    FLAGGED
    TIED
    UNDECIDED


cdef Outcome _flag_smallest_below(
    const double* values, const int64_t* rows, Py_ssize_t n, Py_ssize_t count,
    double floor, double* scratch, uint8_t[::1] mask,
) noexcept nogil:
    """``_flag_smallest`` over the candidate rows of a class, whose other rows
    all have values of at least ``floor``: the selection is decided here when
    its cut lies below ``floor`` (1 <= count <= n)."""
    cdef Py_ssize_t r, n_taken = 0
    cdef double cut = _kth_value(values, n, count, scratch)
    if not cut < floor:
        return UNDECIDED
    for r in range(n):
        if values[r] <= cut:
            n_taken += 1
    if n_taken != count:
        return TIED
    for r in range(n):
        if values[r] <= cut:
            mask[rows[r]] = 1
    return FLAGGED


cdef void _copy_columns(
    const prob_t[:, ::1] p, const int64_t* rows, Py_ssize_t n_rows, prob_t* columns
) noexcept nogil:
    """``columns[j * n_rows + r] = p[rows[r], j]``: the rows, transposed."""
    cdef Py_ssize_t r, j, n_classes = p.shape[1]
    for r in range(n_rows):
        for j in range(n_classes):
            columns[j * n_rows + r] = p[rows[r], j]


cdef double _keep_smallest(
    double* values, int64_t* rows, Py_ssize_t n, Py_ssize_t size, double* scratch,
    Py_ssize_t* n_tied_out,
) noexcept nogil:
    """Keep the ``size`` smallest of ``values[:n]`` (with their rows) at the
    front; return the largest kept, and count in ``n_tied_out`` the values
    equal to it that were dropped."""
    cdef Py_ssize_t r, kept = 0, below = 0, dropped = 0
    cdef double cut, value
    memcpy(scratch, values, n * sizeof(double))
    cut = _kth_smallest(scratch, n, size - 1)
    for r in range(n):
        if values[r] < cut:
            below += 1
    for r in range(n):
        value = values[r]
        if value < cut or (value == cut and below < size):
            if value == cut:
                below += 1
            values[kept] = value
            rows[kept] = rows[r]
            kept += 1
        elif value == cut:
            dropped += 1
    n_tied_out[0] = dropped
    return cut


cdef struct Workspace:
    # Per given class: its candidate rows (label not top) and their values.
    int64_t* candidates
    double* values
    double* scratch
    int64_t* undecided
    void* columns
    void* row_buffer
    # Per cell (k, j) of the noise-rate selections, in the one-pass mode: a
    # buffer of twice remove[k, j] margins with their rows, cut back to the
    # remove[k, j] smallest whenever full, and how many margins dropped then
    # tie with the largest kept.
    int64_t* filled
    int64_t* n_candidates
    int64_t* buffer_start
    int64_t* tied_out
    double* buffer_values
    int64_t* buffer_rows
    double* compact_scratch


cdef inline void _keep_cell_smallest(
    Workspace* w, Py_ssize_t cell, Py_ssize_t size, real_t* bound
) noexcept nogil:
    """Cut a cell's buffer back to its ``size`` smallest margins; they become
    the bound."""
    cdef Py_ssize_t start = w.buffer_start[cell], n_tied_out
    cdef double cut = _keep_smallest(
        w.buffer_values + start, w.buffer_rows + start, w.filled[cell], size,
        w.compact_scratch, &n_tied_out,
    )
    # Margins dropped earlier at the same cut still tie with it; a lower cut
    # leaves them above.
    if cut == bound[0]:
        w.tied_out[cell] += n_tied_out
    else:
        w.tied_out[cell] = n_tied_out
    w.filled[cell] = size
    bound[0] = <real_t>cut


cdef inline void _offer(
    Workspace* w, Py_ssize_t cell, double margin, int64_t row, Py_ssize_t size,
    real_t* bound,
) noexcept nogil:
    """Add a margin at most ``bound`` to a cell's buffer of ``2 * size``."""
    cdef Py_ssize_t slot = w.buffer_start[cell] + w.filled[cell]
    w.buffer_values[slot] = margin
    w.buffer_rows[slot] = row
    w.filled[cell] += 1
    if w.filled[cell] == 2 * size:
        _keep_cell_smallest(w, cell, size, bound)


cdef void _noise_heaps_in_one_pass(
    const prob_t[:, ::1] p, const int64_t[::1] labels, const uint8_t[::1] label_is_top,
    const int64_t[:, ::1] remove, Workspace* w, real_t* bound,
) noexcept nogil:
    """One pass over the rows in sample order: every candidate row offers its
    margins ``p_k - p_j`` to the buffers of its class ``k``, and is counted in
    ``w.n_candidates``. ``bound`` holds one bound per cell: the largest margin
    worth offering for the selections to make, ``-inf`` elsewhere."""
    cdef Py_ssize_t i, j, n_classes = p.shape[1]
    cdef int64_t k
    cdef const real_t* row
    cdef real_t own, margin
    cdef real_t* class_bound
    for i in range(p.shape[0]):
        if label_is_top[i]:
            continue
        k = labels[i]
        w.n_candidates[k] += 1
        row = _row(p, i, <real_t*>w.row_buffer)
        own = row[k]
        class_bound = bound + k * n_classes
        for j in range(n_classes):
            if prob_t is uint16_t:
                margin = <real_t>_round_to_half(<float32_t>(own - row[j]))
            else:
                margin = own - row[j]
            if margin <= class_bound[j]:
                _offer(w, k * n_classes + j, margin, i, remove[k, j], class_bound + j)


cdef Py_ssize_t _gather_candidates(
    const prob_t[::1] own, const int64_t* rows, Py_ssize_t first, Py_ssize_t n_rows,
    const uint8_t[::1] label_is_top, Workspace* w,
) noexcept nogil:
    """A class's candidate rows (label not top) and their probabilities of
    the label into ``w.candidates`` and ``w.values``; returns how many."""
    cdef Py_ssize_t r, n_candidates = 0
    for r in range(n_rows):
        if not label_is_top[rows[r]]:
            w.candidates[n_candidates] = rows[r]
            w.values[n_candidates] = _value(own[first + r])
            n_candidates += 1
    return n_candidates


cdef Py_ssize_t _select_issues(
    const prob_t[:, ::1] p, const int64_t[::1] labels, const int64_t[::1] order,
    const prob_t[::1] own, const int64_t[::1] label_counts,
    const int64_t[:, ::1] remove, bint by_class, bint by_noise, Py_ssize_t min_rows,
    const uint8_t[::1] label_is_top, const float64_t[::1] own_floor,
    const float64_t[::1] margin_floor,
    uint8_t[::1] class_mask, uint8_t[::1] noise_mask, int64_t[:, ::1] ties,
    Workspace* w, real_t* bound, bint one_pass,
) noexcept nogil:
    # Only rows whose label is not top (candidates) can end up flagged, and
    # every other row of class k has p_k >= own_floor[k] and p_k - p_j >=
    # margin_floor[k]. So a selection is first made among the candidates
    # alone; only when its cut reaches the floor (where the other rows would
    # count) is it made again over the whole class.
    cdef Py_ssize_t n_classes = p.shape[1]
    cdef Py_ssize_t k, j, r, u, e, cell, n_rows, n_candidates, n_undecided, count
    cdef Py_ssize_t start = 0, n_ties = 0
    cdef const int64_t* rows
    cdef Outcome outcome
    cdef bint transposed, gathered
    cdef prob_t* columns = <prob_t*>w.columns
    if by_noise and one_pass:
        _noise_heaps_in_one_pass(p, labels, label_is_top, remove, w, bound)
    for k in range(n_classes):
        n_rows = label_counts[k]
        rows = &order[start]
        start += n_rows
        if n_rows <= min_rows:
            continue
        # The one pass has counted the candidates; the noise-rate selections
        # it decides need no list of them.
        gathered = by_class or not one_pass
        if gathered:
            n_candidates = _gather_candidates(own, rows, start - n_rows, n_rows, label_is_top, w)
        else:
            n_candidates = w.n_candidates[k]
        count = n_rows - remove[k, k]
        if by_class and count >= 1:
            outcome = UNDECIDED
            if count >= n_rows:
                _flag_smallest(
                    w.values, w.candidates, n_candidates, n_candidates, w.scratch, class_mask
                )
                outcome = FLAGGED
            elif count <= n_candidates:
                outcome = _flag_smallest_below(
                    w.values, w.candidates, n_candidates, count, own_floor[k], w.scratch,
                    class_mask,
                )
            if outcome == UNDECIDED:
                for r in range(n_rows):
                    w.values[r] = _value(own[start - n_rows + r])
                if not _flag_smallest(w.values, rows, n_rows, count, w.scratch, class_mask):
                    outcome = TIED
            if outcome == TIED:
                ties[n_ties, 0] = k
                ties[n_ties, 1] = k
                n_ties += 1
        if not by_noise:
            continue
        n_undecided = 0
        for j in range(n_classes):
            count = remove[k, j]
            if j == k or count <= 0:
                continue
            if count >= n_rows:
                if not gathered:
                    _gather_candidates(own, rows, start - n_rows, n_rows, label_is_top, w)
                    gathered = True
                _flag_smallest(
                    w.values, w.candidates, n_candidates, n_candidates, w.scratch, noise_mask
                )
                continue
            cell = k * n_classes + j
            # At least count margins below the floor: the smallest count of
            # them are the selection (see select_issues).
            if one_pass and count <= n_candidates:
                if w.filled[cell] > count:
                    _keep_cell_smallest(w, cell, count, bound + cell)
                if w.filled[cell] == count:
                    if w.tied_out[cell]:
                        ties[n_ties, 0] = k
                        ties[n_ties, 1] = j
                        n_ties += 1
                    else:
                        for e in range(w.buffer_start[cell], w.buffer_start[cell] + count):
                            noise_mask[w.buffer_rows[e]] = 1
                    continue
            w.undecided[n_undecided] = j
            n_undecided += 1
        # Many selections over the whole class: transposing the class once
        # beats reading two scattered columns per selection.
        transposed = n_undecided > 4
        if transposed:
            _copy_columns(p, rows, n_rows, columns)
        for u in range(n_undecided):
            j = w.undecided[u]
            for r in range(n_rows):
                if transposed:
                    w.values[r] = _difference(columns[k * n_rows + r], columns[j * n_rows + r])
                else:
                    w.values[r] = _difference(p[rows[r], k], p[rows[r], j])
            if not _flag_smallest(w.values, rows, n_rows, remove[k, j], w.scratch, noise_mask):
                ties[n_ties, 0] = k
                ties[n_ties, 1] = j
                n_ties += 1
    return n_ties


# With this many rows, the noise-rate selections' one pass offers each cell
# only the margins below a bound estimated on every stride-th row (about
# START_BOUND_SAMPLE_ROWS of them) instead of all the margins below the floor.
START_BOUND_MIN_ROWS = 1 << 18
START_BOUND_SAMPLE_ROWS = 1 << 16
# Sampled margins kept below each bound beyond the expected count and four
# standard deviations.
START_BOUND_SPARE = 8


def _start_bounds(pred_probs, labels, label_is_top, remove, selected, dtype):
    """Per cell ``(k, j)``, a margin likely above the ``remove[k, j]``-th
    smallest ``p_k - p_j`` of class ``k``'s candidate rows, from a systematic
    sample of the rows; ``inf`` where the sample cannot tell.

    A cell that, in the event, sees fewer margins than it selects below its
    bound is made again over its whole class, so the estimate costs time when
    it is wrong, never the result.
    """
    n_samples, n_classes = pred_probs.shape
    stride = max(n_samples // START_BOUND_SAMPLE_ROWS, 1)
    rows = np.arange(0, n_samples, stride)
    rows = rows[~label_is_top[rows]]
    sample_labels = np.asarray(labels)[rows]
    sample = pred_probs[rows].astype(dtype)
    bounds = np.full((n_classes, n_classes), np.inf, dtype=dtype)
    expected = remove / stride
    index = np.ceil(expected + 4.0 * np.sqrt(expected) + START_BOUND_SPARE)
    index = np.maximum(index, 0).astype(np.int64)
    for k in np.flatnonzero(selected.any(axis=1)):
        own = sample[sample_labels == k]
        usable = np.flatnonzero(selected[k] & (index[k] < own.shape[0]))
        if usable.size:
            margins = np.sort(own[:, k : k + 1] - own[:, usable], axis=0)
            bounds[k, usable] = margins[index[k, usable], np.arange(usable.size)]
    return bounds


def select_issues(
    pred_probs, const int64_t[::1] labels, const int64_t[::1] order, own, label_counts,
    remove, bint by_class, bint by_noise, Py_ssize_t min_rows,
    label_is_top, own_floor, margin_floor,
):
    """The pruning selections of confident learning.

    Parameters
    ----------
    pred_probs : ndarray of shape (n_samples, n_classes)
        float16, float32 or float64, C-contiguous; read, never written.
    labels : int64 ndarray of shape (n_samples,)
    order, own : ndarray of shape (n_samples,)
        As returned by :func:`group_by_label`: sample indices grouped by given
        label (class 0's rows first), and each one's probability of its label.
    label_counts : int64 ndarray of shape (n_classes,)
        Rows of each given label; a class with at most ``min_rows`` rows is
        skipped.
    remove : int64 ndarray of shape (n_classes, n_classes)
        ``remove[k, j]`` (``j != k``): rows of class ``k`` to select as truly
        ``j``, those with the smallest ``p_k - p_j`` (difference in the
        input's precision); ``label_counts[k] - remove[k, k]``: rows of class
        ``k`` to select by class, those with the smallest ``p_k``.
    by_class, by_noise : bool
        Which of the two selections to make.
    min_rows : int
    label_is_top, own_floor, margin_floor : ndarray
        As returned by :func:`count_confident` on the same inputs.

    Returns
    -------
    class_mask : bool ndarray of shape (n_samples,)
        The selected rows whose label is not top.
    noise_mask : bool ndarray of shape (n_samples,)
        Likewise.
    ties : int64 ndarray of shape (n_ties, 2)
        Cells ``(k, j)``, sorted, whose cut falls among tied values only
        partly taken: nothing is selected for them, the caller decides
        (``j == k``: the by-class selection of class ``k``).
    """
    n_samples, n_classes = pred_probs.shape
    count_array = np.ascontiguousarray(label_counts, dtype=np.int64)
    remove_array = np.ascontiguousarray(remove, dtype=np.int64)
    cdef const int64_t[::1] counts = count_array
    cdef const int64_t[:, ::1] remove_view = remove_array
    top = np.ascontiguousarray(label_is_top, dtype=bool)
    cdef const uint8_t[::1] top_view = top.view(np.uint8)
    cdef const float64_t[::1] own_view = np.ascontiguousarray(own_floor, dtype=np.float64)
    cdef const float64_t[::1] margin_view = np.ascontiguousarray(margin_floor, dtype=np.float64)
    class_mask = np.zeros(n_samples, dtype=np.uint8)
    noise_mask = np.zeros(n_samples, dtype=np.uint8)
    ties = np.empty((n_classes * n_classes, 2), dtype=np.int64)
    cdef uint8_t[::1] class_view = class_mask
    cdef uint8_t[::1] noise_view = noise_mask
    cdef int64_t[:, ::1] ties_view = ties
    cdef Py_ssize_t largest = max(int(np.max(count_array)), 1)
    cdef Py_ssize_t n_ties = 0
    # One pass over the rows in sample order reads memory as it lies, but
    # keeps state per (given, other) cell: worth it when the cells are fewer
    # than the rows.
    cdef bint one_pass = by_noise and n_classes * n_classes <= n_samples
    cdef Py_ssize_t n_cells = n_classes * n_classes if one_pass else 1
    bound = np.full(n_cells, -np.inf, dtype=np.float32 if pred_probs.itemsize <= 4 else np.float64)
    buffer_start = np.zeros(n_cells, dtype=np.int64)
    if one_pass:
        selected = (
            (remove_array > 0)
            & (remove_array < count_array[:, None])
            & (count_array[:, None] > min_rows)
            & ~np.eye(n_classes, dtype=bool)
        )
        sizes = np.where(selected, remove_array, 0).ravel()
        buffer_start[1:] = np.cumsum(2 * sizes[: n_cells - 1])
        # A selection is decided among the candidates only when its cut lies
        # below its class's margin floor: larger margins need not be offered.
        below_floor = np.nextafter(
            np.asarray(margin_floor, dtype=bound.dtype), bound.dtype.type(-np.inf)
        )
        start = np.repeat(below_floor, n_classes).reshape(n_classes, n_classes)
        if n_samples >= START_BOUND_MIN_ROWS:
            start = np.minimum(
                start, _start_bounds(pred_probs, labels, top, remove_array, selected, bound.dtype)
            )
        bound[selected.ravel()] = start[selected]
        n_buffer = max(2 * int(sizes.sum()), 1)
        largest_cell = max(2 * int(sizes.max()), 1)
    else:
        n_buffer = largest_cell = 1
    cdef const int64_t[::1] buffer_start_view = buffer_start
    # The large buffers are NumPy arrays: NumPy asks the kernel for huge
    # pages, where faulting in tens of megabytes page by page would cost as
    # much as the pass itself.
    cdef int64_t[::1] candidates = np.empty(largest, dtype=np.int64)
    cdef float64_t[::1] values = np.empty(largest, dtype=np.float64)
    cdef float64_t[::1] scratch = np.empty(largest, dtype=np.float64)
    cdef uint8_t[::1] columns = np.empty(
        (largest * n_classes if by_noise else 1) * pred_probs.itemsize, dtype=np.uint8
    )
    cdef float64_t[::1] buffer_values = np.empty(n_buffer, dtype=np.float64)
    cdef int64_t[::1] buffer_rows = np.empty(n_buffer, dtype=np.int64)
    cdef Workspace w
    w.candidates = &candidates[0]
    w.values = &values[0]
    w.scratch = &scratch[0]
    w.columns = &columns[0]
    w.buffer_values = &buffer_values[0]
    w.buffer_rows = &buffer_rows[0]
    w.undecided = <int64_t*>malloc(max(n_classes, 1) * sizeof(int64_t))
    w.row_buffer = malloc(max(n_classes, 1) * sizeof(float32_t))
    w.filled = <int64_t*>calloc(n_cells, sizeof(int64_t))
    w.n_candidates = <int64_t*>calloc(max(n_classes, 1), sizeof(int64_t))
    w.tied_out = <int64_t*>calloc(n_cells, sizeof(int64_t))
    w.buffer_start = <int64_t*>&buffer_start_view[0]
    w.compact_scratch = <double*>malloc(largest_cell * sizeof(double))
    cdef const uint16_t[:, ::1] p16
    cdef const float32_t[:, ::1] p32
    cdef const float64_t[:, ::1] p64
    cdef const uint16_t[::1] own16
    cdef const float32_t[::1] own32
    cdef const float64_t[::1] own64
    cdef float32_t[::1] bound32
    cdef float64_t[::1] bound64
    try:
        if (
            w.undecided == NULL or w.row_buffer == NULL or w.filled == NULL
            or w.n_candidates == NULL or w.tied_out == NULL or w.compact_scratch == NULL
        ):
            raise MemoryError()
        raw = _raw(pred_probs)
        if raw.dtype == np.uint16:
            p16, own16, bound32 = raw, _raw(own), bound
            with nogil:
                n_ties = _select_issues(
                    p16, labels, order, own16, counts, remove_view, by_class, by_noise,
                    min_rows, top_view, own_view, margin_view, class_view, noise_view,
                    ties_view, &w, &bound32[0], one_pass,
                )
        elif raw.dtype == np.float32:
            p32, own32, bound32 = raw, own, bound
            with nogil:
                n_ties = _select_issues(
                    p32, labels, order, own32, counts, remove_view, by_class, by_noise,
                    min_rows, top_view, own_view, margin_view, class_view, noise_view,
                    ties_view, &w, &bound32[0], one_pass,
                )
        else:
            p64, own64, bound64 = raw, own, bound
            with nogil:
                n_ties = _select_issues(
                    p64, labels, order, own64, counts, remove_view, by_class, by_noise,
                    min_rows, top_view, own_view, margin_view, class_view, noise_view,
                    ties_view, &w, &bound64[0], one_pass,
                )
    finally:
        free(w.undecided)
        free(w.row_buffer)
        free(w.filled)
        free(w.n_candidates)
        free(w.tied_out)
        free(w.compact_scratch)
    ties = ties[:n_ties]
    ties = ties[np.lexsort((ties[:, 1], ties[:, 0]))]
    not_top = ~top
    return class_mask.view(bool) & not_top, noise_mask.view(bool) & not_top, ties
