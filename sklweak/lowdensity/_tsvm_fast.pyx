"""Linear SVM with per-sample costs and the transductive label switching, compiled.

Same functions and signatures as ``_tsvm_reference``. The SVM is solved in the
dual by coordinate descent (Hsieh et al., 2008): hinge loss, L2 penalty, the
bias learned as the weight of a constant feature equal to one, samples visited
in an order shuffled every epoch by a xorshift generator that the reference
reproduces exactly, with liblinear-style shrinking of variables stuck at a
bound. ``X`` is a C-contiguous float64 array (rows handled by BLAS ``ddot`` and
``daxpy``) or a CSR matrix.
"""

import numpy as np
from scipy import sparse

from libc.math cimport INFINITY, fabs, fmax, fmin
from libc.stdint cimport int64_t, uint64_t
from scipy.linalg.cython_blas cimport daxpy, ddot

# The unlabeled costs start this fraction of their final value and double
# after every round of switching (Joachims, 1999, starts at 1e-5).
ANNEALING_START = 1e-5


cdef class _Rows:
    """Row access to a dense or CSR matrix: dot products and updates with w."""

    cdef const double[:, ::1] dense
    cdef const double[::1] data
    cdef const int64_t[::1] indices
    cdef const int64_t[::1] indptr
    cdef bint is_sparse
    cdef Py_ssize_t n_rows, n_cols

    def __init__(self, X):
        if sparse.issparse(X):
            X = sparse.csr_matrix(X)
            self.is_sparse = True
            self.data = np.ascontiguousarray(X.data, dtype=np.float64)
            self.indices = np.ascontiguousarray(X.indices, dtype=np.int64)
            self.indptr = np.ascontiguousarray(X.indptr, dtype=np.int64)
            self.dense = np.zeros((1, 1))
        else:
            self.is_sparse = False
            self.dense = np.ascontiguousarray(X, dtype=np.float64)
            self.data = np.zeros(1)
            self.indices = np.zeros(1, dtype=np.int64)
            self.indptr = np.zeros(1, dtype=np.int64)
        self.n_rows = X.shape[0]
        self.n_cols = X.shape[1]

    cdef inline double dot(self, Py_ssize_t i, const double[::1] w) noexcept nogil:
        """``x_i . w`` with the bias feature (value one) included."""
        cdef double total = 0.0
        cdef Py_ssize_t p
        cdef int n = <int>self.n_cols, one = 1
        if self.is_sparse:
            for p in range(self.indptr[i], self.indptr[i + 1]):
                total += self.data[p] * w[self.indices[p]]
        else:
            total = ddot(&n, <double*>&self.dense[i, 0], &one, <double*>&w[0], &one)
        return total + w[self.n_cols]

    cdef inline void add_row(self, Py_ssize_t i, double scale, double[::1] w) noexcept nogil:
        """``w += scale * x_i`` with the bias feature included."""
        cdef Py_ssize_t p
        cdef int n = <int>self.n_cols, one = 1
        if self.is_sparse:
            for p in range(self.indptr[i], self.indptr[i + 1]):
                w[self.indices[p]] += scale * self.data[p]
        else:
            daxpy(&n, &scale, <double*>&self.dense[i, 0], &one, &w[0], &one)
        w[self.n_cols] += scale

    cdef inline double squared_norm(self, Py_ssize_t i) noexcept nogil:
        """``||x_i||^2 + 1`` (the bias feature included)."""
        cdef double total = 1.0
        cdef Py_ssize_t j, p
        if self.is_sparse:
            for p in range(self.indptr[i], self.indptr[i + 1]):
                total += self.data[p] * self.data[p]
        else:
            for j in range(self.n_cols):
                total += self.dense[i, j] * self.dense[i, j]
        return total


cdef inline uint64_t _xorshift(uint64_t* state) noexcept nogil:
    cdef uint64_t x = state[0]
    x ^= x << 13
    x ^= x >> 7
    x ^= x << 17
    state[0] = x
    return x


