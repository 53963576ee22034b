"""The command line on bad input: one line on stderr and a non-zero exit, never a traceback."""

import struct
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from sklweak import _cli_jobs
from sklweak.__main__ import build_parser, main

pd = pytest.importorskip("pandas")


@pytest.fixture
def table(tmp_path):
    from sklearn.datasets import load_wine

    frame = load_wine(as_frame=True).frame.rename(columns={"target": "kind"})
    path = tmp_path / "wine.csv"
    frame.to_csv(path, index=False)
    return str(path)


@pytest.fixture
def model(table, tmp_path):
    path = tmp_path / "model.joblib"
    assert (
        main(
            ["fit", table, "--task", "semi-supervised", "--label", "kind", "--model-out", str(path)]
        )
        == 0
    )
    return str(path)


def _one_line_exit(argv, match):
    """``main(argv)`` stops with a one-line message matching ``match``."""
    with pytest.raises(SystemExit, match=match) as stopped:
        main(argv)
    message = stopped.value.code
    assert isinstance(message, str) and "\n" not in message
    return message


def _command(*args):
    return [sys.executable, "-m", "sklweak", *args]


def _run(args, cwd):
    # Outside the source folder, so that the installed (compiled) package runs.
    return subprocess.run(_command(*args), capture_output=True, text=True, check=False, cwd=cwd)


def _assert_one_line_error(completed):
    assert completed.returncode != 0
    assert "Traceback" not in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1, completed.stderr


def test_swapped_predict_arguments(model, table):
    _one_line_exit(["predict", table, model], "the order is `sklweak predict MODEL DATA`")


def test_a_table_given_as_the_model(table, tmp_path):
    renamed = tmp_path / "wine.joblib"
    renamed.write_bytes(Path(table).read_bytes())
    _one_line_exit(["predict", str(renamed), table], "not a model written by `sklweak fit`")


def test_missing_model_file(table, tmp_path):
    _one_line_exit(["predict", str(tmp_path / "nope.joblib"), table], "no such model file")


