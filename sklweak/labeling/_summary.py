"""lf_summary: what each labeling function does, alone and against the others."""

import numpy as np
from sklearn.utils import Bunch

from ..utils._targets import decode_vote_matrix
from ._votes import pairwise_agreement, vote_indicator

__all__ = ["lf_summary", "plot_lf_summary"]


def _function_names(L, n_functions):
    columns = getattr(L, "columns", None)
    if columns is not None:
        return [str(c) for c in columns]
    return [f"lf_{j}" for j in range(n_functions)]


def lf_summary(L, y=None, *, abstain_label=-1, as_frame=False):
    """Coverage, overlaps, conflicts, polarity and accuracy of each labeling function.

    Parameters
    ----------
    L : array-like of int or DataFrame, shape (n_samples, n_functions)
        The vote matrix: class indices, ``abstain_label`` where a function
        abstains. A DataFrame's column names name the functions.
    y : array-like of shape (n_samples,), default=None
        A few true labels (class indices), ``abstain_label`` where unknown;
        gives each function's empirical accuracy on the labeled rows it votes on.
    abstain_label : int, default=-1
        The vote (and, in ``y``, the label) that means "none".
    as_frame : bool, default=False
        Return the per-function columns as a pandas DataFrame (index: names)
        instead of a Bunch.

    Returns
    -------
    summary : Bunch or DataFrame
        Per function (arrays of length ``n_functions``): ``names``,
        ``polarity`` (sorted classes it votes), ``coverage`` (fraction of rows
        it votes on), ``overlaps`` (fraction of rows it votes on where another
        function votes too), ``conflicts`` (... where another votes a
        different class), ``n_labeled`` and ``empirical_accuracy`` (NaN
        without ``y`` or labeled rows). The Bunch also holds the pairwise
        ``overlap_matrix`` and ``conflict_matrix``, ``(n_functions,
        n_functions)`` fractions of all rows where both vote, and where both
        vote and disagree (diagonal: coverage, and 0).

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.labeling import lf_summary
    >>> L = np.array([[0, 0, -1], [1, -1, 1], [-1, 0, 0], [1, 0, -1]])
    >>> s = lf_summary(L, y=[0, 1, -1, 0])
    >>> s.coverage.tolist(), s.conflicts.tolist()
    ([0.75, 0.75, 0.5], [0.25, 0.25, 0.0])
    >>> s.empirical_accuracy.round(2).tolist()
    [0.67, 1.0, 1.0]
    """
    votes, n_classes = decode_vote_matrix(L, abstain_label=abstain_label, fitting=False)
    n_samples, n_functions = votes.shape
    n_classes = max(n_classes, 1)
    voted = votes >= 0
    indicator = vote_indicator(votes, n_classes)
    co_covered, agreed = pairwise_agreement(indicator, n_classes)
    others = voted.sum(axis=1, keepdims=True) - voted
    overlaps = np.mean(voted & (others > 0), axis=0)
    disagreeing = np.zeros(voted.shape, dtype=bool)
    for k in range(n_classes):
        votes_for_other = (voted & (votes != k)).sum(axis=1, keepdims=True)
        disagreeing |= (votes == k) & (votes_for_other > 0)
    summary = Bunch(
        names=np.array(_function_names(L, n_functions), dtype=object),
        polarity=[np.unique(votes[voted[:, j], j]).tolist() for j in range(n_functions)],
        coverage=voted.mean(axis=0),
        overlaps=overlaps,
        conflicts=disagreeing.mean(axis=0),
        n_labeled=np.zeros(n_functions, dtype=np.int64),
        empirical_accuracy=np.full(n_functions, np.nan),
        overlap_matrix=co_covered / n_samples,
        conflict_matrix=(co_covered - agreed) / n_samples,
    )
    if y is not None:
        y = np.asarray(y)
        if y.shape != (n_samples,):
            raise ValueError(f"y must have shape ({n_samples},); got {y.shape}.")
        labeled = (y != abstain_label)[:, None] & voted
        summary.n_labeled = labeled.sum(axis=0)
        right = (votes == y[:, None]) & labeled
        summary.empirical_accuracy = np.divide(
            right.sum(axis=0),
            summary.n_labeled,
            out=np.full(n_functions, np.nan),
            where=summary.n_labeled > 0,
        )
    if as_frame:
        import pandas as pd

        columns = ["polarity", "coverage", "overlaps", "conflicts", "n_labeled"]
        columns += ["empirical_accuracy"]
        return pd.DataFrame({c: summary[c] for c in columns}, index=summary.names)
    return summary


def plot_lf_summary(summary, *, matrix="conflict", ax=None):
    """Heat map of the pairwise overlap or conflict matrix of :func:`lf_summary`.

    Parameters
    ----------
    summary : Bunch
        The result of ``lf_summary(L)`` (``as_frame=False``).
    matrix : {"conflict", "overlap"}, default="conflict"
        Which pairwise matrix to draw.
    ax : matplotlib Axes, default=None
        Where to draw; ``None`` makes a new figure.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on (matplotlib is imported only here).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklweak.labeling import lf_summary, plot_lf_summary
    >>> ax = plot_lf_summary(lf_summary(np.array([[0, 1], [0, -1], [1, 1]])))
    >>> ax.get_title()
    'Pairwise conflict (fraction of rows)'
    """
    import matplotlib.pyplot as plt

    if matrix not in ("conflict", "overlap"):
        raise ValueError(f"matrix must be 'conflict' or 'overlap'; got {matrix!r}.")
    values = summary[f"{matrix}_matrix"]
    if ax is None:
        _, ax = plt.subplots(figsize=(1 + 0.35 * len(values), 1 + 0.3 * len(values)))
    image = ax.imshow(values, cmap="viridis")
    ax.figure.colorbar(image, ax=ax)
    ticks = np.arange(len(values))
    ax.set_xticks(ticks, summary.names, rotation=90)
    ax.set_yticks(ticks, summary.names)
    ax.set_title(f"Pairwise {matrix} (fraction of rows)")
    return ax
