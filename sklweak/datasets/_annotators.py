"""Simulate a crowd of annotators of uneven accuracy."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import Interval, validate_params
from ._common import check_labels, encode_labels

__all__ = ["simulate_annotators"]


def _accuracy_range(accuracy):
    if isinstance(accuracy, Real):
        low = high = float(accuracy)
    else:
        bounds = np.asarray(accuracy, dtype=np.float64).ravel()
        if bounds.shape != (2,):
            raise ValueError(
                f"accuracy must be a float or a pair (low, high); got {len(bounds)} values."
            )
        low, high = float(bounds[0]), float(bounds[1])
    if not (0.0 <= low <= high <= 1.0):
        raise ValueError(
            f"accuracy must satisfy 0 <= low <= high <= 1; got low={low}, high={high}."
        )
    return low, high


@validate_params(
    {
        "y": ["array-like"],
        "n_annotators": [Interval(Integral, 1, None, closed="left")],
        "accuracy": [Interval(Real, 0, 1, closed="both"), "array-like"],
        "labels_per_example": [Interval(Integral, 1, None, closed="left"), None],
        "missing_label": [Integral],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def simulate_annotators(
    y,
    *,
    n_annotators,
    accuracy=(0.6, 0.9),
    labels_per_example=None,
    missing_label=-1,
    random_state=None,
):
    """Simulate several annotators labeling a data set, each with its accuracy.

    Every annotator gets an accuracy drawn uniformly in the range
    ``accuracy``. Every example is labeled by exactly ``labels_per_example``
    annotators picked at random; an annotator gives the true label with its
    accuracy and otherwise one of the other classes, each equally likely.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        True labels, at least two classes.
    n_annotators : int
        Number of annotators (columns of the result).
    accuracy : float or (float, float), default=(0.6, 0.9)
        Range ``(low, high)`` of the annotators' accuracies, or one accuracy
        shared by all.
    labels_per_example : int, default=None
        Annotators per example, from 1 to ``n_annotators``; ``None`` means every
        annotator labels every example.
    missing_label : int, default=-1
        Marks an example the annotator did not label; it must not be a label.
    random_state : int, RandomState instance or None, default=None
        Seed of the simulation.

    Returns
    -------
    annotations : ndarray of int64, shape (n_samples, n_annotators)
        Column ``a`` holds annotator ``a``'s labels and ``missing_label`` where
        it gave none. Integer labels of ``y`` are kept as they are; other
        labels (strings, ...) are written as their index into the sorted
        distinct labels of ``y``.
    accuracies : ndarray of float64, shape (n_annotators,)
        The accuracy each annotator was given (its realized accuracy varies
        around it).

    Raises
    ------
    ValueError
        If ``labels_per_example`` exceeds ``n_annotators``, ``accuracy`` is not a
        valid range, ``missing_label`` is one of the labels, or ``y`` has fewer
        than two classes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.datasets import simulate_annotators
    >>> y = np.array([0, 1, 1, 0, 2])
    >>> annotations, accuracies = simulate_annotators(
    ...     y, n_annotators=4, labels_per_example=2, random_state=0)
    >>> annotations.shape, (annotations != -1).sum(axis=1).tolist()
    ((5, 4), [2, 2, 2, 2, 2])
    """
    y = check_labels(y)
    low, high = _accuracy_range(accuracy)
    if labels_per_example is None:
        labels_per_example = n_annotators
    if labels_per_example > n_annotators:
        raise ValueError(
            f"labels_per_example={labels_per_example} exceeds n_annotators={n_annotators}."
        )
    classes, y_index = encode_labels(y)
    if (
        classes.dtype.kind in "iub"
        or classes.dtype.kind == "f"
        and np.all(classes == np.round(classes))
    ):
        codes = classes.astype(np.int64)
    else:
        codes = np.arange(classes.shape[0], dtype=np.int64)
    if np.any(codes == missing_label):
        raise ValueError(
            f"missing_label={missing_label!r} is one of the labels of y; choose a "
            "value that no class uses."
        )

    rng = check_random_state(random_state)
    n_samples, n_classes = y.shape[0], classes.shape[0]
    accuracies = rng.uniform(low, high, size=n_annotators)
    chosen = np.argsort(rng.random_sample((n_samples, n_annotators)), axis=1)
    chosen = chosen[:, :labels_per_example]
    rows = np.repeat(np.arange(n_samples), labels_per_example)
    annotators = chosen.ravel()
    truth = y_index[rows]
    correct = rng.random_sample(rows.shape[0]) < accuracies[annotators]
    # A wrong label: shift the true index by 1 .. n_classes - 1, uniformly.
    shift = rng.randint(1, n_classes, size=rows.shape[0])
    given = np.where(correct, truth, (truth + shift) % n_classes)
    annotations = np.full((n_samples, n_annotators), missing_label, dtype=np.int64)
    annotations[rows, annotators] = codes[given]
    return annotations, accuracies
