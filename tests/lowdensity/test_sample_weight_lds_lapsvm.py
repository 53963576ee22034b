"""LapSVMClassifier and LDSClassifier: sample_weight as repetition counts."""

import numpy as np
import pytest
from scipy.sparse import csgraph
from sklearn.datasets import make_blobs, make_moons
from sklearn.metrics.pairwise import rbf_kernel

from sklweak.lowdensity import LapSVMClassifier, LDSClassifier
from sklweak.lowdensity._gradient_tsvm import tsvm_objective
from sklweak.lowdensity._lapsvm import solve_lapsvm_primal
from sklweak.lowdensity._lds_embedding import classical_mds


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


@pytest.mark.parametrize(
    "estimator", [LapSVMClassifier(), LDSClassifier()], ids=lambda e: type(e).__name__
)
def test_bad_weights_are_refused(estimator):
    X, y_weak, weights = _moons()
    with pytest.raises(ValueError, match="non-negative"):
        estimator.fit(X, y_weak, sample_weight=-weights)
    with pytest.raises(ValueError, match="sample_weight.shape"):
        estimator.fit(X, y_weak, sample_weight=weights[1:])
    with pytest.raises(ValueError, match="zero on every labeled row"):
        estimator.fit(X, y_weak, sample_weight=(y_weak == -1).astype(float))


def test_lapsvm_refuses_weights_that_leave_one_labeled_class():
    X, y_weak, weights = _moons()
    one_class = np.where(y_weak == 1, 0.0, weights)
    with pytest.raises(ValueError, match="one class only"):
        LapSVMClassifier().fit(X, y_weak, sample_weight=one_class)


def test_weighted_mds_is_the_mds_of_repeated_samples():
    points = np.random.RandomState(0).rand(7, 3)
    weights = np.array([1.0, 3.0, 2.0, 1.0, 4.0, 1.0, 2.0])
    rows = _repeated(weights)
    squared = ((points[:, None] - points[None]) ** 2).sum(-1)
    Z, eigenvalues = classical_mds(squared.copy(), weights)
    Z_rep, eigenvalues_rep = classical_mds(squared[np.ix_(rows, rows)].copy())
    np.testing.assert_allclose(eigenvalues, eigenvalues_rep, rtol=1e-10)
    np.testing.assert_allclose(Z[rows], Z_rep, atol=1e-10)


def test_weighted_tsvm_objective_is_the_repeated_one():
    rng = np.random.RandomState(0)
    Z_labeled, Z_unlabeled = rng.randn(6, 3), rng.randn(9, 3)
    y = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])
    labeled_weights, unlabeled_weights = rng.randint(1, 4, 6), rng.randint(1, 4, 9)
    w = rng.randn(3)
    settings = {"C": 2.0, "C_unlabeled": 0.5, "bias": 0.1}
    value, gradient = tsvm_objective(
        w,
        Z_labeled,
        y,
        Z_unlabeled,
        labeled_weights=labeled_weights.astype(float),
        unlabeled_weights=unlabeled_weights.astype(float),
        **settings,
    )
    labeled_rows, unlabeled_rows = _repeated(labeled_weights), _repeated(unlabeled_weights)
    value_rep, gradient_rep = tsvm_objective(
        w, Z_labeled[labeled_rows], y[labeled_rows], Z_unlabeled[unlabeled_rows], **settings
    )
    assert value == pytest.approx(value_rep, rel=1e-12)
    np.testing.assert_allclose(gradient, gradient_rep, rtol=1e-12)


def test_lds_weights_are_repeated_rows_on_the_complete_graph():
    X, y_weak, weights = _moons()
    rows = _repeated(weights)
    weighted = LDSClassifier().fit(X, y_weak, sample_weight=weights)
    repeated = LDSClassifier().fit(X[rows], y_weak[rows])
    plain = LDSClassifier().fit(X, y_weak)
    np.testing.assert_allclose(
        weighted.decision_function(X), repeated.decision_function(X), atol=1e-8
    )
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-8)
    assert weighted.rho_ == pytest.approx(repeated.rho_, rel=1e-8)
    assert np.abs(weighted.decision_function(X) - plain.decision_function(X)).max() > 1e-2
    # Rows of weight zero are predicted from their neighbours, as new samples.
    np.testing.assert_array_equal(weighted.transduction_, repeated.predict(X))


