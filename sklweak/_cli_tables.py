"""Tables for the command line: reading CSV/Parquet, features, label encoding."""

import sys
import time
from pathlib import Path

import numpy as np

__all__ = [
    "Steps",
    "encode_labels",
    "feature_columns",
    "make_feature_pipeline",
    "read_table",
    "split_columns",
    "write_table",
]

_CSV = {".csv": ",", ".tsv": "\t", ".txt": ","}
_PARQUET = {".parquet", ".pq"}


def _pandas():
    try:
        import pandas
    except ImportError as exc:
        raise SystemExit(
            "sklweak's command line reads tables with pandas: pip install pandas"
        ) from exc
    return pandas


def _table_format(path):
    suffix = Path(path).suffix.lower()
    if suffix in _CSV or suffix in _PARQUET:
        return suffix
    raise SystemExit(
        f"{path}: unknown table format {suffix!r}; use .csv, .tsv, .parquet or .pq"
    )


def read_table(path):
    """Read a CSV, TSV or Parquet file into a DataFrame.

    Parameters
    ----------
    path : str or path-like
        The file; its suffix chooses the format.

    Returns
    -------
    frame : pandas.DataFrame
        The table.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> _ = open(path, "w").write("a,b\\n1,x\\n2,y\\n")
    >>> read_table(path).shape
    (2, 2)
    """
    pandas = _pandas()
    suffix = _table_format(path)
    if not Path(path).is_file():
        raise SystemExit(f"{path}: no such file")
    if suffix in _PARQUET:
        try:
            return pandas.read_parquet(path)
        except ImportError as exc:
            raise SystemExit(
                "Reading Parquet needs pyarrow: pip install pyarrow"
            ) from exc
    return pandas.read_csv(path, sep=_CSV[suffix])


def write_table(frame, path):
    """Write a DataFrame as CSV/Parquet to ``path``, or as CSV to stdout.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    path : str, path-like or None
        The file (suffix chooses the format); None or ``"-"`` prints CSV.

    Examples
    --------
    >>> import pandas as pd
    >>> write_table(pd.DataFrame({"a": [1]}), None)
    a
    1
    """
    if path is None or str(path) == "-":
        frame.to_csv(sys.stdout, index=False)
        return
    suffix = _table_format(path)
    if suffix in _PARQUET:
        try:
            frame.to_parquet(path, index=False)
        except ImportError as exc:
            raise SystemExit("Writing Parquet needs pyarrow: pip install pyarrow") from exc
    else:
        frame.to_csv(path, index=False, sep=_CSV[suffix])


def split_columns(spec):
    """Split a comma-separated column list, dropping blanks.

    Parameters
    ----------
    spec : str or None
        For example ``"a,b, c"``.

    Returns
    -------
    columns : list of str
        The names; empty for None.

    Examples
    --------
    >>> split_columns("a,b, c")
    ['a', 'b', 'c']
    """
    if not spec:
        return []
    return [name.strip() for name in spec.split(",") if name.strip()]


def feature_columns(frame, *, features=None, exclude=()):
    """The feature columns: ``features`` if given, else every other column.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    features : list of str, default=None
        Columns to use; all columns not in ``exclude`` when None or empty.
    exclude : iterable of str
        Target columns (labels, annotators, bags), never features.

    Returns
    -------
    columns : list of str
        The feature columns, in table order when derived.

    Examples
    --------
    >>> import pandas as pd
    >>> feature_columns(pd.DataFrame(columns=["x", "y", "label"]), exclude=["label"])
    ['x', 'y']
    """
    exclude = set(exclude)
    missing = [name for name in list(features or ()) + sorted(exclude)
               if name not in frame.columns]
    if missing:
        raise SystemExit(
            f"columns {missing} are not in the table (it has {list(frame.columns)})"
        )
    if features:
        overlap = sorted(exclude.intersection(features))
        if overlap:
            raise SystemExit(f"columns {overlap} cannot be both a feature and a target")
        return list(features)
    columns = [name for name in frame.columns if name not in exclude]
    if not columns:
        raise SystemExit("the table has no feature column left")
    return columns


