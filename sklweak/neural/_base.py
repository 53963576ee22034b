"""What every neural estimator of sklweak shares, without importing torch.

A neural estimator keeps only its loss and the shape of its training rows;
this module holds the rest, so importing it (and an estimator built on it)
does not import torch:

- :data:`MLP_PARAMETER_CONSTRAINTS` and :func:`mlp_parameter_constraints`:
  the constraints of the shared hyperparameters (``hidden_layer_sizes``,
  ``activation``, ``dropout``, ``alpha``, ``learning_rate``, ``batch_size``,
  ``max_iter``, ``tol``, ``n_iter_no_change``, ``device``,
  ``random_state``), each meaning the same in every estimator, and
  :func:`shared_parameter_docs`, which writes their docs into an
  estimator's docstring;
- :func:`check_hidden_layer_sizes`: the size check;
- :func:`feature_standardization`: the one standardization of the inputs,
  with one rule for constant features (also used by the linear backends);
- :func:`torch_seed`: the integer torch seed drawn from ``random_state``;
- :class:`NeuralNetMixin`: the standardizer, the fit loop wrapper
  (``_fit_net``: size check, device, seed, net, loss curve, divergence
  error, ``ConvergenceWarning``) and the reading of the net;
- :class:`NeuralNetPredictionMixin` (an estimator that is an MLP) and
  :class:`LinearOrMLPPredictionMixin` (a linear model or an MLP):
  ``decision_function``/``predict_proba``/``predict`` from the net's logits.
"""

import inspect
import re
import textwrap
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import ScorePredictionMixin
from ..utils._sklearn_compat import Interval, StrOptions

__all__ = [
    "MLP_PARAMETER_CONSTRAINTS",
    "LinearOrMLPPredictionMixin",
    "NeuralNetMixin",
    "NeuralNetPredictionMixin",
    "check_hidden_layer_sizes",
    "feature_standardization",
    "mlp_parameter_constraints",
    "shared_parameter_docs",
    "torch_seed",
]

# A feature whose spread is below this share of its magnitude is constant.
_CONSTANT_FEATURE = 1e-12

MLP_PARAMETER_CONSTRAINTS = {
    "hidden_layer_sizes": [tuple, list],
    "activation": [StrOptions({"relu", "tanh", "logistic"})],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "alpha": [Interval(Real, 0, None, closed="left")],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "device": [str],
    "random_state": ["random_state"],
}


# Type and description of each shared hyperparameter; the default is read
# from the estimator's signature.
_MLP_PARAMETER_DOCS = {
    "hidden_layer_sizes": ("tuple of int", "Width of each hidden layer."),
    "activation": ('{"relu", "tanh", "logistic"}', "Hidden activation."),
    "dropout": ("float in [0, 1)", "Dropout probability after each hidden layer."),
    "alpha": ("float >= 0", "L2 penalty on the weights (Adam's weight decay, biases excluded)."),
    "learning_rate": ("float > 0", "Adam's step size."),
    "batch_size": ("int", "Mini-batch size."),
    "max_iter": ("int", "Most epochs."),
    "tol": (
        "float >= 0",
        "Least improvement of the epoch's training loss that resets the patience.",
    ),
    "n_iter_no_change": ("int", "Epochs without improvement before training stops."),
    "device": (
        "str",
        '``"auto"`` (a GPU when torch sees one, else the CPU), ``"cpu"``, '
        '``"cuda"`` or ``"cuda:<index>"``.',
    ),
}
_DOC_PLACEHOLDER = re.compile(r"^(?P<indent> *)%\((?P<name>\w+)\)s$", re.MULTILINE)


def _doc_default(value):
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float) and value != 0:
        mantissa, exponent = f"{value:e}".split("e")
        if float(mantissa).is_integer() and int(exponent) <= -2:
            return f"{int(float(mantissa))}e{int(exponent)}"
    return repr(value)


def shared_parameter_docs(cls):
    """Class decorator: write the shared hyperparameters' docs into the docstring.

    Each docstring line ``%(name)s`` becomes the numpydoc entry of ``name``
    from the shared descriptions, with the default of the class's
    ``__init__``.

    Parameters
    ----------
    cls : type
        An estimator class.

    Returns
    -------
    cls : type
        The same class, its docstring filled.

    Examples
    --------
    >>> from sklweak.neural._base import shared_parameter_docs
    >>> @shared_parameter_docs
    ... class Net:
    ...     \"\"\"A net.
    ...
    ...     Parameters
    ...     ----------
    ...     %(learning_rate)s
    ...     \"\"\"
    ...     def __init__(self, learning_rate=1e-3):
    ...         self.learning_rate = learning_rate
    >>> print(Net.__doc__.splitlines()[4:6])
    ['    learning_rate : float > 0, default=1e-3', "        Adam's step size."]
    """
    defaults = inspect.signature(cls.__init__).parameters

    def entry(match):
        indent, name = match["indent"], match["name"]
        kind, text = _MLP_PARAMETER_DOCS[name]
        head = f"{indent}{name} : {kind}, default={_doc_default(defaults[name].default)}"
        body = textwrap.fill(
            text, width=79, initial_indent=indent + "    ", subsequent_indent=indent + "    "
        )
        return f"{head}\n{body}"

    cls.__doc__ = _DOC_PLACEHOLDER.sub(entry, cls.__doc__)
    return cls


