"""Linear softmax or MLP classifier trained on complementary labels."""

import warnings

import numpy as np
from scipy.optimize import minimize
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from ..base import BaseWeakClassifier
from ..neural._base import (
    LinearOrMLPPredictionMixin,
    feature_standardization,
    mlp_parameter_constraints,
    torch_seed,
)
from ..utils._device import check_device
from ..utils._sklearn_compat import StrOptions
from ..utils._targets import decode_complementary_target
from ._losses import (
    forward_loss,
    pairwise_comparison_loss,
    partial_risks,
    surrogate_exp_loss,
    surrogate_log_loss,
    unbiased_loss,
    unbiased_risk_coefficients,
)
from ._transition import check_transition_matrix, estimate_by_anchors

__all__ = ["ComplementaryLabelClassifier"]

_MULTIPLE_LABEL_LOSSES = ("fwd", "ure", "scl_nl", "scl_exp")
_TRANSITION_LOSSES = ("fwd", "ure", "ure_ga")
# Epochs without improvement of the objective before "ure_ga" stops.
_PATIENCE = 10


class ComplementaryLabelClassifier(LinearOrMLPPredictionMixin, BaseWeakClassifier):
    """Linear softmax or MLP classifier learned from complementary labels.

    A complementary label ``ybar`` names a class the sample does **not**
    belong to. The model is ``p(y | x) = softmax(W^T z(x) + b)`` on the
    standardized features ``z(x)``; it minimises the (weighted) mean of a
    complementary-label loss plus ``alpha / 2 * ||W||^2``. With ``p`` the
    predicted probabilities, ``g`` the logits, ``K`` the number of classes and
    ``Q[j, k] = P(ybar = k | y = j)`` the transition matrix (uniform
    ``(1 - I) / (K - 1)`` unless given):

    - ``"pc"``, pairwise comparison (Ishida et al. 2017): the sigmoid loss on
      every pair, ``sum_{k != ybar} 1 / (1 + exp(g_k - g_ybar))``.
    - ``"fwd"``, forward correction (Yu et al. 2018): ``-log((p Q)[ybar])``,
      the likelihood of the observed complementary label. With the uniform
      matrix it equals ``"scl_nl"`` plus ``log(K - 1)``.
    - ``"ure"``, unbiased risk estimator of the cross-entropy ``CE`` (Ishida et
      al. 2019): ``(Q^{-1} l)[ybar]`` with ``l_k = CE(g, k)``; for the uniform
      matrix ``-(K - 1) CE(g, ybar) + sum_k CE(g, k)``. Unbounded below for
      flexible models; the L2 penalty keeps the linear model's minimum finite.
    - ``"ure_ga"``, the same risk split into class-wise parts
      ``R_k = mean_i Q^{-1}[ybar_i, k] CE(g_i, k)`` (each estimates a
      non-negative quantity), trained by mini-batch Adam: when a batch has
      parts below 0, the step climbs their sum instead of descending the
      total (the gradient-ascent correction of Ishida et al. 2019).
    - ``"scl_nl"``, surrogate complementary loss (Chou et al. 2020):
      ``-log(1 - p_ybar)``.
    - ``"scl_exp"``: ``exp(-(1 - p_ybar))``.

    **Several complementary labels per sample** (a 2-D ``y``, set ``Ybar``):
    ``"scl_nl"`` becomes ``-log(1 - sum_{k in Ybar} p_k)`` and ``"scl_exp"``
    becomes ``exp(-(1 - sum_{k in Ybar} p_k))``, the LOG and EXP upper bounds
    of Feng et al. (2020); ``"fwd"`` with the uniform matrix (sets drawn
    uniformly given their size) is the LOG bound up to a constant; ``"ure"``
    is Feng et al.'s unbiased estimator ``sum_k c_k CE(g, k)`` with
    ``c_k = 1 - (K - 1) / |Ybar| [k in Ybar]``. ``"pc"``, ``"ure_ga"`` and
    any loss with a given ``transition_matrix`` are defined for one label per
    sample and reject a 2-D ``y``.

    **Two classes**: a complementary label then names the true class (the
    other one), so every loss is replaced by the exact cross-entropy on that
    class (``loss_ == "ce"``).

    **Ordinary labels**: a 1-D ``y`` is read as complementary labels unless
    ``y_type="ordinary"``; true labels are then full information (every other
    class is excluded) and the model minimises the cross-entropy, whatever
    ``loss``: the supervised ceiling of the same model.

    Parameters
    ----------
    loss : {"pc", "fwd", "ure", "ure_ga", "scl_nl", "scl_exp"}, default="fwd"
        Complementary-label loss.
    transition_matrix : array-like of shape (n_classes, n_classes) or "estimate", \
            default=None
        Biased complementary labels: ``Q[j, k] = P(ybar = k | y = j)``, rows and
        columns in the order of ``classes_``, zero diagonal, rows summing to 1
        (invertible for ``"ure"``/``"ure_ga"``). ``"estimate"`` fits it with
        :func:`estimate_transition_matrix` (anchor points). ``None`` is the
        uniform matrix. Used by ``"fwd"``, ``"ure"`` and ``"ure_ga"`` only; the
        other losses reject it.
    alpha : float >= 0, default=1e-4
        L2 penalty on the weights (not the intercepts).
    max_iter : int, default=500
        Most L-BFGS iterations, or epochs for ``"ure_ga"``.
    tol : float, default=1e-5
        L-BFGS's gradient tolerance; for ``"ure_ga"``, the least improvement
        of the full-data objective that resets the patience of 10 epochs.
    learning_rate : float, default=0.001
        Adam's step size (``"ure_ga"`` only).
    batch_size : int, default=256
        Mini-batch size (``"ure_ga"`` only).
    y_type : {"complementary", "ordinary"}, default="complementary"
        How a 1-D ``y`` is read by ``fit``. ``score`` is always the
        accuracy on true labels, as for every scikit-learn classifier; to
        select a model on complementary labels only, pass
        ``scoring=make_complementary_scorer()``.
    classes : array-like of shape (n_classes,), default=None
        All classes; give it when a class never appears in ``y``, or for a 2-D
        ``y`` with other classes than ``0 .. n_classes - 1``.
    model : {"linear", "mlp"}, default="linear"
        ``"linear"``: the linear softmax model above, trained by L-BFGS (or
        Adam for ``"ure_ga"``). ``"mlp"``: a multilayer perceptron (torch and
        skorch, ``pip install sklweak[neural]``) trained by mini-batch Adam on
        the same losses (:class:`sklweak.neural.ComplementaryLoss`), with
        ``learning_rate``, ``batch_size``, ``max_iter`` epochs and ``alpha`` as
        the weight decay; it stops once the epoch's training loss has not
        improved by ``tol`` for 10 epochs.
    hidden_layer_sizes : tuple of int, default=(500,)
        Hidden layer widths of the MLP (``model="mlp"`` only).
    device : str, default="auto"
        Device of the MLP: ``"auto"`` (a GPU when torch sees one), ``"cpu"``,
        ``"cuda"``, ``"cuda:<index>"`` (``model="mlp"`` only; checked at
        ``fit`` on either backend).
    random_state : int, RandomState instance or None, default=None
        Seed of the mini-batches of ``"ure_ga"`` and of the MLP (initial
        weights, batch order: same seed, same model on the CPU); the L-BFGS
        losses (which start from zero weights) and the estimated transition
        matrix are deterministic.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (n_classes, n_features) or (1, n_features)
        Weights on the original features (one row for two classes);
        ``model="linear"`` only.
    intercept_ : ndarray of shape (n_classes,) or (1,)
        Intercepts on the original features; ``model="linear"`` only.
    net_ : skorch.NeuralNet
        The fitted MLP (its ``module_`` a :class:`sklweak.neural.MLPModule`,
        on standardized features); ``model="mlp"`` only.
    device_ : str
        Device of the MLP; ``model="mlp"`` only.
    loss_ : str
        Objective minimised: ``loss``, or ``"ce"`` for two classes or
        ``y_type="ordinary"``.
    transition_matrix_ : ndarray of shape (n_classes, n_classes) or None
        Transition matrix used (given or estimated), ``None`` when uniform or
        unused.
    n_iter_ : int
        L-BFGS iterations or epochs run.
    objective_curve_ : list of float
        Linear model: ``"ure_ga"`` only (else empty), after each epoch, the
        full-data sum of the class-wise risks clipped at 0, plus the penalty.
        MLP: the mean training loss of each epoch.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    make_complementary_scorer : Model selection without ordinary labels.
    sklweak.datasets.make_complementary_labels : Simulate complementary labels.

    References
    ----------
    .. [1] T. Ishida, G. Niu, W. Hu and M. Sugiyama, "Learning from
       complementary labels", NeurIPS 2017.
    .. [2] X. Yu, T. Liu, M. Gong and D. Tao, "Learning with biased
       complementary labels", ECCV 2018.
    .. [3] T. Ishida, G. Niu, A. K. Menon and M. Sugiyama, "Complementary-label
       learning for arbitrary losses and models", ICML 2019.
    .. [4] Y.-T. Chou, G. Niu, H.-T. Lin and M. Sugiyama, "Unbiased risk
       estimators can mislead: a case study of learning with complementary
       labels", ICML 2020.
    .. [5] L. Feng, T. Kaneko, B. Han, G. Niu, B. An and M. Sugiyama, "Learning
       with multiple complementary labels", ICML 2020.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.complementary import ComplementaryLabelClassifier
    >>> from sklweak.datasets import make_complementary_labels
    >>> X, y = load_iris(return_X_y=True)
    >>> y_bar = make_complementary_labels(y, random_state=0)
    >>> clf = ComplementaryLabelClassifier(loss="scl_nl").fit(X, y_bar)
    >>> clf.score(X, y) > 0.8
    True
    """

    _weak_label_kind = "complementary"

    _parameter_constraints: dict = {
        "loss": [StrOptions({"pc", "fwd", "ure", "ure_ga", "scl_nl", "scl_exp"})],
        "transition_matrix": ["array-like", StrOptions({"estimate"}), None],
        **mlp_parameter_constraints("alpha", "max_iter", "tol", "learning_rate", "batch_size"),
        "y_type": [StrOptions({"complementary", "ordinary"})],
        "classes": ["array-like", None],
        "model": [StrOptions({"linear", "mlp"})],
        **mlp_parameter_constraints("hidden_layer_sizes", "device", "random_state"),
    }

    def __init__(
        self,
        *,
        loss="fwd",
        transition_matrix=None,
        alpha=1e-4,
        max_iter=500,
        tol=1e-5,
        learning_rate=0.001,
        batch_size=256,
        y_type="complementary",
        classes=None,
        model="linear",
        hidden_layer_sizes=(500,),
        device="auto",
        random_state=None,
    ):
        self.loss = loss
        self.transition_matrix = transition_matrix
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.y_type = y_type
        self.classes = classes
        self.model = model
        self.hidden_layer_sizes = hidden_layer_sizes
        self.device = device
        self.random_state = random_state

    def _decode_target(self, y):
        return decode_complementary_target(y, classes=self.classes, y_type=self.y_type)

    def fit(self, X, y, sample_weight=None):
        """Fit the linear softmax model or the MLP on complementary labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            1-D: one class each sample is not (or the true class with
            ``y_type="ordinary"``). 2-D: 0/1 matrix, 1 = "not this class".
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (repetition counts).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _resolve_objective(self, X, target):
        """Check the loss against the target and the transition matrix; pick the objective."""
        excluded = target.excluded
        n_classes = excluded.shape[1]
        single = bool(np.all(excluded.sum(axis=1) == 1))
        uses_matrix = self.transition_matrix is not None
        if uses_matrix and self.loss not in _TRANSITION_LOSSES:
            raise ValueError(
                f"transition_matrix is used by the losses {_TRANSITION_LOSSES} only; "
                f"loss={self.loss!r} assumes uniform complementary labels."
            )
        if self.y_type == "ordinary" or n_classes == 2:
            return "ce", None
        if not single and (self.loss not in _MULTIPLE_LABEL_LOSSES or uses_matrix):
            raise ValueError(
                f"loss={self.loss!r}"
                + (" with a transition_matrix" if uses_matrix else "")
                + " needs exactly one complementary label per sample; for several, "
                "use loss='scl_nl', 'scl_exp', 'ure' or 'fwd' without a "
                "transition_matrix."
            )
        if not uses_matrix:
            return self.loss, None
        if isinstance(self.transition_matrix, str):
            if not single:
                raise ValueError(
                    "transition_matrix='estimate' needs one complementary label per sample."
                )
            Q = estimate_by_anchors(
                X,
                excluded.argmax(axis=1),
                classes=np.arange(n_classes),
                anchor_quantile=0.05,
                classifier_class=ComplementaryLabelClassifier,
            )
        else:
            Q = check_transition_matrix(
                self.transition_matrix, n_classes, invertible=self.loss != "fwd"
            )
        return self.loss, Q

    def _batch_loss(self, objective, G, excluded, index, Q, coefficients):
        if objective in ("ce", "scl_nl") or (objective == "fwd" and Q is None):
            return surrogate_log_loss(G, excluded)
        if objective == "scl_exp":
            return surrogate_exp_loss(G, excluded)
        if objective == "fwd":
            return forward_loss(G, index, Q)
        if objective == "pc":
            return pairwise_comparison_loss(G, index)
        return unbiased_loss(G, coefficients)

    def _fit(self, X, target, sample_weight):
        check_device(self.device, type(self).__name__)
        self.classes_ = np.asarray(target.classes)
        excluded = np.asarray(target.excluded, dtype=bool)
        n_samples, n_features = X.shape
        n_classes = excluded.shape[1]
        objective, Q = self._resolve_objective(X, target)
        self.loss_ = objective
        self.transition_matrix_ = Q
        index = excluded.argmax(axis=1)
        coefficients = None
        if objective in ("ure", "ure_ga"):
            coefficients = unbiased_risk_coefficients(
                excluded, None if Q is None else np.linalg.inv(Q)
            )
        weights = (
            np.full(n_samples, 1.0 / n_samples)
            if sample_weight is None
            else np.asarray(sample_weight, dtype=np.float64) / np.sum(sample_weight)
        )
        X = np.asarray(X, dtype=np.float64)
        mean, scale = feature_standardization(X, weights)
        Z = (X - mean) / scale
        self.objective_curve_ = []
        if self.model == "mlp":
            for stale in ("coef_", "intercept_"):
                self.__dict__.pop(stale, None)
            self.feature_mean_, self.feature_scale_ = mean, scale
            self._fit_mlp(Z, excluded, index, Q, weights, objective)
            return self
        for stale in ("net_", "device_", "feature_mean_", "feature_scale_"):
            self.__dict__.pop(stale, None)
        if objective == "ure_ga":
            params = self._fit_gradient_ascent(Z, index, coefficients, weights, n_classes)
        else:
            params = self._fit_lbfgs(Z, excluded, index, Q, coefficients, weights, objective)
        W = params[:-n_classes].reshape(n_features, n_classes)
        b = params[-n_classes:]
        coef = (W / scale[:, None]).T
        intercept = b - (mean / scale) @ W
        if n_classes == 2:
            coef = coef[1:] - coef[:1]
            intercept = intercept[1:] - intercept[:1]
        self.coef_ = coef
        self.intercept_ = intercept
        return self

    def _fit_lbfgs(self, Z, excluded, index, Q, coefficients, weights, objective):
        n_features, n_classes = Z.shape[1], excluded.shape[1]

        def fun(params):
            W = params[:-n_classes].reshape(n_features, n_classes)
            b = params[-n_classes:]
            G = Z @ W + b
            loss, dG = self._batch_loss(objective, G, excluded, index, Q, coefficients)
            dG = dG * weights[:, None]
            value = float(weights @ loss) + 0.5 * self.alpha * float(np.sum(W * W))
            grad = np.concatenate([(Z.T @ dG + self.alpha * W).ravel(), dG.sum(axis=0)])
            return value, grad

        result = minimize(
            fun,
            np.zeros((n_features + 1) * n_classes),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.max_iter, "gtol": self.tol},
        )
        self.n_iter_ = int(result.nit)
        if result.status == 1:
            warnings.warn(
                f"ComplementaryLabelClassifier (loss={objective!r}) stopped at "
                f"max_iter={self.max_iter} L-BFGS iterations before converging; raise "
                "max_iter.",
                ConvergenceWarning,
            )
        params = result.x
        if not np.all(np.isfinite(params)):
            raise ValueError(
                f"loss={objective!r} diverged; raise alpha to keep the weights finite."
            )
        return params

    def _fit_gradient_ascent(self, Z, index, coefficients, weights, n_classes):
        n_samples, n_features = Z.shape
        rng = check_random_state(self.random_state)
        size = (n_features + 1) * n_classes
        params = np.zeros(size)
        m, v = np.zeros(size), np.zeros(size)
        b1, b2, eps, step = 0.9, 0.999, 1e-8, 0
        n_batches = max(1, int(np.ceil(n_samples / self.batch_size)))

        def unpack(p):
            return p[:-n_classes].reshape(n_features, n_classes), p[-n_classes:]

        prior = np.bincount(index, weights, minlength=n_classes)
        best, stale, converged = np.inf, 0, False
        for epoch in range(self.max_iter):  # noqa: B007 (n_iter_ after the loop)
            for batch in np.array_split(rng.permutation(n_samples), n_batches):
                W, b = unpack(params)
                # Stratified by complementary label: each label's batch mean is
                # weighted by its prior over the whole training set.
                totals = np.bincount(index[batch], weights[batch], minlength=n_classes)
                w = prior[index[batch]] * weights[batch] / totals[index[batch]]
                risks, gradient = partial_risks(Z[batch] @ W + b, coefficients[batch], w)
                negative = risks < 0
                if negative.any():
                    dG, sign = gradient(negative), -1.0
                else:
                    dG, sign = gradient(np.ones(n_classes, dtype=bool)), 1.0
                grad = np.concatenate(
                    [(sign * (Z[batch].T @ dG) + self.alpha * W).ravel(), sign * dG.sum(axis=0)]
                )
                step += 1
                m = b1 * m + (1 - b1) * grad
                v = b2 * v + (1 - b2) * grad * grad
                m_hat, v_hat = m / (1 - b1**step), v / (1 - b2**step)
                params = params - self.learning_rate * m_hat / (np.sqrt(v_hat) + eps)
            W, b = unpack(params)
            risks, _ = partial_risks(Z @ W + b, coefficients, weights)
            value = float(np.maximum(risks, 0).sum()) + 0.5 * self.alpha * float(np.sum(W * W))
            self.objective_curve_.append(value)
            if value < best - self.tol:
                best, stale = value, 0
            else:
                stale += 1
            if stale >= _PATIENCE:
                converged = True
                break
        self.n_iter_ = epoch + 1
        if not converged:
            warnings.warn(
                f"ComplementaryLabelClassifier (loss='ure_ga') stopped at "
                f"max_iter={self.max_iter} epochs before the objective stopped "
                "improving; raise max_iter.",
                ConvergenceWarning,
            )
        return params

    def _fit_mlp(self, Z, excluded, index, Q, weights, objective):
        from ..neural import ComplementaryLoss

        n_samples, n_classes = excluded.shape
        label_prior = None
        if objective == "ure_ga":
            label_prior = np.bincount(index, weights, minlength=n_classes)
        rows = np.column_stack([excluded, weights * n_samples]).astype(np.float32)
        self.objective_curve_ = self._fit_net(
            Z,
            rows,
            ComplementaryLoss,
            n_outputs=n_classes,
            seed=torch_seed(self.random_state),
            criterion_params={
                "loss": objective,
                "transition_matrix": Q,
                "label_prior": label_prior,
            },
            n_iter_no_change=_PATIENCE,
            label=f"ComplementaryLabelClassifier (model='mlp', loss={objective!r})",
        )
