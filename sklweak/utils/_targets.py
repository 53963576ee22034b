"""Each family's reading of ``y``: one decoder per weak-label kind.

``BaseWeakClassifier.fit`` validates ``X``, then hands ``y`` to the decoder of
the estimator's kind (through the kind mixin's ``_decode_target``, which only
passes the estimator's sentinels); the decoder returns the target tuple of
:mod:`sklweak.utils._validation` or raises before any work. Every rule about
``y`` and its error message lives here or in ``_validation``, once.
"""

import warnings

import numpy as np
from sklearn.exceptions import DataConversionWarning

from ._validation import (
    BagTarget,
    _is_sentinel,
    check_bag_target,
    check_complementary_y,
    check_pnu_sentinels,
    check_pnu_y,
    check_pu_y,
    reject_continuous_y,
)

__all__ = [
    "check_label_types",
    "decode_bag_target",
    "decode_complementary_target",
    "decode_pnu_target",
    "decode_pu_target",
]


def _distinct_values(y):
    """Sorted distinct values of a 1-D ``y``, or None when they do not sort."""
    try:
        return np.unique(y)
    except TypeError:
        return None


def check_label_types(pos_label, negative_label):
    """Refuse a string ``pos_label`` next to a non-string negative label and vice versa.

    Parameters
    ----------
    pos_label, negative_label : int, bool or str
        The two labels predictions hold.

    Examples
    --------
    >>> from sklweak.utils._targets import check_label_types
    >>> check_label_types("spam", "ham")
    """
    if isinstance(pos_label, str) != isinstance(negative_label, str):
        raise ValueError(
            f"pos_label={pos_label!r} and neg_label={negative_label!r} must both "
            "be strings or both be numbers (or booleans): predictions hold both. "
            "Set neg_label to the label to predict for negatives, e.g. "
            "neg_label='negative' next to a string pos_label."
        )


def _single_value_error(value, needs):
    return ValueError(f"y holds a single value ({value!r}), i.e. one class only: {needs}")


def decode_pu_target(y, *, pos_label, neg_label):
    """Decode a positive-unlabeled ``y``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        ``y == pos_label`` marks a labeled positive, any other value an
        unlabeled sample.
    pos_label, neg_label : int, bool or str
        The estimator's labels.

    Returns
    -------
    target : PUTarget
        ``(labeled, n_labeled)``.
    negative_label : int, bool or str
        The label predicted for negatives: ``neg_label``, or the unlabeled
        rows' string when ``pos_label`` is a string and ``neg_label`` is not.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._targets import decode_pu_target
    >>> target, negative = decode_pu_target(np.array(["spam", "ham"]), pos_label="spam", neg_label=0)
    >>> target.labeled.tolist(), negative
    ([True, False], 'ham')
    """
    y = np.asarray(y)
    reject_continuous_y(
        y,
        "a PU target holds pos_label for labeled positives and one "
        "other value for unlabeled samples.",
    )
    values = _distinct_values(y) if y.ndim == 1 and y.shape[0] > 0 else None
    if values is not None and len(values) == 1:
        raise _single_value_error(
            values[0],
            f"a PU target needs labeled positives (pos_label={pos_label!r}) and unlabeled samples.",
        )
    if neg_label == pos_label and isinstance(neg_label, str) == isinstance(pos_label, str):
        raise ValueError(f"neg_label and pos_label must differ; both are {pos_label!r}.")
    target = check_pu_y(y, pos_label=pos_label)
    return target, _negative_label(y, target.labeled, pos_label, neg_label)


def _negative_label(y, labeled, pos_label, neg_label):
    """``neg_label``, or the unlabeled rows' string when ``pos_label`` is a string.

    With string labels and the default numeric ``neg_label``, a negative is
    predicted as the one value the unlabeled rows hold (``["spam", "ham"]``
    gives ``classes_ == ["ham", "spam"]``), never as the text ``"0"``; if that
    value is not a string, ``neg_label`` must be given.
    """
    if isinstance(pos_label, str) and not isinstance(neg_label, str):
        others = y[~labeled]
        if isinstance(others[0], str) and all(value == others[0] for value in others):
            return str(others[0])
    check_label_types(pos_label, neg_label)
    return neg_label


