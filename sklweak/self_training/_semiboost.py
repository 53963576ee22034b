"""SemiBoost: boosting with pseudo-labels from a similarity graph."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.metrics import pairwise_distances
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, ScorePredictionMixin
from ..utils._sklearn_compat import HasMethods, Interval, _safe_indexing
from ._common import (
    SelfLabeledMixin,
    check_classifier_arg,
    check_labeled_weight,
    check_weights_deliverable,
    fit_on_rows,
    rows_of_positive_weight,
    seed_random_states,
)

__all__ = ["SemiBoostClassifier"]

# Ensemble scores are clipped here before exponentiation.
_SCORE_CLIP = 30.0


def rbf_similarity(X, percentile, sample_weight=None):
    """``exp(-d ** 2 / sigma ** 2)``, ``sigma`` the ``percentile`` of the distances.

    The distances between rows of positive weight, when ``sample_weight`` is given.
    """
    distances = pairwise_distances(X)
    kept = (
        distances
        if sample_weight is None
        else distances[np.ix_(sample_weight > 0, sample_weight > 0)]
    )
    positive = kept[np.triu_indices_from(kept, k=1)]
    positive = positive[positive > 0]
    sigma = np.percentile(positive, percentile) if positive.size else 1.0
    return np.exp(-np.square(distances / sigma))


def pseudo_label_weights(similarity, labeled, positive, scores, balance, weight=None):
    """SemiBoost's ``p`` and ``q`` of each unlabeled row.

    ``p_i`` (``q_i``) is the evidence for the positive (negative) class:
    labeled neighbours of that class weighted by ``exp(-2 H_i)``
    (``exp(2 H_i)``), plus ``balance / 2`` times the unlabeled neighbours
    weighted by ``exp(H_j - H_i)`` (``exp(H_i - H_j)``). Each pair of rows
    counts ``weight_i * weight_j`` times (``weight`` default: ones), as
    repeated rows would (a row is not its own neighbour).
    """
    if weight is None:
        weight = np.ones(labeled.shape[0])
    unlabeled = ~labeled
    H = np.clip(scores, -_SCORE_CLIP, _SCORE_CLIP)
    H_u = H[unlabeled]
    w_u = weight[unlabeled]
    to_labeled = similarity[np.ix_(unlabeled, labeled)]
    to_unlabeled = similarity[np.ix_(unlabeled, unlabeled)].copy()
    np.fill_diagonal(to_unlabeled, 0.0)
    pos = positive[labeled].astype(float)
    w_l = weight[labeled]
    p = np.exp(-2 * H_u) * (to_labeled @ (w_l * pos)) + balance / 2 * np.exp(-H_u) * (
        to_unlabeled @ (w_u * np.exp(H_u))
    )
    q = np.exp(2 * H_u) * (to_labeled @ (w_l * (1 - pos))) + balance / 2 * np.exp(H_u) * (
        to_unlabeled @ (w_u * np.exp(-H_u))
    )
    return w_u * p, w_u * q


def boost_one_class(base, X, similarity, labeled, positive, params, seed, sample_weight=None):
    """Binary SemiBoost of ``positive`` against the rest; the rounds and their weights."""
    n_estimators, sample_share = params
    rng = np.random.RandomState(seed)
    labeled_rows = np.flatnonzero(labeled)
    unlabeled_rows = np.flatnonzero(~labeled)
    row_weight = np.ones(labeled.shape[0]) if sample_weight is None else sample_weight
    labeled_weight = row_weight[labeled_rows].sum()
    unlabeled_weight = row_weight[unlabeled_rows].sum()
    balance = labeled_weight / unlabeled_weight if unlabeled_weight > 0 else labeled_weight
    scores = np.zeros(labeled.shape[0])
    targets = positive.astype(np.int64)
    estimators, weights = [], []
    for _ in range(n_estimators):
        p, q = pseudo_label_weights(similarity, labeled, positive, scores, balance, row_weight)
        confidence = np.abs(p - q)
        rows = labeled_rows
        if unlabeled_rows.shape[0] and confidence.sum() > 0:
            n_drawable = rows_of_positive_weight(unlabeled_rows, sample_weight).shape[0]
            size = max(1, int(sample_share * n_drawable))
            size = min(size, int(np.count_nonzero(confidence)))
            chosen = rng.choice(
                unlabeled_rows.shape[0], size=size, replace=False, p=confidence / confidence.sum()
            )
            targets[unlabeled_rows[chosen]] = (p[chosen] > q[chosen]).astype(np.int64)
            rows = np.concatenate([labeled_rows, np.sort(unlabeled_rows[chosen])])
        estimator = seed_random_states(clone(base), rng)
        fit_on_rows(estimator, X, targets, rows, sample_weight)
        predicted = np.asarray(estimator.predict(X), dtype=np.int64)
        if unlabeled_rows.shape[0]:
            hit = predicted[unlabeled_rows] == 1
            agree = np.sum(p[hit]) + np.sum(q[~hit])
            disagree = np.sum(p[~hit]) + np.sum(q[hit])
        else:  # fully labeled: the labeled rows' (weighted) agreement
            hit = predicted[labeled_rows] == positive[labeled_rows]
            if sample_weight is None:
                agree, disagree = np.sum(hit), np.sum(~hit)
            else:
                hit_weight = sample_weight[labeled_rows]
                agree, disagree = np.sum(hit_weight[hit]), np.sum(hit_weight[~hit])
        if agree <= disagree and estimators:
            break
        weight = 0.25 * np.log(max(agree, 1e-12) / max(disagree, 1e-12))
        estimators.append(estimator)
        weights.append(weight if weight > 0 else 1e-3)
        scores += weights[-1] * (2 * predicted - 1)
        if agree <= disagree or not unlabeled_rows.shape[0]:
            break
    return estimators, np.asarray(weights)


class SemiBoostClassifier(
    ScorePredictionMixin,
    SelfLabeledMixin,
    MetaEstimatorMixin,
    BaseWeakClassifier,
):
    """SemiBoost: boosting guided by a similarity graph (Mallapragada et al., 2009).

    For two classes, the ensemble ``H`` starts at zero; each round computes,
    for every unlabeled row ``i``, the evidence ``p_i`` for the positive class
    and ``q_i`` for the negative one from an RBF similarity ``S`` (labeled
    neighbours of each class weighted by ``exp(-+2 H_i)``, unlabeled
    neighbours by ``exp(+-(H_j - H_i))`` times ``C / 2``, ``C`` the ratio of
    labeled to unlabeled rows). It draws ``sample_share`` of the unlabeled
    rows with probabilities proportional to ``|p_i - q_i|``, labels them
    ``sign(p_i - q_i)``, fits ``estimator`` on them and the labeled rows, and
    adds it with weight ``alpha = log(agree / disagree) / 4``, where
    ``agree`` sums ``p_i`` over rows it calls positive and ``q_i`` over the
    others. Boosting stops when ``alpha <= 0``. Several classes are learned
    one against the rest; ``predict_proba`` is the logistic (two classes) or
    softmax (several) function of ``2 H``.

    The similarity matrix is dense, ``n_samples ** 2`` floats.

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier with ``fit`` and ``predict``. None means
        ``DecisionTreeClassifier(max_depth=3)``. Its ``random_state`` is set
        per round from ``random_state``.
    n_estimators : int, default=20
        Most rounds per binary problem (the paper's 20).
    sample_share : float, default=0.1
        Share of the unlabeled rows pseudo-labeled per round (the paper's 10%).
    similarity_percentile : float, default=10
        The RBF width is this percentile of the pairwise distances.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws and the estimator.
    n_jobs : int, default=None
        Jobs running the one-against-rest problems in parallel (joblib); the
        result does not depend on it.

    Attributes
    ----------
    estimators_ : list of lists of estimators
        Each binary problem's rounds (one problem for two classes, else one
        per class).
    estimator_weights_ : list of ndarray
        Each problem's round weights ``alpha``.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_iter_ : int
        Most rounds kept by a binary problem.
    transduction_ : ndarray of shape (n_samples,)
        Given labels, and the ensemble's labels of the unlabeled rows.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    AssembleClassifier : Boosting with nearest-neighbour pseudo-labels.

    References
    ----------
    .. [1] P. K. Mallapragada, R. Jin, A. K. Jain and Y. Liu, "SemiBoost:
       boosting for semi-supervised learning", IEEE TPAMI 31(11), 2009.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.self_training import SemiBoostClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_weak = y.copy()
    >>> y_weak[np.random.RandomState(0).rand(len(y)) < 0.7] = -1
    >>> clf = SemiBoostClassifier(random_state=0).fit(X, y_weak)
    >>> clf.score(X, y) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "sample_share": [Interval(Real, 0, 1, closed="right")],
        "similarity_percentile": [Interval(Real, 0, 100, closed="right")],
        "unlabeled_label": [Integral, str],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        estimator=None,
        *,
        n_estimators=20,
        sample_share=0.1,
        similarity_percentile=10,
        unlabeled_label=-1,
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.sample_share = sample_share
        self.similarity_percentile = similarity_percentile
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _resolved_estimator(self):
        return DecisionTreeClassifier(max_depth=3) if self.estimator is None else self.estimator

    def _check_inner_estimators(self):
        check_classifier_arg(self, self._resolved_estimator(), needs_proba=False)

    def fit(self, X, y, sample_weight=None):
        """Boost on labeled and unlabeled samples.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (finite, for the similarity matrix).
        y : array-like of shape (n_samples,)
            Class labels, ``unlabeled_label`` for unlabeled samples.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (repetition counts). Each pair of rows in the
            SemiBoost objective counts the product of their weights, so they
            weigh ``p_i``, ``q_i``, the draws, ``alpha`` and ``C``; the
            estimator is fitted with the weights of its rows (an estimator
            whose ``fit`` takes no ``sample_weight`` gets each row repeated by
            its whole-number weight). The RBF width is taken over the rows of
            positive weight.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        base = self._resolved_estimator()
        validate_data(self, X, accept_sparse=True, reset=False)  # finite for the similarity
        labeled = target.labeled
        check_labeled_weight(sample_weight, labeled)
        check_weights_deliverable(self, [base], sample_weight)
        rng = check_random_state(self.random_state)
        self.classes_ = target.classes
        n_classes = self.classes_.shape[0]
        similarity = rbf_similarity(X, self.similarity_percentile, sample_weight)
        problems = [1] if n_classes == 2 else list(range(n_classes))
        seeds = rng.randint(np.iinfo(np.int32).max, size=len(problems))
        params = (self.n_estimators, self.sample_share)
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(boost_one_class)(
                base,
                X,
                similarity,
                labeled,
                labeled & (target.y_encoded == c),
                params,
                seed,
                sample_weight,
            )
            for c, seed in zip(problems, seeds)
        )
        self.estimators_ = [estimators for estimators, _ in results]
        self.estimator_weights_ = [weights for _, weights in results]
        self.n_iter_ = max(len(estimators) for estimators in self.estimators_)
        self.transduction_ = target.y.copy()
        if (~labeled).any():
            unlabeled = _safe_indexing(X, np.flatnonzero(~labeled))
            self.transduction_[~labeled] = self.classes_[self._predicted_codes(unlabeled)]
        return self

    def _ensemble_scores(self, X):
        columns = [
            sum(w * (2 * np.asarray(est.predict(X), dtype=float) - 1) for est, w in zip(ests, ws))
            for ests, ws in zip(self.estimators_, self.estimator_weights_)
        ]
        scores = np.column_stack(columns)
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def _predicted_codes(self, X):
        scores = self._ensemble_scores(X)
        if scores.ndim == 1:
            return (scores > 0).astype(np.intp)
        return np.argmax(scores, axis=1)

    def decision_function(self, X):
        """Ensemble score ``H`` (of ``classes_[1]`` for two classes).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            ``H``, or one against-the-rest ``H`` per class.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=True, reset=False)
        return self._ensemble_scores(X)

    def _scores(self, X):
        return 2 * self.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
