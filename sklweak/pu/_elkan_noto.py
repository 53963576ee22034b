"""Elkan and Noto's PU classifier: a labeled-vs-unlabeled model rescaled by c."""

from numbers import Real

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, has_fit_parameter, validate_data

from ..base import BaseWeakClassifier, PUMixin, ScorePredictionMixin, copy_input_tags
from ..utils._sklearn_compat import HasMethods, Interval
from ._common import (
    meta_validate_options,
    positive_score,
    rows,
    stratified_hold_out,
)

__all__ = ["ElkanNotoClassifier", "fit_labeling_model"]


def fit_labeling_model(estimator, X, labeled, hold_out_ratio, rng, sample_weight=None):
    """Fit ``g(x) = P(s = 1 | x)`` on a training part and score the held-out positives.

    Parameters
    ----------
    estimator : estimator object
        Unfitted classifier with ``predict_proba``; it is fitted in place on the
        training part with labels ``labeled.astype(int)``.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Samples.
    labeled : ndarray of bool, shape (n_samples,)
        True for labeled positives.
    hold_out_ratio : float
        Fraction of the labeled positives (and of the unlabeled samples) held
        out of training.
    rng : numpy.random.RandomState
        Source of the hold-out draw.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weights passed to the estimator's ``fit`` (training part) and returned
        for the held-out positives.

    Returns
    -------
    estimator : estimator object
        The fitted ``estimator``.
    held_scores : ndarray of shape (n_held_positives,)
        ``g(x)`` of the held-out labeled positives; their (weighted) mean is
        Elkan and Noto's estimator e1 of the label frequency ``c``.
    held_weights : ndarray of shape (n_held_positives,)
        Their weights (ones without ``sample_weight``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.pu._elkan_noto import fit_labeling_model
    >>> X = np.r_[np.zeros((20, 1)), np.ones((20, 1))]
    >>> labeled = np.r_[np.zeros(20, bool), np.arange(20) % 2 == 0]
    >>> _, scores, _ = fit_labeling_model(
    ...     LogisticRegression(), X, labeled, 0.2, np.random.RandomState(0))
    >>> scores.shape
    (2,)
    """
    n_labeled = int(np.count_nonzero(labeled))
    if n_labeled < 2:
        raise ValueError(
            f"y holds {n_labeled} labeled positive; Elkan-Noto needs at least 2: "
            "one or more to train g(x) = P(labeled | x) and one held out to "
            "estimate the label frequency c. Label more positives, or give the "
            "class prior (NNPUClassifier(prior=...)) or use another prior method "
            "(estimate_class_prior(method='km2_multiscale'))."
        )
    held = stratified_hold_out(labeled, hold_out_ratio, rng)
    train = np.flatnonzero(~held)
    options = {} if sample_weight is None else {"sample_weight": sample_weight[train]}
    estimator.fit(rows(X, train), labeled[train].astype(np.int64), **options)
    held_positive = np.flatnonzero(held & labeled)
    if sample_weight is None:
        weights = np.ones(held_positive.shape[0])
    else:
        weights = sample_weight[held_positive]
    return estimator, positive_score(estimator, rows(X, held_positive)), weights


