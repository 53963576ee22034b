"""ASSEMBLE: AdaBoost over labeled rows and pseudo-labeled unlabeled rows."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, ScorePredictionMixin
from ..utils._sklearn_compat import HasMethods, Interval, _safe_indexing
from ..utils._weights import sample_weight_parameter
from ._common import (
    SelfLabeledMixin,
    check_classifier_arg,
    check_labeled_weight,
    fit_on_rows,
    rows_of_positive_weight,
    seed_random_states,
)

__all__ = ["AssembleClassifier"]

# A round's weight when it makes no weighted mistake (AdaBoost's would be infinite).
_PERFECT_ROUND_WEIGHT = 10.0


def samme_round_weight(error, n_classes):
    """``(log((1 - error) / error) + log(n_classes - 1)) / 2``, capped when ``error`` is 0.

    For two classes, AdaBoost's round weight.
    """
    if error <= 0:
        return _PERFECT_ROUND_WEIGHT
    return 0.5 * (np.log((1 - error) / error) + np.log(n_classes - 1))


def margins(scores, labels):
    """Score of each row's label minus the best score of another class."""
    rows = np.arange(scores.shape[0])
    own = scores[rows, labels]
    others = scores.copy()
    others[rows, labels] = -np.inf
    return own - others.max(axis=1)


