"""Estimators of the labeling functions' conditional vote probabilities.

Every method returns ``log_conf`` of shape ``(n_functions, n_classes,
n_classes + 1)``: ``log P(function j outputs o | true class y)`` at
``[j, y, o]``, the last output being "abstain". The posterior of a row is then
naive Bayes over its votes (:func:`log_posterior`), optionally with one
exponent per function (a power likelihood) that down-weights near-copies.
All work on the sparse vote indicator (see ``_votes.vote_indicator``), so one
pass costs one sparse product over the votes, not over the abstentions.
"""

import warnings

import numpy as np
from scipy.optimize import minimize
from sklearn.exceptions import ConvergenceWarning

from ._votes import pairwise_agreement, vote_counts, weigh_rows

__all__ = []

_FLOOR = 1e-6
_SIMILARITY_ROWS = 200_000


def _normalize_log(log_post, weights=None):
    """(posterior, log-likelihood of the rows, weighted by ``weights``)."""
    peak = log_post.max(axis=1, keepdims=True)
    post = np.exp(log_post - peak)
    totals = post.sum(axis=1, keepdims=True)
    return post / totals, float(np.sum(weigh_rows(peak + np.log(totals), weights)))


def log_posterior(indicator, log_conf, log_prior, function_weights=None, abstain_weight=1.0):
    """Unnormalized ``log P(y, votes)`` of every row: ``(n_samples, n_classes)``.

    ``abstain_weight`` scales the evidence of abstentions (0: only votes count).
    """
    n_functions, n_classes, _ = log_conf.shape
    weights = np.ones(n_functions) if function_weights is None else function_weights
    abstain = abstain_weight * log_conf[:, :, n_classes] * weights[:, None]
    delta = (log_conf[:, :, :n_classes] - abstain_weight * log_conf[:, :, n_classes:]) * weights[
        :, None, None
    ]
    by_vote = delta.transpose(0, 2, 1).reshape(n_functions * n_classes, n_classes)
    return log_prior + abstain.sum(axis=0) + indicator @ by_vote


def one_coin_log_conf(accuracy, coverage, n_classes):
    """Functions right with probability ``accuracy`` when they vote, wrong votes
    spread evenly over the other classes, abstaining at ``coverage`` whatever the class."""
    accuracy = np.clip(accuracy, 1.0 / n_classes + _FLOOR, 1 - _FLOOR)
    coverage = np.clip(coverage, _FLOOR, 1 - _FLOOR)
    wrong = coverage * (1 - accuracy) / (n_classes - 1)
    conf = np.repeat(wrong[:, None, None], n_classes, axis=1).repeat(n_classes + 1, axis=2)
    diagonal = np.arange(n_classes)
    conf[:, diagonal, diagonal] = (coverage * accuracy)[:, None]
    conf[:, :, n_classes] = (1 - coverage)[:, None]
    return np.log(conf)


def _total_weight(n_samples, weights):
    return n_samples if weights is None else float(np.sum(weights))


def _coverage(indicator, n_classes, weights=None):
    n_functions = indicator.shape[1] // n_classes
    per_column = np.asarray(weigh_rows(indicator, weights).sum(axis=0)).ravel()
    return per_column.reshape(n_functions, n_classes).sum(axis=1) / _total_weight(
        indicator.shape[0], weights
    )


def majority_posterior(indicator, n_classes, class_prior, negative=None):
    """Vote shares of covered rows; ``class_prior`` on rows without a vote."""
    counts = vote_counts(indicator, n_classes, negative)
    totals = counts.sum(axis=1, keepdims=True)
    shares = counts / np.maximum(totals, 1)
    return np.where(totals > 0, shares, class_prior)


def _agreement_accuracy(indicator, votes, n_classes, labeled, weights=None):
    """Each function's accuracy, read from a few true labels where it voted on
    at least 5 of them, else from its agreement with the other functions' majority."""
    counts = vote_counts(indicator, n_classes)
    rows, cols = np.nonzero(votes >= 0)
    given = votes[rows, cols]
    vote_weight = None if weights is None else weights[rows]
    others = counts[rows].copy()
    others[np.arange(rows.shape[0]), given] -= 1
    decided = others.max(axis=1) > 0
    top = others.max(axis=1, keepdims=True)
    share_right = (others[np.arange(rows.shape[0]), given] == top[:, 0]) / np.maximum(
        (others == top).sum(axis=1), 1
    )
    n_functions = votes.shape[1]
    agree = np.bincount(
        cols[decided], weigh_rows(share_right, vote_weight)[decided], minlength=n_functions
    )
    seen = np.bincount(cols[decided], _select(vote_weight, decided), minlength=n_functions)
    accuracy = (agree + 1) / (seen + 2)
    if labeled is not None:
        mask = labeled[rows] >= 0
        right = np.bincount(
            cols[mask],
            weigh_rows((given == labeled[rows]).astype(np.float64), vote_weight)[mask],
            minlength=n_functions,
        )
        n_labeled = np.bincount(cols[mask], _select(vote_weight, mask), minlength=n_functions)
        use = n_labeled >= 5
        accuracy[use] = (right[use] + 1) / (n_labeled[use] + 2)
    return accuracy


