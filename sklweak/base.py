"""The estimator anatomy: the base class, the kind mixins, prediction and delegation.

A family's estimator subclasses :class:`BaseWeakClassifier`, sets
``_weak_label_kind`` and implements ``_fit(X, target, sample_weight)``. The base
validates ``X`` (with the options of :meth:`_validate_data_options`), decodes
``y`` with the family's validator from :mod:`sklweak.utils` before any work,
slices nothing itself, and leaves ``predict`` to the subclass.

A kind mixin says how the estimator reads its weak labels and passes its
sentinels to the kind's decoder in :mod:`sklweak.utils._targets`:
:class:`SemiSupervisedMixin`, :class:`PUMixin`, :class:`LLPMixin` (with the
bag-level ``score``) and :class:`VoteMatrixMixin` (labeling functions' votes).

Predictions come from one of two mixins: :class:`ScorePredictionMixin`, for an
estimator whose model ends in scores (``predict_proba`` and ``predict`` from the
hook ``_scores(X)``; the neural estimators' mixins build on it in
:mod:`sklweak.neural._base`), and :class:`DelegationMixin`, for a
meta-estimator that ends by fitting a clone of a learner (confident learning
and the multi-annotator classifier on trusted labels, LLP-BP and the
proportion-weighted baseline on weighted per-class copies, SETRED, the label
model's end model). Every meta-estimator offers a delegated method only when
:func:`delegate_has` says its estimator has it, and copies its estimator's
input tags with :func:`copy_input_tags`.
"""

from numbers import Integral

import numpy as np
from scipy.special import expit, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from .model_selection._bag_scorers import mean_absolute_proportion_error
from .model_selection._scorers import labeled_accuracy_score
from .utils._proportions import class_probabilities
from .utils._sklearn_compat import _check_sample_weight, _estimator_has, _fit_context
from .utils._targets import (
    check_label_types,
    decode_bag_target,
    decode_pu_target,
    decode_vote_matrix,
)
from .utils._validation import (
    _missing_mask,
    check_semi_supervised_y,
    mark_missing_as_unlabeled,
)

__all__ = [
    "WEAK_LABEL_KINDS",
    "BaseWeakClassifier",
    "DelegationMixin",
    "LLPMixin",
    "PUMixin",
    "ScorePredictionMixin",
    "SemiSupervisedMixin",
    "VoteMatrixMixin",
    "copy_input_tags",
    "delegate_has",
    "log_odds",
]

