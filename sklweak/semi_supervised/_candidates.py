"""Pseudo-labeling candidates of the safe semi-supervised estimator.

A candidate is a teacher, fitted on labeled rows only, that labels the
unlabeled rows; a clone of the user's estimator (the student) is then fitted on
the labeled rows plus the pseudo-labels, each weighted by the teacher's
confidence. The pseudo-labels are kept in the labeled class proportions, so no
class takes over. Everything here works on integer-encoded labels.
"""

import numpy as np
from sklearn.base import clone
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ..self_training._common import accepts_sample_weight, proba_in_class_order
from ..utils._sklearn_compat import _safe_indexing

__all__ = []

CANDIDATES = ("self", "linear", "agreement")
DEFAULT_CANDIDATES = ("linear",)


def linear_teacher(sparse):
    """A regularized logistic regression on standardized features.

    It is the cheap, smooth model that stays reasonable on a dozen labeled
    rows, where trees predict one class.
    """
    return make_pipeline(
        SimpleImputer(),
        StandardScaler(with_mean=not sparse),
        LogisticRegression(C=1.0, max_iter=1000),
    )


def fit_rows(estimator, X, y_encoded, rows, sample_weight):
    """Fit ``estimator`` on ``rows`` of ``X`` with their encoded labels."""
    X_rows = _safe_indexing(X, rows)
    if sample_weight is None or not accepts_sample_weight(estimator):
        return estimator.fit(X_rows, y_encoded[rows])
    return estimator.fit(X_rows, y_encoded[rows], sample_weight=sample_weight[rows])


def teacher_probabilities(
    teacher, X, y_encoded, labeled_rows, unlabeled_rows, n_classes, sample_weight
):
    """Probabilities, one column per class, of a teacher fitted on labeled rows."""
    if np.unique(y_encoded[labeled_rows]).shape[0] < 2:
        # A teacher cannot be fitted on one class; it predicts that class.
        proba = np.zeros((unlabeled_rows.shape[0], n_classes))
        proba[:, y_encoded[labeled_rows[0]]] = 1.0
        return proba
    fit_rows(teacher, X, y_encoded, labeled_rows, sample_weight)
    return proba_in_class_order(teacher, _safe_indexing(X, unlabeled_rows), n_classes)


def proportional_pseudo_labels(proba, prior):
    """Pseudo-labels and weights, at most ``prior[c]`` of the rows for class ``c``.

    Each row takes its most probable class. Where a class is predicted for more
    rows than its labeled share allows, its least confident rows are dropped.

    Parameters
    ----------
    proba : ndarray of shape (n_unlabeled, n_classes)
        Teacher probabilities (rows may be all zero: never selected).
    prior : ndarray of shape (n_classes,)
        Class proportions of the labeled rows.

    Returns
    -------
    selected : ndarray of int
        Positions (rows of ``proba``) that get a pseudo-label.
    labels : ndarray of int
        Their encoded pseudo-labels.
    weights : ndarray of float
        Their confidence, the teacher's probability of the label.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.semi_supervised._candidates import proportional_pseudo_labels
    >>> proba = np.array([[0.9, 0.1], [0.8, 0.2], [0.6, 0.4], [0.3, 0.7]])
    >>> selected, labels, weights = proportional_pseudo_labels(proba, np.array([0.5, 0.5]))
    >>> selected.tolist(), labels.tolist()
    ([0, 1, 3], [0, 0, 1])
    """
    n_rows = proba.shape[0]
    labels = np.argmax(proba, axis=1)
    confidence = proba[np.arange(n_rows), labels]
    keep = []
    for c in range(proba.shape[1]):
        members = np.flatnonzero((labels == c) & (confidence > 0))
        quota = int(np.ceil(prior[c] * n_rows))
        order = np.argsort(-confidence[members], kind="stable")
        keep.append(members[order[:quota]])
    selected = np.sort(np.concatenate(keep)).astype(np.intp)
    return selected, labels[selected], confidence[selected]


def fit_student(student, X, y_encoded, labeled_rows, unlabeled_rows, proba, prior, sample_weight):
    """Fit ``student`` on the labeled rows plus proportional pseudo-labels.

    Returns the fitted student and the number of pseudo-labels it used.
    """
    selected, labels, confidence = proportional_pseudo_labels(proba, prior)
    rows = np.concatenate([labeled_rows, unlabeled_rows[selected]])
    targets = np.concatenate([y_encoded[labeled_rows], labels])
    X_rows = _safe_indexing(X, rows)
    if accepts_sample_weight(student):
        weight = np.concatenate([np.ones(labeled_rows.shape[0]), confidence])
        if sample_weight is not None:
            weight = weight * sample_weight[rows]
        student.fit(X_rows, targets, sample_weight=weight)
    else:
        student.fit(X_rows, targets)
    return student, int(selected.shape[0])


def candidate_probabilities(
    estimator, X, y_encoded, labeled_rows, unlabeled_rows, n_classes, sample_weight, sparse
):
    """Teachers' probabilities on the unlabeled rows, one entry per candidate.

    ``self``: the estimator fitted on the labeled rows; ``linear``: a
    standardized logistic regression; ``agreement``: their mean where the two
    agree on the class, no pseudo-label elsewhere. Also returns the fitted
    supervised estimator (the ``self`` teacher).
    """
    supervised = fit_rows(clone(estimator), X, y_encoded, labeled_rows, sample_weight)
    if np.unique(y_encoded[labeled_rows]).shape[0] < 2:
        own = teacher_probabilities(
            None, X, y_encoded, labeled_rows, unlabeled_rows, n_classes, sample_weight
        )
    else:
        own = proba_in_class_order(supervised, _safe_indexing(X, unlabeled_rows), n_classes)
    linear = teacher_probabilities(
        linear_teacher(sparse),
        X,
        y_encoded,
        labeled_rows,
        unlabeled_rows,
        n_classes,
        sample_weight,
    )
    agree = np.argmax(own, axis=1) == np.argmax(linear, axis=1)
    agreement = np.where(agree[:, None], 0.5 * (own + linear), 0.0)
    return supervised, {"self": own, "linear": linear, "agreement": agreement}
