"""Label propagation and label spreading on sparse nearest-neighbour graphs.

Both estimators keep scikit-learn's API and, with ``kernel="knn"``, its results;
the difference is the graph. scikit-learn's ``kernel="rbf"`` builds the dense
``n x n`` RBF matrix (about 9 GB at 20k samples); here ``kernel="rbf"`` keeps the
RBF weights only on the edges of the k-nearest-neighbour graph (made
symmetric), so memory and time grow linearly with ``n_samples``. The graph comes from
:func:`sklweak.utils._graph.build_knn_graph`, exact or approximate (faiss HNSW)
through the ``neighbors`` option, and the iterations run in a compiled kernel.
"""

import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, SemiSupervisedMixin
from ..utils._graph import (
    LOCALITY_MIN_SAMPLES,
    NEIGHBORS_BACKENDS,
    NeighborIndex,
    graph_from_neighbors,
    locality_order,
)
from ..utils._kernels import load_kernel
from ..utils._sklearn_compat import Interval, StrOptions

__all__ = ["BaseLabelPropagation", "LabelPropagation", "LabelSpreading"]

_SHARED_PARAMETERS = """kernel : {"knn", "rbf"} or callable, default="rbf"
        Edge weights. ``"knn"``: weight 1 on each edge of the
        ``n_neighbors`` graph (scikit-learn's ``kernel="knn"``, same graph,
        directed: ``i`` links to its neighbours). ``"rbf"``: weight
        ``exp(-gamma * ||x_i - x_j|| ** 2)`` on the edges of the same graph
        made symmetric (``i`` and ``j`` are linked when either is among the
        other's neighbours), the graph the closed forms of label propagation
        and spreading assume; scikit-learn's ``"rbf"`` instead weights every
        pair of samples, a dense ``n x n`` matrix. On the 56 small tabular
        cells of ``benchmarks/bench_small_defaults.py`` the symmetric graph
        is 1.1 points of accuracy above the directed one for label
        spreading and 5.1 points for label propagation. A callable
        ``kernel(A, B)`` returns the ``(len(A), len(B))`` weights, dense or
        sparse, as in scikit-learn; they must be finite and non-negative
        (checked at ``fit`` and at prediction).
    gamma : float or {"auto", "local"}, default="local"
        Width of the RBF weights (``kernel="rbf"`` only). ``"local"``: a
        width per sample (Zelnik-Manor and Perona's local scaling), weight
        ``exp(-d_ij ** 2 / (s_i * s_j))`` where ``s_i`` is the distance from
        sample ``i`` to its farthest neighbour. ``"auto"``: one width read
        from the data, ``gamma_ = 1 / median(d ** 2)`` over the distances
        ``d`` between every training sample and its neighbours. Both are
        unchanged when every feature is multiplied by the same number. A
        float is used as given: scikit-learn's 20 suits distances between
        neighbours of about 0.1 to 0.3, and its weights vanish on features
        whose neighbours lie farther apart. On the 56 small tabular cells
        of ``benchmarks/bench_small_defaults.py``, label spreading with its
        defaults (``"local"``, 15 neighbours, ``alpha=0.5``) was 6.4 points
        of accuracy above scikit-learn's values (20, 7, 0.2) and label
        propagation with ``"local"`` 1.6 points above ``gamma=20``, both on
        the directed graph.
    n_neighbors : int, default={n_neighbors}
        Neighbours per sample, the sample itself included (at most
        ``n_samples``)."""

_GRAPH_PARAMETERS = """n_jobs : int, default=None
        Threads for the nearest-neighbour search (``None``: the search
        library's default; ``-1``: all processors).
    neighbors : {"auto", "exact", "hnsw"}, default="auto"
        Nearest-neighbour search. ``"exact"``: scikit-learn's
        ``NearestNeighbors`` (quadratic time). ``"hnsw"``: approximate search
        with faiss (optional dependency: ``pip install "sklweak[ann]"``), time
        close to ``n log n``, recall near 0.99; with several threads the approximate
        graph can differ slightly between runs. ``"auto"``: exact below 50,000
        samples, for sparse ``X``, with at most 4 features (a k-d tree is
        then faster) or without faiss; ``"hnsw"`` otherwise.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample."""

