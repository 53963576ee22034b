"""Multi-label confident learning: one binary problem per class."""

from numbers import Real

import numpy as np

from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._confident_learning import (
    FILTER_RULES,
    QUALITY_METHODS,
    find_label_issues,
    label_quality_scores,
)

__all__ = ["find_multilabel_issues", "multilabel_quality_scores"]


def _check_multilabel(labels_indicator, pred_probs):
    labels = np.asarray(labels_indicator)
    probs = np.asarray(pred_probs)
    if labels.ndim != 2:
        raise ValueError(
            "labels_indicator must be a 2-D 0/1 matrix (n_samples, n_classes); got "
            f"shape {labels.shape}."
        )
    if probs.shape != labels.shape:
        raise ValueError(
            f"pred_probs must have the shape of labels_indicator {labels.shape}; got {probs.shape}."
        )
    if labels.shape[0] == 0 or labels.shape[1] == 0:
        raise ValueError(f"labels_indicator is empty (shape {labels.shape}).")
    if labels.dtype.kind not in "biuf" or not np.all((labels == 0) | (labels == 1)):
        raise ValueError("labels_indicator must hold only 0 and 1.")
    if probs.dtype.kind not in "biuf":
        raise ValueError(f"pred_probs must hold numbers; got dtype {probs.dtype}.")
    probs = probs.astype(np.float64, copy=False)
    bad = ~(np.isfinite(probs) & (probs >= 0) & (probs <= 1))
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            "pred_probs must be probabilities in [0, 1] (one independent probability "
            f"per class); entry ({row}, {col}) is {probs[row, col]}."
        )
    return labels.astype(np.int64), probs


@validate_params(
    {
        "labels_indicator": ["array-like"],
        "pred_probs": ["array-like"],
        "filter_by": [StrOptions(set(FILTER_RULES))],
        "frac_noise": [Interval(Real, 0, 1, closed="right")],
        "per_class": ["boolean"],
        "return_indices_ranked_by": [StrOptions(set(QUALITY_METHODS)), None],
    },
    prefer_skip_nested_validation=True,
)
def find_multilabel_issues(
    labels_indicator,
    pred_probs,
    *,
    filter_by="confident_learning",
    frac_noise=1.0,
    per_class=False,
    return_indices_ranked_by=None,
):
    """Flag the samples whose multi-label tags are likely wrong.

    Each class ``k`` is its own binary problem: the given tag
    ``labels_indicator[:, k]`` against the probabilities
    ``(1 - pred_probs[:, k], pred_probs[:, k])``, on which
    :func:`find_label_issues` applies the rule ``filter_by``. A sample has an
    issue when any of its tags is flagged. A class tagged on every sample or
    on none has no confident joint to estimate and flags nothing.

    Parameters
    ----------
    labels_indicator : array-like of shape (n_samples, n_classes)
        Given tags, 1 where the sample is tagged with the class.
    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample probability that each sample has each tag (independent
        per class; rows need not sum to 1), e.g. from a one-vs-rest model.
    filter_by : {"prune_by_noise_rate", "prune_by_class", "both", \
            "confident_learning", "predicted_neq_given"}, \
            default="confident_learning"
        Rule of :func:`find_label_issues` on every class. The default flags
        the tags confidently of the other value (off the diagonal of each
        class's confident joint); it had the best F1 in
        ``benchmarks/bench_noise_defaults.py`` (multilabel part: 0.504 mean
        over 4 cells of 5 seeds, against 0.480 for cleanlab's default
        ``"prune_by_noise_rate"``, which gives the same masks as cleanlab's
        multi-label ``find_label_issues``).
    frac_noise : float, default=1.0
        Fraction of the estimated number of issues of each class to flag;
        used by the pruning rules only (``"prune_by_noise_rate"``,
        ``"prune_by_class"``, ``"both"``), so it has no effect with the
        default rule.
    per_class : bool, default=False
        Return the ``(n_samples, n_classes)`` mask of flagged tags instead of
        the per-sample mask. Not allowed with ``return_indices_ranked_by``.
    return_indices_ranked_by : {"self_confidence", "normalized_margin", \
            "confidence_weighted_entropy"} or None, default=None
        Return the indices of the flagged samples, most likely wrong first,
        instead of a mask: by increasing
        ``multilabel_quality_scores(..., tag_score=return_indices_ranked_by,
        method="ema")``, ties in index order.

    Returns
    -------
    issues : ndarray
        Boolean mask of the flagged samples, shape ``(n_samples,)``; of the
        flagged tags, shape ``(n_samples, n_classes)``, with
        ``per_class=True``; or the int64 indices of the flagged samples, ranked,
        with ``return_indices_ranked_by``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.noise import find_multilabel_issues
    >>> rng = np.random.RandomState(0)
    >>> tags = (rng.rand(200, 3) < 0.4).astype(int)
    >>> probs = np.clip(0.8 * tags + 0.1 + 0.05 * rng.randn(200, 3), 0, 1)
    >>> noisy = tags.copy()
    >>> noisy[:10, 0] = 1 - noisy[:10, 0]
    >>> issues = find_multilabel_issues(noisy, probs)
    >>> int(issues[:10].sum()), int(issues[10:].sum())  # of 10 flipped, 190 clean
    (7, 0)
    >>> ranked = find_multilabel_issues(
    ...     noisy, probs, return_indices_ranked_by="self_confidence")
    >>> sorted(ranked.tolist()) == np.flatnonzero(issues).tolist()
    True
    """
    if per_class and return_indices_ranked_by is not None:
        raise ValueError(
            "per_class=True returns a mask of tags; it cannot be combined with "
            f"return_indices_ranked_by={return_indices_ranked_by!r}."
        )
    labels, probs = _check_multilabel(labels_indicator, pred_probs)
    flagged = np.zeros(labels.shape, dtype=bool)
    for k in range(labels.shape[1]):
        tags = np.ascontiguousarray(labels[:, k])
        if tags.min() == tags.max():
            continue
        binary = np.column_stack([1.0 - probs[:, k], probs[:, k]])
        flagged[:, k] = find_label_issues(tags, binary, filter_by=filter_by, frac_noise=frac_noise)
    if per_class:
        return flagged
    issues = flagged.any(axis=1)
    if return_indices_ranked_by is None:
        return issues
    indices = np.flatnonzero(issues)
    scores = _pooled_scores(
        _tag_scores(labels[indices], probs[indices], return_indices_ranked_by),
        "ema",
        alpha=0.8,
        temperature=None,
    )
    return indices[np.argsort(scores, kind="stable")]


