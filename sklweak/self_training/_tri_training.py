"""Tri-training: three classifiers label unlabeled samples for each other."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, copy_input_tags
from ..utils._sklearn_compat import HasMethods, Interval
from ._common import (
    SelfLabeledMixin,
    accepts_sample_weight,
    check_classifier_arg,
    fit_with_pseudo_labels,
    proba_in_class_order,
    seed_random_states,
    split_by_label,
)

__all__ = ["TriTrainingClassifier"]


def _stratified_bootstrap(y_encoded, rows, seed):
    """Bootstrap of ``rows`` drawn class by class, so every class is present."""
    rng = np.random.RandomState(seed)
    labels = y_encoded[rows]
    drawn = [
        rng.choice(rows[labels == c], size=int(np.sum(labels == c)), replace=True)
        for c in np.unique(labels)
    ]
    return np.sort(np.concatenate(drawn))


def _pair_error(pred_j, pred_k, truth):
    """Error of two classifiers where they agree, on labeled samples."""
    agree = pred_j == pred_k
    n_agree = int(agree.sum())
    if n_agree == 0:
        return 0.5
    return float(np.sum(agree & (pred_j != truth))) / n_agree


def _ensemble_has(attr):
    def check(self):
        inner = (
            self.estimators_[0] if hasattr(self, "estimators_") else (self._resolved_estimator())
        )
        getattr(inner, attr)
        return True

    return check


class TriTrainingClassifier(SelfLabeledMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Tri-training: three classifiers teach each other (Zhou and Li, 2005).

    Three copies of ``estimator`` start from bootstrap samples of the labeled
    data. In each round, copy ``i`` receives as new labels the unlabeled
    samples on which the other two copies agree, provided that the other two
    copies' error on the labeled samples where they agree, ``e_i``, makes the
    noisy set better than the previous one: ``e_i * |L_i| < e_i' * |L_i'|``
    (primes for the last accepted round). When the new set is too large for
    this, it is randomly subsampled to a size that keeps the condition. Each
    copy is then refitted on the labeled samples plus its new labels. Rounds
    go on until no copy changes; prediction is a majority vote.

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier with ``fit`` and ``predict``; three clones are trained.
        None means ``DecisionTreeClassifier()`` (the paper used decision
        trees among others). Any ``random_state`` of the clones is set from
        ``random_state``, so the three differ and runs repeat.
    max_iter : int, default=100
        Most tri-training rounds; a ``ConvergenceWarning`` is raised when a
        copy still changed in the last one.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the bootstraps, the subsampling, and the clones' own
        ``random_state``.
    n_jobs : int, default=None
        Number of jobs fitting the three copies in parallel (through
        joblib); the result does not depend on it.

    Attributes
    ----------
    estimators_ : list of three estimators
        The fitted copies.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_iter_ : int
        Number of tri-training rounds run.
    transduction_ : ndarray of shape (n_samples,)
        Given labels, and the ensemble's vote on the unlabeled samples.
    history_ : list of dict
        One entry per round: ``iteration``, ``errors`` (the three ``e_i``),
        ``n_new_labels`` (size of each copy's accepted new-label set, 0 when
        the copy was not updated) and ``updated`` (which copies changed).
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    SelfTrainingClassifier : One classifier labels its own confident samples.
    CoTrainingClassifier : Two classifiers on two feature views.

    References
    ----------
    .. [1] Z.-H. Zhou and M. Li, "Tri-training: exploiting unlabeled data using
       three classifiers", IEEE TKDE 17(11), 2005.
    .. [2] I. Triguero, S. Garcia and F. Herrera, "Self-labeled techniques for
       semi-supervised learning: taxonomy, software and empirical study",
       Knowledge and Information Systems 42, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.self_training import TriTrainingClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_weak = y.copy()
    >>> y_weak[np.random.RandomState(0).rand(len(y)) < 0.7] = -1
    >>> clf = TriTrainingClassifier(random_state=0).fit(X, y_weak)
    >>> clf.score(X, y) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "unlabeled_label": [Integral, str],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        estimator=None,
        *,
        max_iter=100,
        unlabeled_label=-1,
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.max_iter = max_iter
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _resolved_estimator(self):
        return DecisionTreeClassifier() if self.estimator is None else self.estimator

    def _fit_copies(self, jobs, X, y_encoded, sample_weight):
        return Parallel(n_jobs=self.n_jobs)(
            delayed(fit_with_pseudo_labels)(est, X, y_encoded, rows, extra, labels, sample_weight)
            for est, rows, extra, labels in jobs
        )

    def _check_inner_estimators(self):
        check_classifier_arg(self, self._resolved_estimator(), needs_proba=False)

    def fit(self, X, y, sample_weight=None):
        """Fit the three classifiers on labeled and unlabeled samples.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; NaN and sparse input pass through to the estimator.
        y : array-like of shape (n_samples,)
            Class labels, ``unlabeled_label`` for unlabeled samples.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights handed to the estimator's ``fit`` for the rows it is
            fitted on; the estimator must accept ``sample_weight``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        base = self._resolved_estimator()
        if sample_weight is not None and not accepts_sample_weight(base):
            raise ValueError(
                f"sample_weight was given but {type(base).__name__}.fit takes no sample_weight."
            )
        rng = check_random_state(self.random_state)
        self.classes_ = target.classes
        y_encoded = target.y_encoded
        labeled_rows, unlabeled_rows, X_labeled, X_unlabeled = split_by_label(X, target)
        truth = y_encoded[labeled_rows]
        no_rows = np.zeros(0, dtype=np.intp)
        no_labels = np.zeros(0, dtype=np.int64)

        copies = [seed_random_states(clone(base), rng) for _ in range(3)]
        boot_seeds = rng.randint(np.iinfo(np.int32).max, size=3)
        jobs = [
            (
                copies[i],
                _stratified_bootstrap(y_encoded, labeled_rows, boot_seeds[i]),
                no_rows,
                no_labels,
            )
            for i in range(3)
        ]
        self.estimators_ = self._fit_copies(jobs, X, y_encoded, sample_weight)

        previous_error = np.full(3, 0.5)
        previous_size = np.zeros(3)
        self.history_ = []
        self.n_iter_ = 0
        updated = [True]
        while any(updated) and self.n_iter_ < self.max_iter:
            self.n_iter_ += 1
            subsample_seeds = rng.randint(np.iinfo(np.int32).max, size=3)
            pred_labeled = [est.predict(X_labeled) for est in self.estimators_]
            pred_unlabeled = (
                [est.predict(X_unlabeled) for est in self.estimators_]
                if unlabeled_rows.size
                else [no_labels] * 3
            )
            errors = np.zeros(3)
            new_sets = []
            updated = [False, False, False]
            for i in range(3):
                j, k = [m for m in range(3) if m != i]
                errors[i] = _pair_error(pred_labeled[j], pred_labeled[k], truth)
                agree = np.flatnonzero(pred_unlabeled[j] == pred_unlabeled[k])
                new_sets.append(agree)
                if errors[i] >= previous_error[i] or agree.size == 0:
                    continue
                if previous_size[i] == 0:
                    previous_size[i] = np.floor(errors[i] / (previous_error[i] - errors[i]) + 1)
                if previous_size[i] >= agree.size:
                    continue
                if errors[i] * agree.size < previous_error[i] * previous_size[i]:
                    updated[i] = True
                elif previous_size[i] > errors[i] / (previous_error[i] - errors[i]):
                    size = int(np.ceil(previous_error[i] * previous_size[i] / errors[i] - 1))
                    keep = np.random.RandomState(subsample_seeds[i]).choice(
                        agree.size, size=size, replace=False
                    )
                    new_sets[i] = agree[np.sort(keep)]
                    updated[i] = True
            jobs, positions = [], []
            for i in range(3):
                if updated[i]:
                    j = (i + 1) % 3
                    rows = new_sets[i]
                    jobs.append(
                        (
                            clone(copies[i]),
                            labeled_rows,
                            unlabeled_rows[rows],
                            pred_unlabeled[j][rows].astype(np.int64),
                        )
                    )
                    positions.append(i)
                    previous_error[i] = errors[i]
                    previous_size[i] = rows.size
            for i, est in zip(positions, self._fit_copies(jobs, X, y_encoded, sample_weight)):
                self.estimators_[i] = est
            self.history_.append(
                {
                    "iteration": self.n_iter_,
                    "errors": errors.copy(),
                    "n_new_labels": [int(new_sets[i].size) if updated[i] else 0 for i in range(3)],
                    "updated": list(updated),
                }
            )
        if any(updated):
            warnings.warn(
                f"TriTrainingClassifier stopped at max_iter={self.max_iter} while "
                "its classifiers were still changing.",
                ConvergenceWarning,
            )
        self.transduction_ = target.y.copy()
        if unlabeled_rows.size:
            self.transduction_[unlabeled_rows] = self._vote(X_unlabeled)
        return self

    def _vote_scores(self, X):
        """Votes of the three copies plus half their mean probability (ties)."""
        n_classes = self.classes_.shape[0]
        votes = np.zeros((X.shape[0], n_classes))
        rows = np.arange(X.shape[0])
        for est in self.estimators_:
            votes[rows, np.asarray(est.predict(X), dtype=np.int64)] += 1.0
        if all(hasattr(est, "predict_proba") for est in self.estimators_):
            votes += 0.5 * np.mean(
                [proba_in_class_order(est, X, n_classes) for est in self.estimators_],
                axis=0,
            )
        return votes

    def _vote(self, X):
        """Majority vote of the three copies, ties broken by mean probability."""
        return self.classes_[np.argmax(self._vote_scores(X), axis=1)]

    def predict(self, X):
        """Predict classes by majority vote of the three classifiers.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted classes.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=True, ensure_all_finite=False, reset=False)
        return self._vote(X)

    @available_if(_ensemble_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities consistent with the majority vote.

        Each class scores its votes (0 to 3) plus half the three classifiers'
        mean probability, and the scores are divided by their sum (3.5), so
        the most probable class is the one :meth:`predict` returns.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=True, ensure_all_finite=False, reset=False)
        scores = self._vote_scores(X)
        return scores / scores.sum(axis=1, keepdims=True)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        return copy_input_tags(tags, self._resolved_estimator())
