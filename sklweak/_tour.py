"""The tour: every registered estimator on bundled data with simulated weak labels.

For each estimator and data set the tour simulates the estimator's kind of weak
labels on the training part, fits, and scores on a held-out test part next to
two references: the supervised baseline, what a user without sklweak would do
(the supervised counterpart on the labeled part only; for PU and noisy labels,
on the weak labels taken at face value; for annotators, on the majority vote;
for label proportions, on each bag's majority class), and the oracle trained on every true
label. ``SETTINGS`` holds one setting per weak-label kind, built by
``sklweak/datasets/_problems.py``: a new kind is added there.
"""

import csv
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from .datasets._problems import PROBLEM_KINDS, make_weak_problem, split_standardized
from .noise import majority_vote
from .utils import all_estimators, check_annotator_matrix, default_instance
from .utils._markdown import markdown_table

__all__ = ["SETTINGS", "format_markdown", "run_tour", "write_outputs"]

COLUMNS = [
    "family",
    "estimator",
    "dataset",
    "weak labels",
    "accuracy",
    "supervised baseline",
    "oracle (all labels)",
    "fit seconds",
]

DATASETS = ("digits", "breast_cancer")


def _setting(kind, X_train, y_train, y_test, random_state):
    """The kind's weak-label problem; annotators' baseline is the majority vote."""
    problem = make_weak_problem(kind, X_train, y_train, y_test, random_state=random_state)
    if problem.baseline_rows is not None and problem.baseline_y is None:
        decoded = check_annotator_matrix(problem.y_weak)
        problem.baseline_y = decoded.classes[majority_vote(decoded.labels)]
    return problem


# Kind -> setting(X_train, y_train, y_test, random_state), one per problem kind.
SETTINGS = {kind: partial(_setting, kind) for kind in PROBLEM_KINDS}


def _counterpart(estimator):
    inner = estimator.get_params().get("estimator")
    if inner is not None and hasattr(inner, "fit"):
        return clone(inner)
    return LogisticRegression(max_iter=1000)


def _accuracy(model, X, y):
    return float(np.mean(model.predict(X) == y))


def _load(name):
    return split_standardized(name, test_size=0.3)


def run_tour(*, random_state=0, estimators=None, progress=sys.stderr):
    """Fit every registered estimator on weakly labeled bundled data.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the weak-label simulation and of the estimators.
    estimators : list of str, default=None
        Names of the estimators to run; all registered ones by default.
    progress : file-like or None, default=sys.stderr
        Where a progress line per step is written; ``None`` for silence.

    Returns
    -------
    rows : list of dict
        One row per estimator and data set, keyed by ``COLUMNS``.

    Examples
    --------
    >>> from sklweak._tour import run_tour
    >>> rows = run_tour(estimators=["SelfTrainingClassifier"], progress=None)
    >>> sorted({row["dataset"] for row in rows})
    ['breast_cancer', 'digits']
    """
    registered = dict(all_estimators())
    names = sorted(registered) if estimators is None else list(estimators)
    unknown = sorted(set(names) - set(registered))
    if unknown:
        raise ValueError(f"Unknown estimators {unknown}; registered: {sorted(registered)}.")
    jobs = [
        (name, dataset)
        for name in names
        if getattr(registered[name], "_weak_label_kind", None) in SETTINGS
        for dataset in DATASETS
    ]
    rows = []
    for step, (name, dataset) in enumerate(jobs, start=1):
        estimator = default_instance(registered[name])
        if "random_state" in estimator.get_params():
            estimator.set_params(random_state=random_state)
        kind = estimator._weak_label_kind
        X_train, X_test, y_train, y_test = _load(dataset)
        setting = SETTINGS[kind](X_train, y_train, y_test, random_state)
        if progress is not None:
            print(
                f"[{step}/{len(jobs)}] {name} on {dataset} ({setting.description}) ...",
                file=progress,
                flush=True,
            )
        start = time.perf_counter()
        estimator.fit(X_train, setting.y_weak)
        seconds = time.perf_counter() - start
        if setting.baseline_rows is None:
            baseline = None
        else:
            supervised = _counterpart(estimator).fit(
                X_train[setting.baseline_rows], setting.baseline_y
            )
            baseline = _accuracy(supervised, X_test, setting.y_test)
        oracle = _counterpart(estimator).fit(X_train, setting.y_train)
        rows.append(
            {
                "family": kind,
                "estimator": name,
                "dataset": dataset,
                "weak labels": setting.description,
                "accuracy": _accuracy(estimator, X_test, setting.y_test),
                "supervised baseline": baseline,
                "oracle (all labels)": _accuracy(oracle, X_test, setting.y_test),
                "fit seconds": seconds,
            }
        )
        if progress is not None:
            print(
                f"    accuracy {rows[-1]['accuracy']:.3f} in {seconds:.2f} s",
                file=progress,
                flush=True,
            )
    return rows


