"""Non-negative (and unbiased) PU risk minimisation with a linear model or an MLP.

The MLP backend imports torch and skorch inside ``fit`` and the prediction
methods only, so ``import sklweak.pu`` does not import them.
"""

import warnings
from numbers import Real

import numpy as np
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from ..base import BaseWeakClassifier, PUMixin
from ..neural._base import (
    LinearOrMLPPredictionMixin,
    check_hidden_layer_sizes,
    feature_standardization,
    mlp_parameter_constraints,
    torch_seed,
)
from ..utils._device import check_device
from ..utils._sklearn_compat import Interval, StrOptions
from ._class_prior import DEFAULT_PRIOR_METHOD, PRIOR_METHODS, estimate_class_prior
from ._common import check_prior, linear_model_in_original_space

__all__ = ["NNPUClassifier"]


def _loss(name, z):
    """Loss of margin ``z`` and its derivative: sigmoid ``1/(1+e^z)`` or logistic."""
    if name == "sigmoid":
        value = expit(-z)
        return value, -value * (1.0 - value)
    return np.logaddexp(0.0, -z), -expit(-z)


class _Adam:
    def __init__(self, shape, learning_rate, b1=0.9, b2=0.999, eps=1e-8):
        self.m = np.zeros(shape)
        self.v = np.zeros(shape)
        self.t = 0
        self.lr, self.b1, self.b2, self.eps = learning_rate, b1, b2, eps

    def step(self, params, grad, scale=1.0):
        self.t += 1
        self.m = self.b1 * self.m + (1 - self.b1) * grad
        self.v = self.b2 * self.v + (1 - self.b2) * grad * grad
        m_hat = self.m / (1 - self.b1**self.t)
        v_hat = self.v / (1 - self.b2**self.t)
        return params - scale * self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class NNPUClassifier(LinearOrMLPPredictionMixin, PUMixin, BaseWeakClassifier):
    """Linear model or MLP trained on the non-negative PU risk (Kiryo et al., 2017).

    With class prior ``pi``, labeled positives ``P`` (from ``p(x | y = 1)``)
    and all training samples ``U`` (from ``p(x)``, the labeled ones included,
    which is the single-training-set reading of SCAR), the risk of a scorer
    ``g`` with loss ``l`` is

    .. math::

        R(g) = \\pi R_P^+(g) + \\max\\{0,\\; R_U^-(g) - \\pi R_P^-(g)\\},

    where ``R_P^+ = mean_P l(g(x))``, ``R_P^- = mean_P l(-g(x))`` and
    ``R_U^- = mean_U l(-g(x))``. The unbiased risk of du Plessis et al. (uPU,
    ``non_negative=False``) drops the ``max``; it goes negative with flexible
    models and overfits. ``g(x) = w . z(x) + b`` is linear in the standardized
    features ``z(x)``, trained with Adam on mini-batches: when a batch's
    negative-class risk ``R_U^- - pi R_P^-`` falls below ``-beta``, the step
    instead climbs it, with the learning rate times ``gamma`` (Kiryo et al.'s
    defocusing step).

    With ``model="mlp"``, ``g`` is a multilayer perceptron on the standardized
    features (torch and skorch, ``pip install sklweak[neural]``), trained by
    mini-batch Adam on the same risk (:class:`sklweak.neural.NonNegativePULoss`:
    each shuffled mini-batch of all samples is the unlabeled sample, its
    labeled rows the positive one), with ``alpha`` as the weight decay; the
    flexible model is where uPU overfits and nnPU does not.

    Parameters
    ----------
    prior : float in (0, 1) or {"auto", "elkan_noto", "tice", "km2", \
            "km2_multiscale"}, default="auto"
        Class prior ``P(y = 1)`` over the training samples, at least the
        labeled fraction. A method name estimates it with
        :func:`estimate_class_prior` on the standardized features (no
        bootstrap); ``"auto"`` is that function's default,
        ``"km2_multiscale"``, the most accurate estimator in the benchmark
        (``benchmarks/bench_pu_prior_default.py``).
    loss : {"sigmoid", "logistic"}, default="sigmoid"
        Surrogate loss. The logistic loss gives calibrated probabilities.
    non_negative : bool, default=True
        nnPU; False is the unbiased uPU risk.
    beta : float >= 0, default=0.0
        Tolerance below zero of the negative-class risk before the defocusing
        step.
    gamma : float in [0, 1], default=1.0
        Learning-rate factor of the defocusing step.
    alpha : float >= 0, default=1e-4
        L2 penalty ``alpha / 2 * ||w||^2``. Over the 28 cells of
        ``benchmarks/bench_pu_defaults.py`` (linear model, ``prior="auto"``)
        1e-4 had the best mean F1; 1e-2 and 0.1 lower it by 0.01 and 0.1
        for at most 0.002 of mean ROC AUC.
    max_iter : int, default=500
        Most epochs.
    tol : float, default=1e-3
        Training stops when the full-data risk has not improved by ``tol``
        for ``n_iter_no_change`` epochs.
    n_iter_no_change : int, default=5
        See ``tol``.
    learning_rate : float, default=0.01
        Adam's step size.
    batch_size : int, default=256
        Samples of ``U`` per mini-batch; the labeled positives are spread over
        the same number of batches (``model="mlp"``: samples per mini-batch).
    model : {"linear", "mlp"}, default="linear"
        ``"linear"``: the linear scorer above (NumPy, no torch needed).
        ``"mlp"``: a multilayer perceptron; training stops once the epoch's
        mean training risk has not improved by ``tol`` for
        ``n_iter_no_change`` epochs.
    hidden_layer_sizes : tuple of int, default=(100,)
        Hidden layer widths of the MLP (``model="mlp"`` only).
    device : str, default="auto"
        Device of the MLP: ``"auto"`` (a GPU when torch sees one), ``"cpu"``,
        ``"cuda"``, ``"cuda:<index>"`` (``model="mlp"`` only; checked at
        ``fit`` on either backend).
    pos_label : int, bool or str, default=1
        Value of ``y`` marking a labeled positive; any other value is unlabeled.
    neg_label : int, bool or str, default=0
        Label predicted for negatives.
    random_state : int, RandomState instance or None, default=None
        Seed of the initial weights, the batches and the prior estimate (for
        the MLP, torch is seeded from it: same seed, same model on the CPU).

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features)
        Weights on the original features; ``model="linear"`` only.
    intercept_ : ndarray of shape (1,)
        Intercept on the original features; ``model="linear"`` only.
    net_ : skorch.NeuralNet
        The fitted MLP (its ``module_`` a :class:`sklweak.neural.MLPModule`
        with one output, the score); ``model="mlp"`` only.
    device_ : str
        Device of the MLP; ``model="mlp"`` only.
    feature_mean_, feature_scale_ : ndarray of shape (n_features,)
        Standardization of the MLP's inputs; ``model="mlp"`` only.
    class_prior_ : float
        The prior used (given or estimated).
    n_iter_ : int
        Epochs run.
    risk_curve_ : list of float
        Linear model: full-data risk after each epoch (the nnPU or uPU risk,
        without the penalty). MLP: mean mini-batch risk of each epoch.
    classes_ : ndarray of shape (2,)
        ``[neg_label, pos_label]``.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    ElkanNotoClassifier : Calibrated labeled-vs-unlabeled classifier.

    References
    ----------
    .. [1] R. Kiryo, G. Niu, M. C. du Plessis and M. Sugiyama, "Positive-
       unlabeled learning with non-negative risk estimator", NeurIPS 2017.
    .. [2] M. C. du Plessis, G. Niu and M. Sugiyama, "Convex formulation for
       learning from positive and unlabeled data", ICML 2015.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklweak.datasets import make_pu
    >>> from sklweak.pu import NNPUClassifier
    >>> X, y = make_classification(n_samples=600, random_state=0)
    >>> y_pu, _ = make_pu(X, y, label_frequency=0.3, random_state=0)
    >>> clf = NNPUClassifier(prior=y.mean(), random_state=0).fit(X, y_pu)
    >>> clf.score(X, y) > 0.85
    True
    >>> mlp = NNPUClassifier(prior=y.mean(), model="mlp", hidden_layer_sizes=(32,),
    ...                      max_iter=30, device="cpu", random_state=0).fit(X, y_pu)
    >>> mlp.score(X, y) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "prior": [
            Interval(Real, 0, 1, closed="neither"),
            StrOptions({"auto", *PRIOR_METHODS}),
        ],
        "loss": [StrOptions({"sigmoid", "logistic"})],
        "non_negative": ["boolean"],
        "beta": [Interval(Real, 0, None, closed="left")],
        "gamma": [Interval(Real, 0, 1, closed="both")],
        **mlp_parameter_constraints(
            "alpha", "max_iter", "tol", "n_iter_no_change", "learning_rate", "batch_size"
        ),
        "model": [StrOptions({"linear", "mlp"})],
        **mlp_parameter_constraints("hidden_layer_sizes", "device"),
        "pos_label": PUMixin._label_constraint,
        "neg_label": PUMixin._label_constraint,
        **mlp_parameter_constraints("random_state"),
    }

    def __init__(
        self,
        *,
        prior="auto",
        loss="sigmoid",
        non_negative=True,
        beta=0.0,
        gamma=1.0,
        alpha=1e-4,
        max_iter=500,
        tol=1e-3,
        n_iter_no_change=5,
        learning_rate=0.01,
        batch_size=256,
        model="linear",
        hidden_layer_sizes=(100,),
        device="auto",
        pos_label=1,
        neg_label=0,
        random_state=None,
    ):
        self.prior = prior
        self.loss = loss
        self.non_negative = non_negative
        self.beta = beta
        self.gamma = gamma
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.model = model
        self.hidden_layer_sizes = hidden_layer_sizes
        self.device = device
        self.pos_label = pos_label
        self.neg_label = neg_label
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Minimise the nnPU (or uPU) risk of a linear scorer or an MLP.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples, labeled and unlabeled.
        y : array-like of shape (n_samples,)
            ``pos_label`` for a labeled positive, any other value for an
            unlabeled sample.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights of the linear model's risk: every mean of the
            risk (over the labeled positives and over all samples) and the
            standardization are weighted. A prior estimated from the data
            (``prior`` a method name) does not use them. ``model="mlp"``
            rejects them.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _risks(self, Z_p, Z_u, w, b, prior, weights_p, weights_u):
        """Weighted risk parts and their gradients with respect to ``(w, b)``."""
        z_p = Z_p @ w + b
        z_u = Z_u @ w + b
        lp_pos, dp_pos = _loss(self.loss, z_p)
        lp_neg, dp_neg = _loss(self.loss, -z_p)
        lu_neg, du_neg = _loss(self.loss, -z_u)
        n_p, n_u = max(weights_p.sum(), 1e-300), max(weights_u.sum(), 1e-300)
        dp_pos, dp_neg, du_neg = dp_pos * weights_p, dp_neg * weights_p, du_neg * weights_u
        positive = prior * (weights_p @ lp_pos) / n_p
        negative = (weights_u @ lu_neg) / n_u - prior * (weights_p @ lp_neg) / n_p
        # d l(-z)/dz = -l'(-z)
        g_pos = prior * np.r_[Z_p.T @ dp_pos, dp_pos.sum()] / n_p
        g_neg = (
            np.r_[Z_u.T @ -du_neg, -du_neg.sum()] / n_u
            - prior * np.r_[Z_p.T @ -dp_neg, -dp_neg.sum()] / n_p
        )
        return positive, negative, g_pos, g_neg

    def _fit(self, X, target, sample_weight):
        check_device(self.device, type(self).__name__)
        self._set_binary_classes()
        labeled = target.labeled
        n_samples, n_features = X.shape
        if self.model == "mlp":
            check_hidden_layer_sizes(self.hidden_layer_sizes)
        if self.model == "mlp" and sample_weight is not None:
            raise ValueError(
                "NNPUClassifier(model='mlp') does not accept sample_weight; use "
                "model='linear', whose risk is weighted."
            )
        weights = np.ones(n_samples) if sample_weight is None else sample_weight
        if not weights[labeled].sum() > 0:
            raise ValueError(
                "NNPUClassifier: sample_weight gives the labeled positives zero total "
                "weight; at least one labeled positive needs a positive weight."
            )
        rng = check_random_state(self.random_state)
        X = np.asarray(X, dtype=np.float64)
        mean, scale = feature_standardization(X, weights / weights.sum())
        Z = (X - mean) / scale

        if isinstance(self.prior, str):
            method = DEFAULT_PRIOR_METHOD if self.prior == "auto" else self.prior
            self.class_prior_, _ = estimate_class_prior(
                Z, labeled.astype(np.int64), method=method, n_bootstrap=0, random_state=rng
            )
            self.class_prior_ = float(np.clip(self.class_prior_, 1e-6, 1.0 - 1e-6))
        elif sample_weight is None:
            self.class_prior_ = check_prior(self.prior, target.n_labeled, n_samples)
        else:
            self.class_prior_ = check_prior(self.prior, weights[labeled].sum(), weights.sum())
        prior = self.class_prior_
        if self.model == "mlp":
            for stale in ("coef_", "intercept_"):
                self.__dict__.pop(stale, None)
            self.feature_mean_, self.feature_scale_ = mean, scale
            self._fit_mlp(Z, labeled, prior, rng)
            return self
        for stale in ("net_", "device_", "feature_mean_", "feature_scale_"):
            self.__dict__.pop(stale, None)
        Z_all_p = Z[labeled]
        weights_p = weights[labeled]
        positives = np.flatnonzero(labeled)

        params = rng.normal(scale=0.01, size=n_features + 1)
        adam = _Adam(n_features + 1, self.learning_rate)
        n_batches = max(1, int(np.ceil(n_samples / self.batch_size)))
        best, stale = np.inf, 0
        self.risk_curve_ = []
        converged = False
        for epoch in range(self.max_iter):  # noqa: B007 (n_iter_ after the loop)
            order_u = rng.permutation(n_samples)
            order_p = np.resize(
                rng.permutation(positives.shape[0]), max(n_batches, positives.shape[0])
            )
            for batch_u, batch_p in zip(
                np.array_split(order_u, n_batches), np.array_split(order_p, n_batches)
            ):
                w, b = params[:-1], params[-1]
                _, negative, g_pos, g_neg = self._risks(
                    Z_all_p[batch_p],
                    Z[batch_u],
                    w,
                    b,
                    prior,
                    weights_p[batch_p],
                    weights[batch_u],
                )
                penalty = np.r_[self.alpha * w, 0.0]
                if self.non_negative and negative < -self.beta:
                    params = adam.step(params, -g_neg + penalty, scale=self.gamma)
                else:
                    params = adam.step(params, g_pos + g_neg + penalty)
            w, b = params[:-1], params[-1]
            positive, negative, _, _ = self._risks(Z_all_p, Z, w, b, prior, weights_p, weights)
            risk = positive + (max(0.0, negative) if self.non_negative else negative)
            objective = risk + 0.5 * self.alpha * float(w @ w)
            self.risk_curve_.append(float(risk))
            if objective < best - self.tol:
                best, stale = objective, 0
            else:
                stale += 1
            if stale >= self.n_iter_no_change:
                converged = True
                break
        self.n_iter_ = epoch + 1
        if not converged:
            warnings.warn(
                f"NNPUClassifier stopped at max_iter={self.max_iter} epochs before the "
                "risk stopped improving; raise max_iter.",
                ConvergenceWarning,
            )
        w, b = params[:-1], params[-1]
        self.coef_, self.intercept_ = linear_model_in_original_space(w, b, mean, scale)
        return self

    def _fit_mlp(self, Z, labeled, prior, rng):
        from ..neural import NonNegativePULoss

        self.risk_curve_ = self._fit_net(
            Z,
            labeled.astype(np.float32),
            NonNegativePULoss,
            n_outputs=1,
            seed=torch_seed(rng),
            criterion_params={
                "prior": prior,
                "loss": self.loss,
                "beta": self.beta,
                "gamma": self.gamma,
                "non_negative": self.non_negative,
            },
            label="NNPUClassifier (model='mlp')",
        )
