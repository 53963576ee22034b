"""Co-training: two classifiers on two feature views label samples for each other."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.naive_bayes import GaussianNB
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, copy_input_tags
from ..utils._sklearn_compat import HasMethods, Interval, _safe_indexing
from ._common import (
    SelfLabeledMixin,
    check_classifier_arg,
    class_prior,
    proba_in_class_order,
    seed_random_states,
)

__all__ = ["CoTrainingClassifier"]


def per_class_counts(prior, n_per_round=None):
    """How many samples of each class one classifier labels per round.

    Without ``n_per_round``, the rarest class gets one and the others as many
    as their prior is times larger (Blum and Mitchell's 1 positive and 3
    negatives for a 1:3 prior). With it, ``n_per_round`` is split in
    proportion to ``prior`` with at least one per class.

    Parameters
    ----------
    prior : ndarray of shape (n_classes,)
        Class prior estimated on the labeled samples (all positive).
    n_per_round : int, default=None
        Total number of samples per round and classifier.

    Returns
    -------
    counts : ndarray of int, shape (n_classes,)
        Samples to label per class.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.self_training._co_training import per_class_counts
    >>> per_class_counts(np.array([0.25, 0.75])).tolist()
    [1, 3]
    >>> per_class_counts(np.array([0.5, 0.3, 0.2]), n_per_round=10).tolist()
    [5, 3, 2]
    """
    prior = np.asarray(prior, dtype=np.float64)
    if n_per_round is None:
        counts = np.rint(prior / prior.min())
    else:
        counts = np.floor(prior * n_per_round)
        short = int(n_per_round - counts.sum())
        if short > 0:
            order = np.argsort(-(prior * n_per_round - counts), kind="stable")
            counts[order[:short]] += 1
    return np.maximum(counts, 1).astype(np.int64)


class CoTrainingClassifier(SelfLabeledMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Co-training with two feature views (Blum and Mitchell, 1998).

    One classifier is trained on each view of the labeled samples. A small
    pool is drawn at random from the unlabeled samples; in each round each
    view's classifier labels the pool samples it is most confident of, a
    fixed number per class, and these join the labeled set of both. The pool
    is then refilled from the unlabeled samples. The two views' class
    probabilities are multiplied to predict.

    For more than two classes, the number labeled per class and round
    follows the class prior of the labeled samples (see
    :func:`per_class_counts`).

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier with ``fit`` and ``predict_proba``, cloned for each view.
        None means ``GaussianNB()`` (naive Bayes, as in the original paper).
    views : list of two array-likes of int, default=None
        Column indices of the two views. None splits the features at random
        into two halves (seeded by ``random_state``).
    n_per_round : int, default=None
        Samples each classifier labels per round, split over classes by the
        labeled class prior; None labels one of the rarest class and
        proportionally more of the others.
    pool_size : int, default=75
        Size of the pool of unlabeled samples the classifiers choose from.
    max_iter : int, default=30
        Most co-training rounds; a ``ConvergenceWarning`` is raised when
        unlabeled samples remain after the last one.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the view split, the pool draws, and the clones' own
        ``random_state``.

    Attributes
    ----------
    estimators_ : list of two estimators
        The classifiers fitted on each view.
    views_ : list of two ndarrays of int
        Column indices of each view.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_iter_ : int
        Number of co-training rounds run.
    transduction_ : ndarray of shape (n_samples,)
        Given labels and co-training labels; ``unlabeled_label`` for samples
        never labeled.
    history_ : list of dict
        One entry per round: ``iteration``, ``n_added`` (new labels from
        both views), ``n_labeled`` (labeled samples after the round).
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    SelfTrainingClassifier : One classifier labels its own confident samples.
    TriTrainingClassifier : Three classifiers teaching each other.

    References
    ----------
    .. [1] A. Blum and T. Mitchell, "Combining labeled and unlabeled data with
       co-training", COLT 1998.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.self_training import CoTrainingClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_weak = y.copy()
    >>> y_weak[np.random.RandomState(0).rand(len(y)) < 0.7] = -1
    >>> clf = CoTrainingClassifier(views=[[0, 1], [2, 3]], random_state=0)
    >>> clf.fit(X, y_weak).score(X, y) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"]), None],
        "views": ["array-like", None],
        "n_per_round": [Interval(Integral, 1, None, closed="left"), None],
        "pool_size": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "unlabeled_label": [Integral, str],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        views=None,
        n_per_round=None,
        pool_size=75,
        max_iter=30,
        unlabeled_label=-1,
        random_state=None,
    ):
        self.estimator = estimator
        self.views = views
        self.n_per_round = n_per_round
        self.pool_size = pool_size
        self.max_iter = max_iter
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state

    def _resolved_estimator(self):
        return GaussianNB() if self.estimator is None else self.estimator

    def _check_views(self, n_features, rng):
        if self.views is None:
            if n_features < 2:
                raise ValueError(
                    "CoTrainingClassifier needs at least two features to split "
                    f"into two views; got n_features = {n_features}."
                )
            order = rng.permutation(n_features)
            half = n_features // 2
            return [np.sort(order[:half]), np.sort(order[half:])]
        if len(self.views) != 2:
            raise ValueError(f"views must hold two lists of column indices; got {len(self.views)}.")
        views = []
        for view in self.views:
            view = np.asarray(view)
            if view.ndim != 1 or view.size == 0 or view.dtype.kind not in "iu":
                raise ValueError("Each view must be a non-empty 1-D list of column indices.")
            if view.min() < 0 or view.max() >= n_features:
                raise ValueError(f"views hold column indices outside [0, {n_features - 1}].")
            views.append(view.astype(np.intp))
        return views

    @staticmethod
    def _view(X, view):
        return _safe_indexing(X, view, axis=1)

    def _check_inner_estimators(self):
        check_classifier_arg(self, self._resolved_estimator())

    def fit(self, X, y, sample_weight=None):
        """Fit one classifier per view on labeled and unlabeled samples.

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
        rng = check_random_state(self.random_state)
        self.views_ = self._check_views(X.shape[1], rng)
        self.classes_ = target.classes
        n_classes = self.classes_.shape[0]
        labels = target.y_encoded.copy()
        counts = per_class_counts(
            class_prior(target.y_encoded, target.labeled, n_classes, sample_weight),
            self.n_per_round,
        )
        base = self._resolved_estimator()
        self.estimators_ = [seed_random_states(clone(base), rng) for _ in range(2)]
        X_views = [self._view(X, view) for view in self.views_]

        reserve = rng.permutation(np.flatnonzero(~target.labeled))
        pool, reserve = reserve[: self.pool_size], reserve[self.pool_size :]
        self.history_ = []
        self.n_iter_ = 0
        while pool.size and self.n_iter_ < self.max_iter:
            self.n_iter_ += 1
            self._fit_views(X_views, labels, sample_weight)
            chosen_rows, chosen_labels = [], []
            remaining = pool
            for est, X_view in zip(self.estimators_, X_views):
                if remaining.size == 0:
                    break
                proba = proba_in_class_order(est, _safe_indexing(X_view, remaining), n_classes)
                picked = np.zeros(remaining.size, dtype=bool)
                for c in range(n_classes):
                    order = np.argsort(-proba[:, c], kind="stable")
                    order = order[~picked[order]][: counts[c]]
                    picked[order] = True
                    chosen_rows.append(remaining[order])
                    chosen_labels.append(np.full(order.size, c, dtype=np.int64))
                remaining = remaining[~picked]
            new_rows = np.concatenate(chosen_rows)
            labels[new_rows] = np.concatenate(chosen_labels)
            n_refill = pool.size - remaining.size
            pool = np.concatenate([remaining, reserve[:n_refill]])
            reserve = reserve[n_refill:]
            self.history_.append(
                {
                    "iteration": self.n_iter_,
                    "n_added": int(new_rows.size),
                    "n_labeled": int(np.sum(labels >= 0)),
                }
            )
        if pool.size and self.max_iter > 0:
            warnings.warn(
                f"CoTrainingClassifier stopped at max_iter={self.max_iter} with "
                f"{pool.size + reserve.size} samples still unlabeled.",
                ConvergenceWarning,
            )
        self._fit_views(X_views, labels, sample_weight)
        self.transduction_ = target.y.copy()
        new = (labels >= 0) & ~target.labeled
        self.transduction_[new] = self.classes_[labels[new]]
        return self

    def _fit_views(self, X_views, labels, sample_weight):
        rows = np.flatnonzero(labels >= 0)
        params = {} if sample_weight is None else {"sample_weight": sample_weight[rows]}
        for est, X_view in zip(self.estimators_, X_views):
            est.fit(_safe_indexing(X_view, rows), labels[rows], **params)

    def predict_proba(self, X):
        """Class probabilities: the normalised product of the two views'.

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
        X = validate_data(
            self, X, accept_sparse=["csr", "csc"], ensure_all_finite=False, reset=False
        )
        n_classes = self.classes_.shape[0]
        log_proba = np.zeros((X.shape[0], n_classes))
        for est, view in zip(self.estimators_, self.views_):
            proba = proba_in_class_order(est, self._view(X, view), n_classes)
            log_proba += np.log(np.clip(proba, 1e-300, None))
        log_proba -= log_proba.max(axis=1, keepdims=True)
        proba = np.exp(log_proba)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Predict the class of highest combined probability.

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
