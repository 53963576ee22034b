"""Simulate positive-unlabeled (PU) targets: SCAR and SAR labeling."""

from numbers import Integral, Real

import numpy as np
from scipy.special import expit
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._common import check_features, check_labels

__all__ = ["make_pu"]


def _feature_columns(propensity_features, n_features):
    if propensity_features is None:
        return np.arange(n_features)
    columns = np.asarray(propensity_features)
    if columns.dtype.kind == "b":
        if columns.shape != (n_features,):
            raise ValueError(
                "A boolean propensity_features must have one entry per feature "
                f"({n_features}); got shape {columns.shape}."
            )
        columns = np.flatnonzero(columns)
    else:
        columns = np.atleast_1d(columns)
        if columns.ndim != 1 or columns.dtype.kind not in "iu":
            raise ValueError(
                "propensity_features must be column indices (int or list of int) or a boolean mask."
            )
        if np.any(columns < -n_features) or np.any(columns >= n_features):
            raise ValueError(
                f"propensity_features {columns.tolist()!r} are out of range for X "
                f"with {n_features} features."
            )
        columns = np.unique(columns % n_features)
    if columns.shape[0] == 0:
        raise ValueError("propensity_features selects no feature.")
    return columns


def _sar_propensity(X, columns, positive, label_frequency):
    """Logistic propensity of the chosen features, mean ``c`` over positives."""
    Z = X[:, columns]
    scale = Z.std(axis=0)
    scale[scale == 0] = 1.0
    score = ((Z - Z.mean(axis=0)) / scale).sum(axis=1) / np.sqrt(len(columns))
    if label_frequency == 1.0:
        return np.ones(X.shape[0])
    pos_score = score[positive]

    def mean_gap(intercept):
        return expit(pos_score + intercept).mean() - label_frequency

    # The mean is increasing in the intercept: bracket, then bisect.
    low, high = -1.0, 1.0
    while mean_gap(low) > 0:
        low *= 2.0
    while mean_gap(high) < 0:
        high *= 2.0
    for _ in range(100):
        middle = 0.5 * (low + high)
        if mean_gap(middle) < 0:
            low = middle
        else:
            high = middle
    return expit(score + 0.5 * (low + high))


@validate_params(
    {
        "X": ["array-like"],
        "y": ["array-like"],
        "pos_label": [Integral, Real, str, "boolean"],
        "label_frequency": [Interval(Real, 0, 1, closed="right")],
        "mechanism": [StrOptions({"scar", "sar"})],
        "propensity_features": ["array-like", Integral, None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_pu(
    X,
    y,
    *,
    pos_label=1,
    label_frequency=0.5,
    mechanism="scar",
    propensity_features=None,
    random_state=None,
):
    """Turn a labeled data set into a positive-unlabeled (PU) one.

    Each positive sample is labeled with its propensity ``e(x)``, the
    probability that a positive with features ``x`` is labeled; negatives are
    never labeled. Everything not labeled is unlabeled.

    - ``mechanism="scar"`` (selected completely at random): ``e(x) = c`` for
      every sample, with ``c = label_frequency``.
    - ``mechanism="sar"`` (selected at random, given the features): ``e(x) =
      sigmoid(s(x) + b)``, where ``s(x)`` is the sum of the standardized
      ``propensity_features`` divided by the square root of their number, and
      the intercept ``b`` is set so that the mean propensity over the
      positives equals ``c``. Positives with large values of those features
      are labeled more often.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Features; only used by ``mechanism="sar"`` (their row count is checked
        in either case).
    y : array-like of shape (n_samples,)
        True labels; ``y == pos_label`` are the positives, every other value a
        negative. Both must occur.
    pos_label : int, float, bool or str, default=1
        The positive class of ``y``.
    label_frequency : float in (0, 1], default=0.5
        The label frequency ``c = P(labeled | positive)``.
    mechanism : {"scar", "sar"}, default="scar"
        How positives are chosen for labeling.
    propensity_features : int, array-like of int or bool, default=None
        Columns of ``X`` that drive the SAR propensity (indices or a boolean
        mask); ``None`` means all columns. Ignored by ``"scar"``.
    random_state : int, RandomState instance or None, default=None
        Seed of the labeling draw.

    Returns
    -------
    y_pu : ndarray of int64, shape (n_samples,)
        The PU target: 1 for a labeled positive, 0 for an unlabeled sample
        (``pos_label=1`` in every PU estimator reads it). At least one positive
        is labeled: if the draw labels none, one positive is labeled, picked
        with probability proportional to its propensity.
    propensity : ndarray of float64, shape (n_samples,)
        ``e(x)`` of every sample: the probability it would be labeled were it
        positive (``c`` everywhere under SCAR). Over the positives its mean is
        ``c``; negatives are never labeled, whatever their value.

    Raises
    ------
    ValueError
        If ``y`` has no positive or no negative, ``X`` and ``y`` differ in
        length, or ``propensity_features`` selects no valid column.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.datasets import make_pu
    >>> X = np.arange(12.0).reshape(6, 2)
    >>> y = np.array([1, 1, 1, 1, 0, 0])
    >>> y_pu, propensity = make_pu(X, y, label_frequency=0.5, random_state=0)
    >>> y_pu.shape, propensity.tolist()
    ((6,), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    >>> bool(np.all(y_pu[y == 0] == 0))
    True
    """
    y = check_labels(y)
    X = check_features(X, y.shape[0])
    positive = y == pos_label
    if y.dtype.kind in "US" and not isinstance(pos_label, str):
        positive = np.zeros(y.shape[0], dtype=bool)
    if not positive.any():
        raise ValueError(f"y has no positive sample (no entry equals pos_label={pos_label!r}).")
    if positive.all():
        raise ValueError(
            "y has no negative sample; a PU data set needs negatives hidden among "
            "the unlabeled samples."
        )
    if mechanism == "scar":
        propensity = np.full(y.shape[0], float(label_frequency))
    else:
        columns = _feature_columns(propensity_features, X.shape[1])
        propensity = _sar_propensity(X, columns, positive, float(label_frequency))

    rng = check_random_state(random_state)
    draw = rng.random_sample(y.shape[0])
    labeled = positive & (draw < propensity)
    if not labeled.any():
        weights = propensity[positive] / propensity[positive].sum()
        labeled[rng.choice(np.flatnonzero(positive), p=weights)] = True
    return labeled.astype(np.int64), propensity
