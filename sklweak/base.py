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

from .utils._validation import (
    _missing_mask,
    check_semi_supervised_y,
    mark_missing_as_unlabeled,
    reject_continuous_y,
)

__all__ = [
    "WEAK_LABEL_KINDS",
    "BaseWeakClassifier",
    "ComplementaryMixin",
    "PNUMixin",
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
        ``neg_label`` (and, for PU string labels, from ``y``).
        """
        self.classes_ = np.array([self._negative_label, self.pos_label])
        return self.classes_

    def _check_label_types(self, negative_label):
        """Refuse a string ``pos_label`` next to a non-string negative label and vice versa."""
        if isinstance(self.pos_label, str) != isinstance(negative_label, str):
            raise ValueError(
                f"pos_label={self.pos_label!r} and neg_label={negative_label!r} must both "
                "be strings or both be numbers (or booleans): predictions hold both. "
                "Set neg_label to the label to predict for negatives, e.g. "
                "neg_label='negative' next to a string pos_label."
            )

    def _labels_from_positive(self, is_positive):
        """Map a boolean "is positive" array to ``neg_label``/``pos_label``."""
        return self.classes_[np.asarray(is_positive, dtype=np.intp)]

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
            sample_weight = _check_sample_weight(sample_weight, X)
        return self._fit(X, target, sample_weight)


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
            self._check_label_types(self.neg_label)
        return y

    def _decode_target(self, y):

        from .utils._validation import check_pu_y

        y = np.asarray(y)
        reject_continuous_y(
            y,
            "a PU target holds pos_label for labeled positives and one "
            "other value for unlabeled samples.",
        )
        if y.ndim == 1 and y.shape[0] > 0:
            try:
                values = np.unique(y)
            except TypeError:
                values = None
            if values is not None and len(values) > 2:
                raise ValueError(
                    "Only binary classification is supported: a PU target has two "
                    f"values, labeled positive (pos_label={self.pos_label!r}) and "
                    f"unlabeled; got {len(values)} distinct values "
                    f"{values.tolist()[:5]!r}."
                )
            if values is not None and len(values) == 1:
                raise ValueError(
                    f"y holds a single value ({values[0]!r}), i.e. one class only: a "
                    f"PU target needs labeled positives (pos_label={self.pos_label!r}) "
                    "and unlabeled samples."
                )
        if self.neg_label == self.pos_label and (
            isinstance(self.neg_label, str) == isinstance(self.pos_label, str)
        ):
            raise ValueError(f"neg_label and pos_label must differ; both are {self.pos_label!r}.")
        target = check_pu_y(y, pos_label=self.pos_label)
        self._negative_label = self._negative_label_from(y, target.labeled)
        return target

    def _negative_label_from(self, y, labeled):
        """``neg_label``, or the unlabeled rows' string when ``pos_label`` is a string.

        With string labels and the default numeric ``neg_label``, a negative is
        predicted as the one value the unlabeled rows hold (``["spam",
        "ham"]`` gives ``classes_ == ["ham", "spam"]``), never as the text
        ``"0"``; if that value is not a string, ``neg_label`` must be given.
        """
        if isinstance(self.pos_label, str) and not isinstance(self.neg_label, str):
            others = y[~labeled]
            if isinstance(others[0], str) and all(value == others[0] for value in others):
                return str(others[0])
        self._check_label_types(self.neg_label)
        return self.neg_label


class ComplementaryMixin:
    """Decoding of complementary labels: classes each sample is **not**.

    ``y`` is 1-D (one complementary label per sample) or a 2-D 0/1 matrix of
    shape ``(n_samples, n_classes)`` with 1 meaning "not this class" (several
    complementary labels per sample), decoded by
    :func:`sklweak.utils.check_complementary_y`. Subclasses declare
    ``classes`` (all classes, needed when one never appears as a complementary
    label) and ``y_type`` among their parameters.

    A 1-D ``y`` of ordinary labels looks exactly like a 1-D ``y`` of
    complementary labels, so the reading is never guessed: with
    ``y_type="complementary"`` (the default) every value means "not this
    class", and with ``y_type="ordinary"`` every value is the true class (the
    full-information limit: every other class is a complementary label).
    Their ``score`` is the accuracy on true labels, as for every scikit-learn
    classifier; ``GridSearchCV`` without ordinary labels takes
    ``scoring=make_complementary_scorer()``.

    With two classes a complementary label names the true class exactly (the
    other one); the subclass then trains on that class.
    """

    _weak_label_kind = "complementary"
    _y_is_1d = False

    def _decode_target(self, y):
        import warnings

        from sklearn.exceptions import DataConversionWarning

        from .utils._validation import check_complementary_y

        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected; it is "
                "read as one label per sample.",
                DataConversionWarning,
                stacklevel=3,
            )
            y = y[:, 0]
        reject_continuous_y(y, "complementary labels are class labels.")
        if y.ndim == 1 and y.shape[0] > 0:
            try:
                n_values = len(np.unique(y))
            except TypeError:
                n_values = 2
            if n_values == 1 and self.classes is None:
                raise ValueError(
                    f"y holds one class only ({y[0]!r}); complementary labels need "
                    "at least two classes (declare them with `classes`)."
                )
        if self.y_type == "ordinary":
            if y.ndim != 1:
                raise ValueError(
                    f"y_type='ordinary' expects a 1-D y of true labels; got shape {y.shape}."
                )
            target = check_complementary_y(y, classes=self.classes)
            return type(target)(~target.excluded, target.classes)
        return check_complementary_y(y, classes=self.classes)


class PNUMixin(_LabeledAccuracyMixin, _BinaryLabelsMixin):
    """Decoding of a positive-negative-unlabeled ``y`` and the two fixed classes.

    Each entry of ``y`` is ``pos_label`` (labeled positive), ``neg_label``
    (labeled negative) or ``unlabeled_label``. Predictions are ``neg_label``
    or ``pos_label`` and ``classes_`` is ``[neg_label, pos_label]``.
    Subclasses declare the three sentinels among their parameters and call
    :meth:`_set_binary_classes` in ``_fit``. A ``y`` with more than three values
    is rejected with "Only binary classification is supported".
    """

    _weak_label_kind = "pnu"
    _y_is_1d = True
    _label_constraint = [Integral, str, "boolean"]

    def _prepare_target(self, y):
        return mark_missing_as_unlabeled(y, self.unlabeled_label)

    def _decode_target(self, y):

        from .utils._validation import check_pnu_y

        sentinels = (self.pos_label, self.neg_label, self.unlabeled_label)
        for i, j in ((0, 1), (0, 2), (1, 2)):
            a, b = sentinels[i], sentinels[j]
            if a == b and isinstance(a, str) == isinstance(b, str):
                raise ValueError(
                    "pos_label, neg_label and unlabeled_label must be three different "
                    f"values; got {sentinels[0]!r}, {sentinels[1]!r}, {sentinels[2]!r}."
                )
        y = np.asarray(y)
        reject_continuous_y(y, "a PNU target holds pos_label, neg_label and unlabeled_label.")
        if y.ndim == 1 and y.shape[0] > 0:
            try:
                values = np.unique(y)
            except TypeError:
                values = None
            if values is not None and len(values) > 3:
                raise ValueError(
                    "Only binary classification is supported: a PNU target holds "
                    f"pos_label={self.pos_label!r}, neg_label={self.neg_label!r} and "
                    f"unlabeled_label={self.unlabeled_label!r}; got {len(values)} "
                    f"distinct values {values.tolist()[:5]!r}."
                )
            if values is not None and 1 < len(values) <= 3:
                from .utils._validation import _is_sentinel

                known = np.zeros(len(values), dtype=bool)
                for sentinel in (self.pos_label, self.neg_label, self.unlabeled_label):
                    known |= _is_sentinel(values, sentinel)
                if not known.all():
                    raise ValueError(
                        "Only binary classification is supported: a PNU target holds "
                        f"only pos_label={self.pos_label!r}, neg_label={self.neg_label!r} "
                        f"and unlabeled_label={self.unlabeled_label!r}; got the values "
                        f"{values[~known].tolist()!r} outside them."
                    )
            if values is not None and len(values) == 1:
                raise ValueError(
                    f"y holds a single value ({values[0]!r}), i.e. one class only: a "
                    f"PNU target needs labeled positives (pos_label={self.pos_label!r}) "
                    f"and labeled negatives (neg_label={self.neg_label!r}) or unlabeled "
                    f"samples (unlabeled_label={self.unlabeled_label!r})."
                )
        self._check_label_types(self.neg_label)
        self._negative_label = self.neg_label
        return check_pnu_y(
            y,
            pos_label=self.pos_label,
            neg_label=self.neg_label,
            unlabeled_label=self.unlabeled_label,
        )
