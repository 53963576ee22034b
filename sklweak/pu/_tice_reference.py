"""Subset search of TIcE, in plain NumPy.

The readable reference of ``_tice_fast``: same function, same signature, same
result. It is used by the parity tests and, when asked for
(``SKLWEAK_KERNELS=reference``), in place of the compiled module.

Conventions shared with the compiled module:

- ``codes_tree`` and ``codes_est`` are C-contiguous ``uint8`` arrays of shape
  ``(n_rows, n_features)`` holding each feature's bin in ``[0, n_bins)``;
  ``labeled_tree`` is a ``uint8`` array, 1 for a labeled positive.
- The search grows one tree on the "tree" rows. A node's priority, and a
  feature's split score, are "max-bepp" values ``L / (T + max_bepp)``: ``L``
  labeled and ``T`` total tree rows of a node, computed in float64. The queue
  pops the highest priority first, the earliest created node on ties; a node
  is split on the unused feature whose best child has the highest max-bepp
  (the lowest feature index on ties), and only on a feature that puts its tree
  rows in two bins or more. Every bin holding a tree row or an estimation row
  becomes a child, in bin order; a child joins the queue when it has at least
  ``min_size`` tree rows. The search stops after ``max_splits`` splits or when
  the queue is empty.
- The result is each node's estimation rows, in creation order (node 0 is the
  root, holding every estimation row), as CSR ``(indptr, indices)`` of int64
  with ascending indices within a node.
"""

import heapq

import numpy as np

__all__ = ["induce_subsets"]


def _bepp(labeled_count, total, max_bepp):
    return labeled_count / (total + max_bepp) if total > 0 else 0.0


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
    n_features = codes_tree.shape[1]
    labeled = labeled_tree.astype(np.int64)
    root_tree = np.arange(codes_tree.shape[0], dtype=np.int64)
    root_est = np.arange(codes_est.shape[0], dtype=np.int64)
    nodes_tree = [root_tree]
    nodes_est = [root_est]
    nodes_used = [np.zeros(n_features, dtype=bool)]
    heap = []
    if root_tree.shape[0] >= min_size:
        priority = _bepp(int(labeled.sum()), root_tree.shape[0], max_bepp)
        heap.append((-priority, 0))
    n_splits = 0
    while heap and n_splits < max_splits:
        _, node = heapq.heappop(heap)
        rows_tree, rows_est, used = nodes_tree[node], nodes_est[node], nodes_used[node]
        best_feature, best_score = -1, -1.0
        for feature in range(n_features):
            if used[feature]:
                continue
            codes = codes_tree[rows_tree, feature]
            total = np.bincount(codes, minlength=n_bins)
            if np.count_nonzero(total) < 2:
                continue
            positives = np.bincount(codes, weights=labeled[rows_tree], minlength=n_bins)
            filled = total > 0
            score = np.max(positives[filled] / (total[filled] + max_bepp))
            if score > best_score:
                best_feature, best_score = feature, score
        if best_feature < 0:
            continue
        n_splits += 1
        child_used = used.copy()
        child_used[best_feature] = True
        codes_t = codes_tree[rows_tree, best_feature]
        codes_e = codes_est[rows_est, best_feature]
        for value in range(n_bins):
            child_tree = rows_tree[codes_t == value]
            child_est = rows_est[codes_e == value]
            if child_tree.shape[0] == 0 and child_est.shape[0] == 0:
                continue
            child = len(nodes_tree)
            nodes_tree.append(child_tree)
            nodes_est.append(child_est)
            nodes_used.append(child_used)
            if child_tree.shape[0] >= min_size:
                priority = _bepp(int(labeled[child_tree].sum()), child_tree.shape[0], max_bepp)
                heapq.heappush(heap, (-priority, child))
    sizes = np.array([rows.shape[0] for rows in nodes_est], dtype=np.int64)
    indptr = np.zeros(len(nodes_est) + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    indices = np.concatenate(nodes_est).astype(np.int64, copy=False)
    return indptr, indices