class ElkanNotoClassifier(ScorePredictionMixin, PUMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Positive-unlabeled classifier of Elkan and Noto (2008).

    Under SCAR (labeled positives selected completely at random, with label
    frequency ``c = P(s = 1 | y = 1)``), a classifier ``g`` trained to tell
    labeled from unlabeled samples satisfies ``g(x) = c * P(y = 1 | x)``. This
    estimator fits ``g`` on all but a held-out part, estimates ``c`` as the
    mean of ``g`` over the held-out labeled positives (the estimator e1 of the
    paper) and returns the calibrated ``P(y = 1 | x) = min(1, g(x) / c)``.

    With ``weighted=True`` (the default) a second classifier is trained on
    the labeled positives (weight 1) and on every unlabeled sample twice, as a
    positive with weight ``w(x)`` and as a negative with weight ``1 - w(x)``,
    where ``w(x) = P(y = 1 | x, s = 0) = (1 - c) / c * g(x) / (1 - g(x))``
    (clipped to [0, 1]); its probabilities are the output. ``weighted=False``
    returns ``g(x) / c`` itself (the basic estimator of the paper).

    ``predict`` thresholds the calibrated probability of the positive class at
    0.5.

    ``fit(X, y, sample_weight)`` passes the weights to every fit of the
    estimator (multiplied into the weights of the weighted variant), takes
    ``c`` as the weighted mean over the held-out positives and counts the
    class prior in weights; the estimator's ``fit`` must take
    ``sample_weight``.

    Parameters
    ----------
    estimator : estimator object
        Probabilistic classifier (``fit`` and ``predict_proba``); it should give
        calibrated probabilities (e.g. logistic regression). With
        ``weighted=True`` (the default) its ``fit`` must take ``sample_weight``;
        pass ``weighted=False`` for one whose ``fit`` does not.
    hold_out_ratio : float in (0, 1), default=0.1
        Fraction of the labeled positives (and, to keep the label frequency,
        of the unlabeled samples) held out of the training of ``g`` to estimate
        ``c``. At least one labeled positive is held out.
    weighted : bool, default=True
        Train the weighted second classifier of Elkan and Noto's section 3.
        False: the calibrated ``g(x) / c`` of their basic estimator. The
        weighted one has the higher mean ROC AUC and F1 over the 28 cells of
        ``benchmarks/bench_pu_defaults.py`` (seven sets at full size and 300
        rows, c 0.3 and 0.5) and the higher F1 in most cells, at about twice
        the fit time; it was False before.
    pos_label : int, bool or str, default=1
        Value of ``y`` marking a labeled positive; any other value is unlabeled.
    neg_label : int, bool or str, default=0
        Label predicted for negatives.
    random_state : int, RandomState instance or None, default=None
        Seed of the hold-out draw.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted labeled-vs-unlabeled classifier ``g``.
    weighted_estimator_ : estimator object
        The weighted positive-vs-negative classifier (``weighted=True`` only).
    c_ : float
        Estimated label frequency ``P(s = 1 | y = 1)``, at least the labeled
        fraction.
    class_prior_ : float
        Estimated class prior ``P(y = 1) = n_labeled / (c_ * n_samples)``.
    classes_ : ndarray of shape (2,)
        ``[neg_label, pos_label]``.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    BaggingPUClassifier : Bagging of labeled-vs-unlabeled classifiers.
    NNPUClassifier : Non-negative PU risk minimisation.
    estimate_class_prior : The class prior from the same estimate of ``c``.

    References
    ----------
    .. [1] C. Elkan and K. Noto, "Learning classifiers from only positive and
       unlabeled data", KDD 2008.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.datasets import make_pu
    >>> from sklweak.pu import ElkanNotoClassifier
    >>> X, y = make_classification(n_samples=600, random_state=0)
    >>> y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=0)
    >>> clf = ElkanNotoClassifier(LogisticRegression(), random_state=0)
    >>> clf.fit(X, y_pu).score(X, y) > 0.85
    True
    >>> 0.3 < clf.c_ < 0.7
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "hold_out_ratio": [Interval(Real, 0, 1, closed="neither")],
        "weighted": ["boolean"],
        "pos_label": PUMixin._label_constraint,
        "neg_label": PUMixin._label_constraint,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        hold_out_ratio=0.1,
        weighted=True,
        pos_label=1,
        neg_label=0,
        random_state=None,
    ):
        self.estimator = estimator
        self.hold_out_ratio = hold_out_ratio
        self.weighted = weighted
        self.pos_label = pos_label
        self.neg_label = neg_label
        self.random_state = random_state

    def _validate_data_options(self):
        return meta_validate_options(self.estimator)

    def fit(self, X, y, sample_weight=None):
        """Fit ``g``, estimate ``c`` and, if asked, the weighted classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples, labeled and unlabeled.
        y : array-like of shape (n_samples,)
            ``pos_label`` for a labeled positive, any other value for an
            unlabeled sample.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples; the estimator's ``fit`` must take
            ``sample_weight``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _fit(self, X, target, sample_weight):
        takes_weights = has_fit_parameter(self.estimator, "sample_weight")
        if self.weighted and not takes_weights:
            raise ValueError(
                f"weighted=True (the default) needs an estimator whose fit takes "
                f"sample_weight; {type(self.estimator).__name__}.fit does not. Pass "
                "weighted=False to use g(x) / c without the weighted classifier."
            )
        if sample_weight is not None and not takes_weights:
            raise ValueError(
                "sample_weight was given but the estimator's fit does not take "
                f"sample_weight ({type(self.estimator).__name__})."
            )
        labeled = target.labeled
        weight = np.ones(labeled.shape[0]) if sample_weight is None else sample_weight
        total, labeled_total = float(weight.sum()), float(weight[labeled].sum())
        if labeled_total <= 0 or total - labeled_total <= 0:
            raise ValueError(
                "sample_weight must give the labeled positives (the positive "
                "class) and the unlabeled samples a positive total weight."
            )
        self._set_binary_classes()
        rng = check_random_state(self.random_state)
        self.estimator_, held_scores, held_weights = fit_labeling_model(
            clone(self.estimator), X, labeled, self.hold_out_ratio, rng, sample_weight
        )
        if held_weights.sum() <= 0:
            raise ValueError(
                "sample_weight is zero on every held-out labeled positive (of the "
                "positive class): c cannot be estimated; change random_state or "
                "hold_out_ratio."
            )
        labeled_fraction = labeled_total / total
        if sample_weight is None:
            c = np.mean(held_scores)
        else:
            c = np.average(held_scores, weights=held_weights)
        self.c_ = float(np.clip(c, labeled_fraction, 1.0))
        self.class_prior_ = float(min(1.0, labeled_total / (self.c_ * total)))
        if self.weighted:
            self.weighted_estimator_ = self._fit_weighted(X, labeled, weight)
        elif hasattr(self, "weighted_estimator_"):
            del self.weighted_estimator_
        return self

    def _fit_weighted(self, X, labeled, sample_weight):
        unlabeled = np.flatnonzero(~labeled)
        positives = np.flatnonzero(labeled)
        g = np.clip(positive_score(self.estimator_, rows(X, unlabeled)), 0.0, 1.0 - 1e-12)
        w = np.clip((1.0 - self.c_) / self.c_ * g / (1.0 - g), 0.0, 1.0)
        index = np.concatenate([positives, unlabeled, unlabeled])
        target = np.concatenate(
            [np.ones(positives.shape[0] + unlabeled.shape[0]), np.zeros(unlabeled.shape[0])]
        ).astype(np.int64)
        weights = np.concatenate([np.ones(positives.shape[0]), w, 1.0 - w])
        weights *= sample_weight[index]
        keep = weights > 0
        model = clone(self.estimator)
        model.fit(rows(X, index[keep]), target[keep], sample_weight=weights[keep])
        return model

    _scores_are_probabilities = True

    def _scores(self, X):
        # The probability of pos_label.
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._validate_data_options())
        if self.weighted:
            p = positive_score(self.weighted_estimator_, X)
        else:
            p = positive_score(self.estimator_, X) / self.c_
        return np.clip(np.nan_to_num(p, nan=0.5), 0.0, 1.0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        return copy_input_tags(tags, self.estimator)
