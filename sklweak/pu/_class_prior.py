"""Class-prior estimation from positive and unlabeled data."""

from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_consistent_length

from ..utils import load_kernel
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions, validate_params
from ..utils._validation import check_pu_y
from ._common import stratified_hold_out
from ._elkan_noto import fit_labeling_model
from ._km2 import MULTISCALE_FACTORS, km2_prior

__all__ = ["estimate_class_prior"]

# The default of estimate_class_prior and of prior="auto": the smallest mean
# absolute error measured in benchmarks/bench_pu_prior_default.py.
DEFAULT_PRIOR_METHOD = "km2_multiscale"
PRIOR_METHODS = ("elkan_noto", "tice", "km2", "km2_multiscale")
# Bootstrap resamples when n_bootstrap is None: every KM2 resample reruns its
# search (two for km2_multiscale), the other methods' resamples are cheap.
_DEFAULT_BOOTSTRAP = {"elkan_noto": 200, "tice": 200, "km2": 50, "km2_multiscale": 10}


def elkan_noto_prior(X, labeled, *, estimator, hold_out_ratio, n_bootstrap, confidence, rng):
    """Elkan-Noto class prior and a bootstrap interval over the held-out positives.

    Returns ``(prior, (low, high))``; see :func:`estimate_class_prior`.
    """
    n_samples = labeled.shape[0]
    n_labeled = int(labeled.sum())
    _, scores, _ = fit_labeling_model(clone(estimator), X, labeled, hold_out_ratio, rng)
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


def bin_features(X, n_bins):
    """Quantile bins of every column of ``X`` as a C-contiguous ``uint8`` array.

    A column gets at most ``n_bins`` bins, fewer when its quantiles repeat
    (a binary column gets two), numbered from 0 without gaps.
    """
    X = X.toarray() if sparse.issparse(X) else np.asarray(X, dtype=np.float64)
    codes = np.empty(X.shape, dtype=np.uint8)
    levels = np.linspace(0.0, 1.0, n_bins + 1)[1:-1]
    for j in range(X.shape[1]):
        edges = np.unique(np.quantile(X[:, j], levels))
        bins = np.searchsorted(edges, X[:, j], side="right")
        codes[:, j] = np.unique(bins, return_inverse=True)[1].reshape(-1)
    return codes


def _best_lower_bound(total, positives, *, delta, min_size, floor):
    """Largest TIcE lower bound of ``c`` over subsets, per column of counts.

    ``total`` and ``positives`` are ``(n_subsets, n_columns)`` counts of rows
    and labeled positives per subset. A subset with ``T >= min_size`` rows, of
    which ``L`` labeled, bounds ``c >= L / T - sqrt(c (1 - c) (1 - d) / (d T))``
    with probability ``1 - d`` (one-sided Chebyshev on the labeled fraction of
    its positives). ``c (1 - c)`` is taken at 1/2 first, its largest value,
    then at that first estimate (clipped to ``[floor, 1/2]``).
    """
    valid = total >= min_size
    safe = np.where(valid, total, 1.0)
    d = delta
    fraction = positives / safe
    c = np.full(total.shape[1], 0.5)
    for _ in range(2):
        bound = fraction - np.sqrt(c * (1.0 - c) * (1.0 - d) / (d * safe))
        best = np.max(np.where(valid, bound, 0.0), axis=0, initial=0.0)
        c = np.clip(best, floor, 0.5)
    return best


