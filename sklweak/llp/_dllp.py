"""DLLP: a neural network trained on the bag-level proportion loss.

torch and skorch are imported inside ``fit`` and ``predict`` only, so
``import sklweak.llp`` does not import them.
"""

import numpy as np
from sklearn.utils import check_random_state

from ..base import BaseWeakClassifier, LLPMixin
from ..neural._base import (
    NeuralNetPredictionMixin,
    mlp_parameter_constraints,
    shared_parameter_docs,
    torch_seed,
)
from ..utils._weights import relative_sample_weight

__all__ = ["DLLPClassifier"]


@shared_parameter_docs
class DLLPClassifier(NeuralNetPredictionMixin, LLPMixin, BaseWeakClassifier):
    """Multilayer perceptron learned from label proportions (DLLP).

    Deep learning from label proportions (Ardehaly and Culotta, 2017) trains
    a network ``p(y | x)`` so that, for every bag, the mean of its predicted
    class probabilities matches the bag's given proportions: the loss of a
    bag with proportions ``p`` and mean prediction ``q`` is the cross-entropy
    ``-sum_k p_k log q_k`` (see :class:`sklweak.neural.BagProportionLoss`).
    Mini-batches are made of whole bags, drawn in a new random order each
    epoch. With a 1-D ``y`` (every sample its own bag) the loss is the
    ordinary cross-entropy: a supervised MLP.

    The features are standardized with their training mean and standard
    deviation before entering the network. Training uses Adam with an L2
    penalty on the weights and stops when the epoch's training loss has not
    improved by ``tol`` for ``n_iter_no_change`` epochs, or at ``max_iter``
    epochs with a ``ConvergenceWarning``. Needs torch and skorch
    (``pip install sklweak[neural]``). The step size 1e-2 and the cap of
    200 epochs were the best measured on ``benchmarks/bench_llp_defaults.py``
    (+1.5 to +5.5 points over 1e-3 and 50 epochs, which stopped at the cap in
    most fits).

    Parameters
    ----------
    %(hidden_layer_sizes)s
    %(activation)s
    %(dropout)s
    %(alpha)s
    %(learning_rate)s
    batch_size : int, default=128
        Approximate number of samples per mini-batch: each holds
        ``max(1, round(batch_size / mean bag size))`` whole bags.
    %(max_iter)s
    %(tol)s
    %(n_iter_no_change)s
    classes : array-like of shape (n_classes,), default=None
        Labels of the proportion columns of a 2-D ``y`` (``classes_``);
        ``None`` names them ``0 .. n_classes - 1``. Ignored for a 1-D ``y``.
    %(device)s
    random_state : int, RandomState instance or None, default=None
        Seeds torch (initial weights, dropout) and the order of the bags: same
        seed, same model on the CPU.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    net_ : skorch.NeuralNet
        The fitted network (its ``module_`` is a
        :class:`sklweak.neural.MLPModule`).
    device_ : str
        The device used.
    n_iter_ : int
        Epochs run.
    loss_curve_ : list of float
        Mean training loss of each epoch.
    feature_mean_, feature_scale_ : ndarray of shape (n_features,)
        Standardization of the inputs.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    Notes
    -----
    ``sample_weight`` (repetition counts of samples) makes a bag's predicted
    proportion the weighted mean of its samples' probabilities and weighs
    the bag's loss by the mean weight of its samples (weights scaled to mean
    1): a sample of its own bag (1-D ``y``) weighs its cross-entropy, a bag
    whose samples all weigh 2 counts as that bag twice, and equal weights
    change nothing. A zero-weight sample is dropped before training, as is a
    bag left without samples. The standardization is weighted too. Training
    draws mini-batches of bags, so a weighted sample and its repetitions
    give the same loss in expectation, not the same sequence of updates.

    See Also
    --------
    EasyLLPClassifier : Linear LLP with a debiased instance loss.
    sklweak.datasets.make_bags : Simulate bags and their proportions.

    References
    ----------
    .. [1] E. M. Ardehaly and A. Culotta, "Co-training for demographic
       classification using deep learning from label proportions", ICDM
       Workshops 2017.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklweak.datasets import make_bags
    >>> from sklweak.llp import DLLPClassifier
    >>> X, y = make_classification(n_samples=400, n_features=5, random_state=0)
    >>> _, y_bag, _ = make_bags(X, y, bag_size=8, method="clustered", random_state=0)
    >>> clf = DLLPClassifier(hidden_layer_sizes=(32,), max_iter=50, device="cpu",
    ...                      random_state=0)
    >>> bool((clf.fit(X, y_bag).predict(X) == y).mean() > 0.7)
    True
    """

    _parameter_constraints: dict = {
        **mlp_parameter_constraints(
            "hidden_layer_sizes",
            "activation",
            "dropout",
            "alpha",
            "learning_rate",
            "batch_size",
            "max_iter",
            "tol",
            "n_iter_no_change",
        ),
        "classes": ["array-like", None],
        **mlp_parameter_constraints("device", "random_state"),
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(100,),
        activation="relu",
        dropout=0.0,
        alpha=1e-4,
        learning_rate=1e-2,
        batch_size=128,
        max_iter=200,
        tol=1e-4,
        n_iter_no_change=10,
        classes=None,
        device="auto",
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.classes = classes
        self.device = device
        self.random_state = random_state

    def _fit(self, X, target, sample_weight):
        from ..neural import BagBatchSampler, BagProportionLoss, bag_loader

        self.classes_ = np.asarray(target.classes)
        rng = check_random_state(self.random_state)
        seed = torch_seed(rng)
        bag_index = target.bag_index
        columns = [target.bag_proportions[bag_index]]
        weights = None
        if sample_weight is not None:
            # A zero-weight sample is dropped, and a bag left without samples.
            kept = sample_weight > 0
            X, bag_index, columns = X[kept], bag_index[kept], [columns[0][kept]]
            weights = relative_sample_weight(sample_weight[kept])
            if weights is not None:
                columns.append(weights[:, None])
        # Bags numbered by first appearance: the bag ids are only names.
        _, first, bag_number = np.unique(bag_index, return_index=True, return_inverse=True)
        rank = np.argsort(np.argsort(first, kind="stable"), kind="stable")
        bag_number = rank[bag_number.reshape(-1)]
        bags_per_batch = max(1, round(self.batch_size / (X.shape[0] / first.shape[0])))
        sampler = BagBatchSampler(bag_number, bags_per_batch, torch_seed(rng))
        rows = np.column_stack([bag_number, *columns]).astype(np.float32)
        self.loss_curve_ = self._fit_net(
            self._fit_standardizer(X, None if weights is None else weights / X.shape[0]),
            rows,
            BagProportionLoss,
            n_outputs=len(self.classes_),
            seed=seed,
            iterator_train=bag_loader,
            iterator_train__batch_sampler=sampler,
        )
        return self
