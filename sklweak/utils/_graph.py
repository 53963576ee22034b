"""The k-nearest-neighbour graph shared by the graph-based methods.

Label propagation, low-density separation and LLP belief propagation all start
from the same object: a sparse graph linking every sample to its ``k`` nearest
neighbours. Building it is the real cost at scale, so it is written once here.

Two search backends are offered:

``"exact"``
    scikit-learn's :class:`~sklearn.neighbors.NearestNeighbors`. Exact, works
    on sparse input, but brute-force search grows with ``n_samples ** 2``.
``"hnsw"``
    A hierarchical navigable small-world index from faiss (the optional
    ``faiss-cpu`` dependency, ``pip install "sklweak[ann]"``). Approximate
    (recall about 0.99 on 100k points in 20 dimensions with the defaults),
    dense input only, and close to linear in ``n_samples``.

``"auto"`` picks ``"exact"`` below :data:`EXACT_MAX_SAMPLES` samples, for
sparse input, for at most :data:`TREE_MAX_FEATURES` features (where a k-d
tree search is close to ``n log n``), or when faiss is not installed, and
``"hnsw"`` otherwise.

Iterations over a large graph whose samples come in random order spend their
time waiting on memory; :func:`locality_order` renumbers the samples so that
neighbours sit close together.
"""

import warnings

import numpy as np
from joblib import effective_n_jobs
from scipy import sparse
from scipy.sparse.csgraph import reverse_cuthill_mckee
from sklearn.neighbors import NearestNeighbors
from sklearn.utils.validation import check_array

__all__ = [
    "EXACT_MAX_SAMPLES",
    "NEIGHBORS_BACKENDS",
    "NeighborIndex",
    "build_knn_graph",
    "graph_from_neighbors",
    "locality_order",
    "resolve_neighbors",
]

NEIGHBORS_BACKENDS = ("auto", "exact", "hnsw")
EXACT_MAX_SAMPLES = 50_000
TREE_MAX_FEATURES = 4
LOCALITY_MIN_SAMPLES = 50_000
GRAPH_WEIGHTS = ("connectivity", "distance", "rbf")


def _import_faiss():
    try:
        import faiss
    except ImportError as exc:
        raise ImportError(
            "neighbors='hnsw' needs the optional dependency faiss-cpu, which is "
            "not installed. Install it with: pip install 'sklweak[ann]' (or "
            "pip install faiss-cpu), or use neighbors='exact'."
        ) from exc
    return faiss


def _faiss_available():
    try:
        _import_faiss()
    except ImportError:
        return False
    return True


def resolve_neighbors(neighbors, X):
    """Choose the search backend for ``X``.

    Parameters
    ----------
    neighbors : {"auto", "exact", "hnsw"}
        The requested backend.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The points to index.

    Returns
    -------
    backend : {"exact", "hnsw"}
        ``neighbors`` itself unless it is ``"auto"``, which gives ``"exact"``
        for fewer than :data:`EXACT_MAX_SAMPLES` samples, for sparse ``X``,
        for at most :data:`TREE_MAX_FEATURES` features, or when faiss is
        missing (with a warning above that size), else ``"hnsw"``.

    Raises
    ------
    ValueError
        If ``neighbors`` is not one of the backends, or ``"hnsw"`` is asked
        for sparse ``X``.
    ImportError
        If ``"hnsw"`` is asked and faiss is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._graph import resolve_neighbors
    >>> resolve_neighbors("auto", np.zeros((100, 3)))
    'exact'
    """
    if neighbors not in NEIGHBORS_BACKENDS:
        raise ValueError(f"neighbors must be one of {NEIGHBORS_BACKENDS}; got {neighbors!r}.")
    if neighbors == "hnsw":
        if sparse.issparse(X):
            raise ValueError(
                "neighbors='hnsw' needs dense X; use neighbors='exact' for sparse input."
            )
        _import_faiss()
        return "hnsw"
    if (
        neighbors == "exact"
        or sparse.issparse(X)
        or X.shape[0] < EXACT_MAX_SAMPLES
        or X.shape[1] <= TREE_MAX_FEATURES
    ):
        return "exact"
    if not _faiss_available():
        warnings.warn(
            f"Exact nearest-neighbour search on {X.shape[0]} samples takes time "
            "quadratic in n_samples; install faiss-cpu (pip install "
            "'sklweak[ann]') for the approximate neighbors='hnsw' graph.",
            UserWarning,
            stacklevel=3,
        )
        return "exact"
    return "hnsw"


