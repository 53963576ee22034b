"""Scoring that ignores unlabeled rows."""

import numpy as np
from sklearn.metrics import accuracy_score, get_scorer

from ..utils._validation import _is_sentinel, mark_missing_as_unlabeled

__all__ = ["labeled_accuracy_score", "make_labeled_scorer"]


def _labeled_rows(y_true, unlabeled_label):
    y_true = np.asarray(mark_missing_as_unlabeled(np.asarray(y_true), unlabeled_label))
    labeled = ~_is_sentinel(y_true, unlabeled_label)
    if not labeled.any():
        raise ValueError(
            "y_true has no labeled row to score (every entry equals "
            f"unlabeled_label={unlabeled_label!r})."
        )
    return labeled


def labeled_accuracy_score(y_true, y_pred, *, unlabeled_label=-1, sample_weight=None):
    """Accuracy over the labeled rows of a semi-supervised target.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Semi-supervised target; rows equal to ``unlabeled_label`` are skipped.
    y_pred : array-like of shape (n_samples,)
        Predicted classes.
    unlabeled_label : int or str, default=-1
        The value marking an unlabeled row.
    sample_weight : array-like of shape (n_samples,), default=None
        Per-row weights.

    Returns
    -------
    score : float
        Fraction of labeled rows predicted correctly.

    Examples
    --------
    >>> from sklweak.model_selection import labeled_accuracy_score
    >>> labeled_accuracy_score([0, 1, -1, 1], [0, 0, 1, 1])
    0.666...
    """
    labeled = _labeled_rows(y_true, unlabeled_label)
    weights = None if sample_weight is None else np.asarray(sample_weight)[labeled]
    return accuracy_score(
        np.asarray(y_true)[labeled], np.asarray(y_pred)[labeled], sample_weight=weights
    )


class _LabeledScorer:
    """Callable ``scorer(estimator, X, y)`` that scores only labeled rows."""

    def __init__(self, scorer, unlabeled_label):
        self.scorer = scorer
        self.unlabeled_label = unlabeled_label

    def __call__(self, estimator, X, y, **kwargs):
        labeled = _labeled_rows(y, self.unlabeled_label)
        rows = np.flatnonzero(labeled)
        X_labeled = X.iloc[rows] if hasattr(X, "iloc") else X[rows]
        if "sample_weight" in kwargs and kwargs["sample_weight"] is not None:
            kwargs["sample_weight"] = np.asarray(kwargs["sample_weight"])[rows]
        return self.scorer(estimator, X_labeled, np.asarray(y)[rows], **kwargs)

    def __repr__(self):
        return f"make_labeled_scorer({self.scorer!r}, unlabeled_label={self.unlabeled_label!r})"


def make_labeled_scorer(scoring="accuracy", *, unlabeled_label=-1):
    """Wrap a scorer so that it scores only the labeled rows.

    Use it when the splitter can put unlabeled rows in a test fold (plain
    ``KFold``); with :class:`SemiSupervisedKFold` test folds are labeled only
    and any scorer is already honest.

    Parameters
    ----------
    scoring : str or callable, default="accuracy"
        A scikit-learn scorer name or a ``scorer(estimator, X, y)`` callable.
    unlabeled_label : int or str, default=-1
        The value marking an unlabeled row.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)`` for ``GridSearchCV`` or ``cross_validate``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.model_selection import make_labeled_scorer
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> make_labeled_scorer()(clf, X, np.array([0, -1, 1, -1]))
    1.0
    """
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    if not callable(scorer):
        raise ValueError(f"scoring must be a scorer name or a callable; got {scoring!r}.")
    return _LabeledScorer(scorer, unlabeled_label)
