"""The noisy-label family's only decoder of ``(labels, pred_probs)``."""

from collections import namedtuple

import numpy as np
from sklearn.utils.multiclass import check_classification_targets

from ..utils._kernels import load_kernel

__all__ = ["NoisyLabels", "check_noisy_labels", "decode_noisy_target"]

FLOAT_DTYPES = (np.float16, np.float32, np.float64)

NoisyLabels = namedtuple("NoisyLabels", ["labels", "pred_probs", "n_classes"])
NoisyLabels.__doc__ = """Validated noisy labels and predicted probabilities.

labels : int64 ndarray of shape (n_samples,)
    Given (possibly wrong) class indices in ``[0, n_classes)``.
pred_probs : ndarray of shape (n_samples, n_classes)
    The caller's array itself when it was a C-contiguous float16, float32 or
    float64 array; otherwise a C-contiguous float64 copy.
n_classes : int
    Number of columns of ``pred_probs``.
"""


def row_sum_tolerance(pred_probs):
    """Rows may miss 1 by twice the rounding of their entries, or 1e-3."""
    return max(1e-3, 2 * pred_probs.shape[1] * float(np.finfo(pred_probs.dtype).eps))


def check_noisy_labels(labels, pred_probs, *, require_every_class=True):
    """Validate given labels against out-of-sample predicted probabilities.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given labels as integer class indices ``0 .. n_classes - 1`` (encode
        other labels first, e.g. with ``numpy.unique(y, return_inverse=True)``).
    pred_probs : array-like of shape (n_samples, n_classes)
        ``pred_probs[i, j]`` is the out-of-sample predicted probability that
        sample ``i`` belongs to class ``j``; columns follow the class indices.
        Rows must be finite, non-negative and sum to 1 within
        ``max(1e-3, 2 * n_classes * eps)``, ``eps`` the machine epsilon of
        their dtype (0.0195 for ten float16 columns). float16, float32 and float64 arrays are used in place.
    require_every_class : bool, default=True
        Reject labels in which a class has no example.

    Returns
    -------
    checked : NoisyLabels
        ``(labels, pred_probs, n_classes)``: int64 labels, the probabilities
        (never a modified array) and the number of classes.

    Raises
    ------
    ValueError
        On shape mismatches, labels that are not integers in
        ``[0, n_classes)``, a class without examples, or a row of
        ``pred_probs`` with NaN, infinity, a negative entry or a sum not 1.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.noise import check_noisy_labels
    >>> probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], dtype=np.float32)
    >>> checked = check_noisy_labels([0, 1, 1], probs)
    >>> checked.n_classes, checked.pred_probs is probs
    (2, True)
    """
    checked = check_noisy_labels_but_rows(
        labels, pred_probs, require_every_class=require_every_class
    )
    kernel = load_kernel("sklweak.noise._counting")
    tolerance = row_sum_tolerance(checked.pred_probs)
    raise_for_invalid_row(
        checked.pred_probs, kernel.first_invalid_row(checked.pred_probs, tolerance), tolerance
    )
    return checked


def check_noisy_labels_but_rows(labels, pred_probs, *, require_every_class=True):
    """:func:`check_noisy_labels` without reading the rows of ``pred_probs``,
    for a caller whose own pass over them checks each (the kernel's
    ``check_and_group``, then :func:`raise_for_invalid_row`)."""
    pred_probs = np.asarray(pred_probs)
    if pred_probs.ndim != 2:
        raise ValueError(
            "pred_probs must be 2-D of shape (n_samples, n_classes); got an array "
            f"of shape {pred_probs.shape}."
        )
    n_samples, n_classes = pred_probs.shape
    if n_classes < 2:
        raise ValueError(f"pred_probs must have at least 2 columns (classes); got {n_classes}.")
    if pred_probs.dtype.type not in FLOAT_DTYPES:
        if pred_probs.dtype.kind not in "biuf":
            raise ValueError(f"pred_probs must hold numbers; got dtype {pred_probs.dtype}.")
        pred_probs = pred_probs.astype(np.float64)
    if not pred_probs.flags.c_contiguous:
        pred_probs = np.ascontiguousarray(pred_probs)

    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D; got an array of shape {labels.shape}.")
    if labels.shape[0] != n_samples:
        raise ValueError(
            f"labels has {labels.shape[0]} samples but pred_probs has {n_samples} "
            "rows; they must describe the same samples."
        )
    if n_samples == 0:
        raise ValueError("labels and pred_probs are empty.")
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            raise ValueError("labels must be integer class indices; got non-integer values.")
    elif labels.dtype.kind not in "iu":
        raise ValueError(
            "labels must be integer class indices 0 .. n_classes - 1; got dtype "
            f"{labels.dtype}. Encode them first, e.g. with "
            "numpy.unique(y, return_inverse=True)."
        )
    low, high = labels.min(), labels.max()
    if low < 0 or high >= n_classes:
        bad = low if low < 0 else high
        raise ValueError(
            f"labels must lie in [0, {n_classes}) (one column of pred_probs per "
            f"class); found {int(bad)}."
        )
    labels = np.ascontiguousarray(labels, dtype=np.int64)
    if require_every_class:
        missing = np.flatnonzero(np.bincount(labels, minlength=n_classes) == 0)
        if missing.size:
            raise ValueError(
                f"class {int(missing[0])} has no example in labels; every column of "
                "pred_probs needs at least one sample labeled with it."
            )

    return NoisyLabels(labels, pred_probs, n_classes)


def raise_for_invalid_row(pred_probs, row, tolerance):
    """The ``ValueError`` of :func:`check_noisy_labels` for ``row``, unless it
    is -1 (the kernel's answer when every row is valid)."""
    if row >= 0:
        values = pred_probs[row].astype(np.float64)
        raise ValueError(
            f"pred_probs row {row} is not a probability distribution (finite, "
            f"non-negative, summing to 1 within {tolerance:.3g}): {values}."
        )


def decode_noisy_target(meta_estimator, y):
    """Classes of the noisy labels ``y`` of a meta-estimator's ``fit``.

    Sets ``meta_estimator.classes_``; at least two classes are needed.

    Returns
    -------
    y : ndarray
        The labels as given.
    y_encoded : ndarray of int
        Class indices into ``classes_``.
    """
    check_classification_targets(y)
    meta_estimator.classes_, y_encoded = np.unique(y, return_inverse=True)
    if meta_estimator.classes_.shape[0] < 2:
        raise ValueError(
            f"{type(meta_estimator).__name__} needs at least 2 classes in y; got 1 "
            f"class ({meta_estimator.classes_[0]!r})."
        )
    return y, y_encoded
