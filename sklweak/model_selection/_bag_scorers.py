"""Bag-level metrics and scorers: model selection from label proportions only.

``sklweak.llp`` exports them; they live in the core because every LLP
estimator's ``score`` (``LLPMixin`` in :mod:`sklweak.base`) is bag-level.
"""

from numbers import Real

import numpy as np

from ..utils._proportions import bag_mean, class_probabilities
from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ..utils._validation import check_bag_target

__all__ = ["bag_kl_divergence", "make_bag_scorer", "mean_absolute_proportion_error"]


def _bag_pairs(y_true, y_proba, classes, sample_weight):
    """Given and predicted proportions of every bag that carries weight."""
    y_proba = np.asarray(y_proba, dtype=np.float64)
    if y_proba.ndim != 2:
        raise ValueError(
            "y_proba must be 2-D, one column of predicted probabilities per class; "
            f"got shape {y_proba.shape}."
        )
    y_true = np.asarray(y_true)
    if y_true.shape[0] != y_proba.shape[0]:
        raise ValueError(
            f"y_true has {y_true.shape[0]} samples but y_proba has {y_proba.shape[0]}."
        )
    if not np.all(np.isfinite(y_proba)):
        raise ValueError("y_proba contains NaN or infinity.")
    n_classes = y_proba.shape[1]
    if y_true.ndim == 1:
        labels = np.unique(y_true) if classes is None else np.asarray(classes)
        if len(labels) != n_classes:
            raise ValueError(
                f"y_proba has {n_classes} columns but there are {len(labels)} classes; "
                "pass classes (the column order of y_proba)."
            )
        position = {label: k for k, label in enumerate(labels.tolist())}
        try:
            columns = np.array([position[label] for label in y_true.tolist()])
        except KeyError as exc:
            raise ValueError(f"y_true holds the label {exc.args[0]!r}, not in classes.") from None
        proportions = np.zeros((y_true.shape[0], n_classes))
        proportions[np.arange(y_true.shape[0]), columns] = 1.0
        bag_index = np.arange(y_true.shape[0])
        bag_proportions = proportions
    else:
        target = check_bag_target(y_true, n_classes=n_classes)
        bag_index, bag_proportions = target.bag_index, target.bag_proportions
    n_bags = bag_proportions.shape[0]
    weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    predicted = bag_mean(y_proba, bag_index, n_bags, weights)
    if weights is not None:
        if weights.shape != (y_true.shape[0],) or np.any(weights < 0):
            raise ValueError("sample_weight must be non-negative, one per sample.")
        kept = np.bincount(bag_index, weights, minlength=n_bags) > 0
        if not kept.any():
            raise ValueError("sample_weight gives every bag zero weight.")
        predicted, bag_proportions = predicted[kept], bag_proportions[kept]
    return bag_proportions, predicted


