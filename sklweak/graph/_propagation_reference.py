"""Label propagation iterations over a CSR graph, in plain NumPy.

The readable reference of ``_propagation_fast``: same functions, same
signatures, same results. It is used by the parity tests and, when asked for
(``SKLWEAK_KERNELS=reference``), in place of the compiled module.
"""

import numpy as np
from scipy import sparse

__all__ = ["propagate_labels", "spread_labels"]


def _check_inputs(indptr, indices, data, y_encoded, n_classes):
    indptr, indices = np.asarray(indptr), np.asarray(indices)
    data, y_encoded = np.asarray(data, dtype=np.float64), np.asarray(y_encoded)
    n_samples = y_encoded.shape[0]
    if indptr.shape[0] != n_samples + 1:
        raise ValueError(
            f"indptr has {indptr.shape[0]} entries; expected n_samples + 1 = {n_samples + 1}."
        )
    if indices.shape[0] != data.shape[0] or indptr[-1] != indices.shape[0]:
        raise ValueError("indptr, indices and data do not describe one CSR matrix.")
    if np.any(np.diff(indptr) < 0):
        raise ValueError("indptr must be non-decreasing.")
    if indices.size and (indices.min() < 0 or indices.max() >= n_samples):
        raise ValueError(f"indices holds values outside [0, {n_samples}).")
    if y_encoded.size and y_encoded.max() >= n_classes:
        raise ValueError(f"y_encoded holds {y_encoded.max()} >= n_classes.")
    graph = sparse.csr_matrix((data, indices, indptr), shape=(n_samples, n_samples))
    labeled = y_encoded >= 0
    one_hot = np.zeros((n_samples, n_classes))
    one_hot[labeled, y_encoded[labeled]] = 1.0
    return graph, labeled, one_hot


def _iterate(step, start, max_iter, tol):
    """Run ``step`` until the total absolute change drops below ``tol``."""
    current, previous = start, np.zeros_like(start)
    for n_iter in range(max_iter):
        if np.abs(current - previous).sum() < tol:
            return current, n_iter, True
        previous, current = current, step(current)
    return current, max_iter, False


def propagate_labels(indptr, indices, data, y_encoded, n_classes, max_iter, tol):
    """Label propagation with hard clamping (Zhu and Ghahramani, 2002).

    Each iteration replaces every unlabeled row by the weighted sum of its
    neighbours' distributions, divided by its total (a zero total stays
    zero); labeled rows stay one-hot.

    Parameters
    ----------
    indptr, indices, data : ndarray
        The CSR arrays of the ``(n_samples, n_samples)`` propagation matrix.
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

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.graph._propagation_reference import propagate_labels
    >>> indptr, indices, data = [0, 1, 3, 4], [1, 0, 2, 1], [1.0, 0.5, 0.5, 1.0]
    >>> F, n_iter, converged = propagate_labels(
    ...     indptr, indices, data, np.array([0, -1, 1]), 2, 10, 1e-6)
    >>> F.tolist(), converged
    ([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]], True)
    """
    graph, labeled, one_hot = _check_inputs(indptr, indices, data, y_encoded, n_classes)

    def step(current):
        updated = graph @ current
        totals = updated.sum(axis=1, keepdims=True)
        totals[totals == 0] = 1.0
        updated /= totals
        updated[labeled] = one_hot[labeled]
        return updated

    return _iterate(step, one_hot, max_iter, tol)


def spread_labels(indptr, indices, data, y_encoded, n_classes, alpha, max_iter, tol):
    """Label spreading with soft clamping (Zhou et al., 2004).

    Each iteration sets ``F <- alpha * S @ F + (1 - alpha) * Y``, with ``Y``
    the one-hot labels (zero rows for unlabeled samples).

    Parameters
    ----------
    indptr, indices, data : ndarray
        The CSR arrays of the ``(n_samples, n_samples)`` spreading matrix
        ``S``.
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

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.graph._propagation_reference import spread_labels
    >>> indptr, indices, data = [0, 1, 2], [1, 0], [1.0, 1.0]
    >>> F, n_iter, converged = spread_labels(
    ...     indptr, indices, data, np.array([0, -1]), 2, 0.5, 100, 1e-9)
    >>> np.round(F, 4).tolist()
    [[0.6667, 0.0], [0.3333, 0.0]]
    """
    graph, _, one_hot = _check_inputs(indptr, indices, data, y_encoded, n_classes)
    clamped = (1.0 - alpha) * one_hot

    def step(current):
        return alpha * (graph @ current) + clamped

    return _iterate(step, one_hot, max_iter, tol)
