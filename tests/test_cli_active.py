"""The command line's suggest-labels: which rows of a table to label next."""

import io

import numpy as np
import pytest

from sklweak.__main__ import main

pd = pytest.importorskip("pandas")


@pytest.fixture
def partly_labeled(tmp_path):
    from sklearn.datasets import load_wine

    frame = load_wine(as_frame=True).frame.rename(columns={"target": "kind"})
    frame["kind"] = frame["kind"].map({0: "barolo", 1: "grignolino", 2: "barbera"}).astype(object)
    keep = frame.groupby("kind").head(3).index
    frame.loc[~frame.index.isin(keep), "kind"] = np.where(
        np.arange(len(frame) - len(keep)) % 2 == 0, "-1", None
    )
    path = tmp_path / "wine.csv"
    frame.to_csv(path, index=False)
    return frame, str(path)


def test_suggest_labels_writes_unlabeled_rows_ranked(partly_labeled, tmp_path, capsys):
    frame, path = partly_labeled
    out = tmp_path / "to_label.csv"
    assert main(["suggest-labels", path, "--label", "kind", "--n", "12", "--out", str(out)]) == 0
    suggested = pd.read_csv(out)
    assert suggested["rank"].tolist() == list(range(1, 13))
    assert suggested["row"].nunique() == 12
    labeled_rows = set(frame.index[frame["kind"].isin(["barolo", "grignolino", "barbera"])])
    assert not labeled_rows & set(suggested["row"])
    assert "12 of 169 unlabeled rows suggested" in capsys.readouterr().err


def test_a_single_labeled_class_falls_back_to_a_cold_start(partly_labeled, tmp_path, capsys):
    frame, _ = partly_labeled
    one_class = frame.copy()
    one_class.loc[one_class["kind"].isin(["grignolino", "barbera"]), "kind"] = "-1"
    path = tmp_path / "one.csv"
    one_class.to_csv(path, index=False)
    assert main(["suggest-labels", str(path), "--label", "kind", "--n", "5"]) == 0
    captured = capsys.readouterr()
    assert "typiclust" in captured.err
    assert len(pd.read_csv(io.StringIO(captured.out))) == 5


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--n", "500"], "more than the 169 unlabeled rows"),
        (["--strategy", "bald"], "invalid choice"),
    ],
)
def test_bad_requests_are_refused(partly_labeled, extra, message, capsys):
    _, path = partly_labeled
    with pytest.raises(SystemExit) as exit_info:
        main(["suggest-labels", path, "--label", "kind", *extra])
    assert message in f"{exit_info.value} {capsys.readouterr().err}"


def test_a_fully_labeled_table_has_nothing_to_suggest(tmp_path):
    from sklearn.datasets import load_iris

    path = tmp_path / "iris.csv"
    load_iris(as_frame=True).frame.to_csv(path, index=False)
    with pytest.raises(SystemExit, match="no unlabeled row"):
        main(["suggest-labels", str(path), "--label", "target"])
