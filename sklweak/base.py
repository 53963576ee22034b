"""Family base classes: the public ``fit`` validates and decodes, ``_fit`` works.

A family's estimator subclasses :class:`BaseWeakClassifier`, sets
``_weak_label_kind`` and implements ``_fit(X, target, sample_weight)``. The base
validates ``X`` (with the options of :meth:`_validate_data_options`), decodes
``y`` with the family's validator from :mod:`sklweak.utils` before any work,
slices nothing itself, and leaves ``predict`` to the subclass.
"""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils.validation import _check_sample_weight, validate_data

from .utils._validation import check_semi_supervised_y

__all__ = ["BaseWeakClassifier", "SemiSupervisedMixin", "WEAK_LABEL_KINDS"]

WEAK_LABEL_KINDS = (
    "semi-supervised",
    "pu",
    "pnu",
    "llp",
    "complementary",
    "noisy",
    "annotators",
)


class SemiSupervisedMixin:
    """Decoding of a semi-supervised ``y`` (``unlabeled_label`` marks unlabeled).

    Subclasses declare ``unlabeled_label`` among their parameters.
    """

    _weak_label_kind = "semi-supervised"
    _y_is_1d = True
    _unlabeled_label_constraint = [Integral, str]

    def _decode_target(self, y):
        return check_semi_supervised_y(y, unlabeled_label=self.unlabeled_label)

    def score(self, X, y, sample_weight=None):
        """Accuracy on the labeled rows of ``y``; unlabeled rows are skipped.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test samples.
        y : array-like of shape (n_samples,)
            True labels, ``unlabeled_label`` where unknown.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        score : float
            Accuracy of ``self.predict(X)`` on the labeled rows.
        """
        from .model_selection import labeled_accuracy_score

        return labeled_accuracy_score(
            y,
            self.predict(X),
            unlabeled_label=self.unlabeled_label,
            sample_weight=sample_weight,
        )


class BaseWeakClassifier(ClassifierMixin, BaseEstimator):
    """Template for weak-label classifiers.

    ``fit(X, y, sample_weight=None)`` validates ``X``, decodes ``y`` with
    ``_decode_target`` (set by a family mixin), checks ``sample_weight`` and
    calls ``_fit(X, target, sample_weight)``, which must set ``classes_`` and
    return ``self``.
    """

    _weak_label_kind = None
    # Families whose y is 1-D accept a column vector with a warning, like any
    # scikit-learn classifier; 2-D targets (bags, annotators) are kept.
    _y_is_1d = False

    def _validate_data_options(self):
        """Keyword arguments for ``validate_data`` on ``X`` in ``fit``."""
        return {"accept_sparse": ["csr", "csc"], "dtype": [np.float64, np.float32]}

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Fit the estimator on weakly labeled data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like
            Weak labels in the encoding of the estimator's family (see the
            label contract in the README).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (repetition counts).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X, y = validate_data(
            self,
            X,
            y,
            ensure_2d=True,
            multi_output=not self._y_is_1d,
            y_numeric=False,
            **self._validate_data_options(),
        )
        target = self._decode_target(y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
        return self._fit(X, target, sample_weight)
