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

The only arrays allocated are O(n_samples) outputs and O(n_classes) buffers.
"""

import numpy as np

from libc.math cimport INFINITY, isfinite, log, fabs
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
