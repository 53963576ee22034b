"""Transition matrices of biased complementary labels: checks and estimation."""

from numbers import Real

import numpy as np

from ..utils._sklearn_compat import Interval, validate_params
from ..utils._validation import check_complementary_y

__all__ = ["check_transition_matrix", "estimate_transition_matrix"]


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


@validate_params(
    {
        "X": ["array-like"],
        "y": ["array-like"],
        "classes": ["array-like", None],
        "anchor_quantile": [Interval(Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def estimate_transition_matrix(X, y, *, classes=None, anchor_quantile=0.05):
    """Estimate the transition matrix of biased complementary labels.

    Anchor points, after Yu et al. (2018): samples that surely belong to class
    ``j`` have complementary labels distributed as row ``j`` of ``Q``. A
    linear softmax model is first fitted as if the labels were uniform
    (``loss="fwd"`` without a matrix, which still ranks the classes well under
    moderate bias); the anchors of class ``j`` are the ``anchor_quantile``
    fraction of all samples with the highest predicted probability of ``j``,
    and row ``j`` is the frequency of each complementary label among them
    (the diagonal, a label the anchors' class never gets, is set to 0 and the
    row rescaled to sum to 1). It is only as good as the anchors: classes
    without nearly pure, confidently predicted regions get rows that mix in
    other classes, and each row is a frequency over
    ``anchor_quantile * n_samples`` labels.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Samples.
    y : array-like of shape (n_samples,)
        One complementary label per sample.
    classes : array-like of shape (n_classes,), default=None
        All classes; defaults to the sorted distinct labels of ``y``.
    anchor_quantile : float in (0, 1), default=0.05
        Fraction of samples used as anchors of each class.

    Returns
    -------
    transition_matrix : ndarray of shape (n_classes, n_classes)
        Row-stochastic, zero diagonal, rows and columns in the order of
        ``classes``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_blobs
    >>> from sklweak.complementary import estimate_transition_matrix
    >>> from sklweak.datasets import make_complementary_labels
    >>> X, y = make_blobs(n_samples=3000, centers=3, cluster_std=0.5, random_state=0)
    >>> Q = np.array([[0, .8, .2], [.2, 0, .8], [.8, .2, 0]])
    >>> y_bar = make_complementary_labels(y, transition_matrix=Q, random_state=0)
    >>> bool(np.abs(estimate_transition_matrix(X, y_bar) - Q).max() < 0.1)
    True
    """
    from ._classifier import ComplementaryLabelClassifier

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
    model = ComplementaryLabelClassifier(loss="fwd", classes=np.arange(n_classes))
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
