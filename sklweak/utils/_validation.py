"""Validators of the weak-label contract: one per family's ``y``.

Each validator is the only place where its family's ``y`` is decoded (see
ARCHITECTURE.md, section 1). It checks the target before any work is done,
raises a ``ValueError`` that names what was expected, never modifies its input,
and returns the decoded pieces.
"""

from collections import namedtuple
from numbers import Integral

import numpy as np
from sklearn.utils.multiclass import type_of_target

__all__ = [
    "AnnotatorTarget",
    "BagTarget",
    "ComplementaryTarget",
    "PNUTarget",
    "PUTarget",
    "SemiSupervisedTarget",
    "check_annotator_matrix",
    "check_bag_target",
    "check_complementary_y",
    "check_pnu_y",
    "check_pu_y",
    "check_semi_supervised_y",
    "mark_missing_as_unlabeled",
]

SemiSupervisedTarget = namedtuple("SemiSupervisedTarget", ["y", "labeled", "classes", "y_encoded"])
SemiSupervisedTarget.__doc__ = """Decoded semi-supervised target.

y : ndarray of shape (n_samples,)
    The target as a 1-D array: the input itself, or a new array when missing
    values were read as unlabeled (see :func:`mark_missing_as_unlabeled`).
labeled : ndarray of bool, shape (n_samples,)
    True where the sample carries a label.
classes : ndarray of shape (n_classes,)
    Sorted classes seen among labeled samples.
y_encoded : ndarray of int64, shape (n_samples,)
    Index into ``classes``; -1 for unlabeled samples.
"""

PUTarget = namedtuple("PUTarget", ["labeled", "n_labeled"])
PUTarget.__doc__ = """Decoded PU target.

labeled : ndarray of bool, shape (n_samples,)
    True for labeled positives, False for unlabeled samples.
n_labeled : int
    Number of labeled positives.
"""

PNUTarget = namedtuple("PNUTarget", ["positive", "negative", "unlabeled"])
PNUTarget.__doc__ = """Decoded PNU target: three disjoint boolean masks."""

BagTarget = namedtuple(
    "BagTarget",
    ["bag_ids", "bag_index", "bag_proportions", "bag_sizes", "classes"],
)
BagTarget.__doc__ = """Decoded LLP bag target.

bag_ids : ndarray of shape (n_bags,)
    Sorted distinct bag ids.
bag_index : ndarray of int64, shape (n_samples,)
    Row of each sample's bag in ``bag_ids``.
bag_proportions : ndarray of float64, shape (n_bags, n_classes)
    Class proportions of each bag.
bag_sizes : ndarray of int64, shape (n_bags,)
    Number of samples in each bag.
classes : ndarray of shape (n_classes,)
    Class labels: the labels of a 1-D target, else ``0 .. n_classes - 1``.
"""

ComplementaryTarget = namedtuple("ComplementaryTarget", ["excluded", "classes"])
ComplementaryTarget.__doc__ = """Decoded complementary target.

excluded : ndarray of bool, shape (n_samples, n_classes)
    True where the sample is known *not* to be of the class.
classes : ndarray of shape (n_classes,)
    Class labels, in column order of ``excluded``.
"""

AnnotatorTarget = namedtuple("AnnotatorTarget", ["labels", "observed", "classes"])
AnnotatorTarget.__doc__ = """Decoded annotators' matrix.

labels : ndarray of int64, shape (n_samples, n_annotators)
    Index into ``classes``; -1 where the annotator gave no label.
observed : ndarray of bool, shape (n_samples, n_annotators)
    True where the annotator labeled the sample.
classes : ndarray of shape (n_classes,)
    Sorted class labels seen in the matrix.
"""


def _as_1d(y, name="y"):
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        raise ValueError(
            f"{name} must be 1-D; got shape {y.shape}. Use y.ravel() to pass a column vector."
        )
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got an array of shape {y.shape}.")
    if y.shape[0] == 0:
        raise ValueError(f"{name} is empty.")
    return y