def mlp_parameter_constraints(*names, **overrides):
    """The shared constraints of ``names``, with ``overrides`` replacing or adding some.

    Parameters
    ----------
    *names : str
        Keys of :data:`MLP_PARAMETER_CONSTRAINTS`.
    **overrides : list
        Constraints of an estimator's own reading of a name (``tol=[...,
        None]``) or of further parameters.

    Returns
    -------
    constraints : dict
        For ``_parameter_constraints``.

    Examples
    --------
    >>> from sklweak.neural._base import mlp_parameter_constraints
    >>> sorted(mlp_parameter_constraints("alpha", "device", tol=[None]))
    ['alpha', 'device', 'tol']
    """
    constraints = {name: MLP_PARAMETER_CONSTRAINTS[name] for name in names}
    constraints.update(overrides)
    return constraints


def feature_standardization(X, weights=None):
    """Mean and scale of each feature; a constant feature keeps scale 1.

    A feature is constant when its standard deviation is below ``1e-12 *
    (1 + |mean|)``: rounding leaves a tiny nonzero spread on a constant
    column, and dividing by it would blow up any other value seen later.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Training samples.
    weights : ndarray of shape (n_samples,), default=None
        Sample weights summing to 1 (the caller normalizes them once, for its
        loss too); ``None`` weighs samples equally.

    Returns
    -------
    mean, scale : ndarray of shape (n_features,)
        Standardize with ``(X - mean) / scale``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.neural._base import feature_standardization
    >>> mean, scale = feature_standardization(np.array([[0.0, 0.1], [2.0, 0.1], [4.0, 0.1]]))
    >>> mean.round(3).tolist(), scale.round(3).tolist()
    ([2.0, 0.1], [1.633, 1.0])
    """
    X = np.asarray(X, dtype=np.float64)
    if weights is None:
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
    else:
        mean = weights @ X
        scale = np.sqrt(weights @ (X - mean) ** 2)
    scale[scale < _CONSTANT_FEATURE * (1.0 + np.abs(mean))] = 1.0
    return mean, scale


def torch_seed(random_state):
    """An integer torch seed drawn from a scikit-learn ``random_state``.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        The estimator's ``random_state`` (an instance advances).

    Returns
    -------
    seed : int
        Same ``random_state`` (an int), same seed.

    Examples
    --------
    >>> from sklweak.neural import torch_seed
    >>> torch_seed(0) == torch_seed(0)
    True
    """
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def check_hidden_layer_sizes(hidden_layer_sizes, *, at_least_one=False):
    """``hidden_layer_sizes`` as a tuple of positive integers, or a ``ValueError``.

    Parameters
    ----------
    hidden_layer_sizes : tuple or list of int
        The parameter.
    at_least_one : bool, default=False
        Refuse ``()`` (a net whose last hidden layer is its embedding).

    Returns
    -------
    sizes : tuple of int

    Examples
    --------
    >>> from sklweak.neural._base import check_hidden_layer_sizes
    >>> check_hidden_layer_sizes([8, 4])
    (8, 4)
    """
    sizes = tuple(hidden_layer_sizes)
    if not all(isinstance(h, Integral) and h >= 1 for h in sizes):
        raise ValueError(
            f"hidden_layer_sizes must hold positive integers; got {hidden_layer_sizes!r}."
        )
    if at_least_one and not sizes:
        raise ValueError(
            "hidden_layer_sizes must hold at least one positive integer (the "
            f"last is the embedding); got {hidden_layer_sizes!r}."
        )
    return sizes


