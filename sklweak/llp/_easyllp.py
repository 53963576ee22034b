"""EasyLLP: a per-instance loss made unbiased from bag proportions (Busa-Fekete et al.)."""

import warnings

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax, softmax
from sklearn.exceptions import ConvergenceWarning

from ..base import BaseWeakClassifier, LLPMixin
from ..neural._base import (
    LinearOrMLPPredictionMixin,
    feature_standardization,
    mlp_parameter_constraints,
    torch_seed,
)
from ..utils._device import check_device
from ..utils._sklearn_compat import StrOptions

__all__ = ["EasyLLPClassifier", "easyllp_soft_labels", "soft_label_loss"]

# Epochs without improvement of the MLP's training loss before it stops.
_MLP_PATIENCE = 10


def easyllp_soft_labels(target, class_prior=None, sample_weight=None):
    """EasyLLP's debiased soft labels ``k * (a - p) + p`` of every sample.

    For a sample of a bag of size ``k`` with class proportions ``a``, and the
    overall class prior ``p``, the soft label of class ``c`` is
    ``k * (a_c - p_c) + p_c``. When bags are drawn at random, its expectation
    given the sample is the sample's one-hot label, so any loss
    ``sum_c soft_c * loss(h(x), c)`` is an unbiased estimate of the loss on
    the true labels. Soft labels fall outside [0, 1] for large bags, but each
    row sums to 1. A bag of one sample gives its one-hot label.

    Parameters
    ----------
    target : BagTarget
        Decoded bag target (:func:`sklweak.utils.check_bag_target`).
    class_prior : array-like of shape (n_classes,), default=None
        The prior ``p``; by default the share of every class among all
        samples, from the bag proportions (weighted by ``sample_weight``).
    sample_weight : array-like of shape (n_samples,), default=None
        Per-sample weights for the default prior.

    Returns
    -------
    soft_labels : ndarray of shape (n_samples, n_classes)
        One row per sample.
    class_prior : ndarray of shape (n_classes,)
        The prior used.

    Examples
    --------
    >>> from sklweak.llp import easyllp_soft_labels, make_bag_target
    >>> from sklweak.utils import check_bag_target
    >>> t = check_bag_target(make_bag_target([0, 0, 1, 1], [0.5, 1.0]))
    >>> soft, prior = easyllp_soft_labels(t)
    >>> prior.tolist()
    [0.25, 0.75]
    >>> soft.tolist()
    [[0.75, 0.25], [0.75, 0.25], [-0.25, 1.25], [-0.25, 1.25]]
    """
    proportions = target.bag_proportions[target.bag_index]
    sizes = target.bag_sizes[target.bag_index].astype(np.float64)
    if class_prior is None:
        class_prior = np.average(proportions, axis=0, weights=sample_weight)
    else:
        class_prior = np.asarray(class_prior, dtype=np.float64)
        n_classes = proportions.shape[1]
        if class_prior.shape != (n_classes,):
            raise ValueError(
                f"class_prior must have one entry per class ({n_classes}); got shape "
                f"{class_prior.shape}."
            )
        if np.any(class_prior < 0) or not np.isclose(class_prior.sum(), 1.0):
            raise ValueError(
                f"class_prior must be non-negative and sum to 1; got {class_prior.tolist()}."
            )
    soft = sizes[:, None] * (proportions - class_prior) + class_prior
    return soft, class_prior


def soft_label_loss(logits, soft_labels, loss="log"):
    """Per-sample loss ``sum_c soft_c * loss(softmax(logits), c)`` and its gradient.

    The loss of a model for soft labels that may be negative (the debiased
    labels of :func:`easyllp_soft_labels`), written for rows summing to 1.

    - ``"log"``: ``sum_c soft_c * -log p_c = -soft . logits + logsumexp(logits)``,
      convex in the logits whatever the signs of ``soft``.
    - ``"squared"``: ``sum_c soft_c * ||p - e_c||^2 = ||p - soft||^2`` plus a
      constant (dropped), the Brier score.

    Parameters
    ----------
    logits : ndarray of shape (n_samples, n_classes)
        Model scores.
    soft_labels : ndarray of shape (n_samples, n_classes)
        Soft labels, each row summing to 1.
    loss : {"log", "squared"}, default="log"
        The instance loss.

    Returns
    -------
    value : ndarray of shape (n_samples,)
        Loss of each sample.
    gradient : ndarray of shape (n_samples, n_classes)
        Derivative of each sample's loss in its logits.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.llp import soft_label_loss
    >>> value, gradient = soft_label_loss(np.zeros((1, 2)), np.array([[0.0, 1.0]]))
    >>> round(float(value[0]), 4), gradient.tolist()
    (0.6931, [[0.5, -0.5]])
    """
    if loss == "log":
        log_p = log_softmax(logits, axis=1)
        value = -np.sum(soft_labels * log_p, axis=1)
        gradient = np.exp(log_p) * soft_labels.sum(axis=1, keepdims=True) - soft_labels
        return value, gradient
    if loss == "squared":
        p = softmax(logits, axis=1)
        residual = p - soft_labels
        value = np.sum(residual * residual, axis=1)
        v = 2.0 * residual
        gradient = p * (v - np.sum(p * v, axis=1, keepdims=True))
        return value, gradient
    raise ValueError(f"loss must be 'log' or 'squared'; got {loss!r}.")