def _reject_nan(y, name="y"):
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError(f"{name} contains NaN or infinity.")
    if y.dtype.kind == "O":
        for value in y:
            if isinstance(value, float) and not np.isfinite(value):
                raise ValueError(f"{name} contains NaN or infinity.")


def reject_continuous_y(y, what):
    """Refuse a 1-D float ``y`` whose values look continuous (non-integer floats).

    ``what`` ends the message: what a target of this kind holds instead.
    """
    y = np.asarray(y)
    if (
        y.ndim == 1
        and y.dtype.kind == "f"
        and np.all(np.isfinite(y))
        and type_of_target(y) == "continuous"
    ):
        raise ValueError(f"Unknown label type: y looks continuous (non-integer floats); {what}")


def _is_sentinel(y, sentinel):
    """Elementwise ``y == sentinel`` that also works for object arrays."""
    if y.dtype.kind == "O":
        sentinel_is_str = isinstance(sentinel, str)
        return np.fromiter(
            (isinstance(v, str) == sentinel_is_str and v == sentinel for v in y),
            dtype=bool,
            count=len(y),
        )
    if y.dtype.kind in "US":
        return y == str(sentinel)
    return y == sentinel


def _is_missing_value(value):
    """Whether a scalar is a missing-value marker: None, NaN, ``pd.NA`` or ``pd.NaT``."""
    if value is None:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    return type(value).__name__ in ("NAType", "NaTType")


def _missing_mask(y):
    """Elementwise "is missing" of a 1-D array (NaN in floats; None/NaN/NA in objects)."""
    if y.dtype.kind == "f":
        return np.isnan(y)
    if y.dtype.kind == "O":
        return np.fromiter((_is_missing_value(v) for v in y), dtype=bool, count=len(y))
    return np.zeros(y.shape, dtype=bool)


def _as_integers_if_whole(values):
    """``values`` as int64 if every entry is a whole number (not a bool), else None."""
    if values.dtype.kind in "iu":
        return values.astype(np.int64)
    if values.dtype.kind == "O" and not all(
        isinstance(v, (Integral, float, np.floating)) and not isinstance(v, (bool, np.bool_))
        for v in values
    ):
        return None
    try:
        numbers = values.astype(np.float64)
    except (TypeError, ValueError):
        return None
    if not np.all(np.isfinite(numbers)) or not np.all(numbers == np.round(numbers)):
        return None
    return numbers.astype(np.int64)


def mark_missing_as_unlabeled(y, unlabeled_label=-1):
    """Read missing values, and the sentinel written as a string, as unlabeled.

    Labels that come from a table mark unlabeled rows in three common ways:
    a missing value (``NaN`` from ``y.where(mask)``, ``None``, ``pd.NA``),
    the sentinel itself, and the sentinel as text (``"-1"`` in a column of
    string labels read from a CSV). This function turns the first and the
    last into ``unlabeled_label``, so that every semi-supervised and PNU
    validator reads them as unlabeled and never learns them as a class:

    - missing values become ``unlabeled_label``;
    - if the other labels are strings and ``unlabeled_label`` is not, the
      string ``str(unlabeled_label)`` becomes ``unlabeled_label`` (the
      result is an object array, scikit-learn's encoding of string labels
      with an integer sentinel);
    - if missing values were present and every other label is a whole number
      (pandas turns an integer column with gaps into floats, a nullable
      ``Int64`` column into objects), the labels come back as ``int64``, so
      that ``classes_`` holds ``[0, 1]``, not ``[0.0, 1.0]``.

    Anything else is returned as it was; the input is never modified.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels, possibly with missing values.
    unlabeled_label : int or str, default=-1
        The value that marks an unlabeled sample.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        The labels with every unlabeled row equal to ``unlabeled_label``; the
        input object itself when there was nothing to mark.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils import mark_missing_as_unlabeled
    >>> mark_missing_as_unlabeled([0.0, np.nan, 1.0]).tolist()
    [0, -1, 1]
    >>> mark_missing_as_unlabeled(np.array(["a", None, "-1", "b"], dtype=object)).tolist()
    ['a', -1, -1, 'b']
    """
    if y is None:
        return y
    labels = np.asarray(y)
    if labels.dtype.kind not in "fO" or labels.ndim not in (1, 2):
        return y
    if labels.ndim == 2:
        if labels.shape[1] != 1:
            return y
        marked = _mark_1d(labels[:, 0], unlabeled_label)
        return y if marked is None else marked[:, np.newaxis]
    marked = _mark_1d(labels, unlabeled_label)
    return y if marked is None else marked


