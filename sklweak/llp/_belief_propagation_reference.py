"""Loopy belief propagation for LLP, in plain NumPy.

The readable reference of ``_belief_propagation_fast``: same functions, same
signatures, same results up to rounding. It is used by the parity tests and,
when asked for (``SKLWEAK_KERNELS=reference``), in place of the compiled
module.

The model is a binary Gibbs distribution over instance labels
``y_i in {0, 1}``::

    p(y) ∝ prod_i exp(prior_i * y_i)
           prod_{(i, j) in E} exp(-coupling_ij * [y_i != y_j])
           prod_{bags B} exp(-bag_strength * (sum_{i in B} y_i - target_B) ** 2)

Every message is a log-odds ratio ``log m(1) - log m(0)``. The bag factor
depends on its members only through their count, so its message to member
``i`` sums the factor over the count of the other members. With ``A_i`` the
count distribution of the members before ``i`` and ``B_{i+1}(t)`` the factor
summed over the members after ``i`` given a count ``t`` so far (both built by
one-member recursions), the message is ``sum_t A_i(t) B_{i+1}(t + y_i)``:
``O(size)`` per member, ``O(size ** 2)`` per bag, hence ``O(n_samples *
bag size)`` per iteration. This module works in the log domain throughout.
"""

import numpy as np

__all__ = ["count_factor_messages", "pairwise_messages", "run_belief_propagation"]


def _log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def _logsumexp(x):
    top = x.max()
    if not np.isfinite(top):
        return top
    return top + np.log(np.exp(x - top).sum())


def pairwise_messages(cavity, coupling):
    """Messages of similarity factors, as log-odds.

    The factor ``exp(-coupling * [y_i != y_j])`` turns the cavity log-odds of
    ``y_i`` (its belief without this factor's message) into a message to
    ``y_j``.

    Parameters
    ----------
    cavity : ndarray of float64
        Cavity log-odds of the sending variables.
    coupling : ndarray of float64
        Non-negative coupling of each factor, same shape.

    Returns
    -------
    messages : ndarray of float64
        ``log(e**h + e**-w) - log(e**(h - w) + 1)`` for cavity ``h`` and
        coupling ``w``: between ``-w`` and ``w``, with the sign of ``h``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.llp._belief_propagation_reference import pairwise_messages
    >>> pairwise_messages(np.array([0.0, 50.0]), np.array([1.0, 2.0])).round(6)
    array([0., 2.])
    """
    cavity = np.asarray(cavity, dtype=np.float64)
    coupling = np.asarray(coupling, dtype=np.float64)
    return np.logaddexp(cavity, -coupling) - np.logaddexp(cavity - coupling, 0.0)


def count_factor_messages(cavity, target, strength):
    """Messages of one bag's count factor to its members, as log-odds.

    The factor is ``exp(-strength * (count - target) ** 2)`` with ``count``
    the number of members labelled 1.

    Parameters
    ----------
    cavity : ndarray of float64, shape (bag_size,)
        Cavity log-odds of the members (their beliefs without this factor).
    target : float
        The count the bag's proportion asks for, ``bag_size * proportion``.
    strength : float
        Non-negative weight of the squared count error.

    Returns
    -------
    messages : ndarray of float64, shape (bag_size,)
        Log-odds message to each member.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.llp._belief_propagation_reference import count_factor_messages
    >>> count_factor_messages(np.array([0.0]), 1.0, 2.0)
    array([2.])
    """
    cavity = np.asarray(cavity, dtype=np.float64)
    size = cavity.shape[0]
    log_one = _log_sigmoid(cavity)
    log_zero = _log_sigmoid(-cavity)
    counts = np.arange(size + 1, dtype=np.float64)
    after = [None] * (size + 1)
    after[size] = -strength * (counts - target) ** 2
    for j in range(size - 1, -1, -1):
        following = after[j + 1]
        after[j] = np.logaddexp(log_zero[j] + following[:-1], log_one[j] + following[1:])
    before = np.zeros(1)
    messages = np.empty(size)
    for i in range(size):
        following = after[i + 1]
        messages[i] = _logsumexp(before + following[1:]) - _logsumexp(before + following[:-1])
        before = np.logaddexp(
            np.append(before + log_zero[i], -np.inf),
            np.insert(before + log_one[i], 0, -np.inf),
        )
    return messages


