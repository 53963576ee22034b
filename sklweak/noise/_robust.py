"""NoiseRobustClassifier: train any classifier well on noisy labels."""

import warnings
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import MetaEstimatorMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed

from ..base import BaseWeakClassifier
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    _safe_indexing,
)
from ..utils._weights import sample_weight_parameter
from ._confident_learning import FILTER_RULES, estimate_noise_matrices, find_label_issues
from ._cross_val import MAX_SEED, _cross_val_pred_probs, _seeded_clone
from ._delegation import RefitDelegationMixin
from ._robust_losses import ROBUST_LOSSES, RobustSoftmaxRegression

__all__ = ["NoiseRobustClassifier"]

CLEANING_STRATEGIES = ("prune", "relabel", "weight", "relabel_weight", "prune_weight")
STRATEGIES = ("auto", "select") + CLEANING_STRATEGIES + ROBUST_LOSSES
# The strategies "select" chooses from, in the order that breaks ties.
SELECT_CANDIDATES = ("prune", "weight", "relabel")
# strategy="auto": the best measured choice of benchmarks/bench_noise_robust.py
# (no cell more than 2 points below the noisy base, then the most recovered):
# a robust loss for a linear model; otherwise pruning, or weighting when the
# classes are too small for out-of-fold probabilities to tell a wrong label
# from a hard row (fewer than AUTO_PRUNE_ROWS_PER_CLASS rows per class).
AUTO_FOR_LINEAR = "sce"
AUTO_PRUNE_ROWS_PER_CLASS = 30
# What a cleaning strategy becomes when the estimator cannot take sample weights.
WITHOUT_WEIGHTS = {"weight": "prune", "relabel_weight": "relabel", "prune_weight": "prune"}
DETECTIONS = ("confident_learning", "majority", "consensus")
FILTER_NEIGHBORS = 15


