"""suggest_relabels: active label cleaning, which given labels to ask about again."""

import numbers

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array

from ..noise import cross_val_pred_probs, estimate_consensus, label_quality_scores
from ..utils import check_annotator_matrix
from ..utils._sklearn_compat import _safe_indexing
from ..utils._validation import _as_1d, _is_sentinel, mark_missing_as_unlabeled
from ._strategies import best_first
from ._suggest import check_count

__all__ = ["suggest_relabels"]


def _folds(cv, labels):
    """``cv`` lowered to the smallest class's count, so that stratified folds exist."""
    if not isinstance(cv, numbers.Integral):
        return cv
    smallest = np.bincount(labels).min()
    if smallest < 2:
        raise ValueError(
            "Every class needs at least 2 labeled rows for out-of-fold probabilities; "
            f"one class has {smallest}."
        )
    return min(cv, smallest)


def _single_label_trust(estimator, X, y, cv, missing_label, random_state):
    y = mark_missing_as_unlabeled(_as_1d(y), missing_label)
    labeled_rows = np.flatnonzero(~_is_sentinel(y, missing_label))
    classes, encoded = np.unique(y[labeled_rows], return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError("y needs labeled rows of at least 2 classes.")
    pred_probs = cross_val_pred_probs(
        estimator,
        _safe_indexing(X, labeled_rows),
        encoded,
        cv=_folds(cv, encoded),
        random_state=random_state,
    )
    return labeled_rows, label_quality_scores(encoded, pred_probs)


def _annotators_trust(estimator, X, y, cv, missing_label, random_state):
    target = check_annotator_matrix(y, missing_label=missing_label)
    n_classes = target.classes.shape[0]
    vote = estimate_consensus(target.labels, None, method="majority_vote").consensus_label
    voted = np.unique(vote)
    pred_probs = np.zeros((vote.shape[0], n_classes))
    pred_probs[:, voted] = cross_val_pred_probs(
        estimator,
        X,
        vote,
        cv=_folds(cv, np.unique(vote, return_inverse=True)[1]),
        random_state=random_state,
    )
    consensus = estimate_consensus(target.labels, pred_probs, method="crowdlab")
    return np.arange(vote.shape[0]), consensus.consensus_quality


def suggest_relabels(estimator, X, y, n_queries, *, cv=5, missing_label=-1, random_state=None):
    """Rows whose current label is least trustworthy: the ones to label again.

    Active label cleaning: with a budget for second opinions, spend it on the
    rows whose label the data most doubts. With one label per row (1-D ``y``),
    a row's trust is its self-confidence, the out-of-fold probability that a
    classifier gives the row's own label (:func:`~sklweak.noise.label_quality_scores`).
    With several annotators (2-D ``y``, the annotator contract), it is the
    quality of the CROWDLAB consensus (:func:`~sklweak.noise.estimate_consensus`,
    out-of-fold probabilities of the majority vote): a row with one
    annotation, or whose annotators disagree with each other and with the
    classifier, comes first.

    Parameters
    ----------
    estimator : classifier
        A classifier with ``predict_proba``; cloned for each fold, never fitted
        itself.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training rows.
    y : array-like of shape (n_samples,) or (n_samples, n_annotators)
        1-D: one (possibly wrong) label per row, ``missing_label`` for a row
        without one (left out). 2-D: integer labels of each annotator,
        ``missing_label`` where an annotator did not label the row; every row
        needs one label.
    n_queries : int
        How many rows to suggest; at most the number of labeled rows.
    cv : int or cross-validation generator, default=5
        Folds of the out-of-fold probabilities (an int is lowered to the
        smallest class's count).
    missing_label : int or str, default=-1
        Marks a missing label.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds, the clones and the tie breaking.

    Returns
    -------
    indices : ndarray of shape (n_queries,), dtype int64
        Row positions in ``X``, the least trustworthy label first.

    Raises
    ------
    ValueError
        If ``n_queries`` is below 1 or above the labeled rows, or ``y`` is not a
        valid 1-D target or annotators' matrix.
    TypeError
        If ``estimator`` has no ``predict_proba``, or ``n_queries`` is not an
        integer.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.active import suggest_relabels
    >>> X, y = load_iris(return_X_y=True)
    >>> noisy = y.copy()
    >>> noisy[[0, 60, 120]] = [2, 0, 1]
    >>> rows = suggest_relabels(LogisticRegression(max_iter=500), X, noisy, 5, random_state=0)
    >>> sorted(set(rows.tolist()) & {0, 60, 120})
    [0, 60, 120]
    """
    check_count(n_queries, "n_queries")
    if not hasattr(estimator, "predict_proba"):
        raise TypeError(
            f"estimator {type(estimator).__name__} has no predict_proba; the trust in a "
            "label is read from out-of-fold probabilities."
        )
    X_checked = check_array(X, accept_sparse="csr", ensure_all_finite="allow-nan", dtype=None)
    y_array = np.asarray(y)
    if y_array.shape[0] != X_checked.shape[0]:
        raise ValueError(f"X has {X_checked.shape[0]} rows but y has {y_array.shape[0]}.")
    trust_of = _annotators_trust if y_array.ndim == 2 else _single_label_trust
    rows, trust = trust_of(estimator, X, y_array, cv, missing_label, random_state)
    if n_queries > rows.shape[0]:
        raise ValueError(f"n_queries={n_queries} is larger than the {rows.shape[0]} labeled rows.")
    rng = check_random_state(random_state)
    return rows[best_first(-trust, rng)[:n_queries]].astype(np.int64)
