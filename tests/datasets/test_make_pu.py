import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklweak.datasets import make_pu
from sklweak.utils import check_pu_y


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((20000, 3))
    y = (rng.random_sample(20000) < 0.4).astype(int)
    return X, y


def test_scar_label_frequency_and_contract(data):
    X, y = data
    y_pu, propensity = make_pu(X, y, label_frequency=0.3, random_state=0)
    assert y_pu.shape == y.shape and y_pu.dtype == np.int64
    assert set(np.unique(y_pu).tolist()) == {0, 1}
    assert np.all(y_pu[y == 0] == 0)
    assert_allclose(propensity, 0.3)
    assert abs(y_pu[y == 1].mean() - 0.3) < 0.02
    target = check_pu_y(y_pu)
    assert target.n_labeled == y_pu.sum()


def test_sar_propensity_follows_chosen_feature(data):
    X, y = data
    y_pu, propensity = make_pu(
        X,
        y,
        label_frequency=0.4,
        mechanism="sar",
        propensity_features=[1],
        random_state=0,
    )
    positive = y == 1
    assert abs(propensity[positive].mean() - 0.4) < 1e-6
    assert np.all((propensity > 0) & (propensity < 1))
    # Increasing in feature 1, independent of the others.
    order = np.argsort(X[:, 1])
    assert np.all(np.diff(propensity[order]) >= 0)
    assert abs(y_pu[positive].mean() - 0.4) < 0.02
    labeled = y_pu == 1
    assert X[labeled, 1].mean() > X[positive & ~labeled, 1].mean() + 0.3
    assert abs(X[labeled, 0].mean() - X[positive & ~labeled, 0].mean()) < 0.1


def test_sar_feature_mask_equals_indices(data):
    X, y = data
    by_index = make_pu(X, y, mechanism="sar", propensity_features=[0, 2], random_state=1)
    by_mask = make_pu(
        X, y, mechanism="sar", propensity_features=[True, False, True], random_state=1
    )
    assert_array_equal(by_index[0], by_mask[0])
    assert_allclose(by_index[1], by_mask[1])


def test_full_label_frequency_labels_every_positive(data):
    X, y = data
    for mechanism in ("scar", "sar"):
        y_pu, propensity = make_pu(X, y, label_frequency=1.0, mechanism=mechanism, random_state=0)
        assert_array_equal(y_pu, y)
        assert_allclose(propensity, 1.0)


def test_string_pos_label_and_at_least_one_labeled():
    X = np.zeros((6, 1))
    y = np.array(["p", "n", "n", "n", "n", "n"], dtype=object)
    y_pu, _ = make_pu(X, y, pos_label="p", label_frequency=1e-9, random_state=0)
    assert_array_equal(y_pu, [1, 0, 0, 0, 0, 0])


def test_reproducible_and_inputs_untouched(data):
    X, y = data
    X_copy, y_copy = X.copy(), y.copy()
    a = make_pu(X, y, mechanism="sar", random_state=5)
    b = make_pu(X, y, mechanism="sar", random_state=5)
    c = make_pu(X, y, mechanism="sar", random_state=6)
    assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])
    assert_array_equal(X, X_copy)
    assert_array_equal(y, y_copy)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"pos_label": 7}, "no positive"),
        ({"label_frequency": 0.0}, "label_frequency"),
        ({"label_frequency": 1.2}, "label_frequency"),
        ({"mechanism": "snar"}, "mechanism"),
        ({"mechanism": "sar", "propensity_features": [5]}, "out of range"),
        (
            {"mechanism": "sar", "propensity_features": [True, False]},
            "one entry per feature",
        ),
        (
            {"mechanism": "sar", "propensity_features": [False, False, False]},
            "no feature",
        ),
        ({"mechanism": "sar", "propensity_features": [0.5]}, "column indices"),
    ],
)
def test_bad_arguments_rejected(kwargs, match):
    X = np.arange(12.0).reshape(4, 3)
    y = np.array([1, 0, 1, 0])
    with pytest.raises(ValueError, match=match):
        make_pu(X, y, random_state=0, **kwargs)


def test_bad_data_rejected():
    with pytest.raises(ValueError, match="no negative"):
        make_pu(np.zeros((3, 1)), [1, 1, 1])
    with pytest.raises(ValueError, match="3 rows but y has 2"):
        make_pu(np.zeros((3, 1)), [1, 0])
    with pytest.raises(ValueError, match="NaN|infinity"):
        make_pu([[np.nan], [0.0]], [1, 0])
