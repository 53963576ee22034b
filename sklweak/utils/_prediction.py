"""Prediction methods from one hook, ``_scores(X)``.

Every estimator whose model ends in scores (logits, or the probability of the
positive class) gets ``predict_proba`` and ``predict`` from
:class:`ScorePredictionMixin`. The neural estimators' mixins build on it in
:mod:`sklweak.neural._base`.
"""

import numpy as np
from scipy.special import expit, softmax
from sklearn.utils.metaestimators import available_if

__all__ = ["ScorePredictionMixin", "log_odds"]


def log_odds(p):
    """``log(p / (1 - p))``, finite: ``p`` is clipped away from 0 and 1 first.

    Positive exactly where ``p > 0.5``, so it agrees with a 0.5 threshold.
    """
    p = np.clip(p, 1e-15, 1.0 - 1e-15)
    return np.log(p) - np.log1p(-p)


def _model_gives_probabilities(estimator):
    return estimator._scores_are_probabilities


class ScorePredictionMixin:
    """``predict_proba`` and ``predict`` from the scores of ``_scores(X)``.

    ``_scores`` (``decision_function`` unless overridden) returns logits: one
    column per class, or for two classes a 1-D score of ``classes_[1]``, read
    through the logistic function; ``predict`` is the class of the largest
    score (for a 1-D score, ``classes_[1]`` where it is positive).

    A binary estimator whose model gives the probability of ``classes_[1]``
    instead sets ``_scores_are_probabilities = True`` and returns that
    probability (checked input, values in [0, 1]) from ``_scores``:
    ``predict_proba`` is then ``(1 - p, p)``, ``predict`` thresholds ``p`` at
    0.5, and ``decision_function`` is its log-odds.
    """

    _scores_are_probabilities = False

    def _scores(self, X):
        return self.decision_function(X)

    def predict_proba(self, X):
        """Class probabilities (never NaN).

        The softmax of the logits (the logistic function of a 1-D score), or
        the model's own probability of ``classes_[1]``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        scores = self._scores(X)
        if self._scores_are_probabilities:
            return np.column_stack([1.0 - scores, scores])
        if scores.ndim == 1:
            p = expit(scores)
            return np.column_stack([1.0 - p, p])
        return softmax(scores, axis=1)

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Classes from ``classes_``.
        """
        scores = self._scores(X)
        if scores.ndim == 1:
            threshold = 0.5 if self._scores_are_probabilities else 0.0
            return self.classes_[(scores > threshold).astype(np.intp)]
        return self.classes_[np.argmax(scores, axis=1)]

    @available_if(_model_gives_probabilities)
    def decision_function(self, X):
        """Log-odds of the probability of ``classes_[1]``.

        Positive exactly where ``predict`` returns ``classes_[1]``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``log(p / (1 - p))`` with ``p = predict_proba(X)[:, 1]``.
        """
        return log_odds(self._scores(X))
