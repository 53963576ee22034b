"""Build, seed and run a skorch net from plain hyperparameters.

Every neural estimator of sklweak keeps its own plain hyperparameters and, in
``fit``, calls :func:`make_net` to build a skorch ``NeuralNet`` (stored as
``net_``), :func:`fit_net` to train it reproducibly (float32), and
:func:`predict_logits` / :func:`embed` to read it (float64, so that a sample's
prediction does not depend on the other samples of its batch). Weak targets are passed to
the criterion as float rows (bag ids and proportions, complementary masks...),
so the plain ``NeuralNet`` is the default class; ``NeuralNetClassifier`` works
too when the target is a class index.
"""

import copy

import numpy as np
import torch
from sklearn.utils import check_random_state
from skorch import NeuralNet
from skorch.callbacks import EarlyStopping
from torch.utils.data import (
    BatchSampler,
    DataLoader,
    RandomSampler,
    Sampler,
    SequentialSampler,
)

from ._mlp import softmax_output

__all__ = [
    "BagBatchSampler",
    "as_float32",
    "bag_loader",
    "batch_loader",
    "embed",
    "fit_net",
    "make_net",
    "net_converged",
    "predict_logits",
    "resolve_device",
]

_OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
}
_PLATEAU = "train_loss_plateau"


def resolve_device(device):
    """The device to run on: a visible GPU for "auto", else the CPU.

    Parameters
    ----------
    device : str or torch.device
        ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ...

    Returns
    -------
    device : str
        The device the net runs on.

    Raises
    ------
    ValueError
        If a CUDA device is asked for and none is available, or the string is
        not a device.

    Examples
    --------
    >>> from sklweak.neural import resolve_device
    >>> resolve_device("cpu")
    'cpu'
    >>> resolve_device("auto") in ("cpu", "cuda")
    True
    """
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device must be 'auto', 'cpu', 'cuda' or 'cuda:<index>'; got {device!r}."
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} asks for a GPU but torch sees none; use device='cpu' or 'auto'."
        )
    return str(resolved)


def as_float32(X):
    """A writable, C-contiguous float32 array of ``X`` (the caller's is never touched).

    Parameters
    ----------
    X : array-like
        Data.

    Returns
    -------
    X32 : ndarray of float32

    Examples
    --------
    >>> from sklweak.neural import as_float32
    >>> as_float32([[1, 2]]).dtype
    dtype('float32')
    """
    X = np.asarray(X)
    out = np.ascontiguousarray(X, dtype=np.float32)
    if out is X or np.shares_memory(out, X) or not out.flags.writeable:
        out = out.copy()
    return out


class BagBatchSampler(Sampler):
    """Mini-batches made of whole bags, in a new random order each epoch.

    Parameters
    ----------
    bag_index : array-like of shape (n_samples,)
        Bag of each sample (any sortable ids; only which samples share a bag
        matters).
    bags_per_batch : int
        Number of bags in a mini-batch (the last one may hold fewer).
    random_state : int or RandomState instance
        Seed of the bag order; the state advances across epochs.

    Examples
    --------
    >>> from sklweak.neural import BagBatchSampler
    >>> sampler = BagBatchSampler([0, 1, 0, 2, 1], bags_per_batch=2, random_state=0)
    >>> batches = list(sampler)
    >>> len(batches), sorted(i for b in batches for i in b)
    (2, [0, 1, 2, 3, 4])
    """

    def __init__(self, bag_index, bags_per_batch, random_state):
        bag_index = np.asarray(bag_index)
        # Bags are numbered by first appearance, so renaming them changes nothing.
        _, first, inverse = np.unique(bag_index, return_index=True, return_inverse=True)
        rank = np.argsort(np.argsort(first, kind="stable"), kind="stable")
        bag_index = rank[inverse.reshape(-1)]
        order = np.argsort(bag_index, kind="stable")
        counts = np.bincount(bag_index)
        self.members = np.split(order, np.cumsum(counts)[:-1])
        self.bags_per_batch = int(bags_per_batch)
        self.rng = check_random_state(random_state)

    def __len__(self):
        return (len(self.members) + self.bags_per_batch - 1) // self.bags_per_batch

    def __iter__(self):
        order = self.rng.permutation(len(self.members))
        for start in range(0, len(order), self.bags_per_batch):
            chosen = order[start : start + self.bags_per_batch]
            yield np.concatenate([self.members[b] for b in chosen]).tolist()


