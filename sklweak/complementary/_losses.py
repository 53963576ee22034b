"""Complementary-label losses of a softmax model, with their gradients.

Every function takes the logits ``G`` of shape ``(n_samples, n_classes)`` and
returns the per-sample loss and its gradient with respect to ``G``. ``excluded``
is the boolean matrix of complementary labels (True = "not this class");
``complementary`` is the column index of the single complementary label of
each row, for the losses defined on one label only.
"""

import numpy as np
from scipy.special import expit, logsumexp

__all__ = [
    "forward_loss",
    "pairwise_comparison_loss",
    "partial_risks",
    "surrogate_exp_loss",
    "surrogate_log_loss",
    "unbiased_loss",
    "unbiased_risk_coefficients",
]

# Floor of the forward-corrected probability of the observed complementary label.
_TINY = 1e-12


def _softmax(G):
    lse = logsumexp(G, axis=1, keepdims=True)
    return np.exp(G - lse), lse


def surrogate_log_loss(G, excluded):
    """``-log(sum of probabilities of the classes not excluded)``.

    SCL-NL for one complementary label, Feng et al.'s LOG bound for several,
    and the cross-entropy when every class but one is excluded.
    """
    P, lse = _softmax(G)
    kept = np.where(excluded, -np.inf, G)
    lse_kept = logsumexp(kept, axis=1, keepdims=True)
    P_kept = np.exp(kept - lse_kept)
    return (lse - lse_kept)[:, 0], P - P_kept


def surrogate_exp_loss(G, excluded):
    """``exp(s - 1)`` with ``s`` the probability mass on the excluded classes."""
    P, _ = _softmax(G)
    s = np.sum(P * excluded, axis=1)
    loss = np.exp(s - 1.0)
    return loss, loss[:, None] * P * (excluded - s[:, None])


def forward_loss(G, complementary, transition_matrix):
    """``-log((p Q)[ybar])``: forward correction with transition matrix ``Q``."""
    P, _ = _softmax(G)
    column = transition_matrix[:, complementary].T
    q = np.maximum(np.sum(P * column, axis=1), _TINY)
    return -np.log(q), P * (1.0 - column / q[:, None])


def pairwise_comparison_loss(G, complementary):
    """``sum_{k != ybar} sigmoid(g_ybar - g_k)``: the sigmoid loss on each pair."""
    n_samples = G.shape[0]
    rows = np.arange(n_samples)
    t = expit(G[rows, complementary][:, None] - G)
    t[rows, complementary] = 0.0
    slope = t * (1.0 - t)
    grad = -slope
    grad[rows, complementary] = slope.sum(axis=1)
    return t.sum(axis=1), grad


def unbiased_loss(G, coefficients):
    """``c . l`` with ``l_k`` the cross-entropy of class ``k``.

    ``c`` is a row of :func:`unbiased_risk_coefficients`
    (``Q^{-1}[ybar]`` for one label); rows sum to 1, so the loss is
    ``lse(g) - c . g``.
    """
    P, lse = _softmax(G)
    return lse[:, 0] - np.sum(coefficients * G, axis=1), P - coefficients


def partial_risks(G, coefficients, weights):
    """Class-wise parts ``R_k`` of the unbiased risk and their gradients.

    ``R_k = sum_i w_i c_ik * CE(g_i, k)`` estimates
    ``P(y = k) E[CE(g, k) | y = k]``, which is non-negative.

    Returns
    -------
    risks : ndarray of shape (n_classes,)
    gradient : callable
        ``gradient(mask)`` is the gradient of ``sum_{k in mask} R_k`` with
        respect to ``G``.
    """
    P, lse = _softmax(G)
    C = coefficients * weights[:, None]
    risks = np.sum(C * (lse - G), axis=0)

    def gradient(mask):
        Cm = C * mask
        return Cm.sum(axis=1)[:, None] * P - Cm

    return risks, gradient


def unbiased_risk_coefficients(excluded, inverse_transition=None):
    """Coefficients turning complementary labels into an unbiased risk.

    For any loss vector ``l`` (the loss under each possible true class),
    ``E[c . l] = E[l[y]]`` with ``c`` the row of the returned matrix:

    - one label per sample and a transition matrix ``Q``: ``c = Q^{-1}[ybar]``;
    - uniform labels, ``s`` of them per sample drawn uniformly among the other
      classes (``s`` independent of the true class, Feng et al. 2020):
      ``c_k = 1 - (K - 1) / s * [k excluded]``, i.e. ``1 - (K - 1) [k = ybar]``
      for one label (Ishida et al. 2019).

    Every row sums to 1.

    Parameters
    ----------
    excluded : ndarray of bool, shape (n_samples, n_classes)
        Complementary labels, True = "not this class".
    inverse_transition : ndarray of shape (n_classes, n_classes), default=None
        ``Q^{-1}`` for biased single labels; ``None`` for uniform labels.

    Returns
    -------
    coefficients : ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.complementary._losses import unbiased_risk_coefficients
    >>> unbiased_risk_coefficients(np.array([[True, False, False]]))
    array([[-1.,  1.,  1.]])
    """
    excluded = np.asarray(excluded, dtype=bool)
    n_classes = excluded.shape[1]
    if inverse_transition is not None:
        if np.any(excluded.sum(axis=1) != 1):
            raise ValueError(
                "A transition matrix describes one complementary label per sample; "
                "y holds several in some rows."
            )
        return np.asarray(inverse_transition)[excluded.argmax(axis=1)]
    sizes = excluded.sum(axis=1, keepdims=True)
    return 1.0 - (n_classes - 1) / sizes * excluded
