"""ConfidentLearningClassifier: find label issues, then fit on the clean rest."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import MetaEstimatorMixin
from sklearn.utils import check_random_state

from ..base import BaseWeakClassifier
from ..utils._sklearn_compat import (
    HasMethods,
    StrOptions,
    _safe_indexing,
)
from ..utils._weights import sample_weight_parameter
from ._confident_learning import (
    FILTER_RULES,
    estimate_noise_matrices,
    find_label_issues,
    label_quality_scores,
)
from ._cross_val import MAX_SEED, _cross_val_pred_probs, _seeded_clone
from ._delegation import RefitDelegationMixin

__all__ = ["ConfidentLearningClassifier"]


class ConfidentLearningClassifier(RefitDelegationMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Classifier trained on the labels that confident learning trusts.

    ``fit`` computes out-of-sample probabilities by cross-validation
    (:func:`cross_val_pred_probs`), flags the likely mislabeled samples with
    :func:`find_label_issues`, and fits a clone of ``estimator`` on the other
    samples, optionally re-weighting each class by the inverse of its
    estimated probability of keeping its label (Northcutt et al., 2021).

    Parameters
    ----------
    estimator : estimator instance
        Classifier with ``fit`` and ``predict_proba``; cloned for the folds
        and for the final fit.
    cv : int, cross-validation generator or iterable, default=10
        Folds of the out-of-sample probabilities. An int gives a shuffled
        stratified k-fold, reduced to the size of the smallest class when
        that class is smaller (at least 2 folds). Ten folds (cleanlab uses
        five) found the flipped labels with a higher F1 and gave a more
        accurate final model on the KEEL cells of
        ``benchmarks/bench_noise_defaults.py`` (+0.41 F1 points, +0.24
        accuracy points over 51 cells of 5 seeds, 300 rows to full size,
        linear, random-forest and boosted-tree bases), at the cost of 11
        fits of ``estimator`` instead of 6.
    filter_by : {"prune_by_noise_rate", "prune_by_class", "both", \
            "confident_learning", "predicted_neq_given"}, \
            default="prune_by_noise_rate"
        Rule of :func:`find_label_issues`.
    reweight : bool, default=False
        Weight each kept sample of given class ``k`` by
        ``1 / noise_matrix_[k, k]`` in the final fit (``estimator`` must
        accept ``sample_weight``).
    n_jobs : int, default=None
        Folds fitted in parallel; does not change the result.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and, unless None, the ``random_state`` parameters of
        every clone of ``estimator``.

    Attributes
    ----------
    estimator_ : estimator instance
        The clone fitted on the samples not flagged.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    label_issues_ : ndarray of shape (n_samples,), dtype bool
        True for the training samples flagged as mislabeled.
    label_quality_ : ndarray of shape (n_samples,)
        Self-confidence of each training label (out-of-sample probability of
        the given label).
    noise_matrix_ : ndarray of shape (n_classes, n_classes)
        Estimated ``P(given = classes_[i] | true = classes_[j])``.
    pred_probs_ : ndarray of shape (n_samples, n_classes)
        The out-of-sample probabilities the issues were found with.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Feature names seen in ``fit``, when ``X`` has string column names.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.datasets import make_noisy_labels
    >>> from sklweak.noise import ConfidentLearningClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_noisy, flipped = make_noisy_labels(y, noise_rate=0.2, random_state=0)
    >>> clf = ConfidentLearningClassifier(LogisticRegression(max_iter=500),
    ...                                   random_state=0).fit(X, y_noisy)
    >>> bool((clf.label_issues_ & flipped).sum() > clf.label_issues_.sum() / 2)
    True
    """

    _weak_label_kind = "noisy"

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "cv": ["cv_object"],
        "filter_by": [StrOptions(set(FILTER_RULES))],
        "reweight": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        cv=10,
        filter_by="prune_by_noise_rate",
        reweight=False,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.cv = cv
        self.filter_by = filter_by
        self.reweight = reweight
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _folds(self, y_encoded):
        if not isinstance(self.cv, Integral):
            return self.cv
        smallest = int(np.bincount(y_encoded).min())
        if smallest < 2:
            raise ValueError(
                "ConfidentLearningClassifier needs at least 2 samples of every class "
                f"to cross-validate; class {self.classes_[np.argmin(np.bincount(y_encoded))]!r} "
                "has 1."
            )
        return min(self.cv, smallest)

    def fit(self, X, y, sample_weight=None):
        """Find label issues by cross-validation, then fit on the trusted samples.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Noisy labels, any dtype.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights, passed (sliced) to every fit of ``estimator``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        y, y_encoded = target
        weight_parameter = sample_weight_parameter(self.estimator)
        if weight_parameter is None and (self.reweight or sample_weight is not None):
            needs = "reweight=True" if self.reweight else "sample_weight"
            raise ValueError(
                f"ConfidentLearningClassifier: {needs} needs an estimator whose fit "
                "accepts sample_weight (or a Pipeline whose last step's does); "
                f"{type(self.estimator).__name__} does not."
            )
        rng = check_random_state(self.random_state)
        folds_seed = rng.randint(MAX_SEED)
        final_seed = rng.randint(MAX_SEED)

        self.pred_probs_ = _cross_val_pred_probs(
            self.estimator,
            X,
            y_encoded,
            cv=self._folds(y_encoded),
            n_jobs=self.n_jobs,
            random_state=None if self.random_state is None else folds_seed,
            sample_weight=sample_weight,
        )
        self.label_issues_ = find_label_issues(
            y_encoded, self.pred_probs_, filter_by=self.filter_by
        )
        self.label_quality_ = label_quality_scores(y_encoded, self.pred_probs_)
        self.noise_matrix_ = estimate_noise_matrices(y_encoded, self.pred_probs_)[0]

        keep = ~self.label_issues_
        emptied = np.setdiff1d(np.arange(self.classes_.shape[0]), y_encoded[keep])
        if emptied.size:
            warnings.warn(
                f"Every sample of class(es) {list(self.classes_[emptied])} was flagged; "
                "they are kept for the final fit so that no class disappears.",
                UserWarning,
                stacklevel=2,
            )
            keep |= np.isin(y_encoded, emptied)
        weights = None if sample_weight is None else sample_weight[keep]
        if self.reweight:
            class_weights = 1.0 / np.maximum(np.diagonal(self.noise_matrix_), 1e-6)
            per_sample = class_weights[y_encoded[keep]]
            weights = per_sample if weights is None else weights * per_sample
        fit_params = {} if weights is None else {weight_parameter: weights}
        rows = np.flatnonzero(keep)
        self.estimator_ = _seeded_clone(self.estimator, final_seed, self.random_state)
        self.estimator_.fit(_safe_indexing(X, rows), y[rows], **fit_params)
        return self