def run_belief_propagation(
    indptr,
    indices,
    reverse,
    coupling,
    bag_indptr,
    bag_members,
    bag_targets,
    bag_strength,
    prior,
    damping,
    max_iter,
    tol,
):
    """Marginals of the LLP Gibbs distribution by damped loopy BP.

    Every iteration computes all messages from the current ones (a parallel
    schedule): similarity messages along each directed edge and count-factor
    messages of each bag. New messages are ``damping * old + (1 - damping) *
    computed``.

    Parameters
    ----------
    indptr, indices : ndarray of int
        CSR structure of a symmetric graph without self-loops (both
        directions of every edge stored).
    reverse : ndarray of int, shape (n_edges,)
        Position of the edge ``(j, i)`` for the edge ``(i, j)`` at each
        position.
    coupling : ndarray of float64, shape (n_edges,)
        Non-negative coupling of each edge, equal in both directions.
    bag_indptr : ndarray of int64, shape (n_bags + 1,)
        Bag ``b``'s members are ``bag_members[bag_indptr[b]:bag_indptr[b + 1]]``.
    bag_members : ndarray of int64
        Sample indices, each in at most one bag; samples in no bag get no bag
        message.
    bag_targets : ndarray of float64, shape (n_bags,)
        Target count of each bag.
    bag_strength : float
        Weight of the squared count error of every bag factor.
    prior : ndarray of float64, shape (n_samples,)
        Unary log-odds of each sample.
    damping : float
        Share of the old message kept at each update, in [0, 1).
    max_iter : int
        Most iterations.
    tol : float
        Stop after the first iteration whose largest change of a computed
        message against the current one is below ``tol``.

    Returns
    -------
    marginals : ndarray of float64, shape (n_samples,)
        Belief that each label is 1.
    n_iter : int
        Iterations run.
    converged : bool
        Whether the stopping test passed within ``max_iter`` iterations.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.llp._belief_propagation_reference import (
    ...     run_belief_propagation)
    >>> marginals, n_iter, converged = run_belief_propagation(
    ...     indptr=np.array([0, 1, 2]), indices=np.array([1, 0]),
    ...     reverse=np.array([1, 0]), coupling=np.array([3.0, 3.0]),
    ...     bag_indptr=np.array([0]), bag_members=np.array([], dtype=np.int64),
    ...     bag_targets=np.array([]), bag_strength=1.0,
    ...     prior=np.array([2.0, 0.0]), damping=0.0, max_iter=50, tol=1e-12)
    >>> marginals.round(3).tolist(), converged
    ([0.881, 0.845], True)
    """
    indptr = np.asarray(indptr)
    indices = np.asarray(indices)
    reverse = np.asarray(reverse)
    coupling = np.asarray(coupling, dtype=np.float64)
    bag_indptr = np.asarray(bag_indptr)
    bag_members = np.asarray(bag_members)
    bag_targets = np.asarray(bag_targets, dtype=np.float64)
    prior = np.asarray(prior, dtype=np.float64)
    n_samples = prior.shape[0]
    if indptr.shape[0] != n_samples + 1 or indptr[-1] != indices.shape[0]:
        raise ValueError("indptr and indices do not describe an n_samples graph.")
    if reverse.shape[0] != indices.shape[0] or coupling.shape[0] != indices.shape[0]:
        raise ValueError("reverse and coupling need one entry per edge.")
    if bag_indptr.shape[0] != bag_targets.shape[0] + 1:
        raise ValueError("bag_indptr needs one entry more than bag_targets.")
    rows = np.repeat(np.arange(n_samples), np.diff(indptr))
    edge_messages = np.zeros(indices.shape[0])
    bag_messages = np.zeros(n_samples)
    converged = False
    n_iter = 0
    while n_iter < max_iter:
        field = prior + bag_messages + np.bincount(rows, edge_messages, minlength=n_samples)
        new_edges = pairwise_messages(field[indices] - edge_messages[reverse], coupling)
        new_bags = np.zeros(n_samples)
        for b in range(bag_targets.shape[0]):
            members = bag_members[bag_indptr[b] : bag_indptr[b + 1]]
            new_bags[members] = count_factor_messages(
                field[members] - bag_messages[members], bag_targets[b], bag_strength
            )
        change = max(
            np.abs(new_edges - edge_messages).max(initial=0.0),
            np.abs(new_bags - bag_messages).max(initial=0.0),
        )
        edge_messages = damping * edge_messages + (1.0 - damping) * new_edges
        bag_messages = damping * bag_messages + (1.0 - damping) * new_bags
        n_iter += 1
        if change < tol:
            converged = True
            break
    field = prior + bag_messages + np.bincount(rows, edge_messages, minlength=n_samples)
    return np.exp(_log_sigmoid(field)), n_iter, converged