class NeighborIndex:
    """A searchable set of points, exact or approximate.

    Parameters
    ----------
    neighbors : {"auto", "exact", "hnsw"}, default="auto"
        Search backend; see :func:`resolve_neighbors`.
    n_jobs : int, default=None
        Threads for the search. ``None`` leaves each library's own default
        (scikit-learn and faiss both use their OpenMP threads), ``-1`` means
        all processors. With ``"hnsw"`` and several threads, the index, hence
        the approximate neighbours, can differ slightly between runs.
    hnsw_m : int, default=16
        Links per node of the HNSW graph.
    ef_construction : int, default=32
        Candidate list size while building the HNSW graph.
    ef_search : int, default=None
        Candidate list size while searching; ``None`` means
        ``max(20, 2 * n_neighbors)`` at each query.

    Attributes
    ----------
    backend_ : {"exact", "hnsw"}
        The backend actually used.
    n_samples_fit_ : int
        Number of indexed points.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._graph import NeighborIndex
    >>> X = np.array([[0.0], [1.0], [3.0]])
    >>> index = NeighborIndex("exact").fit(X)
    >>> distances, indices = index.kneighbors(n_neighbors=2)
    >>> indices.tolist()
    [[0, 1], [1, 0], [2, 1]]
    """

    def __init__(
        self,
        neighbors="auto",
        *,
        n_jobs=None,
        hnsw_m=16,
        ef_construction=32,
        ef_search=None,
    ):
        self.neighbors = neighbors
        self.n_jobs = n_jobs
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search

    def _faiss_threads(self):
        """faiss, its current thread count, and the count ``n_jobs`` asks for."""
        faiss = _import_faiss()
        previous = faiss.omp_get_max_threads()
        threads = previous if self.n_jobs is None else effective_n_jobs(self.n_jobs)
        return faiss, previous, threads

    def fit(self, X):
        """Index the points ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Points to index (sparse only with the exact backend).

        Returns
        -------
        self : NeighborIndex
            The fitted index.
        """
        X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32])
        self.backend_ = resolve_neighbors(self.neighbors, X)
        self.n_samples_fit_ = X.shape[0]
        if self.backend_ == "exact":
            self._fit_X = X
            self._index = NearestNeighbors(n_jobs=self.n_jobs).fit(X)
            return self
        faiss, previous, threads = self._faiss_threads()
        points = np.ascontiguousarray(X, dtype=np.float32)
        index = faiss.IndexHNSWFlat(points.shape[1], self.hnsw_m)
        index.hnsw.efConstruction = self.ef_construction
        try:
            faiss.omp_set_num_threads(threads)
            index.add(points)
        finally:
            faiss.omp_set_num_threads(previous)
        self._fit_X = None
        self._index = index
        return self

    def kneighbors(self, X=None, n_neighbors=10, *, include_self=True):
        """Find the nearest indexed points.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_queries, n_features), \
                default=None
            Query points. ``None`` queries the indexed points themselves. A
            sparse query of a dense index is densified (the index's points
            were dense, so its width is manageable).
        n_neighbors : int, default=10
            Neighbours per query (at most the number of indexed points, fewer
            without ``include_self``).
        include_self : bool, default=True
            Only when ``X`` is ``None``: whether a point may be its own
            neighbour. ``True`` searches the indexed points like new queries,
            so each point normally comes first at distance 0 (scikit-learn's
            ``kneighbors_graph(X)``); ``False`` removes each point from its
            own list.

        Returns
        -------
        distances : ndarray of float64, shape (n_queries, n_neighbors)
            Euclidean distances, nearest first.
        indices : ndarray of int64, shape (n_queries, n_neighbors)
            Rows of the indexed points.
        """
        n_fit = self.n_samples_fit_
        limit = n_fit if (X is not None or include_self) else n_fit - 1
        if not 1 <= n_neighbors <= limit:
            raise ValueError(
                f"n_neighbors must be between 1 and {limit} for {n_fit} indexed "
                f"points; got {n_neighbors}."
            )
        if (
            X is not None
            and sparse.issparse(X)
            and (self._fit_X is None or not sparse.issparse(self._fit_X))
        ):
            X = X.toarray()
        if self.backend_ == "exact":
            if X is None and not include_self:
                distances, indices = self._index.kneighbors(None, n_neighbors)
            else:
                query = self._fit_X if X is None else X
                distances, indices = self._index.kneighbors(query, n_neighbors)
            return distances.astype(np.float64, copy=False), indices.astype(np.int64)
        return self._hnsw_kneighbors(X, n_neighbors, include_self)

    def _hnsw_kneighbors(self, X, n_neighbors, include_self):
        faiss, previous, threads = self._faiss_threads()
        if X is None:
            query = self._index.reconstruct_n(0, self.n_samples_fit_)
        else:
            query = np.ascontiguousarray(X, dtype=np.float32)
        drop_self = X is None and not include_self
        k = n_neighbors + 1 if drop_self else n_neighbors
        self._index.hnsw.efSearch = self.ef_search or max(20, 2 * k)
        try:
            faiss.omp_set_num_threads(threads)
            squared, indices = self._index.search(query, k)
        finally:
            faiss.omp_set_num_threads(previous)
        indices = indices.astype(np.int64)
        distances = np.sqrt(np.maximum(squared.astype(np.float64), 0.0))
        if drop_self:
            distances, indices = _remove_self(distances, indices)
        missing = indices < 0
        if missing.any():
            # HNSW found fewer than k points for some queries (tiny indexes):
            # repeat each such query's nearest hit so every row stays complete.
            distances[missing] = np.broadcast_to(distances[:, :1], missing.shape)[missing]
            indices[missing] = np.broadcast_to(indices[:, :1], missing.shape)[missing]
        return distances, indices


