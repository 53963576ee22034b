"""Malformed inputs for every estimator, and the verdict on how each was handled.

A malformed case takes a valid weak-label problem ``(X, y)`` of the
estimator's kind and breaks it in one way (NaN, infinity, wrong shape, empty,
one sample, one class, a foreign sentinel, mixed types, categorical columns,
...) or changes its container (float32, read-only memmap, sparse). The
estimator must then either fit and give valid outputs, or raise a
``ValueError``/``TypeError`` of its own or of scikit-learn's input validation,
with a message; never crash from deep inside numpy or scipy, never return NaN,
never modify the inputs. Used by ``tests/test_malformed_inputs.py`` and
``benchmarks/bench_malformed_inputs.py``.
"""

import os
import tempfile
import traceback
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone

from ..datasets._problems import load_standardized, make_weak_problem

__all__ = ["CASES", "Outcome", "run_case", "valid_problem"]

# Where a clear error may come from: sklweak itself and scikit-learn's input
# validation; anything deeper (numpy, scipy, torch internals) is a crash.
_CLEAR_SOURCES = (
    f"{os.sep}sklweak{os.sep}",
    f"sklearn{os.sep}utils{os.sep}",
    f"sklearn{os.sep}base.py",
    f"sklearn{os.sep}preprocessing{os.sep}_label.py",
)
# An error that passes through input validation happened before any work,
# even when numpy or pandas raised it while converting (``could not convert
# string to float: 'red'``).
_VALIDATION_MODULES = (
    f"sklearn{os.sep}utils{os.sep}validation.py",
    f"sklweak{os.sep}utils{os.sep}_validation.py",
)


_BINARY_KINDS = ("pu", "pnu")


def valid_problem(kind, random_state=0):
    """A small valid problem of a weak-label kind, on scikit-learn's bundled data.

    Wine (3 classes) for most kinds; breast cancer for the binary kinds (PU,
    PNU).

    Parameters
    ----------
    kind : str
        One of ``sklweak.datasets._problems.PROBLEM_KINDS`` (``"semi-supervised"``,
        ``"pu"``, ...), simulated as the tour does.
    random_state : int, default=0
        Seed of the weak-label simulation.

    Returns
    -------
    X_train, y_weak, X_test : ndarray
        Standardized features, the weak target, and held-out rows to predict.

    Examples
    --------
    >>> X, y, X_test = valid_problem("semi-supervised")
    >>> X.shape[0] == y.shape[0], bool((y == -1).any())
    (True, True)
    """
    X, y = load_standardized("breast_cancer" if kind in _BINARY_KINDS else "wine")
    rng = np.random.RandomState(random_state)
    order = rng.permutation(len(y))
    train, test = order[:130], order[130:]
    problem = make_weak_problem(kind, X[train], y[train], y[test], random_state=random_state)
    return X[train], np.asarray(problem.y_weak), X[test]


def _nan_in_X(X, y, rng):
    X = X.copy()
    X[rng.randint(len(X)), rng.randint(X.shape[1])] = np.nan
    return X, y


def _inf_in_X(X, y, rng):
    X = X.copy()
    X[rng.randint(len(X)), rng.randint(X.shape[1])] = rng.choice([np.inf, -np.inf])
    return X, y


def _nan_in_y(X, y, rng):
    y = y.astype(np.float64)
    y.reshape(len(y), -1)[rng.randint(len(y)), 0] = np.nan
    return X, y


def _one_sample(X, y, rng):
    row = rng.randint(len(y))
    return X[row : row + 1], y[row : row + 1]


def _one_class(X, y, rng):
    return X, np.repeat(y[:1], len(y), axis=0)


def _foreign_sentinel(X, y, rng):
    y = y.copy()
    negative = y < 0
    if negative.any():
        y[negative] = -7
    else:
        y.reshape(len(y), -1)[rng.randint(len(y)), -1] = 99
    return X, y


def _strings_in_X(X, y, rng):
    X = X.astype(object)
    X[rng.randint(len(X)), rng.randint(X.shape[1])] = "n/a"
    return X, y


def _mixed_label_types(X, y, rng):
    if y.ndim != 1:
        y = y.astype(object)
        y[rng.randint(len(y)), 0] = "a"
        return X, y
    y = y.astype(object)
    y[rng.randint(len(y))] = "stray"
    return X, y


def _categorical_frame(X, y, rng):
    import pandas as pd

    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame["colour"] = pd.Categorical(rng.choice(["red", "green"], size=len(X)))
    return frame, y


def _float32(X, y, rng):
    return X.astype(np.float32), y


def _read_only_memmap(X, y, rng):
    path = Path(tempfile.mkdtemp()) / "X.dat"
    writable = np.memmap(path, dtype=np.float64, mode="w+", shape=X.shape)
    writable[:] = X
    writable.flush()
    return np.memmap(path, dtype=np.float64, mode="r", shape=X.shape), y


def _sparse(X, y, rng):
    X = X.copy()
    X[np.abs(X) < 0.5] = 0.0
    return sp.csr_matrix(X), y


