"""LapSVMClassifier and LDSClassifier: sample_weight as repetition counts."""

import numpy as np
import pytest
from scipy.sparse import csgraph
from sklearn.datasets import make_blobs, make_moons
from sklearn.metrics.pairwise import rbf_kernel

from sklweak.lowdensity import LapSVMClassifier
from sklweak.lowdensity._lapsvm import solve_lapsvm_primal


def _moons(n_samples=60, n_labeled=8):
    X, y = make_moons(n_samples, noise=0.1, random_state=0)
    y_weak = np.full_like(y, -1)
    y_weak[:n_labeled] = y[:n_labeled]
    weights = np.random.RandomState(0).randint(0, 4, size=n_samples).astype(float)
    weights[:2] = 2.0
    return X, y_weak, weights


def _repeated(weights):
    return np.repeat(np.arange(len(weights)), weights.astype(int))


def test_lapsvm_solver_weights_are_repeated_rows_on_a_fixed_graph():
    X, y_weak, weights = _moons()
    weights[weights == 0] = 1.0
    rows = _repeated(weights)
    labeled = y_weak != -1
    signs = np.where(y_weak == 1, 1.0, -1.0) * labeled
    adjacency = (rbf_kernel(X, gamma=4.0) > 0.5).astype(float)
    np.fill_diagonal(adjacency, 0.0)
    weighted_laplacian = csgraph.laplacian(weights[:, None] * adjacency * weights[None, :])
    # Copies of a row joined to every copy of its neighbours (and not to each
    # other: their values are equal, so such edges add nothing).
    repeated_laplacian = csgraph.laplacian(adjacency[np.ix_(rows, rows)])
    kernel = rbf_kernel(X, gamma=4.0)
    settings = (1e-2, 100.0, 50)
    coef, intercept, _, _ = solve_lapsvm_primal(
        kernel, weighted_laplacian, signs, labeled, *settings, weights
    )
    coef_rep, intercept_rep, _, _ = solve_lapsvm_primal(
        kernel[np.ix_(rows, rows)], repeated_laplacian, signs[rows], labeled[rows], *settings
    )
    np.testing.assert_allclose(
        kernel @ coef + intercept, kernel[:, rows] @ coef_rep + intercept_rep, atol=1e-9
    )


def test_lapsvm_weights_are_repeated_rows_on_the_complete_graph():
    X, y_weak, weights = _moons()
    rows = _repeated(weights)
    # n_neighbors past the number of repeated rows: the complete graph both ways.
    params = {"n_neighbors": 1000, "gamma": 5.0, "manifold_regularization": 10.0}
    weighted = LapSVMClassifier(**params).fit(X, y_weak, sample_weight=weights)
    repeated = LapSVMClassifier(**params).fit(X[rows], y_weak[rows])
    plain = LapSVMClassifier(**params).fit(X, y_weak)
    np.testing.assert_allclose(
        weighted.decision_function(X), repeated.decision_function(X), atol=1e-9
    )
    assert np.abs(weighted.decision_function(X) - plain.decision_function(X)).max() > 1e-2
    assert weighted.X_fit_.shape[0] == np.count_nonzero(weights)


def test_lapsvm_zero_weight_is_a_dropped_row():
    X, y = make_blobs(90, centers=3, random_state=0)
    y_weak = y.copy()
    y_weak[12:] = -1
    weights = np.ones(len(y))
    weights[[3, 20, 41]] = 0.0
    kept = weights > 0
    weighted = LapSVMClassifier().fit(X, y_weak, sample_weight=weights)
    dropped = LapSVMClassifier().fit(X[kept], y_weak[kept])
    np.testing.assert_allclose(weighted.decision_function(X), dropped.decision_function(X))
    np.testing.assert_array_equal(weighted.transduction_[kept], dropped.transduction_)
    assert weighted.transduction_.shape == y.shape


def test_lapsvm_equal_weights_give_the_unweighted_model():
    X, y_weak, _ = _moons()
    plain = LapSVMClassifier().fit(X, y_weak)
    for weights in (np.ones(len(y_weak)), np.full(len(y_weak), 2.5)):
        weighted = LapSVMClassifier().fit(X, y_weak, sample_weight=weights)
        np.testing.assert_array_equal(weighted.decision_function(X), plain.decision_function(X))


@pytest.mark.parametrize("estimator", [LapSVMClassifier()], ids=lambda e: type(e).__name__)
def test_bad_weights_are_refused(estimator):
    X, y_weak, weights = _moons()
    with pytest.raises(ValueError, match="Negative values"):
        estimator.fit(X, y_weak, sample_weight=-weights)
    with pytest.raises(ValueError, match="sample_weight.shape"):
        estimator.fit(X, y_weak, sample_weight=weights[1:])
    with pytest.raises(ValueError, match="zero on every labeled row"):
        estimator.fit(X, y_weak, sample_weight=(y_weak == -1).astype(float))