def bag_loader(dataset, *, batch_sampler, batch_size=None, shuffle=None, **kwargs):
    """skorch ``iterator_train`` that draws whole bags with ``batch_sampler``.

    ``batch_size`` and ``shuffle`` (set by skorch) are ignored: the sampler
    decides both. Each mini-batch is read from the dataset in one indexing
    call.

    Parameters
    ----------
    dataset : torch Dataset
        skorch's dataset of ``(X, y)`` (indexable by a list of rows).
    batch_sampler : BagBatchSampler
        The sampler of whole bags.
    batch_size, shuffle : ignored
    **kwargs : dict
        Passed to ``torch.utils.data.DataLoader``.

    Returns
    -------
    loader : torch.utils.data.DataLoader

    Examples
    --------
    >>> import numpy as np
    >>> from skorch.dataset import Dataset
    >>> from sklweak.neural import BagBatchSampler, bag_loader
    >>> data = Dataset(np.arange(4.0).reshape(-1, 1), np.zeros(4))
    >>> loader = bag_loader(data, batch_sampler=BagBatchSampler([0, 0, 1, 1], 1, 0))
    >>> sorted(X.ravel().tolist() for X, _ in loader)
    [[0.0, 1.0], [2.0, 3.0]]
    """
    return DataLoader(dataset, sampler=batch_sampler, batch_size=None, **kwargs)


def batch_loader(dataset, *, batch_size, shuffle=False, **kwargs):
    """skorch iterator that reads each mini-batch in one indexing call.

    skorch's default ``DataLoader`` fetches and collates samples one by one;
    reading a list of rows at once is several times faster for the small
    tabular nets of sklweak. The order is drawn from torch's global random
    state (seeded by :func:`fit_net`).

    Parameters
    ----------
    dataset : torch Dataset
        skorch's dataset of ``(X, y)`` (indexable by a list of rows).
    batch_size : int
        Mini-batch size.
    shuffle : bool, default=False
        Draw a new random order each epoch.
    **kwargs : dict
        Passed to ``torch.utils.data.DataLoader``.

    Returns
    -------
    loader : torch.utils.data.DataLoader

    Examples
    --------
    >>> import numpy as np
    >>> from skorch.dataset import Dataset
    >>> from sklweak.neural import batch_loader
    >>> data = Dataset(np.arange(5.0).reshape(-1, 1), np.zeros(5))
    >>> [len(X) for X, _ in batch_loader(data, batch_size=2)]
    [2, 2, 1]
    """
    order = RandomSampler(dataset) if shuffle else SequentialSampler(dataset)
    sampler = BatchSampler(order, batch_size, drop_last=False)
    return DataLoader(dataset, sampler=sampler, batch_size=None, **kwargs)


def _quiet(*args, **kwargs):
    """Sink of the plateau callback: prints nothing."""


