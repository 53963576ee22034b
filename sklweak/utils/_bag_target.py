"""Build the LLP bag target: the bag id and the bag's class proportions per sample."""

from collections.abc import Mapping

import numpy as np

from ._validation import check_bag_target

__all__ = ["make_bag_target"]

_ATOL = 1e-6


def _encode_bags(bags):
    bags = np.asarray(bags)
    if bags.ndim != 1:
        raise ValueError(f"bags must be 1-D (one bag label per sample); got shape {bags.shape}.")
    if bags.shape[0] == 0:
        raise ValueError("bags is empty.")
    if bags.dtype.kind == "f" and not np.all(np.isfinite(bags)):
        raise ValueError("bags contains NaN or infinity.")
    if bags.dtype.kind == "O" and any(isinstance(b, float) and not np.isfinite(b) for b in bags):
        raise ValueError("bags contains NaN or infinity.")
    try:
        bag_labels, bag_index = np.unique(bags, return_inverse=True)
    except TypeError as exc:
        raise ValueError(
            "bags mixes label types that cannot be sorted together; use one type "
            "for every bag label."
        ) from exc
    return bag_labels, bag_index.reshape(-1)


def _as_rows(values, n_classes, name, normalize=False):
    """Turn proportions into a float (n_rows, n_classes) array of valid rows.

    With ``normalize``, each row is divided by its sum instead of being
    required to sum to one (proportions published rounded).
    """
    try:
        rows = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric.") from exc
    if rows.ndim == 1:
        if n_classes not in (None, 2):
            raise ValueError(
                f"A 1-D {name} gives the positive-class share of a binary problem, "
                f"but classes has {n_classes} entries; pass one row of "
                f"{n_classes} proportions per bag."
            )
        rows = np.column_stack([1.0 - rows, rows])
    elif rows.ndim != 2:
        raise ValueError(
            f"{name} must be 1-D (binary positive shares) or 2-D (one row of class "
            f"proportions each); got shape {rows.shape}."
        )
    if rows.shape[1] < 2:
        raise ValueError(f"{name} needs at least two class columns; got shape {rows.shape}.")
    if n_classes is not None and rows.shape[1] != n_classes:
        raise ValueError(f"{name} has {rows.shape[1]} columns but classes has {n_classes} entries.")
    if not np.all(np.isfinite(rows)):
        raise ValueError(f"{name} contains NaN or infinity.")
    if rows.size and (rows.min() < -_ATOL or rows.max() > 1 + _ATOL):
        raise ValueError(
            f"{name} must lie in [0, 1]; got values from {rows.min():.4g} to {rows.max():.4g}."
        )
    rows = np.clip(rows, 0.0, 1.0)
    sums = rows.sum(axis=1)
    if normalize:
        if np.any(sums <= 0):
            row = int(np.flatnonzero(sums <= 0)[0])
            raise ValueError(f"Row {row} of {name} is all zeros; it cannot be normalized.")
        return rows / sums[:, np.newaxis]
    bad = np.abs(sums - 1.0) > _ATOL * rows.shape[1]
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"Each row of {name} must sum to 1; row {row} sums to {sums[row]:.6g}. "
            "For proportions published rounded (rows summing to 0.99 or 1.01), "
            "pass normalize=True to divide each row by its sum."
        )
    return rows


def _rows_from_mapping(proportions, bag_labels, n_classes, normalize=False):
    missing = [b for b in bag_labels.tolist() if b not in proportions]
    if missing:
        raise ValueError(
            f"proportions has no entry for bags {missing[:5]!r}; give one row of "
            "class proportions for every bag."
        )
    values = [proportions[b] for b in bag_labels.tolist()]
    if all(np.ndim(v) == 0 for v in values):
        return _as_rows(np.asarray(values, dtype=object), n_classes, "proportions", normalize)
    if any(np.ndim(v) != 1 for v in values) or len({len(v) for v in values}) != 1:
        raise ValueError(
            "The values of the proportions mapping must all be rows of the same "
            "length (or all scalars: positive-class shares of a binary problem)."
        )
    return _as_rows(np.asarray(values, dtype=object), n_classes, "proportions", normalize)


def _table_rows(table, bag_labels):
    """A proportions table (pandas DataFrame) as a mapping or an array, and its columns.

    Its index gives the bags when it holds every bag label; otherwise its rows
    are read in order, like an array.
    """
    columns = np.asarray(table.columns)
    values = table.to_numpy(dtype=np.float64)
    index = table.index.tolist()
    if len(set(index)) == len(index) and all(b in set(index) for b in bag_labels.tolist()):
        return dict(zip(index, values)), columns
    return values, columns


