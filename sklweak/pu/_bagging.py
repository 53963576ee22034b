"""Bagging for PU learning (Mordelet and Vert): positives against bootstraps of unlabeled."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, has_fit_parameter, validate_data

from ..base import BaseWeakClassifier, PUMixin, ScorePredictionMixin, copy_input_tags
from ..utils._sklearn_compat import HasMethods, Interval
from ._common import (
    check_prior,
    meta_validate_options,
    positive_score,
    rows,
)

__all__ = ["BaggingPUClassifier"]

_MAX_SEED = np.iinfo(np.int32).max


def _is_plain_tree(estimator):
    """Whether ``estimator`` is a scikit-learn decision tree taking ``check_input``."""
    return isinstance(estimator, DecisionTreeClassifier) and has_fit_parameter(
        estimator, "check_input"
    )


def _tree_input(X):
    """``X`` as the trees store it (C-ordered float32), or None when the trees
    must validate it themselves (sparse, or with missing or infinite values)."""
    if sparse.issparse(X):
        return None
    X32 = np.ascontiguousarray(X, dtype=np.float32)
    return X32 if np.isfinite(X32).all() else None


def _tree_score(estimator, X):
    """``P(s = 1 | x)`` of a fitted tree on float32 rows, skipping its input checks."""
    proba = estimator.predict_proba(X, check_input=False)
    classes = list(estimator.classes_)
    return proba[:, classes.index(1)] if 1 in classes else np.zeros(X.shape[0])


def _fit_one(estimator, X, positives, unlabeled, n_draw, seed, weight, use_weights, X_tree):
    """Fit one model on every positive and a bootstrap of unlabeled rows.

    With ``use_weights`` the model sees each drawn row once with its number of
    draws (times ``weight``) as ``sample_weight``; otherwise the drawn rows
    are repeated. ``X_tree`` (float32 rows, or None) lets a decision tree skip
    its input checks. Returns the model, the out-of-bag unlabeled rows and
    its scores on them.
    """
    rng = np.random.RandomState(seed)
    drawn = rng.randint(0, unlabeled.shape[0], size=n_draw)
    if "random_state" in estimator.get_params():
        estimator.set_params(random_state=seed)
    n_positives = positives.shape[0]
    if use_weights:
        counts = np.bincount(drawn, minlength=unlabeled.shape[0])
        in_bag = counts > 0
        index = np.concatenate([positives, unlabeled[in_bag]])
        bag_weight = np.r_[np.ones(n_positives), counts[in_bag]].astype(np.float64)
        if weight is not None:
            bag_weight *= weight[index]
        options = {"sample_weight": bag_weight}
    else:
        in_bag = np.zeros(unlabeled.shape[0], dtype=bool)
        in_bag[drawn] = True
        index = np.concatenate([positives, unlabeled[drawn]])
        options = {}
    target = (np.arange(index.shape[0]) < n_positives).astype(np.int64)
    out_of_bag = unlabeled[~in_bag]
    if X_tree is not None:
        estimator.fit(X_tree[index], target, check_input=False, **options)
        scores = _tree_score(estimator, X_tree[out_of_bag]) if out_of_bag.size else np.zeros(0)
    else:
        estimator.fit(rows(X, index), target, **options)
        scores = positive_score(estimator, rows(X, out_of_bag)) if out_of_bag.size else np.zeros(0)
    return estimator, out_of_bag, scores


def _score_chunk(estimators, X):
    """The scores of each of ``estimators`` on ``X``, in their order."""
    X_tree = _tree_input(X) if all(_is_plain_tree(e) for e in estimators) else None
    if X_tree is not None:
        return [_tree_score(e, X_tree) for e in estimators]
    return [positive_score(e, X) for e in estimators]


class BaggingPUClassifier(ScorePredictionMixin, PUMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Bagging of positive-versus-unlabeled classifiers (Mordelet and Vert, 2014).

    Each of ``n_estimators`` models is trained on every labeled positive
    (class 1) against a bootstrap sample of ``max_samples`` unlabeled samples
    (class 0). A model's score ``f(x)`` estimates, through its odds, the
    density ratio ``r(x) = p(x | y = 1) / p(x | s = 0)`` of positives to
    unlabeled samples: ``r(x) = f / (1 - f) * max_samples / n_labeled``
    (with ``sample_weight``, the bag's expected unlabeled weight over the
    labeled weight, and weighted totals in place of ``n``, ``n_labeled`` and
    ``n_unlabeled`` below). The
    ensemble's score is the mean of the models' scores; an unlabeled
    training sample is scored out of bag, by the models whose bootstrap
    missed it.

    Bags as weights. When the estimator's ``fit`` takes ``sample_weight``,
    a bag is passed as its distinct rows with their number of draws as
    weights (as scikit-learn's own bagging does) instead of repeated rows:
    the same model for estimators whose fit depends on the rows only through
    weighted sums, such as default decision trees (exactly) or logistic
    regression (to the solver's tolerance), and less work. (Settings that count rows, like a tree's
    ``min_samples_leaf``, count distinct rows then.) A scikit-learn decision
    tree is also given its rows once as float32, without input checks.

    Probabilities. With ``prior`` given, the ensemble odds become the
    calibrated posterior on the training population,
    ``P(y = 1 | x) = prior * n * r(x) / (n_labeled * r(x) + n_unlabeled)``
    (clipped to [0, 1]), and ``predict`` thresholds it at 0.5. Without a
    prior the probability returned is ``r(x) / (1 + r(x))``, a score whose
    0.5 threshold is the rule ``p(x | y = 1) > p(x | y = 0)``, i.e. the Bayes
    rule for equal class priors, whatever ``max_samples``.

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier with ``fit`` and ``predict_proba``, cloned for each bag.
        None means ``DecisionTreeClassifier(max_depth=8)``: on the PU
        benchmark's 28 cells (7 data sets, full and 300 training rows, two
        label frequencies) depth-8 trees beat full-depth ones in mean AUC and
        F1 (``benchmarks/bench_pu_bagging_defaults.py``). A ``random_state`` parameter
        of the estimator is set to each bag's seed. ``fit`` with
        ``sample_weight`` needs an estimator whose ``fit`` takes it.
    n_estimators : int, default=50
        Number of bags. 50 beat 10 in every cell of the same benchmark, at
        about five times the fit time.
    max_samples : int, float or None, default=None
        Size of each bootstrap of unlabeled samples: an int is a count, a
        float a fraction of the unlabeled samples, None the number of labeled
        positives (balanced bags, as in the paper).
    prior : float in (0, 1) or None, default=None
        Class prior ``P(y = 1)`` used to calibrate the probabilities; at
        least the labeled fraction.
    pos_label : int, bool or str, default=1
        Value of ``y`` marking a labeled positive; any other value is unlabeled.
    neg_label : int, bool or str, default=0
        Label predicted for negatives.
    n_jobs : int or None, default=None
        Bags fitted in parallel through joblib; the result does not depend on
        it.
    random_state : int, RandomState instance or None, default=None
        Seed of the integer seeds handed to every bag.

    Attributes
    ----------
    estimators_ : list of estimator objects
        The fitted models, one per bag.
    estimator_ : estimator object
        The unfitted template cloned for each bag.
    oob_decision_function_ : ndarray of shape (n_samples, 2)
        Probabilities of the training samples, columns as ``classes_``: out of
        bag for the unlabeled samples (those never out of bag get the whole
        ensemble's, with a warning); labeled positives get ``[0, 1]``.
    oob_score_ : ndarray of shape (n_samples,)
        The raw out-of-bag ensemble score ``f`` of each unlabeled training
        sample (1 for labeled positives), Mordelet and Vert's ranking score.
    n_draw_ : int
        Unlabeled samples drawn per bag.
    n_labeled_, n_unlabeled_ : int
        Labeled positives and unlabeled samples seen in ``fit``.
    classes_ : ndarray of shape (2,)
        ``[neg_label, pos_label]``.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    ElkanNotoClassifier : One calibrated labeled-vs-unlabeled model.

    References
    ----------
    .. [1] F. Mordelet and J.-P. Vert, "A bagging SVM to learn from positive
       and unlabeled examples", Pattern Recognition Letters 37, 2014.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklweak.datasets import make_pu
    >>> from sklweak.pu import BaggingPUClassifier
    >>> X, y = make_classification(n_samples=400, random_state=0)
    >>> y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=0)
    >>> clf = BaggingPUClassifier(n_estimators=20, random_state=0).fit(X, y_pu)
    >>> clf.score(X, y) > 0.85
    True
    >>> clf.oob_decision_function_.shape
    (400, 2)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="right"),
            None,
        ],
        "prior": [Interval(Real, 0, 1, closed="neither"), None],
        "pos_label": PUMixin._label_constraint,
        "neg_label": PUMixin._label_constraint,
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        n_estimators=50,
        max_samples=None,
        prior=None,
        pos_label=1,
        neg_label=0,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.prior = prior
        self.pos_label = pos_label
        self.neg_label = neg_label
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _template(self):
        return DecisionTreeClassifier(max_depth=8) if self.estimator is None else self.estimator

    def _validate_data_options(self):
        return meta_validate_options(self._template())

    def fit(self, X, y, sample_weight=None):
        """Fit one model per bag and score the unlabeled samples out of bag.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples, labeled and unlabeled.
        y : array-like of shape (n_samples,)
            ``pos_label`` for a labeled positive, any other value for an
            unlabeled sample.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples, multiplied into each bag's weights and
            passed to the estimator's ``fit``; the bootstrap draws are
            uniform.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        use_weights = has_fit_parameter(self._template(), "sample_weight")
        if sample_weight is not None and not use_weights:
            raise ValueError(
                "sample_weight was given but the estimator's fit does not take "
                f"sample_weight ({type(self._template()).__name__})."
            )
        self._set_binary_classes()
        labeled = target.labeled
        n_samples = labeled.shape[0]
        positives = np.flatnonzero(labeled)
        unlabeled = np.flatnonzero(~labeled)
        if self.prior is not None:
            check_prior(self.prior, target.n_labeled, n_samples)
        if self.max_samples is None:
            n_draw = positives.shape[0]
        elif isinstance(self.max_samples, Integral):
            n_draw = int(self.max_samples)
        else:
            n_draw = max(1, round(self.max_samples * unlabeled.shape[0]))
        self.n_draw_ = n_draw
        self.n_labeled_ = positives.shape[0]
        self.n_unlabeled_ = unlabeled.shape[0]
        if sample_weight is None:
            self._weight_labeled = float(self.n_labeled_)
            self._weight_unlabeled = float(self.n_unlabeled_)
        else:
            self._weight_labeled = float(sample_weight[positives].sum())
            self._weight_unlabeled = float(sample_weight[unlabeled].sum())
            if self._weight_labeled <= 0 or self._weight_unlabeled <= 0:
                raise ValueError(
                    "sample_weight must give the labeled positives (the positive "
                    "class) and the unlabeled samples a positive total weight."
                )
        rng = check_random_state(self.random_state)
        seeds = rng.randint(_MAX_SEED, size=self.n_estimators)
        self.estimator_ = clone(self._template())
        X_tree = _tree_input(X) if _is_plain_tree(self.estimator_) else None
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_one)(
                clone(self.estimator_),
                X,
                positives,
                unlabeled,
                n_draw,
                seed,
                sample_weight,
                use_weights,
                X_tree,
            )
            for seed in seeds
        )
        self.estimators_ = [model for model, _, _ in results]

        total = np.zeros(n_samples)
        counts = np.zeros(n_samples)
        for _, out_of_bag, scores in results:
            total[out_of_bag] += scores
            counts[out_of_bag] += 1
        never = unlabeled[counts[unlabeled] == 0]
        if never.size:
            warnings.warn(
                f"{never.size} unlabeled samples were in every bag and have no "
                "out-of-bag score; they get the whole ensemble's score. Use more "
                "estimators or a smaller max_samples.",
                UserWarning,
            )
            total[never] = self._ensemble_score(rows(X, never))
            counts[never] = 1
        oob = np.ones(n_samples)
        oob[unlabeled] = total[unlabeled] / counts[unlabeled]
        self.oob_score_ = oob
        p = self._calibrate(oob)
        p[positives] = 1.0
        self.oob_decision_function_ = np.column_stack([1.0 - p, p])
        return self

    def _ensemble_score(self, X):
        n_jobs = min(self.n_estimators, 1 if self.n_jobs is None else max(1, abs(self.n_jobs)))
        chunks = np.array_split(np.arange(len(self.estimators_)), n_jobs)
        parts = Parallel(n_jobs=self.n_jobs)(
            delayed(_score_chunk)([self.estimators_[i] for i in chunk], X)
            for chunk in chunks
            if chunk.size
        )
        # Added one model after another, so the rounding does not depend on n_jobs.
        return sum(scores for part in parts for scores in part) / len(self.estimators_)

    def _calibrate(self, score):
        score = np.clip(score, 0.0, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            # A bag weighs its unlabeled rows n_draw * (mean unlabeled weight).
            bag_unlabeled = self.n_draw_ * self._weight_unlabeled / self.n_unlabeled_
            ratio = score / (1.0 - score) * bag_unlabeled / self._weight_labeled
            if self.prior is None:
                p = ratio / (1.0 + ratio)
            else:
                total = self._weight_labeled + self._weight_unlabeled
                p = (
                    self.prior
                    * total
                    * ratio
                    / (self._weight_labeled * ratio + self._weight_unlabeled)
                )
        p[score >= 1.0] = 1.0
        return np.clip(np.nan_to_num(p, nan=0.5), 0.0, 1.0)

    _scores_are_probabilities = True

    def _scores(self, X):
        # The probability of pos_label.
        """Calibrated positive probability of the mean score, whose ranking it keeps."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._validate_data_options())
        return self._calibrate(self._ensemble_score(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        return copy_input_tags(tags, self._template())
