"""All-pairs cheapest paths of a dense graph (Floyd-Warshall), compiled.

Same function and signature as ``_paths_reference``. The classic triple loop
streams the whole matrix once per intermediate node, so it runs at the speed
of memory; this kernel works in square tiles that stay in cache (the blocked
order of Venkataraman, Sahni and Mukhopadhyaya, 2003). For each block of
intermediate nodes: the diagonal tile, then the tiles of its block row and
block column, then every other tile, which only reads finished tiles and so
is a min-plus product whose loops can run in any order.
"""

from libc.math cimport INFINITY

cdef enum:
    TILE = 64


cdef inline void _relax_row(
    double* row_i, const double* row_k, double through, Py_ssize_t j0, Py_ssize_t j1
) noexcept nogil:
    """row_i[j] = min(row_i[j], through + row_k[j]) for j in j0..j1-1."""
    cdef Py_ssize_t j
    cdef double candidate
    for j in range(j0, j1):
        # An unconditional store of the minimum: the compiler vectorises it.
        candidate = through + row_k[j]
        row_i[j] = candidate if candidate < row_i[j] else row_i[j]


cdef inline void _relax_tile(
    double* D, Py_ssize_t n,
    Py_ssize_t i0, Py_ssize_t i1,
    Py_ssize_t j0, Py_ssize_t j1,
    Py_ssize_t k0, Py_ssize_t k1,
    bint k_outermost,
) noexcept nogil:
    """Paths through nodes k0..k1-1 for the tile rows i0..i1, columns j0..j1.

    With ``k_outermost`` the steps follow Floyd-Warshall's order, needed when
    the tile reads itself; otherwise (the tiles read are finished) rows go
    outermost, which keeps each row of the tile in cache.
    """
    cdef Py_ssize_t i, k
    cdef double through
    if k_outermost:
        for k in range(k0, k1):
            for i in range(i0, i1):
                through = D[i * n + k]
                if through != INFINITY:
                    _relax_row(D + i * n, D + k * n, through, j0, j1)
    else:
        for i in range(i0, i1):
            for k in range(k0, k1):
                through = D[i * n + k]
                if through != INFINITY:
                    _relax_row(D + i * n, D + k * n, through, j0, j1)


def floyd_warshall_inplace(double[:, ::1] lengths):
    """Replace edge lengths by the lengths of the cheapest paths, in place.

    Parameters
    ----------
    lengths : ndarray of shape (n_nodes, n_nodes), float64, C-ordered
        ``lengths[i, j]`` is the length of the edge from ``i`` to ``j``,
        ``inf`` where there is none, ``>= 0`` elsewhere, zero on the
        diagonal. Every finite entry is an edge, zero-length ones included.
        Overwritten with the cheapest path lengths.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.lowdensity._paths_fast import floyd_warshall_inplace
    >>> D = np.array([[0.0, 1.0, 5.0], [1.0, 0.0, 2.0], [5.0, 2.0, 0.0]])
    >>> floyd_warshall_inplace(D)
    >>> D.tolist()
    [[0.0, 1.0, 3.0], [1.0, 0.0, 2.0], [3.0, 2.0, 0.0]]
    """
    cdef Py_ssize_t n = lengths.shape[0]
    if lengths.shape[1] != n:
        raise ValueError("lengths must be a square matrix.")
    if n == 0:
        return
    cdef double* D = &lengths[0, 0]
    cdef Py_ssize_t n_tiles = (n + TILE - 1) // TILE
    cdef Py_ssize_t kb, ib, jb, k0, k1, i0, i1, j0, j1
    with nogil:
        for kb in range(n_tiles):
            k0 = kb * TILE
            k1 = min(k0 + TILE, n)
            _relax_tile(D, n, k0, k1, k0, k1, k0, k1, True)
            for ib in range(n_tiles):
                if ib == kb:
                    continue
                i0 = ib * TILE
                i1 = min(i0 + TILE, n)
                _relax_tile(D, n, k0, k1, i0, i1, k0, k1, True)
                _relax_tile(D, n, i0, i1, k0, k1, k0, k1, True)
            for ib in range(n_tiles):
                if ib == kb:
                    continue
                i0 = ib * TILE
                i1 = min(i0 + TILE, n)
                for jb in range(n_tiles):
                    if jb == kb:
                        continue
                    j0 = jb * TILE
                    j1 = min(j0 + TILE, n)
                    _relax_tile(D, n, i0, i1, j0, j1, k0, k1, False)
