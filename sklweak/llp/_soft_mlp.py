"""A multilayer perceptron trained on soft labels, for the LLP estimators.

EasyLLP (debiased labels) and LLP-BP (belief-propagation marginals) both end
with a classifier trained on one row of soft labels per sample. This module
trains the skorch MLP of :mod:`sklweak.neural` on such rows. torch and skorch
are imported inside the functions, so importing this module does not import
them.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..neural._base import NeuralNetPredictionMixin
from ..utils._sklearn_compat import Interval, _fit_context

__all__ = ["SoftLabelMLPClassifier", "fit_soft_label_mlp"]


def _check_hidden_layer_sizes(hidden_layer_sizes):
    sizes = tuple(hidden_layer_sizes)
    if not all(isinstance(h, Integral) and h >= 1 for h in sizes):
        raise ValueError(
            f"hidden_layer_sizes must hold positive integers; got {hidden_layer_sizes!r}."
        )
    return sizes


def fit_soft_label_mlp(
    Z,
    soft_labels,
    weights,
    *,
    loss="log",
    hidden_layer_sizes=(100,),
    alpha=1e-4,
    learning_rate=1e-3,
    batch_size=128,
    max_iter=50,
    tol=1e-4,
    n_iter_no_change=10,
    device="cpu",
    random_state=None,
):
    """Train the skorch MLP on soft labels by :class:`sklweak.neural.SoftLabelLoss`.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_features)
        Training samples, already standardized.
    soft_labels : ndarray of shape (n_samples, n_classes)
        One row per sample, summing to 1 (entries may be negative).
    weights : ndarray of shape (n_samples,)
        Per-sample weights, mean 1 for an unweighted fit.
    loss : {"log", "squared"}, default="log"
        The instance loss.
    hidden_layer_sizes, alpha, learning_rate, batch_size, max_iter, tol, \
