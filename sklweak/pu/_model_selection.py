"""Model selection without negatives: a PU splitter and PU-corrected scorers."""

from numbers import Integral, Real

import numpy as np
from sklearn.metrics import make_scorer, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from ..utils._sklearn_compat import BaseCrossValidator, Interval, StrOptions, validate_params
from ..utils._validation import _as_1d, _is_sentinel, check_pu_y
from ._common import check_prior

__all__ = [
    "PUStratifiedKFold",
    "lee_liu_score",
    "make_pu_scorer",
    "pu_accuracy_score",
    "pu_roc_auc_score",
]


class PUStratifiedKFold(BaseCrossValidator):
    """K-fold splitter that keeps the labeled/unlabeled ratio in every fold.

    The folds are stratified on "labeled positive or not", so each training
    and test part holds labeled positives in the proportion of the whole set,
    which PU scorers need (they measure recall on the labeled positives of the
    test part).

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2 and at most the number of labeled
        positives.
    pos_label : int, bool or str, default=1
        Value of ``y`` marking a labeled positive.
    shuffle : bool, default=False
        Shuffle each stratum before splitting.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle (only with ``shuffle=True``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.pu import PUStratifiedKFold
    >>> y = np.array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0])
    >>> cv = PUStratifiedKFold(3)
    >>> [int(y[test].sum()) for _, test in cv.split(np.zeros((12, 1)), y)]
    [1, 1, 1]
    """

    def __init__(self, n_splits=5, *, pos_label=1, shuffle=False, random_state=None):
        self.n_splits = n_splits
        self.pos_label = pos_label
        self.shuffle = shuffle
        self.random_state = random_state

    def split(self, X, y, groups=None):
        """Yield train and test indices of each fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples (only their number is used).
        y : array-like of shape (n_samples,)
            PU target: ``pos_label`` for a labeled positive.
        groups : None
            Ignored; present for the splitter interface.

        Yields
        ------
        train, test : ndarray of int
            Indices of the training and test rows of the fold.
        """
        if not isinstance(self.n_splits, Integral) or self.n_splits < 2:
            raise ValueError(f"n_splits must be an integer >= 2; got {self.n_splits!r}.")
        target = check_pu_y(y, pos_label=self.pos_label)
        if target.n_labeled < self.n_splits:
            raise ValueError(
                f"n_splits={self.n_splits} is more than the {target.n_labeled} labeled "
                "positives: some test folds would hold none."
            )
        inner = StratifiedKFold(
            self.n_splits,
            shuffle=self.shuffle,
            random_state=self.random_state if self.shuffle else None,
        )
        yield from inner.split(np.zeros((len(target.labeled), 1)), target.labeled.astype(int))

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of folds.

        Parameters
        ----------
        X, y, groups : object
            Ignored.

        Returns
        -------
        n_splits : int
            ``n_splits``.
        """
        return self.n_splits


def _labeled_and_predicted(y_true, y_pred, pos_label):
    y_true = _as_1d(y_true, "y_true")
    y_pred = _as_1d(y_pred, "y_pred")
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"y_true and y_pred differ in length ({y_true.shape[0]} and {y_pred.shape[0]})."
        )
    labeled = _is_sentinel(y_true, pos_label)
    if not labeled.any():
        raise ValueError(f"y_true has no labeled positive (pos_label={pos_label!r}).")
    return labeled, _is_sentinel(y_pred, pos_label)


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "pos_label": [Integral, str, "boolean"]},
    prefer_skip_nested_validation=True,
)
def lee_liu_score(y_true, y_pred, *, pos_label=1):
    """Lee and Liu's criterion for PU model selection: recall^2 / P(predicted positive).

    .. math:: \\frac{r^2}{P(\\hat y = 1)}, \\quad
              r = P(\\hat y = 1 \\mid s = 1),

    the recall ``r`` measured on the labeled positives (under SCAR it equals
    the recall on all positives) and ``P(\\hat y = 1)`` on all samples. It
    equals ``precision * recall / P(y = 1)``, so it ranks classifiers as
    ``precision * recall`` does, without any negative label.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        PU target: ``pos_label`` for a labeled positive.
    y_pred : array-like of shape (n_samples,)
        Predicted labels; ``pos_label`` means predicted positive.
    pos_label : int, bool or str, default=1
        The positive value of both arrays.

    Returns
    -------
    score : float
        The criterion, 0 when nothing is predicted positive.

    References
    ----------
    .. [1] W. S. Lee and B. Liu, "Learning with positive and unlabeled examples
       using weighted logistic regression", ICML 2003.

    Examples
    --------
    >>> from sklweak.pu import lee_liu_score
    >>> lee_liu_score([1, 1, 0, 0], [1, 0, 1, 0])
    0.5
    """
    labeled, predicted = _labeled_and_predicted(y_true, y_pred, pos_label)
    predicted_rate = predicted.mean()
    if predicted_rate == 0:
        return 0.0
    recall = predicted[labeled].mean()
    return float(recall**2 / predicted_rate)


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "prior": [Interval(Real, 0, 1, closed="neither")],
        "pos_label": [Integral, str, "boolean"],
    },
    prefer_skip_nested_validation=True,
)
def pu_accuracy_score(y_true, y_pred, *, prior, pos_label=1):
    """Accuracy recovered from PU labels and the class prior.

    With prior ``pi = P(y = 1)`` of the scored samples, true-positive rate
    ``TPR`` (the recall on the labeled positives, unbiased under SCAR) and
    predicted-positive rate ``q = P(\\hat y = 1)``, the false-positive rate is
    ``FPR = (q - pi TPR) / (1 - pi)`` and

    .. math:: \\mathrm{acc} = \\pi\\,\\mathrm{TPR} + (1 - \\pi)(1 - \\mathrm{FPR})
              = 1 - \\pi - q + 2\\pi\\,\\mathrm{TPR},

    clipped to [0, 1] (the contingency-table correction of Claesen et al.,
    2015, and Jain et al., 2017).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        PU target: ``pos_label`` for a labeled positive.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    prior : float in (0, 1)
        Class prior of the scored samples; at least their labeled fraction.
    pos_label : int, bool or str, default=1
        The positive value of both arrays.

    Returns
    -------
    score : float
        Estimated accuracy against the unknown true labels.

    References
    ----------
    .. [1] M. Claesen, J. Davis, F. De Smet and B. De Moor, "Assessing binary
       classifiers using only positive and unlabeled data", arXiv:1504.06837,
       2015.
    .. [2] S. Jain, M. White and P. Radivojac, "Recovering true classifier
       performance in positive-unlabeled learning", AAAI 2017.

    Examples
    --------
    >>> from sklweak.pu import pu_accuracy_score
    >>> pu_accuracy_score([1, 0, 0, 0], [1, 1, 0, 0], prior=0.5)
    1.0
    """
    labeled, predicted = _labeled_and_predicted(y_true, y_pred, pos_label)
    prior = check_prior(prior, int(labeled.sum()), labeled.shape[0])
    tpr = predicted[labeled].mean()
    accuracy = 1.0 - prior - predicted.mean() + 2.0 * prior * tpr
    return float(np.clip(accuracy, 0.0, 1.0))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "prior": [Interval(Real, 0, 1, closed="neither")],
        "pos_label": [Integral, str, "boolean"],
    },
    prefer_skip_nested_validation=True,
)
def pu_roc_auc_score(y_true, y_score, *, prior, pos_label=1):
    """ROC AUC recovered from PU labels and the class prior.

    The AUC of labeled against unlabeled samples, ``AUC_PU``, mixes the true
    AUC with the positives hidden among the unlabeled samples, a fraction
    ``theta = (pi n - n_L) / (n - n_L)`` of them, which a scorer ranks against
    the labeled positives at chance:
    ``AUC_PU = theta / 2 + (1 - theta) AUC``. Hence

    .. math:: \\mathrm{AUC} = \\frac{\\mathrm{AUC_{PU}} - \\theta / 2}{1 - \\theta},

    clipped to [0, 1] (Menon et al., 2015; Jain et al., 2017).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        PU target: ``pos_label`` for a labeled positive.
    y_score : array-like of shape (n_samples,)
        Scores, larger for more likely positive.
    prior : float in (0, 1)
        Class prior of the scored samples; at least their labeled fraction.
    pos_label : int, bool or str, default=1
        Value of ``y_true`` marking a labeled positive.

    Returns
    -------
    score : float
        Estimated AUC against the unknown true labels.

    References
    ----------
    .. [1] A. K. Menon, B. van Rooyen, C. S. Ong and R. C. Williamson,
       "Learning from corrupted binary labels via class-probability
       estimation", ICML 2015.
    .. [2] S. Jain, M. White and P. Radivojac, "Recovering true classifier
       performance in positive-unlabeled learning", AAAI 2017.

    Examples
    --------
    >>> from sklweak.pu import pu_roc_auc_score
    >>> pu_roc_auc_score([1, 0, 0, 0], [0.9, 0.8, 0.1, 0.2], prior=0.5)
    1.0
    """
    y_true = _as_1d(y_true, "y_true")
    y_score = np.asarray(y_score, dtype=np.float64)
    if y_score.ndim == 2 and y_score.shape[1] == 2:
        y_score = y_score[:, 1]
    labeled = _is_sentinel(y_true, pos_label)
    n_labeled, n = int(labeled.sum()), labeled.shape[0]
    if n_labeled == 0 or n_labeled == n:
        raise ValueError(
            "y_true needs labeled positives and unlabeled samples to compute a PU AUC."
        )
    prior = check_prior(prior, n_labeled, n)
    theta = (prior * n - n_labeled) / (n - n_labeled)
    auc_pu = roc_auc_score(labeled.astype(int), y_score)
    if theta >= 1.0:
        return 0.5
    return float(np.clip((auc_pu - theta / 2.0) / (1.0 - theta), 0.0, 1.0))


@validate_params(
    {
        "metric": [StrOptions({"lee_liu", "accuracy", "roc_auc"})],
        "prior": [Interval(Real, 0, 1, closed="neither"), None],
        "pos_label": [Integral, str, "boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_pu_scorer(metric, *, prior=None, pos_label=1):
    """Scorer for ``GridSearchCV`` / ``cross_validate`` on PU targets.

    Parameters
    ----------
    metric : {"lee_liu", "accuracy", "roc_auc"}
        :func:`lee_liu_score` (needs no prior), :func:`pu_accuracy_score` or
        :func:`pu_roc_auc_score` (the last two need ``prior``).
    prior : float in (0, 1) or None, default=None
        Class prior of the scored samples.
    pos_label : int, bool or str, default=1
        Value of ``y`` marking a labeled positive, and the estimator's positive
        class.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``; larger is better.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklweak.datasets import make_pu
    >>> from sklweak.pu import ElkanNotoClassifier, PUStratifiedKFold, make_pu_scorer
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=0)
    >>> search = GridSearchCV(
    ...     ElkanNotoClassifier(LogisticRegression(), random_state=0),
    ...     {"estimator__C": [0.01, 1.0]},
    ...     scoring=make_pu_scorer("lee_liu"), cv=PUStratifiedKFold(3),
    ... ).fit(X, y_pu)
    >>> search.best_params_["estimator__C"] in (0.01, 1.0)
    True
    """
    if metric == "lee_liu":
        return make_scorer(lee_liu_score, pos_label=pos_label)
    if prior is None:
        raise ValueError(f"metric={metric!r} needs the class prior; pass prior=.")
    if metric == "accuracy":
        return make_scorer(pu_accuracy_score, prior=prior, pos_label=pos_label)
    return make_scorer(
        pu_roc_auc_score,
        response_method=("decision_function", "predict_proba"),
        prior=prior,
        pos_label=pos_label,
    )
