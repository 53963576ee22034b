"""KM2 class prior: mixture proportion estimation by kernel mean embedding.

Ramaswamy, Scott and Tewari (2016). The unlabeled distribution ``F`` is a
mixture ``kappa H + (1 - kappa) G`` of the positive distribution ``H`` (seen
through the labeled positives under SCAR) and the negative one ``G``. In the
RKHS of a kernel, the line ``u(lambda) = lambda phi(F) + (1 - lambda) phi(H)``,
``lambda >= 1``, stays inside the set of embedded distributions up to
``lambda* = 1 / (1 - kappa)`` and leaves it after; KM2 finds where the
distance ``d(lambda)`` of the line to that set starts to grow steeply
(gradient thresholding) and returns ``kappa = 1 - 1 / lambda``.
"""

import numpy as np
from scipy import sparse
from scipy.optimize import nnls
from scipy.spatial.distance import cdist, pdist

__all__ = []

# Relative size below which eigen-directions of the kernel matrix are dropped.
_EIGEN_TOLERANCE = 1e-4
# Weight of the sum-to-one row in the non-negative least-squares problem (the
# embedded points have unit norm); the solution is renormalized afterwards.
_SUM_WEIGHT = 1e3
# Step of the first slope (as in the paper) and of the bisection's slopes.
_FIRST_STEP = 0.05
_SLOPE_STEP = 0.02
# Threshold of KM2: this fraction of the way from the first slope to the
# largest possible slope ||phi(F) - phi(H)||.
_THRESHOLD_FRACTION = 0.2
_KAPPA_MAX = 0.99
_KAPPA_TOLERANCE = 0.005
# Length scales of "km2_multiscale", as factors of the median distance: the
# median heuristic is one arbitrary scale, and KM2's error changes sign with
# the scale on many data sets (benchmarks/bench_pu_prior_default.py).
MULTISCALE_FACTORS = (0.5, 2.0)


def median_bandwidth(Z):
    """Median pairwise Euclidean distance of the rows of ``Z`` (1.0 if all coincide)."""
    distances = pdist(Z)
    distances = distances[distances > 0]
    return float(np.median(distances)) if distances.size else 1.0


def kernel_embedding(Z, bandwidth):
    """Rows ``Phi`` with ``Phi @ Phi.T`` the RBF kernel matrix of ``Z``, truncated.

    ``k(x, z) = exp(-||x - z||^2 / (2 bandwidth^2))``; eigen-directions below
    ``_EIGEN_TOLERANCE`` of the largest eigenvalue are dropped.
    """
    gram = np.exp(-cdist(Z, Z, "sqeuclidean") / (2.0 * bandwidth**2))
    values, vectors = np.linalg.eigh(gram)
    keep = values > _EIGEN_TOLERANCE * values[-1]
    return vectors[:, keep] * np.sqrt(values[keep])


class _HullDistance:
    """Distance in the RKHS from a weighted embedding to the embedded distributions.

    The set is the convex hull of the embedded sample points; the distance of
    ``u`` (weights over the points, summing to one, possibly negative) is
    ``min_w ||Phi.T (u - w)||`` over non-negative ``w`` summing to one, solved
    as a non-negative least-squares problem with the sum as a heavy extra row.
    """

    def __init__(self, embedding):
        self.embedding = embedding
        self.system = np.vstack([embedding.T, np.full(embedding.shape[0], _SUM_WEIGHT)])
        self.max_iter = 50 * embedding.shape[0]

    def __call__(self, u):
        target = self.embedding.T @ u
        w, _ = nnls(self.system, np.r_[target, _SUM_WEIGHT], maxiter=self.max_iter)
        w /= w.sum()
        return float(np.linalg.norm(target - self.embedding.T @ w))


def km2_kappa(distance, mixture, component):
    """KM2 estimate of the share of ``component`` in ``mixture``.

    ``mixture`` and ``component`` are weight vectors over the embedded points
    (each summing to one): the empirical distributions ``F`` and ``H``.
    """
    direction = distance.embedding.T @ (mixture - component)
    full = float(np.linalg.norm(direction))
    if full < 1e-12:
        return _KAPPA_MAX

    def d(lam):
        return distance(lam * mixture + (1.0 - lam) * component)

    def slope(kappa):
        lam = 1.0 / (1.0 - kappa)
        return (d(lam + _SLOPE_STEP) - d(lam)) / _SLOPE_STEP

    # d(1) = 0: F itself is an embedded distribution.
    first = d(1.0 + _FIRST_STEP) / _FIRST_STEP
    threshold = (1.0 - _THRESHOLD_FRACTION) * first + _THRESHOLD_FRACTION * full
    low, high = 0.0, _KAPPA_MAX
    if slope(high) <= threshold:
        return _KAPPA_MAX
    while high - low > _KAPPA_TOLERANCE:
        middle = 0.5 * (low + high)
        if slope(middle) > threshold:
            high = middle
        else:
            low = middle
    return 0.5 * (low + high)


def km2_prior(
    X,
    labeled,
    *,
    max_samples,
    bandwidth,
    n_bootstrap,
    confidence,
    rng,
    bandwidth_factors=(1.0,),
):
    """KM2 class prior and a bootstrap interval; see :func:`estimate_class_prior`.

    At most ``max_samples`` unlabeled and ``max_samples`` labeled rows are
    drawn to build the kernel; the prior of the whole set is
    ``(n_labeled + kappa n_unlabeled) / n``. With several
    ``bandwidth_factors``, the estimate is the mean of KM2's estimates with
    the kernel's length scale ``bandwidth`` times each factor (the same rows,
    the same resamples).
    """
    n_samples = labeled.shape[0]
    n_labeled = int(labeled.sum())
    n_unlabeled = n_samples - n_labeled
    parts = []
    for mask in (~labeled, labeled):
        index = np.flatnonzero(mask)
        if index.shape[0] > max_samples:
            index = np.sort(rng.choice(index, size=max_samples, replace=False))
        parts.append(index)
    n_mix, n_comp = parts[0].shape[0], parts[1].shape[0]
    Z = X[np.concatenate(parts)]
    Z = Z.toarray() if sparse.issparse(Z) else np.asarray(Z, dtype=np.float64)
    if bandwidth is None:
        bandwidth = median_bandwidth(Z)
    distances = [
        _HullDistance(kernel_embedding(Z, bandwidth * factor)) for factor in bandwidth_factors
    ]

    def prior_of(mix_counts, comp_counts):
        mixture = np.r_[mix_counts / mix_counts.sum(), np.zeros(n_comp)]
        component = np.r_[np.zeros(n_mix), comp_counts / comp_counts.sum()]
        kappa = np.mean([km2_kappa(d, mixture, component) for d in distances])
        return min(1.0, (n_labeled + kappa * n_unlabeled) / n_samples)

    estimate = prior_of(np.ones(n_mix), np.ones(n_comp))
    if n_bootstrap == 0:
        return estimate, (estimate, estimate)
    priors = np.empty(n_bootstrap)
    for i in range(n_bootstrap):
        mix_counts = np.bincount(rng.randint(0, n_mix, size=n_mix), minlength=n_mix)
        comp_counts = np.bincount(rng.randint(0, n_comp, size=n_comp), minlength=n_comp)
        priors[i] = prior_of(mix_counts, comp_counts)
    tail = 50.0 * (1.0 - confidence)
    low, high = np.percentile(priors, [tail, 100.0 - tail])
    return estimate, (float(low), float(high))
