"""SETRED: self-training whose pseudo-labels pass a neighbourhood test."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils import check_random_state

from ..base import BaseWeakClassifier, DelegationMixin, copy_input_tags
from ..utils._sklearn_compat import HasMethods, Interval, _safe_indexing
from ._common import (
    SelfLabeledMixin,
    check_classifier_arg,
    check_labeled_weight,
    check_weights_deliverable,
    class_prior,
    draw_probabilities,
    fit_on_rows,
    proba_in_class_order,
    rows_of_positive_weight,
    seed_random_states,
)
from ._pseudo_label_checks import neighbourhood_consistent

__all__ = ["SETREDClassifier"]


def class_quotas(prior, n_candidates):
    """Candidates per class in the labeled class proportions, at least one each."""
    return np.maximum(1, np.round(prior * n_candidates)).astype(int)


def most_confident_per_class(proba, quotas):
    """Positions of the ``quotas[c]`` most confident rows predicted as each class ``c``.

    Returns the positions and their predicted classes.
    """
    predicted = np.argmax(proba, axis=1)
    confidence = proba[np.arange(proba.shape[0]), predicted]
    positions, labels = [], []
    for c, quota in enumerate(quotas):
        rows = np.flatnonzero(predicted == c)
        best = rows[np.argsort(-confidence[rows], kind="stable")[:quota]]
        positions.append(best)
        labels.append(np.full(best.shape[0], c, dtype=np.int64))
    return np.concatenate(positions), np.concatenate(labels)


class SETREDClassifier(DelegationMixin, SelfLabeledMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """SETRED: self-training with editing (Li and Zhou, 2005).

    ``estimator`` is fitted on the labeled rows. Each round draws a pool of
    unlabeled rows, takes the rows the model is most sure of, per class in the
    labeled class proportions (``n_candidates`` in all), and tests each
    pseudo-label against its neighbourhood: the cut-edge weight ``J`` (sum of
    ``1 / (1 + distance)`` over its 10 nearest neighbours of another label,
    among the labeled, earlier pseudo-labeled and candidate rows) is compared
    with its distribution were labels independent of the neighbourhood. A
    pseudo-label is kept only when ``J`` is significantly small (one-sided
    p-value below ``rejection_threshold``); kept rows join the training set,
    rejected rows go back to the unlabeled rows. The model is refitted on the
    labeled and kept rows. Rounds stop at ``max_iter`` or when no unlabeled
    row is left.

    The paper builds a relative neighbourhood graph; this uses the
    ``k``-nearest-neighbour graph, as most implementations do. Predictions
    are those of the last model.

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier with ``fit`` and ``predict_proba``. None means
        ``KNeighborsClassifier(n_neighbors=3)``. Its ``random_state``
        parameters are set from ``random_state``.
    max_iter : int, default=40
        Most rounds; a ``ConvergenceWarning`` is raised when the last round
        still added pseudo-labels and unlabeled rows are left.
    pool_size : float, default=0.25
        Share of the unlabeled rows drawn as each round's pool.
    n_candidates : int, default=None
        Pseudo-labels proposed per round (before the test). None means the
        number of labeled rows (of positive weight).
    rejection_threshold : float, default=0.1
        Significance level of the neighbourhood test (the paper's 0.1).
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the pools and the estimator's own ``random_state``.

    Attributes
    ----------
    estimator_ : estimator
        The last fitted model, which predicts.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_iter_ : int
        Rounds run.
    transduction_ : ndarray of shape (n_samples,)
        Given labels, the kept pseudo-labels, and ``unlabeled_label`` for
        unlabeled rows never kept.
    labeled_iter_ : ndarray of shape (n_samples,)
        Round in which each row was kept (0 for labeled rows, -1 if never).
    history_ : list of dict
        One entry per round: ``iteration``, ``n_candidates`` (proposed) and
        ``n_accepted`` (kept by the test).
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    SelfTrainingClassifier : Self-training; ``editing_alpha`` adds this test.
    TriTrainingClassifier : Three classifiers label rows for each other.

    References
    ----------
    .. [1] M. Li and Z.-H. Zhou, "SETRED: self-training with editing",
       PAKDD 2005, LNAI 3518, pp. 611-621.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.self_training import SETREDClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_weak = y.copy()
    >>> y_weak[np.random.RandomState(0).rand(len(y)) < 0.8] = -1
    >>> clf = SETREDClassifier(random_state=0).fit(X, y_weak)
    >>> clf.score(X, y) > 0.9
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "pool_size": [Interval(Real, 0, 1, closed="right")],
        "n_candidates": [Interval(Integral, 1, None, closed="left"), None],
        "rejection_threshold": [Interval(Real, 0, 1, closed="neither")],
        "unlabeled_label": [Integral, str],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        max_iter=40,
        pool_size=0.25,
        n_candidates=None,
        rejection_threshold=0.1,
        unlabeled_label=-1,
        random_state=None,
    ):
        self.estimator = estimator
        self.max_iter = max_iter
        self.pool_size = pool_size
        self.n_candidates = n_candidates
        self.rejection_threshold = rejection_threshold
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state

    def _resolved_estimator(self):
        return KNeighborsClassifier(n_neighbors=3) if self.estimator is None else self.estimator

    def _to_labels(self, predicted):
        return self.classes_[np.asarray(predicted, dtype=np.intp)]

    def _check_inner_estimators(self):
        check_classifier_arg(self, self._resolved_estimator())

    def fit(self, X, y, sample_weight=None):
        """Self-train with edited pseudo-labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, finite (the neighbourhood test needs distances);
            sparse input passes through to the estimator.
        y : array-like of shape (n_samples,)
            Class labels, ``unlabeled_label`` for unlabeled samples.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (repetition counts). Every fit of the
            estimator gets the weights of its rows, kept pseudo-labeled rows
            included (an estimator whose ``fit`` takes no ``sample_weight``
            gets each row repeated by its whole-number weight); they weigh
            the labeled class proportions (the per-class quotas and the
            neighbourhood test's label shares), and the pools draw unlabeled
            rows in proportion to their weights. Rows of zero weight are left
            out.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        base = self._resolved_estimator()
        check_labeled_weight(sample_weight, target.labeled)
        check_weights_deliverable(self, [base], sample_weight)
        rng = check_random_state(self.random_state)
        self.classes_ = target.classes
        n_classes = self.classes_.shape[0]
        y_encoded = target.y_encoded
        train_rows = rows_of_positive_weight(np.flatnonzero(target.labeled), sample_weight)
        train_labels = y_encoded[train_rows]
        n_given = train_rows.shape[0]
        remaining = rows_of_positive_weight(np.flatnonzero(~target.labeled), sample_weight)
        pool_rows = int(np.ceil(self.pool_size * remaining.shape[0]))
        n_candidates = self.n_candidates or n_given
        prior = class_prior(y_encoded, target.labeled, n_classes, sample_weight)
        quotas = class_quotas(prior, n_candidates)

        base = seed_random_states(clone(base), rng)
        self.estimator_ = fit_on_rows(clone(base), X, y_encoded, train_rows, sample_weight)
        self.labeled_iter_ = np.where(target.labeled, 0, -1)
        self.history_ = []
        self.n_iter_ = 0
        n_accepted = 0
        while remaining.shape[0] and self.n_iter_ < self.max_iter:
            self.n_iter_ += 1
            weights = None if sample_weight is None else sample_weight[remaining]
            size = min(pool_rows, remaining.shape[0])
            pool = np.sort(
                rng.choice(remaining, size, replace=False, p=draw_probabilities(weights))
            )
            proba = proba_in_class_order(self.estimator_, _safe_indexing(X, pool), n_classes)
            positions, labels = most_confident_per_class(proba, quotas)
            keep = neighbourhood_consistent(
                X,
                train_rows,
                train_labels,
                pool[positions],
                labels,
                self.rejection_threshold,
                None if sample_weight is None else sample_weight[train_rows],
            )
            accepted = pool[positions[keep]]
            n_accepted = accepted.shape[0]
            self.history_.append(
                {
                    "iteration": self.n_iter_,
                    "n_candidates": int(positions.shape[0]),
                    "n_accepted": int(n_accepted),
                }
            )
            if not n_accepted:
                continue
            train_rows = np.concatenate([train_rows, accepted])
            train_labels = np.concatenate([train_labels, labels[keep]])
            self.labeled_iter_[accepted] = self.n_iter_
            remaining = np.setdiff1d(remaining, accepted, assume_unique=True)
            targets = np.full(y_encoded.shape[0], -1, dtype=np.int64)
            targets[train_rows] = train_labels
            self.estimator_ = fit_on_rows(clone(base), X, targets, train_rows, sample_weight)
        if n_accepted and remaining.shape[0] and self.n_iter_ == self.max_iter:
            warnings.warn(
                f"SETREDClassifier stopped at max_iter={self.max_iter} while pseudo-labels "
                "were still being added.",
                ConvergenceWarning,
            )
        self.transduction_ = target.y.copy()
        self.transduction_[train_rows[n_given:]] = self.classes_[train_labels[n_given:]]
        return self

    def __sklearn_tags__(self):
        tags = copy_input_tags(super().__sklearn_tags__(), self._resolved_estimator())
        tags.input_tags.allow_nan = False  # the neighbourhood test needs distances
        return tags
