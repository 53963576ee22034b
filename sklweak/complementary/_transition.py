"""Transition matrices of biased complementary labels: checks and anchor-point estimation."""

import numpy as np

from ..utils._validation import check_complementary_y

__all__ = ["check_transition_matrix", "estimate_by_anchors"]


def check_transition_matrix(transition_matrix, n_classes, *, invertible=False):
    """Validate ``Q[j, k] = P(complementary label = k | true class = j)``.

    Returns the matrix as float64; raises ValueError naming
    ``transition_matrix`` for a wrong shape, negative or non-finite entries, a
    non-zero diagonal, rows not summing to 1, or (``invertible=True``) a
    singular matrix.
    """
    Q = np.asarray(transition_matrix, dtype=np.float64)
    if Q.shape != (n_classes, n_classes):
        raise ValueError(
            f"transition_matrix must have shape ({n_classes}, {n_classes}), one row "
            f"and column per class; got {Q.shape}."
        )
    if not np.all(np.isfinite(Q)) or Q.min() < 0:
        raise ValueError("transition_matrix must hold finite, non-negative entries.")
    if np.any(np.diag(Q) != 0):
        raise ValueError(
            "transition_matrix must have a zero diagonal: a complementary label is "
            "never the true class."
        )
    sums = Q.sum(axis=1)
    if not np.allclose(sums, 1.0, rtol=0, atol=1e-6):
        row = int(np.argmax(np.abs(sums - 1.0)))
        raise ValueError(
            f"Each row of transition_matrix must sum to 1; row {row} sums to {sums[row]:.6g}."
        )
    if invertible and np.linalg.cond(Q) > 1e10:
        raise ValueError("transition_matrix is singular; the unbiased risk needs its inverse.")
    return Q / sums[:, None]


def estimate_by_anchors(X, y, *, classes, anchor_quantile, classifier_class):
    """Anchor-point estimate of the transition matrix (see ``estimate_transition_matrix``).

    ``classifier_class`` is the complementary-label classifier fitted with
    ``loss="fwd"`` to rank the samples; it is passed in so that the classifier
    module can call this function without an import cycle.
    """
    if np.asarray(y).ndim != 1:
        raise ValueError(
            "estimate_transition_matrix needs one complementary label per sample (a 1-D y)."
        )
    target = check_complementary_y(y, classes=classes)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] != target.excluded.shape[0]:
        raise ValueError(
            f"X must be 2-D with one row per label; got shape {X.shape} for "
            f"{target.excluded.shape[0]} labels."
        )
    n_samples, n_classes = target.excluded.shape
    index = target.excluded.argmax(axis=1)
    model = classifier_class(loss="fwd", classes=np.arange(n_classes))
    proba = model.fit(X, index).predict_proba(X)
    n_anchor = max(1, int(np.ceil(anchor_quantile * n_samples)))
    Q = np.empty((n_classes, n_classes))
    for j in range(n_classes):
        anchors = np.argsort(-proba[:, j], kind="stable")[:n_anchor]
        row = np.bincount(index[anchors], minlength=n_classes).astype(np.float64)
        row[j] = 0.0
        if row.sum() == 0:
            row = np.ones(n_classes)
            row[j] = 0.0
        Q[j] = row / row.sum()
    return Q
