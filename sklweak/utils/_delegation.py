"""Delegation to an inner estimator: one ``available_if`` rule and one tag copy.

Meta-estimators that end by fitting a clone of a learner (confident learning
and the multi-annotator classifier on trusted labels, LLP-BP and the
proportion-weighted baseline on weighted per-class copies, SETRED, the label
model's end model) predict through :class:`DelegationMixin`. Every
meta-estimator offers a delegated method only when :func:`delegate_has` says
its estimator has it, and copies its estimator's input tags with
:func:`copy_input_tags`.
"""

import numpy as np
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from ._sklearn_compat import _estimator_has

__all__ = ["DelegationMixin", "copy_input_tags", "delegate_has"]


def delegate_has(attr):
    """``available_if`` check: the fitted, else the unfitted, estimator has ``attr``.

    scikit-learn's ``_estimator_has`` over ``estimator_`` and then
    ``_unfitted_estimator``, the property that resolves the estimator a
    meta-estimator will clone (``_resolved_estimator()``, which replaces
    ``estimator=None`` by the class's default learner).
    """
    return _estimator_has(attr, delegates=("estimator_", "_unfitted_estimator"))


def copy_input_tags(tags, estimator):
    """Copy the inner estimator's sparse and NaN input tags onto ``tags``."""
    inner = get_tags(estimator).input_tags
    tags.input_tags.sparse = inner.sparse
    tags.input_tags.allow_nan = inner.allow_nan
    return tags


class DelegationMixin:
    """``predict``, ``predict_proba``, ``predict_log_proba`` and
    ``decision_function`` of ``estimator_``, each offered when the learner has it.

    Hooks for subclasses: ``_resolved_estimator()`` (the unfitted learner, by
    default ``estimator``), ``_validate_data_options()`` (how ``X`` is checked),
    ``_to_classes(values, fill)`` (the learner's probability columns onto
    ``classes_``, ``fill`` where it saw no sample of a class) and
    ``_to_labels(predicted)`` (its predictions onto ``classes_``); the last
    two are identities by default; ``_route(method, params)`` (the metadata
    the estimator's method receives: none by default, and keyword arguments
    are refused).
    """

    def _resolved_estimator(self):
        return self.estimator

    @property
    def _unfitted_estimator(self):
        return self._resolved_estimator()

    def _route(self, method, params):
        if params:
            raise TypeError(
                f"{type(self).__name__}.{method}() got unexpected keyword arguments "
                f"{sorted(params)}."
            )
        return {}

    def _to_classes(self, values, fill):
        return values

    def _to_labels(self, predicted):
        return predicted

    def _check_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, **self._validate_data_options())

    @available_if(delegate_has("predict"))
    def predict(self, X, **params):
        """Predict classes with the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **params : dict
            Metadata for the learner's method of the same name (only where
            the estimator routes metadata).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes, from ``classes_``.
        """
        X = self._check_X(X)
        return self._to_labels(self.estimator_.predict(X, **self._route("predict", params)))

    @available_if(delegate_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Class probabilities of the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **params : dict
            Metadata for the learner's method of the same name (only where
            the estimator routes metadata).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; 0 for a class the learner
            never saw.
        """
        X = self._check_X(X)
        routed = self._route("predict_proba", params)
        return self._to_classes(self.estimator_.predict_proba(X, **routed), 0.0)

    @available_if(delegate_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Logarithm of the class probabilities of the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **params : dict
            Metadata for the learner's method of the same name (only where
            the estimator routes metadata).

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; ``-inf`` for a class the
            learner never saw.
        """
        X = self._check_X(X)
        routed = self._route("predict_log_proba", params)
        return self._to_classes(self.estimator_.predict_log_proba(X, **routed), -float("inf"))

    @available_if(delegate_has("decision_function"))
    def decision_function(self, X, **params):
        """Decision function of the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **params : dict
            Metadata for the learner's method of the same name (only where
            the estimator routes metadata).

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
        scores = self.estimator_.decision_function(X, **self._route("decision_function", params))
        n_seen = len(self.estimator_.classes_)
        if n_seen == len(self.classes_):
            return scores
        if n_seen == 2 and scores.ndim == 1:
            scores = np.column_stack([-0.5 * scores, 0.5 * scores])
        return self._to_classes(scores, -float("inf"))
