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
    assert (
        main(["find-label-issues", _write(noisy, tmp_path), "--label", "kind", "--out", str(out)])
        == 0
    )
    report = pd.read_csv(out)
    assert list(report.columns[:5]) == [
        "row",
        "given_label",
        "suggested_label",
        "label_quality",
        "is_label_issue",
    ]
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
    assert (
        main(
            [
                "find-label-issues",
                _write(frame, tmp_path),
                "--annotators",
                "ann_a,ann_b,ann_c",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    report = pd.read_csv(out).sort_values("row")
    assert (report["consensus_label"].to_numpy() == truth).mean() > 0.9


def _pu_table(wine_table, other):
    frame = wine_table.copy()
    rng = np.random.default_rng(2)
    is_barolo = frame["kind"] == "barolo"
    frame["tag"] = np.where(is_barolo & (rng.random(len(frame)) < 0.6), "barolo", other)
    return frame.drop(columns="kind"), is_barolo.to_numpy()


@pytest.mark.parametrize("other", ["wine", ""])
def test_fit_predict_pu_round_trip_in_the_users_values(wine_table, tmp_path, capsys, other):
    train, is_barolo = _pu_table(wine_table, other)
    negative = [] if other else ["--negative", "not barolo"]
    model = tmp_path / "pu.joblib"
    assert (
        main(
            [
                "fit",
                _write(train, tmp_path),
                "--task",
                "pu",
                "--label",
                "tag",
                "--positive",
                "barolo",
                "--model-out",
                str(model),
                *negative,
            ]
        )
        == 0
    )
    assert "labeled positives (barolo)" in capsys.readouterr().err
    out = tmp_path / "pred.csv"
    assert (
        main(
            [
                "predict",
                str(model),
                _write(train.drop(columns="tag"), tmp_path, "new.csv"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    report = pd.read_csv(out, keep_default_na=False)
    name = other or "not barolo"
    assert set(report.columns) == {"row", "prediction", f"proba_{name}", "proba_barolo"}
    assert set(report["prediction"]) == {"barolo", name}
    accuracy = ((report["prediction"] == "barolo") == is_barolo).mean()
    assert accuracy > 0.9


@pytest.mark.parametrize("negative", [0, None])
def test_pu_keeps_numeric_labels(wine_table, tmp_path, negative):
    train, _ = _pu_table(wine_table, "x")
    train["tag"] = np.where(train["tag"] == "barolo", 1, negative).astype(float)
    option = [] if negative == 0 else ["--negative", "0"]
    model = tmp_path / "pu.joblib"
    main(
        [
            "fit",
            _write(train, tmp_path),
            "--task",
            "pu",
            "--label",
            "tag",
            "--positive",
            "1",
            "--model-out",
            str(model),
            *option,
        ]
    )
    out = tmp_path / "pred.csv"
    main(["predict", str(model), _write(train, tmp_path, "new.csv"), "--out", str(out)])
    report = pd.read_csv(out)
    assert set(report["prediction"]) == {0, 1}
    assert {"proba_0", "proba_1"} <= set(report.columns)


def test_pu_asks_for_the_negative_name_when_it_is_ambiguous(wine_table, tmp_path):
    train, _ = _pu_table(wine_table, "")
    path = _write(train, tmp_path)
    with pytest.raises(SystemExit, match="holds 'barolo' and no other value.*--negative"):
        main(
            [
                "fit",
                path,
                "--task",
                "pu",
                "--label",
                "tag",
                "--positive",
                "barolo",
                "--model-out",
                str(tmp_path / "m"),
            ]
        )
    train["tag"] = wine_table["kind"]
    with pytest.raises(SystemExit, match="--negative VALUE"):
        main(
            [
                "fit",
                _write(train, tmp_path),
                "--task",
                "pu",
                "--label",
                "tag",
                "--positive",
                "barolo",
                "--model-out",
                str(tmp_path / "m"),
            ]
        )
    with pytest.raises(SystemExit, match="same value"):
        main(
            [
                "fit",
                path,
                "--task",
                "pu",
                "--label",
                "tag",
                "--positive",
                "barolo",
                "--negative",
                "barolo",
                "--model-out",
                str(tmp_path / "m"),
            ]
        )


def _predicted_classes(model, table, tmp_path):
    out = tmp_path / "pred.csv"
    assert main(["predict", str(model), _write(table, tmp_path, "all.csv"), "--out", str(out)]) == 0
    return pd.read_csv(out, dtype={"prediction": str})["prediction"]


@pytest.mark.parametrize("marker", [-1, "-1", "?"], ids=["int -1", "text -1", "?"])
def test_fit_semi_supervised_decodes_classes(wine_table, tmp_path, capsys, marker):
    frame = wine_table.copy().astype({"kind": object})
    hidden = np.random.default_rng(3).random(len(frame)) < 0.8
    frame.loc[hidden, "kind"] = marker
    option = ["--unlabeled-value", "?"] if marker == "?" else []
    model = tmp_path / "ss.joblib"
    assert (
        main(
            [
                "fit",
                _write(frame, tmp_path),
                "--task",
                "semi-supervised",
                "--label",
                "kind",
                *option,
                "--model-out",
                str(model),
            ]
        )
        == 0
    )
    n_labeled = int((~hidden).sum())
    assert f"{n_labeled} labeled rows, {hidden.sum()} unlabeled" in capsys.readouterr().err
    predicted = _predicted_classes(model, wine_table, tmp_path)
    assert set(predicted) == {"barolo", "grignolino", "barbera"}
    assert (predicted == wine_table["kind"]).mean() > 0.85


def test_semi_supervised_minus_one_next_to_integer_classes(wine_table, tmp_path, capsys):
    frame = wine_table.copy()
    frame["kind"] = frame["kind"].map({"barolo": 1, "grignolino": 2, "barbera": 3})
    hidden = np.random.default_rng(5).random(len(frame)) < 0.7
    frame.loc[hidden, "kind"] = -1
    frame.loc[np.flatnonzero(hidden)[:10], "kind"] = np.nan
    model = tmp_path / "ss.joblib"
    assert (
        main(
            [
                "fit",
                _write(frame, tmp_path),
                "--task",
                "semi-supervised",
                "--label",
                "kind",
                "--model-out",
                str(model),
            ]
        )
        == 0
    )
    assert f"{(~hidden).sum()} labeled rows" in capsys.readouterr().err
    assert set(_predicted_classes(model, frame, tmp_path)) == {"1", "2", "3"}


def test_minus_one_as_a_class_is_explained(wine_table, tmp_path):
    frame = wine_table.copy()
    frame["kind"] = np.where(frame["kind"] == "barolo", 1, -1)
    frame.loc[::2, "kind"] = None
    with pytest.raises(SystemExit, match="hold one class \\(1\\).*recode a class named -1"):
        main(
            [
                "fit",
                _write(frame, tmp_path),
                "--task",
                "semi-supervised",
                "--label",
                "kind",
                "--model-out",
                str(tmp_path / "m.joblib"),
            ]
        )


def test_semi_supervised_empty_and_na_cells_are_unlabeled(wine_table, tmp_path, capsys):
    frame = wine_table.copy().astype({"kind": object})
    position = np.arange(len(frame)) % 4
    frame.loc[position == 1, "kind"] = None  # written as an empty cell
    frame.loc[position == 2, "kind"] = "NA"
    frame.loc[position == 3, "kind"] = "N/A"
    main(
        [
            "fit",
            _write(frame, tmp_path),
            "--task",
            "semi-supervised",
            "--label",
            "kind",
            "--model-out",
            str(tmp_path / "m.joblib"),
        ]
    )
    labeled = int((position == 0).sum())
    assert f"{labeled} labeled rows, {len(frame) - labeled} unlabeled" in (capsys.readouterr().err)


def _fitted_features(model_path):
    import joblib

    bundle = joblib.load(model_path)
    return bundle["features"], bundle["model"][0]


def test_missing_tokens_in_a_numeric_column_stay_numeric(wine_table, tmp_path):
    frame = wine_table.copy().astype({"alcohol": object, "ash": object})
    frame.loc[[3, 50], "alcohol"] = "?"
    frame.loc[7, "ash"] = "NA"
    frame.loc[9, "ash"] = " "
    model = tmp_path / "m.joblib"
    main(
        [
            "find-label-issues",
            _write(frame, tmp_path),
            "--label",
            "kind",
            "--out",
            str(tmp_path / "issues.csv"),
        ]
    )
    main(
        [
            "fit",
            _write(frame, tmp_path),
            "--task",
            "semi-supervised",
            "--label",
            "kind",
            "--model-out",
            str(model),
        ]
    )
    features, transformer = _fitted_features(model)
    # 13 numeric columns plus region's two categories: nothing one-hot encoded
    # out of alcohol or ash.
    assert transformer.transform(frame[features]).shape == (len(frame), 15)
    assert np.isfinite(transformer.transform(frame[features])).all()


def test_id_like_columns_are_dropped_with_a_warning(wine_table, tmp_path, capsys):
    frame = wine_table.copy()
    frame.insert(0, "sample_id", [f"w{i:04d}" for i in range(len(frame))])
    model = tmp_path / "m.joblib"
    main(
        [
            "fit",
            _write(frame, tmp_path),
            "--task",
            "semi-supervised",
            "--label",
            "kind",
            "--model-out",
            str(model),
        ]
    )
    assert "column 'sample_id' looks like an ID" in capsys.readouterr().err
    assert "sample_id" not in _fitted_features(model)[0]
    main(
        [
            "fit",
            _write(frame, tmp_path),
            "--task",
            "semi-supervised",
            "--label",
            "kind",
            "--features",
            "sample_id,alcohol",
            "--model-out",
            str(model),
        ]
    )
    assert _fitted_features(model)[0] == ["sample_id", "alcohol"]
    assert "looks like an ID" not in capsys.readouterr().err


def test_exclude_leaves_columns_out(wine_table, tmp_path):
    model = tmp_path / "m.joblib"
    main(
        [
            "fit",
            _write(wine_table, tmp_path),
            "--task",
            "semi-supervised",
            "--label",
            "kind",
            "--exclude",
            "region, proline",
            "--model-out",
            str(model),
        ]
    )
    features = _fitted_features(model)[0]
    assert "region" not in features and "proline" not in features
    assert len(features) == len(wine_table.columns) - 3
    with pytest.raises(SystemExit, match=r"not in the table"):
        main(
            [
                "fit",
                _write(wine_table, tmp_path),
                "--task",
                "semi-supervised",
                "--label",
                "kind",
                "--exclude",
                "nope",
                "--model-out",
                str(model),
            ]
        )
    with pytest.raises(SystemExit, match="both in --features and --exclude"):
        main(
            [
                "fit",
                _write(wine_table, tmp_path),
                "--task",
                "semi-supervised",
                "--label",
                "kind",
                "--features",
                "alcohol",
                "--exclude",
                "alcohol",
                "--model-out",
                str(model),
            ]
        )


def test_bad_inputs_exit_with_a_message(wine_table, tmp_path):
    path = _write(wine_table, tmp_path)
    with pytest.raises(SystemExit, match="not in the table"):
        main(["find-label-issues", path, "--label", "nope"])
    with pytest.raises(SystemExit, match="--positive"):
        main(["fit", path, "--task", "pu", "--label", "kind", "--model-out", str(tmp_path / "m")])
    with pytest.raises(SystemExit, match="not a pu method"):
        main(
            [
                "fit",
                path,
                "--task",
                "pu",
                "--label",
                "kind",
                "--positive",
                "barolo",
                "--method",
                "LabelSpreading",
                "--model-out",
                str(tmp_path / "m"),
            ]
        )
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
    assert (
        main(
            [
                "fit",
                _write(train, tmp_path),
                "--task",
                "llp",
                "--bag",
                "batch",
                "--proportions",
                str(proportions),
                "--model-out",
                str(model),
            ]
        )
        == 0
    )
    out = tmp_path / "pred.csv"
    main(
        [
            "predict",
            str(model),
            _write(wine_table.drop(columns="kind"), tmp_path, "x.csv"),
            "--out",
            str(out),
        ]
    )
    predicted = pd.read_csv(out)["prediction"]
    assert set(predicted) <= {"barbera", "barolo", "grignolino"}
    assert (predicted == wine_table["kind"]).mean() > 0.8