def make_net(
    module,
    criterion,
    *,
    module_params=None,
    criterion_params=None,
    net_class=NeuralNet,
    batch_size=128,
    max_epochs=100,
    lr=1e-3,
    optimizer="adam",
    weight_decay=0.0,
    device="cpu",
    tol=None,
    n_iter_no_change=10,
    train_split=None,
    verbose=0,
    **kwargs,
):
    """Build an unfitted skorch net from plain hyperparameters.

    The net outputs logits; ``predict_proba`` applies a softmax. Weight decay
    applies to weights, not biases (an L2 penalty ``weight_decay / 2 *
    ||W||^2`` with Adam or SGD). With ``tol`` set, training stops once the
    epoch's training loss has not improved by ``tol`` for
    ``n_iter_no_change`` epochs (see :func:`fit_net`).

    Parameters
    ----------
    module : type of torch.nn.Module
        Module class, built by skorch with ``module_params``.
    criterion : type of torch.nn.Module
        Loss class ``criterion(y_pred, y_true) -> scalar``, built with
        ``criterion_params``.
    module_params, criterion_params : dict, default=None
        Keyword arguments of the module and the criterion.
    net_class : type, default=skorch.NeuralNet
        skorch class of the net.
    batch_size : int, default=128
        Mini-batch size (prediction batches too).
    max_epochs : int, default=100
        Most epochs.
    lr : float, default=1e-3
        Learning rate.
    optimizer : {"adam", "adamw", "sgd"} or torch optimizer class, default="adam"
        Optimizer.
    weight_decay : float, default=0.0
        L2 penalty on the weights.
    device : str, default="cpu"
        Device, already resolved (see :func:`resolve_device`).
    tol : float, default=None
        Least improvement of the training loss that counts; ``None`` runs
        ``max_epochs`` epochs.
    n_iter_no_change : int, default=10
        Epochs without improvement before stopping (with ``tol``).
    train_split : callable, default=None
        skorch's validation split; ``None`` trains on everything.
    verbose : int, default=0
        skorch's verbosity.
    **kwargs : dict
        Further skorch parameters (``iterator_train=...``, ``callbacks=...``).

    Returns
    -------
    net : skorch net
        Not initialized; train it with :func:`fit_net`.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklweak.neural import MLPModule, fit_net, make_net, predict_logits
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]], dtype=np.float32)
    >>> y = np.array([0, 0, 1, 1])
    >>> net = make_net(MLPModule, torch.nn.CrossEntropyLoss, max_epochs=50, lr=0.1,
    ...                module_params={"n_features": 1, "n_outputs": 2,
    ...                               "hidden_layer_sizes": (4,)})
    >>> net = fit_net(net, X, y, seed=0)
    >>> predict_logits(net, X).argmax(axis=1).tolist()
    [0, 0, 1, 1]
    """
    if isinstance(optimizer, str):
        if optimizer not in _OPTIMIZERS:
            raise ValueError(
                f"optimizer must be one of {sorted(_OPTIMIZERS)} or a torch optimizer "
                f"class; got {optimizer!r}."
            )
        optimizer = _OPTIMIZERS[optimizer]
    params = {f"module__{k}": v for k, v in (module_params or {}).items()}
    params.update({f"criterion__{k}": v for k, v in (criterion_params or {}).items()})
    params.setdefault("iterator_train", batch_loader)
    params.setdefault("iterator_valid", batch_loader)
    params.setdefault("iterator_train__shuffle", True)
    callbacks = list(kwargs.pop("callbacks", None) or [])
    if tol is not None:
        callbacks.append(
            (
                _PLATEAU,
                EarlyStopping(
                    monitor="train_loss",
                    patience=n_iter_no_change,
                    threshold=tol,
                    threshold_mode="abs",
                    sink=_quiet,
                ),
            )
        )
    params.update(kwargs)
    return net_class(
        module,
        criterion=criterion,
        optimizer=optimizer,
        optimizer__weight_decay=weight_decay,
        optimizer__param_groups=[("*bias", {"weight_decay": 0.0})],
        lr=lr,
        max_epochs=max_epochs,
        batch_size=batch_size,
        train_split=train_split,
        callbacks=callbacks,
        predict_nonlinearity=softmax_output,
        device=device,
        verbose=verbose,
        **params,
    )


def fit_net(net, X, y, *, seed):
    """Train ``net`` on ``(X, y)`` with torch seeded by ``seed``.

    The global torch random state is saved and restored around training, so
    the caller's torch state is left as it was; the same ``seed`` gives the
    same weights on CPU.

    Parameters
    ----------
    net : skorch net
        From :func:`make_net`.
    X : ndarray of float32, shape (n_samples, n_features)
        Training data.
    y : ndarray
        Target handed to the criterion, row by row (float32 for weak targets).
    seed : int
        Torch seed (see :func:`sklweak.neural.torch_seed`).

    Returns
    -------
    net : skorch net
        The fitted net.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklweak.neural import MLPModule, fit_net, make_net, predict_logits
    >>> X = np.random.RandomState(0).normal(size=(20, 2)).astype(np.float32)
    >>> y = (X[:, 0] > 0).astype(np.int64)
    >>> def build():
    ...     return make_net(MLPModule, torch.nn.CrossEntropyLoss, max_epochs=3,
    ...                     module_params={"n_features": 2, "n_outputs": 2})
    >>> a = predict_logits(fit_net(build(), X, y, seed=3), X)
    >>> b = predict_logits(fit_net(build(), X, y, seed=3), X)
    >>> bool(np.array_equal(a, b))
    True
    """
    devices = []
    if str(net.device).startswith("cuda") and torch.cuda.is_available():
        devices = list(range(torch.cuda.device_count()))
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        net.fit(X, y)
    return net


