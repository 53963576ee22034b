"""The command line: find-label-issues, fit and predict on real tables."""

import numpy as np
import pytest

from sklweak.__main__ import main

pd = pytest.importorskip("pandas")


@pytest.fixture
def wine_table(tmp_path):
    from sklearn.datasets import load_wine

    data = load_wine(as_frame=True)
    frame = data.frame.rename(columns={"target": "kind"})
    frame["kind"] = frame["kind"].map({0: "barolo", 1: "grignolino", 2: "barbera"})
    frame["region"] = np.where(np.arange(len(frame)) % 3 == 0, "north", "south")
    return frame


def _write(frame, tmp_path, name="data.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


def test_find_label_issues_flags_flipped_rows(wine_table, tmp_path):
    rng = np.random.default_rng(0)
    flipped = rng.choice(len(wine_table), size=15, replace=False)
    noisy = wine_table.copy()
    names = np.array(["barolo", "grignolino", "barbera"])
    for row in flipped:
        noisy.loc[row, "kind"] = names[(list(names).index(noisy.loc[row, "kind"]) + 1) % 3]
    out = tmp_path / "issues.csv"
    assert main(["find-label-issues", _write(noisy, tmp_path), "--label", "kind",
                 "--out", str(out)]) == 0
    report = pd.read_csv(out)
    assert list(report.columns[:5]) == [
        "row", "given_label", "suggested_label", "label_quality", "is_label_issue"]
    assert report["is_label_issue"].all()
    assert np.all(np.diff(report["label_quality"]) >= 0)
    found = set(report["row"])
    assert len(found & set(flipped)) >= 12
    assert len(found - set(flipped)) <= 5


def test_find_label_issues_with_annotators(wine_table, tmp_path):
    rng = np.random.default_rng(1)
    truth = wine_table["kind"].to_numpy()
    names = np.array(["barolo", "grignolino", "barbera"])
    frame = wine_table.drop(columns="kind")
    for name, accuracy in [("ann_a", 0.95), ("ann_b", 0.8), ("ann_c", 0.5)]:
        wrong = rng.random(len(truth)) > accuracy
        labels = truth.copy().astype(object)
        labels[wrong] = rng.choice(names, size=wrong.sum())
        labels[rng.random(len(truth)) < 0.2] = None
        frame[name] = labels
    frame.loc[frame[["ann_a", "ann_b", "ann_c"]].isna().all(axis=1), "ann_a"] = "barolo"
    out = tmp_path / "consensus.csv"
    assert main(["find-label-issues", _write(frame, tmp_path),
                 "--annotators", "ann_a,ann_b,ann_c", "--out", str(out)]) == 0
    report = pd.read_csv(out).sort_values("row")
    assert (report["consensus_label"].to_numpy() == truth).mean() > 0.9


def test_fit_predict_pu_round_trip(wine_table, tmp_path):
    frame = wine_table.copy()
    rng = np.random.default_rng(2)
    is_barolo = frame["kind"] == "barolo"
    frame["tag"] = np.where(is_barolo & (rng.random(len(frame)) < 0.6), "barolo", "")
    train = frame.drop(columns="kind")
    model = tmp_path / "pu.joblib"
    assert main(["fit", _write(train, tmp_path), "--task", "pu", "--label", "tag",
                 "--positive", "barolo", "--model-out", str(model)]) == 0
    out = tmp_path / "pred.csv"
    assert main(["predict", str(model), _write(train.drop(columns="tag"), tmp_path, "new.csv"),
                 "--out", str(out)]) == 0
    report = pd.read_csv(out)
    assert set(report.columns) == {"row", "prediction", "proba_negative", "proba_positive"}
    accuracy = ((report["prediction"] == "positive") == is_barolo.to_numpy()).mean()
    assert accuracy > 0.9


def test_fit_semi_supervised_decodes_classes(wine_table, tmp_path):
    frame = wine_table.copy()
    hidden = np.random.default_rng(3).random(len(frame)) < 0.8
    frame.loc[hidden, "kind"] = "?"
    model = tmp_path / "ss.joblib"
    assert main(["fit", _write(frame, tmp_path), "--task", "semi-supervised",
                 "--label", "kind", "--unlabeled-value", "?", "--model-out", str(model)]) == 0
    out = tmp_path / "pred.csv"
    main(["predict", str(model), _write(wine_table, tmp_path, "all.csv"), "--out", str(out)])
    predicted = pd.read_csv(out)["prediction"]
    assert (predicted == wine_table["kind"]).mean() > 0.85


def test_bad_inputs_exit_with_a_message(wine_table, tmp_path):
    path = _write(wine_table, tmp_path)
    with pytest.raises(SystemExit, match="not in the table"):
        main(["find-label-issues", path, "--label", "nope"])
    with pytest.raises(SystemExit, match="--positive"):
        main(["fit", path, "--task", "pu", "--label", "kind",
              "--model-out", str(tmp_path / "m")])
    with pytest.raises(SystemExit, match="not a pu method"):
        main(["fit", path, "--task", "pu", "--label", "kind", "--positive", "barolo",
              "--method", "LabelSpreading", "--model-out", str(tmp_path / "m")])
    with pytest.raises(SystemExit, match="unknown table format"):
        main(["find-label-issues", str(tmp_path / "data.xlsx"), "--label", "kind"])


def test_fit_llp_from_bag_proportions(wine_table, tmp_path):
    frame = wine_table.copy()
    rng = np.random.default_rng(4)
    frame["batch"] = rng.permutation(len(frame)) // 6
    shares = pd.crosstab(frame["batch"], frame["kind"], normalize="index").reset_index()
    proportions = tmp_path / "bags.csv"
    shares.to_csv(proportions, index=False)
    train = frame.drop(columns="kind")
    model = tmp_path / "llp.joblib"
    assert main(["fit", _write(train, tmp_path), "--task", "llp", "--bag", "batch",
                 "--proportions", str(proportions), "--model-out", str(model)]) == 0
    out = tmp_path / "pred.csv"
    main(["predict", str(model), _write(wine_table.drop(columns="kind"), tmp_path, "x.csv"),
          "--out", str(out)])
    predicted = pd.read_csv(out)["prediction"]
    assert set(predicted) <= {"barbera", "barolo", "grignolino"}
    assert (predicted == wine_table["kind"]).mean() > 0.8
