"""TIcE class-prior estimation and its compiled subset search."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.datasets import make_classification

from sklweak.datasets import make_pu
from sklweak.pu import _tice_reference as reference
from sklweak.pu import estimate_class_prior
from sklweak.pu._class_prior import _best_lower_bound, bin_features
from sklweak.utils import load_kernel

compiled = load_kernel("sklweak.pu._tice", implementation="compiled")


@st.composite
def search_problems(draw):
    """Random binned halves, labels and search settings, empty halves included."""
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    n_tree = draw(st.integers(0, 60))
    n_est = draw(st.integers(0, 60))
    n_features = draw(st.integers(1, 5))
    n_bins = draw(st.integers(2, 6))
    top = draw(st.integers(1, n_bins))
    codes_tree = rng.integers(0, top, size=(n_tree, n_features)).astype(np.uint8)
    codes_est = rng.integers(0, top, size=(n_est, n_features)).astype(np.uint8)
    labeled = (rng.random(n_tree) < draw(st.floats(0.0, 1.0))).astype(np.uint8)
    max_bepp = draw(st.sampled_from([0.0, 0.5, 5.0]))
    max_splits = draw(st.integers(0, 30))
    min_size = draw(st.integers(1, 12))
    return codes_tree, labeled, codes_est, n_bins, max_bepp, max_splits, min_size


@settings(max_examples=150, deadline=None)
@given(search_problems())
def test_compiled_search_matches_reference(problem):
    expected = reference.induce_subsets(*problem)
    got = compiled.induce_subsets(*problem)
    for a, b in zip(expected, got):
        assert a.dtype == b.dtype == np.int64
        np.testing.assert_array_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(search_problems())
def test_search_nodes_are_nested_subsets(problem):
    _, _, codes_est, n_bins, _, max_splits, _ = problem
    indptr, indices = compiled.induce_subsets(*problem)
    assert indptr[0] == 0 and indptr[-1] == indices.shape[0]
    np.testing.assert_array_equal(indices[: indptr[1]], np.arange(codes_est.shape[0]))
    n_nodes = indptr.shape[0] - 1
    # a split makes at most n_bins children
    assert n_nodes <= 1 + max_splits * n_bins
    for node in range(n_nodes):
        rows = indices[indptr[node] : indptr[node + 1]]
        assert np.all(np.diff(rows) > 0)


def test_lower_bound_of_a_pure_subset():
    # 400 rows of which 120 labeled: c >= 0.3 - margin
    total = np.array([[1000.0], [400.0], [5.0]])
    positives = np.array([[150.0], [120.0], [5.0]])
    bound = _best_lower_bound(total, positives, delta=0.1, min_size=10, floor=0.15)[0]
    margin = np.sqrt(0.25 * 0.9 / (0.1 * 400))
    assert 0.3 - margin < bound < 0.3
    # the 5-row subset is too small to give a bound
    assert bound < 1.0


def test_bin_features_quantiles_and_binary_columns():
    X = np.column_stack([np.arange(100.0), np.repeat([0.0, 1.0], 50)])
    codes = bin_features(X, 4)
    assert codes.dtype == np.uint8 and codes.flags.c_contiguous
    assert np.bincount(codes[:, 0]).tolist() == [25, 25, 25, 25]
    assert set(np.unique(codes[:, 1]).tolist()) == {0, 1}
    np.testing.assert_array_equal(bin_features(sparse.csr_matrix(X), 4), codes)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("label_frequency", [0.3, 0.5])
def test_tice_recovers_prior_on_separable_data(label_frequency, seed):
    # positives shifted on two of five features: pure-positive bins exist
    rng = np.random.RandomState(seed)
    y = (rng.rand(2000) < 0.4).astype(np.int64)
    X = rng.randn(2000, 5) + 3.0 * y[:, np.newaxis] * np.array([1, 1, 0, 0, 0])
    y_pu, _ = make_pu(X, y, label_frequency=label_frequency, random_state=seed)
    prior, (low, high) = estimate_class_prior(
        X, y_pu, method="tice", n_bootstrap=50, random_state=0
    )
    assert abs(prior - y.mean()) < 0.12
    assert y_pu.mean() <= low <= high <= 1.0
    assert y_pu.mean() <= prior <= 1.0


def test_tice_deterministic_and_input_untouched():
    X, y = make_classification(n_samples=400, random_state=1)
    y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=1)
    X_copy, y_copy = X.copy(), y_pu.copy()
    first = estimate_class_prior(X, y_pu, method="tice", n_bootstrap=20, random_state=3)
    second = estimate_class_prior(X, y_pu, method="tice", n_bootstrap=20, random_state=3)
    assert first == second
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y_pu, y_copy)
    sparse_result = estimate_class_prior(
        sparse.csr_matrix(X), y_pu, method="tice", n_bootstrap=20, random_state=3
    )
    assert sparse_result == first


def test_tice_without_bootstrap_returns_a_point_interval():
    X, y = make_classification(n_samples=300, random_state=2)
    y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=2)
    prior, (low, high) = estimate_class_prior(X, y_pu, method="tice", n_bootstrap=0, random_state=0)
    assert low == high == prior


def test_tice_reference_kernel_gives_the_same_prior(monkeypatch):
    X, y = make_classification(n_samples=300, random_state=4)
    y_pu, _ = make_pu(X, y, label_frequency=0.4, random_state=4)
    compiled_result = estimate_class_prior(X, y_pu, method="tice", random_state=0)
    monkeypatch.setenv("SKLWEAK_KERNELS", "reference")
    reference_result = estimate_class_prior(X, y_pu, method="tice", random_state=0)
    assert compiled_result == reference_result


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_bins": 1}, "n_bins"),
        ({"max_bepp": -1.0}, "max_bepp"),
        ({"min_subset_size": 0}, "min_subset_size"),
        ({"delta": 1.5}, "delta"),
        ({"n_iterations": 0}, "n_iterations"),
        ({"method": "km3"}, "method"),
    ],
)
def test_tice_bad_parameters_rejected(params, match):
    X, y = make_classification(n_samples=50, random_state=0)
    with pytest.raises(ValueError, match=match):
        estimate_class_prior(X, y, **{"method": "tice", **params})


def test_tice_rejects_a_target_without_positives():
    X, _ = make_classification(n_samples=50, random_state=0)
    with pytest.raises(ValueError, match="no labeled positive"):
        estimate_class_prior(X, np.zeros(50), method="tice")
