"""Prediction methods shared by estimators that read classes from logits.

Torch-free: the neural estimators' mixin imports ``sklweak.neural`` only when
it predicts.
"""

import numpy as np
from scipy.special import expit, softmax
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = [
    "LinearOrMLPPredictionMixin",
    "NeuralNetPredictionMixin",
    "SoftmaxPredictionMixin",
]

# A feature whose spread is below this share of its magnitude is constant.
_CONSTANT_FEATURE = 1e-12


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


class LinearOrMLPPredictionMixin(SoftmaxPredictionMixin):
    """``decision_function`` of an estimator with a linear or an MLP backend.

    The fitted linear model is ``coef_`` and ``intercept_``; the MLP is the
    skorch net ``net_``, fed features standardized with ``feature_mean_`` and
    ``feature_scale_``. The estimator provides ``_validate_data_options``.
    """

    def decision_function(self, X):
        """Logits of the linear model or the MLP.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes) or (n_samples,)
            One column per class; for two classes, the score of ``classes_[1]``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._validate_data_options())
        if hasattr(self, "net_"):
            from ..neural import predict_logits

            Z = (np.asarray(X, dtype=np.float64) - self.feature_mean_) / self.feature_scale_
            scores = predict_logits(self.net_, Z)
            if scores.shape[1] == 2:
                scores = scores[:, 1:] - scores[:, :1]
        else:
            scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores


class NeuralNetPredictionMixin(SoftmaxPredictionMixin):
    """Predictions of an estimator that trained a skorch net ``net_``.

    The features are standardized with the statistics stored by
    ``_fit_standardizer`` (``feature_mean_``, ``feature_scale_``) and the
    net's logits are read in float64. Estimators using it need torch, so the
    registry lists them only where torch is installed.
    """

    _optional_dependency = "torch"

    def _fit_standardizer(self, X):
        """Store the feature means and scales of ``X``; return it standardized."""
        self.feature_mean_ = X.mean(axis=0)
        scale = X.std(axis=0)
        scale[scale < _CONSTANT_FEATURE * (1.0 + np.abs(self.feature_mean_))] = 1.0
        self.feature_scale_ = scale
        return self._standardize(X)

    def _standardize(self, X):
        return (np.asarray(X, dtype=np.float64) - self.feature_mean_) / self.feature_scale_

    def _net_logits(self, X):
        """Logits of already validated ``X``."""
        from ..neural import predict_logits

        return predict_logits(self.net_, self._standardize(X))

    def _scores(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, accept_sparse=False, dtype=[np.float64, np.float32])
        return self._net_logits(X)
