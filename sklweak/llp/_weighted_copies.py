"""A learner trained on weighted copies of the samples, one per class.

LLP-BP (its pseudo-labels) and the proportion-weighted baseline (the bag
proportions) both reduce LLP to ordinary classification: sample ``i`` enters
the learner once per class ``k`` with weight ``w[i, k]``. This mixin fits that
learner and hands its predictions back in the columns of ``classes_``.
"""

import numpy as np
from sklearn.base import clone

from ..base import DelegationMixin
from ..utils._sklearn_compat import _safe_indexing

__all__ = ["WeightedCopiesMixin"]


class WeightedCopiesMixin(DelegationMixin):
    """Fit ``estimator_`` on weighted per-class copies; predict through it."""

    def _fit_weighted_copies(self, X, weights, weight_parameter="sample_weight"):
        """Fit a clone of the learner on one copy of row ``i`` per class ``k``
        with ``weights[i, k] > 0``, labeled ``k`` (a column of ``classes_``)."""
        sample, column = np.nonzero(weights > 0)
        self.estimator_ = clone(self._resolved_estimator())
        self.estimator_.fit(
            _safe_indexing(X, sample), column, **{weight_parameter: weights[sample, column]}
        )
        return self.estimator_

    def _columns(self):
        """Positions in ``classes_`` of the learner's classes."""
        return np.asarray(self.estimator_.classes_, dtype=np.intp)

    def _in_all_columns(self, values, fill):
        """Learner outputs spread over every column of ``classes_``."""
        full = np.full((values.shape[0], self.classes_.shape[0]), fill, dtype=np.float64)
        full[:, self._columns()] = values
        return full

    _to_classes = _in_all_columns

    def _to_labels(self, predicted):
        return self.classes_[np.asarray(predicted, dtype=np.intp)]