n_iter_no_change :
        The MLP's widths, L2 penalty, Adam step, mini-batch size, most epochs,
        and the plateau rule of :func:`sklweak.neural.make_net`.
    device : str, default="cpu"
        ``"auto"``, ``"cpu"`` or a CUDA device.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights and the batch order.

    Returns
    -------
    net : skorch.NeuralNet
        The fitted net (outputs logits).
    device : str
        The device used.
    converged : bool
        Whether training stopped on a plateau before ``max_iter`` epochs.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.llp._soft_mlp import fit_soft_label_mlp
    >>> Z = np.array([[-1.0], [-0.5], [0.5], [1.0]])
    >>> soft = np.array([[1.0, 0.0], [0.8, 0.2], [0.2, 0.8], [0.0, 1.0]])
    >>> net, device, _ = fit_soft_label_mlp(Z, soft, np.ones(4), hidden_layer_sizes=(4,),
    ...                                     learning_rate=0.05, max_iter=100,
    ...                                     random_state=0)
    >>> device
    'cpu'
    """
    from ..neural import (
        MLPModule,
        SoftLabelLoss,
        as_float32,
        fit_net,
        make_net,
        net_converged,
        resolve_device,
        torch_seed,
    )

    sizes = _check_hidden_layer_sizes(hidden_layer_sizes)
    device = resolve_device(device)
    rows = np.column_stack([soft_labels, weights]).astype(np.float32)
    net = make_net(
        MLPModule,
        SoftLabelLoss,
        module_params={
            "n_features": Z.shape[1],
            "n_outputs": soft_labels.shape[1],
            "hidden_layer_sizes": sizes,
        },
        criterion_params={"loss": loss},
        batch_size=batch_size,
        max_epochs=max_iter,
        lr=learning_rate,
        weight_decay=alpha,
        device=device,
        tol=tol,
        n_iter_no_change=n_iter_no_change,
    )
    fit_net(net, as_float32(Z), rows, seed=torch_seed(random_state))
    curve = np.asarray(net.history[:, "train_loss"], dtype=np.float64)
    if not np.all(np.isfinite(curve)):
        raise ValueError("The MLP's soft-label loss diverged; lower learning_rate or raise alpha.")
    return net, device, net_converged(net)


class SoftLabelMLPClassifier(NeuralNetPredictionMixin, ClassifierMixin, BaseEstimator):
    """MLP learner of :class:`LLPBPClassifier` (``estimator="mlp"``).

    Trained by the cross-entropy against soft labels (``fit_soft``) or, as any
    classifier, on labels with sample weights (``fit``). ``transform`` gives
    the last hidden layer, which LLP-BP's embedding refinement uses as the
    covariates of its next similarity graph. The features are standardized
    inside.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Width of each hidden layer.
    alpha : float, default=1e-4
        L2 penalty on the weights.
    learning_rate : float, default=1e-3
        Adam's step size.
    batch_size : int, default=128
        Mini-batch size.
    max_iter : int, default=50
        Most epochs.
    tol : float, default=1e-4
        Least improvement of the epoch's training loss that resets the patience.
    n_iter_no_change : int, default=10
        Epochs without improvement before training stops.
    device : str, default="auto"
        ``"auto"``, ``"cpu"``, ``"cuda"`` or ``"cuda:<index>"``.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights and the batch order.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.llp._soft_mlp import SoftLabelMLPClassifier
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> clf = SoftLabelMLPClassifier(hidden_layer_sizes=(4,), learning_rate=0.05,
    ...                              max_iter=100, device="cpu", random_state=0)
    >>> clf.fit(X, [0, 0, 1, 1]).transform(X).shape
    (4, 4)
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [tuple, list],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "device": [str],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        *,
        alpha=1e-4,
        learning_rate=1e-3,
        batch_size=128,
        max_iter=50,
        tol=1e-4,
        n_iter_no_change=10,
        device="auto",
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.device = device
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit on class labels (one-hot soft labels) with optional weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        classes, encoded = np.unique(y, return_inverse=True)
        if classes.shape[0] < 2:
            raise ValueError(
                f"y holds one class only ({classes[0]!r}); the MLP needs at least two."
            )
        soft = np.zeros((X.shape[0], classes.shape[0]))
        soft[np.arange(X.shape[0]), encoded] = 1.0
        self._fit_rows(X, soft, sample_weight)
        self.classes_ = classes
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_soft(self, X, soft_labels, sample_weight=None):
        """Fit on soft labels, one column per class ``0 .. n_classes - 1``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples.
        soft_labels : ndarray of shape (n_samples, n_classes)
            Rows summing to 1.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32])
        soft_labels = np.asarray(soft_labels, dtype=np.float64)
        self._fit_rows(X, soft_labels, sample_weight)
        self.classes_ = np.arange(soft_labels.shape[1])
        return self

    def _fit_rows(self, X, soft, sample_weight):
        weights = np.ones(X.shape[0])
        if sample_weight is not None:
            weights = np.asarray(sample_weight, dtype=np.float64)
            if weights.shape != (X.shape[0],) or np.any(weights < 0) or weights.sum() <= 0:
                raise ValueError(
                    "sample_weight must be one non-negative weight per sample with a positive sum."
                )
            weights = weights * (X.shape[0] / weights.sum())
        Z = self._fit_standardizer(np.asarray(X, dtype=np.float64))
        self.net_, self.device_, self.converged_ = fit_soft_label_mlp(
            Z,
            soft,
            weights,
            hidden_layer_sizes=self.hidden_layer_sizes,
            alpha=self.alpha,
            learning_rate=self.learning_rate,
            batch_size=self.batch_size,
            max_iter=self.max_iter,
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            device=self.device,
            random_state=self.random_state,
        )

    def transform(self, X):
        """The last hidden layer of the network (its learned representation).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        embedding : ndarray of shape (n_samples, hidden_layer_sizes[-1])
        """
        from ..neural import embed

        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return embed(self.net_, self._standardize(X))
