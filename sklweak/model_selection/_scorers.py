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
    """Wrap a scorer (or several) so that it scores only the labeled rows.

    Use it whenever a scored split can hold unlabeled rows: the test folds of
    plain ``KFold``, and the *training* folds of every splitter, which
    ``cross_validate(..., return_train_score=True)`` and
    ``GridSearchCV(..., return_train_score=True)`` score too
    (:class:`SemiSupervisedKFold` keeps every unlabeled row in training). A
    plain scorer name such as ``scoring="accuracy"`` counts those rows as
    errors, and fails on string classes, where ``-1`` does not compare with
    them. ``scoring=None`` (the estimator's own ``score``, which skips
    unlabeled rows for every sklweak semi-supervised estimator) is the other
    supported route.

    Parameters
    ----------
    scoring : str, callable, list, tuple, set or dict, default="accuracy"
        A scikit-learn scorer name or a ``scorer(estimator, X, y)`` callable;
        or several, as scikit-learn's multi-metric ``scoring`` takes them (a
        list, tuple or set of names, or a dict of names or callables).
    unlabeled_label : int or str, default=-1
        The value marking an unlabeled row.

    Returns
    -------
    scorer : callable or dict
        ``scorer(estimator, X, y)`` for ``GridSearchCV`` or
        ``cross_validate``; a dict of them, keyed by metric name, when
        several were given.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.model_selection import make_labeled_scorer
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> make_labeled_scorer()(clf, X, np.array([0, -1, 1, -1]))
    1.0
    >>> sorted(make_labeled_scorer(["accuracy", "balanced_accuracy"]))
    ['accuracy', 'balanced_accuracy']
    """
    if isinstance(scoring, dict):
        return {
            name: make_labeled_scorer(each, unlabeled_label=unlabeled_label)
            for name, each in scoring.items()
        }
    if isinstance(scoring, (list, tuple, set)):
        if not all(isinstance(name, str) for name in scoring):
            raise TypeError(
                "scoring given as a list, tuple or set must hold scorer names; use a "
                f"dict for callables; got {scoring!r}."
            )
        return {
            name: make_labeled_scorer(name, unlabeled_label=unlabeled_label) for name in scoring
        }
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    if not callable(scorer):
        raise ValueError(f"scoring must be a scorer name or a callable; got {scoring!r}.")
    return _LabeledScorer(scorer, unlabeled_label)