def test_empty_and_header_only_tables(model, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    _one_line_exit(["predict", model, str(empty)], "the file is empty")
    header = tmp_path / "header.csv"
    header.write_text("alcohol,ash\n")
    _one_line_exit(
        [
            "fit",
            str(header),
            "--task",
            "semi-supervised",
            "--label",
            "ash",
            "--model-out",
            str(tmp_path / "m.joblib"),
        ],
        "has no rows",
    )


@pytest.mark.parametrize("folds", ["1", "0", "two"])
def test_cross_validation_needs_two_folds(table, capsys, folds):
    with pytest.raises(SystemExit) as stopped:
        main(["find-label-issues", table, "--label", "kind", "--cv", folds])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "argument --cv" in err and len(err.strip().splitlines()) == 1


def test_output_folder_is_checked_before_any_work(table, model, tmp_path, monkeypatch):
    def no_work(*args, **kwargs):
        raise AssertionError("the table was read before the output was checked")

    monkeypatch.setattr(_cli_jobs, "read_table", no_work)
    missing = tmp_path / "no" / "such"
    _one_line_exit(
        ["find-label-issues", table, "--label", "kind", "--out", str(missing / "issues.csv")],
        "does not exist",
    )
    _one_line_exit(["predict", model, table, "--out", str(missing / "p.csv")], "does not exist")
    _one_line_exit(
        [
            "fit",
            table,
            "--task",
            "semi-supervised",
            "--label",
            "kind",
            "--model-out",
            str(missing / "m.joblib"),
        ],
        "does not exist",
    )
    _one_line_exit(
        ["predict", model, table, "--out", str(tmp_path / "p.xlsx")], "unknown table format"
    )


def test_tour_with_an_unknown_estimator(tmp_path, monkeypatch):
    from sklweak import _tour

    monkeypatch.setattr(_tour, "run_tour", lambda **kwargs: pytest.fail("tour ran"))
    _one_line_exit(["tour", "--estimator", "Foo"], r"unknown estimator\(s\) \['Foo'\]")
    a_file = tmp_path / "results"
    a_file.write_text("")
    _one_line_exit(["tour", "--out", str(a_file)], "cannot create the folder")


def test_unexpected_errors_become_one_line(table, monkeypatch):
    class Broken:
        def fit(self, X, y):
            raise ValueError("first line\nsecond line")

    monkeypatch.setattr(_cli_jobs, "_pipeline", lambda *args: Broken())
    message = _one_line_exit(
        [
            "fit",
            table,
            "--task",
            "semi-supervised",
            "--label",
            "kind",
            "--model-out",
            table.replace(".csv", ".joblib"),
        ],
        "ValueError: first line second line",
    )
    assert message.startswith("sklweak fit: ")
    monkeypatch.setenv("SKLWEAK_TRACEBACK", "1")
    with pytest.raises(ValueError, match="second line"):
        main(
            [
                "fit",
                table,
                "--task",
                "semi-supervised",
                "--label",
                "kind",
                "--model-out",
                table.replace(".csv", ".joblib"),
            ]
        )


def test_usage_errors_are_one_line(tmp_path):
    completed = _run(["fit", "data.csv"], tmp_path)
    assert completed.returncode == 2
    _assert_one_line_error(completed)
    assert "--task" in completed.stderr and "--help" in completed.stderr


def test_swapped_arguments_in_a_real_process(model, table, tmp_path):
    _assert_one_line_error(_run(["predict", table, model], tmp_path))


def test_reader_closing_the_pipe(model, tmp_path):
    big = tmp_path / "big.csv"
    frame = pd.read_csv(model.replace("model.joblib", "wine.csv"))
    pd.concat([frame] * 200).to_csv(big, index=False)
    reader = subprocess.Popen(
        ["head", "-n", "2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    writer = subprocess.run(
        _command("predict", model, str(big)),
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    reader.stdin.close()
    assert len(reader.stdout.read().splitlines()) == 2
    reader.wait()
    _assert_one_line_error(writer)
    assert "output closed" in writer.stderr


def test_filter_by_and_versions_are_explained(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    help_of = {action.dest: action.help for action in commands["find-label-issues"]._actions}
    assert "predicted_neq_given" in help_of["filter_by"]
    assert "kernels" in commands["versions"].description


def test_convergence_warnings_do_not_ask_to_scale(capsys):
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            warnings.warn(
                "An SVM fit did not reach tol=0.001 within 200 coordinate-"
                "descent epochs; scale the features or raise tol.",
                ConvergenceWarning,
            )
        warnings.warn("something else", UserWarning)
    _cli_jobs._explain(caught, "TSVMClassifier")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("warning: TSVMClassifier did not fully converge: An SVM fit")
    assert "scale the features" not in lines[0]
    assert "already standardizes" in lines[0]
    assert lines[1] == "warning: something else"


def test_fit_reports_the_estimators_warnings_in_one_line(table, tmp_path, capsys, monkeypatch):
    from sklearn.exceptions import ConvergenceWarning

    from sklweak.lowdensity import TSVMClassifier

    original = TSVMClassifier.fit

    def fit_that_warns(self, X, y, **kwargs):
        warnings.warn("did not reach tol; scale the features or raise tol.", ConvergenceWarning)
        return original(self, X, y, **kwargs)

    monkeypatch.setattr(TSVMClassifier, "fit", fit_that_warns)
    assert (
        main(
            [
                "fit",
                table,
                "--task",
                "semi-supervised",
                "--label",
                "kind",
                "--method",
                "TSVMClassifier",
                "--model-out",
                str(tmp_path / "m"),
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "warning: TSVMClassifier did not fully converge" in err
    assert "scale the features" not in err


def test_warnings_of_a_tour_are_one_line_each(capsys):
    from sklweak import _tour

    def tour_that_warns(**kwargs):
        warnings.warn("stopped at max_iter=30\nwith 5 samples unlabeled", UserWarning)
        return []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_tour, "run_tour", tour_that_warns)
        assert main(["tour"]) == 0
    err = capsys.readouterr().err
    assert err == "warning: UserWarning: stopped at max_iter=30 with 5 samples unlabeled\n"


def _png_size(path):
    with open(path, "rb") as handle:
        header = handle.read(24)
    return struct.unpack(">II", header[16:24])


def test_tour_chart_is_a_readable_grid(tmp_path):
    from sklweak._tour import write_outputs

    rng = np.random.default_rng(0)
    families = ["semi-supervised"] * 9 + ["pu"] * 5 + ["noise"] * 3 + ["llp"] * 4
    rows = [
        {
            "family": family,
            "estimator": f"Estimator{i}",
            "dataset": dataset,
            "weak labels": "-",
            "accuracy": rng.random(),
            "supervised baseline": rng.random(),
            "oracle (all labels)": rng.random(),
            "fit seconds": 0.1,
        }
        for i, family in enumerate(families)
        for dataset in ["digits", "breast_cancer"]
    ]
    width, height = _png_size(write_outputs(rows, tmp_path)[1])
    assert width <= 1600 and height <= 2400
