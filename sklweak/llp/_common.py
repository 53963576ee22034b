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
:func:`class_probabilities` and :func:`predicted_bag_proportions` (defined in
``_proportions``, which the metrics use too).
"""

import numpy as np
from sklearn.metrics import accuracy_score

from ..utils._targets import decode_bag_target
from ._metrics import mean_absolute_proportion_error
from ._proportions import (
    bag_mean,
    class_probabilities,
    predicted_bag_proportions,
    sample_proportions,
)

__all__ = [
    "LLPMixin",
    "bag_mean",
    "class_probabilities",
    "predicted_bag_proportions",
    "sample_proportions",
]


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
        y = np.asarray(y)
        if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
            return accuracy_score(y.reshape(-1), self.predict(X), sample_weight=sample_weight)
        return 1.0 - mean_absolute_proportion_error(
            y, class_probabilities(self, X), sample_weight=sample_weight
        )
