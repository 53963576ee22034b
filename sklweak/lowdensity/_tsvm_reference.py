"""Linear SVM with per-sample costs and the transductive label switching, in NumPy.

Same functions and signatures as the compiled ``_tsvm_fast``, written for
reading and for parity tests: the same coordinate descent, the same xorshift
visiting order and shrinking, the same switching rule. Each coordinate step is a Python
call, so it is slow; load it through
``load_kernel("sklweak.lowdensity._tsvm")``.
"""

import numpy as np
from scipy import sparse

__all__ = ["ANNEALING_START", "solve_svm", "train_tsvm"]

ANNEALING_START = 1e-5

_MASK = (1 << 64) - 1


class _Rows:
    """Row access to a dense or CSR matrix with a constant bias feature one."""

    def __init__(self, X):
        self.is_sparse = sparse.issparse(X)
        if self.is_sparse:
            X = sparse.csr_matrix(X)
            self.data = np.asarray(X.data, dtype=np.float64)
            self.indices = np.asarray(X.indices, dtype=np.int64)
            self.indptr = np.asarray(X.indptr, dtype=np.int64)
        else:
            self.dense = np.ascontiguousarray(X, dtype=np.float64)
        self.n_rows, self.n_cols = X.shape

    def row(self, i):
        """Column indices and values of row ``i``."""
        if self.is_sparse:
            start, stop = self.indptr[i], self.indptr[i + 1]
            return self.indices[start:stop], self.data[start:stop]
        return slice(None), self.dense[i]

    def dot(self, i, w):
        columns, values = self.row(i)
        return float(values @ w[:-1][columns]) + w[-1]

    def add_row(self, i, scale, w):
        columns, values = self.row(i)
        w[:-1][columns] += scale * values
        w[-1] += scale

    def squared_norm(self, i):
        _, values = self.row(i)
        return float(values @ values) + 1.0


class _Xorshift:
    def __init__(self, seed):
        state = (int(seed) ^ 0x9E3779B97F4A7C15) & _MASK
        self.state = state if state != 0 else 0x9E3779B97F4A7C15

    def next(self):
        x = self.state
        x ^= (x << 13) & _MASK
        x ^= x >> 7
        x ^= (x << 17) & _MASK
        self.state = x
        return x


def _diagonal(rows):
    return [rows.squared_norm(i) for i in range(rows.n_rows)]


