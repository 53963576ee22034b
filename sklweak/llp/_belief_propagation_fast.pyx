"""Loopy belief propagation for LLP, compiled.

Same functions and signatures as ``_belief_propagation_reference``, which
describes the model. Messages are log-odds. Similarity messages run over the
CSR edges; each bag's count factor runs the one-member recursions of the
reference in the linear domain (products of probabilities, each backward row
scaled to a maximum of one), and repeats a bag in the log domain only when a
message would leave the range of doubles there. The backward rows of a bag are
kept at about ``sqrt(bag size)`` checkpoints and recomputed block by block, so
memory grows like ``bag size ** 1.5`` while time stays ``O(bag size ** 2)``.
"""

import numpy as np

from libc.math cimport INFINITY, atanh, ceil, exp, fabs, log, log1p, sqrt, tanh
from numpy cimport int32_t, int64_t

ctypedef fused index_t:
    int32_t
    int64_t

# Below this, a linear-domain message has lost its precision: redo the bag in
# the log domain.
cdef double _TINY = 1e-280


cdef inline double _logaddexp(double a, double b) noexcept nogil:
    if a == -INFINITY:
        return b
    if b == -INFINITY:
        return a
    if a > b:
        return a + log1p(exp(b - a))
    return b + log1p(exp(a - b))


cdef inline double _log_sigmoid(double x) noexcept nogil:
    return -_logaddexp(0.0, -x)


cdef inline double _pair_message(
    double cavity, double coupling, double half_tanh
) noexcept nogil:
    # 2 atanh(tanh(w / 2) tanh(h / 2)) is the same message; it needs two
    # transcendental calls instead of four, and is exact while its argument
    # stays away from 1.
    if fabs(cavity) < 15.0 and coupling < 15.0:
        return 2.0 * atanh(half_tanh * tanh(0.5 * cavity))
    return _logaddexp(cavity, -coupling) - _logaddexp(cavity - coupling, 0.0)


cdef inline double _mix(
    double x, double y, double w0, double w1, bint in_log
) noexcept nogil:
    if in_log:
        return _logaddexp(w0 + x, w1 + y)
    return w0 * x + w1 * y


cdef inline Py_ssize_t _block_length(Py_ssize_t size) noexcept nogil:
    cdef Py_ssize_t step = <Py_ssize_t>ceil(sqrt(<double>size))
    return step if step > 0 else 1


cdef bint _backward_row(
    const double* following,
    double* current,
    Py_ssize_t j,
    double w0,
    double w1,
    bint in_log,
) noexcept nogil:
    """Row ``j`` (counts ``0 .. j``) of the backward sums from row ``j + 1``."""
    cdef Py_ssize_t t
    cdef double value, top = -INFINITY
    for t in range(j + 1):
        value = _mix(following[t], following[t + 1], w0, w1, in_log)
        current[t] = value
        if value > top:
            top = value
    if in_log:
        if top == -INFINITY or top != top:
            return False
        for t in range(j + 1):
            current[t] -= top
    else:
        if not top > 0.0:
            return False
        for t in range(j + 1):
            current[t] /= top
    return True