def net_converged(net):
    """Whether training stopped on a plateau of the training loss.

    Always ``False`` for a net built without ``tol``.

    Parameters
    ----------
    net : fitted skorch net
        From :func:`fit_net`.

    Returns
    -------
    converged : bool

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklweak.neural import MLPModule, fit_net, make_net, net_converged
    >>> X = np.zeros((4, 1), dtype=np.float32)
    >>> net = make_net(MLPModule, torch.nn.CrossEntropyLoss, max_epochs=30, lr=0.0,
    ...                tol=1e-4, n_iter_no_change=2,
    ...                module_params={"n_features": 1, "n_outputs": 2})
    >>> net_converged(fit_net(net, X, np.array([0, 1, 0, 1]), seed=0))
    True
    """
    for name, callback in getattr(net, "callbacks_", []):
        if name == _PLATEAU:
            return callback.misses_ >= callback.patience
    return False


def _run_float64(net, X, method):
    """Apply ``method`` of a float64 copy of the net's module to ``X`` in batches.

    In float64, a row's output no longer depends on which other rows share its
    batch (float32 kernels round differently for different batch shapes), so
    predictions on a subset equal those on the whole.
    """
    module = copy.deepcopy(net.module_).double().eval()
    X = np.asarray(X, dtype=np.float64)
    step = max(1, int(net.batch_size)) if net.batch_size != -1 else max(1, len(X))
    parts = []
    with torch.no_grad():
        for start in range(0, len(X), step):
            batch = torch.as_tensor(X[start : start + step]).to(net.device)
            parts.append(getattr(module, method)(batch).cpu().numpy())
    return parts


def predict_logits(net, X):
    """The net's logits on ``X``, computed in float64 in evaluation mode.

    Parameters
    ----------
    net : fitted skorch net
        A net whose module returns logits.
    X : array-like of shape (n_samples, n_features)
        Samples.

    Returns
    -------
    logits : ndarray of float64, shape (n_samples, n_outputs)

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklweak.neural import MLPModule, make_net, predict_logits
    >>> net = make_net(MLPModule, torch.nn.CrossEntropyLoss,
    ...                module_params={"n_features": 2, "n_outputs": 3}).initialize()
    >>> predict_logits(net, np.zeros((4, 2))).shape
    (4, 3)
    """
    parts = _run_float64(net, X, "forward")
    n_outputs = net.module_.output.out_features if hasattr(net.module_, "output") else 0
    return np.concatenate(parts) if parts else np.zeros((0, n_outputs))


def embed(net, X):
    """The last hidden layer of the net's :class:`MLPModule` on ``X`` (float64).

    Parameters
    ----------
    net : fitted skorch net
        A net whose module has an ``embed`` method.
    X : array-like of shape (n_samples, n_features)
        Samples.

    Returns
    -------
    embedding : ndarray of float64, shape (n_samples, embedding_size)

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from sklweak.neural import MLPModule, embed, make_net
    >>> net = make_net(MLPModule, torch.nn.CrossEntropyLoss,
    ...                module_params={"n_features": 2, "n_outputs": 3,
    ...                               "hidden_layer_sizes": (6,)}).initialize()
    >>> embed(net, np.zeros((4, 2))).shape
    (4, 6)
    """
    parts = _run_float64(net, X, "embed")
    width = getattr(net.module_, "embedding_size", 0)
    return np.concatenate(parts) if parts else np.zeros((0, width))
