"""Array helpers of LLP: per-sample and per-bag class proportions.

Shared by the LLP estimators and the bag metrics of
:mod:`sklweak.model_selection`, which ``LLPMixin.score`` in :mod:`sklweak.base`
uses; the core may not import the ``llp`` family, so they live here.
"""

import numpy as np

__all__ = [
    "bag_mean",
    "class_probabilities",
    "predicted_bag_proportions",
    "sample_proportions",
]


def sample_proportions(target):
    """Per-sample rows of class proportions: each sample gets its bag's row.

    Parameters
    ----------
    target : BagTarget
        Decoded bag target.

    Returns
    -------
    proportions : ndarray of shape (n_samples, n_classes)
        ``target.bag_proportions[target.bag_index]``.

    Examples
    --------
    >>> from sklweak.utils import check_bag_target
    >>> from sklweak.utils._proportions import sample_proportions
    >>> t = check_bag_target([[0, 0.5, 0.5], [0, 0.5, 0.5], [1, 1.0, 0.0]])
    >>> sample_proportions(t).tolist()
    [[0.5, 0.5], [0.5, 0.5], [1.0, 0.0]]
    """
    return target.bag_proportions[target.bag_index]


def bag_mean(values, bag_index, n_bags, sample_weight=None):
    """Mean of per-sample rows within each bag.

    Parameters
    ----------
    values : array-like of shape (n_samples,) or (n_samples, n_columns)
        Per-sample values, e.g. predicted class probabilities.
    bag_index : array-like of int, shape (n_samples,)
        Bag of each sample, ``0 .. n_bags - 1``.
    n_bags : int
        Number of bags.
    sample_weight : array-like of shape (n_samples,), default=None
        Per-sample weights of the mean.

    Returns
    -------
    means : ndarray of shape (n_bags,) or (n_bags, n_columns)
        Weighted mean of each bag's rows; 0 for a bag with no weight.

    Examples
    --------
    >>> from sklweak.utils._proportions import bag_mean
    >>> bag_mean([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], [0, 0, 1], 2).tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    values = np.asarray(values, dtype=np.float64)
    bag_index = np.asarray(bag_index, dtype=np.intp)
    weights = (
        np.ones(bag_index.shape[0])
        if sample_weight is None
        else np.asarray(sample_weight, dtype=np.float64)
    )
    totals = np.bincount(bag_index, weights, minlength=n_bags)
    flat = values.reshape(values.shape[0], -1)
    sums = np.zeros((n_bags, flat.shape[1]))
    np.add.at(sums, bag_index, flat * weights[:, None])
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(totals[:, None] > 0, sums / totals[:, None], 0.0)
    return means.reshape((n_bags,) + values.shape[1:])


def class_probabilities(estimator, X):
    """Per-sample class probabilities of a fitted classifier, one-hot if it has none.

    Parameters
    ----------
    estimator : fitted classifier
        Has ``classes_`` and ``predict_proba`` or ``predict``.
    X : array-like of shape (n_samples, n_features)
        Samples.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
        ``predict_proba(X)``, or the one-hot rows of ``predict(X)``; columns in
        the order of ``estimator.classes_``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.svm import LinearSVC
    >>> from sklweak.utils._proportions import class_probabilities
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> class_probabilities(LinearSVC().fit(X, [0, 0, 1, 1]), X).tolist()
    [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]
    """
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(X), dtype=np.float64)
    predicted = np.asarray(estimator.predict(X))
    classes = np.asarray(estimator.classes_)
    return (predicted[:, None] == classes[None, :]).astype(np.float64)


def predicted_bag_proportions(estimator, X, bag_index, n_bags, sample_weight=None):
    """Class proportions of each bag predicted by a fitted classifier.

    The mean of ``predict_proba`` over the bag's samples, or, for a classifier
    without ``predict_proba``, the share of each predicted class.

    Parameters
    ----------
    estimator : fitted classifier
        Has ``classes_`` and ``predict_proba`` or ``predict``.
    X : array-like of shape (n_samples, n_features)
        Samples.
    bag_index : array-like of int, shape (n_samples,)
        Bag of each sample, ``0 .. n_bags - 1``.
    n_bags : int
        Number of bags.
    sample_weight : array-like of shape (n_samples,), default=None
        Per-sample weights of the mean.

    Returns
    -------
    proportions : ndarray of shape (n_bags, n_classes)
        Columns in the order of ``estimator.classes_``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.utils._proportions import predicted_bag_proportions
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> predicted_bag_proportions(clf, X, [0, 0, 1, 1], 2).round(1).tolist()
    [[0.8, 0.2], [0.2, 0.8]]
    """
    return bag_mean(class_probabilities(estimator, X), bag_index, n_bags, sample_weight)