def _remove_self(distances, indices):
    """Drop each row's own index, or its farthest hit when it is absent."""
    n, k = indices.shape
    own = indices == np.arange(n)[:, None]
    drop = np.where(own.any(axis=1), np.argmax(own, axis=1), k - 1)
    keep = np.ones(indices.shape, dtype=bool)
    keep[np.arange(n), drop] = False
    return distances[keep].reshape(n, k - 1), indices[keep].reshape(n, k - 1)


def graph_from_neighbors(distances, indices, n_samples_fit, *, weights="connectivity", gamma=1.0):
    """Turn neighbour lists into a sparse weighted graph.

    Parameters
    ----------
    distances : ndarray of shape (n_queries, n_neighbors)
        Euclidean distances to the neighbours.
    indices : ndarray of int, shape (n_queries, n_neighbors)
        Neighbours' rows among the ``n_samples_fit`` indexed points.
    n_samples_fit : int
        Number of indexed points (the number of columns).
    weights : {"connectivity", "distance", "rbf"}, default="connectivity"
        Edge weight: 1, the distance, or ``exp(-gamma * distance ** 2)``.
    gamma : float, default=1.0
        Width of the RBF weights.

    Returns
    -------
    graph : scipy.sparse.csr_matrix of shape (n_queries, n_samples_fit)
        Row ``i`` holds the weights of the edges from query ``i`` to its
        neighbours, in the order given.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._graph import graph_from_neighbors
    >>> graph = graph_from_neighbors(np.array([[0.0, 2.0]]), np.array([[0, 2]]), 3)
    >>> graph.toarray().tolist()
    [[1.0, 0.0, 1.0]]
    """
    if weights not in GRAPH_WEIGHTS:
        raise ValueError(f"weights must be one of {GRAPH_WEIGHTS}; got {weights!r}.")
    n_queries, k = indices.shape
    if weights == "connectivity":
        data = np.ones(n_queries * k)
    elif weights == "distance":
        data = np.asarray(distances, dtype=np.float64).ravel().copy()
    else:
        data = np.exp(-gamma * np.square(np.asarray(distances, dtype=np.float64)))
        data = data.ravel()
    index_dtype = np.int32 if n_queries * k < np.iinfo(np.int32).max else np.int64
    indptr = np.arange(0, n_queries * k + 1, k, dtype=index_dtype)
    columns = np.asarray(indices).astype(index_dtype).ravel()
    return sparse.csr_matrix((data, columns, indptr), shape=(n_queries, n_samples_fit))


