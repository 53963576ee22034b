"""Deep low-density separation: a network embedding alternating with LDS.

torch and skorch are imported inside ``fit`` and ``predict`` only, so
``import sklweak.lowdensity`` does not import them.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, SemiSupervisedMixin
from ..neural._base import (
    NeuralNetPredictionMixin,
    check_hidden_layer_sizes,
    mlp_parameter_constraints,
    shared_parameter_docs,
    torch_seed,
)
from ..utils._sklearn_compat import HasMethods, Interval
from ..utils._weights import sample_weight_parameter
from ._lds import LDSClassifier

__all__ = ["DeepLDSClassifier", "pseudo_label_certainty"]

# The label the separator reads as "unlabeled" on the encoded target.
_ENCODED_UNLABELED = -1


def pseudo_label_certainty(proba):
    """Certainty of each pseudo-label: one minus the normalized entropy.

    ``1 - H(p) / log(n_classes)`` for a row ``p`` of class probabilities:
    1 for a one-hot row, 0 for the uniform one. Deep LDS weights the loss of a
    pseudo-labeled sample by it, so that samples the low-density separator is
    unsure of (near its boundary) teach the network little.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities, rows summing to one.

    Returns
    -------
    certainty : ndarray of shape (n_samples,)
        Values in [0, 1].

    Examples
    --------
    >>> from sklweak.lowdensity._deep_lds import pseudo_label_certainty
    >>> pseudo_label_certainty([[1.0, 0.0], [0.5, 0.5], [0.9, 0.1]]).round(3).tolist()
    [1.0, 0.0, 0.531]
    """
    proba = np.asarray(proba, dtype=np.float64)
    n_classes = proba.shape[1]
    if n_classes < 2:
        return np.ones(proba.shape[0])
    # 0 * log(0) counts as 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(proba > 0, proba * np.log(proba), 0.0)
    entropy = -terms.sum(axis=1)
    return np.clip(1.0 - entropy / np.log(n_classes), 0.0, 1.0)


def _class_weights(labels, n_classes, sample_weight=None):
    """One over each class's (weighted) count, so every class carries the same total weight."""
    counts = np.bincount(labels, weights=sample_weight, minlength=n_classes).astype(np.float64)
    return np.where(counts > 0, 1.0 / np.maximum(counts, 1.0), 0.0)