@pytest.mark.parametrize("n_neighbors", [None, 8])
def test_lds_zero_weight_is_a_dropped_row(n_neighbors):
    X, y_weak, _ = _moons()
    weights = np.ones(len(y_weak))
    weights[[3, 20, 41]] = 0.0
    kept = weights > 0
    weighted = LDSClassifier(n_neighbors).fit(X, y_weak, sample_weight=weights)
    dropped = LDSClassifier(n_neighbors).fit(X[kept], y_weak[kept])
    np.testing.assert_allclose(weighted.decision_function(X), dropped.decision_function(X))
    np.testing.assert_array_equal(weighted.transduction_[kept], dropped.transduction_)
    np.testing.assert_array_equal(weighted.transduction_[~kept], dropped.predict(X[~kept]))


def test_lds_unit_weights_give_the_unweighted_model():
    X, y_weak, _ = _moons()
    plain = LDSClassifier().fit(X, y_weak)
    unit = LDSClassifier().fit(X, y_weak, sample_weight=np.ones(len(y_weak)))
    np.testing.assert_array_equal(unit.decision_function(X), plain.decision_function(X))
    np.testing.assert_array_equal(unit.predict_proba(X + 0.01), plain.predict_proba(X + 0.01))


def test_lds_fractional_weights_give_finite_probabilities():
    X, y_weak, _ = _moons()
    weights = np.full(len(y_weak), 0.01)
    weights[:8] = 0.5
    model = LDSClassifier(n_neighbors_predict=3).fit(X, y_weak, sample_weight=weights)
    proba = model.predict_proba(X + 0.05)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def _deep_lds(**params):
    from sklweak.lowdensity import DeepLDSClassifier

    settings = {
        "hidden_layer_sizes": (8,),
        "n_epochs_initial": 5,
        "n_epochs": 2,
        "max_iter": 2,
        "batch_size": 512,
        "device": "cpu",
        "random_state": 0,
    }
    return DeepLDSClassifier(**{**settings, **params})


def test_deep_lds_unit_weights_give_the_unweighted_model():
    pytest.importorskip("skorch")
    X, y_weak, _ = _moons()
    plain = _deep_lds().fit(X, y_weak)
    unit = _deep_lds().fit(X, y_weak, sample_weight=np.ones(len(y_weak)))
    np.testing.assert_array_equal(unit.predict_proba(X), plain.predict_proba(X))
    assert unit.history_ == plain.history_


def test_deep_lds_full_batch_weights_are_repeated_rows():
    pytest.importorskip("skorch")
    X, y_weak, weights = _moons()
    rows = _repeated(weights)
    weighted = _deep_lds(max_iter=0).fit(X, y_weak, sample_weight=weights)
    repeated = _deep_lds(max_iter=0).fit(X[rows], y_weak[rows])
    plain = _deep_lds(max_iter=0).fit(X, y_weak)
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-4)
    assert np.abs(weighted.predict_proba(X) - plain.predict_proba(X)).max() > 1e-3


def test_deep_lds_zero_weight_is_a_dropped_row():
    pytest.importorskip("skorch")
    X, y_weak, _ = _moons()
    weights = np.ones(len(y_weak))
    weights[[3, 20, 41]] = 0.0
    kept = weights > 0
    weighted = _deep_lds().fit(X, y_weak, sample_weight=weights)
    dropped = _deep_lds().fit(X[kept], y_weak[kept])
    np.testing.assert_allclose(weighted.predict_proba(X), dropped.predict_proba(X), atol=1e-4)
    assert weighted.n_iter_ == dropped.n_iter_
    np.testing.assert_array_equal(weighted.pseudo_labels_[kept], dropped.pseudo_labels_)


def test_deep_lds_refuses_weights_it_cannot_use():
    pytest.importorskip("skorch")
    from sklweak.graph import LabelSpreading

    X, y_weak, weights = _moons()
    with pytest.raises(ValueError, match="separator's fit does not take sample_weight"):
        _deep_lds(separator=LabelSpreading()).fit(X, y_weak, sample_weight=weights)
    with pytest.raises(ValueError, match="zero on every labeled row"):
        _deep_lds().fit(X, y_weak, sample_weight=(y_weak == -1).astype(float))
    with pytest.raises(ValueError, match="non-negative"):
        _deep_lds().fit(X, y_weak, sample_weight=-weights)
