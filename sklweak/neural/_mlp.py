"""A multilayer perceptron torch module that can hand out its last hidden layer."""

from itertools import pairwise

import torch
from torch import nn

__all__ = ["MLPModule"]

_ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "logistic": nn.Sigmoid,
    "gelu": nn.GELU,
    "identity": nn.Identity,
}


class MLPModule(nn.Module):
    """Fully connected network: hidden blocks, then a linear output layer.

    Each hidden block is ``Linear -> [BatchNorm1d] -> activation ->
    [Dropout]``. :meth:`forward` returns the logits (one column per output);
    :meth:`embed` returns the output of the last hidden block, the learned
    representation that methods working in feature space (bag-level
    propagation, low-density separation) reuse.

    Parameters
    ----------
    n_features : int
        Number of input features.
    n_outputs : int
        Number of output units (classes, or 1 for a single score).
    hidden_layer_sizes : tuple of int, default=(100,)
        Width of each hidden block; ``()`` gives a linear model.
    activation : {"relu", "tanh", "logistic", "gelu", "identity"}, default="relu"
        Nonlinearity after each hidden layer.
    dropout : float in [0, 1), default=0.0
        Dropout probability after each hidden block (0 leaves it out).
    batch_norm : bool, default=False
        Add batch normalization before each activation.

    Attributes
    ----------
    hidden : torch.nn.Sequential
        The hidden blocks.
    output : torch.nn.Linear
        The output layer.
    embedding_size : int
        Width of :meth:`embed`'s output (``n_features`` when there is no hidden
        layer).

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import MLPModule
    >>> _ = torch.manual_seed(0)
    >>> net = MLPModule(4, 3, hidden_layer_sizes=(8, 5))
    >>> x = torch.zeros(2, 4)
    >>> tuple(net(x).shape), tuple(net.embed(x).shape)
    ((2, 3), (2, 5))
    """

    def __init__(
        self,
        n_features,
        n_outputs,
        hidden_layer_sizes=(100,),
        activation="relu",
        dropout=0.0,
        batch_norm=False,
    ):
        super().__init__()
        if activation not in _ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {sorted(_ACTIVATIONS)}; got {activation!r}."
            )
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1); got {dropout!r}.")
        sizes = [int(n_features)] + [int(h) for h in hidden_layer_sizes]
        if min(sizes) < 1 or int(n_outputs) < 1:
            raise ValueError(
                "n_features, n_outputs and every hidden layer size must be positive; "
                f"got n_features={n_features}, hidden_layer_sizes="
                f"{tuple(hidden_layer_sizes)}, n_outputs={n_outputs}."
            )
        blocks = []
        for width_in, width_out in pairwise(sizes):
            blocks.append(nn.Linear(width_in, width_out))
            if batch_norm:
                blocks.append(nn.BatchNorm1d(width_out))
            blocks.append(_ACTIVATIONS[activation]())
            if dropout > 0:
                blocks.append(nn.Dropout(dropout))
        self.hidden = nn.Sequential(*blocks)
        self.output = nn.Linear(sizes[-1], int(n_outputs))
        self.embedding_size = sizes[-1]

    def embed(self, X):
        """Output of the last hidden block (the input itself without hidden layers).

        Parameters
        ----------
        X : torch.Tensor of shape (n_samples, n_features)
            Input batch.

        Returns
        -------
        embedding : torch.Tensor of shape (n_samples, embedding_size)
        """
        return self.hidden(X)

    def forward(self, X):
        """Logits of the batch.

        Parameters
        ----------
        X : torch.Tensor of shape (n_samples, n_features)
            Input batch.

        Returns
        -------
        logits : torch.Tensor of shape (n_samples, n_outputs)
        """
        return self.output(self.hidden(X))


def softmax_output(logits):
    """Class probabilities from logits (skorch's ``predict_nonlinearity``)."""
    return torch.softmax(logits, dim=1)