@validate_params(
    {
        "y_true": ["array-like"],
        "y_proba": ["array-like"],
        "classes": ["array-like", None],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def mean_absolute_proportion_error(y_true, y_proba, *, classes=None, sample_weight=None):
    """Mean absolute error between given and predicted bag proportions.

    A bag's predicted proportions are the mean of ``y_proba`` over its samples;
    the error of a bag is the mean over classes of the absolute difference
    from its given proportions, and the bags count equally. It lies in
    [0, 1], 0 when every bag is predicted exactly. For binary problems it is
    the absolute error on the positive share.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, 1 + n_classes) or (n_samples,)
        Bag target (see :func:`make_bag_target`), columns in the order of
        ``y_proba``'s; or 1-D labels (every sample its own bag).
    y_proba : array-like of shape (n_samples, n_classes)
        Predicted class probabilities (or one-hot predictions).
    classes : array-like of shape (n_classes,), default=None
        Labels of ``y_proba``'s columns, for a 1-D ``y_true``; defaults to its
        sorted distinct labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Per-sample weights of the bag means; bags with zero weight are left out.

    Returns
    -------
    error : float
        Mean absolute proportion error.

    Examples
    --------
    >>> from sklweak.llp import make_bag_target, mean_absolute_proportion_error
    >>> y = make_bag_target([0, 0, 1, 1], [0.5, 1.0])
    >>> proba = [[0.8, 0.2], [0.4, 0.6], [0.2, 0.8], [0.0, 1.0]]
    >>> round(mean_absolute_proportion_error(y, proba), 3)
    0.1
    """
    given, predicted = _bag_pairs(y_true, y_proba, classes, sample_weight)
    return float(np.mean(np.abs(predicted - given).mean(axis=1)))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_proba": ["array-like"],
        "classes": ["array-like", None],
        "sample_weight": ["array-like", None],
        "eps": [Interval(Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def bag_kl_divergence(y_true, y_proba, *, classes=None, sample_weight=None, eps=1e-7):
    """Mean Kullback-Leibler divergence from given to predicted bag proportions.

    For each bag, ``sum_k p_k log(p_k / q_k)`` with ``p`` its given
    proportions and ``q`` the mean of ``y_proba`` over its samples (clipped to
    ``[eps, 1]`` and renormalized, so the value stays finite); the bags count
    equally. It is the bag loss that DLLP minimises, up to the constant
    entropy of ``p``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, 1 + n_classes) or (n_samples,)
        Bag target, columns in the order of ``y_proba``'s; or 1-D labels.
    y_proba : array-like of shape (n_samples, n_classes)
        Predicted class probabilities.
    classes : array-like of shape (n_classes,), default=None
        Labels of ``y_proba``'s columns, for a 1-D ``y_true``.
    sample_weight : array-like of shape (n_samples,), default=None
        Per-sample weights of the bag means; bags with zero weight are left out.
    eps : float, default=1e-7
        Smallest predicted proportion.

    Returns
    -------
    divergence : float
        Mean bag KL divergence, at least 0.

    Examples
    --------
    >>> from sklweak.llp import bag_kl_divergence, make_bag_target
    >>> y = make_bag_target([0, 0, 1, 1], [0.5, 1.0])
    >>> proba = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]
    >>> round(bag_kl_divergence(y, proba), 4)
    0.3466
    """
    given, predicted = _bag_pairs(y_true, y_proba, classes, sample_weight)
    predicted = np.clip(predicted, eps, 1.0)
    predicted /= predicted.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(given > 0, given * np.log(given / predicted), 0.0)
    return float(np.mean(terms.sum(axis=1)))


_METRICS = {
    "proportion_error": mean_absolute_proportion_error,
    "kl": bag_kl_divergence,
}


class _BagScorer:
    """Scorer ``(estimator, X, y)``: minus a bag metric of ``predict_proba``."""

    def __init__(self, metric):
        self.metric = metric

    def __call__(self, estimator, X, y, sample_weight=None):
        return -_METRICS[self.metric](
            y,
            class_probabilities(estimator, X),
            classes=np.asarray(estimator.classes_),
            sample_weight=sample_weight,
        )

    def __repr__(self):
        return f"make_bag_scorer(metric={self.metric!r})"


@validate_params({"metric": [StrOptions(set(_METRICS))]}, prefer_skip_nested_validation=True)
def make_bag_scorer(metric="proportion_error"):
    """Scorer for ``GridSearchCV`` that needs bag proportions only.

    The scorer returns minus :func:`mean_absolute_proportion_error`
    (``"proportion_error"``) or minus :func:`bag_kl_divergence` (``"kl"``) of
    the estimator's ``predict_proba`` on the bag target of the validation
    fold (higher is better, as scikit-learn expects). Keep bags whole across
    folds with :class:`BagKFold` so each validation bag is complete.

    Parameters
    ----------
    metric : {"proportion_error", "kl"}, default="proportion_error"
        Bag metric to minimise.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y, sample_weight=None) -> float``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklweak.datasets import make_bags
    >>> from sklweak.llp import BagKFold, EasyLLPClassifier, make_bag_scorer
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> _, Y, _ = make_bags(X, y, bag_size=5, random_state=0)
    >>> search = GridSearchCV(EasyLLPClassifier(), {"alpha": [1e-3, 1.0]},
    ...                       cv=BagKFold(3), scoring=make_bag_scorer("kl"))
    >>> bool(search.fit(X, Y).best_score_ <= 0)
    True
    """
    return _BagScorer(metric)