def _select(weights, mask):
    return None if weights is None else weights[mask]


def weighted_vote_log_conf(indicator, votes, n_classes, labeled, weights=None):
    """One-coin model whose accuracies come from agreement (or a few labels), no EM."""
    accuracy = _agreement_accuracy(indicator, votes, n_classes, labeled, weights)
    return one_coin_log_conf(accuracy, _coverage(indicator, n_classes, weights), n_classes)


def clamp_to_labels(post, labeled):
    """Set, in place, the posterior of rows with a true label to that label."""
    if labeled is not None:
        known = labeled >= 0
        post[known] = np.eye(post.shape[1])[labeled[known]]
    return post


def em_m_step(indicator, post, n_classes, *, one_coin, class_prior, smoothing, weights=None):
    """(log_conf, log_prior) that maximize the expected log-likelihood under ``post``
    (each row counted ``weights[i]`` times)."""
    n_samples = _total_weight(indicator.shape[0], weights)
    n_functions = indicator.shape[1] // n_classes
    post = weigh_rows(post, weights)
    totals = post.sum(axis=0)
    prior = (totals + smoothing) / (n_samples + n_classes * smoothing)
    if class_prior is not None:
        prior = class_prior
    by_vote = np.asarray(indicator.T @ post).reshape(n_functions, n_classes, n_classes)
    if one_coin:
        right = np.einsum("jkk->j", by_vote)
        accuracy = (right + smoothing) / (by_vote.sum(axis=(1, 2)) + 2 * smoothing)
        log_conf = one_coin_log_conf(accuracy, _coverage(indicator, n_classes, weights), n_classes)
    else:
        abstained = totals[None, :] - by_vote.sum(axis=1)
        conf = np.concatenate(
            [by_vote.transpose(0, 2, 1), np.maximum(abstained, 0)[:, :, None]], axis=2
        )
        conf += smoothing
        log_conf = np.log(conf / conf.sum(axis=2, keepdims=True))
    return log_conf, np.log(prior)


