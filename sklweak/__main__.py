"""Command line: ``python -m sklweak`` (installed as ``sklweak``).

Subcommands: ``find-label-issues``, ``fit``, ``predict``, ``suggest-labels``, ``tour``,
``versions``.
"""

import argparse
import os
import sys
import warnings

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, pointing at ``--help``."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _at_least_two(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 2:
        raise argparse.ArgumentTypeError(f"needs at least 2 folds, got {value}")
    return value


def _prepare_tour_folder(folder):
    """Fail before the tour runs if its chart or its folder cannot be written."""
    import importlib.util
    from pathlib import Path

    if importlib.util.find_spec("matplotlib") is None:
        raise SystemExit("tour --out draws tour.png with matplotlib: pip install matplotlib")
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SystemExit(f"tour --out {folder}: cannot create the folder ({exc.strerror})") from exc


def _tour(args):
    from ._tour import format_markdown, run_tour, write_outputs
    from .utils import all_estimators

    registered = sorted(name for name, _ in all_estimators())
    unknown = sorted(set(args.estimator or ()) - set(registered))
    if unknown:
        raise SystemExit(
            f"tour --estimator: unknown estimator(s) {unknown}; choose from {registered}"
        )
    if args.out:
        _prepare_tour_folder(args.out)
    rows = run_tour(
        random_state=args.random_state,
        estimators=args.estimator or None,
        progress=sys.stderr,
    )
    print(format_markdown(rows))
    if args.out:
        for path in write_outputs(rows, args.out):
            print(f"wrote {path}", file=sys.stderr)
    return 0


def _versions(args):
    from . import show_versions

    show_versions()
    return 0


ENCODINGS = """\
how the weak labels are read from a table:
  find-label-issues  --label COL: the given (maybe wrong) label of each row;
                     --annotators A,B,C: one column per annotator, empty where
                     that annotator did not label the row.
  fit --task semi-supervised --label COL: rows whose label is -1 (the
                     library's contract), empty, NA, or --unlabeled-value are
                     unlabeled; every other value is a class.
  fit --task pu --label COL --positive VALUE: rows whose label equals VALUE are
                     labeled positives; every other row is unlabeled. The
                     predictions are VALUE or the negative class: the one
                     other value of the column, or --negative VALUE.
  fit --task llp --bag COL --proportions FILE: FILE has the bag column and one
                     column per class holding that class's share in the bag.
  fit --task labeling-functions --votes A,B,C: one column per labeling
                     function holding the class it votes, empty, NA or -1
                     where it abstains.
Features are every other column (or --features A,B,...), except --exclude
A,B,... and ID-like columns (every value distinct, not numeric; dropped with a
warning unless named in --features). Numeric columns are imputed and
standardized, with ?, NA and empty cells read as missing; anything else is
one-hot encoded. Tables: .csv, .tsv, .parquet.
"""


def _add_common(parser):
    parser.add_argument(
        "--features", metavar="COLS", help="comma-separated feature columns (default: all others)"
    )
    parser.add_argument(
        "--exclude", metavar="COLS", help="comma-separated columns never used as features"
    )
    parser.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    parser.add_argument(
        "--n-jobs", type=int, default=None, help="parallel jobs where the method has them"
    )


def build_parser():
    """Build the argument parser of ``python -m sklweak``.

    Returns
    -------
    parser : argparse.ArgumentParser
        The parser with its subcommands.

    Examples
    --------
    >>> build_parser().parse_args(["tour", "--out", "results"]).out
    'results'
    """
    parser = _Parser(
        prog="sklweak",
        description="Learn from weak labels with scikit-learn estimators.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    tour = commands.add_parser(
        "tour",
        help="run every estimator on bundled data with simulated weak labels",
        description=(
            "Fit every registered estimator on scikit-learn's digits and breast "
            "cancer data with simulated weak labels and print a markdown table: "
            "accuracy next to the supervised model trained on the labeled part "
            "and the oracle trained on all true labels."
        ),
    )
    tour.add_argument("--out", metavar="DIR", help="also write tour.csv and tour.png to DIR")
    tour.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    tour.add_argument(
        "--estimator",
        action="append",
        metavar="NAME",
        help="run only this estimator (repeatable)",
    )
    tour.set_defaults(handler=_tour)
    versions = commands.add_parser(
        "versions",
        help="print versions and compiled kernels",
        description=(
            "Print the versions of Python, sklweak and its dependencies, and "
            "which Cython kernels are compiled (the rest fall back to NumPy); "
            "paste it into bug reports."
        ),
    )
    versions.set_defaults(handler=_versions)
    _add_jobs(commands)
    return parser


