"""The artificial benchmarks g241c and g241d of Chapelle, Schoelkopf and Zien."""

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import Interval, validate_params

__all__ = ["make_g241c", "make_g241d"]

_N_FEATURES = 241


def _unit_vector(rng):
    direction = rng.standard_normal(_N_FEATURES)
    return direction / np.linalg.norm(direction)


def _split(n_samples, n_parts):
    """Sizes of ``n_parts`` nearly equal parts of ``n_samples``."""
    return np.full(n_parts, n_samples // n_parts) + (np.arange(n_parts) < n_samples % n_parts)


def _draw(centers, sizes, labels, rng):
    """Unit-variance isotropic Gaussian clouds, shuffled and standardized."""
    clouds = zip(centers, sizes, strict=True)
    X = np.concatenate([c + rng.standard_normal((m, _N_FEATURES)) for c, m in clouds])
    y = np.repeat(labels, sizes).astype(np.int64)
    order = rng.permutation(X.shape[0])
    X, y = X[order], y[order]
    X -= X.mean(axis=0)
    X /= X.std(axis=0)
    return X, y


@validate_params(
    {
        "n_samples": [Interval(Integral, 4, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_g241c(n_samples=1500, *, random_state=None):
    """Generate the g241c benchmark: classes are clusters, not manifolds.

    The artificial set of the semi-supervised learning benchmarks of Chapelle,
    Schoelkopf and Zien (2006, chapter 21): two unit-variance isotropic
    Gaussians in 241 dimensions whose means lie at distance 2.5 along a random
    direction, one per class. The cluster assumption holds (each class is a
    cluster), the manifold assumption does not (the data fill all 241
    dimensions). Every feature is finally standardized to zero mean and unit
    variance.

    Parameters
    ----------
    n_samples : int, default=1500
        Number of samples (the benchmark's size is 1500). The classes differ
        in size by at most one.
    random_state : int, RandomState instance or None, default=None
        Seed of the direction and of the samples.

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 241)
        Standardized features, rows in random order.
    y : ndarray of int64, shape (n_samples,)
        Class labels 0 and 1.

    See Also
    --------
    make_g241d : The companion set where the cluster assumption misleads.

    References
    ----------
    O. Chapelle, B. Schoelkopf and A. Zien (eds.), *Semi-Supervised
    Learning*, MIT Press, 2006, chapter 21 (benchmark data set 5).

    Examples
    --------
    >>> from sklweak.datasets import make_g241c
    >>> X, y = make_g241c(n_samples=100, random_state=0)
    >>> X.shape, int(y.sum())
    ((100, 241), 50)
    """
    rng = check_random_state(random_state)
    shift = 1.25 * _unit_vector(rng)
    return _draw([-shift, shift], _split(n_samples, 2), [0, 1], rng)


@validate_params(
    {
        "n_samples": [Interval(Integral, 4, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_g241d(n_samples=1500, *, random_state=None):
    """Generate the g241d benchmark: the clusters mix the classes.

    The companion of :func:`make_g241c` (Chapelle, Schoelkopf and Zien, 2006,
    chapter 21), built so that the cluster assumption is misleading. Each
    class is an equal mixture of two unit-variance isotropic Gaussians in 241
    dimensions: the two means of class 0 lie at distance 6 along a random
    direction, and the means of class 1 are those of class 0 moved by 2.5
    along a second random direction. The data thus form two well separated
    clusters, each holding both classes, and the low-density gap between the
    clusters is not the class boundary. Every feature is finally standardized
    to zero mean and unit variance.

    Parameters
    ----------
    n_samples : int, default=1500
        Number of samples (the benchmark's size is 1500), shared as evenly as
        possible among the four Gaussians, so the classes differ in size by at
        most one.
    random_state : int, RandomState instance or None, default=None
        Seed of the directions and of the samples.

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 241)
        Standardized features, rows in random order.
    y : ndarray of int64, shape (n_samples,)
        Class labels 0 and 1.

    See Also
    --------
    make_g241c : The companion set where classes are clusters.

    References
    ----------
    O. Chapelle, B. Schoelkopf and A. Zien (eds.), *Semi-Supervised
    Learning*, MIT Press, 2006, chapter 21 (benchmark data set 7, published
    as g241n).

    Examples
    --------
    >>> from sklweak.datasets import make_g241d
    >>> X, y = make_g241d(n_samples=100, random_state=0)
    >>> X.shape, int(y.sum())
    ((100, 241), 50)
    """
    rng = check_random_state(random_state)
    half_gap = 3.0 * _unit_vector(rng)
    move = 2.5 * _unit_vector(rng)
    centers = [-half_gap, half_gap, -half_gap + move, half_gap + move]
    return _draw(centers, _split(n_samples, 4), [0, 0, 1, 1], rng)
