"""Each family's reading of ``y``: one decoder per weak-label kind.

``BaseWeakClassifier.fit`` validates ``X``, then hands ``y`` to the decoder of
the estimator's kind (through the kind mixin's ``_decode_target``, which only
passes the estimator's sentinels); the decoder returns the target tuple of
:mod:`sklweak.utils._validation` or raises before any work. Every rule about
``y`` and its error message lives here or in ``_validation``, once.
"""

import warnings
from collections import namedtuple

import numpy as np
from sklearn.exceptions import DataConversionWarning
from sklearn.utils.multiclass import check_classification_targets

from ._validation import (
    BagTarget,
    SemiSupervisedTarget,
    _is_sentinel,
    check_annotator_matrix,
    check_bag_target,
    check_complementary_y,
    check_pnu_sentinels,
    check_pnu_y,
    check_pu_y,
    reject_continuous_y,
)

__all__ = [
    "LabelModelTarget",
    "VoteTarget",
    "check_label_types",
    "decode_bag_target",
    "decode_complementary_target",
    "decode_pnu_target",
    "decode_pu_target",
    "decode_true_labels",
    "decode_vote_matrix",
    "decode_vote_target",
    "split_true_labels",
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


def decode_vote_matrix(L, *, n_classes=None, abstain_label=-1, name="L", fitting=True):
    """Validate the vote matrix of labeling functions.

    The annotators' rules (2-D, finite, integer labels), rows where every
    function abstains allowed. Votes must be class indices
    ``0 .. n_classes - 1``; ``n_classes=None`` means the largest vote plus
    one, and at least 2 when ``fitting``.

    Parameters
    ----------
    L : array-like of shape (n_samples, n_functions)
        Votes, ``abstain_label`` where a function abstains.
    n_classes : int, default=None
        Number of classes; ``None`` reads it from the votes.
    abstain_label : int, default=-1
        The vote that means "abstain".
    name : str, default="L"
        How the error messages name ``L``.
    fitting : bool, default=True
        Whether ``L`` fits a model (which needs votes for two classes).

    Returns
    -------
    votes : ndarray of int64, shape (n_samples, n_functions)
        Class indices, -1 where a function abstains.
    n_classes : int
        Number of classes.

    Examples
    --------
    >>> from sklweak.utils._targets import decode_vote_matrix
    >>> votes, n_classes = decode_vote_matrix([[0, 9], [1, 0]], abstain_label=9)
    >>> votes.tolist(), n_classes
    ([[0, -1], [1, 0]], 2)
    """
    target = check_annotator_matrix(
        L, missing_label=abstain_label, allow_unlabeled_rows=True, min_classes=0
    )
    raw = target.classes
    if raw.shape[0] and (raw.min() < 0 or (n_classes is not None and raw.max() >= n_classes)):
        bad = raw[(raw < 0) | (raw >= (np.inf if n_classes is None else n_classes))][0]
        upper = "n_classes - 1" if n_classes is None else str(n_classes - 1)
        raise ValueError(
            f"{name} holds the vote {int(bad)}; votes must be class indices 0 .. {upper} "
            f"or abstain_label={abstain_label!r}."
        )
    if n_classes is None:
        n_classes = int(raw.max()) + 1 if raw.shape[0] else 0
        if fitting and n_classes < 2:
            raise ValueError(
                f"{name} holds votes for {n_classes} class(es); a label model needs 2. "
                "Pass n_classes when some classes get no vote."
            )
    votes = np.full(target.labels.shape, -1, dtype=np.int64)
    votes[target.observed] = raw[target.labels[target.observed]].astype(np.int64)
    return votes, n_classes


LabelModelTarget = namedtuple("LabelModelTarget", ["n_classes", "labeled"])
LabelModelTarget.__doc__ = """What a label model learns from besides its votes.

``n_classes`` is the number of classes of the votes; ``labeled`` the true
class index of each row, -1 where unknown (None when no row has one).
"""


def decode_true_labels(y, *, n_samples, n_classes, abstain_label=-1):
    """A label model's few true labels: class indices, ``abstain_label`` where unknown.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        True labels.
    n_samples : int
        Number of rows of the vote matrix.
    n_classes : int
        Number of classes of the votes.
    abstain_label : int, default=-1
        The value that means "unknown".

    Returns
    -------
    labeled : ndarray of int64, shape (n_samples,), or None
        Class indices, -1 where unknown; None when no row is labeled.

    Examples
    --------
    >>> from sklweak.utils._targets import decode_true_labels
    >>> decode_true_labels([1, -1, 0], n_samples=3, n_classes=2).tolist()
    [1, -1, 0]
    """
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != n_samples:
        raise ValueError(
            f"y must be 1-D with one entry per row of L ({n_samples}); got shape {y.shape}."
        )
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError("y contains NaN or infinity; mark unknown labels with abstain_label.")
    if y.dtype.kind not in "biuf" or not np.all(y == np.round(y)):
        raise ValueError(f"y must hold integer class indices; got dtype {y.dtype}.")
    labeled = np.where(y == abstain_label, -1, y).astype(np.int64)
    if np.any((labeled < -1) | (labeled >= n_classes)):
        raise ValueError(
            f"y holds values outside 0 .. {n_classes - 1} and abstain_label={abstain_label!r}."
        )
    return labeled if np.any(labeled >= 0) else None


def split_true_labels(y, *, true_labels_column, abstain_label=-1):
    """The functions' columns of a vote matrix, and its column of true labels.

    Parameters
    ----------
    y : ndarray of shape (n_samples, n_columns)
        Vote matrix; ``true_labels_column`` (when set) holds true labels
        (class indices, ``abstain_label`` where unknown).
    true_labels_column : int or None
        Position of the true labels' column (negative counts from the end).
    abstain_label : int, default=-1
        The vote that means "abstain" (and "unknown").

    Returns
    -------
    functions : ndarray of shape (n_samples, n_columns - 1) or y
        The columns of the labeling functions.
    true_labels : ndarray of int64, shape (n_samples,), or None
        Class indices, -1 where unknown; None without ``true_labels_column``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._targets import split_true_labels
    >>> functions, labels = split_true_labels(np.array([[0, 1], [-1, -1]]), true_labels_column=-1)
    >>> functions.tolist(), labels.tolist()
    ([[0], [-1]], [1, -1])
    """
    if true_labels_column is None:
        return y, None
    n_columns = y.shape[1]
    if not -n_columns <= true_labels_column < n_columns or n_columns < 2:
        raise ValueError(
            f"true_labels_column={true_labels_column} is not one of the {n_columns} "
            "columns of y, or y has no function column beside it."
        )
    column = true_labels_column % n_columns
    true_labels = decode_vote_matrix(
        y[:, [column]],
        abstain_label=abstain_label,
        name="y's true-label column",
        fitting=False,
    )[0][:, 0]
    return np.delete(y, column, axis=1), true_labels


def check_true_label_range(true_labels, n_classes):
    """Reject a true label beyond the label model's classes ``0 .. n_classes - 1``."""
    if true_labels.max() >= n_classes:
        raise ValueError(
            f"y's true-label column holds the class {int(true_labels.max())}; the label model "
            f"has {n_classes} classes (0 .. {n_classes - 1})."
        )


VoteTarget = namedtuple("VoteTarget", ["given", "functions", "votes", "true_labels"])
VoteTarget.__doc__ = """Decoded vote matrix of labeling functions given as ``y``.

``given`` is ``y`` as passed, ``functions`` its functions' columns (what a
label model fits on), ``votes`` those columns as class indices (-1 =
abstain), ``true_labels`` the true-label column's class indices (-1 where
unknown) or None.
"""


def decode_vote_target(y, *, abstain_label=-1, true_labels_column=None):
    """Decode the ``y`` of a classifier trained on labeling functions' votes.

    Parameters
    ----------
    y : ndarray of shape (n_samples, n_columns) or (n_samples,)
        Vote matrix (with a column of true labels when
        ``true_labels_column`` is set), or 1-D ordinary labels.
    abstain_label : int, default=-1
        The vote that means "abstain".
    true_labels_column : int, default=None
        Column of ``y`` that holds a few true labels.

    Returns
    -------
    target : VoteTarget or SemiSupervisedTarget
        The decoded votes; for a 1-D ``y``, its labels (every row labeled:
        ``y``, ``labeled``, ``classes``, ``y_encoded``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._targets import decode_vote_target
    >>> decode_vote_target(np.array([[0, -1], [1, 1]])).votes.tolist()
    [[0, -1], [1, 1]]
    >>> decode_vote_target(np.array(["b", "a"])).classes.tolist()
    ['a', 'b']
    """
    y = np.asarray(y)
    if y.ndim == 1:
        check_classification_targets(y)
        classes, encoded = np.unique(y, return_inverse=True)
        return SemiSupervisedTarget(y, np.ones(y.shape[0], dtype=bool), classes, encoded)
    functions, true_labels = split_true_labels(
        y, true_labels_column=true_labels_column, abstain_label=abstain_label
    )
    votes, _ = decode_vote_matrix(
        functions, abstain_label=abstain_label, name="y (the vote matrix)", fitting=False
    )
    return VoteTarget(y, functions, votes, true_labels)