# Each case: (what it does, the breaker, whether the result stays a valid input).
CASES = {
    "nan_in_X": ("a NaN in X", _nan_in_X, False),
    "inf_in_X": ("an infinity in X", _inf_in_X, False),
    "nan_in_y": ("a NaN in y", _nan_in_y, False),
    "X_1d": ("1-D X", lambda X, y, rng: (X[:, 0], y), False),
    "X_3d": ("3-D X", lambda X, y, rng: (X[:, :, None], y), False),
    "empty": ("no sample", lambda X, y, rng: (X[:0], y[:0]), False),
    "one_sample": ("one sample", _one_sample, False),
    "length_mismatch": ("y one row short", lambda X, y, rng: (X, y[:-1]), False),
    "one_class": ("every y entry equal", _one_class, False),
    "foreign_sentinel": ("a sentinel the estimator was not told about", _foreign_sentinel, False),
    "strings_in_X": ("a string in numeric X", _strings_in_X, False),
    "mixed_label_types": ("strings mixed into numeric y", _mixed_label_types, False),
    "categorical_frame": ("a DataFrame with a categorical column", _categorical_frame, False),
    "float32": ("float32 X", _float32, True),
    "read_only_memmap": ("read-only memory-mapped X", _read_only_memmap, True),
    "sparse": ("sparse CSR X", _sparse, False),
}


class Outcome:
    """How an estimator handled one malformed case.

    ``verdict`` is ``"fit"`` (fitted, outputs valid), ``"clear error"`` or
    ``"failure"``; ``detail`` says why for a failure.
    """

    def __init__(self, verdict, detail=""):
        self.verdict = verdict
        self.detail = detail

    def __repr__(self):
        return f"Outcome({self.verdict!r}, {self.detail!r})"


def _snapshot(value):
    if sp.issparse(value):
        return value.copy()
    if hasattr(value, "copy"):
        return value.copy()
    return value


def _unchanged(before, after):
    if sp.issparse(before):
        return (before != after).nnz == 0
    if hasattr(before, "equals"):
        return before.equals(after)
    before, after = np.asarray(before), np.asarray(after)
    if before.dtype == object:
        return before.shape == after.shape and all(
            (a is b) or (a == b) or (a != a and b != b)
            for a, b in zip(before.ravel().tolist(), after.ravel().tolist())
        )
    return np.array_equal(before, after, equal_nan=True)


def _is_clear(exc):
    if not str(exc).strip():
        return False, "empty message"
    frames = traceback.extract_tb(exc.__traceback__)
    origin = frames[-1].filename if frames else ""
    if any(source in origin for source in _CLEAR_SOURCES):
        return True, ""
    if any(module in frame.filename for frame in frames for module in _VALIDATION_MODULES):
        return True, ""
    return False, f"raised from {origin}:{frames[-1].lineno}: {exc}"


def _check_outputs(estimator, X_test):
    if hasattr(estimator, "predict_proba"):
        proba = estimator.predict_proba(X_test)
        if not np.all(np.isfinite(proba)):
            return "predict_proba returned NaN or infinity"
        if not np.allclose(proba.sum(axis=1), 1.0):
            return "predict_proba rows do not sum to 1"
    predictions = estimator.predict(X_test)
    if len(predictions) != len(X_test):
        return "predict returned the wrong number of rows"
    return ""


def run_case(estimator, case, kind, seed=0):
    """Fit a clone of ``estimator`` on one malformed case and judge the result.

    Parameters
    ----------
    estimator : estimator instance
        Unfitted; it is cloned.
    case : str
        A key of ``CASES``.
    kind : str
        The estimator's weak-label kind.
    seed : int, default=0
        Seed of the break (which cell gets the NaN, ...).

    Returns
    -------
    outcome : Outcome
        The verdict.

    Examples
    --------
    >>> from sklweak import SelfTrainingClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> est = SelfTrainingClassifier(LogisticRegression())
    >>> run_case(est, "nan_in_X", "semi-supervised").verdict
    'clear error'
    """
    X, y, X_test = valid_problem(kind)
    description, breaker, stays_valid = CASES[case]
    X_bad, y_bad = breaker(X, y, np.random.RandomState(seed))
    X_before, y_before = _snapshot(X_bad), _snapshot(y_bad)
    model = clone(estimator)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X_bad, y_bad)
    except (ValueError, TypeError) as exc:
        clear, why = _is_clear(exc)
        if not _unchanged(X_before, X_bad) or not _unchanged(y_before, y_bad):
            return Outcome("failure", f"{description}: input modified")
        if stays_valid:
            return Outcome("failure", f"{description} is valid but raised {exc!r}")
        return Outcome("clear error") if clear else Outcome("failure", f"{description}: {why}")
    except Exception as exc:  # noqa: BLE001 - any other exception is the finding
        return Outcome("failure", f"{description}: {type(exc).__name__}: {exc}")
    if not _unchanged(X_before, X_bad) or not _unchanged(y_before, y_bad):
        return Outcome("failure", f"{description}: input modified")
    if np.ndim(X_bad) == 2 and getattr(X_bad, "shape", (0, 0))[1] == X_test.shape[1]:
        test = X_test.astype(np.float32) if case == "float32" else X_test
        problem = _check_outputs(model, test)
        if problem:
            return Outcome("failure", f"{description}: {problem}")
    return Outcome("fit")
