"""All-pairs cheapest paths of a dense graph (Floyd-Warshall), in NumPy.

Same function and signature as the compiled ``_paths_fast``, written for
reading and for parity tests; each step over an intermediate node builds an
``n x n`` temporary. Load it through ``load_kernel("sklweak.lowdensity._paths")``.
"""

import numpy as np

__all__ = ["floyd_warshall_inplace"]


def floyd_warshall_inplace(lengths):
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
    >>> from sklweak.lowdensity._paths_reference import floyd_warshall_inplace
    >>> D = np.array([[0.0, 1.0, 5.0], [1.0, 0.0, 2.0], [5.0, 2.0, 0.0]])
    >>> floyd_warshall_inplace(D)
    >>> D.tolist()
    [[0.0, 1.0, 3.0], [1.0, 0.0, 2.0], [3.0, 2.0, 0.0]]
    """
    for k in range(lengths.shape[0]):
        # Row and column k do not change at step k: the diagonal is zero.
        np.minimum(lengths, lengths[:, k, None] + lengths[None, k, :], out=lengths)