WEAK_LABEL_KINDS = (
    "semi-supervised",
    "pu",
    "pnu",
    "llp",
    "complementary",
    "noisy",
    "annotators",
    "labeling-functions",
    "label-model",
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
        """``sample_weight`` as a float array of one weight per row of ``X``.

        None negative, and not all zero (scikit-learn 1.6 lets both through).
        """
        sample_weight = _check_sample_weight(sample_weight, X)
        if np.any(sample_weight < 0):
            raise ValueError(
                "Negative values in data passed to `sample_weight`: it must be "
                "non-negative (repetition counts)."
            )
        if not np.any(sample_weight > 0):
            raise ValueError(
                "sample_weight is zero on every row: give at least one row a positive weight."
            )
        return sample_weight


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


class LLPMixin:
    """Decoding of an LLP bag target and the bag-level ``score``.

    An LLP estimator is written as::

        class MyLLPClassifier(LLPMixin, BaseWeakClassifier):
            def _fit(self, X, target, sample_weight):
                self.classes_ = target.classes
                q = sample_proportions(target)  # (n_samples, n_classes)
                ...

    with the array helpers of :mod:`sklweak.utils._proportions`
    (``sample_proportions``, ``bag_mean``, ``class_probabilities``,
    ``predicted_bag_proportions``). The public ``fit`` validates ``X`` and
    calls ``_decode_target(y)``, which returns a :class:`sklweak.utils.BagTarget`
    ``(bag_ids, bag_index, bag_proportions, bag_sizes, classes)``.

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


class VoteMatrixMixin:
    """Reading of the vote matrix ``L`` of labeling functions.

    ``L`` has one column per labeling function and holds class indices
    ``0 .. n_classes - 1``, ``abstain_label`` where a function abstains.
    :meth:`_decode_votes` validates it with the estimator's ``abstain_label``
    (:func:`sklweak.utils._targets.decode_vote_matrix`: one message per rule)
    and returns ``(votes, n_classes)``, the votes with -1 for abstain.

    A label model reads ``L`` as ``X`` (its ``y``, optional, a few true
    labels); a classifier trained through a label model reads it as ``y``
    (:func:`sklweak.utils._targets.decode_vote_target`). Subclasses declare
    ``abstain_label`` among their parameters.
    """

    _y_is_1d = False

    def _decode_votes(self, L, *, n_classes=None, name="L", fitting=False):
        return decode_vote_matrix(
            L, n_classes=n_classes, abstain_label=self.abstain_label, name=name, fitting=fitting
        )


def log_odds(p):
    """``log(p / (1 - p))``, finite: ``p`` is clipped away from 0 and 1 first.

    Positive exactly where ``p > 0.5``, so it agrees with a 0.5 threshold.
    """
    p = np.clip(p, 1e-15, 1.0 - 1e-15)
    return np.log(p) - np.log1p(-p)


def _model_gives_probabilities(estimator):
    return estimator._scores_are_probabilities


class ScorePredictionMixin:
    """``predict_proba`` and ``predict`` from the scores of ``_scores(X)``.

    ``_scores`` (``decision_function`` unless overridden) returns logits: one
    column per class, or for two classes a 1-D score of ``classes_[1]``, read
    through the logistic function; ``predict`` is the class of the largest
    score (for a 1-D score, ``classes_[1]`` where it is positive).

    A binary estimator whose model gives the probability of ``classes_[1]``
    instead sets ``_scores_are_probabilities = True`` and returns that
    probability (checked input, values in [0, 1]) from ``_scores``:
    ``predict_proba`` is then ``(1 - p, p)``, ``predict`` thresholds ``p`` at
    0.5, and ``decision_function`` is its log-odds.
    """

    _scores_are_probabilities = False

    def _scores(self, X):
        return self.decision_function(X)

    def predict_proba(self, X):
        """Class probabilities (never NaN).

        The softmax of the logits (the logistic function of a 1-D score), or
        the model's own probability of ``classes_[1]``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        scores = self._scores(X)
        if self._scores_are_probabilities:
            return np.column_stack([1.0 - scores, scores])
        if scores.ndim == 1:
            p = expit(scores)
            return np.column_stack([1.0 - p, p])
        return softmax(scores, axis=1)

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Classes from ``classes_``.
        """
        scores = self._scores(X)
        if scores.ndim == 1:
            threshold = 0.5 if self._scores_are_probabilities else 0.0
            return self.classes_[(scores > threshold).astype(np.intp)]
        return self.classes_[np.argmax(scores, axis=1)]

    @available_if(_model_gives_probabilities)
    def decision_function(self, X):
        """Log-odds of the probability of ``classes_[1]``.

        Positive exactly where ``predict`` returns ``classes_[1]``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``log(p / (1 - p))`` with ``p = predict_proba(X)[:, 1]``.
        """
        return log_odds(self._scores(X))


def delegate_has(attr):
    """``available_if`` check: the fitted, else the unfitted, estimator has ``attr``.

    scikit-learn's ``_estimator_has`` over ``estimator_`` and then
    ``_unfitted_estimator``, the property that resolves the estimator a
    meta-estimator will clone (``_resolved_estimator()``, which replaces
    ``estimator=None`` by the class's default learner).
    """
    return _estimator_has(attr, delegates=("estimator_", "_unfitted_estimator"))


def copy_input_tags(tags, estimator):
    """Copy the inner estimator's sparse and NaN input tags onto ``tags``."""
    inner = get_tags(estimator).input_tags
    tags.input_tags.sparse = inner.sparse
    tags.input_tags.allow_nan = inner.allow_nan
    return tags


class DelegationMixin:
    """``predict``, ``predict_proba``, ``predict_log_proba`` and
    ``decision_function`` of ``estimator_``, each offered when the learner has it.

    Hooks for subclasses: ``_resolved_estimator()`` (the unfitted learner, by
    default ``estimator``), ``_validate_data_options()`` (how ``X`` is checked),
    ``_to_classes(values, fill)`` (the learner's probability columns onto
    ``classes_``, ``fill`` where it saw no sample of a class) and
    ``_to_labels(predicted)`` (its predictions onto ``classes_``); the last
    two are identities by default; ``_route(method, params)`` (the metadata
    the estimator's method receives: none by default, and keyword arguments
    are refused).
    """

    def _resolved_estimator(self):
        return self.estimator

    @property
    def _unfitted_estimator(self):
        return self._resolved_estimator()

    def _route(self, method, params):
        if params:
            raise TypeError(
                f"{type(self).__name__}.{method}() got unexpected keyword arguments "
                f"{sorted(params)}."
            )
        return {}

    def _to_classes(self, values, fill):
        return values

    def _to_labels(self, predicted):
        return predicted

    def _check_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, **self._validate_data_options())

    @available_if(delegate_has("predict"))
    def predict(self, X, **params):
        """Predict classes with the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **params : dict
            Metadata for the learner's method of the same name (only where
            the estimator routes metadata).

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes, from ``classes_``.
        """
        routed = self._route("predict", params)
        X = self._check_X(X)
        return self._to_labels(self.estimator_.predict(X, **routed))

    @available_if(delegate_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Class probabilities of the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **params : dict
            Metadata for the learner's method of the same name (only where
            the estimator routes metadata).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; 0 for a class the learner
            never saw.
        """
        routed = self._route("predict_proba", params)
        X = self._check_X(X)
        return self._to_classes(self.estimator_.predict_proba(X, **routed), 0.0)

    @available_if(delegate_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Logarithm of the class probabilities of the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **params : dict
            Metadata for the learner's method of the same name (only where
            the estimator routes metadata).

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; ``-inf`` for a class the
            learner never saw.
        """
        routed = self._route("predict_log_proba", params)
        X = self._check_X(X)
        return self._to_classes(self.estimator_.predict_log_proba(X, **routed), -float("inf"))

    @available_if(delegate_has("decision_function"))
    def decision_function(self, X, **params):
        """Decision function of the fitted learner.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        **params : dict
            Metadata for the learner's method of the same name (only where
            the estimator routes metadata).

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The learner's decision values: for two classes, the score of
            ``classes_[1]``; else one column per class of ``classes_``. When
            the learner never saw some declared class, its column is
            ``-inf`` (as in ``predict_log_proba``), and a binary learner's
            score ``s`` becomes the columns ``-s / 2`` and ``s / 2`` (whose
            softmax is the sigmoid of ``s``), so the shape always agrees
            with ``classes_``.
        """
        routed = self._route("decision_function", params)
        X = self._check_X(X)
        scores = self.estimator_.decision_function(X, **routed)
        n_seen = len(self.estimator_.classes_)
        if n_seen == len(self.classes_):
            return scores
        if n_seen == 2 and scores.ndim == 1:
            scores = np.column_stack([-0.5 * scores, 0.5 * scores])
        return self._to_classes(scores, -float("inf"))
