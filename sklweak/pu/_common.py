"""Pieces shared by the PU estimators: prior checks, inner scores, hold-outs,
and the prediction methods of the linear PU/PNU models."""

from numbers import Real

import numpy as np
from sklearn.utils import get_tags

from ..utils._sklearn_compat import _safe_indexing

__all__ = []


def check_prior(prior, n_labeled, n_samples, *, name="prior"):
    """Validate a class prior against the labeled fraction; return it as float.

    The class prior ``P(y = 1)`` is at least the labeled fraction, since every
    labeled sample is positive.
    """
    if isinstance(prior, bool) or not isinstance(prior, Real):
        raise ValueError(f"{name} must be a float in (0, 1); got {prior!r}.")
    prior = float(prior)
    if not 0.0 < prior < 1.0:
        raise ValueError(f"{name} must lie in the open interval (0, 1); got {prior!r}.")
    labeled_fraction = n_labeled / n_samples
    if prior < labeled_fraction - 1e-12:
        raise ValueError(
            f"{name}={prior!r} is smaller than the labeled fraction "
            f"{labeled_fraction:.4g} ({n_labeled} labeled positives among "
            f"{n_samples} samples): every labeled sample is positive, so the "
            "class prior cannot be smaller."
        )
    return prior


def positive_score(estimator, X):
    """``P(s = 1 | x)`` from an estimator fitted on 0/1 labels (1 = labeled)."""
    proba = estimator.predict_proba(X)
    classes = list(estimator.classes_)
    if 1 not in classes:
        return np.zeros(proba.shape[0])
    return proba[:, classes.index(1)]


def stratified_hold_out(labeled, ratio, rng):
    """Boolean mask of a hold-out part: ``ratio`` of the labeled and of the unlabeled.

    At least one labeled positive is held out and at least one stays in
    training (when there are two or more); unlabeled rows are held out in the
    same ratio so that training keeps the label frequency of the whole set.
    """
    held = np.zeros(labeled.shape[0], dtype=bool)
    for mask, minimum in ((labeled, 1), (~labeled, 0)):
        rows = np.flatnonzero(mask)
        n_rows = rows.shape[0]
        n_held = int(np.ceil(ratio * n_rows))
        n_held = max(minimum, min(n_held, n_rows - 1))
        if n_held > 0:
            held[rng.choice(rows, size=n_held, replace=False)] = True
    return held


def rows(X, index):
    """Rows of ``X`` (array or sparse) by integer index."""
    return _safe_indexing(X, index)


def meta_validate_options(estimator):
    """``validate_data`` options for a meta-estimator: NaN passes when the inner one takes it."""
    allow_nan = estimator is not None and get_tags(estimator).input_tags.allow_nan
    return {
        "accept_sparse": ["csr", "csc"],
        "ensure_all_finite": not allow_nan,
    }


def linear_model_in_original_space(w, bias, mean, scale):
    """``coef_`` and ``intercept_`` of a linear score trained on standardized features.

    ``g(x) = ((x - mean) / scale) @ w + bias``, written as ``x @ coef_[0] + intercept_[0]``.
    """
    coef = (w / scale)[np.newaxis, :]
    intercept = np.array([bias - float(mean / scale @ w)])
    return coef, intercept