def decode_pnu_target(y, *, pos_label, neg_label, unlabeled_label):
    """Decode a positive-negative-unlabeled ``y``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Each entry ``pos_label``, ``neg_label`` or ``unlabeled_label``.
    pos_label, neg_label, unlabeled_label : int, bool or str
        The three sentinels; they must differ.

    Returns
    -------
    target : PNUTarget
        ``(positive, negative, unlabeled)`` boolean masks.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._targets import decode_pnu_target
    >>> decode_pnu_target(np.array([1, 0, -1]), pos_label=1, neg_label=0,
    ...                   unlabeled_label=-1).unlabeled.tolist()
    [False, False, True]
    """
    sentinels = (pos_label, neg_label, unlabeled_label)
    check_pnu_sentinels(*sentinels)
    y = np.asarray(y)
    reject_continuous_y(y, "a PNU target holds pos_label, neg_label and unlabeled_label.")
    values = _distinct_values(y) if y.ndim == 1 and y.shape[0] > 0 else None
    if values is not None and len(values) > 1:
        known = np.zeros(len(values), dtype=bool)
        for sentinel in sentinels:
            known |= _is_sentinel(values, sentinel)
        if len(values) > 3 or not known.all():
            raise ValueError(
                "Only binary classification is supported: a PNU target holds only "
                f"pos_label={pos_label!r}, neg_label={neg_label!r} and "
                f"unlabeled_label={unlabeled_label!r}; got {len(values)} distinct "
                f"values, {values[~known].tolist()[:5]!r} outside them."
            )
    if values is not None and len(values) == 1:
        raise _single_value_error(
            values[0],
            f"a PNU target needs labeled positives (pos_label={pos_label!r}) "
            f"and labeled negatives (neg_label={neg_label!r}) or unlabeled "
            f"samples (unlabeled_label={unlabeled_label!r}).",
        )
    check_label_types(pos_label, neg_label)
    return check_pnu_y(y, pos_label=pos_label, neg_label=neg_label, unlabeled_label=unlabeled_label)


def decode_complementary_target(y, *, classes=None, y_type="complementary"):
    """Decode complementary labels, or ordinary labels with ``y_type="ordinary"``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,) or (n_samples, n_classes)
        One class each sample is **not**, or a 0/1 matrix of excluded classes.
        A column vector is read as one label per sample, with a warning.
    classes : array-like of shape (n_classes,), default=None
        All classes.
    y_type : {"complementary", "ordinary"}, default="complementary"
        ``"ordinary"``: every value is the true class (every other class is a
        complementary label).

    Returns
    -------
    target : ComplementaryTarget
        ``(excluded, classes)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._targets import decode_complementary_target
    >>> decode_complementary_target(np.array([0, 1]), classes=[0, 1, 2]).excluded.astype(int)
    array([[1, 0, 0],
           [0, 1, 0]])
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected; it is "
            "read as one label per sample.",
            DataConversionWarning,
            stacklevel=4,
        )
        y = y[:, 0]
    reject_continuous_y(y, "complementary labels are class labels.")
    if y.ndim == 1 and y.shape[0] > 0 and classes is None:
        values = _distinct_values(y)
        if values is not None and len(values) == 1:
            raise ValueError(
                f"y holds one class only ({y[0]!r}); complementary labels need "
                "at least two classes (declare them with `classes`)."
            )
    if y_type == "ordinary":
        if y.ndim != 1:
            raise ValueError(
                f"y_type='ordinary' expects a 1-D y of true labels; got shape {y.shape}."
            )
        target = check_complementary_y(y, classes=classes)
        return type(target)(~target.excluded, target.classes)
    return check_complementary_y(y, classes=classes)


def decode_bag_target(y, *, classes=None):
    """Decode an LLP bag target, or 1-D ordinary labels (every sample its own bag).

    Parameters
    ----------
    y : ndarray of shape (n_samples, 1 + n_classes) or (n_samples,)
        Bag target of :func:`sklweak.llp.make_bag_target`, or labels.
    classes : array-like of shape (n_classes,), default=None
        Names of the proportion columns of a 2-D ``y`` (the estimator's
        ``classes`` parameter, or a bag table's column names).

    Returns
    -------
    target : BagTarget
        ``(bag_ids, bag_index, bag_proportions, bag_sizes, classes)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._targets import decode_bag_target
    >>> decode_bag_target(np.array([[0, 0.5, 0.5], [0, 0.5, 0.5]])).bag_sizes.tolist()
    [2]
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        raise ValueError(
            f"y has shape {y.shape}: one column is not an LLP target. A bag "
            "target has the bag id in column 0 and the bag's class proportions "
            "after it; build it with sklweak.llp.make_bag_target(bags, "
            "proportions). For ordinary labels (every sample its own bag) pass "
            "a 1-D y (y.ravel())."
        )
    reject_continuous_y(
        y,
        "an LLP target is a 2-D bag target (build it with "
        "sklweak.llp.make_bag_target) or 1-D class labels.",
    )
    n_classes = None if classes is None or y.ndim == 1 else len(classes)
    target = check_bag_target(y, n_classes=n_classes)
    if len(target.classes) < 2:
        raise ValueError(
            f"y holds one class only ({target.classes[0]!r}); learning needs at least two classes."
        )
    if classes is not None and y.ndim == 2:
        classes = np.asarray(classes)
        if classes.ndim != 1 or len(np.unique(classes)) != len(classes):
            raise ValueError(
                "classes must be a 1-D array of distinct labels, one per proportion column of y."
            )
        target = BagTarget(*target[:4], classes)
    return target