def _cell(value):
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def format_markdown(rows):
    """Render tour rows as a markdown table.

    Parameters
    ----------
    rows : list of dict
        Rows from :func:`run_tour`.

    Returns
    -------
    table : str
        The markdown table.

    Examples
    --------
    >>> print(format_markdown([{c: 1.0 for c in COLUMNS}]).splitlines()[2])
    | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 |
    """
    return markdown_table(COLUMNS, [[_cell(row[c]) for c in COLUMNS] for row in rows])


_SERIES = {
    "supervised baseline": "supervised baseline",
    "accuracy": "sklweak",
    "oracle (all labels)": "oracle, all labels",
}
_CHART_COLUMNS = 2
_CHART_WIDTH = 14  # inches, at 100 dpi whatever the number of estimators
_INCHES_PER_ROW = 0.32


def _chart(plt, rows):
    """A grid of panels, one per family: horizontal bars per estimator and data set."""
    families = list(dict.fromkeys(row["family"] for row in rows))
    n_grid_rows = -(-len(families) // _CHART_COLUMNS)
    by_family = {f: [row for row in rows if row["family"] == f] for f in families}
    heights = [
        max(len(by_family[f]) for f in families[i * _CHART_COLUMNS : (i + 1) * _CHART_COLUMNS])
        for i in range(n_grid_rows)
    ]
    fig, axes = plt.subplots(
        n_grid_rows,
        _CHART_COLUMNS,
        squeeze=False,
        figsize=(_CHART_WIDTH, 1.0 + sum(_INCHES_PER_ROW * h + 0.9 for h in heights)),
        gridspec_kw={"height_ratios": heights},
    )
    width = 0.8 / len(_SERIES)
    for ax, family in zip(axes.flat, families):
        family_rows = by_family[family]
        positions = np.arange(len(family_rows))
        for i, (column, legend) in enumerate(_SERIES.items()):
            values = [np.nan if r[column] is None else r[column] for r in family_rows]
            ax.barh(positions + (i - 1) * width, values, width, label=legend)
        ax.set_yticks(
            positions, [f"{r['estimator']} ({r['dataset']})" for r in family_rows], fontsize=8
        )
        ax.invert_yaxis()
        ax.set_xlim(0, 1.0)
        ax.set_title(family, fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    for ax in axes.flat[len(families) :]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("test accuracy", fontsize=9)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", ncols=len(_SERIES), fontsize=9)
    fig.suptitle(
        "sklweak tour: weak labels vs. supervised baselines", x=0.02, ha="left", fontsize=12
    )
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return fig


def write_outputs(rows, out_dir):
    """Write the tour as ``tour.csv`` and a bar chart ``tour.png`` in ``out_dir``.

    The chart is a grid of panels, one per family, 1,400 pixels wide however
    many estimators ran.

    Parameters
    ----------
    rows : list of dict
        Rows from :func:`run_tour`.
    out_dir : str or Path
        Folder to write to; created if needed.

    Returns
    -------
    paths : list of Path
        The files written.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "The tour's chart needs matplotlib: pip install 'sklweak[bench]' "
            "(or pip install matplotlib)."
        ) from exc
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / "tour.csv"
    with open(csv_path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)

    fig = _chart(plt, rows)
    png_path = out_dir / "tour.png"
    fig.savefig(png_path, dpi=100)
    plt.close(fig)
    return [csv_path, png_path]
