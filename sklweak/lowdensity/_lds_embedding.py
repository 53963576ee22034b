"""The first half of LDS: density-sensitive distances and their MDS embedding.

Chapelle and Zien (2005) make distances short inside clusters and long across
low-density gaps. On a nearest-neighbour graph, an edge of Euclidean length
``d`` costs ``exp(rho * d) - 1``; the cost of the cheapest path between two
samples, ``P``, is turned back into a length, ``log(1 + P) / rho``, and squared:

    D_rho(i, j) = (log(1 + min_paths Σ_edges (exp(rho * d) - 1)) / rho) ** 2

``rho = 0`` gives the squared shortest-path (geodesic) distance; as ``rho``
grows, the distance approaches the squared longest edge on the path that keeps
it smallest, so a single long jump across a gap dominates. Classical
multidimensional scaling then turns the ``n x n`` matrix into coordinates whose
inner products match the distances as well as possible.
"""

import numpy as np
from scipy import linalg, sparse
from scipy.sparse.csgraph import connected_components, shortest_path

from ..utils._kernels import load_kernel

__all__ = ["classical_mds", "rho_path_distances", "select_n_components"]

# exp() overflows float64 past about 709: when rho * d_max exceeds this headroom,
# every edge cost is divided by exp(rho * d_max - _EXP_HEADROOM), which leaves
# the cheapest paths unchanged and is undone in the logarithm.
_EXP_HEADROOM = 690.0


def rho_path_distances(graph, rho, *, overwrite=False):
    """Squared rho-path distances between all nodes of a weighted graph.

    Parameters
    ----------
    graph : ndarray or sparse matrix of shape (n_samples, n_samples)
        Euclidean edge lengths, symmetric. A dense array is the complete
        graph: every pair ``(i, j)``, ``i != j``, is an edge (also at length
        zero, for duplicate samples), and the cheapest paths are found by
        Floyd-Warshall in a compiled kernel, ``O(n_samples ** 3)`` time. In a sparse matrix every
        stored entry is an edge (Dijkstra from every node).
    rho : float
        Softening constant, ``>= 0`` (same units as ``1 / length``). Costs
        are exact while ``rho * (longest - shortest edge)`` stays below about
        1400 (the range of float64 exponents); past that, edges shorter by
        more than that underflow to the smallest positive cost.
    overwrite : bool, default=False
        Whether a dense, C-ordered float64 ``graph`` may be overwritten (the
        result then lives in its memory).

    Returns
    -------
    distances : ndarray of shape (n_samples, n_samples)
        Squared rho-path distances, zero on the diagonal. Pairs without a
        connecting path get twice the largest finite distance.
    n_components : int
        Number of connected components of the graph.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> from sklweak.lowdensity._lds_embedding import rho_path_distances
    >>> chain = sparse.csr_matrix(np.array([[0, 1.0, 0], [0, 0, 2.0], [0, 0, 0]]))
    >>> D, _ = rho_path_distances(chain, 0.0)
    >>> D.tolist()
    [[0.0, 1.0, 9.0], [1.0, 0.0, 4.0], [9.0, 4.0, 0.0]]
    >>> D, _ = rho_path_distances(chain, 50.0)
    >>> round(float(np.sqrt(D[0, 2])), 3)
    2.0
    >>> points = np.array([0.0, 1.0, 2.0])
    >>> complete = np.abs(points[:, None] - points[None])
    >>> D, _ = rho_path_distances(complete, 50.0)
    >>> round(float(np.sqrt(D[0, 2])), 3)  # two steps of 1, not the jump of 2
    1.014
    """
    dense = not sparse.issparse(graph)
    if dense:
        as_array = np.asarray if overwrite else np.array  # np.array(copy=None) needs NumPy 2
        graph = as_array(graph, dtype=np.float64, order="C")
        if not graph.flags.writeable:
            graph = graph.copy()
        lengths = graph
    else:
        graph = sparse.csr_matrix(graph, dtype=np.float64, copy=True)
        lengths = graph.data
    shift = 0.0
    if rho > 0:
        shift = max(0.0, rho * float(lengths.max(initial=0.0)) - _EXP_HEADROOM)
        lengths *= rho
        if shift == 0.0:
            np.expm1(lengths, out=lengths)
        else:
            lengths -= shift
            np.exp(lengths, out=lengths)
            lengths -= np.exp(-shift)
    # scipy's shortest paths ignore zero weights; keep duplicates connected.
    np.maximum(lengths, np.finfo(np.float64).tiny, out=lengths)
    if dense:
        np.fill_diagonal(graph, 0.0)
        load_kernel("sklweak.lowdensity._paths").floyd_warshall_inplace(graph)
        paths = graph
        n_components = 1
    else:
        paths = shortest_path(graph, method="D", directed=False)
        n_components = connected_components(graph, directed=False)[0]
    finite = np.isfinite(paths)
    if rho > 0:
        if shift == 0.0:
            np.log1p(paths, out=paths, where=finite)
        else:
            with np.errstate(divide="ignore"):
                np.log(np.exp(-shift) + paths, out=paths, where=finite)
            paths[finite] += shift
        paths[finite] /= rho
    np.square(paths, out=paths)
    np.fill_diagonal(paths, 0.0)
    if not finite.all():
        paths[~finite] = 2.0 * paths[finite].max()
    return paths, int(n_components)