def _mark_1d(y, unlabeled_label):
    """:func:`mark_missing_as_unlabeled` on a 1-D float or object array; None if unchanged."""
    missing = _missing_mask(y)
    present = y[~missing]
    if y.dtype.kind == "O" and not isinstance(unlabeled_label, str):
        text = np.fromiter((isinstance(v, str) for v in present), dtype=bool, count=len(present))
        if present.size and text.all():
            missing = missing | np.fromiter(
                (isinstance(v, str) and v == str(unlabeled_label) for v in y),
                dtype=bool,
                count=len(y),
            )
            present = y[~missing]
    if not missing.any():
        return None
    whole = _as_integers_if_whole(present)
    if whole is not None and isinstance(unlabeled_label, Integral):
        result = np.full(y.shape[0], unlabeled_label, dtype=np.int64)
        result[~missing] = whole
        return result
    if whole is None:
        result = y.astype(object)
    else:
        result = np.empty(y.shape[0], dtype=object)
        result[~missing] = whole.tolist()
    result[missing] = unlabeled_label
    if y.dtype.kind == "f" and whole is None and not isinstance(unlabeled_label, str):
        return result.astype(np.float64)
    return result


def _sorted_unique(values):
    try:
        return np.unique(values, return_inverse=True)
    except TypeError as exc:
        raise ValueError(
            "y mixes label types that cannot be sorted together (e.g. strings "
            "and numbers); use one type for every label."
        ) from exc


def check_semi_supervised_y(y, *, unlabeled_label=-1, min_classes=2):
    """Validate and decode a semi-supervised target.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels, ``unlabeled_label`` marking unlabeled samples. String
        labels travel in an object array with the integer sentinel, as in
        scikit-learn. Missing values (``NaN``, ``None``, ``pd.NA``) and the
        sentinel written as a string next to string labels (``"-1"``) are
        unlabeled too (:func:`mark_missing_as_unlabeled`).
    unlabeled_label : int or str, default=-1
        The value that marks an unlabeled sample.
    min_classes : int, default=2
        Fewest distinct classes required among labeled samples.

    Returns
    -------
    target : SemiSupervisedTarget
        ``(y, labeled, classes, y_encoded)``.

    Raises
    ------
    ValueError
        If ``y`` is not 1-D, contains infinity, has no labeled sample, or fewer
        than ``min_classes`` classes among the labeled samples.

    Examples
    --------
    >>> from sklweak.utils import check_semi_supervised_y
    >>> t = check_semi_supervised_y([0, 1, -1, 1])
    >>> t.labeled.tolist(), t.classes.tolist(), t.y_encoded.tolist()
    ([True, True, False, True], [0, 1], [0, 1, -1, 1])
    >>> check_semi_supervised_y([0.0, float("nan"), 1.0]).classes.tolist()
    [0, 1]
    """
    y = mark_missing_as_unlabeled(_as_1d(y), unlabeled_label)
    _reject_nan(y)
    unlabeled = _is_sentinel(y, unlabeled_label)
    labeled = ~unlabeled
    if not labeled.any():
        raise ValueError(
            f"y has no labeled sample: every entry equals unlabeled_label="
            f"{unlabeled_label!r}. Label at least one sample per class."
        )
    classes, inverse = _sorted_unique(y[labeled])
    if classes.dtype.kind in "biuf" and y.dtype.kind != "O":
        target_type = type_of_target(y[labeled])
        if target_type == "continuous":
            raise ValueError(
                "Unknown label type: y looks continuous (non-integer floats); "
                "a classifier needs class labels."
            )
    if len(classes) < min_classes:
        found = "one class" if len(classes) == 1 else f"{len(classes)} classes"
        raise ValueError(
            f"y needs labeled samples of at least {min_classes} classes; the "
            f"labeled samples hold {found} only ({classes.tolist()!r})."
        )
    y_encoded = np.full(y.shape[0], -1, dtype=np.int64)
    y_encoded[labeled] = inverse
    return SemiSupervisedTarget(y, labeled, classes, y_encoded)