@shared_parameter_docs
class DeepLDSClassifier(NeuralNetPredictionMixin, SemiSupervisedMixin, BaseWeakClassifier):
    """Deep low-density separation (Burkhart and Shan, 2020).

    A hybrid of a neural network and low-density separation, for data whose
    raw features do not show the clusters well. A multilayer perceptron is
    first trained on the labeled samples alone. Then each round

    1. embeds every training sample with the network's last hidden layer;
    2. runs low-density separation (``separator``, by default
       :class:`LDSClassifier`: graph distances, MDS and the gradient
       transductive SVM) on the embedding, labeled and unlabeled samples
       together, which gives every unlabeled sample a pseudo-label and class
       probabilities;
    3. weights each pseudo-labeled sample by the certainty of its
       probabilities, one minus their normalized entropy (see
       :func:`pseudo_label_certainty`), and every sample by one over the size
       of its (pseudo-)class, so that classes count equally;
    4. trains the network further, for ``n_epochs`` epochs, on the labeled
       and pseudo-labeled samples with this weighted cross-entropy.

    The network learns features in which the classes are separated by
    low-density gaps, and the separator, working in those features, labels
    the unlabeled samples better for the next round. Rounds stop when at most
    a fraction ``tol`` of the unlabeled samples changed pseudo-label since
    the previous round, or after ``max_iter`` rounds with a
    ``ConvergenceWarning``. Predictions come from the network, so new
    samples are classified inductively.

    The features are standardized with the mean and standard deviation of
    all training samples before entering the network. Training uses Adam
    with an L2 penalty on the weights, on the CPU or a GPU. Needs torch and
    skorch (``pip install sklweak[neural]``).

    Parameters
    ----------
    separator : estimator or None, default=None
        The low-density separation step: a semi-supervised classifier with
        ``fit`` and ``predict_proba`` that reads ``-1`` as unlabeled (it is
        fitted on the embedding with the classes encoded ``0 .. n_classes -
        1``). ``None`` uses ``LDSClassifier(n_neighbors=10, rho=1.0)`` (a
        sparse graph is cheaper to rebuild every round, and the learned
        embedding has few dimensions). A clone is fitted each round; :class:`TSVMClassifier` and
        :class:`sklweak.graph.LabelSpreading` work too (the latter gives the
        graph-based hybrid of Iscen et al., 2019).
    hidden_layer_sizes : tuple of int, default=(64,)
        Width of each hidden layer; the last one is the embedding.
    %(activation)s
    %(dropout)s
    %(alpha)s
    %(learning_rate)s
    %(batch_size)s
    n_epochs_initial : int, default=50
        Epochs of the first training, on the labeled samples only (with no
        unlabeled sample, the whole training).
    n_epochs : int, default=10
        Epochs of training after each low-density separation.
    max_iter : int >= 0, default=5
        Most rounds of separation and training. ``0`` stops after the first
        training: the supervised network.
    tol : float in [0, 1], default=0.01
        Rounds stop once at most this fraction of the unlabeled samples
        changed pseudo-label since the previous round.
    %(device)s
    random_state : int, RandomState instance or None, default=None
        Seeds torch (initial weights, batch order, dropout) in every round, and
        the separator when its own ``random_state`` is None: same seed, same
        model on the CPU.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels seen among the labeled samples.
    net_ : skorch.NeuralNet
        The fitted network (its ``module_`` is a
        :class:`sklweak.neural.MLPModule`).
    device_ : str
        The device used.
    separator_ : estimator
        The separator fitted in the last round (``None`` when no round ran).
    transduction_ : ndarray of shape (n_samples,)
        The network's label of every training sample (labeled ones included).
    pseudo_labels_ : ndarray of shape (n_samples,)
        The separator's labels of the training samples in the last round
        (``None`` when no round ran).
    pseudo_label_certainty_ : ndarray of shape (n_samples,)
        Certainty of those labels (1 on labeled samples); ``None`` when no
        round ran.
    embedding_ : ndarray of shape (n_samples, hidden_layer_sizes[-1])
        The final network's embedding of the training samples.
    n_iter_ : int
        Rounds of separation and training run.
    history_ : list of dict
        One entry per round: ``"changed"``, the fraction of unlabeled samples
        whose pseudo-label changed since the previous round (1.0 in the
        first), ``"mean_certainty"`` over unlabeled samples, and
        ``"train_loss"`` of the last epoch.
    feature_mean_, feature_scale_ : ndarray of shape (n_features,)
        Standardization of the inputs.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    LDSClassifier : Low-density separation on the raw features.
    TSVMClassifier : The transductive SVM.

    Notes
    -----
    With no unlabeled sample, ``fit`` warns and trains the supervised network
    (``n_iter_ == 0``).

    ``fit(X, y, sample_weight)`` reads the weights as repetition counts: they
    weigh the standardization, each sample's cross-entropy term (times its
    certainty and class weight), the class sizes behind the class weights,
    the separator's fit (its ``fit`` must take ``sample_weight``, else
    ``fit`` raises a ``ValueError`` before any work) and the fraction of
    changed pseudo-labels. A sample of weight zero is left out of every fit
    and labeled by the network. Mini-batches are drawn over samples, so a
    weighted sample and its repetitions fall in different batches: the two
    fits agree when one batch holds every sample (``batch_size`` at least
    the number of repeated samples), to float32 rounding. The separator's cost is paid every round: LDS stores
    ``n_samples x n_samples`` matrices (see ``LDSClassifier.max_samples``).

    References
    ----------
    .. [1] M. C. Burkhart and K. Shan, "Deep Low-Density Separation for
       Semi-supervised Classification", ICCS 2020, LNCS 12139, pp. 297-311.
    .. [2] A. Iscen, G. Tolias, Y. Avrithis and O. Chum, "Label Propagation
       for Deep Semi-supervised Learning", CVPR 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_moons
    >>> from sklweak.lowdensity import DeepLDSClassifier
    >>> X, y = make_moons(n_samples=200, noise=0.1, random_state=0)
    >>> y_weak = np.full_like(y, -1)
    >>> y_weak[:10] = y[:10]
    >>> clf = DeepLDSClassifier(hidden_layer_sizes=(32,), device="cpu", random_state=0)
    >>> clf = clf.fit(X, y_weak)
    >>> clf.embedding_.shape
    (200, 32)
    >>> bool(np.mean(clf.transduction_ == y) > 0.9)
    True
    """

    _parameter_constraints: dict = {
        "separator": [None, HasMethods(["fit", "predict_proba"])],
        **mlp_parameter_constraints(
            "hidden_layer_sizes", "activation", "dropout", "alpha", "learning_rate", "batch_size"
        ),
        "n_epochs_initial": [Interval(Integral, 1, None, closed="left")],
        "n_epochs": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "tol": [Interval(Real, 0, 1, closed="both")],
        **mlp_parameter_constraints("device", "random_state"),
        "unlabeled_label": SemiSupervisedMixin._unlabeled_label_constraint,
    }

    def __init__(
        self,
        separator=None,
        *,
        hidden_layer_sizes=(64,),
        activation="relu",
        dropout=0.0,
        alpha=1e-2,
        learning_rate=1e-2,
        batch_size=128,
        n_epochs_initial=50,
        n_epochs=10,
        max_iter=5,
        tol=0.01,
        device="auto",
        random_state=None,
        unlabeled_label=-1,
    ):
        self.separator = separator
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.n_epochs_initial = n_epochs_initial
        self.n_epochs = n_epochs
        self.max_iter = max_iter
        self.tol = tol
        self.device = device
        self.random_state = random_state
        self.unlabeled_label = unlabeled_label

    def _make_separator(self, rng):
        if self.separator is None:
            separator = LDSClassifier(n_neighbors=10, rho=1.0)
        else:
            separator = clone(self.separator)
        params = separator.get_params(deep=False)
        if "unlabeled_label" in params:
            separator.set_params(unlabeled_label=_ENCODED_UNLABELED)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        if "random_state" in params and params["random_state"] is None:
            separator.set_params(random_state=seed)
        return separator

    def _separate(self, embedding, y_encoded, rng, sample_weight):
        """Fit the separator on the embedding; pseudo-labels and probabilities.

        With ``sample_weight``, the separator is fitted on the rows of
        positive weight, with their weights, and labels every row.
        """
        separator = self._make_separator(rng)
        if sample_weight is None:
            separator.fit(embedding, y_encoded)
        else:
            rows = sample_weight > 0
            keyword = sample_weight_parameter(separator)
            separator.fit(embedding[rows], y_encoded[rows], **{keyword: sample_weight[rows]})
        proba = np.asarray(separator.predict_proba(embedding), dtype=np.float64)
        n_classes = len(self.classes_)
        order = np.asarray(separator.classes_)
        if proba.shape != (embedding.shape[0], len(order)) or not np.all(
            np.isin(order, np.arange(n_classes))
        ):
            raise ValueError(
                "separator must predict the encoded classes 0 .. n_classes - 1 of "
                f"the labeled samples; got classes_={order.tolist()!r}."
            )
        full = np.zeros((embedding.shape[0], n_classes))
        full[:, order.astype(np.intp)] = proba
        full = np.nan_to_num(full, nan=0.0)
        totals = full.sum(axis=1, keepdims=True)
        full = np.where(totals > 0, full / np.where(totals > 0, totals, 1.0), 1.0 / n_classes)
        return separator, full

    def _fit(self, X, target, sample_weight):
        from ..neural import ComplementaryLoss

        check_hidden_layer_sizes(self.hidden_layer_sizes, at_least_one=True)
        self.classes_ = np.asarray(target.classes)
        n_classes = len(self.classes_)
        labeled = target.labeled
        y_encoded = np.asarray(target.y_encoded, dtype=np.intp)
        if sample_weight is not None and np.all(sample_weight == 1.0):
            sample_weight = None
        if sample_weight is not None:
            self._check_weights_usable(sample_weight, labeled)
        # Rows of weight zero are left out of every fit (and labeled in the end).
        row_weight = np.ones(len(y_encoded)) if sample_weight is None else sample_weight
        labeled_fit = labeled & (row_weight > 0)
        unlabeled = ~labeled & (row_weight > 0)
        unlabeled_weight = None if sample_weight is None else sample_weight[unlabeled]
        if not unlabeled.any():
            warnings.warn(
                "y contains no unlabeled samples: DeepLDSClassifier fits the supervised network.",
                UserWarning,
            )

        X = np.asarray(X, dtype=np.float64)
        X_scaled = self._fit_standardizer(
            X, None if sample_weight is None else sample_weight / sample_weight.sum()
        )
        rng = check_random_state(self.random_state)

        def rows(labels, weights):
            """Target rows of the weighted cross-entropy: "not" mask, then weight."""
            excluded = np.ones((len(labels), n_classes), dtype=np.float32)
            excluded[np.arange(len(labels)), labels] = 0.0
            return np.column_stack([excluded, weights]).astype(np.float32)

        class_weight = _class_weights(
            y_encoded[labeled_fit],
            n_classes,
            None if sample_weight is None else sample_weight[labeled_fit],
        )
        self._fit_net(
            X_scaled[labeled_fit],
            rows(
                y_encoded[labeled_fit],
                class_weight[y_encoded[labeled_fit]] * row_weight[labeled_fit],
            ),
            ComplementaryLoss,
            n_outputs=n_classes,
            seed=torch_seed(rng),
            criterion_params={"loss": "ce"},
            max_epochs=self.n_epochs_initial,
            tol=None,
            warm_start=True,
        )

        self.separator_ = None
        self.pseudo_labels_ = None
        self.pseudo_label_certainty_ = None
        self.history_ = []
        self.n_iter_ = 0
        previous = None
        converged = False
        rounds = self.max_iter if unlabeled.any() else 0
        self.net_.set_params(max_epochs=self.n_epochs)
        for _ in range(rounds):
            embedding = self._net_embedding(X)
            separator, proba = self._separate(embedding, y_encoded, rng, sample_weight)
            pseudo = np.where(labeled, y_encoded, np.argmax(proba, axis=1))
            certainty = np.where(labeled, 1.0, pseudo_label_certainty(proba))
            weight = (
                certainty * _class_weights(pseudo, n_classes, sample_weight)[pseudo] * row_weight
            )
            keep = weight > 0
            self._refit_net(X_scaled[keep], rows(pseudo[keep], weight[keep]), seed=torch_seed(rng))
            changed = (
                1.0
                if previous is None
                else float(
                    np.average(pseudo[unlabeled] != previous[unlabeled], weights=unlabeled_weight)
                )
            )
            self.history_.append(
                {
                    "changed": changed,
                    "mean_certainty": float(
                        np.average(certainty[unlabeled], weights=unlabeled_weight)
                    ),
                    "train_loss": float(self.net_.history[-1, "train_loss"]),
                }
            )
            self.n_iter_ += 1
            self.separator_ = separator
            self.pseudo_labels_ = self.classes_[pseudo]
            self.pseudo_label_certainty_ = certainty
            previous = pseudo
            if changed <= self.tol:
                converged = True
                break
        if rounds and not converged:
            warnings.warn(
                f"DeepLDSClassifier stopped at max_iter={self.max_iter} rounds while "
                f"more than tol={self.tol} of the unlabeled samples still changed "
                "pseudo-label; raise max_iter or tol.",
                ConvergenceWarning,
            )
        self.embedding_ = self._net_embedding(X)
        self.transduction_ = self.classes_[np.argmax(self._net_logits(X), axis=1)]
        return self

    def _check_weights_usable(self, sample_weight, labeled):
        """Reject weights the fit cannot use, before any work."""
        if not np.any(sample_weight[labeled] > 0):
            raise ValueError(
                "sample_weight is zero on every labeled row: give at least one "
                "labeled row a positive weight."
            )
        separator = self._make_separator(np.random.RandomState(0))
        if sample_weight_parameter(separator) is None:
            raise ValueError(
                f"sample_weight was given but the separator's fit does not take "
                f"sample_weight ({type(separator).__name__}); use a separator that "
                "takes it, such as LDSClassifier (the default)."
            )

    def embed(self, X):
        """The network's embedding (last hidden layer) of samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        embedding : ndarray of shape (n_samples, hidden_layer_sizes[-1])
            Float64 features in which the classes are separated.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._validate_data_options())
        return self._net_embedding(X)