def _add_jobs(commands):
    from argparse import RawDescriptionHelpFormatter

    from ._cli_jobs import TASKS, find_label_issues_job, fit_job, predict_job

    issues = commands.add_parser(
        "find-label-issues",
        help="rank a table's rows by label quality",
        description=(
            "Fit a model by cross-validation, then flag the rows whose label is "
            "likely wrong (confident learning) and write them ranked by label "
            "quality, worst first. With --annotators, write every row's "
            "consensus label ranked by consensus quality instead."
        ),
        epilog=ENCODINGS,
        formatter_class=RawDescriptionHelpFormatter,
    )
    issues.add_argument("data", help="CSV, TSV or Parquet table")
    issues.add_argument("--label", metavar="COL", help="the label column")
    issues.add_argument("--annotators", metavar="COLS", help="comma-separated annotator columns")
    issues.add_argument("--out", metavar="FILE", help="output table (default: stdout CSV)")
    issues.add_argument("--all", action="store_true", help="write every row, not only flagged ones")
    issues.add_argument(
        "--model",
        choices=["logistic", "gradient-boosting"],
        default="logistic",
        help="model for the probabilities",
    )
    issues.add_argument(
        "--cv", type=_at_least_two, default=5, help="cross-validation folds, at least 2 (default 5)"
    )
    issues.add_argument(
        "--filter-by",
        default="prune_by_noise_rate",
        choices=[
            "prune_by_noise_rate",
            "prune_by_class",
            "both",
            "confident_learning",
            "predicted_neq_given",
        ],
        help=(
            "which rows are flagged: prune_by_noise_rate (default): "
            "for each pair of given and likely true class, as many "
            "rows as the confident joint estimates, largest margin "
            "first; prune_by_class: per given class, as many, lowest "
            "self-confidence first; both: rows flagged by both; "
            "confident_learning: rows off the confident joint's "
            "diagonal; predicted_neq_given: rows whose most likely "
            "class is not their label"
        ),
    )
    issues.add_argument(
        "--score",
        default="self_confidence",
        choices=["self_confidence", "normalized_margin", "confidence_weighted_entropy"],
        help="label-quality score used for the ranking",
    )
    _add_common(issues)
    issues.set_defaults(handler=find_label_issues_job)

    fit = commands.add_parser(
        "fit",
        help="fit a semi-supervised, PU, LLP or labeling-function model and save it",
        description="Fit a weak-label model on a table and save it with joblib.",
        epilog=ENCODINGS,
        formatter_class=RawDescriptionHelpFormatter,
    )
    fit.add_argument("data", help="CSV, TSV or Parquet table")
    fit.add_argument(
        "--task",
        required=True,
        choices=sorted(TASKS),
        help="the kind of weak labels in the table (see below)",
    )
    fit.add_argument("--model-out", required=True, metavar="FILE", help="where to save the model")
    fit.add_argument(
        "--method",
        metavar="NAME",
        help=(
            "estimator class; defaults: "
            + ", ".join(f"{task}: {name}" for task, (_, name) in sorted(TASKS.items()))
        ),
    )
    fit.add_argument("--label", metavar="COL", help="label column (semi-supervised, pu)")
    fit.add_argument(
        "--unlabeled-value",
        metavar="VALUE",
        help="a further label value meaning unlabeled (besides -1, "
        "empty and NA cells; semi-supervised)",
    )
    fit.add_argument("--positive", metavar="VALUE", help="label value of the positives (pu)")
    fit.add_argument(
        "--negative",
        metavar="VALUE",
        help="name of the predicted negative class (pu; default: the "
        "one value of the label column besides --positive)",
    )
    fit.add_argument("--bag", metavar="COL", help="bag column (llp)")
    fit.add_argument("--proportions", metavar="FILE", help="bag proportions table (llp)")
    fit.add_argument(
        "--votes", metavar="COLS", help="comma-separated vote columns (labeling-functions)"
    )
    _add_common(fit)
    fit.set_defaults(handler=fit_job)

    predict = commands.add_parser(
        "predict",
        help="predict a table with a model saved by fit",
        description="Write each row's predicted class and class probabilities.",
    )
    predict.add_argument("model", help="file written by `sklweak fit --model-out`")
    predict.add_argument("data", help="CSV, TSV or Parquet table")
    predict.add_argument("--out", metavar="FILE", help="output table (default: stdout CSV)")
    predict.add_argument(
        "--keep-columns", action="store_true", help="copy the input columns into the output"
    )
    predict.set_defaults(handler=predict_job)
    _add_suggest_labels(commands)


def _add_suggest_labels(commands):
    from ._cli_jobs import suggest_labels_job
    from .active._suggest import STRATEGIES

    suggest = commands.add_parser(
        "suggest-labels",
        help="choose the unlabeled rows of a table to label next",
        description=(
            "Rank the rows whose label is -1, empty or NA (or --unlabeled-value) by how "
            "much their label should teach the model (active learning) and write the "
            "--n best, best first, with their row number and rank."
        ),
    )
    suggest.add_argument("data", help="CSV, TSV or Parquet table")
    suggest.add_argument("--label", required=True, metavar="COL", help="the label column")
    suggest.add_argument("--n", type=int, default=50, help="rows to suggest (default 50)")
    suggest.add_argument("--out", metavar="FILE", help="output table (default: stdout CSV)")
    suggest.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="auto",
        help="query strategy of sklweak.active.suggest_labels (default auto)",
    )
    suggest.add_argument(
        "--unlabeled-value", metavar="VALUE", help="a further label value meaning unlabeled"
    )
    suggest.add_argument(
        "--model",
        choices=["logistic", "gradient-boosting"],
        default="logistic",
        help="model whose uncertainty ranks the rows",
    )
    _add_common(suggest)
    suggest.set_defaults(handler=suggest_labels_job)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """Warnings as one line on stderr, without the source line of a traceback."""
    text = " ".join(str(message).split())
    print(f"warning: {category.__name__}: {text}", file=sys.stderr if file is None else file)


def main(argv=None):
    """Run the command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; ``sys.argv[1:]`` by default.

    Returns
    -------
    status : int
        Exit status.
    """
    args = build_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            status = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return status
    except BrokenPipeError:
        # The reader (``| head``) left: stop writing, and keep Python from
        # failing again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        print("sklweak: output closed by the reader; stopped", file=sys.stderr)
        return 141
    except KeyboardInterrupt:
        print("sklweak: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("SKLWEAK_TRACEBACK"):
            raise
        message = " ".join(str(exc).split())
        raise SystemExit(
            f"sklweak {args.command}: {type(exc).__name__}: {message} "
            "(SKLWEAK_TRACEBACK=1 shows where)"
        ) from exc


if __name__ == "__main__":
    sys.exit(main())