class NeuralNetMixin:
    """Standardized inputs, training and reading of the skorch MLP ``net_``.

    The estimator names its hyperparameters as in
    :data:`MLP_PARAMETER_CONSTRAINTS` (``activation``, ``dropout``, ``tol``
    and ``n_iter_no_change`` are optional) and, in ``_fit``, calls
    :meth:`_fit_standardizer` (or stores ``feature_mean_`` and
    ``feature_scale_`` of :func:`feature_standardization`) and
    :meth:`_fit_net` with its loss and its target rows.
    """

    def _validate_data_options(self):
        """Dense float input: the net reads float32 arrays."""
        return {"accept_sparse": False, "dtype": [np.float64, np.float32]}

    def _fit_standardizer(self, X, weights=None):
        """Store the feature means and scales of ``X``; return it standardized."""
        self.feature_mean_, self.feature_scale_ = feature_standardization(X, weights)
        return self._standardize(X)

    def _standardize(self, X):
        return (np.asarray(X, dtype=np.float64) - self.feature_mean_) / self.feature_scale_

    def _net_logits(self, X):
        """Logits (float64) of already validated ``X``."""
        from ._net import predict_logits

        return predict_logits(self.net_, self._standardize(X))

    def _net_embedding(self, X):
        """Last hidden layer (float64) of already validated ``X``."""
        from ._net import embed

        return embed(self.net_, self._standardize(X))

    def _fit_net(
        self,
        X,
        rows,
        criterion,
        *,
        n_outputs,
        seed,
        criterion_params=None,
        label=None,
        warn=True,
        **net_params,
    ):
        """Build ``net_`` from the hyperparameters, train it; return the loss curve.

        Sets ``net_``, ``device_`` and ``n_iter_``. Raises a ``ValueError`` if a
        training loss is not finite and, when ``tol`` is set and ``warn``, a
        ``ConvergenceWarning`` if training ran ``max_iter`` epochs without
        reaching a plateau.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Standardized training samples.
        rows : ndarray of shape (n_samples, ...)
            The criterion's target rows.
        criterion : type of torch.nn.Module
            The loss.
        n_outputs : int
            Output units of the MLP.
        seed : int
            Torch seed (:func:`torch_seed`).
        criterion_params : dict, default=None
            Keyword arguments of the criterion.
        label : str, default=None
            Names the estimator in messages (default: its class name).
        warn : bool, default=True
            Warn when training stops at ``max_iter``.
        **net_params : dict
            Overrides of :func:`sklweak.neural.make_net`'s arguments
            (``max_epochs``, ``tol``, ``n_iter_no_change``, ``iterator_train``...).

        Returns
        -------
        loss_curve : list of float
            Mean training loss of each epoch.
        """
        from ._mlp import MLPModule
        from ._net import as_float32, fit_net, make_net, net_converged, resolve_device

        module_params = {
            "n_features": X.shape[1],
            "n_outputs": n_outputs,
            "hidden_layer_sizes": check_hidden_layer_sizes(self.hidden_layer_sizes),
        }
        for name in ("activation", "dropout"):
            if hasattr(self, name):
                module_params[name] = getattr(self, name)
        params = {
            "batch_size": self.batch_size,
            "max_epochs": self.max_iter,
            "lr": self.learning_rate,
            "weight_decay": self.alpha,
            "tol": getattr(self, "tol", None),
            "n_iter_no_change": getattr(self, "n_iter_no_change", 10),
        }
        params.update(net_params)
        self.device_ = resolve_device(self.device)
        self.net_ = make_net(
            MLPModule,
            criterion,
            module_params=module_params,
            criterion_params=criterion_params,
            device=self.device_,
            **params,
        )
        fit_net(self.net_, as_float32(X), rows, seed=seed)
        curve = self._check_net_loss(label)
        self.n_iter_ = len(curve)
        if warn and params["tol"] is not None and not net_converged(self.net_):
            advice = "raise max_iter"
            if None in self._parameter_constraints.get("tol", ()):
                advice += " or set tol=None for a fixed number of epochs"
            warnings.warn(
                f"{label or type(self).__name__} stopped at max_iter={self.max_iter} "
                f"epochs before the training loss stopped improving; {advice}.",
                ConvergenceWarning,
            )
        return curve

    def _refit_net(self, X, rows, *, seed, label=None):
        """Train the warm-started ``net_`` again on ``(X, rows)``; check its loss."""
        from ._net import as_float32, fit_net

        fit_net(self.net_, as_float32(X), rows, seed=seed)
        self._check_net_loss(label)

    def _check_net_loss(self, label):
        curve = [float(v) for v in self.net_.history[:, "train_loss"]]
        if not np.all(np.isfinite(curve)):
            raise ValueError(
                f"{label or type(self).__name__} training diverged (non-finite loss); "
                "lower learning_rate or raise alpha."
            )
        return curve


class NeuralNetPredictionMixin(NeuralNetMixin, ScorePredictionMixin):
    """Predictions of an estimator that is an MLP: the softmax of its logits.

    Estimators using it need torch, so the registry lists them only where
    torch is installed.
    """

    _optional_dependency = "torch"

    def _scores(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._validate_data_options())
        return self._net_logits(X)


class LinearOrMLPPredictionMixin(NeuralNetMixin, ScorePredictionMixin):
    """``decision_function`` of an estimator with a linear or an MLP backend.

    The fitted linear model is ``coef_`` and ``intercept_``; the MLP is
    ``net_``.
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
            scores = self._net_logits(X)
            if scores.shape[1] == 2:
                scores = scores[:, 1:] - scores[:, :1]
        else:
            scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores
