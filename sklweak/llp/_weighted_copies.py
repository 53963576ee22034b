"""A learner trained on weighted copies of the samples, one per class.

LLP-BP (its pseudo-labels) and the proportion-weighted baseline (the bag
proportions) both reduce LLP to ordinary classification: sample ``i`` enters
the learner once per class ``k`` with weight ``w[i, k]``. This mixin fits that
learner and hands its predictions back in the columns of ``classes_``.
"""

import numpy as np
from sklearn.base import clone
from sklearn.utils import _safe_indexing
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["WeightedCopiesMixin"]


def _learner_has(attr):
    """Whether the fitted learner, else the unfitted one, has ``attr``."""

    def check(self):
        if hasattr(self, "estimator_"):
            return hasattr(self.estimator_, attr)
        return hasattr(self._learner(), attr)

    return check


class WeightedCopiesMixin:
    """Fit ``estimator_`` on weighted per-class copies; predict through it."""

    def _learner(self):
        """The unfitted learner (``estimator``; subclasses may supply a default)."""
        return self.estimator

    def _fit_weighted_copies(self, X, weights, weight_parameter="sample_weight"):
        """Fit a clone of the learner on one copy of row ``i`` per class ``k``
        with ``weights[i, k] > 0``, labeled ``k`` (a column of ``classes_``)."""
        sample, column = np.nonzero(weights > 0)
        self.estimator_ = clone(self._learner())
        self.estimator_.fit(
            _safe_indexing(X, sample), column, **{weight_parameter: weights[sample, column]}
        )
        return self.estimator_

    def _columns(self):
        """Positions in ``classes_`` of the learner's classes."""
        return np.asarray(self.estimator_.classes_, dtype=np.intp)

    def _in_all_columns(self, values, fill):
        """Learner outputs spread over every column of ``classes_``."""
        full = np.full((values.shape[0], self.classes_.shape[0]), fill, dtype=np.float64)
        full[:, self._columns()] = values
        return full

    def _check_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, **self._validate_data_options())

    def predict(self, X):
        """Predict the class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Classes from ``classes_``.
        """
        X = self._check_X(X)
        return self.classes_[np.asarray(self.estimator_.predict(X), dtype=np.intp)]

    @available_if(_learner_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the learner, one column per class.

        A class that no copy carried gets probability 0.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        X = self._check_X(X)
        return self._in_all_columns(self.estimator_.predict_proba(X), 0.0)

    @available_if(_learner_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; ``-inf`` for a class no copy
            carried.
        """
        X = self._check_X(X)
        return self._in_all_columns(self.estimator_.predict_log_proba(X), -np.inf)

    @available_if(_learner_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For two classes, the score of ``classes_[1]``; else one column per
            class seen by the learner.
        """
        X = self._check_X(X)
        return self.estimator_.decision_function(X)