def build_knn_graph(
    X,
    n_neighbors=10,
    *,
    weights="connectivity",
    gamma=1.0,
    include_self=True,
    neighbors="auto",
    n_jobs=None,
    return_index=False,
):
    """Build the directed k-nearest-neighbour graph of ``X``.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The points.
    n_neighbors : int, default=10
        Out-edges per point.
    weights : {"connectivity", "distance", "rbf"}, default="connectivity"
        Edge weight: 1, the Euclidean distance, or
        ``exp(-gamma * distance ** 2)``.
    gamma : float, default=1.0
        Width of the RBF weights.
    include_self : bool, default=True
        Whether a point counts among its own neighbours. ``True`` gives the
        graph of scikit-learn's ``NearestNeighbors(...).kneighbors_graph(X)``
        (with the exact backend, the same graph).
    neighbors : {"auto", "exact", "hnsw"}, default="auto"
        Search backend; see :func:`resolve_neighbors`.
    n_jobs : int, default=None
        Threads for the search; see :class:`NeighborIndex`.
    return_index : bool, default=False
        Also return the fitted :class:`NeighborIndex`, to query new points.

    Returns
    -------
    graph : scipy.sparse.csr_matrix of shape (n_samples, n_samples)
        ``graph[i, j]`` is the weight of the edge from ``i`` to its neighbour
        ``j``. The graph is not symmetrized.
    index : NeighborIndex
        Only with ``return_index=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._graph import build_knn_graph
    >>> X = np.array([[0.0], [1.0], [3.0], [7.0]])
    >>> build_knn_graph(X, 1, include_self=False).toarray().astype(int).tolist()
    [[0, 1, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]
    """
    if weights not in GRAPH_WEIGHTS:
        raise ValueError(f"weights must be one of {GRAPH_WEIGHTS}; got {weights!r}.")
    index = NeighborIndex(neighbors, n_jobs=n_jobs).fit(X)
    distances, indices = index.kneighbors(None, n_neighbors, include_self=include_self)
    graph = graph_from_neighbors(
        distances, indices, index.n_samples_fit_, weights=weights, gamma=gamma
    )
    return (graph, index) if return_index else graph


def locality_order(graph):
    """Renumber the nodes of a graph so that neighbours are close in memory.

    The reverse Cuthill-McKee order of the graph made symmetric. Iterating
    over a graph in this order touches nearby rows of the per-node arrays,
    which on a large graph whose samples come in random order is several
    times faster than the original order, with the same arithmetic.

    Parameters
    ----------
    graph : sparse matrix of shape (n_nodes, n_nodes)
        The graph; only its pattern of non-zeros matters.

    Returns
    -------
    order : ndarray of int64, shape (n_nodes,)
        ``order[i]`` is the original number of the node placed at ``i``:
        the permuted graph is ``graph[order][:, order]``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> from sklweak.utils._graph import locality_order
    >>> path = sparse.csr_matrix(
    ...     ([1.0] * 3, ([0, 3, 1], [3, 1, 2])), shape=(4, 4))
    >>> order = locality_order(path)
    >>> sorted(order.tolist())
    [0, 1, 2, 3]
    >>> permuted = path[order][:, order].toarray()
    >>> int(np.abs(np.subtract(*np.nonzero(permuted))).max())
    1
    """
    graph = sparse.csr_matrix(graph)
    pattern = (graph + graph.T).tocsr()
    return reverse_cuthill_mckee(pattern, symmetric_mode=True).astype(np.int64)
