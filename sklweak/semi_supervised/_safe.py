"""A semi-supervised meta-estimator that uses unlabeled rows only where they help."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, copy_input_tags
from ..model_selection import SemiSupervisedKFold
from ..self_training._common import (
    SelfLabeledMixin,
    check_classifier_arg,
    class_prior,
    one_labeled_class_errors,
    proba_in_class_order,
)
from ..utils._sklearn_compat import HasMethods, Interval, _safe_indexing
from ._candidates import (
    CANDIDATES,
    DEFAULT_CANDIDATES,
    candidate_probabilities,
    fit_rows,
    fit_student,
)

__all__ = ["SafeSemiSupervisedClassifier"]

SUPERVISED = "supervised"


def _strategy_names(candidates):
    names = [SUPERVISED]
    for name in candidates:
        names += [name, f"{name}+blend"]
    return names


def _seed_unset_random_states(estimator, rng):
    """Give every ``random_state`` parameter left to None an integer from ``rng``.

    Parameters the user set are kept, so that the supervised model is exactly
    the user's estimator fitted on the labeled rows.
    """
    params = estimator.get_params(deep=True)
    seeds = {
        key: int(rng.randint(np.iinfo(np.int32).max))
        for key in sorted(params)
        if key == "random_state" or key.endswith("__random_state")
    }
    unset = {key: seed for key, seed in seeds.items() if params[key] is None}
    if unset:
        estimator.set_params(**unset)
    return estimator


def _predictions(supervised, students, X, n_classes):
    """Encoded predictions of every strategy.

    The supervised model and each student predict with their own ``predict``
    (an SVC's decision function, not its Platt probabilities); a blend takes
    the most probable class of the averaged probabilities.
    """
    out = {SUPERVISED: np.asarray(supervised.predict(X), dtype=np.int64)}
    supervised_proba = None
    for name, student in students.items():
        out[name] = np.asarray(student.predict(X), dtype=np.int64)
        if supervised_proba is None:
            supervised_proba = proba_in_class_order(supervised, X, n_classes)
        blend = supervised_proba + proba_in_class_order(student, X, n_classes)
        out[f"{name}+blend"] = np.argmax(blend, axis=1)
    return out


def _score_split(
    estimator, X, y_encoded, train, test, n_classes, candidates, sample_weight, sparse, seed
):
    """Whether each strategy predicts each row of one labeled test fold right."""
    estimator = _seed_unset_random_states(clone(estimator), np.random.RandomState(seed))
    labeled_train = train[y_encoded[train] >= 0]
    unlabeled_train = train[y_encoded[train] < 0]
    prior = class_prior(y_encoded, labeled_train, n_classes, sample_weight)
    supervised, teachers = candidate_probabilities(
        estimator,
        X,
        y_encoded,
        labeled_train,
        unlabeled_train,
        n_classes,
        sample_weight,
        sparse,
    )
    students = {
        name: fit_student(
            clone(estimator),
            X,
            y_encoded,
            labeled_train,
            unlabeled_train,
            teachers[name],
            prior,
            sample_weight,
        )[0]
        for name in candidates
    }
    predictions = _predictions(supervised, students, _safe_indexing(X, test), n_classes)
    truth = y_encoded[test]
    return {name: pred == truth for name, pred in predictions.items()}


def _paired_gains(correct, weight):
    """Mean gain of each strategy over the first one, and its standard error.

    ``correct`` has one row per strategy and one column per labeled row (the
    share of repeats in which the row was predicted right). The gain of a
    strategy is the weighted mean of its per-row differences to the first
    strategy; its standard error is that of a weighted mean of paired
    differences, with the effective number of rows ``sum(w)**2 / sum(w**2)``.
    """
    diff = correct - correct[:1]
    weight = weight / weight.sum()
    mean = diff @ weight
    n_eff = 1.0 / np.sum(weight**2)
    if n_eff <= 1:
        return mean, np.zeros_like(mean)
    variance = ((diff - mean[:, None]) ** 2) @ weight * n_eff / (n_eff - 1)
    return mean, np.sqrt(variance / n_eff)


class SafeSemiSupervisedClassifier(SelfLabeledMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Semi-supervised learning that falls back to the supervised model.

    Unlabeled rows are used only as far as the labeled rows show that they
    help. Each candidate is a teacher fitted on the labeled rows that gives
    pseudo-labels to the unlabeled rows, kept in the labeled class proportions
    and weighted by the teacher's confidence; a clone of ``estimator`` (the
    student) learns from the labeled rows plus these pseudo-labels. The
    teachers are:

    - ``'self'``: ``estimator`` itself, fitted on the labeled rows;
    - ``'linear'``: a logistic regression on standardized features, which stays
      sensible on a dozen labeled rows where trees predict one class;
    - ``'agreement'``: only the rows on which the two agree.

    Every strategy (the supervised model, each student, and each student's
    probabilities averaged with the supervised ones, ``'<name>+blend'``) is
    scored by ``n_repeats`` times repeated ``n_splits``-fold cross-validation
    over the labeled rows (:class:`~sklweak.model_selection.SemiSupervisedKFold`:
    the unlabeled rows stay in every training fold), which predicts every
    labeled row once per repeat by a model that did not see it. A strategy
    replaces the supervised model only when its mean accuracy gain over it
    (paired, row by row), minus ``safety`` standard errors of that gain, is
    positive; the best such strategy is refitted on all rows. With no unlabeled row, or one labeled
    class, the supervised model is returned without cross-validation.

    Parameters
    ----------
    estimator : estimator object, default=None
        Classifier with ``fit`` and ``predict_proba``. None means
        ``LogisticRegression()``.
    candidates : list of {'self', 'linear', 'agreement'}, default=None
        Teachers tried; None means ``['linear']``. Each candidate costs one
        fit of ``estimator`` on all rows per fold; on the 300-row benchmark
        sets, adding ``'self'`` and ``'agreement'`` gained 0.1 to 0.3 points
        of mean accuracy for 1.7 to 2.5 times the fit time
        (``benchmarks/RESULTS.md``).
    n_splits : int, default=2
        Folds of the labeled rows in each repeat of the cross-validation.
        On the 300-row benchmark sets, 3 folds gained 0.5 points of mean
        accuracy (gradient boosting only) for 1.3 times the fit time
        (``benchmarks/RESULTS.md``).
    n_repeats : int, default=1
        Repeats of the cross-validation, each with another shuffle.
    safety : float, default=2.0
        Standard errors of the paired accuracy gain that a strategy must
        clear; 0 picks the best mean gain, larger values return the
        supervised model more often. 2 was the smallest value with no
        benchmark cell more than 1 point below the supervised model
        (``benchmarks/RESULTS.md``).
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and the ``random_state`` of every clone of
        ``estimator``.
    n_jobs : int, default=None
        Number of folds scored in parallel (joblib); the result does not
        depend on it.

    Attributes
    ----------
    strategy_ : str
        The strategy used: ``'supervised'``, a candidate's name, or
        ``'<name>+blend'``.
    cv_results_ : dict of ndarray
        One entry per strategy, in the keys ``'strategy'``, ``'mean_score'``
        (mean labeled-fold accuracy), ``'std_score'`` (its standard deviation
        over folds), ``'mean_gain'`` (mean accuracy gain over the supervised
        model, row by row) and ``'gain_se'`` (standard error of that paired
        gain). Empty arrays
        when no cross-validation was run.
    n_pseudo_labeled_ : int
        Pseudo-labels the final model learned from (0 for ``'supervised'``).
    supervised_estimator_ : estimator object
        ``estimator`` fitted on the labeled rows.
    student_estimator_ : estimator object or None
        ``estimator`` fitted on labeled and pseudo-labeled rows, None when the
        strategy is ``'supervised'``.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    sklweak.self_training.SelfTrainingClassifier : Self-training without the
        safety check.

    References
    ----------
    .. [1] Y.-F. Li and Z.-H. Zhou, "Towards making unlabeled data never
       hurt", IEEE TPAMI 37(1), 2015.
    .. [2] Y.-F. Li, H.-W. Zha and Z.-H. Zhou, "Learning safe prediction for
       semi-supervised regression", AAAI 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> from sklweak.datasets import mask_labels
    >>> from sklweak.semi_supervised import SafeSemiSupervisedClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> y_weak = mask_labels(y, labeled_fraction=0.05, random_state=0)
    >>> clf = SafeSemiSupervisedClassifier(
    ...     HistGradientBoostingClassifier(), random_state=0).fit(X, y_weak)
    >>> clf.strategy_ != "supervised"
    True
    >>> clf.score(X, y) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"]), None],
        "candidates": [list, tuple, None],
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "safety": [Interval(Real, 0.0, None, closed="left")],
        "unlabeled_label": [Integral, str],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        estimator=None,
        *,
        candidates=None,
        n_splits=2,
        n_repeats=1,
        safety=2.0,
        unlabeled_label=-1,
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.candidates = candidates
        self.n_splits = n_splits
        self.n_repeats = n_repeats
        self.safety = safety
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state
        self.n_jobs = n_jobs

    # The supervised fallback may take a single labeled class.
    _min_classes = 1

    def _resolved_estimator(self):
        return LogisticRegression() if self.estimator is None else self.estimator

    def _resolved_candidates(self):
        if self.candidates is None:
            return list(DEFAULT_CANDIDATES)
        unknown = [c for c in self.candidates if c not in CANDIDATES]
        if unknown or len(self.candidates) == 0:
            raise ValueError(
                f"candidates must be a non-empty list of {list(CANDIDATES)}; got "
                f"{list(self.candidates)!r}."
            )
        return list(dict.fromkeys(self.candidates))

    def _check_inner_estimators(self):
        self._resolved_candidates()
        check_classifier_arg(self, self._resolved_estimator())

    def fit(self, X, y, sample_weight=None):
        """Fit the supervised model and, where it is safe, a semi-supervised one.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; NaN and sparse input pass through to the estimator.
        y : array-like of shape (n_samples,)
            Class labels, ``unlabeled_label`` for unlabeled samples.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples: they weight the fits (when the estimator's
            ``fit`` takes ``sample_weight``) and the fold accuracies.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        candidates = self._resolved_candidates()
        rng = check_random_state(self.random_state)
        estimator = _seed_unset_random_states(
            clone(self._resolved_estimator()), np.random.RandomState(rng.randint(2**31 - 1))
        )
        y_encoded = target.y_encoded
        n_classes = len(target.classes)
        self.classes_ = target.classes
        labeled = np.flatnonzero(target.labeled)
        unlabeled = np.flatnonzero(~target.labeled)
        sparse = hasattr(X, "tocsr")
        names = _strategy_names(candidates)
        self.cv_results_ = {
            key: np.array([])
            for key in ("strategy", "mean_score", "std_score", "mean_gain", "gain_se")
        }
        self.strategy_ = SUPERVISED
        if unlabeled.shape[0] > 0 and n_classes > 1:
            self.strategy_ = self._select_strategy(
                estimator,
                X,
                y_encoded,
                n_classes,
                candidates,
                names,
                sample_weight,
                sparse,
                rng,
            )
        self.student_estimator_ = None
        self.n_pseudo_labeled_ = 0
        if self.strategy_ == SUPERVISED:
            with one_labeled_class_errors(estimator, target.classes):
                self.supervised_estimator_ = fit_rows(
                    clone(estimator), X, y_encoded, labeled, sample_weight
                )
            return self
        prior = class_prior(y_encoded, target.labeled, n_classes, sample_weight)
        self.supervised_estimator_, teachers = candidate_probabilities(
            estimator,
            X,
            y_encoded,
            labeled,
            unlabeled,
            n_classes,
            sample_weight,
            sparse,
        )
        self.student_estimator_, self.n_pseudo_labeled_ = fit_student(
            clone(estimator),
            X,
            y_encoded,
            labeled,
            unlabeled,
            teachers[self.strategy_.split("+")[0]],
            prior,
            sample_weight,
        )
        return self

    def _select_strategy(
        self, estimator, X, y_encoded, n_classes, candidates, names, sample_weight, sparse, rng
    ):
        splits = []
        y_folds = np.where(y_encoded >= 0, y_encoded, -1)
        counts = np.bincount(y_encoded[y_encoded >= 0], minlength=n_classes)
        # Stratified folds need a class with as many labeled rows as folds.
        stratify = counts.max() >= 2
        n_splits = (
            min(self.n_splits, counts.max()) if stratify else min(self.n_splits, counts.sum())
        )
        for _ in range(self.n_repeats):
            cv = SemiSupervisedKFold(
                n_splits,
                shuffle=True,
                random_state=rng.randint(2**31 - 1),
                stratify=stratify,
            )
            with warnings.catch_warnings():
                # Classes with fewer labeled rows than folds are expected here.
                warnings.simplefilter("ignore", UserWarning)
                splits += list(cv.split(None, y_folds))
        seeds = rng.randint(2**31 - 1, size=len(splits))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            scores = Parallel(n_jobs=self.n_jobs)(
                delayed(_score_split)(
                    estimator,
                    X,
                    y_encoded,
                    train,
                    test,
                    n_classes,
                    candidates,
                    sample_weight,
                    sparse,
                    seed,
                )
                for (train, test), seed in zip(splits, seeds)
            )
        weight = np.ones(y_encoded.shape[0]) if sample_weight is None else sample_weight
        correct = np.zeros((len(names), y_encoded.shape[0]))
        fold_scores = []
        for (_, test), fold in zip(splits, scores):
            hits = np.array([fold[name] for name in names], dtype=np.float64)
            correct[:, test] += hits / self.n_repeats
            fold_scores.append(hits @ weight[test] / max(weight[test].sum(), 1e-300))
        fold_scores = np.array(fold_scores)
        labeled = y_encoded >= 0
        mean_gain, gain_se = _paired_gains(correct[:, labeled], weight[labeled])
        self.cv_results_ = {
            "strategy": np.array(names),
            "mean_score": fold_scores.mean(axis=0),
            "std_score": fold_scores.std(axis=0),
            "mean_gain": mean_gain,
            "gain_se": gain_se,
        }
        lower = mean_gain - self.safety * gain_se
        lower[0] = 0.0
        best = int(np.argmax(lower))
        return names[best] if lower[best] > 0 else SUPERVISED

    def predict_proba(self, X):
        """Class probabilities of the chosen strategy.

        The supervised model's or the student's ``predict_proba``, or their
        mean for a blend. As in the base estimator, the most probable class
        may differ from ``predict`` where the base's ``predict`` does not
        follow its probabilities (an SVC's Platt scaling).

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
        n_classes = len(self.classes_)
        supervised = proba_in_class_order(self.supervised_estimator_, X, n_classes)
        if self.strategy_ == SUPERVISED:
            return supervised
        student = proba_in_class_order(self.student_estimator_, X, n_classes)
        if self.strategy_.endswith("+blend"):
            return 0.5 * (supervised + student)
        return student

    def predict_log_proba(self, X):
        """Log of the class probabilities of the chosen strategy.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probability of each class.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict classes with the chosen strategy.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted classes: the ``predict`` of the supervised model or of
            the student, or the most probable class of a blend.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=True, ensure_all_finite=False, reset=False)
        students = {}
        if self.strategy_ != SUPERVISED:
            students[self.strategy_.split("+")[0]] = self.student_estimator_
        predictions = _predictions(self.supervised_estimator_, students, X, len(self.classes_))
        return self.classes_[predictions[self.strategy_]]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        return copy_input_tags(tags, self._resolved_estimator())
