"""Label propagation iterations over a CSR graph, compiled.

Same functions and signatures as ``_propagation_reference``. Each iteration is
one pass over the rows: the weighted sum of the neighbours' distributions, the
clamping (hard or soft), the row normalisation and the running convergence
sum. The only ``(n_samples, n_classes)`` arrays are the two buffers that
alternate between the current and the next distributions.
"""

import numpy as np

from libc.math cimport fabs
from numpy cimport int32_t, int64_t

ctypedef fused index_t:
    int32_t
    int64_t


cdef double _one_iteration(
    const index_t[::1] indptr,
    const index_t[::1] indices,
    const double[::1] data,
    const int64_t[::1] y_encoded,
    const double[:, ::1] current,
    double[:, ::1] updated,
    double alpha,
    bint hard_clamp,
) noexcept nogil:
    """Write the next distributions into ``updated``; return sum |change|."""
    cdef Py_ssize_t n_samples = current.shape[0]
    cdef Py_ssize_t n_classes = current.shape[1]
    cdef Py_ssize_t i, c, p, neighbour
    cdef int64_t label
    cdef double weight, total, change = 0.0
    for i in range(n_samples):
        label = y_encoded[i]
        if hard_clamp and label >= 0:
            for c in range(n_classes):
                updated[i, c] = 1.0 if c == label else 0.0
        else:
            for c in range(n_classes):
                updated[i, c] = 0.0
            for p in range(indptr[i], indptr[i + 1]):
                neighbour = indices[p]
                weight = data[p]
                for c in range(n_classes):
                    updated[i, c] += weight * current[neighbour, c]
            if hard_clamp:
                total = 0.0
                for c in range(n_classes):
                    total += updated[i, c]
                if total != 0.0:
                    for c in range(n_classes):
                        updated[i, c] /= total
            else:
                for c in range(n_classes):
                    updated[i, c] *= alpha
                if label >= 0:
                    updated[i, label] += 1.0 - alpha
        for c in range(n_classes):
            change += fabs(updated[i, c] - current[i, c])
    return change


cdef tuple _iterate(
    const index_t[::1] indptr,
    const index_t[::1] indices,
    const double[::1] data,
    const int64_t[::1] y_encoded,
    Py_ssize_t n_classes,
    double alpha,
    bint hard_clamp,
    Py_ssize_t max_iter,
    double tol,
):
    cdef Py_ssize_t n_samples = y_encoded.shape[0]
    cdef Py_ssize_t i, p, n_iter = 0
    cdef bint converged = False
    cdef double change = 0.0
    first_array = np.zeros((n_samples, n_classes), dtype=np.float64)
    second_array = np.empty((n_samples, n_classes), dtype=np.float64)
    cdef double[:, ::1] first = first_array
    cdef double[:, ::1] second = second_array
    if indptr.shape[0] != n_samples + 1:
        raise ValueError(
            f"indptr has {indptr.shape[0]} entries; expected n_samples + 1 = "
            f"{n_samples + 1}."
        )
    if indices.shape[0] != data.shape[0] or indptr[n_samples] != indices.shape[0]:
        raise ValueError("indptr, indices and data do not describe one CSR matrix.")
    for i in range(n_samples):
        if indptr[i] > indptr[i + 1]:
            raise ValueError("indptr must be non-decreasing.")
    for p in range(indices.shape[0]):
        if indices[p] < 0 or indices[p] >= n_samples:
            raise ValueError(
                f"indices holds {indices[p]}, outside [0, {n_samples})."
            )
    for i in range(n_samples):
        if y_encoded[i] >= n_classes:
            raise ValueError(f"y_encoded holds {y_encoded[i]} >= n_classes.")
        if y_encoded[i] >= 0:
            first[i, y_encoded[i]] = 1.0
            change += 1.0
    with nogil:
        while n_iter < max_iter:
            if change < tol:
                converged = True
                break
            if n_iter % 2 == 0:
                change = _one_iteration(
                    indptr, indices, data, y_encoded, first, second, alpha, hard_clamp
                )
            else:
                change = _one_iteration(
                    indptr, indices, data, y_encoded, second, first, alpha, hard_clamp
                )
            n_iter += 1
    result = first_array if n_iter % 2 == 0 else second_array
    return result, int(n_iter), bool(converged)


def propagate_labels(
    const index_t[::1] indptr,
    const index_t[::1] indices,
    const double[::1] data,
    const int64_t[::1] y_encoded,
    Py_ssize_t n_classes,
    Py_ssize_t max_iter,
    double tol,
):
    """Label propagation with hard clamping (Zhu and Ghahramani, 2002).

    Each iteration replaces every unlabeled row by the weighted sum of its
    neighbours' distributions, divided by its total (a zero total stays
    zero); labeled rows stay one-hot.

    Parameters
    ----------
    indptr, indices, data : ndarray
        The CSR arrays of the ``(n_samples, n_samples)`` propagation matrix;
        ``indptr`` and ``indices`` both int32 or both int64, ``data`` float64.
    y_encoded : ndarray of int64, shape (n_samples,)
        Class index of each labeled sample, -1 for unlabeled samples.
    n_classes : int
        Number of classes.
    max_iter : int
        Most iterations.
    tol : float
        Stop before an iteration once the last one changed the distributions
        by less than ``tol`` in total absolute value (the one-hot start counts
        as a change from zero).

    Returns
    -------
    distributions : ndarray of float64, shape (n_samples, n_classes)
        Unnormalised class scores after the last iteration.
    n_iter : int
        Iterations run.
    converged : bool
        Whether the stopping test passed before ``max_iter``.
    """
    return _iterate(
        indptr, indices, data, y_encoded, n_classes, 1.0, True, max_iter, tol
    )


def spread_labels(
    const index_t[::1] indptr,
    const index_t[::1] indices,
    const double[::1] data,
    const int64_t[::1] y_encoded,
    Py_ssize_t n_classes,
    double alpha,
    Py_ssize_t max_iter,
    double tol,
):
    """Label spreading with soft clamping (Zhou et al., 2004).

    Each iteration sets ``F <- alpha * S @ F + (1 - alpha) * Y``, with ``Y``
    the one-hot labels (zero rows for unlabeled samples).

    Parameters
    ----------
    indptr, indices, data : ndarray
        The CSR arrays of the ``(n_samples, n_samples)`` spreading matrix
        ``S``; ``indptr`` and ``indices`` both int32 or both int64, ``data``
        float64.
    y_encoded : ndarray of int64, shape (n_samples,)
        Class index of each labeled sample, -1 for unlabeled samples.
    n_classes : int
        Number of classes.
    alpha : float
        Weight of the neighbours against the sample's own label, in (0, 1).
    max_iter : int
        Most iterations.
    tol : float
        Stop before an iteration once the last one changed the distributions
        by less than ``tol`` in total absolute value (the one-hot start counts
        as a change from zero).

    Returns
    -------
    distributions : ndarray of float64, shape (n_samples, n_classes)
        Unnormalised class scores after the last iteration.
    n_iter : int
        Iterations run.
    converged : bool
        Whether the stopping test passed before ``max_iter``.
    """
    return _iterate(
        indptr, indices, data, y_encoded, n_classes, alpha, False, max_iter, tol
    )
