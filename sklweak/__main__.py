"""Command line: ``python -m sklweak tour [--out DIR]``."""

import argparse
import sys

__all__ = ["main"]


def _tour(args):
    from ._tour import format_markdown, run_tour, write_outputs

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
    parser = argparse.ArgumentParser(
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
        "--estimator", action="append", metavar="NAME",
        help="run only this estimator (repeatable)",
    )
    tour.set_defaults(handler=_tour)
    versions = commands.add_parser("versions", help="print versions and compiled kernels")
    versions.set_defaults(handler=_versions)
    return parser


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
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