class AssembleClassifier(
    ScorePredictionMixin, SelfLabeledMixin, MetaEstimatorMixin, BaseWeakClassifier
):
    """ASSEMBLE: adaptive boosting with pseudo-labeled rows (Bennett, Demiriz and Maclin, 2002).

    Unlabeled rows start with the label of their nearest labeled row. Each
    row has a cost ``alpha_i``: ``labeled_share / n_labeled`` for labeled
    rows, ``(1 - labeled_share) / n_unlabeled`` for unlabeled ones (with
    ``sample_weight``, ``labeled_share * w_i / sum of the labeled weights``
    and likewise, as repeated rows would give), and the
    rows' distribution is ``D_i`` proportional to ``alpha_i * exp(-m_i)``,
    ``m_i`` the margin of the ensemble ``F`` on the row's (pseudo-)label.
    Each round fits ``estimator`` under ``D`` (as ``sample_weight``, or by
    drawing ``n_samples`` rows from ``D`` when it takes no weights), measures
    its weighted error ``e``, stops when ``e >= 1 - 1 / n_classes``, adds it
    to ``F`` with weight ``(log((1 - e) / e) + log(n_classes - 1)) / 2`` (the
    paper's AdaBoost weight, extended to several classes as in SAMME) and
    relabels the unlabeled rows with ``F``'s prediction. A round without a
    weighted mistake ends the boosting. ``predict_proba`` is the softmax of
    the weighted votes.

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier with ``fit`` and ``predict``. None means
        ``DecisionTreeClassifier(max_depth=3)``. Its ``random_state`` is set
        from ``random_state``.
    n_estimators : int, default=25
        Most boosting rounds.
    labeled_share : float, default=0.9
        Share of the total cost on the labeled rows (the paper's ``beta``).
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the estimator and the draws of rows.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted rounds.
    estimator_weights_ : ndarray of shape (n_rounds,)
        Weight of each round in the ensemble.
    estimator_errors_ : ndarray of shape (n_rounds,)
        Weighted error of each round.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_iter_ : int
        Rounds fitted (including a last one rejected for its error).
    transduction_ : ndarray of shape (n_samples,)
        Given labels, and the ensemble's labels of the unlabeled rows.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    SemiBoostClassifier : Boosting whose pseudo-labels come from a similarity graph.

    References
    ----------
    .. [1] K. P. Bennett, A. Demiriz and R. Maclin, "Exploiting unlabeled data
       in ensemble methods", KDD 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.self_training import AssembleClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_weak = y.copy()
    >>> y_weak[np.random.RandomState(0).rand(len(y)) < 0.7] = -1
    >>> clf = AssembleClassifier(random_state=0).fit(X, y_weak)
    >>> clf.score(X, y) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "labeled_share": [Interval(Real, 0, 1, closed="right")],
        "unlabeled_label": [Integral, str],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        n_estimators=25,
        labeled_share=0.9,
        unlabeled_label=-1,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.labeled_share = labeled_share
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state

    def _resolved_estimator(self):
        return DecisionTreeClassifier(max_depth=3) if self.estimator is None else self.estimator

    def _fit_round(self, base, X, labels, distribution, total_weight, rng):
        estimator = seed_random_states(clone(base), rng)
        n_samples = labels.shape[0]
        if sample_weight_parameter(estimator) is not None:
            rows = np.arange(n_samples)
            return fit_on_rows(estimator, X, labels, rows, distribution * total_weight)
        rows = np.sort(rng.choice(n_samples, size=n_samples, replace=True, p=distribution))
        return fit_on_rows(estimator, X, labels, rows)

    def _check_inner_estimators(self):
        check_classifier_arg(self, self._resolved_estimator(), needs_proba=False)

    def fit(self, X, y, sample_weight=None):
        """Boost on labeled and pseudo-labeled samples.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (finite: unlabeled rows start from their nearest
            labeled neighbour).
        y : array-like of shape (n_samples,)
            Class labels, ``unlabeled_label`` for unlabeled samples.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (repetition counts): they multiply the rows'
            costs, so the boosting distribution and each round's error are
            weighted; an estimator whose ``fit`` takes no ``sample_weight``
            receives the distribution through its draws of rows. Rows of
            zero weight are no nearest labeled neighbour.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        base = self._resolved_estimator()
        validate_data(self, X, accept_sparse=True, reset=False)  # finite for the 1-NN
        labeled = target.labeled
        check_labeled_weight(sample_weight, labeled)
        rng = check_random_state(self.random_state)
        self.classes_ = target.classes
        n_classes = self.classes_.shape[0]
        labels = target.y_encoded.copy()
        row_weight = np.ones(labels.shape[0]) if sample_weight is None else sample_weight
        total_weight = row_weight.sum()
        cost = self.labeled_share * row_weight / row_weight[labeled].sum()
        unlabeled_weight = row_weight[~labeled].sum()
        if (~labeled).any():
            references = rows_of_positive_weight(np.flatnonzero(labeled), sample_weight)
            nearest = KNeighborsClassifier(n_neighbors=1).fit(
                _safe_indexing(X, references), labels[references]
            )
            labels[~labeled] = nearest.predict(_safe_indexing(X, np.flatnonzero(~labeled)))
            if unlabeled_weight > 0:
                cost[~labeled] = (1 - self.labeled_share) * row_weight[~labeled] / unlabeled_weight
        distribution = cost / cost.sum()
        scores = np.zeros((labels.shape[0], n_classes))
        self.estimators_, weights, errors = [], [], []
        self.n_iter_ = 0
        for _ in range(self.n_estimators):
            self.n_iter_ += 1
            estimator = self._fit_round(base, X, labels, distribution, total_weight, rng)
            predicted = np.asarray(estimator.predict(X), dtype=np.intp)
            error = float(np.sum(distribution[predicted != labels]))
            if error >= 1 - 1 / n_classes:
                break
            weight = samme_round_weight(error, n_classes)
            self.estimators_.append(estimator)
            weights.append(weight)
            errors.append(error)
            scores[np.arange(labels.shape[0]), predicted] += weight
            if error <= 0:
                break
            labels[~labeled] = np.argmax(scores[~labeled], axis=1)
            distribution = cost * np.exp(-np.clip(margins(scores, labels), -50, 50))
            distribution /= distribution.sum()
        if not self.estimators_:
            # Even the first round did no better than chance: keep it alone.
            self.estimators_, weights, errors = [estimator], [1.0], [error]
        self.estimator_weights_ = np.asarray(weights)
        self.estimator_errors_ = np.asarray(errors)
        self.transduction_ = target.y.copy()
        if (~labeled).any():
            self.transduction_[~labeled] = self.classes_[
                np.argmax(self._votes(_safe_indexing(X, np.flatnonzero(~labeled))), axis=1)
            ]
        return self

    def _votes(self, X):
        scores = np.zeros((X.shape[0], self.classes_.shape[0]))
        rows = np.arange(X.shape[0])
        for estimator, weight in zip(self.estimators_, self.estimator_weights_):
            scores[rows, np.asarray(estimator.predict(X), dtype=np.intp)] += weight
        return scores

    def decision_function(self, X):
        """Weighted votes of the rounds.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Per class, the sum of the weights of the rounds predicting it; for
            two classes, the score of ``classes_[1]`` minus that of
            ``classes_[0]``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=True, reset=False)
        scores = self._votes(X)
        return scores[:, 1] - scores[:, 0] if scores.shape[1] == 2 else scores

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