cdef uint64_t _initial_state(seed):
    state = (int(seed) ^ 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    return state if state != 0 else 0x9E3779B97F4A7C15


cdef double[::1] _diagonal(_Rows rows):
    cdef double[::1] diagonal = np.empty(rows.n_rows)
    cdef Py_ssize_t i
    for i in range(rows.n_rows):
        diagonal[i] = rows.squared_norm(i)
    return diagonal


cdef tuple _coordinate_descent(
    _Rows rows,
    const double[::1] diagonal,
    const double[::1] y,
    const double[::1] cost,
    double[::1] alpha,
    double[::1] w,
    Py_ssize_t max_epochs,
    double tol,
    uint64_t* state,
):
    """Dual coordinate descent from the given ``alpha``/``w``; both updated in place.

    With shrinking: a variable at a bound whose gradient points outside the
    box by more than the previous epoch's extreme projected gradients leaves
    the active set; all come back before convergence is declared.
    """
    cdef Py_ssize_t[::1] order = np.flatnonzero(np.asarray(cost) > 0).astype(np.intp)
    cdef Py_ssize_t n_variables = order.shape[0]
    cdef Py_ssize_t n_active = n_variables
    cdef Py_ssize_t epoch = 0, k, j, i, s, swap
    cdef double gradient, projected, largest, smallest, old, step
    cdef double largest_old = INFINITY, smallest_old = -INFINITY
    cdef bint converged = False
    with nogil:
        while epoch < max_epochs:
            for k in range(n_active - 1, 0, -1):
                j = <Py_ssize_t>(_xorshift(state) % <uint64_t>(k + 1))
                swap = order[k]
                order[k] = order[j]
                order[j] = swap
            largest = -INFINITY
            smallest = INFINITY
            s = 0
            while s < n_active:
                i = order[s]
                gradient = y[i] * rows.dot(i, w) - 1.0
                projected = 0.0
                if alpha[i] <= 0.0:
                    if gradient > largest_old:
                        n_active -= 1
                        order[s] = order[n_active]
                        order[n_active] = i
                        continue
                    projected = fmin(gradient, 0.0)
                elif alpha[i] >= cost[i]:
                    if gradient < smallest_old:
                        n_active -= 1
                        order[s] = order[n_active]
                        order[n_active] = i
                        continue
                    projected = fmax(gradient, 0.0)
                else:
                    projected = gradient
                largest = fmax(largest, projected)
                smallest = fmin(smallest, projected)
                if fabs(projected) > 1e-12:
                    old = alpha[i]
                    alpha[i] = fmin(fmax(old - gradient / diagonal[i], 0.0), cost[i])
                    step = (alpha[i] - old) * y[i]
                    if step != 0.0:
                        rows.add_row(i, step, w)
                s += 1
            epoch += 1
            if largest - smallest <= tol:
                if n_active == n_variables:
                    converged = True
                    break
                n_active = n_variables
                largest_old = INFINITY
                smallest_old = -INFINITY
                continue
            largest_old = largest if largest > 0.0 else INFINITY
            smallest_old = smallest if smallest < 0.0 else -INFINITY
    return int(epoch), bool(converged)


def solve_svm(X, y, cost, alpha, w, max_epochs, tol, seed):
    """Linear SVM with per-sample costs by dual coordinate descent.

    Minimises ``0.5 * ||w||^2 + sum_i cost_i * max(0, 1 - y_i * (x_i . w[:-1]
    + w[-1]))``: the bias ``w[-1]`` is the weight of a constant feature one,
    penalised like the others. A sample with zero cost takes no part.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features) or CSR matrix
        Samples, float64.
    y : ndarray of shape (n_samples,)
        Labels in {-1, +1}, float64.
    cost : ndarray of shape (n_samples,)
        Non-negative cost of each sample's hinge loss.
    alpha : ndarray of shape (n_samples,)
        Starting dual variables, each in ``[0, cost_i]``.
    w : ndarray of shape (n_features + 1,)
        Starting weights, equal to ``sum_i alpha_i y_i [x_i, 1]``.
    max_epochs : int
        Most passes over the samples.
    tol : float
        Stop when the largest and smallest projected gradients of an epoch
        differ by at most ``tol``.
    seed : int
        Seed of the visiting order.

    Returns
    -------
    w : ndarray of shape (n_features + 1,)
        Weights, the bias last.
    alpha : ndarray of shape (n_samples,)
        Dual variables.
    n_epochs : int
        Epochs run.
    converged : bool
        Whether ``tol`` was reached within ``max_epochs``.
    """
    rows = _Rows(X)
    y = np.ascontiguousarray(y, dtype=np.float64)
    cost = np.ascontiguousarray(cost, dtype=np.float64)
    alpha = np.array(alpha, dtype=np.float64, copy=True)
    w = np.array(w, dtype=np.float64, copy=True)
    cdef uint64_t state = _initial_state(seed)
    n_epochs, converged = _coordinate_descent(
        rows, _diagonal(rows), y, cost, alpha, w, max_epochs, tol, &state
    )
    return w, alpha, n_epochs, converged


cdef void _margins(_Rows rows, const Py_ssize_t[::1] index, const double[::1] w,
                   double[::1] out) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(index.shape[0]):
        out[k] = rows.dot(index[k], w)


def train_tsvm(
    X, y, cost, unlabeled, n_positive, unlabeled_cost, max_iter, max_epochs, tol, seed
):
    """Transductive SVM by label switching with annealed unlabeled costs.

    Joachims (1999): an SVM on the labeled samples labels the unlabeled ones,
    the ``n_positive`` highest scores +1 and the rest -1; the unlabeled costs
    start at ``ANNEALING_START * unlabeled_cost`` (the positive one scaled by
    ``n_positive / n_negative``) and double after every round until they reach
    ``unlabeled_cost`` (with ``unlabeled_cost=0`` the labeled SVM and its
    balanced labels are returned). In each round the SVM is refitted (warm start) and
    every pair of unlabeled samples of opposite labels whose slacks sum to
    more than two is switched, which keeps the number of positives and lowers
    the objective, until no pair is left.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features) or CSR matrix
        Labeled and unlabeled samples, float64.
    y : ndarray of shape (n_samples,)
        Labels in {-1, +1} for labeled samples; ignored where ``unlabeled``.
    cost : ndarray of shape (n_samples,)
        Cost of each labeled sample; ignored where ``unlabeled``.
    unlabeled : ndarray of bool, shape (n_samples,)
        Which samples are unlabeled.
    n_positive : int
        Number of unlabeled samples labeled +1 (the balance constraint).
    unlabeled_cost : float
        Final cost of the unlabeled samples.
    max_iter : int
        Most SVM fits, the first one included.
    max_epochs : int
        Most epochs of each SVM fit.
    tol : float
        Tolerance of each SVM fit (see :func:`solve_svm`).
    seed : int
        Seed of the visiting orders.

    Returns
    -------
    w : ndarray of shape (n_features + 1,)
        Weights, the bias last.
    labels : ndarray of shape (n_samples,)
        ``y`` with the unlabeled samples' final labels in {-1, +1}.
    n_iter : int
        SVM fits run.
    converged : bool
        Whether the annealing finished within ``max_iter`` fits.
    solver_converged : bool
        Whether every SVM fit reached ``tol`` within ``max_epochs``.
    """
    rows = _Rows(X)
    cdef Py_ssize_t n = rows.n_rows
    labels_array = np.array(y, dtype=np.float64, copy=True)
    cost_array = np.array(cost, dtype=np.float64, copy=True)
    is_unlabeled = np.asarray(unlabeled, dtype=bool)
    cost_array[is_unlabeled] = 0.0
    alpha_array = np.zeros(n)
    w_array = np.zeros(rows.n_cols + 1)
    cdef double[::1] labels = labels_array
    cdef double[::1] costs = cost_array
    cdef double[::1] alpha = alpha_array
    cdef double[::1] w = w_array
    cdef double[::1] diagonal = _diagonal(rows)
    cdef uint64_t state = _initial_state(seed)
    cdef Py_ssize_t k, i, n_iter = 1
    cdef double cu_positive, cu_negative
    _, solver_converged = _coordinate_descent(
        rows, diagonal, labels, costs, alpha, w, max_epochs, tol, &state
    )
    index_array = np.flatnonzero(is_unlabeled).astype(np.intp)
    cdef Py_ssize_t[::1] index = index_array
    cdef Py_ssize_t n_unlabeled = index.shape[0]
    if n_unlabeled == 0:
        return w_array, labels_array, int(n_iter), True, bool(solver_converged)
    margin_array = np.empty(n_unlabeled)
    cdef double[::1] margin = margin_array
    _margins(rows, index, w, margin)
    ranking = np.argsort(-margin_array, kind="stable")
    labels_array[index_array] = -1.0
    labels_array[index_array[ranking[:n_positive]]] = 1.0
    if unlabeled_cost <= 0:
        return w_array, labels_array, int(n_iter), True, bool(solver_converged)
    cdef Py_ssize_t n_negative = n_unlabeled - n_positive
    cu_negative = ANNEALING_START * unlabeled_cost
    if n_positive > 0 and n_negative > 0:
        cu_positive = fmin(cu_negative * n_positive / n_negative, unlabeled_cost)
    else:
        cu_positive = cu_negative
    cdef bint converged = False
    cdef double slack_sum
    cdef Py_ssize_t n_pairs
    while True:
        for k in range(n_unlabeled):
            i = index[k]
            costs[i] = cu_positive if labels[i] > 0 else cu_negative
        while True:
            if n_iter >= max_iter:
                return w_array, labels_array, int(n_iter), False, bool(solver_converged)
            _, fit_converged = _coordinate_descent(
                rows, diagonal, labels, costs, alpha, w, max_epochs, tol, &state
            )
            solver_converged = solver_converged and fit_converged
            n_iter += 1
            _margins(rows, index, w, margin)
            slack_array = np.maximum(0.0, 1.0 - labels_array[index_array] * margin_array)
            positive = index_array[(labels_array[index_array] > 0) & (slack_array > 0)]
            negative = index_array[(labels_array[index_array] < 0) & (slack_array > 0)]
            slack_of = np.zeros(n)
            slack_of[index_array] = slack_array
            positive = positive[np.argsort(-slack_of[positive], kind="stable")]
            negative = negative[np.argsort(-slack_of[negative], kind="stable")]
            n_pairs = 0
            while n_pairs < min(len(positive), len(negative)):
                slack_sum = slack_of[positive[n_pairs]] + slack_of[negative[n_pairs]]
                if slack_sum <= 2.0:
                    break
                n_pairs += 1
            if n_pairs == 0:
                break
            for k in range(n_pairs):
                for i in (positive[k], negative[k]):
                    if alpha[i] != 0.0:
                        rows.add_row(i, -alpha[i] * labels[i], w)
                        alpha[i] = 0.0
                    labels[i] = -labels[i]
                    costs[i] = cu_positive if labels[i] > 0 else cu_negative
        if cu_negative >= unlabeled_cost and cu_positive >= unlabeled_cost:
            converged = True
            break
        cu_negative = fmin(2.0 * cu_negative, unlabeled_cost)
        cu_positive = fmin(2.0 * cu_positive, unlabeled_cost)
    return w_array, labels_array, int(n_iter), bool(converged), bool(solver_converged)
