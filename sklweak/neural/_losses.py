"""Weak-label losses as torch modules, shared by every family.

Each module is a skorch criterion: ``loss(y_pred, y_true)`` with ``y_pred``
the net's logits and ``y_true`` the rows of the weak target passed to
``fit``. The complementary losses compute the same values as the NumPy
functions of :mod:`sklweak.complementary._losses` (the linear backend).
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "BagProportionLoss",
    "ComplementaryLoss",
    "NonNegativePULoss",
    "complementary_forward_loss",
    "complementary_pairwise_loss",
    "complementary_partial_risks",
    "complementary_surrogate_exp_loss",
    "complementary_surrogate_log_loss",
    "complementary_unbiased_loss",
]

# Floor of the forward-corrected probability of the observed complementary label.
_TINY = 1e-12


def _with_gradient_of(value, surrogate):
    """A tensor equal to ``value`` whose gradient is that of ``surrogate``."""
    return surrogate + (value - surrogate).detach()


class BagProportionLoss(nn.Module):
    """DLLP's bag loss: bag mean of predicted probabilities vs bag proportions.

    For each bag ``b`` of the mini-batch, ``q_b`` is the mean over its samples
    of ``softmax(logits)`` and ``p_b`` its given proportions; the loss is the
    mean over bags of ``-sum_k p_bk log q_bk`` (cross-entropy) or of
    ``sum_k p_bk log(p_bk / q_bk)`` (KL divergence, the same gradient). It is
    computed in log space, so it stays finite for any logits. A bag of one
    sample with a one-hot row gives the ordinary cross-entropy.

    A target with a last column of sample weights (positive) makes ``q_b``
    the weighted mean of the bag's probabilities and weighs the bag's loss by
    the mean weight of its samples: a bag whose samples all weigh 2 counts
    as two bags, and a sample of its own bag weighs its cross-entropy.

    Parameters
    ----------
    divergence : {"cross_entropy", "kl"}, default="cross_entropy"
        Reported value; both give the same gradient.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import BagProportionLoss
    >>> logits = torch.zeros(4, 2)
    >>> target = torch.tensor([[0, .5, .5], [0, .5, .5], [1, 1., 0.], [1, 1., 0.]])
    >>> round(BagProportionLoss(divergence="kl")(logits, target).item(), 4)
    0.3466
    """

    def __init__(self, divergence="cross_entropy"):
        super().__init__()
        if divergence not in ("cross_entropy", "kl"):
            raise ValueError(f"divergence must be 'cross_entropy' or 'kl'; got {divergence!r}.")
        self.divergence = divergence

    def forward(self, logits, target):
        """Mean bag loss of the mini-batch.

        Parameters
        ----------
        logits : torch.Tensor of shape (n_samples, n_classes)
            Net outputs.
        target : torch.Tensor of shape (n_samples, 1 + n_classes) or (n_samples, 2 + n_classes)
            Column 0 the bag id, then the bag's class proportions (the LLP bag
            target of :func:`sklweak.llp.make_bag_target`), then optionally
            the sample's weight.

        Returns
        -------
        loss : torch.Tensor (scalar)
        """
        bags, inverse = torch.unique(target[:, 0], return_inverse=True)
        n_bags, n_classes = bags.shape[0], logits.shape[1]
        log_p = F.log_softmax(logits, dim=1)
        index = inverse[:, None].expand(-1, n_classes)
        peak = torch.full((n_bags, n_classes), -math.inf, dtype=log_p.dtype, device=log_p.device)
        peak = peak.scatter_reduce(0, index, log_p.detach(), reduce="amax", include_self=True)
        shares = torch.exp(log_p - peak[inverse])
        counts = torch.bincount(inverse, minlength=n_bags).to(log_p.dtype)
        weighted = target.shape[1] == n_classes + 2
        if weighted:
            weights = target[:, -1].to(log_p.dtype)
            shares = shares * weights[:, None]
            totals = torch.zeros_like(counts).index_add_(0, inverse, weights)
        else:
            totals = counts
        sums = torch.zeros_like(peak).index_add_(0, inverse, shares)
        log_q = peak + torch.log(sums) - torch.log(totals)[:, None]
        given = target[:, 1 : 1 + n_classes].to(log_p.dtype)
        proportions = torch.zeros_like(peak).index_copy_(0, inverse, given)
        terms = -torch.where(proportions > 0, proportions * log_q, torch.zeros_like(log_q))
        if self.divergence == "kl":
            terms = terms + torch.xlogy(proportions, proportions)
        bag_losses = terms.sum(dim=1)
        if weighted:
            bag_losses = bag_losses * (totals / counts)
        return bag_losses.mean()


class NonNegativePULoss(nn.Module):
    """Non-negative PU risk of Kiryo et al. (2017), or the unbiased uPU risk.

    With class prior ``pi``, labeled positives ``P`` and the whole mini-batch
    as the unlabeled sample ``U`` (labeled rows included: the single
    training set reading of SCAR, as in :class:`sklweak.pu.NNPUClassifier`),
    and ``l`` the loss of a margin,

    ``R = pi mean_P l(g) + max(0, mean_U l(-g) - pi mean_P l(-g))``.

    When the negative part falls below ``-beta``, the returned value is still
    the risk but its gradient is that of ``-gamma`` times the negative part,
    so the optimizer climbs it back (Kiryo et al.'s defocusing step).

    Parameters
    ----------
    prior : float in (0, 1)
        Class prior ``P(y = 1)``.
    loss : {"sigmoid", "logistic"}, default="sigmoid"
        ``sigmoid(-z)`` or ``log(1 + exp(-z))`` of the margin ``z``.
    beta : float >= 0, default=0.0
        Tolerance below zero of the negative part.
    gamma : float in [0, 1], default=1.0
        Weight of the climbing step.
    non_negative : bool, default=True
        ``False`` gives the unbiased (uPU) risk.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import NonNegativePULoss
    >>> scores = torch.tensor([2.0, 1.0, -1.0, -2.0])
    >>> labeled = torch.tensor([1.0, 0.0, 0.0, 0.0])
    >>> round(NonNegativePULoss(prior=0.5)(scores, labeled).item(), 4)
    0.1192
    """

    def __init__(self, prior, loss="sigmoid", beta=0.0, gamma=1.0, non_negative=True):
        super().__init__()
        if not 0.0 < prior < 1.0:
            raise ValueError(f"prior must lie in (0, 1); got {prior!r}.")
        if loss not in ("sigmoid", "logistic"):
            raise ValueError(f"loss must be 'sigmoid' or 'logistic'; got {loss!r}.")
        if beta < 0 or not 0.0 <= gamma <= 1.0:
            raise ValueError(
                f"beta must be >= 0 and gamma in [0, 1]; got beta={beta!r}, gamma={gamma!r}."
            )
        self.prior = float(prior)
        self.loss = loss
        self.beta = float(beta)
        self.gamma = float(gamma)
        self.non_negative = bool(non_negative)

    def _margin_loss(self, z):
        return torch.sigmoid(-z) if self.loss == "sigmoid" else F.softplus(-z)

    def risks(self, scores, labeled):
        """Positive and negative parts of the risk.

        Parameters
        ----------
        scores : torch.Tensor of shape (n_samples,) or (n_samples, 1)
            Scores of the positive class.
        labeled : torch.Tensor of shape (n_samples,) or (n_samples, 1)
            1 for a labeled positive, 0 for an unlabeled sample.

        Returns
        -------
        positive, negative : torch.Tensor (scalars)
            ``pi mean_P l(g)`` and ``mean_U l(-g) - pi mean_P l(-g)``.
        """
        g = scores.reshape(-1)
        is_positive = labeled.reshape(-1).to(g.dtype)
        n_positive = is_positive.sum().clamp_min(1.0)
        positive = self.prior * (is_positive * self._margin_loss(g)).sum() / n_positive
        negative = (
            self._margin_loss(-g).mean()
            - self.prior * (is_positive * self._margin_loss(-g)).sum() / n_positive
        )
        return positive, negative

    def forward(self, scores, labeled):
        """The nnPU (or uPU) risk of the mini-batch.

        Parameters
        ----------
        scores : torch.Tensor of shape (n_samples,) or (n_samples, 1)
            Scores of the positive class.
        labeled : torch.Tensor of shape (n_samples,) or (n_samples, 1)
            1 for a labeled positive, 0 for an unlabeled sample.

        Returns
        -------
        risk : torch.Tensor (scalar)
        """
        positive, negative = self.risks(scores, labeled)
        if not self.non_negative:
            return positive + negative
        value = positive + torch.clamp(negative, min=0.0)
        if negative.item() < -self.beta:
            return _with_gradient_of(value, -self.gamma * negative)
        return value


def complementary_surrogate_log_loss(logits, excluded):
    """``-log(sum of probabilities of the classes not excluded)``, per sample.

    SCL-NL for one complementary label, the LOG bound for several, the
    cross-entropy when every class but one is excluded.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import complementary_surrogate_log_loss
    >>> loss = complementary_surrogate_log_loss(torch.zeros(1, 2), torch.tensor([[1.0, 0.0]]))
    >>> round(loss.item(), 4)
    0.6931
    """
    kept = logits.masked_fill(excluded.bool(), -math.inf)
    return torch.logsumexp(logits, dim=1) - torch.logsumexp(kept, dim=1)


def complementary_surrogate_exp_loss(logits, excluded):
    """``exp(s - 1)`` with ``s`` the probability mass on the excluded classes.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import complementary_surrogate_exp_loss
    >>> loss = complementary_surrogate_exp_loss(torch.zeros(1, 2), torch.tensor([[1.0, 0.0]]))
    >>> round(loss.item(), 4)
    0.6065
    """
    s = (torch.softmax(logits, dim=1) * excluded.to(logits.dtype)).sum(dim=1)
    return torch.exp(s - 1.0)


def complementary_forward_loss(logits, complementary, transition_matrix):
    """``-log((p Q)[ybar])``: forward correction with the transition matrix ``Q``.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import complementary_forward_loss
    >>> Q = torch.tensor([[0.0, 1.0], [1.0, 0.0]])
    >>> loss = complementary_forward_loss(torch.zeros(1, 2), torch.tensor([0]), Q)
    >>> round(loss.item(), 4)
    0.6931
    """
    p = torch.softmax(logits, dim=1)
    q = (p * transition_matrix.to(p.dtype)[:, complementary].T).sum(dim=1)
    return -torch.log(q.clamp_min(_TINY))


def complementary_pairwise_loss(logits, complementary):
    """``sum_{k != ybar} sigmoid(g_ybar - g_k)``, the pairwise comparison loss.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import complementary_pairwise_loss
    >>> complementary_pairwise_loss(torch.zeros(1, 3), torch.tensor([1])).item()
    1.0
    """
    rows = torch.arange(logits.shape[0], device=logits.device)
    t = torch.sigmoid(logits[rows, complementary][:, None] - logits)
    own = F.one_hot(complementary, logits.shape[1]).bool()
    return t.masked_fill(own, 0.0).sum(dim=1)


def complementary_unbiased_loss(logits, coefficients):
    """``c @ l`` with ``l_k`` the cross-entropy of class ``k`` (rows of ``c`` sum to 1).

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import complementary_unbiased_loss
    >>> c = torch.tensor([[-1.0, 1.0, 1.0]])
    >>> round(complementary_unbiased_loss(torch.zeros(1, 3), c).item(), 4)
    1.0986
    """
    return torch.logsumexp(logits, dim=1) - (coefficients.to(logits.dtype) * logits).sum(dim=1)


def complementary_partial_risks(logits, coefficients, weights):
    """Class-wise parts ``R_k = sum_i w_i c_ik CE(g_i, k)`` of the unbiased risk.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import complementary_partial_risks
    >>> c = torch.tensor([[-1.0, 1.0, 1.0]])
    >>> complementary_partial_risks(torch.zeros(1, 3), c, torch.ones(1)).shape
    torch.Size([3])
    """
    ce = torch.logsumexp(logits, dim=1, keepdim=True) - logits
    return (coefficients.to(logits.dtype) * weights[:, None].to(logits.dtype) * ce).sum(dim=0)


def _coefficients(excluded, inverse_transition):
    """Torch twin of :func:`sklweak.complementary._losses.unbiased_risk_coefficients`."""
    if inverse_transition is not None:
        return inverse_transition[excluded.argmax(dim=1)]
    n_classes = excluded.shape[1]
    sizes = excluded.sum(dim=1, keepdim=True)
    return 1.0 - (n_classes - 1) / sizes * excluded


class ComplementaryLoss(nn.Module):
    """Complementary-label losses of a softmax model, as one skorch criterion.

    The target row of a sample is its 0/1 mask of complementary labels (1 =
    "not this class", shape ``(n_samples, n_classes)``), optionally followed by
    one column of sample weights. The mini-batch loss is the weighted mean of
    the per-sample loss (see :class:`sklweak.complementary.ComplementaryLabelClassifier`
    for the formulas):

    - ``"pc"``: pairwise comparison; ``"fwd"``: forward correction (with the
      uniform matrix, the log loss on the non-excluded classes plus a
      constant, so it is computed as ``"scl_nl"`` as in the linear backend);
      ``"ure"``: unbiased risk estimator; ``"scl_nl"``, ``"scl_exp"``:
      surrogate complementary losses; ``"ce"``: cross-entropy on the
      non-excluded mass (full information);
    - ``"ure_ga"``: the class-wise parts ``R_k`` of the unbiased risk. The
      value is ``sum_k max(R_k, 0)``; when some part is negative the gradient
      is that of minus the sum of the negative parts (gradient ascent,
      Ishida et al. 2019). Each complementary label's batch mean is weighted
      by ``label_prior`` (its share in the training set) when given, as in the
      linear backend.

    Parameters
    ----------
    loss : {"pc", "fwd", "ure", "ure_ga", "scl_nl", "scl_exp", "ce"}
        The loss.
    transition_matrix : array-like of shape (n_classes, n_classes), default=None
        ``Q[j, k] = P(ybar = k | y = j)`` for ``"fwd"``, ``"ure"``,
        ``"ure_ga"``; ``None`` for uniform labels.
    label_prior : array-like of shape (n_classes,), default=None
        Share of each complementary label in the training set, for
        ``"ure_ga"``.

    Examples
    --------
    >>> import torch
    >>> from sklweak.neural import ComplementaryLoss
    >>> excluded = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    >>> round(ComplementaryLoss("scl_nl")(torch.zeros(2, 3), excluded).item(), 4)
    0.4055
    """

    _LOSSES = ("pc", "fwd", "ure", "ure_ga", "scl_nl", "scl_exp", "ce")

    def __init__(self, loss, transition_matrix=None, label_prior=None):
        super().__init__()
        if loss not in self._LOSSES:
            raise ValueError(f"loss must be one of {self._LOSSES}; got {loss!r}.")
        self.loss = loss
        if transition_matrix is None:
            self.register_buffer("transition_matrix", None)
            self.register_buffer("inverse_transition", None)
        else:
            Q = torch.as_tensor(transition_matrix, dtype=torch.float64)
            self.register_buffer("transition_matrix", Q.float())
            self.register_buffer("inverse_transition", torch.linalg.inv(Q).float())
        self.register_buffer(
            "label_prior",
            None if label_prior is None else torch.as_tensor(label_prior, dtype=torch.float32),
        )

    def per_sample(self, logits, excluded):
        """Per-sample loss (not defined for ``"ure_ga"``, a batch-level risk).

        Parameters
        ----------
        logits : torch.Tensor of shape (n_samples, n_classes)
        excluded : torch.Tensor of shape (n_samples, n_classes)
            0/1 mask of complementary labels.

        Returns
        -------
        loss : torch.Tensor of shape (n_samples,)
        """
        excluded = excluded.to(logits.dtype)
        name = self.loss
        if name in ("ce", "scl_nl") or (name == "fwd" and self.transition_matrix is None):
            return complementary_surrogate_log_loss(logits, excluded)
        if name == "scl_exp":
            return complementary_surrogate_exp_loss(logits, excluded)
        if name == "fwd":
            return complementary_forward_loss(
                logits, excluded.argmax(dim=1), self.transition_matrix
            )
        if name == "pc":
            return complementary_pairwise_loss(logits, excluded.argmax(dim=1))
        if name == "ure":
            return complementary_unbiased_loss(
                logits, _coefficients(excluded, self.inverse_transition)
            )
        raise ValueError("loss='ure_ga' is a batch-level risk; use forward().")

    def forward(self, logits, target):
        """Weighted mean loss of the mini-batch.

        Parameters
        ----------
        logits : torch.Tensor of shape (n_samples, n_classes)
            Net outputs.
        target : torch.Tensor of shape (n_samples, n_classes) or (n_samples, n_classes + 1)
            Mask of complementary labels, then optionally sample weights.

        Returns
        -------
        loss : torch.Tensor (scalar)
        """
        n_classes = logits.shape[1]
        excluded = target[:, :n_classes].to(logits.dtype)
        if target.shape[1] > n_classes:
            weights = target[:, n_classes].to(logits.dtype)
        else:
            weights = torch.ones(logits.shape[0], dtype=logits.dtype, device=logits.device)
        if self.loss != "ure_ga":
            return (weights * self.per_sample(logits, excluded)).sum() / weights.sum()
        index = excluded.argmax(dim=1)
        if self.label_prior is None:
            w = weights / weights.sum()
        else:
            totals = torch.zeros(n_classes, dtype=logits.dtype, device=logits.device)
            totals = totals.index_add(0, index, weights)
            w = self.label_prior.to(logits.dtype)[index] * weights / totals[index]
        risks = complementary_partial_risks(
            logits, _coefficients(excluded, self.inverse_transition), w
        )
        value = torch.clamp(risks, min=0.0).sum()
        negative = risks < 0
        if bool(negative.any()):
            return _with_gradient_of(value, -(risks * negative).sum())
        return value