def classical_mds(distances, weights=None):
    """Classical MDS of squared distances, keeping every positive eigenvalue.

    The doubly centred matrix ``K = -0.5 * H @ distances @ H`` (``H`` the
    centring matrix) is a Gram matrix when the distances are Euclidean; its
    eigenvectors scaled by the square roots of their eigenvalues are the
    coordinates. Eigenvalues at most ``1e-10`` times the largest are dropped.

    With ``weights``, sample ``i`` counts as ``weights[i]`` copies: ``K`` is
    centred at the weighted mean, and the eigenvectors ``v`` of ``W^1/2 K
    W^1/2`` (``W`` the diagonal of the weights) give the coordinates
    ``W^-1/2 v`` times the square roots of the eigenvalues, the MDS of the
    repeated samples. Each coordinate's sign makes its largest-magnitude
    entry positive.

    Parameters
    ----------
    distances : ndarray of shape (n_samples, n_samples)
        Symmetric squared distances. Overwritten.
    weights : ndarray of shape (n_samples,) or None, default=None
        Positive sample weights (repetition counts); None: all ones.

    Returns
    -------
    embedding : ndarray of shape (n_samples, n_kept)
        Coordinates, one column per kept eigenvalue, largest first.
    eigenvalues : ndarray of shape (n_kept,)
        The kept eigenvalues, decreasing.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.lowdensity._lds_embedding import classical_mds
    >>> points = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 4.0]])
    >>> D = ((points[:, None] - points[None]) ** 2).sum(-1)
    >>> Z, eigenvalues = classical_mds(D.copy())
    >>> Z.shape
    (3, 2)
    >>> bool(np.allclose(((Z[:, None] - Z[None]) ** 2).sum(-1), D))
    True
    """
    K = distances
    if weights is None:
        row_means = K.mean(axis=1)
        total_mean = row_means.mean()
    else:
        shares = weights / weights.sum()
        row_means = K @ shares
        total_mean = shares @ row_means
    K -= row_means[:, None]
    K -= row_means[None, :]
    K += total_mean
    K *= -0.5
    if weights is not None:
        root = np.sqrt(weights)
        K *= root[:, None]
        K *= root[None, :]
    eigenvalues, eigenvectors = linalg.eigh(K, overwrite_a=True, check_finite=False)
    eigenvalues, eigenvectors = eigenvalues[::-1], eigenvectors[:, ::-1]
    keep = eigenvalues > 1e-10 * max(eigenvalues[0], 0.0)
    eigenvalues = eigenvalues[keep]
    # Fix each coordinate's sign (largest entry positive) for reproducibility.
    eigenvectors = eigenvectors[:, keep]
    if weights is not None:
        eigenvectors /= root[:, None]
    signs = np.sign(eigenvectors[np.argmax(np.abs(eigenvectors), axis=0), np.arange(keep.sum())])
    signs[signs == 0] = 1.0
    embedding = eigenvectors * (signs * np.sqrt(eigenvalues))
    return embedding, eigenvalues


def select_n_components(eigenvalues, delta):
    """Number of MDS coordinates to keep, by the threshold of Chapelle and Zien.

    The first ``p`` coordinates are kept, with ``p`` the first (0-based)
    index such that the eigenvalues from ``p + 1`` on hold less than a
    fraction ``delta`` of the total and ``eigenvalues[p] < delta *
    eigenvalues[0]``: the coordinates from ``p`` on are small one by one and
    together. ``delta=None`` keeps all of them.

    Parameters
    ----------
    eigenvalues : ndarray of shape (n,)
        Positive eigenvalues, decreasing.
    delta : float in [0, 1) or None
        The threshold.

    Returns
    -------
    n_components : int
        At least 1.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.lowdensity._lds_embedding import select_n_components
    >>> select_n_components(np.array([10.0, 5.0, 0.5, 0.1, 0.05]), 0.1)
    2
    >>> select_n_components(np.array([10.0, 5.0, 0.5]), None)
    3
    """
    n = eigenvalues.shape[0]
    if delta is None or n == 0:
        return max(n, 1)
    tail = 1.0 - np.cumsum(eigenvalues) / eigenvalues.sum()
    small = (tail < delta) & (eigenvalues < delta * eigenvalues[0])
    candidates = np.flatnonzero(small)
    if candidates.size == 0:
        return n
    return max(int(candidates[0]), 1)
