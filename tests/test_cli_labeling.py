"""The command line: fit --task labeling-functions on vote columns, then predict."""

import numpy as np
import pytest

from sklweak.__main__ import main

pd = pytest.importorskip("pandas")


@pytest.fixture
def voted_wine(tmp_path):
    from sklearn.datasets import load_wine

    data = load_wine(as_frame=True)
    frame = data.frame.drop(columns="target")
    names = np.array(["barolo", "grignolino", "barbera"])
    votes = {
        "rich_proline": np.where(frame["proline"] > 1000, "barolo", ""),
        "light_colour": np.where(frame["color_intensity"] < 3.5, "grignolino", "-1"),
        "dark_colour": np.where(frame["color_intensity"] > 7.0, "barbera", None),
        "few_flavanoids": np.where(frame["flavanoids"] < 1.0, "barbera", ""),
    }
    table = frame.assign(**votes)
    path = tmp_path / "votes.csv"
    table.to_csv(path, index=False)
    return str(path), names[data.target.to_numpy()], frame


def test_fit_and_predict_from_vote_columns(voted_wine, tmp_path, capsys):
    path, truth, frame = voted_wine
    model = tmp_path / "model.joblib"
    votes = "rich_proline,light_colour,dark_colour,few_flavanoids"
    status = main(
        ["fit", path, "--task", "labeling-functions", "--votes", votes, "--model-out", str(model)]
    )
    assert status == 0
    assert "have a vote from 4 functions" in capsys.readouterr().err
    features = tmp_path / "features.csv"
    frame.to_csv(features, index=False)
    out = tmp_path / "predictions.csv"
    assert main(["predict", str(model), str(features), "--out", str(out)]) == 0
    report = pd.read_csv(out)
    assert set(report["prediction"]) <= {"barolo", "grignolino", "barbera"}
    assert np.mean(report["prediction"].to_numpy() == truth) > 0.8
    assert {"proba_barolo", "proba_barbera", "proba_grignolino"} <= set(report.columns)


def test_labeling_functions_need_vote_columns(voted_wine, tmp_path):
    path, _, _ = voted_wine
    model = str(tmp_path / "model.joblib")
    with pytest.raises(SystemExit, match="--votes"):
        main(["fit", path, "--task", "labeling-functions", "--model-out", model])
    with pytest.raises(SystemExit, match="fewer than two classes"):
        main(
            [
                "fit",
                path,
                "--task",
                "labeling-functions",
                "--votes",
                "rich_proline",
                "--model-out",
                model,
            ]
        )