_ATTRIBUTES = """X_ : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training data.
    classes_ : ndarray of shape (n_classes,)
        Class labels seen among the labeled samples.
    label_distributions_ : ndarray of shape (n_samples, n_classes)
        Class distribution of every training sample. A sample the labels
        never reached (no path to a labeled sample, or weights that vanish)
        gets the uniform distribution, never NaN (scikit-learn leaves it
        all zero).
    transduction_ : ndarray of shape (n_samples,)
        Label given to every training sample.
    unreached_ : ndarray of bool, shape (n_samples,)
        Training samples the labels never reached, given the uniform
        distribution; they count for nothing when predicting new samples.
    n_iter_ : int
        Iterations run.
    neighbor_index_ : NeighborIndex or None
        Search index over ``X_`` used to predict new points; ``None`` for a
        callable kernel.
    neighbors_backend_ : {"exact", "hnsw"} or None
        Search backend used; ``None`` for a callable kernel.
    gamma_ : float or None
        Width of the RBF weights used: ``gamma``, or the width read from the
        data for ``gamma="auto"``; ``None`` for ``kernel="knn"``, a callable
        kernel or ``gamma="local"``.
    n_features_in_ : int
        Number of features of the ``X`` given to ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Column names of the ``X`` given to ``fit``, when it has string
        feature names."""


def _as_distributions(scores):
    """Normalise rows to sum to one; an all-zero row becomes uniform."""
    scores = np.asarray(scores, dtype=np.float64)
    totals = scores.sum(axis=1, keepdims=True)
    empty = totals[:, 0] <= 0
    totals[empty] = 1.0
    scores = scores / totals
    scores[empty] = 1.0 / scores.shape[1]
    return scores


def _local_scales(distances):
    """Each row's distance to its farthest neighbour; a zero takes the median of the others."""
    scales = np.asarray(distances, dtype=np.float64).max(axis=1)
    positive = scales[scales > 0]
    scales[scales <= 0] = np.median(positive) if positive.size else 1.0
    return scales


def _off_diagonal(graph):
    """Copy of a CSR graph without its self-loops (explicit zeros dropped)."""
    graph = graph.tocsr(copy=True)
    rows = np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))
    graph.data[graph.indices == rows] = 0.0
    graph.eliminate_zeros()
    return graph