def make_bag_target(bags, proportions, *, classes=None, normalize=False):
    """Build the LLP target from bag memberships and bag class proportions.

    Learning from label proportions (LLP) sees, for each sample, only the bag it
    belongs to and the share of every class in that bag. This function packs
    both into the 2-D ``y`` that sklweak's LLP estimators take (see the label
    contract): column 0 holds an integer bag id, the other columns the class
    proportions of the sample's bag.

    Parameters
    ----------
    bags : array-like of shape (n_samples,)
        Bag of each sample; any sortable labels (integers, strings, ...). They
        are encoded to the integer ids ``0 .. n_bags - 1`` in sorted order of
        the distinct labels: the smallest label becomes bag 0.
    proportions : array-like or mapping
        Class proportions, in one of these forms:

        - array of shape ``(n_bags, n_classes)``: one row per bag, rows in
          sorted order of the distinct bag labels;
        - array of shape ``(n_samples, n_classes)``: one row per sample; the
          rows of all samples of a bag must be equal;
        - mapping ``{bag_label: row}``: one row per bag (keys that are not bags
          are ignored);
        - for a binary problem, any of the above with the share of the
          positive class instead of a row (a 1-D array, or scalar mapping
          values); a share ``p`` becomes the row ``(1 - p, p)``;
        - a pandas DataFrame, the proportions table: one column per class
          (the column names are the classes), one row per bag with the bag
          labels as its index (or rows in the order of an array above).

        When there are as many bags as samples (every sample its own bag), an
        array is read per sample: row ``i`` belongs to sample ``i``. Pass a
        mapping to give per-bag rows in that case.
    classes : array-like of shape (n_classes,), default=None
        The classes, in the column order of ``proportions``. Used to check the
        number of columns; the target itself stores the columns in this order.
        Defaults to a table's column names.
    normalize : bool, default=False
        Divide each row of proportions by its sum. Proportions published
        rounded (a row summing to 0.99 or 1.01) are refused without it, as any
        row whose sum is off 1 by more than ``1e-6`` per class. Values must
        still lie in [0, 1].

    Returns
    -------
    y : ndarray of float64, shape (n_samples, 1 + n_classes), or DataFrame
        Column 0 the integer bag id of each sample, columns ``1 ..`` the class
        proportions of its bag. It passes
        :func:`sklweak.utils.check_bag_target`. With a proportions table, a
        pandas DataFrame whose columns are ``"bag"`` and the classes: LLP estimators fitted on it take its class names as
        ``classes_`` (unless their ``classes`` parameter is set), so that
        ``predict`` returns them.

    Raises
    ------
    ValueError
        If ``bags`` is not 1-D, proportions lie outside [0, 1] or a row does not
        sum to 1, a bag has no row or two different per-sample rows, or the
        shapes do not match.

    See Also
    --------
    sklweak.utils.check_bag_target : Decode the target built here.

    Examples
    --------
    >>> from sklweak.llp import make_bag_target
    >>> make_bag_target(["b", "a", "b"], {"a": [1.0, 0.0], "b": [0.5, 0.5]})
    array([[1. , 0.5, 0.5],
           [0. , 1. , 0. ],
           [1. , 0.5, 0.5]])
    >>> make_bag_target([0, 0, 1, 1], [0.5, 0.0]).tolist()
    [[0.0, 0.5, 0.5], [0.0, 0.5, 0.5], [1.0, 1.0, 0.0], [1.0, 1.0, 0.0]]
    """
    bag_labels, bag_index = _encode_bags(bags)
    n_samples, n_bags = bag_index.shape[0], bag_labels.shape[0]
    n_classes = None
    table = hasattr(proportions, "columns") and hasattr(proportions, "to_numpy")
    if table:
        proportions, table_classes = _table_rows(proportions, bag_labels)
        classes = table_classes if classes is None else classes
    if classes is not None:
        classes = np.asarray(classes)
        if classes.ndim != 1 or classes.shape[0] < 2:
            raise ValueError(
                "classes must be a 1-D array of at least two class labels; got "
                f"shape {classes.shape}."
            )
        n_classes = classes.shape[0]

    if isinstance(proportions, Mapping):
        bag_rows = _rows_from_mapping(proportions, bag_labels, n_classes, normalize)
    else:
        rows = np.asarray(proportions)
        n_rows = rows.shape[0] if rows.ndim >= 1 else None
        if n_rows == n_samples:
            rows = _as_rows(rows, n_classes, "proportions", normalize)
            bag_rows = np.zeros((n_bags, rows.shape[1]))
            bag_rows[bag_index] = rows
            spread = np.abs(rows - bag_rows[bag_index]).max(axis=1)
            if spread.max() > _ATOL:
                sample = int(np.argmax(spread))
                raise ValueError(
                    f"proportions gives bag {bag_labels[bag_index[sample]]!r} two "
                    f"different rows (sample {sample} differs from another sample "
                    "of its bag); every sample of a bag carries the same proportions."
                )
        elif n_rows == n_bags:
            bag_rows = _as_rows(rows, n_classes, "proportions", normalize)
        else:
            raise ValueError(
                f"proportions must have one row per bag ({n_bags}) or per sample "
                f"({n_samples}); got shape {rows.shape}."
            )

    y = np.empty((n_samples, 1 + bag_rows.shape[1]), dtype=np.float64)
    y[:, 0] = bag_index
    y[:, 1:] = bag_rows[bag_index]
    check_bag_target(y, n_classes=n_classes)
    if not table:
        return y
    import pandas as pd  # a table was given, so pandas is installed

    return pd.DataFrame(y, columns=["bag", *classes.tolist()])
