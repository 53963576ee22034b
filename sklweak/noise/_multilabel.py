"""Multi-label confident learning: one binary problem per class."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._confident_learning import FILTER_RULES, find_label_issues

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
            f"pred_probs must have the shape of labels_indicator {labels.shape}; got "
            f"{probs.shape}."
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
    },
    prefer_skip_nested_validation=True,
)
def find_multilabel_issues(
    labels_indicator,
    pred_probs,
    *,
    filter_by="prune_by_noise_rate",
    frac_noise=1.0,
    per_class=False,
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
            default="prune_by_noise_rate"
        Rule of :func:`find_label_issues` on every class.
    frac_noise : float, default=1.0
        Fraction of the estimated number of issues of each class to flag.
    per_class : bool, default=False
        Return the ``(n_samples, n_classes)`` mask of flagged tags instead of
        the per-sample mask.

    Returns
    -------
    issues : ndarray of bool, shape (n_samples,) or (n_samples, n_classes)
        True for the samples (or the tags, with ``per_class=True``) flagged.

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
    (8, 0)
    """
    labels, probs = _check_multilabel(labels_indicator, pred_probs)
    flagged = np.zeros(labels.shape, dtype=bool)
    for k in range(labels.shape[1]):
        tags = np.ascontiguousarray(labels[:, k])
        if tags.min() == tags.max():
            continue
        binary = np.column_stack([1.0 - probs[:, k], probs[:, k]])
        flagged[:, k] = find_label_issues(
            tags, binary, filter_by=filter_by, frac_noise=frac_noise
        )
    return flagged if per_class else flagged.any(axis=1)


@validate_params(
    {
        "labels_indicator": ["array-like"],
        "pred_probs": ["array-like"],
        "method": [StrOptions({"min", "mean", "softmin"})],
        "temperature": [Interval(Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def multilabel_quality_scores(labels_indicator, pred_probs, *, method="softmin",
                              temperature=0.1):
    """Quality of each sample's tags, from 0 (surely wrong) to 1 (surely right).

    Every tag is scored by the probability of its given value (``p_k`` when
    tagged, ``1 - p_k`` when not); a sample's score pools its classes' scores.

    Parameters
    ----------
    labels_indicator : array-like of shape (n_samples, n_classes)
        Given tags, 1 where the sample is tagged with the class.
    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample probability of each tag, independent per class.
    method : {"min", "mean", "softmin"}, default="softmin"
        Pooling over classes: the worst tag, the average, or an average
        weighted by ``softmax(-score / temperature)``, close to the worst tag
        but smooth.
    temperature : float, default=0.1
        Temperature of ``"softmin"``.

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
    """
    labels, probs = _check_multilabel(labels_indicator, pred_probs)
    per_tag = np.where(labels == 1, probs, 1.0 - probs)
    if method == "min":
        return per_tag.min(axis=1)
    if method == "mean":
        return per_tag.mean(axis=1)
    logits = -per_tag / temperature
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    return np.sum(weights * per_tag, axis=1)