def _coordinate_descent(rows, diagonal, y, cost, alpha, w, max_epochs, tol, generator):
    """Dual coordinate descent from the given ``alpha``/``w``, with shrinking."""
    entries = [rows.row(i) for i in range(rows.n_rows)]
    weights = w[:-1]
    order = np.flatnonzero(np.asarray(cost) > 0).tolist()
    n_variables = n_active = len(order)
    largest_old, smallest_old = np.inf, -np.inf
    for epoch in range(1, max_epochs + 1):
        for k in range(n_active - 1, 0, -1):
            j = generator.next() % (k + 1)
            order[k], order[j] = order[j], order[k]
        largest, smallest = -np.inf, np.inf
        s = 0
        while s < n_active:
            i = order[s]
            columns, values = entries[i]
            gradient = y[i] * (float(values @ weights[columns]) + w[-1]) - 1.0
            if alpha[i] <= 0.0:
                if gradient > largest_old:
                    n_active -= 1
                    order[s], order[n_active] = order[n_active], i
                    continue
                projected = min(gradient, 0.0)
            elif alpha[i] >= cost[i]:
                if gradient < smallest_old:
                    n_active -= 1
                    order[s], order[n_active] = order[n_active], i
                    continue
                projected = max(gradient, 0.0)
            else:
                projected = gradient
            largest = max(largest, projected)
            smallest = min(smallest, projected)
            if abs(projected) > 1e-12:
                old = alpha[i]
                alpha[i] = min(max(old - gradient / diagonal[i], 0.0), cost[i])
                step = (alpha[i] - old) * y[i]
                if step != 0.0:
                    weights[columns] += step * values
                    w[-1] += step
            s += 1
        if largest - smallest <= tol:
            if n_active == n_variables:
                return epoch, True
            n_active = n_variables
            largest_old, smallest_old = np.inf, -np.inf
            continue
        largest_old = largest if largest > 0.0 else np.inf
        smallest_old = smallest if smallest < 0.0 else -np.inf
    return max_epochs, False


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

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.lowdensity._tsvm_reference import solve_svm
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> y = np.array([-1.0, -1.0, 1.0, 1.0])
    >>> w, alpha, n_epochs, converged = solve_svm(
    ...     X, y, np.ones(4), np.zeros(4), np.zeros(2), 100, 1e-6, 0)
    >>> converged, bool(np.all(np.sign(X[:, 0] * w[0] + w[1]) == y))
    (True, True)
    """
    rows = _Rows(X)
    y = np.asarray(y, dtype=np.float64)
    cost = np.asarray(cost, dtype=np.float64)
    alpha = np.array(alpha, dtype=np.float64, copy=True)
    w = np.array(w, dtype=np.float64, copy=True)
    n_epochs, converged = _coordinate_descent(
        rows, _diagonal(rows), y, cost, alpha, w, max_epochs, tol, _Xorshift(seed)
    )
    return w, alpha, n_epochs, converged


def _unlabeled_costs(labels, index, cu_positive, cu_negative):
    return np.where(labels[index] > 0, cu_positive, cu_negative)


def train_tsvm(X, y, cost, unlabeled, n_positive, unlabeled_cost, max_iter, max_epochs, tol, seed):
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

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.lowdensity._tsvm_reference import train_tsvm
    >>> X = np.array([[-3.0], [-2.0], [-1.5], [1.5], [2.0], [3.0]])
    >>> y = np.array([-1.0, 0.0, 0.0, 0.0, 0.0, 1.0])
    >>> unlabeled = np.array([False, True, True, True, True, False])
    >>> w, labels, n_iter, converged, _ = train_tsvm(
    ...     X, y, np.ones(6), unlabeled, 2, 1.0, 100, 100, 1e-6, 0)
    >>> labels.tolist(), converged
    ([-1.0, -1.0, -1.0, 1.0, 1.0, 1.0], True)
    """
    rows = _Rows(X)
    n = rows.n_rows
    labels = np.array(y, dtype=np.float64, copy=True)
    costs = np.array(cost, dtype=np.float64, copy=True)
    is_unlabeled = np.asarray(unlabeled, dtype=bool)
    costs[is_unlabeled] = 0.0
    alpha = np.zeros(n)
    w = np.zeros(rows.n_cols + 1)
    diagonal = _diagonal(rows)
    generator = _Xorshift(seed)
    n_iter = 1
    _, solver_converged = _coordinate_descent(
        rows, diagonal, labels, costs, alpha, w, max_epochs, tol, generator
    )
    index = np.flatnonzero(is_unlabeled).astype(np.intp)
    n_unlabeled = index.shape[0]
    if n_unlabeled == 0:
        return w, labels, n_iter, True, bool(solver_converged)

    def margins():
        return np.array([rows.dot(i, w) for i in index])

    ranking = np.argsort(-margins(), kind="stable")
    labels[index] = -1.0
    labels[index[ranking[:n_positive]]] = 1.0
    if unlabeled_cost <= 0:
        return w, labels, n_iter, True, bool(solver_converged)
    n_negative = n_unlabeled - n_positive
    cu_negative = ANNEALING_START * unlabeled_cost
    if n_positive > 0 and n_negative > 0:
        cu_positive = min(cu_negative * n_positive / n_negative, unlabeled_cost)
    else:
        cu_positive = cu_negative
    while True:
        costs[index] = _unlabeled_costs(labels, index, cu_positive, cu_negative)
        while True:
            if n_iter >= max_iter:
                return w, labels, n_iter, False, bool(solver_converged)
            _, fit_converged = _coordinate_descent(
                rows, diagonal, labels, costs, alpha, w, max_epochs, tol, generator
            )
            solver_converged = solver_converged and fit_converged
            n_iter += 1
            slack = np.maximum(0.0, 1.0 - labels[index] * margins())
            slack_of = np.zeros(n)
            slack_of[index] = slack
            positive = index[(labels[index] > 0) & (slack > 0)]
            negative = index[(labels[index] < 0) & (slack > 0)]
            positive = positive[np.argsort(-slack_of[positive], kind="stable")]
            negative = negative[np.argsort(-slack_of[negative], kind="stable")]
            n_pairs = 0
            while n_pairs < min(len(positive), len(negative)):
                if slack_of[positive[n_pairs]] + slack_of[negative[n_pairs]] <= 2.0:
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
            return w, labels, n_iter, True, bool(solver_converged)
        cu_negative = min(2.0 * cu_negative, unlabeled_cost)
        cu_positive = min(2.0 * cu_positive, unlabeled_cost)