def check_pu_y(y, *, pos_label=1):
    """Validate and decode a PU target.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        ``y == pos_label`` marks a labeled positive; any other value marks an
        unlabeled sample, and so does a missing value (``NaN``, ``None``,
        ``pd.NA``). At most two distinct values.
    pos_label : int, bool or str, default=1
        The value of a labeled positive.

    Returns
    -------
    target : PUTarget
        ``(labeled, n_labeled)``.

    Raises
    ------
    ValueError
        If ``y`` is not 1-D, has more than two distinct values, no labeled
        positive, or no unlabeled sample.

    Examples
    --------
    >>> from sklweak.utils import check_pu_y
    >>> check_pu_y([1, 0, 0, 1]).labeled.tolist()
    [True, False, False, True]
    """
    y = _as_1d(y)
    missing = _missing_mask(y)
    _reject_nan(y[~missing])
    try:
        values = _sorted_unique(y[~missing])[0]
    except ValueError:  # e.g. "spam" next to -1: any other value is unlabeled
        values = np.array(list(dict.fromkeys(y[~missing].tolist())), dtype=object)
    n_values = len(values) + int(missing.any())
    if n_values > 2:
        raise ValueError(
            "Only binary classification is supported: a PU target has two values, "
            f"labeled positive (pos_label={pos_label!r}) and unlabeled; got "
            f"{n_values} distinct values "
            f"{values.tolist()[:5]!r}{' and missing values' if missing.any() else ''}. "
            "For positive, negative and unlabeled samples use a PNU estimator."
        )
    labeled = _is_sentinel(y, pos_label) & ~missing
    n_labeled = int(labeled.sum())
    if n_labeled == 0:
        raise ValueError(
            f"y has no labeled positive (no entry equals pos_label={pos_label!r}); "
            f"values seen: {values.tolist()!r}."
        )
    if n_labeled == y.shape[0]:
        raise ValueError(
            "y has no unlabeled sample: every entry equals pos_label="
            f"{pos_label!r}. PU learning needs unlabeled samples."
        )
    return PUTarget(labeled, n_labeled)


def check_pnu_sentinels(pos_label, neg_label, unlabeled_label):
    """Refuse PNU sentinels that coincide (a string and a number never do)."""
    sentinels = (pos_label, neg_label, unlabeled_label)
    same = [
        sentinels[i] == sentinels[j]
        and isinstance(sentinels[i], str) == isinstance(sentinels[j], str)
        for i, j in ((0, 1), (0, 2), (1, 2))
    ]
    if any(same):
        raise ValueError(
            "pos_label, neg_label and unlabeled_label must be three different "
            f"values; got {pos_label!r}, {neg_label!r}, {unlabeled_label!r}."
        )


