"""Noise-robust losses for a multinomial linear model, fitted by L-BFGS.

Each loss is a function of the softmax probabilities ``p`` of a sample and its
given label ``y``; what the solver needs is the loss and its gradient with
respect to the logits, ``dL/dz = p * (g - <g, p>)`` with ``g = dL/dp``.

- ``"cross_entropy"``: ``-log p_y`` (multinomial logistic regression);
- ``"forward"``: ``-log (T p)_y``, ``T[i, j] = P(given i | true j)`` the
  estimated noise matrix (forward correction, Patrini et al., 2017);
- ``"gce"``: generalized cross-entropy ``(1 - p_y^q) / q`` with ``q = 0.7``
  (Zhang & Sabuncu, 2018);
- ``"sce"``: symmetric cross-entropy ``0.1 * (-log p_y) + 1.0 * 4 * (1 - p_y)``
  (Wang et al., 2019; the reverse term with ``log 0`` clipped to -4);
- ``"bootstrap"``: soft bootstrapping ``-sum_k (b e_y + (1 - b) p)_k log p_k``
  with ``b = 0.95`` (Reed et al., 2015), i.e. cross-entropy plus
  ``1 - b`` times the prediction's entropy.
"""

import warnings
from numbers import Real

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._sklearn_compat import Interval, StrOptions, _check_sample_weight, _fit_context

__all__ = []

ROBUST_LOSSES = ("forward", "gce", "sce", "bootstrap")
GCE_Q = 0.7
SCE_ALPHA, SCE_BETA, SCE_LOG_ZERO = 0.1, 1.0, 4.0
BOOTSTRAP_BETA = 0.95
TINY = 1e-12


def _loss_and_logit_gradient(loss, log_p, y, noise_matrix):
    """Per-sample losses and their gradients with respect to the logits."""
    n_samples = y.shape[0]
    rows = np.arange(n_samples)
    p = np.exp(log_p)
    p_y = p[rows, y]
    if loss == "cross_entropy":
        values = -log_p[rows, y]
        grad = p.copy()
        grad[rows, y] -= 1.0
        return values, grad
    if loss == "gce":
        values = (1.0 - p_y**GCE_Q) / GCE_Q
        grad = p.copy()
        grad[rows, y] -= 1.0
        return values, grad * (p_y**GCE_Q)[:, None]
    if loss == "sce":
        values = -SCE_ALPHA * log_p[rows, y] + SCE_BETA * SCE_LOG_ZERO * (1.0 - p_y)
        grad = p.copy()
        grad[rows, y] -= 1.0
        return values, grad * (SCE_ALPHA + SCE_BETA * SCE_LOG_ZERO * p_y)[:, None]
    if loss == "bootstrap":
        entropy = -(p * log_p).sum(axis=1)
        values = -BOOTSTRAP_BETA * log_p[rows, y] + (1.0 - BOOTSTRAP_BETA) * entropy
        grad = BOOTSTRAP_BETA * p
        grad[rows, y] -= BOOTSTRAP_BETA
        grad -= (1.0 - BOOTSTRAP_BETA) * p * (log_p + entropy[:, None])
        return values, grad
    # forward correction: u = T p, L = -log u_y
    u_y = np.maximum((p * noise_matrix[y]).sum(axis=1), TINY)
    values = -np.log(u_y)
    g = -noise_matrix[y] / u_y[:, None]
    grad = p * (g - (g * p).sum(axis=1, keepdims=True))
    return values, grad


