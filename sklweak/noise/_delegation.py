"""Prediction methods shared by the noise family's meta-estimators.

``ConfidentLearningClassifier`` and ``MultiAnnotatorClassifier`` both end by
fitting a clone of ``estimator`` (``estimator_``) on labels they trust; their
predictions delegate to it.
"""

import numpy as np
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = []


def _inner_has(attr):
    """``available_if`` check: the fitted (or else the given) estimator has ``attr``."""

    def check(self):
        getattr(getattr(self, "estimator_", self.estimator), attr)
        return True

    return check


class RefitDelegationMixin:
    """``predict``, ``predict_proba``, ``predict_log_proba``, ``decision_function``
    of the refitted ``estimator_``, and the inner estimator's input tags.

    ``_to_classes(values, fill)`` maps the inner estimator's probability
    columns onto ``classes_``; the identity unless a subclass can lose classes.
    """

    def _to_classes(self, values, fill):
        return values

    def _check_X(self, X):
        check_is_fitted(self)
        return validate_data(
            self, X, accept_sparse=["csr", "csc"], ensure_all_finite=False,
            dtype=None, reset=False,
        )

    @available_if(_inner_has("predict"))
    def predict(self, X):
        """Predict classes with the refitted estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes.
        """
        X = self._check_X(X)
        return self.estimator_.predict(X)

    @available_if(_inner_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the refitted estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_`` (0 for a class the refitted
            estimator never saw).
        """
        X = self._check_X(X)
        return self._to_classes(self.estimator_.predict_proba(X), 0.0)

    @available_if(_inner_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log class probabilities of the refitted estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        X = self._check_X(X)
        return self._to_classes(self.estimator_.predict_log_proba(X), -np.inf)

    @available_if(_inner_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the refitted estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The inner estimator's decision values.
        """
        X = self._check_X(X)
        return self.estimator_.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator).input_tags
        tags.input_tags.sparse = inner.sparse
        tags.input_tags.allow_nan = inner.allow_nan
        return tags