def check_pnu_y(y, *, pos_label=1, neg_label=0, unlabeled_label=-1):
    """Validate and decode a PNU target (positives, negatives, unlabeled).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Each entry ``pos_label``, ``neg_label`` or ``unlabeled_label``;
        missing values (``NaN``, ``None``, ``pd.NA``) are unlabeled too
        (:func:`mark_missing_as_unlabeled`).
    pos_label, neg_label, unlabeled_label : int or str
        The three sentinels; they must differ.

    Returns
    -------
    target : PNUTarget
        ``(positive, negative, unlabeled)`` boolean masks.

    Raises
    ------
    ValueError
        If a value is none of the three sentinels or no positive is labeled.

    Examples
    --------
    >>> from sklweak.utils import check_pnu_y
    >>> t = check_pnu_y([1, 0, -1])
    >>> t.positive.tolist(), t.negative.tolist(), t.unlabeled.tolist()
    ([True, False, False], [False, True, False], [False, False, True])
    """
    check_pnu_sentinels(pos_label, neg_label, unlabeled_label)
    y = mark_missing_as_unlabeled(_as_1d(y), unlabeled_label)
    _reject_nan(y)
    positive = _is_sentinel(y, pos_label)
    negative = _is_sentinel(y, neg_label)
    unlabeled = _is_sentinel(y, unlabeled_label)
    other = ~(positive | negative | unlabeled)
    if other.any():
        bad = _sorted_unique(y[other])[0].tolist()[:5]
        raise ValueError(
            f"y holds values {bad!r} outside pos_label={pos_label!r}, "
            f"neg_label={neg_label!r} and unlabeled_label={unlabeled_label!r}."
        )
    if not positive.any():
        raise ValueError(f"y has no labeled positive (pos_label={pos_label!r}).")
    return PNUTarget(positive, negative, unlabeled)


def check_bag_target(y, *, n_classes=None, atol=1e-6):
    """Validate and decode an LLP bag target.

    Parameters
    ----------
    y : array-like of shape (n_samples, 1 + n_classes) or (n_samples,)
        Bag target from :func:`sklweak.llp.make_bag_target`: column 0 the bag
        id, the other columns the class proportions of the sample's bag. A 1-D
        ``y`` of ordinary labels means every sample is its own bag.
    n_classes : int, default=None
        Expected number of classes; checked when given.
    atol : float, default=1e-6
        Tolerance for proportions summing to one and for equal rows in a bag.

    Returns
    -------
    target : BagTarget
        ``(bag_ids, bag_index, bag_proportions, bag_sizes, classes)``.

    Raises
    ------
    ValueError
        If proportions are outside [0, 1] or do not sum to 1, a bag id carries
        two different proportion rows, bag ids are not integers, or the column
        count does not match ``n_classes``.

    Examples
    --------
    >>> from sklweak.utils import check_bag_target
    >>> t = check_bag_target([[0, 0.5, 0.5], [0, 0.5, 0.5], [1, 1.0, 0.0]])
    >>> t.bag_sizes.tolist(), t.bag_proportions.tolist()
    ([2, 1], [[0.5, 0.5], [1.0, 0.0]])
    """
    y = np.asarray(y)
    if y.ndim == 1:
        y = _as_1d(y)
        _reject_nan(y)
        classes, inverse = _sorted_unique(y)
        if n_classes is not None and len(classes) > n_classes:
            raise ValueError(f"y has {len(classes)} classes; expected at most {n_classes}.")
        n = y.shape[0]
        proportions = np.zeros((n, len(classes)))
        proportions[np.arange(n), inverse] = 1.0
        return BagTarget(
            np.arange(n), np.arange(n), proportions, np.ones(n, dtype=np.int64), classes
        )
    if y.ndim != 2 or y.shape[1] < 3:
        raise ValueError(
            "A bag target has shape (n_samples, 1 + n_classes) with at least two "
            f"classes (column 0 the bag id); got shape {y.shape}. Build it with "
            "sklweak.llp.make_bag_target(bags, proportions)."
        )
    if y.shape[0] == 0:
        raise ValueError("y is empty.")
    try:
        y = y.astype(np.float64, copy=False)
    except (TypeError, ValueError) as exc:
        raise ValueError("A bag target must be numeric.") from exc
    if not np.all(np.isfinite(y)):
        raise ValueError("The bag target contains NaN or infinity.")
    k = y.shape[1] - 1
    if n_classes is not None and k != n_classes:
        raise ValueError(
            f"The bag target has {k} proportion columns; expected {n_classes} (one per class)."
        )
    bags = y[:, 0]
    if not np.all(bags == np.round(bags)):
        raise ValueError("Column 0 of the bag target (the bag id) must hold integers.")
    proportions = y[:, 1:]
    if proportions.min() < -atol or proportions.max() > 1 + atol:
        raise ValueError(
            "Bag proportions must lie in [0, 1]; got values from "
            f"{proportions.min():.4g} to {proportions.max():.4g}."
        )
    sums = proportions.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=atol * k, rtol=0):
        row = int(np.argmax(np.abs(sums - 1.0)))
        raise ValueError(
            f"Bag proportions must sum to 1 in every row; row {row} sums to {sums[row]:.6g}."
        )
    bag_ids, bag_index, bag_sizes = np.unique(
        bags.astype(np.int64), return_inverse=True, return_counts=True
    )
    bag_proportions = np.zeros((len(bag_ids), k))
    bag_proportions[bag_index] = proportions
    spread = np.abs(proportions - bag_proportions[bag_index]).max(axis=1)
    if spread.max() > atol:
        row = int(np.argmax(spread))
        raise ValueError(
            f"Bag {int(bags[row])} has two different proportion rows "
            f"(row {row} differs); every sample of a bag carries the same "
            "proportions."
        )
    bag_proportions = np.clip(bag_proportions, 0.0, 1.0)
    bag_proportions /= bag_proportions.sum(axis=1, keepdims=True)
    return BagTarget(bag_ids, bag_index, bag_proportions, bag_sizes, np.arange(k))


