"""Tables for the command line: reading CSV/Parquet, features, label encoding."""

import sys
import time
from pathlib import Path

import numpy as np

__all__ = [
    "MISSING_TOKENS",
    "Steps",
    "check_output_path",
    "encode_labels",
    "feature_columns",
    "make_feature_pipeline",
    "matches_value",
    "read_table",
    "split_columns",
    "to_numbers",
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
    raise SystemExit(f"{path}: unknown table format {suffix!r}; use .csv, .tsv, .parquet or .pq")


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
    try:
        if suffix in _PARQUET:
            frame = pandas.read_parquet(path)
        else:
            frame = pandas.read_csv(path, sep=_CSV[suffix])
    except ImportError as exc:
        raise SystemExit("Reading Parquet needs pyarrow: pip install pyarrow") from exc
    except pandas.errors.EmptyDataError as exc:
        raise SystemExit(f"{path}: the file is empty") from exc
    except (pandas.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as exc:
        raise SystemExit(f"{path}: cannot be read as a table: {_one_line(exc)}") from exc
    if frame.empty:
        raise SystemExit(f"{path}: the table has no rows")
    return frame


def _one_line(exc):
    return " ".join(str(exc).split())


def check_output_path(path, option, *, table=True):
    """Stop before any work when ``path`` cannot be written.

    Parameters
    ----------
    path : str, path-like or None
        The output file; None or ``"-"`` (stdout) always passes.
    option : str
        The option that named it, for the message (e.g. ``"--out"``).
    table : bool, default=True
        Whether the file is a table, whose suffix must be a known format.

    Examples
    --------
    >>> check_output_path("no/such/folder/out.csv", "--out")
    Traceback (most recent call last):
    ...
    SystemExit: --out no/such/folder/out.csv: the folder no/such/folder does not exist
    """
    if path is None or str(path) == "-":
        return
    folder = Path(path).parent
    if not folder.is_dir():
        raise SystemExit(f"{option} {path}: the folder {folder} does not exist")
    if Path(path).is_dir():
        raise SystemExit(f"{option} {path}: is a folder; give a file name")
    if table:
        _table_format(path)


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


# Cells that mean "no value" in a column that is otherwise numeric (compared
# stripped and lower-cased; pandas already reads empty cells, NA, NaN, null...).
MISSING_TOKENS = frozenset(
    {"", "?", "-", "--", ".", "na", "n/a", "nan", "null", "none", "missing", "unknown"}
)
# Fewer rows than this cannot tell an ID column from a categorical one.
_MIN_ROWS_FOR_ID = 20


def _is_numeric_column(series):
    """Numbers, possibly with missing tokens (``?``, empty, NA) among them."""
    pandas = _pandas()
    if series.dtype.kind == "b":
        return False
    if pandas.api.types.is_numeric_dtype(series):
        return True
    present = series.dropna()
    numbers = pandas.to_numeric(present, errors="coerce")
    if numbers.isna().all():
        return False
    tokens = present[numbers.isna()].astype(str).str.strip().str.lower()
    return bool(tokens.isin(MISSING_TOKENS).all())


def _is_id_column(series):
    """Every value present and distinct, not numeric: a row name, not a feature."""
    return (
        len(series) >= _MIN_ROWS_FOR_ID
        and not _is_numeric_column(series)
        and series.notna().all()
        and series.nunique() == len(series)
    )


def feature_columns(frame, *, features=None, targets=(), exclude=()):
    """The feature columns: ``features`` if given, else every other column.

    Derived features leave out the targets, the excluded columns and ID-like
    columns (every value distinct and not numeric, in tables of at least 20
    rows), each ID-like column with a warning on stderr. A column named in
    ``features`` is always used.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    features : list of str, default=None
        Columns to use; derived as above when None or empty.
    targets : iterable of str, default=()
        Target columns (labels, annotators, bags), never features.
    exclude : iterable of str, default=()
        Further columns the user left out (``--exclude``).

    Returns
    -------
    columns : list of str
        The feature columns, in table order when derived.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame(columns=["id", "x", "y", "label"])
    >>> feature_columns(frame, targets=["label"], exclude=["id"])
    ['x', 'y']
    """
    targets, exclude = list(targets), list(exclude)
    missing = [
        name for name in list(features or ()) + targets + exclude if name not in frame.columns
    ]
    if missing:
        raise SystemExit(f"columns {missing} are not in the table (it has {list(frame.columns)})")
    if features:
        overlap = sorted(set(targets).intersection(features))
        if overlap:
            raise SystemExit(f"columns {overlap} cannot be both a feature and a target")
        overlap = sorted(set(exclude).intersection(features))
        if overlap:
            raise SystemExit(f"columns {overlap} are both in --features and --exclude")
        return list(features)
    columns = [name for name in frame.columns if name not in {*targets, *exclude}]
    for name in [name for name in columns if _is_id_column(frame[name])]:
        print(
            f"warning: column {name!r} looks like an ID (all {len(frame):,} values "
            "distinct, not numeric) and is not used as a feature; name it in "
            "--features to use it",
            file=sys.stderr,
        )
        columns.remove(name)
    if not columns:
        raise SystemExit("the table has no feature column left")
    return columns


def to_numbers(frame):
    """The columns of ``frame`` as float64, anything not a number as NaN.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns holding numbers and missing tokens such as ``"?"``.

    Returns
    -------
    values : ndarray of float64, shape (n_rows, n_columns)
        The numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> to_numbers(pd.DataFrame({"x": ["1", "?", "2.5"]})).ravel().tolist()
    [1.0, nan, 2.5]
    """
    pandas = _pandas()
    return np.column_stack(
        [
            pandas.to_numeric(frame[name], errors="coerce").to_numpy(np.float64)
            for name in frame.columns
        ]
    )


def make_feature_pipeline(frame, columns):
    """Preprocessing for the feature columns of a table.

    Numeric columns (numbers, possibly with missing tokens such as ``?``,
    ``NA`` or empty cells, see ``MISSING_TOKENS``) are read as numbers with
    those cells missing, imputed by their median and standardized; the
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
    >>> frame = pd.DataFrame({"x": ["1", "?", "3"], "c": ["a", "b", "a"]})
    >>> make_feature_pipeline(frame, ["x", "c"]).fit_transform(frame).shape
    (3, 3)
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    numeric = [c for c in columns if _is_numeric_column(frame[c])]
    other = [c for c in columns if c not in numeric]
    parts = []
    if numeric:
        parts.append(
            (
                "numeric",
                make_pipeline(
                    FunctionTransformer(to_numbers, feature_names_out="one-to-one"),
                    SimpleImputer(strategy="median"),
                    StandardScaler(),
                ),
                numeric,
            )
        )
    if other:
        parts.append(
            (
                "categorical",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"),
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                ),
                other,
            )
        )
    return ColumnTransformer(parts, sparse_threshold=0.0)


def matches_value(values, value):
    """Where a table column equals a value typed on the command line.

    Parameters
    ----------
    values : pandas.Series
        The column.
    value : str or number
        Compared with the stripped text of each cell, and as a number with
        numeric cells, so ``"-1"`` matches ``-1``, ``-1.0`` and ``" -1"``.

    Returns
    -------
    mask : ndarray of bool
        True where the cell holds the value.

    Examples
    --------
    >>> import pandas as pd
    >>> matches_value(pd.Series([-1.0, 2.0, None]), "-1").tolist()
    [True, False, False]
    """
    pandas = _pandas()
    text = str(value).strip()
    mask = values.astype(str).str.strip() == text
    number = pandas.to_numeric(pandas.Series([text]), errors="coerce").iloc[0]
    if not np.isnan(number):
        mask = mask | (pandas.to_numeric(values, errors="coerce") == number)
    return (mask & values.notna()).to_numpy(dtype=bool)


def _as_label_values(present):
    """Numbers (integers when whole) if every label is one, else stripped text."""
    pandas = _pandas()
    as_numbers = pandas.to_numeric(present, errors="coerce")
    if as_numbers.isna().any():
        return present.astype(str).str.strip()
    if np.all(as_numbers == np.round(as_numbers)):
        return as_numbers.astype(np.int64)
    return as_numbers


def encode_labels(values, *, missing=()):
    """Encode a label column to class indices, with missing entries as ``-1``.

    Parameters
    ----------
    values : pandas.Series or array-like
        Labels of any type; NaN, None, ``pd.NA`` and empty strings are missing.
    missing : list, default=()
        Further values that mean "no label", compared by
        :func:`matches_value` (so ``"-1"`` matches ``-1``).

    Returns
    -------
    codes : ndarray of int64
        Class index per entry, ``-1`` where missing.
    classes : ndarray
        The distinct labels, sorted; ``classes[codes]`` gives them back.

    Examples
    --------
    >>> codes, classes = encode_labels(["b", "a", None, "b", "-1"], missing=[-1])
    >>> codes.tolist(), classes.tolist()
    ([1, 0, -1, 1, -1], ['a', 'b'])
    """
    pandas = _pandas()
    series = pandas.Series(values, dtype=object).reset_index(drop=True)
    absent = (series.isna() | (series.astype(str).str.strip() == "")).to_numpy(dtype=bool)
    for value in missing:
        absent = absent | matches_value(series, value)
    present = series[~absent].infer_objects()
    if present.dtype.kind != "b":
        present = _as_label_values(present)
    classes, inverse = np.unique(present.to_numpy(), return_inverse=True)
    codes = np.full(len(series), -1, dtype=np.int64)
    codes[np.flatnonzero(~absent)] = inverse
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
            self.steps.stream.write(f"[{self.steps.done}/{self.steps.total}] {self.message} ...")
            self.steps.stream.flush()
        return self

    def __exit__(self, *exc):
        if self.steps.enabled:
            self.steps.stream.write(f" {time.perf_counter() - self.start:.1f}s\n")
            self.steps.stream.flush()
        return False
