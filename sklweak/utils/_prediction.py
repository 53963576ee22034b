"""Prediction methods shared by estimators that read classes from logits.

The neural estimators' mixins build on it in :mod:`sklweak.neural._base`.
"""

import numpy as np
from scipy.special import expit, softmax

__all__ = ["SoftmaxPredictionMixin"]


class SoftmaxPredictionMixin:
    """``predict_proba`` and ``predict`` from the logits of ``_scores(X)``.

    ``_scores`` (``decision_function`` unless overridden) returns one column
    per class, or a 1-D score of ``classes_[1]`` for two classes (read
    through the logistic function).
    """

    def _scores(self, X):
        return self.decision_function(X)

    def predict_proba(self, X):
        """Class probabilities, the softmax of the logits (never NaN).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        scores = self._scores(X)
        if scores.ndim == 1:
            p = expit(scores)
            return np.column_stack([1.0 - p, p])
        return softmax(scores, axis=1)

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Classes from ``classes_``.
        """
        scores = self._scores(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(np.intp)]
        return self.classes_[np.argmax(scores, axis=1)]
