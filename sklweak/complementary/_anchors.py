"""The public anchor-point estimator of the transition matrix.

It lives apart from ``_transition`` so that the classifier, which estimates
the matrix for ``transition_matrix="estimate"``, and this function, which fits
the classifier, do not import each other.
"""

from numbers import Real

from ..utils._sklearn_compat import Interval, validate_params
from ._classifier import ComplementaryLabelClassifier
from ._transition import estimate_by_anchors

__all__ = ["estimate_transition_matrix"]


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
    return estimate_by_anchors(
        X,
        y,
        classes=classes,
        anchor_quantile=anchor_quantile,
        classifier_class=ComplementaryLabelClassifier,
    )
