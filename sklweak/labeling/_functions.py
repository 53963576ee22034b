"""Writing labeling functions and applying them to a table."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["LabelingFunction", "apply_labeling_functions", "labeling_function"]

KINDS = ("vote", "not", "candidates")


@dataclass(frozen=True)
class LabelingFunction:
    """A vectorized labeling function: one call labels every row of a table.

    Parameters
    ----------
    name : str
        Column name of the function's votes in ``L``.
    function : callable
        ``function(X)`` with ``X`` the whole table (NumPy array or pandas
        DataFrame). What it returns depends on ``kind`` and ``label``:

        - ``kind="vote"``: with ``label``, a boolean mask (True: vote
          ``label``); without, integer votes with ``-1`` to abstain.
        - ``kind="not"`` ("not class k"): with ``label``, a boolean mask
          (True: not ``label``); without, the excluded class per row, ``-1``
          to abstain.
        - ``kind="candidates"``: a boolean ``(n_samples, n_classes)`` matrix
          of the classes still possible; a row of all True or all False
          abstains. ``label`` is unused.
    kind : {"vote", "not", "candidates"}, default="vote"
        What a vote means.
    label : int or None, default=None
        The class of a mask-returning function.

    Notes
    -----
    Votes outside ``-1 .. n_classes - 1`` are an error, so "not class k" and
    candidate sets are not new vote values: :func:`apply_labeling_functions`
    writes a "not" function as a column whose vote ``k`` means "not class
    k", and a candidate-set function as one such column per class (column
    ``name[not k]`` votes ``k`` on the rows whose set excludes ``k``). It
    returns which columns are negative; pass them to
    ``LabelModel(negative=...)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.labeling import LabelingFunction
    >>> big = LabelingFunction("big", lambda X: X[:, 0] > 5, label=1)
    >>> big(np.array([[7.0], [1.0]])).tolist()
    [1, -1]
    """

    name: str
    function: Callable
    kind: Literal["vote", "not", "candidates"] = "vote"
    label: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}; got {self.kind!r}.")
        if not callable(self.function):
            raise TypeError(f"function of {self.name!r} must be callable.")

    def _raw(self, X, n_rows):
        out = np.asarray(self.function(X))
        expected = (n_rows, None) if self.kind == "candidates" else (n_rows,)
        if out.shape[0] != n_rows or out.ndim != len(expected):
            raise ValueError(
                f"Labeling function {self.name!r} returned shape {out.shape}; expected "
                f"{'(n_samples, n_classes)' if self.kind == 'candidates' else '(n_samples,)'} "
                f"with n_samples={n_rows}."
            )
        return out

    def __call__(self, X):
        """Votes of a ``"vote"`` or ``"not"`` function on every row (``-1``: abstain).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            The table.

        Returns
        -------
        votes : ndarray of int64, shape (n_samples,)
            Class indices; ``-1`` where the function abstains.
        """
        if self.kind == "candidates":
            raise TypeError(
                f"{self.name!r} outputs candidate sets; apply it with apply_labeling_functions."
            )
        out = self._raw(X, len(X))
        if self.label is not None:
            if out.dtype != bool:
                raise TypeError(
                    f"Labeling function {self.name!r} has label={self.label} and must "
                    f"return a boolean mask; got dtype {out.dtype}."
                )
            return np.where(out, self.label, -1).astype(np.int64)
        if out.dtype.kind not in "iu" and not (
            out.dtype.kind == "f" and np.all(out == np.round(out))
        ):
            raise TypeError(
                f"Labeling function {self.name!r} must return integer votes; got dtype {out.dtype}."
            )
        return out.astype(np.int64)

    def columns(self, X, n_classes):
        """(names, votes, negative) of the columns this function contributes to ``L``."""
        if self.kind != "candidates":
            return [self.name], [self(X)], [self.kind == "not"]
        sets = self._raw(X, len(X)).astype(bool)
        if sets.shape[1] != n_classes:
            raise ValueError(
                f"Candidate function {self.name!r} returned {sets.shape[1]} columns; "
                f"n_classes={n_classes}."
            )
        informative = sets.any(axis=1) & ~sets.all(axis=1)
        names = [f"{self.name}[not {k}]" for k in range(n_classes)]
        votes = [np.where(informative & ~sets[:, k], k, -1) for k in range(n_classes)]
        return names, votes, [True] * n_classes


def labeling_function(name=None, *, label=None, kind="vote"):
    """Decorator that turns a vectorized function into a :class:`LabelingFunction`.

    Parameters
    ----------
    name : str, default=None
        The function's name in ``L``; ``None`` uses the decorated function's name.
    label : int, default=None
        The class voted (or excluded, for ``kind="not"``) where the
        decorated function returns True.
    kind : {"vote", "not", "candidates"}, default="vote"
        What the votes mean (see :class:`LabelingFunction`).

    Returns
    -------
    decorator : callable
        Turns ``f(X)`` into ``LabelingFunction(name, f, kind, label)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.labeling import labeling_function
    >>> @labeling_function(label=0)
    ... def small(X):
    ...     return X[:, 0] < 2
    >>> small.name, small(np.array([[1.0], [3.0]])).tolist()
    ('small', [0, -1])
    """

    def decorate(function):
        return LabelingFunction(name or function.__name__, function, kind, label)

    return decorate


def apply_labeling_functions(
    functions: Sequence[LabelingFunction],
    X,
    *,
    n_classes: int | None = None,
    as_frame: bool | str = "auto",
    return_negative: bool = False,
):
    """Apply labeling functions to a table: the vote matrix ``L``, names kept.

    Parameters
    ----------
    functions : sequence of LabelingFunction
        The functions, each called once on the whole table.
    X : array-like or DataFrame of shape (n_samples, n_features)
        The table.
    n_classes : int, default=None
        Number of classes; required when a function outputs candidate sets.
    as_frame : bool or "auto", default="auto"
        Return a pandas DataFrame whose columns are the function names;
        ``"auto"`` does when ``X`` is a DataFrame.
    return_negative : bool, default=False
        Also return which columns are "not class k" columns.

    Returns
    -------
    L : ndarray of int64 or DataFrame, shape (n_samples, n_columns)
        Votes, ``-1`` where a function abstains; one column per function,
        ``n_classes`` per candidate-set function.
    negative : ndarray of bool, shape (n_columns,)
        Only with ``return_negative``: True for "not class k" columns.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.labeling import LabelingFunction, apply_labeling_functions
    >>> X = np.array([[1.0], [4.0], [9.0]])
    >>> functions = [
    ...     LabelingFunction("low", lambda X: X[:, 0] < 2, label=0),
    ...     LabelingFunction("high", lambda X: X[:, 0] > 3, label=1),
    ...     LabelingFunction("not_low", lambda X: X[:, 0] > 5, kind="not", label=0),
    ... ]
    >>> L, negative = apply_labeling_functions(functions, X, return_negative=True)
    >>> L.tolist(), negative.tolist()
    ([[0, -1, -1], [-1, 1, -1], [-1, 1, 0]], [False, False, True])
    """
    functions = list(functions)
    if not functions:
        raise ValueError("functions is empty; give at least one LabelingFunction.")
    for f in functions:
        if not isinstance(f, LabelingFunction):
            raise TypeError(
                f"functions must hold LabelingFunction objects (see labeling_function); "
                f"got {type(f).__name__}."
            )
        if f.kind == "candidates" and n_classes is None:
            raise ValueError(f"Candidate function {f.name!r} needs n_classes.")
    names, columns, negative = [], [], []
    for f in functions:
        column_names, votes, kinds = f.columns(X, n_classes)
        names += column_names
        columns += votes
        negative += kinds
    if len(set(names)) < len(names):
        raise ValueError("Labeling functions need distinct names.")
    L = np.column_stack(columns)
    is_frame = hasattr(X, "columns") and hasattr(X, "iloc")
    if as_frame is True or (as_frame == "auto" and is_frame):
        import pandas as pd

        L = pd.DataFrame(L, columns=names, index=X.index if is_frame else None)
    negative = np.asarray(negative, dtype=bool)
    return (L, negative) if return_negative else L