def _tag_scores(labels, probs, tag_score):
    """Score of every tag on its own binary problem, shape of ``labels``."""
    scores = np.empty(labels.shape, dtype=np.float64)
    for k in range(labels.shape[1]):
        binary = np.column_stack([1.0 - probs[:, k], probs[:, k]])
        scores[:, k] = label_quality_scores(labels[:, k], binary, method=tag_score)
    return scores


def _pooled_scores(per_tag, method, *, alpha, temperature):
    """One score per sample from its tags' scores."""
    if method == "min":
        return per_tag.min(axis=1)
    if method == "mean":
        return per_tag.mean(axis=1)
    if method == "ema":
        # From the best tag down to the worst, each step keeps (1 - alpha) of
        # the running average: the worst tag weighs alpha, the best least.
        descending = np.sort(per_tag, axis=1)[:, ::-1]
        pooled = descending[:, 0]
        for column in descending.T[1:]:
            pooled = alpha * column + (1 - alpha) * pooled
        return pooled
    logits = -per_tag / temperature
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    return np.sum(weights * per_tag, axis=1)


@validate_params(
    {
        "labels_indicator": ["array-like"],
        "pred_probs": ["array-like"],
        "method": [StrOptions({"min", "mean", "softmin", "ema"})],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "tag_score": [StrOptions(set(QUALITY_METHODS))],
    },
    prefer_skip_nested_validation=True,
)
def multilabel_quality_scores(
    labels_indicator,
    pred_probs,
    *,
    method="softmin",
    temperature=0.1,
    alpha=0.8,
    tag_score="self_confidence",
):
    """Quality of each sample's tags, from 0 (surely wrong) to 1 (surely right).

    Every tag is scored on its own binary problem (given value against
    ``(1 - p_k, p_k)``) with :func:`label_quality_scores`; a sample's score
    pools its classes' scores.

    Parameters
    ----------
    labels_indicator : array-like of shape (n_samples, n_classes)
        Given tags, 1 where the sample is tagged with the class.
    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample probability of each tag, independent per class.
    method : {"min", "mean", "softmin", "ema"}, default="softmin"
        Pooling over classes: the worst tag; the average; an average weighted
        by ``softmax(-score / temperature)``, close to the worst tag but
        smooth; or ``"ema"``, an exponential moving average over the tags'
        scores sorted from best to worst (``s <- alpha * next + (1 - alpha) *
        s``), the pooling cleanlab's multi-label scores use by default.
    temperature : float, default=0.1
        Temperature of ``"softmin"``.
    alpha : float in [0, 1], default=0.8
        Weight of each next (worse) tag in ``"ema"``.
    tag_score : {"self_confidence", "normalized_margin", \
            "confidence_weighted_entropy"}, default="self_confidence"
        Score of each tag; ``"self_confidence"`` is the probability of its
        given value (``p_k`` when tagged, ``1 - p_k`` when not).

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Label quality of each sample; rank issues by ascending score.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.noise import multilabel_quality_scores
    >>> tags = np.array([[1, 0], [1, 1]])
    >>> probs = np.array([[0.9, 0.2], [0.9, 0.1]])
    >>> multilabel_quality_scores(tags, probs, method="min").round(2).tolist()
    [0.8, 0.1]
    >>> scores = multilabel_quality_scores(tags, probs, method="ema", alpha=0.5)
    >>> scores.round(2).tolist()
    [0.85, 0.5]
    """
    labels, probs = _check_multilabel(labels_indicator, pred_probs)
    per_tag = _tag_scores(labels, probs, tag_score)
    return _pooled_scores(per_tag, method, alpha=alpha, temperature=temperature)
