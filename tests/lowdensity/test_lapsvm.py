"""LapSVMClassifier: primal Laplacian SVM (Belkin et al. 2006; Melacci and Belkin 2011)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize
from sklearn.datasets import load_iris, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import rbf_kernel

from sklweak.lowdensity import LapSVMClassifier
from sklweak.lowdensity._lapsvm import graph_laplacian, solve_lapsvm_primal


def _moons(n_labeled=2, seed=0):
    X, y = make_moons(200, noise=0.06, random_state=seed)
    y_weak = np.full_like(y, -1)
    rng = np.random.RandomState(seed)
    for c in (0, 1):
        y_weak[rng.choice(np.flatnonzero(y == c), n_labeled, replace=False)] = c
    return X, y_weak, y


def test_newton_solution_is_the_primal_minimum():
    X, y_weak, _ = _moons(4)
    X = X[:60]
    labeled = y_weak[:60] != -1
    labeled[:6] = True
    signs = np.where(labeled, np.where(np.arange(60) % 2 == 0, 1.0, -1.0), 0.0)
    K = rbf_kernel(X, gamma=2.0)
    L = graph_laplacian(X, 5).toarray()
    n, n_lab = 60, labeled.sum()
    coef, intercept, _, converged = solve_lapsvm_primal(K, L, signs, labeled, 0.05, 2.0, 50)
    assert converged

    def objective(w):
        f = K @ w[1:] + w[0]
        hinge = np.maximum(0, 1 - signs * f)[labeled]
        return 0.5 / n_lab * np.sum(hinge**2) + 0.025 * w[1:] @ K @ w[1:] + 1.0 / n**2 * f @ L @ f

    best = minimize(objective, np.zeros(n + 1), method="L-BFGS-B", options={"maxiter": 5000})
    ours = objective(np.concatenate([[intercept], coef]))
    assert ours <= best.fun + 1e-6


def test_laplacian_rows_sum_to_zero_and_are_symmetric():
    X = np.random.RandomState(0).rand(30, 2)
    L = graph_laplacian(X, 4).toarray()
    assert_allclose(L.sum(axis=1), 0, atol=1e-12)
    assert_allclose(L, L.T)


def test_manifold_term_follows_the_moons():
    X, y_weak, y = _moons()
    manifold = LapSVMClassifier(gamma=10.0, manifold_regularization=100.0).fit(X, y_weak)
    plain = LapSVMClassifier(gamma=10.0, manifold_regularization=0.0).fit(X, y_weak)
    assert manifold.score(X, y) > 0.95
    assert manifold.score(X, y) > plain.score(X, y) + 0.05
    unlabeled = y_weak == -1
    assert np.mean(manifold.transduction_[unlabeled] == y[unlabeled]) > 0.95


def test_one_against_rest_and_probabilities():
    X, y = load_iris(return_X_y=True)
    y_weak = np.where(np.random.RandomState(0).rand(150) < 0.8, -1, y)
    clf = LapSVMClassifier().fit(X, y_weak)
    assert clf.dual_coef_.shape == (3, 150) and clf.decision_function(X).shape == (150, 3)
    proba = clf.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert clf.score(X, y) > 0.85


def test_max_iter_warning():
    X, y_weak, _ = _moons(20)
    clf = LapSVMClassifier(ambient_regularization=1e-4, manifold_regularization=0.0)
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        clf.set_params(max_iter=1).fit(X, y_weak)
    assert clf.set_params(max_iter=50).fit(X, y_weak).n_iter_ > 1
