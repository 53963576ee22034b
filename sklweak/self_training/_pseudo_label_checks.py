"""Checks on pseudo-labels: cross-fitted confidences and neighbourhood editing.

Used by :class:`~sklweak.self_training.SelfTrainingClassifier` options
(``confidence_cv``, ``early_stopping``, ``editing_alpha``) on small data, where
a model grading rows it was fitted on, or pseudo-labels that disagree with
their neighbours, make self-training worse than the supervised model.
"""

import warnings

import numpy as np
from scipy.stats import norm
from sklearn.base import clone
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.neighbors import NearestNeighbors

from ..utils._sklearn_compat import _check_method_params, _safe_indexing

__all__ = []

# Neighbours of each pseudo-label in the SETRED test (Li and Zhou, 2005).
EDITING_NEIGHBORS = 10


def _folds(labels, n_folds):
    """Stratified folds of ``labels`` when every class allows it, else plain folds."""
    counts = np.unique(labels, return_counts=True)[1]
    n_folds = min(n_folds, labels.shape[0])
    if counts.min() >= n_folds:
        return StratifiedKFold(n_folds).split(labels, labels)
    return KFold(n_folds).split(labels)


def _proba_columns(estimator, X, classes):
    """``predict_proba`` with one column per entry of ``classes`` (zeros if unseen)."""
    proba = estimator.predict_proba(X)
    full = np.zeros((proba.shape[0], classes.shape[0]))
    position = np.searchsorted(classes, estimator.classes_)
    full[:, position] = proba
    return full


def cross_fitted_proba(estimator, X, train_rows, targets, other_rows, n_folds, fit_params):
    """Out-of-fold probabilities of the training rows, fold-averaged ones elsewhere.

    A clone of ``estimator`` is fitted on each ``n_folds - 1`` folds of
    ``train_rows``: each training row is graded by the clone that did not see
    it, every row of ``other_rows`` by the mean of the clones.

    Parameters
    ----------
    estimator : estimator object
        Unfitted classifier with ``predict_proba``.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        All samples.
    train_rows : ndarray of int
        Rows the model is trained on.
    targets : ndarray of shape (n_samples,)
        Labels, read at ``train_rows``.
    other_rows : ndarray of int
        Rows graded by every clone.
    n_folds : int
        Number of folds (lowered to the number of training rows).
    fit_params : dict
        Fit parameters of length ``n_samples`` (sliced with the rows).

    Returns
    -------
    classes : ndarray
        Sorted labels of the training rows, the columns of the probabilities.
    oof : ndarray of shape (len(train_rows), n_classes)
        Out-of-fold probabilities of the training rows.
    other : ndarray of shape (len(other_rows), n_classes)
        Mean probabilities of the other rows.
    """
    labels = targets[train_rows]
    classes = np.unique(labels)
    oof = np.zeros((train_rows.shape[0], classes.shape[0]))
    other = np.zeros((other_rows.shape[0], classes.shape[0]))
    X_other = _safe_indexing(X, other_rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        folds = list(_folds(labels, n_folds))
    for fit_idx, held_idx in folds:
        rows = train_rows[fit_idx]
        params = _check_method_params(X, fit_params, indices=rows)
        model = clone(estimator).fit(_safe_indexing(X, rows), targets[rows], **params)
        oof[held_idx] = _proba_columns(model, _safe_indexing(X, train_rows[held_idx]), classes)
        if other_rows.shape[0]:
            other += _proba_columns(model, X_other, classes) / len(folds)
    return classes, oof, other


def neighbourhood_consistent(
    X,
    reference_rows,
    reference_labels,
    candidate_rows,
    candidate_labels,
    alpha,
    reference_weights=None,
):
    """SETRED's test: keep pseudo-labels that agree with their neighbourhood.

    Each candidate's ``EDITING_NEIGHBORS`` nearest neighbours are taken among
    the reference rows (labeled and earlier pseudo-labeled) and the other
    candidates. Its cut-edge weight ``J`` sums ``1 / (1 + distance)`` over
    neighbours of another label. Were labels independent of the neighbourhood,
    ``J`` would have mean ``(1 - p) * sum(w)`` and variance
    ``p * (1 - p) * sum(w**2)``, ``p`` the share of the candidate's label among
    the reference rows (weighted by ``reference_weights`` when given); a
    candidate is kept when ``J`` is significantly small (one-sided normal
    p-value below ``alpha``).

    Returns
    -------
    keep : ndarray of bool, shape (len(candidate_rows),)
        True for the candidates kept.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.self_training._pseudo_label_checks import neighbourhood_consistent
    >>> X = np.r_[np.zeros((30, 1)), np.ones((30, 1))] + np.linspace(0, 0.1, 60)[:, None]
    >>> ref = np.r_[0:25, 30:55]
    >>> keep = neighbourhood_consistent(
    ...     X, ref, (ref >= 30).astype(int), np.array([26, 56]), np.array([0, 0]), 0.05)
    >>> keep.tolist()
    [True, False]
    """
    if candidate_rows.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    rows = np.concatenate([reference_rows, candidate_rows])
    labels = np.concatenate([reference_labels, candidate_labels])
    n_neighbors = min(EDITING_NEIGHBORS, rows.shape[0] - 1)
    if n_neighbors < 1:
        return np.ones(candidate_rows.shape[0], dtype=bool)
    index = NearestNeighbors(n_neighbors=n_neighbors + 1).fit(_safe_indexing(X, rows))
    distance, neighbor = index.kneighbors(_safe_indexing(X, candidate_rows))
    # Drop each candidate itself (its own first neighbour, at distance 0).
    own = rows.shape[0] - candidate_rows.shape[0] + np.arange(candidate_rows.shape[0])
    not_self = neighbor != own[:, None]
    weight = np.where(not_self, 1.0 / (1.0 + distance), 0.0)
    differs = labels[neighbor] != candidate_labels[:, None]
    cut = np.sum(weight * differs, axis=1)
    if reference_weights is None:
        values, counts = np.unique(reference_labels, return_counts=True)
    else:
        values, position = np.unique(reference_labels, return_inverse=True)
        counts = np.bincount(position, weights=reference_weights, minlength=values.shape[0])
    share = dict(zip(values.tolist(), (counts / counts.sum()).tolist()))
    p = np.array([share.get(label, 0.0) for label in candidate_labels.tolist()])
    mean = (1.0 - p) * weight.sum(axis=1)
    std = np.sqrt(p * (1.0 - p) * np.sum(weight**2, axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std > 0, (cut - mean) / std, 0.0)
    return norm.cdf(z) < alpha