def em_log_conf(
    indicator,
    n_classes,
    *,
    one_coin,
    class_prior,
    labeled,
    init_posterior,
    function_weights,
    max_iter,
    tol,
    smoothing,
    abstain_weight=1.0,
    weights=None,
):
    """Dawid-Skene EM with abstention as an output (``one_coin``: one accuracy per function).

    Returns (log_conf, log_prior, n_iter). ``class_prior=None`` estimates it.
    Rows with a true label (``labeled >= 0``) keep it as their posterior; row
    ``i`` counts ``weights[i]`` times.
    """
    post = clamp_to_labels(init_posterior.copy(), labeled)
    previous = -np.inf
    n_votes = max(
        indicator.nnz if weights is None else float(np.diff(indicator.indptr) @ weights), 1
    )
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (returned after the loop)
        log_conf, log_prior = em_m_step(
            indicator,
            post,
            n_classes,
            one_coin=one_coin,
            class_prior=class_prior,
            smoothing=smoothing,
            weights=weights,
        )
        post, log_likelihood = _normalize_log(
            log_posterior(indicator, log_conf, log_prior, function_weights, abstain_weight),
            weights,
        )
        post = clamp_to_labels(post, labeled)
        change = (log_likelihood - previous) / n_votes
        previous = log_likelihood
        if abs(change) < tol:
            break
    else:
        warnings.warn(
            f"The label model's EM stopped at max_iter={max_iter} with a log-likelihood "
            f"change of {change:.2g} per vote > tol={tol}; increase max_iter.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return log_conf, log_prior, n_iter


def _centered_agreement(indicator, n_classes, min_overlap, weights=None):
    """``(K * agree - 1) / (K - 1)`` of every pair on the rows both vote on (NaN when
    they share fewer than ``min_overlap``): ``s_i * s_j`` under the one-coin model."""
    co_covered, agreed = pairwise_agreement(indicator, n_classes, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        agree = agreed / co_covered
    centered = (n_classes * agree - 1) / (n_classes - 1)
    centered[co_covered < min_overlap] = np.nan
    np.fill_diagonal(centered, np.nan)
    return centered


def triplet_log_conf(indicator, n_classes, *, min_overlap=10, weights=None):
    """FlyingSquid-style closed form: ``s_i^2 = M_ij M_ik / M_jk`` over every triplet.

    ``M`` is the centered agreement of two functions on the rows both vote on
    and ``s_i = (K a_i - 1) / (K - 1)`` the centered accuracy of function
    ``i``; the median over triplets estimates ``s_i^2`` (functions assumed
    better than chance). A function in no usable triplet gets the median accuracy.
    """
    centered = _centered_agreement(indicator, n_classes, min_overlap, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = centered[:, :, None] * centered[:, None, :] / centered[None, :, :]
    n_functions = centered.shape[0]
    distinct = ~np.eye(n_functions, dtype=bool)
    ratio[:, np.arange(n_functions), np.arange(n_functions)] = np.nan
    ratio[~np.isfinite(ratio)] = np.nan
    ratio[np.abs(np.broadcast_to(centered[None, :, :], ratio.shape)) < 0.05] = np.nan
    ratio[~distinct[:, :, None] | ~distinct[:, None, :]] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        squared = np.nanmedian(ratio.reshape(n_functions, -1), axis=1)
    fallback = np.nanmedian(squared) if np.any(np.isfinite(squared)) else 0.25
    squared = np.where(np.isfinite(squared), squared, fallback)
    centered_accuracy = np.sqrt(np.clip(squared, 0.0, 1.0))
    accuracy = (1 + (n_classes - 1) * centered_accuracy) / n_classes
    return one_coin_log_conf(accuracy, _coverage(indicator, n_classes, weights), n_classes)


def matrix_completion_log_conf(
    indicator, n_classes, class_prior, init_posterior, *, max_iter, weights=None
):
    """MeTaL-style fit of ``mu[j K + k, y] = P(function j votes k | y)`` to the overlap matrix.

    Minimizes ``||mask * (O - mu P mu^T)||^2 + ||mu p - diag(O)||^2`` with
    ``O`` the votes' second moments, ``mask`` off the functions' own blocks and
    ``P = diag(p)`` the class prior (as Ratner et al., 2019), by L-BFGS within
    [0, 1] from the estimate that the posterior ``init_posterior`` implies.
    """
    n_samples = _total_weight(indicator.shape[0], weights)
    n_columns = indicator.shape[1]
    n_functions = n_columns // n_classes
    overlap = (indicator.T @ weigh_rows(indicator, weights)).toarray() / n_samples
    block = np.kron(np.eye(n_functions), np.ones((n_classes, n_classes)))
    mask = 1.0 - block
    marginal = np.diag(overlap).copy()
    prior = class_prior
    init_posterior = weigh_rows(init_posterior, weights)
    mu0 = np.asarray(indicator.T @ init_posterior) / np.maximum(init_posterior.sum(axis=0), _FLOOR)

    def loss_and_grad(flat):
        mu = flat.reshape(n_columns, n_classes)
        residual = mask * (overlap - (mu * prior) @ mu.T)
        gap = mu @ prior - marginal
        loss = np.sum(residual**2) + np.sum(gap**2)
        grad = -4 * residual @ (mu * prior) + 2 * np.outer(gap, prior)
        return loss, grad.ravel()

    result = minimize(
        loss_and_grad,
        mu0.ravel(),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, 1.0)] * mu0.size,
        options={"maxiter": max_iter},
    )
    mu = result.x.reshape(n_functions, n_classes, n_classes).transpose(0, 2, 1)
    abstain = np.clip(1 - mu.sum(axis=2, keepdims=True), _FLOOR, 1)
    conf = np.concatenate([np.clip(mu, _FLOOR, 1), abstain], axis=2)
    conf /= conf.sum(axis=2, keepdims=True)
    return np.log(conf), result.nit


def copy_weights(votes, indicator, n_classes, threshold, weights=None):
    """One exponent per function: ``1 / (number of its near-copies + 1)``.

    Two functions are near-copies when, of the rows either votes on, more
    than ``threshold`` get the same vote from both (an agreement Jaccard
    index), so a rule written twice with a shifted threshold counts once.
    """
    # Similarities need no million rows: an evenly spaced subsample keeps it fast.
    step = -(-votes.shape[0] // _SIMILARITY_ROWS)
    indicator, votes = indicator[::step], votes[::step]
    weights = _select(weights, slice(None, None, step))
    co_covered, agreed = pairwise_agreement(indicator, n_classes, weights)
    covered = weigh_rows(votes >= 0, weights).sum(axis=0).astype(np.float64)
    union = covered[:, None] + covered[None, :] - co_covered
    with np.errstate(invalid="ignore", divide="ignore"):
        similarity = np.where(union > 0, agreed / union, 0.0)
    near = similarity > threshold
    np.fill_diagonal(near, True)
    return 1.0 / near.sum(axis=1)
