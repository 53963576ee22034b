"""Hide labels to simulate a semi-supervised target."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import Interval, validate_params
from ._common import check_labels, encode_labels

__all__ = ["mask_labels"]


def _collides(y, sentinel):
    """True where a label equals the sentinel (strings only match strings)."""
    if y.dtype.kind in "OUS":
        return np.fromiter(
            (isinstance(v, str) == isinstance(sentinel, str) and v == sentinel for v in y.tolist()),
            dtype=bool,
            count=len(y),
        )
    if isinstance(sentinel, str):
        return np.zeros(len(y), dtype=bool)
    return y == sentinel


def _output_array(y, sentinel):
    """A copy of ``y`` in a dtype that can also hold ``sentinel``."""
    if y.dtype.kind in "OUS" or isinstance(sentinel, str):
        return y.astype(object)
    if y.dtype.kind == "b":
        return y.astype(np.int64)
    if np.array(sentinel).astype(y.dtype) == sentinel:
        return y.copy()
    return y.astype(np.int64) if y.dtype.kind in "iu" else y.astype(np.float64)


def _allocate(counts, n_labeled, rng):
    """Labels per class: proportional to class sizes, at least one each."""
    ideal = n_labeled * counts / counts.sum()
    allocation = np.clip(np.floor(ideal).astype(np.int64), 1, counts)
    tie_break = rng.random_sample(counts.shape[0]) * 1e-9
    while allocation.sum() < n_labeled:
        gap = np.where(allocation < counts, ideal - allocation + tie_break, -np.inf)
        allocation[np.argmax(gap)] += 1
    while allocation.sum() > n_labeled:
        gap = np.where(allocation > 1, ideal - allocation + tie_break, np.inf)
        allocation[np.argmin(gap)] -= 1
    return allocation


@validate_params(
    {
        "y": ["array-like"],
        "n_labeled": [Interval(Integral, 1, None, closed="left"), None],
        "labeled_fraction": [Interval(Real, 0, 1, closed="right"), None],
        "unlabeled_label": [Integral, Real, str],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def mask_labels(y, *, n_labeled=None, labeled_fraction=None, unlabeled_label=-1, random_state=None):
    """Hide most labels of ``y`` to simulate a semi-supervised target.

    A stratified random subset of the samples keeps its label; every other
    sample gets ``unlabeled_label``. Every class keeps at least one label, and
    the labels are shared among classes in proportion to their
    sizes (largest remainders first), so the labeled subset has the class
    balance of ``y``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Fully labeled target, at least two classes.
    n_labeled : int, default=None
        Number of samples that keep their label, at least the number of
        classes. Give exactly one of ``n_labeled`` and ``labeled_fraction``.
    labeled_fraction : float in (0, 1], default=None
        Share of the samples that keep their label: ``round(labeled_fraction *
        n_samples)`` labels, raised to one per class when that is fewer.
    unlabeled_label : int, float or str, default=-1
        The value that marks an unlabeled sample. It must not be one of the
        classes of ``y``.
    random_state : int, RandomState instance or None, default=None
        Seed of the random choice of labeled samples.

    Returns
    -------
    y_masked : ndarray of shape (n_samples,)
        The semi-supervised target: the labels of ``y`` where kept,
        ``unlabeled_label`` elsewhere. String labels (and any string sentinel)
        come back in an object array, as scikit-learn expects; boolean labels
        as int64; numeric labels keep their dtype when it can hold the
        sentinel.

    Raises
    ------
    ValueError
        If ``unlabeled_label`` is one of the classes of ``y``, neither or both
        of ``n_labeled`` and ``labeled_fraction`` are given, ``n_labeled`` is
        below the number of classes or above the number of samples, or ``y``
        has fewer than two classes.

    Examples
    --------
    >>> from sklweak.datasets import mask_labels
    >>> y = [0, 0, 0, 0, 1, 1, 1, 1]
    >>> y_masked = mask_labels(y, n_labeled=4, random_state=0)
    >>> sorted(y_masked.tolist())
    [-1, -1, -1, -1, 0, 0, 1, 1]
    """
    if (n_labeled is None) == (labeled_fraction is None):
        raise ValueError(
            "Give exactly one of n_labeled and labeled_fraction; got "
            f"n_labeled={n_labeled!r}, labeled_fraction={labeled_fraction!r}."
        )
    if isinstance(unlabeled_label, Real) and not np.isfinite(unlabeled_label):
        raise ValueError(f"unlabeled_label must be finite; got {unlabeled_label!r}.")
    y = check_labels(y)
    collision = _collides(y, unlabeled_label)
    if collision.any():
        raise ValueError(
            f"unlabeled_label={unlabeled_label!r} is one of the classes of y; choose "
            "a sentinel that no sample carries."
        )
    classes, y_index = encode_labels(y)
    n_samples, n_classes = y.shape[0], classes.shape[0]
    if n_labeled is None:
        n_labeled = max(int(round(labeled_fraction * n_samples)), n_classes)
    elif n_labeled < n_classes:
        raise ValueError(
            f"n_labeled={n_labeled} is below the number of classes ({n_classes}); "
            "every class keeps at least one label."
        )
    if n_labeled > n_samples:
        raise ValueError(f"n_labeled={n_labeled} exceeds the {n_samples} samples of y.")

    rng = check_random_state(random_state)
    counts = np.bincount(y_index, minlength=n_classes)
    allocation = _allocate(counts, n_labeled, rng)
    keep = np.zeros(n_samples, dtype=bool)
    for k in range(n_classes):
        members = np.flatnonzero(y_index == k)
        keep[rng.choice(members, size=allocation[k], replace=False)] = True

    y_masked = _output_array(y, unlabeled_label)
    y_masked[~keep] = unlabeled_label
    return y_masked