class EasyLLPClassifier(LinearOrMLPPredictionMixin, LLPMixin, BaseWeakClassifier):
    """Linear softmax classifier or MLP trained on EasyLLP's debiased instance loss.

    EasyLLP (Busa-Fekete et al., 2023) turns bag proportions into per-sample
    soft labels ``k * (a - p) + p`` (bag size ``k``, bag proportions ``a``,
    class prior ``p``; see :func:`easyllp_soft_labels`) whose expectation is
    the true label when bags are drawn at random, and minimises an ordinary
    instance loss on them. The model is ``softmax(W^T z(x) + b)`` on the
    standardized features ``z(x)``; the objective is the weighted mean of
    :func:`soft_label_loss` plus ``alpha / 2 * ||W||^2``, minimised by
    L-BFGS from zero weights (deterministic). With one sample per bag (a 1-D
    ``y`` of labels) the soft labels are the labels: ``loss="log"`` is then
    multinomial logistic regression, ``loss="squared"`` its Brier-score twin.
    With ``model="mlp"`` the same objective (the torch twin of the loss,
    :class:`sklweak.neural.SoftLabelLoss`, Adam's weight decay as the L2
    penalty) trains a multilayer perceptron by mini-batches.

    The estimate is unbiased for random bags; with bags grouped by the
    features (clustered bags) it is biased, and methods matching the bag
    proportions (DLLP, LLP-BP) may do better.

    Parameters
    ----------
    loss : {"log", "squared"}, default="squared"
        Instance loss: the squared error of the probabilities (Brier score,
        bounded below, the default) or the cross-entropy (convex in the
        weights). The debiased soft labels reach ``+-k`` for bags of size
        ``k``; the bounded squared loss keeps a few large ones from driving the
        model, while the cross-entropy lets them push the logits without
        bound (held only by ``alpha``; the intercept is not penalized). With
        bags grouped by the features and unequal in size, the mean soft label
        can leave [0, 1] and the log loss then predicts a single class; in
        ``benchmarks/bench_llp.py`` the squared loss is close on random bags
        and far ahead on such bags.
    alpha : float >= 0, default=0.1
        L2 penalty on the weights (not the intercepts), on the scale of the
        mean loss. The debiased labels are noisy (their variance grows with
        the bag size) and the debiased ``"log"`` loss is unbounded below on
        separable data: keep it positive, larger for larger bags. 0.1 scored
        best over Bank Marketing and six KEEL sets, full size and 300 rows,
        among 1e-4 to 1 (``benchmarks/bench_llp_defaults.py``).
    class_prior : array-like of shape (n_classes,), default=None
        The prior ``p`` of the soft labels; default: estimated from the bag
        proportions (size-weighted).
    max_iter : int, default=500
        Most L-BFGS iterations (linear model) or epochs (MLP; 50 to 100 are
        usually enough).
    tol : float, default=1e-5
        L-BFGS's gradient tolerance; for the MLP, the least improvement of the
        epoch's training loss that resets a patience of 10 epochs.
    classes : array-like of shape (n_classes,), default=None
        Labels of the bag target's proportion columns (``classes_``); defaults
        to ``0 .. n_classes - 1``. Unused for a 1-D ``y``.
    model : {"linear", "mlp"}, default="linear"
        ``"linear"``: the linear softmax model, trained by L-BFGS.
        ``"mlp"``: a multilayer perceptron (torch and skorch, ``pip install
        sklweak[neural]``) trained by mini-batch Adam on the same loss.
    hidden_layer_sizes : tuple of int, default=(100,)
        Hidden layer widths of the MLP (``model="mlp"`` only).
    learning_rate : float, default=1e-3
        Adam's step size (``model="mlp"`` only).
    batch_size : int, default=128
        Mini-batch size (``model="mlp"`` only).
    device : str, default="auto"
        ``"auto"`` (a GPU when torch sees one, else the CPU), ``"cpu"``,
        ``"cuda"``, ``"cuda:<index>"``; used by ``model="mlp"`` only, but
        checked at ``fit`` with either model, so a misspelled device fails
        early.
    random_state : int, RandomState instance or None, default=None
        Seeds the MLP (initial weights, batch order: same seed, same model on
        the CPU); the linear model is deterministic.

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
    feature_mean_, feature_scale_ : ndarray of shape (n_features,)
        Standardization of the MLP's inputs; ``model="mlp"`` only.
    class_prior_ : ndarray of shape (n_classes,)
        The prior ``p`` used in the soft labels.
    n_iter_ : int
        L-BFGS iterations (or MLP epochs) run.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    ProportionWeightedClassifier : The bag proportions as soft labels, no debiasing.
    easyllp_soft_labels : The debiased soft labels, reusable with any model.

    References
    ----------
    .. [1] R. Busa-Fekete, H. Choi, T. Dick, C. Gentile and A. M. Medina,
       "Easy learning from label proportions", NeurIPS 2023.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.metrics import roc_auc_score
    >>> from sklweak.datasets import make_bags
    >>> from sklweak.llp import EasyLLPClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> _, Y, classes = make_bags(X, y, bag_size=4, random_state=0)
    >>> clf = EasyLLPClassifier(classes=classes).fit(X, Y)
    >>> float(roc_auc_score(y, clf.predict_proba(X)[:, 1])) > 0.95
    True
    """

    _parameter_constraints: dict = {
        "loss": [StrOptions({"log", "squared"})],
        **mlp_parameter_constraints("alpha"),
        "class_prior": ["array-like", None],
        **mlp_parameter_constraints("max_iter", "tol"),
        "classes": ["array-like", None],
        "model": [StrOptions({"linear", "mlp"})],
        **mlp_parameter_constraints(
            "hidden_layer_sizes", "learning_rate", "batch_size", "device", "random_state"
        ),
    }

    def __init__(
        self,
        *,
        loss="squared",
        alpha=0.1,
        class_prior=None,
        max_iter=500,
        tol=1e-5,
        classes=None,
        model="linear",
        hidden_layer_sizes=(100,),
        learning_rate=1e-3,
        batch_size=128,
        device="auto",
        random_state=None,
    ):
        self.loss = loss
        self.alpha = alpha
        self.class_prior = class_prior
        self.max_iter = max_iter
        self.tol = tol
        self.classes = classes
        self.model = model
        self.hidden_layer_sizes = hidden_layer_sizes
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Fit the linear model or the MLP on the debiased soft labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples, 1 + n_classes) or (n_samples,)
            Bag target from :func:`make_bag_target`, or 1-D labels (every
            sample its own bag).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (repetition counts).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        check_device(self.device, type(self).__name__)
        self.classes_ = np.asarray(target.classes)
        n_samples, n_features = X.shape
        n_classes = self.classes_.shape[0]
        weights = (
            np.full(n_samples, 1.0 / n_samples)
            if sample_weight is None
            else np.asarray(sample_weight, dtype=np.float64) / np.sum(sample_weight)
        )
        soft, self.class_prior_ = easyllp_soft_labels(
            target, self.class_prior, sample_weight=weights
        )
        X = np.asarray(X, dtype=np.float64)
        mean, scale = feature_standardization(X, weights)
        Z = (X - mean) / scale
        if self.model == "mlp":
            for stale in ("coef_", "intercept_"):
                self.__dict__.pop(stale, None)
            self.feature_mean_, self.feature_scale_ = mean, scale
            self._fit_mlp(Z, soft, weights)
            return self
        for stale in ("net_", "device_", "feature_mean_", "feature_scale_"):
            self.__dict__.pop(stale, None)
        alpha = self.alpha

        def objective(params):
            W = params[:-n_classes].reshape(n_features, n_classes)
            b = params[-n_classes:]
            value, dG = soft_label_loss(Z @ W + b, soft, self.loss)
            dG = dG * weights[:, None]
            total = float(weights @ value) + 0.5 * alpha * float(np.sum(W * W))
            grad = np.concatenate([(Z.T @ dG + alpha * W).ravel(), dG.sum(axis=0)])
            return total, grad

        result = minimize(
            objective,
            np.zeros((n_features + 1) * n_classes),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.max_iter, "gtol": self.tol},
        )
        self.n_iter_ = int(result.nit)
        if result.status == 1:
            warnings.warn(
                f"EasyLLPClassifier stopped at max_iter={self.max_iter} L-BFGS "
                "iterations before converging; raise max_iter (or alpha).",
                ConvergenceWarning,
            )
        if not np.all(np.isfinite(result.x)):
            raise ValueError("The debiased loss diverged; raise alpha to keep the weights finite.")
        W = result.x[:-n_classes].reshape(n_features, n_classes)
        b = result.x[-n_classes:]
        coef = (W / scale[:, None]).T
        intercept = b - (mean / scale) @ W
        if n_classes == 2:
            coef = coef[1:] - coef[:1]
            intercept = intercept[1:] - intercept[:1]
        self.coef_ = coef
        self.intercept_ = intercept
        return self

    def _fit_mlp(self, Z, soft, weights):
        from ..neural import SoftLabelLoss

        rows = np.column_stack([soft, weights * Z.shape[0]]).astype(np.float32)
        self._fit_net(
            Z,
            rows,
            SoftLabelLoss,
            n_outputs=soft.shape[1],
            seed=torch_seed(self.random_state),
            criterion_params={"loss": self.loss},
            n_iter_no_change=_MLP_PATIENCE,
            label="EasyLLPClassifier (model='mlp')",
        )
