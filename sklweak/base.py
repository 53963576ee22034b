"""Family base classes: the public ``fit`` validates and decodes, ``_fit`` works.

A family's estimator subclasses :class:`BaseWeakClassifier`, sets
``_weak_label_kind`` and implements ``_fit(X, target, sample_weight)``. The base
validates ``X`` (with the options of :meth:`_validate_data_options`), decodes
``y`` with the family's validator from :mod:`sklweak.utils` before any work,
slices nothing itself, and leaves ``predict`` to the subclass.
"""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import validate_data

from .utils._sklearn_compat import _check_sample_weight, _fit_context
from .utils._targets import (
    check_label_types,
    decode_pu_target,
)
from .utils._validation import (
    _missing_mask,
    check_semi_supervised_y,
    mark_missing_as_unlabeled,
)

__all__ = [
    "WEAK_LABEL_KINDS",
    "BaseWeakClassifier",
    "PUMixin",
    "SemiSupervisedMixin",
]

WEAK_LABEL_KINDS = (
    "semi-supervised",
    "pu",
    "pnu",
    "llp",
    "complementary",
    "noisy",
    "annotators",
)


class _LabeledAccuracyMixin:
    """``score``: accuracy on the rows of ``y`` that are not ``unlabeled_label``."""

    def score(self, X, y, sample_weight=None):
        """Accuracy on the labeled rows of ``y``; unlabeled rows are skipped.

        So ``GridSearchCV`` with the default scoring needs no extra label.

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


class _BinaryLabelsMixin:
    """Predictions in ``{neg_label, pos_label}``, for PU and PNU estimators."""

    def _set_binary_classes(self):
        """Set ``classes_`` to ``[negative label, pos_label]``.

        The negative label is the one ``_decode_target`` resolved from
        ``neg_label`` (and, for PU string labels, from ``y``; see
        :func:`sklweak.utils._targets.decode_pu_target`).
        """
        self.classes_ = np.array([self._negative_label, self.pos_label])
        return self.classes_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if tags.classifier_tags is not None:
            tags.classifier_tags.multi_class = False
        return tags


class SemiSupervisedMixin(_LabeledAccuracyMixin):
    """Decoding of a semi-supervised ``y`` (``unlabeled_label`` marks unlabeled).

    Subclasses declare ``unlabeled_label`` among their parameters.
    """

    _weak_label_kind = "semi-supervised"
    _y_is_1d = True
    _unlabeled_label_constraint = [Integral, str]

    def _prepare_target(self, y):
        return mark_missing_as_unlabeled(y, self.unlabeled_label)

    def _decode_target(self, y):
        return check_semi_supervised_y(y, unlabeled_label=self.unlabeled_label)


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

    def _prepare_target(self, y):
        """``y`` as the family reads it, before ``validate_data`` turns it into an array.

        Families whose contract has unlabeled rows read missing values (which
        ``validate_data`` rejects) as unlabeled; LLP keeps a bag table's class
        names.
        """
        return y

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
        self._check_inner_estimators()
        return self._fit(*self._validate_fit_data(X, y, sample_weight))

    def _check_inner_estimators(self):
        """Reject unusable inner estimators, before ``X`` and ``y`` are read.

        First, because reading the data reads their tags. Meta-estimators
        override it; the default checks nothing.
        """

    def _validate_fit_data(self, X, y, sample_weight):
        """``(X, target, sample_weight)`` checked and decoded, before any work.

        The one validation step of every ``fit``; an estimator whose ``fit``
        takes more (metadata to route) calls it, then ``_fit``.
        """
        X, y = validate_data(
            self,
            X,
            self._prepare_target(y),
            ensure_2d=True,
            multi_output=not self._y_is_1d,
            y_numeric=False,
            **self._validate_data_options(),
        )
        target = self._decode_target(y)
        if sample_weight is not None:
            sample_weight = self._validate_sample_weight(sample_weight, X)
        return X, target, sample_weight

    def _validate_sample_weight(self, sample_weight, X):
        """``sample_weight`` as a float array of one weight per row of ``X``."""
        return _check_sample_weight(sample_weight, X)


class PUMixin(_BinaryLabelsMixin):
    """Decoding of a positive-unlabeled ``y`` and the two fixed classes.

    ``y == pos_label`` marks a labeled positive, any other value an unlabeled
    sample (so ``{1, 0}``, ``{1, -1}`` and ``{True, False}`` all work).
    Predictions are ``neg_label`` or ``pos_label``, and ``classes_`` is
    ``[neg_label, pos_label]``. Subclasses declare ``pos_label`` and
    ``neg_label`` among their parameters and call :meth:`_set_binary_classes` in
    ``_fit``.

    A PU target has two values at most: a multiclass ``y`` is rejected with
    "Only binary classification is supported", and a ``y`` holding a single
    value (all labeled or none) is rejected before any work.

    With a string ``pos_label`` and the default numeric ``neg_label``,
    negatives are predicted as the string that the unlabeled rows hold
    (``y`` of ``"spam"``/``"ham"`` gives ``classes_ == ["ham", "spam"]``); if
    the unlabeled rows hold no string, ``neg_label`` must be a string too.
    """

    _weak_label_kind = "pu"
    _y_is_1d = True
    _label_constraint = [Integral, str, "boolean"]

    def _prepare_target(self, y):
        """Missing values are unlabeled rows: they take ``neg_label``'s value.

        With a string ``pos_label`` and a numeric ``neg_label`` there is no
        value to give them: ``neg_label`` must then be set.
        """
        if isinstance(self.pos_label, str) == isinstance(self.neg_label, str):
            return mark_missing_as_unlabeled(y, self.neg_label)
        labels = np.asarray(y)
        if labels.ndim == 1 and labels.dtype.kind in "fO" and _missing_mask(labels).any():
            check_label_types(self.pos_label, self.neg_label)
        return y

    def _decode_target(self, y):
        target, self._negative_label = decode_pu_target(
            y, pos_label=self.pos_label, neg_label=self.neg_label
        )
        return target
