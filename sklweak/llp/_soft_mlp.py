"""A multilayer perceptron trained on soft labels, the MLP learner of LLP-BP.

It trains the skorch MLP of :mod:`sklweak.neural` on one row of soft labels
per sample (:class:`sklweak.neural.SoftLabelLoss`), as EasyLLP's MLP does.
torch and skorch are imported inside ``fit``, so importing this module does
not import them.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..neural._base import (
    NeuralNetPredictionMixin,
    mlp_parameter_constraints,
    shared_parameter_docs,
    torch_seed,
)
from ..utils._sklearn_compat import _fit_context

__all__ = ["SoftLabelMLPClassifier"]


@shared_parameter_docs
class SoftLabelMLPClassifier(NeuralNetPredictionMixin, ClassifierMixin, BaseEstimator):
    """MLP learner of :class:`LLPBPClassifier` (``estimator="mlp"``).

    Trained by the cross-entropy against soft labels (``fit_soft``) or, as any
    classifier, on labels with sample weights (``fit``). ``transform`` gives
    the last hidden layer, which LLP-BP's embedding refinement uses as the
    covariates of its next similarity graph. The features are standardized
    inside.

    Parameters
    ----------
    %(hidden_layer_sizes)s
    %(alpha)s
    %(learning_rate)s
    %(batch_size)s
    %(max_iter)s
    %(tol)s
    %(n_iter_no_change)s
    %(device)s
    random_state : int, RandomState instance or None, default=None
        Seeds the weights and the batch order.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (``0 .. n_classes - 1`` after ``fit_soft``).
    net_ : skorch.NeuralNet
        The fitted network (its ``module_`` a :class:`sklweak.neural.MLPModule`).
    device_ : str
        The device used.
    n_iter_ : int
        Epochs run (training stops at ``max_iter`` without a warning: LLP-BP
        trains it once per round).
    feature_mean_, feature_scale_ : ndarray of shape (n_features,)
        Standardization of the inputs.
    n_features_in_ : int
        Number of features seen during ``fit``.

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

    _parameter_constraints: dict = mlp_parameter_constraints(
        "hidden_layer_sizes",
        "alpha",
        "learning_rate",
        "batch_size",
        "max_iter",
        "tol",
        "n_iter_no_change",
        "device",
        "random_state",
    )

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
            Per-sample weights (repetition counts) of the loss and the
            standardization.

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
            Per-sample weights (repetition counts) of the loss and the
            standardization.

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
        from ..neural import SoftLabelLoss

        rows = np.column_stack([soft, weights]).astype(np.float32)
        self._fit_net(
            self._fit_standardizer(X, None if sample_weight is None else weights / X.shape[0]),
            rows,
            SoftLabelLoss,
            n_outputs=soft.shape[1],
            seed=torch_seed(self.random_state),
            criterion_params={"loss": "log"},
            warn=False,
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
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return self._net_embedding(X)
