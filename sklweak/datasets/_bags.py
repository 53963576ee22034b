"""Group samples into bags to simulate learning from label proportions."""

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from ..utils._bag_target import make_bag_target
from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._common import check_features, check_labels, encode_labels

__all__ = ["make_bags"]


def _spatial_order(Z, bag_size):
    """Order rows so that consecutive runs of ``bag_size`` rows are compact.

    Splits the rows recursively, like a k-d tree, along the standardized
    feature of largest spread, at a multiple of ``bag_size`` near the median:
    every leaf is then exactly one bag (the last one possibly smaller).
    """
    order = []
    stack = [np.arange(Z.shape[0])]
    while stack:
        rows = stack.pop()
        if rows.shape[0] <= bag_size:
            order.append(rows)
            continue
        n_bags = -(-rows.shape[0] // bag_size)
        cut = bag_size * (n_bags // 2)
        part = Z[rows]
        axis = int(np.argmax(part.max(axis=0) - part.min(axis=0)))
        split = np.argpartition(part[:, axis], cut - 1, kind="introselect")
        # Pushed last, popped first: the lower half comes first in the order.
        stack.append(rows[split[cut:]])
        stack.append(rows[split[:cut]])
    return np.concatenate(order)


@validate_params(
    {
        "X": ["array-like"],
        "y": ["array-like"],
        "bag_size": [Interval(Integral, 1, None, closed="left")],
        "method": [StrOptions({"random", "clustered"})],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_bags(X, y, *, bag_size, method="random", random_state=None):
    """Group samples into bags and build the LLP target from their labels.

    The samples are cut into bags of ``bag_size`` (the last bag holds the
    leftover samples when ``bag_size`` does not divide ``n_samples``); each bag
    keeps only the class proportions of its samples' labels.

    - ``method="random"``: bags are drawn uniformly at random, so their
      proportions stay close to the overall class balance (the hard case).
    - ``method="clustered"``: bags are homogeneous in the features. The
      standardized features are split recursively, k-d tree style, along the
      feature of largest spread, at a multiple of ``bag_size`` near the median,
      so that each leaf is one bag of nearby samples. Their proportions then
      vary from bag to bag as much as the labels vary across the feature
      space. Only ties among equal samples are broken at random.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Features, used by ``method="clustered"`` (their row count is checked in
        either case).
    y : array-like of shape (n_samples,)
        True class labels, at least two classes.
    bag_size : int
        Number of samples per bag, at most ``n_samples``.
    method : {"random", "clustered"}, default="random"
        How samples are grouped.
    random_state : int, RandomState instance or None, default=None
        Seed of the grouping.

    Returns
    -------
    bags : ndarray of int64, shape (n_samples,)
        Bag id of each sample, ``0 .. n_bags - 1``.
    y_bag : ndarray of float64, shape (n_samples, 1 + n_classes)
        The LLP target from :func:`sklweak.llp.make_bag_target`: column 0 the
        bag id (equal to ``bags``), then the class proportions of the sample's
        bag, columns in the order of ``classes``.
    classes : ndarray of shape (n_classes,)
        The sorted classes of ``y``: column ``1 + k`` of ``y_bag`` is the share
        of ``classes[k]``.

    Raises
    ------
    ValueError
        If ``bag_size`` exceeds the number of samples, ``X`` and ``y`` differ in
        length, or ``y`` has fewer than two classes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.datasets import make_bags
    >>> X = np.arange(8.0).reshape(-1, 1)
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> bags, y_bag, classes = make_bags(X, y, bag_size=4, method="clustered",
    ...                                  random_state=0)
    >>> bags.tolist()
    [0, 0, 0, 0, 1, 1, 1, 1]
    >>> y_bag[[0, 4]].tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]
    """
    y = check_labels(y)
    X = check_features(X, y.shape[0])
    classes, y_index = encode_labels(y)
    n_samples = y.shape[0]
    if bag_size > n_samples:
        raise ValueError(f"bag_size={bag_size} exceeds the {n_samples} samples.")

    rng = check_random_state(random_state)
    shuffle = rng.permutation(n_samples)
    if method == "random":
        order = shuffle
    else:
        scale = X.std(axis=0)
        scale[scale == 0] = 1.0
        Z = (X[shuffle] - X.mean(axis=0)) / scale
        order = shuffle[_spatial_order(Z, bag_size)]

    bags = np.empty(n_samples, dtype=np.int64)
    bags[order] = np.arange(n_samples) // bag_size
    n_bags = int(bags.max()) + 1
    counts = np.zeros((n_bags, classes.shape[0]))
    np.add.at(counts, (bags, y_index), 1.0)
    proportions = counts / counts.sum(axis=1, keepdims=True)
    if n_bags == n_samples:
        proportions = proportions[bags]
    y_bag = make_bag_target(bags, proportions, classes=classes)
    return bags, y_bag, classes
