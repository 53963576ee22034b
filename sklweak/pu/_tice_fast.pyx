"""Subset search of TIcE, compiled.

Same function and signature as ``_tice_reference`` (read its docstring for the
conventions and tie-breaking). A split counts, in one pass over the node's
tree rows, every feature's bins at once into two ``(n_features, n_bins)``
tables, and partitions the rows of both halves by the chosen feature's bin
with a counting sort, so each node's rows stay in ascending order. The queue
is Python's ``heapq`` on ``(-priority, node)`` tuples, exactly as in the
reference.
"""

import heapq

import numpy as np

from numpy cimport int64_t, uint8_t

__all__ = ["induce_subsets"]


cdef inline double _bepp(int64_t labeled_count, int64_t total, double max_bepp):
    if total <= 0:
        return 0.0
    return <double>labeled_count / (<double>total + max_bepp)


cdef list _partition(const uint8_t[:, ::1] codes, const int64_t[::1] rows,
                     Py_ssize_t feature, Py_ssize_t n_bins):
    """Rows of each bin of ``feature``, ascending, as a list of arrays."""
    cdef Py_ssize_t i, n = rows.shape[0]
    cdef int64_t[::1] counts = np.zeros(n_bins + 1, dtype=np.int64)
    cdef int64_t[::1] out = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] cursor
    cdef uint8_t value
    for i in range(n):
        counts[codes[rows[i], feature] + 1] += 1
    for i in range(n_bins):
        counts[i + 1] += counts[i]
    cursor = np.array(counts[:n_bins], dtype=np.int64)
    for i in range(n):
        value = codes[rows[i], feature]
        out[cursor[value]] = rows[i]
        cursor[value] += 1
    result = np.asarray(out)
    return [result[counts[i]:counts[i + 1]] for i in range(n_bins)]


def induce_subsets(codes_tree, labeled_tree, codes_est, n_bins, max_bepp, max_splits, min_size):
    """Grow the TIcE subset tree and return each node's estimation rows.

    Parameters
    ----------
    codes_tree : ndarray of shape (n_tree, n_features), dtype uint8
        Binned features of the rows the tree is grown on.
    labeled_tree : ndarray of shape (n_tree,), dtype uint8
        1 for a labeled positive among the tree rows.
    codes_est : ndarray of shape (n_est, n_features), dtype uint8
        Binned features of the estimation rows, routed down the tree.
    n_bins : int
        Number of bins; every code is below it.
    max_bepp : float
        The ``k`` of the max-bepp score ``L / (T + k)``.
    max_splits : int
        Most splits.
    min_size : int
        Fewest tree rows for a node to be split.

    Returns
    -------
    indptr : ndarray of shape (n_nodes + 1,), dtype int64
    indices : ndarray of shape (nnz,), dtype int64
        Estimation rows of node ``i``: ``indices[indptr[i]:indptr[i + 1]]``.
    """
    cdef const uint8_t[:, ::1] tree = np.ascontiguousarray(codes_tree, dtype=np.uint8)
    cdef const uint8_t[:, ::1] est = np.ascontiguousarray(codes_est, dtype=np.uint8)
    cdef const uint8_t[::1] labeled = np.ascontiguousarray(labeled_tree, dtype=np.uint8)
    cdef Py_ssize_t n_features = tree.shape[1]
    cdef Py_ssize_t bins = n_bins
    cdef double k = max_bepp
    cdef Py_ssize_t limit = max_splits
    cdef Py_ssize_t smallest = min_size
    cdef int64_t[:, ::1] total = np.zeros((n_features, bins), dtype=np.int64)
    cdef int64_t[:, ::1] positives = np.zeros((n_features, bins), dtype=np.int64)
    cdef int64_t[::1] rows
    cdef uint8_t[::1] used
    cdef Py_ssize_t i, f, b, n_rows, n_filled, best_feature, node, n_splits = 0
    cdef int64_t row, labeled_count
    cdef double score, best_score
    cdef uint8_t is_labeled

    root_tree = np.arange(tree.shape[0], dtype=np.int64)
    nodes_tree = [root_tree]
    nodes_est = [np.arange(est.shape[0], dtype=np.int64)]
    nodes_used = [np.zeros(n_features, dtype=np.uint8)]
    heap = []
    if tree.shape[0] >= smallest:
        labeled_count = 0
        for i in range(tree.shape[0]):
            labeled_count += labeled[i]
        heap.append((-_bepp(labeled_count, tree.shape[0], k), 0))
    while heap and n_splits < limit:
        node = heapq.heappop(heap)[1]
        rows = nodes_tree[node]
        used = nodes_used[node]
        n_rows = rows.shape[0]
        total[:, :] = 0
        positives[:, :] = 0
        for i in range(n_rows):
            row = rows[i]
            is_labeled = labeled[row]
            for f in range(n_features):
                total[f, tree[row, f]] += 1
                positives[f, tree[row, f]] += is_labeled
        best_feature = -1
        best_score = -1.0
        for f in range(n_features):
            if used[f]:
                continue
            n_filled = 0
            score = -1.0
            for b in range(bins):
                if total[f, b] > 0:
                    n_filled += 1
                    if _bepp(positives[f, b], total[f, b], k) > score:
                        score = _bepp(positives[f, b], total[f, b], k)
            if n_filled < 2:
                continue
            if score > best_score:
                best_feature = f
                best_score = score
        if best_feature < 0:
            continue
        n_splits += 1
        child_used = np.array(used, dtype=np.uint8)
        child_used[best_feature] = 1
        parts_tree = _partition(tree, rows, best_feature, bins)
        parts_est = _partition(est, nodes_est[node], best_feature, bins)
        for b in range(bins):
            child_tree = parts_tree[b]
            child_est = parts_est[b]
            if child_tree.shape[0] == 0 and child_est.shape[0] == 0:
                continue
            nodes_tree.append(child_tree)
            nodes_est.append(child_est)
            nodes_used.append(child_used)
            if child_tree.shape[0] >= smallest:
                heapq.heappush(
                    heap,
                    (-_bepp(positives[best_feature, b], total[best_feature, b], k),
                     len(nodes_tree) - 1),
                )
    sizes = np.array([part.shape[0] for part in nodes_est], dtype=np.int64)
    indptr = np.zeros(len(nodes_est) + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    indices = np.concatenate(nodes_est).astype(np.int64, copy=False)
    return indptr, indices
