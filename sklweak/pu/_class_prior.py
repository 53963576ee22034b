"""Class-prior estimation from positive and unlabeled data."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import check_array, check_consistent_length

from ..utils._validation import check_pu_y
from ._elkan_noto import fit_labeling_model

__all__ = ["estimate_class_prior"]


def elkan_noto_prior(X, labeled, *, estimator, hold_out_ratio, n_bootstrap, confidence, rng):
    """Elkan-Noto class prior and a bootstrap interval over the held-out positives.

    Returns ``(prior, (low, high))``; see :func:`estimate_class_prior`.
    """
    n_samples = labeled.shape[0]
    n_labeled = int(labeled.sum())
    _, scores = fit_labeling_model(clone(estimator), X, labeled, hold_out_ratio, rng)
    fraction = n_labeled / n_samples

    def prior_of(c):
        c = np.clip(c, fraction, 1.0)
        return np.minimum(1.0, n_labeled / (c * n_samples))

    estimate = float(prior_of(np.mean(scores)))
    if n_bootstrap == 0:
        return estimate, (estimate, estimate)
    draws = rng.randint(0, scores.shape[0], size=(n_bootstrap, scores.shape[0]))
    priors = prior_of(scores[draws].mean(axis=1))
    tail = 50.0 * (1.0 - confidence)
    low, high = np.percentile(priors, [tail, 100.0 - tail])
    return estimate, (float(low), float(high))


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "method": [StrOptions({"elkan_noto"})],
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "pos_label": [Integral, str, "boolean"],
        "hold_out_ratio": [Interval(Real, 0, 1, closed="neither")],
        "n_bootstrap": [Interval(Integral, 0, None, closed="left")],
        "confidence": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def estimate_class_prior(
    X,
    y,
    *,
    method="elkan_noto",
    estimator=None,
    pos_label=1,
    hold_out_ratio=0.1,
    n_bootstrap=200,
    confidence=0.95,
    random_state=None,
):
    """Estimate the class prior ``P(y = 1)`` from positive and unlabeled data.

    ``method="elkan_noto"`` (Elkan and Noto, 2008): a classifier ``g`` is
    trained to tell labeled from unlabeled samples on all but a held-out part
    (``hold_out_ratio`` of the labeled and of the unlabeled samples); the label
    frequency is ``c = mean of g(x) over the held-out labeled positives``
    (their estimator e1), and the prior is

    .. math:: \\pi = \\frac{|L|}{c\\, n},

    with ``|L|`` the number of labeled positives among ``n`` samples (``c`` is
    clipped to ``[|L| / n, 1]`` so that ``pi`` lies in ``[|L| / n, 1]``). The
    interval is the percentile bootstrap of the held-out positives' scores
    (``n_bootstrap`` resamples): it measures the sampling error of ``c``, not
    the bias of ``g``.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Samples, labeled and unlabeled.
    y : array-like of shape (n_samples,)
        ``pos_label`` for a labeled positive, any other value for unlabeled.
    method : {"elkan_noto"}, default="elkan_noto"
        The estimator of the prior.
    estimator : estimator object, default=None
        Probabilistic classifier for ``g``; it should be calibrated. None means
        ``LogisticRegression(max_iter=1000)``.
    pos_label : int, bool or str, default=1
        Value of ``y`` marking a labeled positive.
    hold_out_ratio : float in (0, 1), default=0.1
        Fraction held out of the training of ``g``.
    n_bootstrap : int, default=200
        Bootstrap resamples for the interval; 0 returns ``(estimate,
        estimate)``.
    confidence : float in (0, 1), default=0.95
        Coverage of the percentile interval.
    random_state : int, RandomState instance or None, default=None
        Seed of the hold-out draw and of the bootstrap.

    Returns
    -------
    prior : float
        The estimated class prior.
    interval : tuple of float
        ``(low, high)`` bootstrap interval.

    References
    ----------
    .. [1] C. Elkan and K. Noto, "Learning classifiers from only positive and
       unlabeled data", KDD 2008.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklweak.datasets import make_pu
    >>> from sklweak.pu import estimate_class_prior
    >>> X, y = make_classification(n_samples=1000, class_sep=2, random_state=0)
    >>> y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=0)
    >>> prior, (low, high) = estimate_class_prior(X, y_pu, random_state=0)
    >>> bool(abs(prior - y.mean()) < 0.1), bool(low <= prior <= high)
    (True, True)
    """
    X = check_array(X, accept_sparse=["csr", "csc"])
    y = np.asarray(y)
    check_consistent_length(X, y)
    labeled = check_pu_y(y, pos_label=pos_label).labeled
    rng = check_random_state(random_state)
    if estimator is None:
        estimator = LogisticRegression(max_iter=1000)
    return elkan_noto_prior(
        X,
        labeled,
        estimator=estimator,
        hold_out_ratio=hold_out_ratio,
        n_bootstrap=n_bootstrap,
        confidence=confidence,
        rng=rng,
    )
