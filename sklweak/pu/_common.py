"""Pieces shared by the PU estimators: prior checks, inner scores, hold-outs,
and the prediction methods of the linear PU/PNU models."""

from numbers import Real

import numpy as np
from scipy.special import expit
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted, validate_data

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


def log_odds(p):
    """``log(p / (1 - p))``, finite: ``p`` is clipped away from 0 and 1 first.

    Positive exactly where ``p > 0.5``, so it agrees with a 0.5 threshold.
    """
    p = np.clip(p, 1e-15, 1.0 - 1e-15)
    return np.log(p) - np.log1p(-p)


class PositiveProbabilityMixin:
    """Prediction methods from ``_positive_proba(X)``, the probability of
    ``pos_label`` that a subclass computes (input checked, values in [0, 1])."""

    def predict_proba(self, X):
        """Class probabilities ``P(y | x)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Columns in the order of ``classes_`` (negative, positive).
        """
        p = self._positive_proba(X)
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        """Predict ``pos_label`` where its probability exceeds 0.5.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            ``neg_label`` or ``pos_label``.
        """
        return self._labels_from_positive(self._positive_proba(X) > 0.5)

    def decision_function(self, X):
        """Log-odds of the probability of ``pos_label``.

        Positive exactly where ``predict`` returns ``pos_label``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``log(p / (1 - p))`` with ``p = predict_proba(X)[:, 1]``.
        """
        return log_odds(self._positive_proba(X))


class LinearScoreMixin:
    """Prediction methods of a linear score ``g(x) = X @ coef_ + intercept_``.

    The model is trained on standardized features; ``_set_linear_score``
    stores it in the original feature space. Positive scores mean
    ``pos_label``; ``predict_proba`` is ``sigmoid(g(x))``.
    """

    def _set_linear_score(self, w, bias, mean, scale):
        self.coef_ = (w / scale)[np.newaxis, :]
        self.intercept_ = np.array([bias - float(mean / scale @ w)])

    def decision_function(self, X):
        """Linear score ``g(x)``; positive means ``pos_label``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``X @ coef_.T + intercept_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._validate_data_options())
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X):
        """``sigmoid(g(x))`` as the probability of the positive class.

        Calibrated for a logistic loss; for the sigmoid loss a monotone score
        with the right 0.5 threshold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Columns in the order of ``classes_``.
        """
        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        """Predict ``pos_label`` where ``g(x) > 0``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            ``neg_label`` or ``pos_label``.
        """
        return self._labels_from_positive(self.decision_function(X) > 0)