class RobustSoftmaxRegression(ClassifierMixin, BaseEstimator):
    """Multinomial linear classifier trained with a noise-robust loss.

    The objective is ``||W||^2 / 2 + C * sum_i w_i L(p_i, y_i)`` (the
    intercept is not penalized), as scikit-learn's ``LogisticRegression``
    writes it; L-BFGS starts from the cross-entropy solution. Used by
    :class:`NoiseRobustClassifier` in place of a ``LogisticRegression``
    final step for the loss strategies.

    Parameters
    ----------
    loss : {"cross_entropy", "forward", "gce", "sce", "bootstrap"}, \
            default="gce"
        Loss of each sample (see the module docstring).
    C : float > 0, default=1.0
        Inverse regularization strength.
    fit_intercept : bool, default=True
        Learn one intercept per class.
    max_iter : int, default=1000
        Most L-BFGS iterations of each of the two solves.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (n_classes, n_features)
        Weights.
    intercept_ : ndarray of shape (n_classes,)
        Intercepts.
    n_iter_ : int
        L-BFGS iterations of the robust solve.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.noise._robust_losses import RobustSoftmaxRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = RobustSoftmaxRegression(loss="gce").fit(X, y)
    >>> bool(clf.score(X, y) > 0.9)
    True
    """

    _parameter_constraints: dict = {
        "loss": [StrOptions({"cross_entropy", *ROBUST_LOSSES})],
        "C": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Real, 1, None, closed="left")],
    }

    def __init__(self, loss="gce", *, C=1.0, fit_intercept=True, max_iter=1000):
        self.loss = loss
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter

    def _solve(self, loss, X, y, weights, noise_matrix, start):
        n_features = X.shape[1]
        n_classes = self.classes_.shape[0]
        # The objective divided by the total weight, for the solver's tolerances.
        total = weights.sum()
        scale = 1.0 / (self.C * total)
        weights = weights / total

        def objective(theta):
            W = theta[: n_classes * n_features].reshape(n_classes, n_features)
            b = theta[n_classes * n_features :] if self.fit_intercept else 0.0
            log_p = log_softmax(safe_sparse_dot(X, W.T) + b, axis=1)
            values, grad_z = _loss_and_logit_gradient(loss, log_p, y, noise_matrix)
            grad_z *= weights[:, None]
            value = 0.5 * scale * np.dot(W.ravel(), W.ravel()) + values @ weights
            grad_W = safe_sparse_dot(grad_z.T, X) + scale * W
            parts = [np.asarray(grad_W).ravel()]
            if self.fit_intercept:
                parts.append(grad_z.sum(axis=0))
            return value, np.concatenate(parts)

        return minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": int(self.max_iter), "gtol": 1e-6},
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, noise_matrix=None):
        """Fit the weights with the chosen loss.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Given labels, any dtype.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.
        noise_matrix : array-like of shape (n_classes, n_classes), default=None
            ``P(given = classes_[i] | true = classes_[j])``, columns summing
            to 1; required by ``loss="forward"``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        n_classes = self.classes_.shape[0]
        if n_classes < 2:
            raise ValueError(f"y needs at least 2 classes; got 1 ({self.classes_[0]!r}).")
        weights = _check_sample_weight(sample_weight, X)
        if self.loss == "forward":
            if noise_matrix is None:
                raise ValueError('loss="forward" needs the noise_matrix fit parameter.')
            noise_matrix = np.asarray(noise_matrix, dtype=np.float64)
            if noise_matrix.shape != (n_classes, n_classes):
                raise ValueError(
                    f"noise_matrix must have shape ({n_classes}, {n_classes}); got "
                    f"{noise_matrix.shape}."
                )
        n_params = n_classes * (X.shape[1] + int(self.fit_intercept))
        start = self._solve("cross_entropy", X, y_encoded, weights, None, np.zeros(n_params)).x
        result = self._solve(self.loss, X, y_encoded, weights, noise_matrix, start)
        if not result.success and result.nit >= self.max_iter:
            warnings.warn(
                f"RobustSoftmaxRegression reached max_iter={self.max_iter} L-BFGS "
                "iterations; raise max_iter.",
                ConvergenceWarning,
                stacklevel=2,
            )
        theta = result.x
        self.n_iter_ = int(result.nit)
        self.coef_ = theta[: n_classes * X.shape[1]].reshape(n_classes, X.shape[1])
        self.intercept_ = (
            theta[n_classes * X.shape[1] :] if self.fit_intercept else np.zeros(n_classes)
        )
        return self

    def _logits(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        return np.asarray(safe_sparse_dot(X, self.coef_.T)) + self.intercept_

    def decision_function(self, X):
        """Logits of each class (their difference with two classes).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes) or (n_samples,)
            Logits, columns in the order of ``classes_``; with two classes,
            the logit of ``classes_[1]`` minus that of ``classes_[0]``.
        """
        logits = self._logits(X)
        return logits[:, 1] - logits[:, 0] if logits.shape[1] == 2 else logits

    def predict_proba(self, X):
        """Softmax probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        return np.exp(log_softmax(self._logits(X), axis=1))

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Classes from ``classes_``.
        """
        return self.classes_[np.argmax(self._logits(X), axis=1)]
