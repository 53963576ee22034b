"""The compiled TSVM kernel against its pure-NumPy reference, and against liblinear."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.svm import LinearSVC

from sklweak.lowdensity import _tsvm_reference as reference
from sklweak.utils._kernels import load_kernel

fast = load_kernel("sklweak.lowdensity._tsvm", implementation="compiled")


@st.composite
def _problems(draw):
    n_samples = draw(st.integers(2, 25))
    n_features = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.RandomState(seed)
    X = rng.randn(n_samples, n_features) * draw(st.sampled_from([0.5, 1.0, 5.0]))
    X[rng.rand(n_samples, n_features) < draw(st.sampled_from([0.0, 0.5, 0.9]))] = 0.0
    y = np.where(rng.rand(n_samples) < 0.5, -1.0, 1.0)
    cost = rng.choice([0.0, 0.1, 1.0, 10.0], size=n_samples)
    return X, y, cost, seed


@settings(max_examples=40)
@given(problem=_problems(), as_sparse=st.booleans())
def test_solve_svm_fast_equals_reference(problem, as_sparse):
    X, y, cost, seed = problem
    matrix = sparse.csr_matrix(X) if as_sparse else X
    start = (np.zeros(len(y)), np.zeros(X.shape[1] + 1))
    # Same iterates up to rounding (the dot products add in another order),
    # converged or not.
    w_fast, alpha_fast, epochs_fast, done_fast = fast.solve_svm(
        matrix, y, cost, *start, 300, 1e-6, seed
    )
    w_ref, _, epochs_ref, done_ref = reference.solve_svm(matrix, y, cost, *start, 300, 1e-6, seed)
    assert (epochs_fast, done_fast) == (epochs_ref, done_ref)
    np.testing.assert_allclose(w_fast, w_ref, rtol=1e-7, atol=1e-7)
    assert np.all(alpha_fast >= 0) and np.all(alpha_fast <= cost)
    design = np.column_stack([X, np.ones(len(y))])
    np.testing.assert_allclose(design.T @ (alpha_fast * y), w_fast, atol=1e-9)


@settings(max_examples=15)
@given(seed=st.integers(0, 2**31 - 1), as_sparse=st.booleans())
def test_train_tsvm_fast_equals_reference(seed, as_sparse):
    rng = np.random.RandomState(seed)
    n_samples = rng.randint(6, 30)
    X = rng.randn(n_samples, 3) + np.where(rng.rand(n_samples) < 0.5, -1.5, 1.5)[:, None]
    y = np.where(X[:, 0] > 0, 1.0, -1.0)
    unlabeled = rng.rand(n_samples) < 0.7
    n_positive = int(rng.randint(0, unlabeled.sum() + 1))
    matrix = sparse.csr_matrix(X) if as_sparse else X
    arguments = (
        matrix,
        y,
        np.ones(n_samples),
        unlabeled,
        n_positive,
        1.0,
        300,
        2000,
        1e-5,
        seed,
    )
    w_fast, labels_fast, *flags_fast = fast.train_tsvm(*arguments)
    w_ref, labels_ref, *flags_ref = reference.train_tsvm(*arguments)
    np.testing.assert_array_equal(labels_fast, labels_ref)
    # Rounding may move a stopping decision by one epoch: agreement to about tol.
    np.testing.assert_allclose(w_fast, w_ref, rtol=1e-4, atol=1e-4)
    assert flags_fast == flags_ref
    assert np.sum(labels_fast[unlabeled] > 0) == n_positive
    np.testing.assert_array_equal(labels_fast[~unlabeled], y[~unlabeled])


@pytest.mark.parametrize("implementation", [fast, reference])
def test_solve_svm_matches_liblinear(implementation):
    rng = np.random.RandomState(0)
    X = rng.randn(60, 4)
    y = np.where(X[:, 0] + 0.5 * rng.randn(60) > 0, 1.0, -1.0)
    w, _, _, converged = implementation.solve_svm(
        X, y, np.full(60, 0.7), np.zeros(60), np.zeros(5), 5000, 1e-9, 1
    )
    svm = LinearSVC(C=0.7, loss="hinge", tol=1e-10, max_iter=100_000).fit(X, y)
    assert converged
    np.testing.assert_allclose(w[:-1], svm.coef_[0], atol=1e-5)
    np.testing.assert_allclose(w[-1], svm.intercept_[0], atol=1e-5)


def test_warm_start_keeps_the_solution():
    rng = np.random.RandomState(1)
    X = rng.randn(40, 3)
    y = np.where(X[:, 1] > 0, 1.0, -1.0)
    cost = np.ones(40)
    w, alpha, _, _ = fast.solve_svm(X, y, cost, np.zeros(40), np.zeros(4), 1000, 1e-8, 0)
    w_again, _, epochs, converged = fast.solve_svm(X, y, cost, alpha, w, 1000, 1e-8, 5)
    assert converged and epochs == 1
    np.testing.assert_allclose(w_again, w, atol=1e-7)