def _default_filter_estimators(n_samples):
    """The second opinions of ``filter_estimators="auto"``: a linear model and kNN."""
    return [
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        make_pipeline(
            StandardScaler(),
            KNeighborsClassifier(n_neighbors=max(1, min(FILTER_NEIGHBORS, n_samples // 2))),
        ),
    ]


def _final_logistic_step(estimator):
    """``(step name or None, LogisticRegression)`` of a linear estimator, else None."""
    if isinstance(estimator, Pipeline):
        name, final = estimator.steps[-1]
        return (name, final) if isinstance(final, LogisticRegression) else None
    return (None, estimator) if isinstance(estimator, LogisticRegression) else None


class NoiseRobustClassifier(RefitDelegationMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Train any classifier on noisy labels: detect, then relabel, weight or prune.

    ``fit`` computes out-of-sample probabilities of the given labels by
    cross-validation, with ``estimator`` and, by default, two second opinions
    (a standardized logistic regression and a kNN classifier) whose
    probabilities are averaged with the estimator's. It flags the likely
    mislabeled rows (``detection``) and trains a clone of ``estimator`` on
    labels it cleaned with ``strategy``:

    - ``"auto"`` (default): ``"sce"`` when ``estimator`` is a
      ``LogisticRegression`` (or a Pipeline ending with one); otherwise
      ``"prune"`` with at least 30 rows per class on average and
      ``"weight"`` with fewer (out-of-fold probabilities learned from so
      few rows do not tell a wrong label from a hard row), the best choices
      measured on the benchmark of ``benchmarks/bench_noise_robust.py``;
    - ``"select"``: the one of ``"prune"``, ``"weight"`` and ``"relabel"``
      whose models, trained on the cleaned labels of the other folds, best
      predict the given labels of each fold (the same folds; with
      class-conditional noise below ``(n_classes - 1) / n_classes`` the
      accuracy on noisy labels grows with the accuracy on true labels);
      ``strategy_scores_`` holds those accuracies;
    - ``"prune"``: drop the flagged rows (what
      :class:`ConfidentLearningClassifier` does);
    - ``"relabel"``: give each flagged row its most probable class;
    - ``"weight"``: keep the given labels, weight each row by the
      out-of-sample probability of its label;
    - ``"relabel_weight"``: relabel the flagged rows, then weight every row
      by the probability of its (new) label;
    - ``"prune_weight"``: drop the flagged rows, weight the others by the
      probability of their label;
    - ``"forward"``, ``"gce"``, ``"sce"``, ``"bootstrap"``: keep every row and
      train a linear model with a noise-robust loss instead (forward
      correction with the estimated ``noise_matrix_``, generalized or
      symmetric cross-entropy, soft bootstrapping). Needs ``estimator`` to be
      a ``LogisticRegression`` or a Pipeline ending with one, whose ``C``
      and ``fit_intercept`` are kept.

    With ``n_iter > 1`` the out-of-sample probabilities are estimated again,
    each round training on the previous round's cleaned labels and weights,
    and the given labels are judged against them (``"select"`` cleans the
    rounds before the last with ``"weight"``; a loss strategy, which cleans
    nothing, runs one round). A weighting strategy with
    an estimator whose ``fit`` takes no ``sample_weight`` falls back to the
    same strategy without weights (``"weight"`` to ``"prune"``,
    ``"relabel_weight"`` to ``"relabel"``, ``"prune_weight"`` to
    ``"prune"``); ``strategy_`` says which ran.

    The defaults are the best choice measured on the KEEL benchmark of
    ``benchmarks/bench_noise_robust.py`` (see ``benchmarks/RESULTS.md``).

    Parameters
    ----------
    estimator : estimator instance
        Classifier with ``fit`` and ``predict_proba``; cloned for the folds
        and the final fit.
    strategy : {"auto", "select", "prune", "weight", "relabel", \
            "relabel_weight", "prune_weight", "forward", "gce", "sce", \
            "bootstrap"}, default="auto"
        What is done with the rows found mislabeled (see above).
    filter_estimators : "auto", list of estimators or None, default="auto"
        Further classifiers whose out-of-sample probabilities join the
        estimator's in the detection. ``"auto"``: a standardized
        ``LogisticRegression`` and a 15-nearest-neighbors classifier, used
        only on dense, finite ``X`` (otherwise the estimator alone). None:
        the estimator alone.
    detection : {"confident_learning", "majority", "consensus"}, \
            default="confident_learning"
        How rows are flagged: :func:`find_label_issues` with ``filter_by``
        on the averaged probabilities; or the filters of Brodley & Friedl
        (1999), flagging a row when most (``"majority"``) or all
        (``"consensus"``) of the models predict another class than its label.
    filter_by : str, default="prune_by_noise_rate"
        Rule of :func:`find_label_issues` for ``detection="confident_learning"``.
    n_iter : int, default=1
        Rounds of estimating the probabilities and cleaning. On the
        benchmark of ``benchmarks/bench_noise_robust.py`` a second round
        gains with gradient boosting at 500 and 2,000 rows, but loses more
        than 2 points against the noisy base in one full-size
        random-forest cell, at twice the cross-validation cost.
    cv : int, cross-validation generator or iterable, default=5
        Folds of the out-of-sample probabilities. An int gives a shuffled
        stratified k-fold, reduced to the size of the smallest class when
        that class is smaller (at least 2 folds).
    n_jobs : int, default=None
        Folds fitted in parallel; does not change the result.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and, unless None, the ``random_state`` parameters of
        every clone.

    Attributes
    ----------
    estimator_ : estimator instance
        The clone fitted on the cleaned labels (for a loss strategy, the
        estimator with its ``LogisticRegression`` replaced by a linear model
        trained with that loss).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    strategy_ : str
        The strategy that ran.
    strategy_scores_ : dict or None
        With ``strategy="select"``, each candidate's cross-validated accuracy
        on the given labels; None otherwise.
    label_issues_ : ndarray of shape (n_samples,), dtype bool
        Rows flagged as mislabeled in the last round.
    dropped_ : ndarray of shape (n_samples,), dtype bool
        Rows left out of the final fit.
    relabeled_ : ndarray of shape (n_samples,), dtype bool
        Rows whose label was changed for the final fit.
    cleaned_labels_ : ndarray of shape (n_samples,)
        Labels of the final fit (the given ones where not relabeled).
    sample_weight_ : ndarray of shape (n_samples,) or None
        Weights of the final fit (0 for dropped rows; the caller's
        ``sample_weight`` included), None when it ran without weights.
    noise_matrix_ : ndarray of shape (n_classes, n_classes)
        Estimated ``P(given = classes_[i] | true = classes_[j])``.
    pred_probs_ : ndarray of shape (n_samples, n_classes)
        Out-of-sample probabilities of the last round (averaged over the
        models).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Feature names seen in ``fit``, when ``X`` has string column names.

    See Also
    --------
    ConfidentLearningClassifier : The paper's method: prune, then fit.
    ELRClassifier : A network trained with early-learning regularization.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.datasets import make_noisy_labels
    >>> from sklweak.noise import NoiseRobustClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_noisy, flipped = make_noisy_labels(y, noise_rate=0.3, random_state=0)
    >>> clf = NoiseRobustClassifier(LogisticRegression(max_iter=500),
    ...                             random_state=0).fit(X, y_noisy)
    >>> clf.strategy_
    'sce'
    >>> noisy = LogisticRegression(max_iter=500).fit(X, y_noisy)
    >>> bool(clf.score(X, y) > noisy.score(X, y))
    True
    """

    _weak_label_kind = "noisy"

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "strategy": [StrOptions(set(STRATEGIES))],
        "filter_estimators": [StrOptions({"auto"}), list, None],
        "detection": [StrOptions(set(DETECTIONS))],
        "filter_by": [StrOptions(set(FILTER_RULES))],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "cv": ["cv_object"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        strategy="auto",
        filter_estimators="auto",
        detection="confident_learning",
        filter_by="prune_by_noise_rate",
        n_iter=1,
        cv=5,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.strategy = strategy
        self.filter_estimators = filter_estimators
        self.detection = detection
        self.filter_by = filter_by
        self.n_iter = n_iter
        self.cv = cv
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _folds(self, y_encoded, seed):
        """The (train, test) pairs shared by every model and round."""
        if not isinstance(self.cv, Integral):
            splitter = check_cv(self.cv, y_encoded, classifier=True)
        else:
            counts = np.bincount(y_encoded)
            if counts.min() < 2:
                raise ValueError(
                    "NoiseRobustClassifier needs at least 2 samples of every class to "
                    f"cross-validate; class {self.classes_[np.argmin(counts)]!r} has 1."
                )
            splitter = StratifiedKFold(
                n_splits=min(self.cv, int(counts.min())), shuffle=True, random_state=seed
            )
        return list(splitter.split(np.zeros((y_encoded.shape[0], 1)), y_encoded))

    def _filter_models(self, X):
        if self.filter_estimators is None:
            return [self.estimator]
        if isinstance(self.filter_estimators, str):
            dense_finite = not sparse.issparse(X) and (
                X.dtype.kind in "biuf" and np.isfinite(X).all()
            )
            extra = _default_filter_estimators(X.shape[0]) if dense_finite else []
        else:
            extra = list(self.filter_estimators)
            for model in extra:
                if not (hasattr(model, "fit") and hasattr(model, "predict_proba")):
                    raise TypeError(
                        "filter_estimators must hold classifiers with fit and "
                        f"predict_proba; got {model!r}."
                    )
        return [self.estimator, *extra]

    def _out_of_fold(self, models, X, labels, weights, folds, seed):
        """Each model's out-of-sample probabilities, trained on ``labels``."""
        probs = []
        for model in models:
            takes_weights = sample_weight_parameter(model) is not None
            probs.append(
                _cross_val_pred_probs(
                    model,
                    X,
                    labels,
                    cv=folds,
                    n_jobs=self.n_jobs,
                    random_state=None if self.random_state is None else seed,
                    sample_weight=weights if takes_weights else None,
                )
            )
        return probs

    def _detect(self, y_encoded, probs_per_model, mean_probs):
        if self.detection == "confident_learning":
            return find_label_issues(y_encoded, mean_probs, filter_by=self.filter_by)
        disagree = np.sum([p.argmax(axis=1) != y_encoded for p in probs_per_model], axis=0)
        if self.detection == "majority":
            return disagree * 2 > len(probs_per_model)
        return disagree == len(probs_per_model)

    def _clean(self, strategy, y_encoded, issues, probs):
        """Labels, kept rows and weights (None: unweighted) of a cleaning strategy."""
        n_samples, n_classes = probs.shape
        labels = y_encoded.copy()
        keep = np.ones(n_samples, dtype=bool)
        if strategy in ("prune", "prune_weight"):
            keep = ~issues
        elif strategy in ("relabel", "relabel_weight"):
            labels[issues] = probs[issues].argmax(axis=1)
        emptied = np.setdiff1d(np.arange(n_classes), labels[keep])
        if emptied.size:
            # Every row of a class was flagged: keep the class rather than lose it.
            restore = np.isin(y_encoded, emptied)
            keep |= restore
            labels[restore] = y_encoded[restore]
        weights = None
        if strategy in ("weight", "relabel_weight", "prune_weight"):
            weights = probs[np.arange(n_samples), labels] * keep
            weights = weights / max(weights[keep].mean(), np.finfo(np.float64).tiny)
        return labels, keep, weights

    def _check_strategy(self, y_encoded, sample_weight):
        weight_parameter = sample_weight_parameter(self.estimator)
        if weight_parameter is None and sample_weight is not None:
            raise ValueError(
                "NoiseRobustClassifier: sample_weight needs an estimator whose fit "
                "accepts sample_weight (or a Pipeline whose last step's does); "
                f"{type(self.estimator).__name__} does not."
            )
        if self.strategy in ROBUST_LOSSES and _final_logistic_step(self.estimator) is None:
            raise ValueError(
                f"strategy={self.strategy!r} trains a linear model with a robust loss: "
                "estimator must be a LogisticRegression or a Pipeline ending with one; "
                f"got {type(self.estimator).__name__}."
            )
        strategy = self.strategy
        if strategy == "auto":
            if _final_logistic_step(self.estimator) is not None:
                strategy = AUTO_FOR_LINEAR
            elif y_encoded.shape[0] / self.classes_.shape[0] >= AUTO_PRUNE_ROWS_PER_CLASS:
                strategy = "prune"
            else:
                strategy = "weight"
        if weight_parameter is None:
            return WITHOUT_WEIGHTS.get(strategy, strategy), None
        return strategy, weight_parameter

    def _select_strategy(self, X, y_encoded, sample_weight, weight_parameter, folds, seeds):
        """The candidate whose fold models best predict the given held-out labels."""
        candidates = list(
            dict.fromkeys(
                WITHOUT_WEIGHTS.get(c, c) if weight_parameter is None else c
                for c in SELECT_CANDIDATES
            )
        )
        cleaned = {
            c: self._clean(c, y_encoded, self.label_issues_, self.pred_probs_) for c in candidates
        }
        accuracies = Parallel(n_jobs=self.n_jobs)(
            delayed(_held_out_accuracy)(
                _seeded_clone(self.estimator, seed, self.random_state),
                X,
                y_encoded,
                *cleaned[candidate],
                sample_weight,
                weight_parameter,
                train,
                test,
            )
            for candidate in candidates
            for (train, test), seed in zip(folds, seeds)
        )
        n_folds = len(folds)
        self.strategy_scores_ = {
            c: float(np.mean(accuracies[i * n_folds : (i + 1) * n_folds]))
            for i, c in enumerate(candidates)
        }
        return max(candidates, key=self.strategy_scores_.get)

    def fit(self, X, y, sample_weight=None):
        """Detect the mislabeled rows, clean them, and fit the estimator.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Noisy labels, any dtype.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights, passed (with the cleaning weights) to every
            fit of ``estimator``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        y, y_encoded = target
        strategy, weight_parameter = self._check_strategy(y_encoded, sample_weight)
        models = self._filter_models(X)
        rng = check_random_state(self.random_state)
        folds = self._folds(y_encoded, rng.randint(MAX_SEED))
        round_seeds = rng.randint(MAX_SEED, size=self.n_iter)
        final_seed = rng.randint(MAX_SEED)
        selection_seeds = rng.randint(MAX_SEED, size=len(folds))
        round_strategy = WITHOUT_WEIGHTS.get("weight") if weight_parameter is None else "weight"
        if strategy != "select":
            round_strategy = strategy

        labels, keep, weights = y_encoded, np.ones(y_encoded.shape[0], dtype=bool), None
        # Only cleaning changes what the next round trains on.
        rounds = round_seeds if round_strategy in CLEANING_STRATEGIES else round_seeds[:1]
        for seed in rounds:
            train_weights = _combine_weights(keep, weights, sample_weight)
            probs_per_model = self._out_of_fold(models, X, labels, train_weights, folds, seed)
            self.pred_probs_ = np.mean(probs_per_model, axis=0)
            self.label_issues_ = self._detect(y_encoded, probs_per_model, self.pred_probs_)
            if round_strategy in CLEANING_STRATEGIES:
                labels, keep, weights = self._clean(
                    round_strategy, y_encoded, self.label_issues_, self.pred_probs_
                )
        self.strategy_scores_ = None
        if strategy == "select":
            strategy = self._select_strategy(
                X, y_encoded, sample_weight, weight_parameter, folds, selection_seeds
            )
            labels, keep, weights = self._clean(
                strategy, y_encoded, self.label_issues_, self.pred_probs_
            )
        self.noise_matrix_ = estimate_noise_matrices(y_encoded, self.pred_probs_)[0]
        self.strategy_ = strategy
        self.dropped_ = ~keep
        self.relabeled_ = labels != y_encoded
        self.cleaned_labels_ = self.classes_[labels]
        weighted = weight_parameter is not None and (
            weights is not None or sample_weight is not None
        )
        final_weights = _combine_weights(keep, weights, sample_weight) if weighted else None
        self.sample_weight_ = final_weights

        self.estimator_ = _seeded_clone(self.estimator, final_seed, self.random_state)
        fit_params = {}
        if strategy in ROBUST_LOSSES:
            step = _final_logistic_step(self.estimator_)[0]
            self.estimator_ = self._robust_linear_model(strategy)
            prefix = "" if step is None else f"{step}__"
            if strategy == "forward":
                fit_params[f"{prefix}noise_matrix"] = self.noise_matrix_
        rows = np.flatnonzero(keep)
        if final_weights is not None:
            fit_params[weight_parameter] = final_weights[rows]
        self.estimator_.fit(_safe_indexing(X, rows), self.classes_[labels[rows]], **fit_params)
        return self

    def _robust_linear_model(self, strategy):
        """``estimator_`` with its LogisticRegression swapped for the robust loss."""
        step, logistic = _final_logistic_step(self.estimator_)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            C = logistic.C
        robust = RobustSoftmaxRegression(
            strategy,
            C=C,
            fit_intercept=logistic.fit_intercept,
            max_iter=logistic.max_iter,
        )
        if step is None:
            return robust
        return self.estimator_.set_params(**{step: robust})


def _combine_weights(keep, weights, sample_weight):
    """Cleaning weights times the caller's, 0 for dropped rows; None if all are 1."""
    if weights is None and sample_weight is None and keep.all():
        return None
    combined = keep.astype(np.float64)
    if weights is not None:
        combined *= weights
    if sample_weight is not None:
        combined *= sample_weight
    return combined


def _held_out_accuracy(
    estimator, X, y_encoded, labels, keep, weights, sample_weight, weight_parameter, train, test
):
    """Accuracy on the given labels of ``test`` of a fit on the cleaned ``train``."""
    rows = train[keep[train]]
    fit_params = {}
    if weight_parameter is not None and (weights is not None or sample_weight is not None):
        fit_params[weight_parameter] = _combine_weights(keep, weights, sample_weight)[rows]
    estimator.fit(_safe_indexing(X, rows), labels[rows], **fit_params)
    hits = estimator.predict(_safe_indexing(X, test)) == y_encoded[test]
    return float(np.average(hits, weights=None if sample_weight is None else sample_weight[test]))
