"""Checks shared by the weak-label simulators."""

import numpy as np
from sklearn.utils import check_array

from ..utils._validation import _as_1d, _reject_nan, _sorted_unique


def check_labels(y, name="y"):
    """Return ``y`` as a non-empty 1-D array without NaN (never a copy to modify)."""
    y = _as_1d(y, name)
    _reject_nan(y, name)
    return y


def encode_labels(y, classes=None, *, min_classes=2):
    """Return ``(classes, y_index)``: the class labels and each sample's index.

    ``classes`` defaults to the sorted distinct values of ``y``; when given,
    its order is kept and every value of ``y`` must be among them.
    """
    if classes is None:
        classes, y_index = _sorted_unique(y)
        y_index = y_index.reshape(-1)
    else:
        classes = np.asarray(classes)
        if classes.ndim != 1:
            raise ValueError(f"classes must be 1-D; got shape {classes.shape}.")
        try:
            distinct = np.unique(classes)
        except TypeError as exc:
            raise ValueError("classes mixes label types that cannot be sorted.") from exc
        if distinct.shape[0] != classes.shape[0]:
            raise ValueError("classes holds the same label twice.")
        lookup = {value: i for i, value in enumerate(classes.tolist())}
        y_index = np.fromiter(
            (lookup.get(value, -1) for value in y.tolist()),
            dtype=np.int64,
            count=len(y),
        )
        if np.any(y_index < 0):
            outside = sorted({repr(v) for v in y[y_index < 0].tolist()})[:5]
            raise ValueError(
                f"y holds labels {', '.join(outside)} that are not in classes {classes.tolist()!r}."
            )
    if classes.shape[0] < min_classes:
        raise ValueError(f"y needs at least {min_classes} classes; got {classes.tolist()!r}.")
    return classes, y_index.astype(np.int64, copy=False)


def check_features(X, n_samples):
    """Validate ``X`` as a finite 2-D float array with one row per sample."""
    X = check_array(X, dtype=np.float64, input_name="X")
    if X.shape[0] != n_samples:
        raise ValueError(
            f"X has {X.shape[0]} rows but y has {n_samples} entries; they must "
            "describe the same samples."
        )
    return X


def take_like(classes, index, y):
    """``classes[index]`` in the dtype of ``y`` when the labels survive the cast."""
    labels = classes[index]
    if labels.dtype != y.dtype and y.dtype.kind != "O":
        try:
            cast = labels.astype(y.dtype)
        except (TypeError, ValueError):
            return labels
        if np.array_equal(cast, labels):
            return cast
    return labels