def tice_prior(
    X,
    labeled,
    *,
    n_bins,
    max_bepp,
    max_splits,
    min_size,
    delta,
    n_iterations,
    n_bootstrap,
    confidence,
    rng,
):
    """TIcE class prior and a bootstrap interval over the estimation halves.

    Returns ``(prior, (low, high))``; see :func:`estimate_class_prior`.
    """
    kernel = load_kernel("sklweak.pu._tice")
    codes = bin_features(X, n_bins)
    n_samples = labeled.shape[0]
    n_labeled = int(labeled.sum())
    fraction = n_labeled / n_samples
    if delta is None:
        delta = max(0.025, 1.0 / (1.0 + 0.004 * n_samples))
    estimates = []
    boot = np.zeros(n_bootstrap)
    for _ in range(n_iterations):
        est = stratified_hold_out(labeled, 0.5, rng)
        tree = ~est
        indptr, indices = kernel.induce_subsets(
            codes[tree],
            labeled[tree].astype(np.uint8),
            codes[est],
            n_bins,
            float(max_bepp),
            max_splits,
            min_size,
        )
        n_est = int(est.sum())
        membership = sparse.csr_matrix(
            (np.ones(indices.shape[0]), indices, indptr), shape=(indptr.shape[0] - 1, n_est)
        )
        labeled_est = labeled[est].astype(np.float64)
        total = np.diff(indptr).astype(np.float64)[:, np.newaxis]
        positives = (membership @ labeled_est)[:, np.newaxis]
        estimates.append(
            _best_lower_bound(total, positives, delta=delta, min_size=min_size, floor=fraction)[0]
        )
        if n_bootstrap:
            draws = rng.randint(0, n_est, size=(n_bootstrap, n_est))
            weights = np.zeros((n_bootstrap, n_est))
            np.add.at(weights, (np.arange(n_bootstrap)[:, np.newaxis], draws), 1.0)
            boot += _best_lower_bound(
                np.asarray(membership @ weights.T),
                np.asarray(membership @ (weights * labeled_est).T),
                delta=delta,
                min_size=min_size,
                floor=fraction,
            )

    def prior_of(c):
        c = np.clip(c, fraction, 1.0)
        return np.minimum(1.0, n_labeled / (c * n_samples))

    estimate = float(prior_of(np.mean(estimates)))
    if n_bootstrap == 0:
        return estimate, (estimate, estimate)
    priors = prior_of(boot / n_iterations)
    tail = 50.0 * (1.0 - confidence)
    low, high = np.percentile(priors, [tail, 100.0 - tail])
    return estimate, (float(low), float(high))


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "method": [StrOptions(set(PRIOR_METHODS))],
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "pos_label": [Integral, str, "boolean"],
        "hold_out_ratio": [Interval(Real, 0, 1, closed="neither")],
        "n_bootstrap": [Interval(Integral, 0, None, closed="left"), None],
        "confidence": [Interval(Real, 0, 1, closed="neither")],
        "n_bins": [Interval(Integral, 2, 256, closed="both")],
        "max_bepp": [Interval(Real, 0, None, closed="left")],
        "max_splits": [Interval(Integral, 0, None, closed="left")],
        "min_subset_size": [Interval(Integral, 1, None, closed="left")],
        "delta": [Interval(Real, 0, 1, closed="neither"), None],
        "n_iterations": [Interval(Integral, 1, None, closed="left")],
        "max_kernel_samples": [Interval(Integral, 2, None, closed="left")],
        "bandwidth": [Interval(Real, 0, None, closed="neither"), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def estimate_class_prior(
    X,
    y,
    *,
    method=DEFAULT_PRIOR_METHOD,
    estimator=None,
    pos_label=1,
    hold_out_ratio=0.1,
    n_bootstrap=None,
    confidence=0.95,
    n_bins=4,
    max_bepp=5.0,
    max_splits=500,
    min_subset_size=10,
    delta=None,
    n_iterations=2,
    max_kernel_samples=200,
    bandwidth=None,
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

    ``method="tice"`` (Bekker and Davis, 2018) needs no classifier. Under SCAR
    every subset ``S`` of the data has a labeled fraction ``|L_S| / |S| = c
    P(y = 1 | S) <= c``, with equality on a subset of positives only; so each
    subset gives a lower bound of ``c``,

    .. math:: c \\geq \\frac{|L_S|}{|S|} - \\sqrt{\\frac{c (1 - c) (1 - \\delta)}{\\delta |S|}},

    holding with probability ``1 - delta`` (one-sided Chebyshev), and the
    estimate is the largest bound over a family of subsets found by a decision
    tree. Features are cut into ``n_bins`` quantile bins. The samples are split
    in two halves (stratified on the labels): the tree is grown on one, always
    splitting the most promising node (the highest max-bepp ``|L_S| / (|S| +
    max_bepp)``) on the feature whose best child is most promising, for
    ``max_splits`` splits; the bounds are computed on the other half, over the
    subsets with at least ``min_subset_size`` rows. ``c (1 - c)`` is taken at
    1/2 (its largest value), then at that first estimate. ``c`` is the mean over
    ``n_iterations`` random halvings, and ``pi = |L| / (c n)`` as above. The
    subset search is compiled (``sklweak.pu._tice_fast``). The interval is the
    percentile bootstrap of the estimation halves, the trees fixed; as the
    estimate is a maximum over subsets, its resamples lean high (the interval
    can sit below the estimate's prior). ``estimator`` and ``hold_out_ratio``
    are unused by TIcE.

    ``method="km2"`` (Ramaswamy, Scott and Tewari, 2016) needs no classifier
    either. The unlabeled distribution ``F`` is a mixture ``kappa H + (1 -
    kappa) G`` of the positive distribution ``H`` (under SCAR, that of the
    labeled positives) and the negative one ``G``. Embedded in the RKHS of an
    RBF kernel, the points ``lambda phi(F) + (1 - lambda) phi(H)`` for ``lambda
    >= 1`` are embeddings of distributions up to ``lambda = 1 / (1 - kappa)``
    only; their distance ``d(lambda)`` to the convex hull of the embedded
    sample points is near zero before and grows with a slope of at most
    ``||phi(F) - phi(H)||`` after. KM2 returns ``kappa = 1 - 1 / lambda`` at
    the first ``lambda`` where the slope of ``d`` exceeds the threshold ``0.8
    s_1 + 0.2 ||phi(F) - phi(H)||``, ``s_1`` the slope at ``lambda = 1``
    (gradient thresholding, found by bisection on ``kappa`` in ``[0, 0.99]``
    to 0.005; each ``d`` is a small quadratic program, solved as non-negative
    least squares on the kernel's eigen-directions above ``1e-4`` of the
    largest). At most ``max_kernel_samples`` unlabeled and as many labeled
    rows, drawn at random, enter the kernel matrix (of size at most ``2
    max_kernel_samples`` squared); ``bandwidth`` is the kernel's length scale,
    by default the median distance between those rows. The prior of the
    whole set is ``pi = (|L| + kappa (n - |L|)) / n``. The kernel is not
    scale invariant: standardize features of different units first. The
    interval is the percentile bootstrap of the kernel rows (unlabeled and
    labeled resampled apart), the kernel fixed; every resample reruns the
    search (about 20 quadratic programs), hence the smaller default
    ``n_bootstrap``.

    ``method="km2_multiscale"``, the default, is the mean of KM2's estimates
    with two kernel length scales, half and twice ``bandwidth`` (the median
    distance by default), on the same kernel rows. The median heuristic is
    one arbitrary scale, and on many data sets KM2's error changes sign
    between the two scales, so their mean is closer than either. It had the
    smallest mean absolute error of the four methods on 27 binary data sets
    (``benchmarks/bench_pu_prior_default.py``, recorded in
    ``benchmarks/RESULTS.md``), at twice KM2's cost per estimate (well under
    a second; the kernel holds at most ``2 max_kernel_samples`` rows whatever
    the size of ``X``). ``prior="auto"`` of :class:`NNPUClassifier` uses it
    too.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Samples, labeled and unlabeled.
    y : array-like of shape (n_samples,)
        ``pos_label`` for a labeled positive, any other value for unlabeled.
    method : {"elkan_noto", "tice", "km2", "km2_multiscale"}, \
            default="km2_multiscale"
        The estimator of the prior.
    estimator : estimator object, default=None
        Probabilistic classifier for ``g``; it should be calibrated. None means
        ``LogisticRegression(max_iter=1000)``.
    pos_label : int, bool or str, default=1
        Value of ``y`` marking a labeled positive.
    hold_out_ratio : float in (0, 1), default=0.1
        Fraction held out of the training of ``g``.
    n_bootstrap : int or None, default=None
        Bootstrap resamples for the interval; 0 returns ``(estimate,
        estimate)``. None means 200 for Elkan-Noto and TIcE, 50 for KM2 and
        10 for KM2 multiscale (each resample reruns the searches).
    confidence : float in (0, 1), default=0.95
        Coverage of the percentile interval.
    n_bins : int in [2, 256], default=4
        TIcE: quantile bins per feature.
    max_bepp : float >= 0, default=5.0
        TIcE: the ``k`` of the max-bepp score ``|L_S| / (|S| + k)``, which
        favours large subsets.
    max_splits : int, default=500
        TIcE: most splits of the subset tree.
    min_subset_size : int, default=10
        TIcE: fewest rows of a subset to be split or to give a bound.
    delta : float in (0, 1) or None, default=None
        TIcE: the bounds' failure probability; None uses ``max(0.025, 1 / (1 +
        0.004 n))`` for ``n`` samples, as Bekker and Davis do.
    n_iterations : int, default=2
        TIcE: random halvings averaged.
    max_kernel_samples : int >= 2, default=200
        KM2 (both methods): most unlabeled rows, and most labeled rows, in the kernel matrix.
    bandwidth : float > 0 or None, default=None
        KM2: length scale ``s`` of the kernel ``exp(-||x - z||^2 / (2 s^2))``;
        None uses the median pairwise distance of the kernel rows.
    random_state : int, RandomState instance or None, default=None
        Seed of the hold-out draw, of the halvings, of the kernel rows and of
        the bootstrap.

    Returns
    -------
    prior : float
        The estimated class prior.
    interval : tuple of float
        ``(low, high)`` bootstrap interval. The function returns the pair
        ``(prior, (low, high))``: unpack it, ``prior, _ =
        estimate_class_prior(...)``, before passing the prior on.

    References
    ----------
    .. [1] C. Elkan and K. Noto, "Learning classifiers from only positive and
       unlabeled data", KDD 2008.
    .. [2] J. Bekker and J. Davis, "Estimating the class prior in positive and
       unlabeled data through decision tree induction", AAAI 2018.
    .. [3] H. G. Ramaswamy, C. Scott and A. Tewari, "Mixture proportion
       estimation via kernel embeddings of distributions", ICML 2016.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklweak.datasets import make_pu
    >>> from sklweak.pu import estimate_class_prior
    >>> X, y = make_classification(n_samples=1000, class_sep=2, random_state=0)
    >>> y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=0)
    >>> prior, (low, high) = estimate_class_prior(X, y_pu, random_state=0)
    >>> bool(abs(prior - y.mean()) < 0.1), bool(low <= high)
    (True, True)
    >>> prior, (low, high) = estimate_class_prior(
    ...     X, y_pu, method="elkan_noto", random_state=0)
    >>> bool(abs(prior - y.mean()) < 0.1), bool(low <= prior <= high)
    (True, True)
    >>> prior, _ = estimate_class_prior(X, y_pu, method="tice", random_state=0)
    >>> bool(abs(prior - y.mean()) < 0.1)
    True
    >>> prior, (low, high) = estimate_class_prior(
    ...     X, y_pu, method="km2", n_bootstrap=5, random_state=0)
    >>> bool(abs(prior - y.mean()) < 0.1), bool(low <= high)
    (True, True)
    """
    X = check_array(X, accept_sparse=["csr", "csc"])
    y = np.asarray(y)
    check_consistent_length(X, y)
    labeled = check_pu_y(y, pos_label=pos_label).labeled
    rng = check_random_state(random_state)
    if n_bootstrap is None:
        n_bootstrap = _DEFAULT_BOOTSTRAP[method]
    if method in ("km2", "km2_multiscale"):
        return km2_prior(
            X,
            labeled,
            max_samples=max_kernel_samples,
            bandwidth=bandwidth,
            n_bootstrap=n_bootstrap,
            confidence=confidence,
            rng=rng,
            bandwidth_factors=MULTISCALE_FACTORS if method == "km2_multiscale" else (1.0,),
        )
    if method == "tice":
        return tice_prior(
            X,
            labeled,
            n_bins=n_bins,
            max_bepp=max_bepp,
            max_splits=max_splits,
            min_size=min_subset_size,
            delta=delta,
            n_iterations=n_iterations,
            n_bootstrap=n_bootstrap,
            confidence=confidence,
            rng=rng,
        )
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
