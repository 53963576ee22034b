"""MultiAnnotatorClassifier: learn from several annotators' raw labels."""

from numbers import Integral

import numpy as np
from sklearn.base import MetaEstimatorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets

from ..base import BaseWeakClassifier
from ..utils import check_annotator_matrix
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions
from ..utils._weights import sample_weight_parameter
from ._annotators import _argmax_among_ties, _vote_counts, estimate_consensus
from ._cross_val import MAX_SEED, _cross_val_pred_probs, _seeded_clone
from ._delegation import RefitDelegationMixin

__all__ = ["MultiAnnotatorClassifier"]


def _decode_annotations(y, missing_label):
    """(labels as class indices with -1 for missing, classes) from a 1-D or 2-D y."""
    if y.ndim == 1:
        check_classification_targets(y)
        classes, encoded = np.unique(y, return_inverse=True)
        if classes.shape[0] < 2:
            raise ValueError(
                "MultiAnnotatorClassifier needs at least 2 classes in y; got 1 "
                f"class ({classes[0]!r})."
            )
        return encoded.reshape(-1, 1).astype(np.int64), classes
    target = check_annotator_matrix(y, missing_label=missing_label)
    return target.labels, target.classes


class MultiAnnotatorClassifier(RefitDelegationMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Classifier trained on the consensus of several annotators.

    ``fit`` takes every annotator's raw labels. It starts from their majority
    vote, then ``n_iter`` times: computes out-of-sample probabilities of the
    current consensus by cross-validation (:func:`cross_val_pred_probs`) and
    re-estimates the consensus from the annotations and those probabilities
    (:func:`estimate_consensus`). A clone of ``estimator`` is finally fitted on
    the last consensus.

    Parameters
    ----------
    estimator : estimator instance
        Classifier with ``fit`` and ``predict_proba``; cloned for the folds
        and for the final fit.
    method : {"crowdlab", "majority_vote", "dawid_skene"}, default="crowdlab"
        Consensus method of :func:`estimate_consensus`. Only ``"crowdlab"``
        uses the classifier beyond breaking ties, so it is the one that
        profits from ``n_iter > 1``.
    cv : int, cross-validation generator or iterable, default=5
        Folds of the out-of-sample probabilities. An int gives a shuffled
        stratified k-fold, reduced to the size of the smallest consensus class
        when that class is smaller (at least 2 folds).
    n_iter : int, default=2
        Rounds of (probabilities, consensus) before the final fit.
    missing_label : int, default=-1
        Marks a missing annotation in a 2-D ``y``.
    n_jobs : int, default=None
        Folds fitted in parallel; does not change the result.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and, unless None, the ``random_state`` parameters of
        every clone of ``estimator``.

    Attributes
    ----------
    estimator_ : estimator instance
        The clone fitted on the final consensus.
    classes_ : ndarray of shape (n_classes,)
        Class labels seen among the annotations.
    consensus_label_ : ndarray of shape (n_samples,)
        Consensus label of each training sample (values of ``classes_``).
    consensus_quality_ : ndarray of shape (n_samples,)
        Confidence in each consensus label, in [0, 1].
    annotator_quality_ : ndarray of shape (n_annotators,)
        Estimated quality of each annotator (one column of ``y``).
    pred_probs_ : ndarray of shape (n_samples, n_classes)
        Out-of-sample probabilities of the last round.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Feature names seen in ``fit``, when ``X`` has string column names.

    Notes
    -----
    ``sample_weight`` in ``fit`` (repetition counts) goes to every fit of
    ``estimator`` (the folds and the final one; it must take
    ``sample_weight``) and weighs every statistic over samples of the
    consensus (:func:`estimate_consensus`): agreement rates and errors for
    CROWDLAB, class and confusion counts for Dawid-Skene, annotator
    qualities. With an int ``cv`` the folds are drawn over rows, so a row of
    weight 2 and two copies of it may fall in different folds; with the
    same folds (copies in their row's fold) the two fits agree to the
    estimator's tolerance.

    ``y`` is either the annotators' matrix ``(n_samples, n_annotators)`` of
    integer labels with ``missing_label`` where an annotator gave none, or a
    1-D array read as a single annotator who labeled every sample (any dtype,
    ``missing_label`` not applied): ordinary labels, on which the estimator
    behaves like ``estimator`` itself.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.datasets import simulate_annotators
    >>> from sklweak.noise import MultiAnnotatorClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> annotations, _ = simulate_annotators(y, n_annotators=5, accuracy=(0.6, 0.9),
    ...                                      labels_per_example=3, random_state=0)
    >>> clf = MultiAnnotatorClassifier(LogisticRegression(max_iter=500), cv=3,
    ...                                random_state=0).fit(X, annotations)
    >>> bool((clf.consensus_label_ == y).mean() > 0.9)
    True
    """

    _weak_label_kind = "annotators"
    _y_is_1d = False

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "method": [StrOptions({"crowdlab", "majority_vote", "dawid_skene"})],
        "cv": ["cv_object"],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "missing_label": [Integral],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        method="crowdlab",
        cv=5,
        n_iter=2,
        missing_label=-1,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.method = method
        self.cv = cv
        self.n_iter = n_iter
        self.missing_label = missing_label
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _pred_probs(self, X, consensus, n_classes, seed, sample_weight):
        """Out-of-sample probabilities of ``consensus``, one column per class."""
        present, counts = np.unique(consensus, return_counts=True)
        if present.shape[0] < 2:
            raise ValueError(
                "The annotators' majority vote gives every sample the same class "
                f"{self.classes_[present[0]]!r}; a classifier needs two. Is "
                f"missing_label={self.missing_label!r} the value that marks a "
                "missing annotation?"
            )
        cv = self.cv
        if isinstance(cv, Integral):
            if counts.min() < 2:
                raise ValueError(
                    "MultiAnnotatorClassifier needs at least 2 samples of every "
                    f"consensus class to cross-validate; class "
                    f"{self.classes_[present[np.argmin(counts)]]!r} has 1."
                )
            cv = min(cv, int(counts.min()))
        probs = _cross_val_pred_probs(
            self.estimator,
            X,
            consensus,
            cv=cv,
            n_jobs=self.n_jobs,
            random_state=None if self.random_state is None else seed,
            sample_weight=sample_weight,
        )
        full = np.zeros((consensus.shape[0], n_classes))
        full[:, present] = probs
        if present.shape[0] < n_classes:
            full += 1e-9
            full /= full.sum(axis=1, keepdims=True)
        return full

    def _decode_target(self, y):
        labels, self.classes_ = _decode_annotations(np.asarray(y), self.missing_label)
        return labels

    def _fit(self, X, labels, sample_weight):
        fit_params = {}
        if sample_weight is not None:
            weight_parameter = sample_weight_parameter(self.estimator)
            if weight_parameter is None:
                raise ValueError(
                    "MultiAnnotatorClassifier got sample_weight, but its estimator "
                    f"{type(self.estimator).__name__} takes no sample_weight in fit (nor "
                    "does a Pipeline's last step); use an estimator that does."
                )
            fit_params[weight_parameter] = sample_weight
        n_classes = self.classes_.shape[0]
        observed = labels >= 0
        rng = check_random_state(self.random_state)
        seeds = rng.randint(MAX_SEED, size=self.n_iter + 1)

        consensus = _argmax_among_ties(_vote_counts(labels, observed, n_classes), None)
        for seed in seeds[:-1]:
            self.pred_probs_ = self._pred_probs(X, consensus, n_classes, seed, sample_weight)
            result = estimate_consensus(
                labels, self.pred_probs_, method=self.method, sample_weight=sample_weight
            )
            consensus = result.consensus_label
        self.consensus_label_ = self.classes_[consensus]
        self.consensus_quality_ = result.consensus_quality
        self.annotator_quality_ = result.annotator_quality

        self.estimator_ = _seeded_clone(self.estimator, seeds[-1], self.random_state)
        self.estimator_.fit(X, self.consensus_label_, **fit_params)
        return self

    def _to_classes(self, values, fill):
        """Columns of the inner estimator's classes spread over ``classes_``."""
        inner = np.searchsorted(self.classes_, self.estimator_.classes_)
        if inner.shape[0] == self.classes_.shape[0]:
            return values
        full = np.full((values.shape[0], self.classes_.shape[0]), fill)
        full[:, inner] = values
        return full

    def score(self, X, y, sample_weight=None):
        """Agreement of the predictions with the annotations.

        With a 2-D ``y`` (the annotators' matrix), the fraction of the given
        annotations that equal the prediction of their sample, so model
        selection needs no true labels: when every annotator is better than
        chance and wrong labels are spread evenly over the other classes, it
        grows with the true accuracy. With a 1-D ``y``, the accuracy.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        y : array-like of shape (n_samples, n_annotators) or (n_samples,)
            Annotators' labels (``missing_label`` where missing) or labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample's annotations.

        Returns
        -------
        score : float
            Weighted fraction of agreeing annotations.
        """
        y = np.asarray(y)
        if y.ndim == 1:
            return super().score(X, y, sample_weight=sample_weight)
        predicted = self.predict(X)
        if y.shape[0] != predicted.shape[0]:
            raise ValueError(f"y has {y.shape[0]} rows but X has {predicted.shape[0]} samples.")
        target = check_annotator_matrix(y, missing_label=self.missing_label)
        agree = (target.classes[target.labels] == predicted[:, None]) & target.observed
        weights = (
            np.ones(y.shape[0])
            if sample_weight is None
            else np.asarray(sample_weight, dtype=np.float64)
        )
        return float(
            np.sum(weights * agree.sum(axis=1)) / np.sum(weights * target.observed.sum(axis=1))
        )