def check_complementary_y(y, *, classes=None):
    """Validate and decode complementary labels.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
        1-D: one class each sample is **not**. 2-D: a 0/1 matrix, 1 meaning
        "not this class" (several complementary labels per sample).
    classes : array-like of shape (n_classes,), default=None
        All classes. Required for a 2-D ``y`` with non-integer classes, and
        whenever a class never appears as a complementary label.
        Defaults to the sorted values of a 1-D ``y`` or ``0 .. n_classes - 1``.

    Returns
    -------
    target : ComplementaryTarget
        ``(excluded, classes)``.

    Raises
    ------
    ValueError
        If a label is outside ``classes``, a row excludes every class or none,
        a 2-D ``y`` is not 0/1, or there are fewer than two classes.

    Examples
    --------
    >>> from sklweak.utils import check_complementary_y
    >>> t = check_complementary_y([0, 2, 1], classes=[0, 1, 2])
    >>> t.excluded.astype(int).tolist()
    [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    """
    y = np.asarray(y)
    if y.ndim == 1:
        y = _as_1d(y)
        _reject_nan(y)
        seen = _sorted_unique(y)[0]
        classes = seen if classes is None else np.asarray(classes)
        if classes.ndim != 1 or len(np.unique(classes)) != len(classes):
            raise ValueError("classes must be a 1-D array of distinct labels.")
        order = np.argsort(classes, kind="stable")
        sorted_classes = classes[order]
        pos = np.searchsorted(sorted_classes, y)
        pos = np.clip(pos, 0, len(classes) - 1)
        outside = sorted_classes[pos] != y
        if outside.any():
            bad = _sorted_unique(y[outside])[0].tolist()[:5]
            raise ValueError(
                f"Complementary labels {bad!r} are not among classes {classes.tolist()!r}."
            )
        excluded = np.zeros((y.shape[0], len(classes)), dtype=bool)
        excluded[np.arange(y.shape[0]), order[pos]] = True
    elif y.ndim == 2:
        if y.shape[0] == 0:
            raise ValueError("y is empty.")
        if not np.all(np.isin(y, (0, 1))):
            raise ValueError(
                "A 2-D complementary target must be a 0/1 matrix (1 = 'not this class')."
            )
        excluded = y.astype(bool)
        n_classes = y.shape[1]
        if classes is None:
            classes = np.arange(n_classes)
        classes = np.asarray(classes)
        if classes.shape != (n_classes,):
            raise ValueError(
                f"classes has {classes.shape[0]} entries but y has {n_classes} columns."
            )
    else:
        raise ValueError(
            f"Complementary labels must be 1-D or a 2-D 0/1 matrix; got shape {y.shape}."
        )
    if len(classes) < 2:
        raise ValueError("Complementary labels need at least two classes.")
    counts = excluded.sum(axis=1)
    if np.any(counts == len(classes)):
        row = int(np.flatnonzero(counts == len(classes))[0])
        raise ValueError(f"Row {row} excludes every class; at least one class must remain.")
    if np.any(counts == 0):
        row = int(np.flatnonzero(counts == 0)[0])
        raise ValueError(f"Row {row} carries no complementary label.")
    return ComplementaryTarget(excluded, classes)