class BaseLabelPropagation(SemiSupervisedMixin, BaseWeakClassifier, metaclass=ABCMeta):
    """Shared machinery of graph-based label propagation.

    The base builds the affinity graph from ``kernel``, hands it to
    :meth:`_normalize_graph`, the one step a subclass provides, runs the
    iterations named by ``_kernel_function`` in the compiled kernel and turns
    the result into distributions.

    Parameters
    ----------
    {shared}
    alpha : float or None, default=None
        Clamping factor (label spreading only).
    max_iter : int, default=30
        Most iterations.
    tol : float, default=1e-3
        Convergence threshold on the total absolute change of the
        distributions over one iteration.
    {graph}
    """

    _kernel_function = None

    _parameter_constraints: dict = {
        "kernel": [StrOptions({"knn", "rbf"}), callable],
        "gamma": [Interval(Real, 0, None, closed="left"), StrOptions({"auto", "local"})],
        "n_neighbors": [Interval(Integral, 0, None, closed="neither")],
        "alpha": [None, Interval(Real, 0, 1, closed="neither")],
        "max_iter": [Interval(Integral, 0, None, closed="neither")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_jobs": [None, Integral],
        "neighbors": [StrOptions(set(NEIGHBORS_BACKENDS))],
        "unlabeled_label": SemiSupervisedMixin._unlabeled_label_constraint,
    }

    def __init__(
        self,
        kernel="rbf",
        *,
        gamma="local",
        n_neighbors=7,
        alpha=None,
        max_iter=30,
        tol=1e-3,
        n_jobs=None,
        neighbors="auto",
        unlabeled_label=-1,
    ):
        self.kernel = kernel
        self.gamma = gamma
        self.n_neighbors = n_neighbors
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol
        self.n_jobs = n_jobs
        self.neighbors = neighbors
        self.unlabeled_label = unlabeled_label

    def _build_graph(self):
        """The fitted graph the iterations multiply by, as scikit-learn's method gives it.

        scikit-learn's private ``_build_graph()``, which its own tests call
        after ``fit``: the graph is rebuilt from ``X_`` with the fitted
        neighbour index and widths (nothing fitted changes), dense except
        with ``kernel="knn"`` (sparse, as there).

        Returns
        -------
        graph : ndarray or scipy.sparse.csr_matrix of shape (n_samples, n_samples)
        """
        check_is_fitted(self)
        if callable(self.kernel):
            affinity = self._kernel_weights(self.X_, self.X_)
        else:
            affinity = self._training_affinity(*self._training_neighbors())
        graph = self._normalize_graph(affinity).tocsr()
        return graph if self.kernel == "knn" else graph.toarray()

    @abstractmethod
    def _normalize_graph(self, affinity):
        """Turn the affinity matrix into the matrix the iterations multiply by.

        Parameters
        ----------
        affinity : scipy.sparse.csr_matrix of shape (n_samples, n_samples)
            Non-negative edge weights, self-loops included as the kernel gives
            them.

        Returns
        -------
        graph : scipy.sparse.csr_matrix of shape (n_samples, n_samples)
        """

    def _kernel_arguments(self):
        """Keyword arguments of the kernel function beyond the common ones."""
        return {}

    def _neighbor_weights(self):
        return "connectivity" if self.kernel == "knn" else "rbf"

    def _kernel_weights(self, A, B):
        """The callable kernel's ``(len(A), len(B))`` weights, checked."""
        weights = self.kernel(A, B)
        try:
            weights = sparse.csr_matrix(weights, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{type(self).__name__}: kernel(A, B) must return a dense or sparse "
                f"matrix of numbers; got {type(weights).__name__}."
            ) from exc
        expected = (A.shape[0], B.shape[0])
        if weights.shape != expected:
            raise ValueError(
                f"{type(self).__name__}: kernel(A, B) must return weights of shape "
                f"(len(A), len(B)) = {expected}; got {weights.shape}."
            )
        if not np.all(np.isfinite(weights.data)) or np.any(weights.data < 0):
            raise ValueError(
                f"{type(self).__name__}: kernel(A, B) returned NaN, infinite or "
                "negative weights; a graph kernel's weights must be finite and "
                "non-negative."
            )
        return weights

    def _affinity(self, X):
        """Fit the neighbour index and the widths on ``X``; return its affinity."""
        if callable(self.kernel):
            self.neighbor_index_ = None
            self.neighbors_backend_ = None
            self.gamma_ = None
            self._sample_scales = None
            return self._kernel_weights(X, X)
        self.neighbor_index_ = NeighborIndex(self.neighbors, n_jobs=self.n_jobs).fit(X)
        self.neighbors_backend_ = self.neighbor_index_.backend_
        distances, indices = self._training_neighbors()
        self._learn_widths(distances, indices)
        return self._training_affinity(distances, indices)

    def _training_neighbors(self):
        """Each training sample's neighbours (itself included) in the fitted index."""
        n_neighbors = min(self.n_neighbors, self.neighbor_index_.n_samples_fit_)
        return self.neighbor_index_.kneighbors(None, n_neighbors, include_self=True)

    def _training_affinity(self, distances, indices):
        """The training graph: directed for ``"knn"``, symmetric for ``"rbf"``."""
        affinity = self._neighbor_graph(distances, indices, self._sample_scales)
        if self.kernel == "knn":
            return affinity
        return affinity.maximum(affinity.T).tocsr()

    def _learn_widths(self, distances, indices):
        """Set ``gamma_`` (and the per-sample scales of ``gamma="local"``)."""
        self._sample_scales = None
        if self.kernel != "rbf" or self.gamma not in ("auto", "local"):
            self.gamma_ = self.gamma if self.kernel == "rbf" else None
            return
        if self.gamma == "local":
            self.gamma_ = None
            self._sample_scales = _local_scales(distances)
            return
        others = indices != np.arange(indices.shape[0])[:, None]
        squared = np.square(distances[others])
        squared = squared[squared > 0]
        self.gamma_ = 1.0 / float(np.median(squared)) if squared.size else 1.0

    def _neighbor_graph(self, distances, indices, query_scales):
        """Weighted graph from neighbour lists into the training samples."""
        n_samples_fit = self.neighbor_index_.n_samples_fit_
        if query_scales is None:
            return graph_from_neighbors(
                distances,
                indices,
                n_samples_fit,
                weights=self._neighbor_weights(),
                gamma=self.gamma_,
            )
        graph = graph_from_neighbors(distances, indices, n_samples_fit, weights="distance")
        rows = np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))
        widths = query_scales[rows] * self._sample_scales[graph.indices]
        graph.data = np.exp(-np.square(graph.data) / widths)
        return graph

    def fit(self, X, y, **fit_params):
        """Fit the model on labeled and unlabeled samples together.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, labeled and unlabeled.
        y : array-like of shape (n_samples,)
            Class labels, ``unlabeled_label`` for unlabeled samples. Every
            sample gets a label in ``transduction_``.
        **fit_params : dict
            None is accepted: the propagation has no per-sample weights
            (``sample_weight`` is refused with a ``TypeError`` naming the
            estimator, as scikit-learn's label propagation refuses it).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if fit_params:
            raise TypeError(
                f"{type(self).__name__}.fit takes no {', '.join(sorted(fit_params))}: "
                "the propagation weighs samples only through the graph (no "
                "sample_weight, as in scikit-learn's LabelSpreading); repeat rows "
                "or use a callable kernel to weigh them."
            )
        return super().fit(X, y)

    def _fit(self, X, target, sample_weight):
        self.X_ = X
        self.classes_ = target.classes
        graph = self._normalize_graph(self._affinity(X)).tocsr()
        y_encoded = np.asarray(target.y_encoded, dtype=np.int64)
        order = None
        if graph.shape[0] >= LOCALITY_MIN_SAMPLES:
            order = locality_order(graph)
            graph = graph[order][:, order].tocsr()
            y_encoded = y_encoded[order]
        kernel = load_kernel("sklweak.graph._propagation")
        iterate = getattr(kernel, self._kernel_function)
        scores, self.n_iter_, converged = iterate(
            indptr=graph.indptr,
            indices=graph.indices.astype(graph.indptr.dtype, copy=False),
            data=np.ascontiguousarray(graph.data, dtype=np.float64),
            y_encoded=np.ascontiguousarray(y_encoded),
            n_classes=len(self.classes_),
            max_iter=self.max_iter,
            tol=self.tol,
            **self._kernel_arguments(),
        )
        if order is not None:
            scores[order] = scores.copy()
        if not converged:
            warnings.warn(
                f"max_iter={self.max_iter} was reached without convergence.",
                ConvergenceWarning,
            )
        self.unreached_ = ~(scores.sum(axis=1) > 0)
        self.label_distributions_ = _as_distributions(scores)
        self.transduction_ = self.classes_[np.argmax(self.label_distributions_, axis=1)]
        return self

    def predict_proba(self, X):
        """Class distributions of new samples from their training neighbours.

        A new sample's distribution is the weighted sum of the distributions
        of its ``n_neighbors`` nearest training samples (every training
        sample, weighted by ``kernel``, for a callable kernel), normalised.
        Neighbours in ``unreached_`` count for nothing, and a sample whose
        weights all vanish gets the uniform distribution.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        probabilities : ndarray of shape (n_samples, n_classes)
            Class distributions, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc"],
            dtype=[np.float64, np.float32],
            reset=False,
        )
        if callable(self.kernel):
            weights = self._kernel_weights(self.X_, X).T
        else:
            n_neighbors = min(self.n_neighbors, self.neighbor_index_.n_samples_fit_)
            distances, indices = self.neighbor_index_.kneighbors(X, n_neighbors)
            query_scales = None if self._sample_scales is None else _local_scales(distances)
            weights = self._neighbor_graph(distances, indices, query_scales)
        weights = weights @ sparse.diags((~self.unreached_).astype(np.float64))
        return _as_distributions(weights @ self.label_distributions_)

    def predict(self, X):
        """Predict the class of new samples.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted classes.
        """
        probabilities = self.predict_proba(X)
        return self.classes_[np.argmax(probabilities, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class LabelPropagation(BaseLabelPropagation):
    """Label propagation with hard clamping on a sparse nearest-neighbour graph.

    Each iteration gives every unlabeled sample the weighted average of its
    neighbours' class distributions; labeled samples keep their labels
    (Zhu and Ghahramani, 2002). The propagation matrix is the affinity with
    each row divided by its sum.

    Parameters
    ----------
    {shared}
    max_iter : int, default=1000
        Most iterations; a :class:`~sklearn.exceptions.ConvergenceWarning` is
        raised when they run out.
    tol : float, default=1e-3
        Convergence threshold on the total absolute change of the
        distributions over one iteration.
    {graph}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    LabelSpreading : Soft clamping on a normalised graph, more robust to
        label noise.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.graph import LabelPropagation
    >>> X, y = load_iris(return_X_y=True)
    >>> y_weak = np.where(np.arange(len(y)) % 10 == 0, y, -1)
    >>> model = LabelPropagation(kernel="knn").fit(X, y_weak)
    >>> round(float(np.mean(model.transduction_ == y)), 2)
    0.91
    """

    _kernel_function = "propagate_labels"

    _parameter_constraints: dict = {**BaseLabelPropagation._parameter_constraints}
    _parameter_constraints.pop("alpha")

    def __init__(
        self,
        kernel="rbf",
        *,
        gamma="local",
        n_neighbors=7,
        max_iter=1000,
        tol=1e-3,
        n_jobs=None,
        neighbors="auto",
        unlabeled_label=-1,
    ):
        super().__init__(
            kernel=kernel,
            gamma=gamma,
            n_neighbors=n_neighbors,
            max_iter=max_iter,
            tol=tol,
            n_jobs=n_jobs,
            neighbors=neighbors,
            unlabeled_label=unlabeled_label,
        )

    def _normalize_graph(self, affinity):
        """Divide every row of the affinity by its sum (zero rows stay zero)."""
        totals = np.asarray(affinity.sum(axis=1)).ravel()
        totals[totals == 0] = 1.0
        return sparse.diags(1.0 / totals) @ affinity


class LabelSpreading(BaseLabelPropagation):
    """Label spreading with soft clamping on a sparse nearest-neighbour graph.

    Each iteration sets ``F <- alpha * S @ F + (1 - alpha) * Y`` (Zhou et al.,
    2004), where ``Y`` holds the given labels and ``S`` is the affinity
    without self-loops, each edge ``(i, j)`` divided by
    ``sqrt(d_i * d_j)``, with ``d`` the weighted in-degree (column sums; a
    zero degree counts as one). This is scikit-learn's normalisation,
    reproduced exactly for ``kernel="knn"``.

    Parameters
    ----------
    {shared}
    alpha : float, default=0.5
        Clamping factor in (0, 1): the share of a sample's distribution that
        comes from its neighbours rather than from its own label.
        scikit-learn's default is 0.2; 0.5 was best measured on small data
        (``benchmarks/bench_small_defaults.py``).
    max_iter : int, default=30
        Most iterations; a :class:`~sklearn.exceptions.ConvergenceWarning` is
        raised when they run out.
    tol : float, default=1e-3
        Convergence threshold on the total absolute change of the
        distributions over one iteration.
    {graph}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    LabelPropagation : Hard clamping: labeled samples never change.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklweak.graph import LabelSpreading
    >>> X, y = load_iris(return_X_y=True)
    >>> y_weak = np.where(np.arange(len(y)) % 10 == 0, y, -1)
    >>> model = LabelSpreading().fit(X, y_weak)
    >>> round(float(np.mean(model.transduction_ == y)), 2)
    0.91
    >>> model.predict_proba(X[:1]).round(2)
    array([[1., 0., 0.]])
    """

    _kernel_function = "spread_labels"

    _parameter_constraints: dict = {
        **BaseLabelPropagation._parameter_constraints,
        "alpha": [Interval(Real, 0, 1, closed="neither")],
    }

    def __init__(
        self,
        kernel="rbf",
        *,
        gamma="local",
        n_neighbors=15,
        alpha=0.5,
        max_iter=30,
        tol=1e-3,
        n_jobs=None,
        neighbors="auto",
        unlabeled_label=-1,
    ):
        super().__init__(
            kernel=kernel,
            gamma=gamma,
            n_neighbors=n_neighbors,
            alpha=alpha,
            max_iter=max_iter,
            tol=tol,
            n_jobs=n_jobs,
            neighbors=neighbors,
            unlabeled_label=unlabeled_label,
        )

    def _kernel_arguments(self):
        return {"alpha": self.alpha}

    def _normalize_graph(self, affinity):
        """Symmetrically normalise the affinity without its self-loops."""
        graph = _off_diagonal(affinity)
        degree = np.bincount(graph.indices, weights=graph.data, minlength=graph.shape[0])
        scale = np.where(degree == 0, 1.0, np.sqrt(degree))
        rows = np.repeat(np.arange(graph.shape[0]), np.diff(graph.indptr))
        graph.data = graph.data / (scale[rows] * scale[graph.indices])
        return graph


for _cls, _n_neighbors in ((BaseLabelPropagation, 7), (LabelPropagation, 7), (LabelSpreading, 15)):
    _cls.__doc__ = _cls.__doc__.format(
        shared=_SHARED_PARAMETERS.replace("{n_neighbors}", str(_n_neighbors)),
        graph=_GRAPH_PARAMETERS,
        attributes=_ATTRIBUTES,
    )
