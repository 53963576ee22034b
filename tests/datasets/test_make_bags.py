import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklweak.datasets import make_bags
from sklweak.utils import check_bag_target


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((1003, 4))
    y = np.where(X[:, 0] + 0.3 * rng.standard_normal(1003) > 0, "pos", "neg")
    return X, y


@pytest.mark.parametrize("method", ["random", "clustered"])
def test_bag_sizes_and_true_proportions(data, method):
    X, y = data
    bags, y_bag, classes = make_bags(X, y, bag_size=10, method=method, random_state=0)
    assert bags.dtype == np.int64 and bags.shape == (1003,)
    assert y_bag.shape == (1003, 3) and y_bag.dtype == np.float64
    assert_array_equal(classes, ["neg", "pos"])
    assert_array_equal(y_bag[:, 0], bags)
    sizes = np.bincount(bags)
    assert_array_equal(sizes, [10] * 100 + [3])
    target = check_bag_target(y_bag, n_classes=2)
    for b in range(len(sizes)):
        members = y[bags == b]
        assert_allclose(target.bag_proportions[b], [(members == c).mean() for c in classes])


def test_clustered_bags_are_homogeneous(data):
    X, y = data
    spread = {}
    share = {}
    for method in ("random", "clustered"):
        bags, y_bag, _ = make_bags(X, y, bag_size=10, method=method, random_state=0)
        within = [X[bags == b].std(axis=0).mean() for b in range(bags.max() + 1)]
        spread[method] = np.mean(within)
        share[method] = check_bag_target(y_bag).bag_proportions[:, 1].std()
    assert spread["clustered"] < 0.6 * spread["random"]
    assert share["clustered"] > 2 * share["random"]


def test_each_sample_its_own_bag_and_single_bag():
    X = np.arange(6.0).reshape(-1, 1)
    y = np.array([0, 1, 0, 1, 2, 2])
    bags, y_bag, _ = make_bags(X, y, bag_size=1, random_state=0)
    assert_allclose(y_bag[np.arange(6), 1 + y], 1.0)
    bags, y_bag, _ = make_bags(X, y, bag_size=6, method="clustered", random_state=0)
    assert_array_equal(bags, 0)
    assert_allclose(y_bag[:, 1:], 1 / 3)


@pytest.mark.parametrize("method", ["random", "clustered"])
def test_reproducible_and_inputs_untouched(data, method):
    X, y = data
    X_copy, y_copy = X.copy(), y.copy()
    a = make_bags(X, y, bag_size=7, method=method, random_state=3)
    b = make_bags(X, y, bag_size=7, method=method, random_state=3)
    assert_array_equal(a[0], b[0])
    assert_array_equal(a[1], b[1])
    assert_array_equal(X, X_copy)
    assert_array_equal(y, y_copy)
    c = make_bags(X, y, bag_size=7, method="random", random_state=4)
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"bag_size": 0}, "bag_size"),
        ({"bag_size": 5}, "exceeds"),
        ({"bag_size": 2, "method": "kmeans"}, "method"),
    ],
)
def test_bad_arguments_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_bags(np.zeros((4, 1)), [0, 1, 0, 1], **kwargs)


def test_bad_data_rejected():
    with pytest.raises(ValueError, match="at least 2 classes"):
        make_bags(np.zeros((4, 1)), [0, 0, 0, 0], bag_size=2)
    with pytest.raises(ValueError, match="4 rows but y has 3"):
        make_bags(np.zeros((4, 1)), [0, 1, 0], bag_size=2)