cdef bint _count_messages(
    const double* cavity,
    Py_ssize_t size,
    double target,
    double strength,
    double* out,
    double* w0,
    double* w1,
    double* before,
    double* rolling,
    double* checkpoints,
    double* block,
    bint in_log,
) noexcept nogil:
    """Messages of one count factor; False when the linear domain underflows."""
    cdef Py_ssize_t stride = size + 1
    cdef Py_ssize_t step = _block_length(size)
    cdef Py_ssize_t i, j, t, r, start, stop
    cdef double top = -INFINITY, m0, m1, value
    cdef double* row
    cdef double* nxt
    cdef double* swap
    for j in range(size):
        if in_log:
            w1[j] = _log_sigmoid(cavity[j])
            w0[j] = _log_sigmoid(-cavity[j])
        else:
            w1[j] = 1.0 / (1.0 + exp(-cavity[j]))
            w0[j] = 1.0 / (1.0 + exp(cavity[j]))

    # Backward rows: row j holds the factor summed over members j .. size - 1
    # for each count of members 0 .. j - 1. Keep rows size and every multiple
    # of step.
    nxt = rolling
    row = rolling + stride
    for t in range(stride):
        value = -strength * (t - target) * (t - target)
        nxt[t] = value
        if value > top:
            top = value
    for t in range(stride):
        nxt[t] = nxt[t] - top if in_log else exp(nxt[t] - top)
    for t in range(stride):
        checkpoints[((size + step - 1) // step - 1) * stride + t] = nxt[t]
    for j in range(size - 1, 0, -1):
        if not _backward_row(nxt, row, j, w0[j], w1[j], in_log):
            return False
        if j % step == 0:
            for t in range(j + 1):
                checkpoints[(j // step - 1) * stride + t] = row[t]
        swap = nxt
        nxt = row
        row = swap

    # Forward over blocks of members; recompute each block's backward rows.
    before[0] = 0.0 if in_log else 1.0
    start = 0
    while start < size:
        stop = start + step if start + step < size else size
        r = (stop + step - 1) // step - 1
        for t in range(stop + 1):
            block[(stop - start - 1) * stride + t] = checkpoints[r * stride + t]
        for r in range(stop - 1, start, -1):
            if not _backward_row(
                block + (r - start) * stride,
                block + (r - start - 1) * stride,
                r,
                w0[r],
                w1[r],
                in_log,
            ):
                return False
        for i in range(start, stop):
            row = block + (i - start) * stride
            if in_log:
                m0 = -INFINITY
                m1 = -INFINITY
                for t in range(i + 1):
                    m0 = _logaddexp(m0, before[t] + row[t])
                    m1 = _logaddexp(m1, before[t] + row[t + 1])
                out[i] = m1 - m0
                before[i + 1] = before[i] + w1[i]
                for t in range(i, 0, -1):
                    before[t] = _logaddexp(before[t] + w0[i], before[t - 1] + w1[i])
                before[0] += w0[i]
            else:
                m0 = 0.0
                m1 = 0.0
                for t in range(i + 1):
                    m0 += before[t] * row[t]
                    m1 += before[t] * row[t + 1]
                if not (m0 > _TINY and m1 > _TINY):
                    return False
                out[i] = log(m1) - log(m0)
                before[i + 1] = before[i] * w1[i]
                for t in range(i, 0, -1):
                    before[t] = before[t] * w0[i] + before[t - 1] * w1[i]
                before[0] *= w0[i]
        start = stop
    return True


cdef void _bag_messages(
    const double* cavity,
    Py_ssize_t size,
    double target,
    double strength,
    double* out,
    double* work,
    Py_ssize_t max_size,
) noexcept nogil:
    cdef Py_ssize_t rows = _block_length(max_size) + 2
    cdef double* w0 = work
    cdef double* w1 = w0 + max_size
    cdef double* before = w1 + max_size
    cdef double* rolling = before + max_size + 1
    cdef double* checkpoints = rolling + 2 * (max_size + 1)
    cdef double* block = checkpoints + rows * (max_size + 1)
    if not _count_messages(
        cavity, size, target, strength, out, w0, w1, before, rolling,
        checkpoints, block, False,
    ):
        _count_messages(
            cavity, size, target, strength, out, w0, w1, before, rolling,
            checkpoints, block, True,
        )


def _workspace(Py_ssize_t max_size):
    cdef Py_ssize_t rows = _block_length(max_size) + 2
    return np.zeros(5 * max_size + 3 + 2 * rows * (max_size + 1))


def pairwise_messages(const double[::1] cavity, const double[::1] coupling):
    """Messages of similarity factors, as log-odds.

    The factor ``exp(-coupling * [y_i != y_j])`` turns the cavity log-odds of
    ``y_i`` (its belief without this factor's message) into a message to
    ``y_j``.

    Parameters
    ----------
    cavity : ndarray of float64
        Cavity log-odds of the sending variables.
    coupling : ndarray of float64
        Non-negative coupling of each factor, same shape.

    Returns
    -------
    messages : ndarray of float64
        ``log(e**h + e**-w) - log(e**(h - w) + 1)`` for cavity ``h`` and
        coupling ``w``: between ``-w`` and ``w``, with the sign of ``h``.
    """
    if cavity.shape[0] != coupling.shape[0]:
        raise ValueError("cavity and coupling must have the same length.")
    result = np.empty(cavity.shape[0])
    cdef double[::1] out = result
    cdef Py_ssize_t p
    with nogil:
        for p in range(cavity.shape[0]):
            out[p] = _pair_message(cavity[p], coupling[p], tanh(0.5 * coupling[p]))
    return result


def count_factor_messages(const double[::1] cavity, double target, double strength):
    """Messages of one bag's count factor to its members, as log-odds.

    The factor is ``exp(-strength * (count - target) ** 2)`` with ``count``
    the number of members labelled 1.

    Parameters
    ----------
    cavity : ndarray of float64, shape (bag_size,)
        Cavity log-odds of the members (their beliefs without this factor).
    target : float
        The count the bag's proportion asks for, ``bag_size * proportion``.
    strength : float
        Non-negative weight of the squared count error.

    Returns
    -------
    messages : ndarray of float64, shape (bag_size,)
        Log-odds message to each member.
    """
    cdef Py_ssize_t size = cavity.shape[0]
    result = np.zeros(size)
    if size == 0:
        return result
    workspace = _workspace(size)
    cdef double[::1] out = result
    cdef double[::1] work = workspace
    with nogil:
        _bag_messages(&cavity[0], size, target, strength, &out[0], &work[0], size)
    return result


def run_belief_propagation(
    const index_t[::1] indptr,
    const index_t[::1] indices,
    const index_t[::1] reverse,
    const double[::1] coupling,
    const int64_t[::1] bag_indptr,
    const int64_t[::1] bag_members,
    const double[::1] bag_targets,
    double bag_strength,
    const double[::1] prior,
    double damping,
    Py_ssize_t max_iter,
    double tol,
):
    """Marginals of the LLP Gibbs distribution by damped loopy BP.

    Every iteration computes all messages from the current ones (a parallel
    schedule): similarity messages along each directed edge and count-factor
    messages of each bag. New messages are ``damping * old + (1 - damping) *
    computed``.

    Parameters
    ----------
    indptr, indices : ndarray of int32 or int64
        CSR structure of a symmetric graph without self-loops (both
        directions of every edge stored).
    reverse : ndarray, same dtype as ``indices``, shape (n_edges,)
        Position of the edge ``(j, i)`` for the edge ``(i, j)`` at each
        position.
    coupling : ndarray of float64, shape (n_edges,)
        Non-negative coupling of each edge, equal in both directions.
    bag_indptr : ndarray of int64, shape (n_bags + 1,)
        Bag ``b``'s members are ``bag_members[bag_indptr[b]:bag_indptr[b + 1]]``.
    bag_members : ndarray of int64
        Sample indices, each in at most one bag; samples in no bag get no bag
        message.
    bag_targets : ndarray of float64, shape (n_bags,)
        Target count of each bag.
    bag_strength : float
        Weight of the squared count error of every bag factor.
    prior : ndarray of float64, shape (n_samples,)
        Unary log-odds of each sample.
    damping : float
        Share of the old message kept at each update, in [0, 1).
    max_iter : int
        Most iterations.
    tol : float
        Stop after the first iteration whose largest change of a computed
        message against the current one is below ``tol``.

    Returns
    -------
    marginals : ndarray of float64, shape (n_samples,)
        Belief that each label is 1.
    n_iter : int
        Iterations run.
    converged : bool
        Whether the stopping test passed within ``max_iter`` iterations.
    """
    cdef Py_ssize_t n_samples = prior.shape[0]
    cdef Py_ssize_t n_edges = indices.shape[0]
    cdef Py_ssize_t n_bags = bag_targets.shape[0]
    cdef Py_ssize_t i, p, b, t, size, max_size = 0, n_iter = 0
    cdef int64_t member
    cdef double value, change, keep = damping, take = 1.0 - damping
    cdef bint converged = False
    if indptr.shape[0] != n_samples + 1 or indptr[n_samples] != n_edges:
        raise ValueError("indptr and indices do not describe an n_samples graph.")
    if reverse.shape[0] != n_edges or coupling.shape[0] != n_edges:
        raise ValueError("reverse and coupling need one entry per edge.")
    if bag_indptr.shape[0] != n_bags + 1:
        raise ValueError("bag_indptr needs one entry more than bag_targets.")
    for p in range(n_edges):
        if not (0 <= indices[p] < n_samples and 0 <= reverse[p] < n_edges):
            raise ValueError("indices or reverse holds an out-of-range entry.")
    if bag_indptr[0] != 0 or bag_indptr[n_bags] != bag_members.shape[0]:
        raise ValueError("bag_indptr does not describe bag_members.")
    for b in range(n_bags):
        size = bag_indptr[b + 1] - bag_indptr[b]
        if size < 0:
            raise ValueError("bag_indptr must be non-decreasing.")
        if size > max_size:
            max_size = size
    for p in range(bag_members.shape[0]):
        if not 0 <= bag_members[p] < n_samples:
            raise ValueError("bag_members holds an out-of-range sample index.")

    edge_array = np.zeros(n_edges)
    new_edge_array = np.zeros(n_edges)
    bag_array = np.zeros(n_samples)
    new_bag_array = np.zeros(n_samples)
    field_array = np.zeros(n_samples)
    buffers = np.zeros(2 * max_size + 1)
    half_tanh_array = np.tanh(0.5 * np.asarray(coupling))
    workspace = _workspace(max_size)
    cdef double[::1] edge_messages = edge_array
    cdef double[::1] new_edges = new_edge_array
    cdef double[::1] bag_messages = bag_array
    cdef double[::1] new_bags = new_bag_array
    cdef double[::1] field = field_array
    cdef double[::1] buffer = buffers
    cdef double[::1] work = workspace
    cdef double[::1] half_tanh = half_tanh_array
    cdef double* cavity = &buffer[0]
    cdef double* out = &buffer[max_size]

    with nogil:
        while n_iter < max_iter:
            for i in range(n_samples):
                value = prior[i] + bag_messages[i]
                for p in range(indptr[i], indptr[i + 1]):
                    value += edge_messages[p]
                field[i] = value
            change = 0.0
            for i in range(n_samples):
                for p in range(indptr[i], indptr[i + 1]):
                    value = _pair_message(
                        field[indices[p]] - edge_messages[reverse[p]],
                        coupling[p],
                        half_tanh[p],
                    )
                    new_edges[p] = value
                    value = fabs(value - edge_messages[p])
                    if value > change or value != value:
                        change = value
            for b in range(n_bags):
                size = bag_indptr[b + 1] - bag_indptr[b]
                if size == 0:
                    continue
                for t in range(size):
                    member = bag_members[bag_indptr[b] + t]
                    cavity[t] = field[member] - bag_messages[member]
                _bag_messages(
                    cavity, size, bag_targets[b], bag_strength, out, &work[0],
                    max_size,
                )
                for t in range(size):
                    member = bag_members[bag_indptr[b] + t]
                    new_bags[member] = out[t]
                    value = fabs(out[t] - bag_messages[member])
                    if value > change or value != value:
                        change = value
            for p in range(n_edges):
                edge_messages[p] = keep * edge_messages[p] + take * new_edges[p]
            for i in range(n_samples):
                bag_messages[i] = keep * bag_messages[i] + take * new_bags[i]
            n_iter += 1
            if change < tol:
                converged = True
                break
        for i in range(n_samples):
            value = prior[i] + bag_messages[i]
            for p in range(indptr[i], indptr[i + 1]):
                value += edge_messages[p]
            field[i] = exp(_log_sigmoid(value))
    return field_array, int(n_iter), bool(converged)
