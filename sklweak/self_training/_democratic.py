"""Democratic co-learning: different learners label rows for the dissenters."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.stats import norm
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier
from ..utils._sklearn_compat import Interval
from ._common import (
    SelfLabeledMixin,
    check_classifier_arg,
    check_labeled_weight,
    check_weights_deliverable,
    fit_with_pseudo_labels,
    seed_random_states,
    split_by_label,
)

__all__ = ["DemocraticCoLearningClassifier"]


def accuracy_interval(n_correct, n_total, confidence):
    """Wilson score interval ``(low, high)`` of an accuracy of ``n_correct / n_total``."""
    if n_total == 0:
        return 0.0, 1.0
    z = norm.ppf(0.5 + confidence / 2)
    p = n_correct / n_total
    centre = (p + z**2 / (2 * n_total)) / (1 + z**2 / n_total)
    half = z * np.sqrt(p * (1 - p) / n_total + z**2 / (4 * n_total**2)) / (1 + z**2 / n_total)
    return centre - half, centre + half


def weighted_votes(predictions, weights, n_classes):
    """Sum of ``weights[i]`` over the learners ``i`` that predict each class."""
    votes = np.zeros((predictions.shape[1], n_classes))
    rows = np.arange(predictions.shape[1])
    for prediction, weight in zip(predictions, weights):
        np.add.at(votes, (rows, prediction), weight)
    return votes


def group_confidence(predictions, weights, n_classes):
    """The paper's combination: per class, ``(n + 0.5) / (n + 1)`` times the
    mean weight of the ``n`` learners predicting it (0 for no learner)."""
    counts = weighted_votes(predictions, np.ones(len(weights)), n_classes)
    total = weighted_votes(predictions, weights, n_classes)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(counts > 0, total / counts, 0.0)
    return (counts + 0.5) / (counts + 1) * mean


class DemocraticCoLearningClassifier(SelfLabeledMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Democratic co-learning: learners of different kinds vote (Zhou and Goldman, 2004).

    Each learner is fitted on its own training set, first the labeled rows.
    Each learner's weight is the middle of the ``confidence`` interval of its
    accuracy on the labeled rows. On each unlabeled row, when the learners
    predicting the majority class (by count) outweigh those predicting any
    other class, the row with that class is proposed to every learner that
    disagrees. A learner takes its proposals when this lowers its estimated
    noisy-set error, that is when ``q' > q`` for ``q = |L_i| (1 - 2 e_i /
    |L_i|) ** 2``, ``L_i`` its training set and ``e_i`` its estimated number
    of wrong labels, which grows by ``(1 - mean lower bound) * |proposals|``
    on acceptance. Rounds stop when no learner changes. Prediction keeps the
    learners of weight above 0.5, groups them by predicted class and picks
    the class of highest ``(n + 0.5) / (n + 1) * mean weight``.

    Parameters
    ----------
    estimators : list of estimators, default=None
        Classifiers with ``fit`` and ``predict``, ideally of different kinds.
        None means ``[DecisionTreeClassifier(), GaussianNB(),
        KNeighborsClassifier(n_neighbors=3)]`` (the paper's C4.5, naive Bayes
        and 3-NN).
    confidence : float, default=0.95
        Level of the accuracy intervals (Wilson score intervals on the
        labeled rows).
    max_iter : int, default=100
        Most rounds; a ``ConvergenceWarning`` is raised when a learner still
        changed in the last one.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the learners' own ``random_state``.
    n_jobs : int, default=None
        Jobs fitting the learners in parallel (joblib); the result does not
        depend on it.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted learners.
    weights_ : ndarray of shape (n_learners,)
        Each learner's weight, the middle of its accuracy interval.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_iter_ : int
        Rounds run.
    transduction_ : ndarray of shape (n_samples,)
        Given labels, and the combined prediction on the unlabeled rows.
    history_ : list of dict
        One entry per round: ``iteration``, ``weights`` and ``n_new_labels``
        (rows each learner took, 0 if it declined).
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    TriTrainingClassifier : Three copies of one learner.

    References
    ----------
    .. [1] Y. Zhou and S. Goldman, "Democratic co-learning", 16th IEEE
       International Conference on Tools with Artificial Intelligence, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.self_training import DemocraticCoLearningClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_weak = y.copy()
    >>> y_weak[np.random.RandomState(0).rand(len(y)) < 0.7] = -1
    >>> clf = DemocraticCoLearningClassifier(random_state=0).fit(X, y_weak)
    >>> clf.score(X, y) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "estimators": [list, None],
        "confidence": [Interval(Real, 0, 1, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "unlabeled_label": [Integral, str],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        estimators=None,
        *,
        confidence=0.95,
        max_iter=100,
        unlabeled_label=-1,
        random_state=None,
        n_jobs=None,
    ):
        self.estimators = estimators
        self.confidence = confidence
        self.max_iter = max_iter
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _learners(self):
        if self.estimators is None:
            return [DecisionTreeClassifier(), GaussianNB(), KNeighborsClassifier(n_neighbors=3)]
        return self.estimators

    def _check_learners(self):
        learners = self._learners()
        if len(learners) < 2:
            raise ValueError(
                "estimators must hold at least two classifiers; got "
                f"{len(learners)}. Democratic co-learning needs learners to vote."
            )
        for learner in learners:
            if not (hasattr(learner, "fit") and hasattr(learner, "predict")):
                raise TypeError(
                    "Every entry of estimators must have fit and predict; got "
                    f"{type(learner).__name__}."
                )
            check_classifier_arg(self, learner, needs_proba=False)
        return learners

    def _fit_learners(self, jobs, X, y_encoded, sample_weight):
        return Parallel(n_jobs=self.n_jobs)(
            delayed(fit_with_pseudo_labels)(est, X, y_encoded, rows, extra, labels, sample_weight)
            for est, rows, extra, labels in jobs
        )

    def _intervals(self, X_labeled, truth, truth_weight):
        return np.array(
            [
                accuracy_interval(
                    np.sum(truth_weight[est.predict(X_labeled) == truth]),
                    truth_weight.sum(),
                    self.confidence,
                )
                for est in self.estimators_
            ]
        )

    def _check_inner_estimators(self):
        self._check_learners()

    def fit(self, X, y, sample_weight=None):
        """Fit the learners on labeled and unlabeled samples.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; NaN and sparse input pass through to the learners.
        y : array-like of shape (n_samples,)
            Class labels, ``unlabeled_label`` for unlabeled samples.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (repetition counts). Each learner is fitted
            with the weights of its rows, proposed rows included (a learner
            whose ``fit`` takes no ``sample_weight``, such as the default
            3-NN, gets each row repeated by its whole-number weight); the
            accuracy intervals count weighted hits, and the training-set
            sizes and estimated wrong labels of the acceptance rule are sums
            of weights. Unlabeled rows of zero weight are never proposed.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        learners = self._learners()
        check_labeled_weight(sample_weight, target.labeled)
        check_weights_deliverable(self, learners, sample_weight)
        rng = check_random_state(self.random_state)
        self.classes_ = target.classes
        n_classes = self.classes_.shape[0]
        y_encoded = target.y_encoded
        labeled_rows, unlabeled_rows, X_labeled, X_unlabeled = split_by_label(X, target)
        truth = y_encoded[labeled_rows]
        n_learners = len(learners)
        weight = np.ones(y_encoded.shape[0]) if sample_weight is None else sample_weight
        truth_weight, unlabeled_weight = weight[labeled_rows], weight[unlabeled_rows]

        learners = [seed_random_states(clone(est), rng) for est in learners]
        added = [np.zeros(unlabeled_rows.shape[0], dtype=bool) for _ in learners]
        added_labels = [np.full(unlabeled_rows.shape[0], -1, dtype=np.int64) for _ in learners]
        wrong = np.zeros(n_learners)
        no_rows = np.zeros(0, dtype=np.intp)
        self.estimators_ = self._fit_learners(
            [(learners[i], labeled_rows, no_rows, no_rows) for i in range(n_learners)],
            X,
            y_encoded,
            sample_weight,
        )
        self.history_ = []
        self.n_iter_ = 0
        changed = unlabeled_rows.shape[0] > 0
        while changed and self.n_iter_ < self.max_iter:
            self.n_iter_ += 1
            intervals = self._intervals(X_labeled, truth, truth_weight)
            weights = intervals.mean(axis=1)
            predictions = np.array(
                [est.predict(X_unlabeled) for est in self.estimators_], dtype=np.intp
            )
            counts = weighted_votes(predictions, np.ones(n_learners), n_classes)
            majority = np.argmax(counts, axis=1)
            votes = weighted_votes(predictions, weights, n_classes)
            rows = np.arange(majority.shape[0])
            others = votes.copy()
            others[rows, majority] = -np.inf
            agreed = votes[rows, majority] > others.max(axis=1)
            error_per_row = 1.0 - intervals[:, 0].mean()
            jobs, positions, n_new = [], [], [0] * n_learners
            for i in range(n_learners):
                proposed = agreed & (predictions[i] != majority) & ~added[i]
                proposed &= unlabeled_weight > 0
                n_proposed = int(proposed.sum())
                if not n_proposed:
                    continue
                size = truth_weight.sum() + unlabeled_weight[added[i]].sum()
                quality = size * (1 - 2 * wrong[i] / size) ** 2
                proposed_weight = unlabeled_weight[proposed].sum()
                new_wrong = wrong[i] + error_per_row * proposed_weight
                new_size = size + proposed_weight
                if new_size * (1 - 2 * new_wrong / new_size) ** 2 <= quality:
                    continue
                added[i] |= proposed
                added_labels[i][proposed] = majority[proposed]
                wrong[i] = new_wrong
                n_new[i] = n_proposed
                extra = np.flatnonzero(added[i])
                jobs.append(
                    (
                        clone(learners[i]),
                        labeled_rows,
                        unlabeled_rows[extra],
                        added_labels[i][extra],
                    )
                )
                positions.append(i)
            for i, est in zip(positions, self._fit_learners(jobs, X, y_encoded, sample_weight)):
                self.estimators_[i] = est
            changed = bool(positions)
            self.history_.append(
                {"iteration": self.n_iter_, "weights": weights, "n_new_labels": n_new}
            )
        if changed and unlabeled_rows.shape[0]:
            warnings.warn(
                f"DemocraticCoLearningClassifier stopped at max_iter={self.max_iter} "
                "while its learners were still changing.",
                ConvergenceWarning,
            )
        self.weights_ = self._intervals(X_labeled, truth, truth_weight).mean(axis=1)
        self.transduction_ = target.y.copy()
        if unlabeled_rows.shape[0]:
            self.transduction_[unlabeled_rows] = self.classes_[
                np.argmax(self._combined(X_unlabeled), axis=1)
            ]
        return self

    def _combined(self, X):
        """The paper's group confidences, from the learners of weight above 0.5."""
        voters = np.flatnonzero(self.weights_ > 0.5)
        if voters.shape[0] == 0:
            voters = np.arange(len(self.estimators_))
        predictions = np.array(
            [self.estimators_[i].predict(X) for i in voters], dtype=np.intp
        ).reshape(voters.shape[0], -1)
        return group_confidence(predictions, self.weights_[voters], self.classes_.shape[0])

    def predict_proba(self, X):
        """Group confidences of the classes, divided by their sum.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=True, ensure_all_finite=False, reset=False)
        scores = self._combined(X)
        total = scores.sum(axis=1, keepdims=True)
        uniform = np.full_like(scores, 1.0 / scores.shape[1])
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total > 0, scores / total, uniform)

    def predict(self, X):
        """Predict the class of highest group confidence.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted classes.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = [get_tags(est).input_tags for est in self._learners()]
        tags.input_tags.sparse = all(t.sparse for t in inner)
        tags.input_tags.allow_nan = all(t.allow_nan for t in inner)
        return tags