def check_annotator_matrix(y, *, missing_label=-1, allow_unlabeled_rows=False, min_classes=2):
    """Validate and decode several annotators' labels.

    Parameters
    ----------
    y : array-like of int, shape (n_samples, n_annotators)
        Each column one annotator's labels; ``missing_label`` where the
        annotator did not label the sample.
    missing_label : int, default=-1
        Marks a missing annotation.
    allow_unlabeled_rows : bool, default=False
        Accept rows with no label (labeling functions that all abstain).
    min_classes : int, default=2
        Fewest distinct labels required (0 for a batch to predict on).

    Returns
    -------
    target : AnnotatorTarget
        ``(labels, observed, classes)``.

    Raises
    ------
    ValueError
        If ``y`` is not a 2-D integer matrix, a row has no label, or fewer than
        two classes appear.

    Examples
    --------
    >>> from sklweak.utils import check_annotator_matrix
    >>> t = check_annotator_matrix([[0, -1], [1, 1], [-1, 0]])
    >>> t.labels.tolist(), t.classes.tolist()
    ([[0, -1], [1, 1], [-1, 0]], [0, 1])
    """
    y = np.asarray(y)
    if y.ndim != 2:
        raise ValueError(
            f"The annotators' matrix must be 2-D (n_samples, n_annotators); got shape {y.shape}."
        )
    if y.shape[0] == 0 or y.shape[1] == 0:
        raise ValueError(f"The annotators' matrix is empty (shape {y.shape}).")
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise ValueError(
                "The annotators' matrix contains NaN; mark missing labels with "
                f"missing_label={missing_label!r} (see from_nan_matrix)."
            )
        if not np.all(y == np.round(y)):
            raise ValueError("The annotators' matrix must hold integer labels.")
        y = y.astype(np.int64)
    elif y.dtype.kind not in "biu":
        raise ValueError(f"The annotators' matrix must hold integer labels; got dtype {y.dtype}.")
    if not isinstance(missing_label, Integral):
        raise ValueError("missing_label must be an integer.")
    observed = y != missing_label
    unlabeled_rows = ~observed.any(axis=1)
    if unlabeled_rows.any() and not allow_unlabeled_rows:
        row = int(np.flatnonzero(unlabeled_rows)[0])
        raise ValueError(f"Row {row} of the annotators' matrix has no label from any annotator.")
    classes, inverse = np.unique(y[observed], return_inverse=True)
    if len(classes) < min_classes:
        raise ValueError(
            f"The annotators' labels hold a single class {classes.tolist()!r}; "
            f"at least {min_classes} needed."
        )
    labels = np.full(y.shape, -1, dtype=np.int64)
    labels[observed] = inverse
    return AnnotatorTarget(labels, observed, classes)
