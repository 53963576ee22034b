"""What every LLP estimator shares: decoding the bag target and a bag-level score.

An LLP estimator is written as::

    class MyLLPClassifier(LLPMixin, BaseWeakClassifier):
        def _fit(self, X, target, sample_weight):
            self.classes_ = target.classes
            q = sample_proportions(target)   # (n_samples, n_classes)
            ...

``BaseWeakClassifier.fit`` validates ``X`` and calls :meth:`LLPMixin._decode_target`,
which returns a :class:`sklweak.utils.BagTarget`
``(bag_ids, bag_index, bag_proportions, bag_sizes, classes)``:

- a 2-D ``y`` (from :func:`make_bag_target`) gives one row of
  ``bag_proportions`` per bag, columns in the order of ``classes``
  (``0 .. n_classes - 1``, or the estimator's ``classes`` parameter when it has
  one and it is set);
- a 1-D ``y`` of ordinary labels is full information: every sample its own
  bag, one-hot proportions, ``classes`` the sorted labels.

:meth:`LLPMixin.score` is accuracy for a 1-D ``y`` and, for a bag target, one
minus the mean absolute proportion error of the bags (see
:func:`mean_absolute_proportion_error`), so ``GridSearchCV`` needs no instance
label. Array helpers: :func:`sample_proportions` (each sample's bag row),
:func:`bag_mean` (per-bag means of per-sample rows),
:func:`class_probabilities` and :func:`predicted_bag_proportions`.
"""

import numpy as np
from sklearn.metrics import accuracy_score

from ..utils._targets import decode_bag_target

__all__ = [
    "LLPMixin",
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
    >>> from sklweak.llp._common import sample_proportions
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
    >>> from sklweak.llp._common import bag_mean
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
    >>> from sklweak.llp._common import class_probabilities
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
    >>> from sklweak.llp._common import predicted_bag_proportions
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> predicted_bag_proportions(clf, X, [0, 0, 1, 1], 2).round(1).tolist()
    [[0.8, 0.2], [0.2, 0.8]]
    """
    return bag_mean(class_probabilities(estimator, X), bag_index, n_bags, sample_weight)


class LLPMixin:
    """Decoding of an LLP bag target and the bag-level ``score``.

    For estimators built on :class:`sklweak.base.BaseWeakClassifier`: the
    public ``fit`` validates ``X`` and calls ``_decode_target(y)``, which
    returns a :class:`sklweak.utils.BagTarget`; ``_fit(X, target,
    sample_weight)`` then sets ``classes_ = target.classes``.

    ``y`` is the bag target of :func:`sklweak.llp.make_bag_target` (column 0
    the bag id, then the class proportions of the sample's bag), or a 1-D
    array of ordinary labels, read as every sample its own bag (full
    information). A column vector ``(n_samples, 1)`` is rejected: it is most
    often the bag-id column alone, which read as labels would train on bag ids
    as classes. Continuous 1-D targets and targets with a single class are
    rejected before any work.

    If the estimator has a ``classes`` parameter and it is set, a 2-D target's
    proportion columns are labelled with it (``classes_``); else, for a bag
    table (the DataFrame :func:`make_bag_target` returns for a proportions
    table), with the table's column names; otherwise the columns are the
    classes ``0 .. n_classes - 1``.
    """

    _weak_label_kind = "llp"
    _y_is_1d = False

    def _prepare_target(self, y):
        """Remember the class names of a bag table (a DataFrame from make_bag_target)."""
        columns = getattr(y, "columns", None)
        self._table_classes = (
            np.asarray(columns[1:]) if columns is not None and len(columns) > 2 else None
        )
        return y

    def _decode_target(self, y):
        classes = getattr(self, "classes", None)
        if classes is None and np.ndim(y) == 2:
            classes = getattr(self, "_table_classes", None)
        return decode_bag_target(y, classes=classes)

    def score(self, X, y, sample_weight=None):
        """Accuracy on labels, or a bag-level score on a bag target.

        For a 1-D ``y`` of labels, the accuracy of ``predict``. For a bag
        target, ``1 - mean_absolute_proportion_error``: the bags' predicted
        proportions (mean of ``predict_proba`` over each bag's samples) against
        their given proportions, so model selection needs no instance label.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test samples.
        y : array-like of shape (n_samples,) or (n_samples, 1 + n_classes)
            True labels, or a bag target whose columns follow ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        score : float
            Higher is better, at most 1.
        """
        from ._metrics import mean_absolute_proportion_error

        y = np.asarray(y)
        if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
            return accuracy_score(y.reshape(-1), self.predict(X), sample_weight=sample_weight)
        return 1.0 - mean_absolute_proportion_error(
            y, class_probabilities(self, X), sample_weight=sample_weight
        )
