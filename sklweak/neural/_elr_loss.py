"""Early-learning regularization (ELR) of Liu et al. (2020) as a torch criterion."""

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["ELRLoss"]

# Probabilities are kept in [_CLIP, 1 - _CLIP] so that log(1 - <t, p>) stays finite.
_CLIP = 1e-4


class ELRLoss(nn.Module):
    """Cross-entropy plus the early-learning regularizer, with per-sample targets.

    Each training sample ``i`` keeps a target ``t_i``, a temporal ensemble of
    the model's own predictions: every time the sample is in a training
    mini-batch, its clipped prediction ``p_i`` (renormalised to sum to 1, no
    gradient) updates ``t_i <- momentum * t_i + (1 - momentum) * p_i``. The loss
    of the mini-batch is

    ``mean_i CE(g_i, y_i) + regularization * mean_i log(1 - <t_i, p_i>)``,

    where ``g_i`` are the logits, ``y_i`` the given (possibly wrong) label and
    ``p_i = softmax(g_i)`` clipped to ``[1e-4, 1 - 1e-4]``. A target with a
    third column weighs each sample's two terms by it: the means become
    ``mean_i w_i (...)`` over the mini-batch, so weights of 1 give the plain
    loss and a weight of 2 counts as the sample twice. Early in training
    the model fits the clean majority, so the targets carry the clean labels;
    the regularizer, minimised by bringing ``p_i`` towards ``t_i``, then
    counteracts the gradient of the cross-entropy on the wrong labels instead
    of letting the network memorise them (Liu et al., 2020).

    Targets are updated only in training mode (``module.train()``, as skorch
    sets during fitting); in evaluation mode they are read, not changed.

    Parameters
    ----------
    n_samples : int
        Number of training samples (rows of the target table).
    n_classes : int
        Number of classes.
    regularization : float >= 0, default=3.0
        Weight ``lambda`` of the regularizer; 0 gives the plain cross-entropy
        (the targets are still tracked).
    momentum : float in [0, 1), default=0.7
        Weight ``beta`` of the old target in the temporal ensemble.

    Attributes
    ----------
    targets : torch.Tensor of shape (n_samples, n_classes)
        The temporal-ensemble targets (zeros until a sample is first seen).

    References
    ----------
    .. [1] S. Liu, J. Niles-Weed, N. Razavian and C. Fernandez-Granda,
       "Early-learning regularization prevents memorization of noisy labels",
       NeurIPS 2020.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import ELRLoss
    >>> criterion = ELRLoss(n_samples=3, n_classes=2, regularization=3.0)
    >>> logits = torch.tensor([[2.0, 0.0], [0.0, 2.0]])
    >>> rows = torch.tensor([[0, 0], [1, 2]])  # (given label, sample index)
    >>> loss = criterion(logits, rows)
    >>> bool(torch.isfinite(loss)), criterion.targets[1].tolist()
    (True, [0.0, 0.0])
    """

    def __init__(self, n_samples, n_classes, regularization=3.0, momentum=0.7):
        super().__init__()
        if int(n_samples) < 1 or int(n_classes) < 2:
            raise ValueError(
                "n_samples must be >= 1 and n_classes >= 2; got "
                f"n_samples={n_samples!r}, n_classes={n_classes!r}."
            )
        if not regularization >= 0:
            raise ValueError(f"regularization must be >= 0; got {regularization!r}.")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must lie in [0, 1); got {momentum!r}.")
        self.regularization = float(regularization)
        self.momentum = float(momentum)
        self.register_buffer("targets", torch.zeros(int(n_samples), int(n_classes)))

    def regularizer(self, logits, index, weights=None):
        """``mean_i w_i log(1 - <t_i, p_i>)`` of the batch, updating the targets first.

        Parameters
        ----------
        logits : torch.Tensor of shape (n_samples, n_classes)
            Net outputs of the batch.
        index : torch.Tensor of int, shape (n_samples,)
            Row of each batch sample in the target table.
        weights : torch.Tensor of shape (n_samples,), default=None
            Weight ``w_i`` of each batch sample; ``None`` weighs them by 1.

        Returns
        -------
        value : torch.Tensor (scalar)
        """
        if self.targets.device != logits.device:
            self.targets = self.targets.to(logits.device)
        p = torch.softmax(logits, dim=1).clamp(_CLIP, 1.0 - _CLIP)
        if self.training:
            with torch.no_grad():
                fresh = p.detach().to(self.targets.dtype)
                fresh = fresh / fresh.sum(dim=1, keepdim=True)
                self.targets[index] = (
                    self.momentum * self.targets[index] + (1.0 - self.momentum) * fresh
                )
        t = self.targets[index].to(p.dtype)
        terms = torch.log(1.0 - (t * p).sum(dim=1))
        return terms.mean() if weights is None else (weights * terms).mean()

    def forward(self, logits, target):
        """ELR loss of the mini-batch.

        Parameters
        ----------
        logits : torch.Tensor of shape (n_samples, n_classes)
            Net outputs.
        target : torch.Tensor of shape (n_samples, 2) or (n_samples, 3)
            Column 0 the given class index, column 1 the sample's row in the
            target table (its index in the training set), then optionally the
            sample's weight.

        Returns
        -------
        loss : torch.Tensor (scalar)
        """
        labels, index = target[:, 0].long(), target[:, 1].long()
        if target.shape[1] < 3:
            cross_entropy, weights = F.cross_entropy(logits, labels), None
        else:
            weights = target[:, 2].to(logits.dtype)
            cross_entropy = (weights * F.cross_entropy(logits, labels, reduction="none")).mean()
        # The targets are tracked even without regularization (a diagnostic).
        return cross_entropy + self.regularization * self.regularizer(logits, index, weights)
