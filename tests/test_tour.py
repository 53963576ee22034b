import csv

import pytest

from sklweak import show_versions
from sklweak.__main__ import main
from sklweak._tour import COLUMNS, format_markdown, run_tour, write_outputs


@pytest.fixture(scope="module")
def rows():
    return run_tour(estimators=["SelfTrainingClassifier"], progress=None)


def test_tour_rows_are_sane(rows):
    assert [r["dataset"] for r in rows] == ["digits", "breast_cancer"]
    for row in rows:
        assert set(row) == set(COLUMNS)
        assert row["family"] == "semi-supervised"
        assert 0.5 < row["accuracy"] <= 1.0
        assert row["supervised baseline"] <= row["oracle (all labels)"] + 0.02
        assert row["fit seconds"] > 0


def test_tour_table_and_files(rows, tmp_path):
    table = format_markdown(rows)
    assert table.count("\n") == len(rows) + 1
    assert "SelfTrainingClassifier" in table
    paths = write_outputs(rows, tmp_path / "out")
    with open(paths[0]) as handle:
        assert len(list(csv.DictReader(handle))) == len(rows)
    assert paths[1].read_bytes()[:4] == b"\x89PNG"


def test_tour_rejects_unknown_estimator():
    with pytest.raises(ValueError, match="Unknown estimators"):
        run_tour(estimators=["NoSuchClassifier"], progress=None)


def test_command_line(capsys, tmp_path):
    assert main(["tour", "--estimator", "SelfTrainingClassifier", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("| family |")
    assert "[1/2] SelfTrainingClassifier on digits" in captured.err
    assert (tmp_path / "tour.png").exists()


def test_show_versions_lists_kernels(capsys):
    show_versions()
    out = capsys.readouterr().out
    assert "sklearn" in out and "Compiled kernels" in out
    assert "sklweak.graph._propagation" in out
