"""Co-Forest: a random forest whose trees label unlabeled rows for each other."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, copy_input_tags
from ..utils._sklearn_compat import HasMethods, Interval
from ._common import (
    SelfLabeledMixin,
    check_classifier_arg,
    check_labeled_weight,
    check_weights_deliverable,
    draw_probabilities,
    fit_with_pseudo_labels,
    proba_in_class_order,
    rows_of_positive_weight,
    seed_random_states,
    split_by_label,
)
from ._tri_training import _stratified_bootstrap

__all__ = ["CoForestClassifier"]

# The paper's starting weight of each tree's pseudo-labels: min(0.1 |L|, 100).
_INITIAL_WEIGHT_SHARE = 0.1
_INITIAL_WEIGHT_CAP = 100.0


def concomitant_votes(predictions, member, n_classes, usable=None):
    """Votes of every member but ``member`` on each row, one column per class.

    ``predictions`` is ``(n_members, n_rows)`` of encoded classes; ``usable``
    (same shape, optional) says which member may vote on which row.
    """
    votes = np.zeros((predictions.shape[1], n_classes))
    rows = np.arange(predictions.shape[1])
    for j in range(predictions.shape[0]):
        if j == member:
            continue
        weight = 1.0 if usable is None else usable[j].astype(float)
        np.add.at(votes, (rows, predictions[j]), weight)
    return votes


def out_of_bag_error(predictions, in_bag, member, truth, n_classes, truth_weight=None):
    """Error of the concomitant ensemble of ``member`` on the labeled rows.

    Each labeled row is voted on only by the other members whose bootstrap
    left it out; rows no such member can vote on are skipped (0.5 when none
    is left). With ``truth_weight``, the weighted share of wrong votes.
    """
    votes = concomitant_votes(predictions, member, n_classes, usable=~in_bag)
    voted = votes.sum(axis=1) > 0
    wrong = np.argmax(votes[voted], axis=1) != truth[voted]
    if truth_weight is None:
        return float(np.mean(wrong)) if voted.any() else 0.5
    voted_weight = truth_weight[voted]
    if voted_weight.sum() <= 0:
        return 0.5
    return float(np.sum(voted_weight[wrong]) / voted_weight.sum())


class CoForestClassifier(SelfLabeledMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Co-Forest: random trees teach each other (Li and Zhou, 2007).

    ``n_estimators`` random trees start from bootstrap samples of the labeled
    rows. In each round, tree ``i``'s concomitant ensemble ``H_i`` (the other
    trees) is graded by its out-of-bag error ``e_i`` on the labeled rows. If
    ``e_i`` fell below its previous value ``e_i'``, a random subsample of
    ``e_i' * W_i' / e_i`` unlabeled rows is drawn and the rows on which
    ``H_i``'s vote share exceeds ``threshold`` are labeled by ``H_i``;
    ``W_i`` is the sum of their vote shares. When ``e_i * W_i < e_i' * W_i'``,
    tree ``i`` is refitted on its bootstrap plus these rows. Rounds stop when
    no tree changes. ``W_i'`` starts at ``min(0.1 * n_labeled, 100)`` and
    ``e_i'`` at 0.5; a tree that is not refitted keeps its previous ``e_i'``
    and ``W_i'``. Prediction averages the trees' probabilities.

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier with ``fit`` and ``predict_proba`` used for every member.
        None means ``DecisionTreeClassifier(max_features="sqrt")``, the
        paper's random tree. Each member's ``random_state`` is set from
        ``random_state``.
    n_estimators : int, default=6
        Number of members (the paper's ``N = 6``).
    threshold : float, default=0.75
        Vote share of the concomitant ensemble above which an unlabeled row
        is labeled (the paper's 0.75).
    max_iter : int, default=100
        Most rounds; a ``ConvergenceWarning`` is raised when a tree still
        changed in the last one.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the bootstraps, the subsamples and the members.
    n_jobs : int, default=None
        Jobs fitting the members in parallel (joblib); the result does not
        depend on it.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_iter_ : int
        Rounds run.
    transduction_ : ndarray of shape (n_samples,)
        Given labels, and the forest's prediction on the unlabeled rows.
    history_ : list of dict
        One entry per round: ``iteration``, ``errors`` (each ``e_i``),
        ``n_new_labels`` (rows labeled for each refitted tree, 0 otherwise).
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    TriTrainingClassifier : The three-classifier method Co-Forest extends.

    References
    ----------
    .. [1] M. Li and Z.-H. Zhou, "Improve computer-aided diagnosis with machine
       learning techniques using undiagnosed samples", IEEE Transactions on
       Systems, Man, and Cybernetics, Part A 37(6), 2007.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.self_training import CoForestClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_weak = y.copy()
    >>> y_weak[np.random.RandomState(0).rand(len(y)) < 0.7] = -1
    >>> clf = CoForestClassifier(random_state=0).fit(X, y_weak)
    >>> clf.score(X, y) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "n_estimators": [Interval(Integral, 3, None, closed="left")],
        "threshold": [Interval(Real, 0, 1, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "unlabeled_label": [Integral, str],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        estimator=None,
        *,
        n_estimators=6,
        threshold=0.75,
        max_iter=100,
        unlabeled_label=-1,
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.threshold = threshold
        self.max_iter = max_iter
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _resolved_estimator(self):
        if self.estimator is None:
            return DecisionTreeClassifier(max_features="sqrt")
        return self.estimator

    def _fit_members(self, jobs, X, y_encoded, sample_weight):
        return Parallel(n_jobs=self.n_jobs)(
            delayed(fit_with_pseudo_labels)(est, X, y_encoded, rows, extra, labels, sample_weight)
            for est, rows, extra, labels in jobs
        )

    def _check_inner_estimators(self):
        check_classifier_arg(self, self._resolved_estimator())

    def fit(self, X, y, sample_weight=None):
        """Fit the forest on labeled and unlabeled samples.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; NaN and sparse input pass through to the estimator.
        y : array-like of shape (n_samples,)
            Class labels, ``unlabeled_label`` for unlabeled samples.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (repetition counts). The bootstraps draw rows
            as without weights (rows of zero weight are left out) and each
            tree is fitted with the weights of its rows, self-labeled rows
            included (an estimator whose ``fit`` takes no ``sample_weight``
            gets each row repeated by its whole-number weight); the
            out-of-bag errors, ``W_i`` and ``W_i'`` are weighted, and the
            subsamples draw unlabeled rows in proportion to their weights.

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
        labeled_rows, unlabeled_rows, X_labeled, X_unlabeled = split_by_label(X, target)
        truth = y_encoded[labeled_rows]
        n_members = self.n_estimators
        no_rows = np.zeros(0, dtype=np.intp)
        weight = np.ones(y_encoded.shape[0]) if sample_weight is None else sample_weight
        truth_weight = None if sample_weight is None else sample_weight[labeled_rows]
        unlabeled_weight = weight[unlabeled_rows]
        # Positions in unlabeled_rows that subsamples may draw.
        drawable = rows_of_positive_weight(np.arange(unlabeled_rows.shape[0]), unlabeled_weight)

        members = [seed_random_states(clone(base), rng) for _ in range(n_members)]
        boot_seeds = rng.randint(np.iinfo(np.int32).max, size=n_members)
        bootstrapped = rows_of_positive_weight(labeled_rows, sample_weight)
        bags = [_stratified_bootstrap(y_encoded, bootstrapped, seed) for seed in boot_seeds]
        in_bag = np.array([np.isin(labeled_rows, bag) for bag in bags])
        self.estimators_ = self._fit_members(
            [(members[i], bags[i], no_rows, no_rows) for i in range(n_members)],
            X,
            y_encoded,
            sample_weight,
        )

        previous_error = np.full(n_members, 0.5)
        labeled_weight = weight[labeled_rows].sum()
        initial_weight = min(_INITIAL_WEIGHT_SHARE * labeled_weight, _INITIAL_WEIGHT_CAP)
        previous_weight = np.full(n_members, initial_weight)
        self.history_ = []
        self.n_iter_ = 0
        changed = drawable.shape[0] > 0
        while changed and self.n_iter_ < self.max_iter:
            self.n_iter_ += 1
            pred_labeled = np.array([est.predict(X_labeled) for est in self.estimators_])
            pred_unlabeled = np.array([est.predict(X_unlabeled) for est in self.estimators_])
            pred_labeled = pred_labeled.astype(np.intp)
            pred_unlabeled = pred_unlabeled.astype(np.intp)
            errors = np.array(
                [
                    out_of_bag_error(pred_labeled, in_bag, i, truth, n_classes, truth_weight)
                    for i in range(n_members)
                ]
            )
            subsample_seeds = rng.randint(np.iinfo(np.int32).max, size=n_members)
            jobs, positions, n_new, weights = [], [], [0] * n_members, {}
            for i in range(n_members):
                if errors[i] >= previous_error[i]:
                    continue
                budget = previous_error[i] * previous_weight[i]
                size = drawable.shape[0]
                if errors[i] > 0:
                    # budget / errors[i] is a weight: as many rows as weigh it on average.
                    mean_weight = unlabeled_weight[drawable].mean()
                    size = min(size, int(budget / (errors[i] * mean_weight)))
                draw_weights = None if sample_weight is None else unlabeled_weight[drawable]
                subsample = np.sort(
                    np.random.RandomState(subsample_seeds[i]).choice(
                        drawable, size=size, replace=False, p=draw_probabilities(draw_weights)
                    )
                )
                votes = concomitant_votes(pred_unlabeled[:, subsample], i, n_classes)
                share = votes.max(axis=1) / (n_members - 1)
                confident = share > self.threshold
                new_weight = float((share * unlabeled_weight[subsample])[confident].sum())
                if not confident.any() or errors[i] * new_weight >= budget:
                    continue
                rows = subsample[confident]
                labels = np.argmax(votes[confident], axis=1).astype(np.int64)
                jobs.append((clone(members[i]), bags[i], unlabeled_rows[rows], labels))
                positions.append(i)
                n_new[i] = int(rows.shape[0])
                weights[i] = new_weight
            for i, est in zip(positions, self._fit_members(jobs, X, y_encoded, sample_weight)):
                self.estimators_[i] = est
                previous_error[i] = errors[i]
                previous_weight[i] = weights[i]
            changed = bool(positions)
            self.history_.append(
                {"iteration": self.n_iter_, "errors": errors, "n_new_labels": n_new}
            )
        if changed and unlabeled_rows.shape[0]:
            warnings.warn(
                f"CoForestClassifier stopped at max_iter={self.max_iter} while its "
                "trees were still changing.",
                ConvergenceWarning,
            )
        self.transduction_ = target.y.copy()
        if unlabeled_rows.shape[0]:
            proba = self._mean_proba(X_unlabeled)
            self.transduction_[unlabeled_rows] = self.classes_[np.argmax(proba, axis=1)]
        return self

    def _mean_proba(self, X):
        n_classes = self.classes_.shape[0]
        return np.mean([proba_in_class_order(est, X, n_classes) for est in self.estimators_], 0)

    def predict_proba(self, X):
        """Mean class probabilities of the trees.

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
        return self._mean_proba(X)

    def predict(self, X):
        """Predict the class of highest mean probability.

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
        return copy_input_tags(tags, self._resolved_estimator())
