"""Predictions delegated to a fitted inner estimator, ``estimator_``.

Meta-estimators that end by fitting a clone of a learner (confident learning
and the multi-annotator classifier on trusted labels, LLP-BP and the
proportion-weighted baseline on weighted per-class copies) predict through it.
"""

import numpy as np
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["DelegationMixin"]


def _learner_has(attr):
    """``available_if`` check: the fitted, else the unfitted, learner has ``attr``."""

    def check(self):
        learner = getattr(self, "estimator_", None)
        getattr(self._learner() if learner is None else learner, attr)
        return True

    return check


class DelegationMixin:
    """``predict``, ``predict_proba``, ``predict_log_proba`` and
    ``decision_function`` of ``estimator_``, each offered when the learner has it.

    Hooks for subclasses: ``_learner()`` (the unfitted learner, by default
    ``estimator``), ``_validate_data_options()`` (how ``X`` is checked),
    ``_to_classes(values, fill)`` (the learner's probability columns onto
    ``classes_``, ``fill`` where it saw no sample of a class) and
    ``_to_labels(predicted)`` (its predictions onto ``classes_``); the last
    two are identities by default.
    """

    def _learner(self):
        return self.estimator

    def _to_classes(self, values, fill):
        return values

    def _to_labels(self, predicted):
        return predicted

    def _check_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, **self._validate_data_options())

    @available_if(_learner_has("predict"))
    def predict(self, X):
        """Predict classes with the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes, from ``classes_``.
        """
        X = self._check_X(X)
        return self._to_labels(self.estimator_.predict(X))

    @available_if(_learner_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; 0 for a class the learner
            never saw.
        """
        X = self._check_X(X)
        return self._to_classes(self.estimator_.predict_proba(X), 0.0)

    @available_if(_learner_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Logarithm of the class probabilities of the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; ``-inf`` for a class the
            learner never saw.
        """
        X = self._check_X(X)
        return self._to_classes(self.estimator_.predict_log_proba(X), -float("inf"))

    @available_if(_learner_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The learner's decision values: for two classes, the score of
            ``classes_[1]``; else one column per class of ``classes_``. When
            the learner never saw some declared class, its column is
            ``-inf`` (as in ``predict_log_proba``), and a binary learner's
            score ``s`` becomes the columns ``-s / 2`` and ``s / 2`` (whose
            softmax is the sigmoid of ``s``), so the shape always agrees
            with ``classes_``.
        """
        X = self._check_X(X)
        scores = self.estimator_.decision_function(X)
        n_seen = len(self.estimator_.classes_)
        if n_seen == len(self.classes_):
            return scores
        if n_seen == 2 and scores.ndim == 1:
            scores = np.column_stack([-0.5 * scores, 0.5 * scores])
        return self._to_classes(scores, -float("inf"))