def make_feature_pipeline(frame, columns):
    """Preprocessing for the feature columns of a table.

    Numeric columns are imputed by their median and standardized; the
    others (strings, categories, booleans) are imputed by their most frequent
    value and one-hot encoded, ignoring categories unseen in training.

    Parameters
    ----------
    frame : pandas.DataFrame
        The training table.
    columns : list of str
        The feature columns.

    Returns
    -------
    transformer : sklearn.compose.ColumnTransformer
        Unfitted.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"x": [1.0, None, 3.0], "c": ["a", "b", "a"]})
    >>> make_feature_pipeline(frame, ["x", "c"]).fit_transform(frame).shape
    (3, 3)
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [c for c in columns if frame[c].dtype.kind in "iuf"]
    other = [c for c in columns if c not in numeric]
    parts = []
    if numeric:
        parts.append(("numeric", make_pipeline(
            SimpleImputer(strategy="median"), StandardScaler()), numeric))
    if other:
        parts.append(("categorical", make_pipeline(
            SimpleImputer(strategy="most_frequent"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        ), other))
    return ColumnTransformer(parts, sparse_threshold=0.0)


def encode_labels(values, *, missing=None):
    """Encode a label column to class indices, with missing entries as ``-1``.

    Parameters
    ----------
    values : pandas.Series or array-like
        Labels of any type; NaN, None and empty strings are missing.
    missing : object, default=None
        A further value that means "no label" (compared as a string too, so
        ``"-1"`` matches ``-1``).

    Returns
    -------
    codes : ndarray of int64
        Class index per entry, ``-1`` where missing.
    classes : ndarray
        The distinct labels, sorted; ``classes[codes]`` gives them back.

    Examples
    --------
    >>> codes, classes = encode_labels(["b", "a", None, "b"])
    >>> codes.tolist(), classes.tolist()
    ([1, 0, -1, 1], ['a', 'b'])
    """
    pandas = _pandas()
    series = pandas.Series(values).reset_index(drop=True)
    absent = series.isna() | (series.astype(str).str.strip() == "")
    if missing is not None:
        absent |= series.astype(str) == str(missing)
    present = series[~absent]
    if present.dtype == object:
        as_numbers = pandas.to_numeric(present, errors="coerce")
        if not as_numbers.isna().any():
            present = as_numbers
    if present.dtype.kind == "f" and np.all(present == np.round(present)):
        present = present.astype(np.int64)
    classes, inverse = np.unique(present.to_numpy(), return_inverse=True)
    codes = np.full(len(series), -1, dtype=np.int64)
    codes[np.flatnonzero(~absent.to_numpy())] = inverse
    return codes, classes


class Steps:
    """Report long steps on stderr when it is a terminal; silent otherwise.

    Parameters
    ----------
    total : int
        Number of steps.
    stream : file-like, default=None
        Where to write; ``sys.stderr`` by default. Nothing is written when the
        stream is not a terminal, unless ``force=True``.
    force : bool, default=False
        Write even when the stream is not a terminal.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> steps = Steps(2, stream=out, force=True)
    >>> with steps.step("reading"):
    ...     pass
    >>> out.getvalue().startswith("[1/2] reading")
    True
    """

    def __init__(self, total, *, stream=None, force=False):
        self.total = total
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", lambda: False)
        self.enabled = force or isatty()
        self.done = 0

    def step(self, message):
        """Context manager for one step; prints its number, name and duration."""
        return _Step(self, message)


class _Step:
    def __init__(self, steps, message):
        self.steps = steps
        self.message = message

    def __enter__(self):
        self.steps.done += 1
        self.start = time.perf_counter()
        if self.steps.enabled:
            self.steps.stream.write(
                f"[{self.steps.done}/{self.steps.total}] {self.message} ...")
            self.steps.stream.flush()
        return self

    def __exit__(self, *exc):
        if self.steps.enabled:
            self.steps.stream.write(f" {time.perf_counter() - self.start:.1f}s\n")
            self.steps.stream.flush()
        return False
