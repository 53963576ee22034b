"""Loss of a net against soft labels that may be negative (LLP pseudo-labels)."""

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["SoftLabelLoss"]


class SoftLabelLoss(nn.Module):
    """Weighted mean of ``sum_c soft_c * loss(softmax(logits), c)`` over samples.

    The per-sample losses equal those of :func:`sklweak.llp.soft_label_loss`
    (the NumPy version used by the linear LLP estimators):

    - ``"log"``: ``-sum_c soft_c log p_c``, the cross-entropy against the soft
      labels;
    - ``"squared"``: ``||p - soft||^2``, the Brier score up to a constant.

    Soft labels may lie outside [0, 1] (EasyLLP's debiased labels) as long as
    each row sums to 1. The target's last column is a per-sample weight; the
    loss is ``sum_i w_i loss_i / n`` over the mini-batch, so weights of 1 give
    the plain mean.

    Parameters
    ----------
    loss : {"log", "squared"}, default="log"
        The instance loss.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import SoftLabelLoss
    >>> target = torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    >>> round(SoftLabelLoss("log")(torch.zeros(2, 2), target).item(), 4)
    0.6931
    >>> round(SoftLabelLoss("squared")(torch.zeros(2, 2), target).item(), 4)
    0.5
    """

    def __init__(self, loss="log"):
        super().__init__()
        if loss not in ("log", "squared"):
            raise ValueError(f"loss must be 'log' or 'squared'; got {loss!r}.")
        self.loss = loss

    def per_sample(self, logits, soft_labels):
        """Loss of each sample.

        Parameters
        ----------
        logits : torch.Tensor of shape (n_samples, n_classes)
            Net outputs.
        soft_labels : torch.Tensor of shape (n_samples, n_classes)
            Soft labels, rows summing to 1.

        Returns
        -------
        loss : torch.Tensor of shape (n_samples,)
        """
        soft_labels = soft_labels.to(logits.dtype)
        if self.loss == "log":
            return -(soft_labels * F.log_softmax(logits, dim=1)).sum(dim=1)
        residual = torch.softmax(logits, dim=1) - soft_labels
        return (residual * residual).sum(dim=1)

    def forward(self, logits, target):
        """Weighted mean loss of the mini-batch.

        Parameters
        ----------
        logits : torch.Tensor of shape (n_samples, n_classes)
            Net outputs.
        target : torch.Tensor of shape (n_samples, n_classes + 1)
            The soft labels, then each sample's weight.

        Returns
        -------
        loss : torch.Tensor (scalar)
        """
        weights = target[:, -1].to(logits.dtype)
        return (weights * self.per_sample(logits, target[:, :-1])).mean()
