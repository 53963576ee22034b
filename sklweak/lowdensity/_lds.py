"""Low Density Separation (LDS): graph distances, MDS, then the gradient TSVM."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import pairwise_distances
from sklearn.utils.validation import check_is_fitted, check_memory, validate_data

from ..base import BaseWeakClassifier, SemiSupervisedMixin
from ..utils._graph import NeighborIndex, graph_from_neighbors
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions
from ._gradient_tsvm import fit_gradient_tsvm
from ._lds_embedding import classical_mds, rho_path_distances, select_n_components

__all__ = ["LDSClassifier"]

# float64 matrices of n_samples ** 2 entries alive at the peak of fit (the path
# distances, scipy's eigensolver workspace and the eigenvectors).
_PEAK_SQUARE_MATRICES = 3


def _platt_slope(decision, targets, weights=None):
    """Slope ``a > 0`` of ``P(+1 | f) = 1 / (1 + exp(-a f))`` by maximum likelihood.

    ``weights`` (one per row of ``decision``; None: 1) weigh the rows' terms.
    """
    n_columns = decision.shape[1] if decision.ndim == 2 else 1
    decision = decision.ravel()
    targets = targets.ravel()
    non_targets = 1.0 - targets
    if weights is not None:
        row_weights = np.repeat(weights, n_columns)
        targets = targets * row_weights
        non_targets = non_targets * row_weights

    def negative_log_likelihood(log_slope):
        margin = np.exp(log_slope) * decision
        # log(1 + exp(-m)) for target 1 and log(1 + exp(m)) for target 0.
        return float(
            np.sum(targets * np.logaddexp(0.0, -margin))
            + np.sum(non_targets * np.logaddexp(0.0, margin))
        )

    result = minimize_scalar(
        negative_log_likelihood, bounds=(np.log(1e-3), np.log(1e3)), method="bounded"
    )
    return float(np.exp(result.x))


# Largest magnitude of a query (after rescaling) times sqrt(n_features) whose
# squared distances to the training samples stay finite in float64.
_LARGEST_QUERY = 1e150


def _power_of_two_scale(X):
    """A power of two near the largest magnitude of ``X`` (1.0 for an all-zero X).

    Dividing by it is exact, keeps every value in [-1, 1], and makes the fit
    independent of the data's units: squared distances neither overflow nor
    underflow, and L-BFGS's gradient tolerance means the same at any scale.
    """
    largest = abs(X).max() if X.shape[0] and X.shape[1] else 0.0
    if not largest > 0:
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(largest)[1])))


def _graph_lengths(X, n_neighbors, n_jobs, weights=None):
    """Edge lengths of the LDS graph, their mean, and a search index over ``X``.

    The complete graph (``n_neighbors`` None or at least ``n_samples - 1``) is
    a dense matrix of pairwise distances; a k-nearest-neighbour graph is
    sparse. The mean is over edges, so it ignores the diagonal. On the
    complete graph, ``weights`` count each sample as that many copies: the
    mean is over the ``W (W - 1)`` edges between ``W`` copies, those between
    copies of one sample of length 0 (with weights below one, over the edges
    between distinct samples, if more).
    """
    n_samples = X.shape[0]
    index = NeighborIndex("exact", n_jobs=n_jobs).fit(X)
    if n_neighbors is None or n_neighbors >= n_samples - 1:
        lengths = pairwise_distances(X, n_jobs=n_jobs)
        np.fill_diagonal(lengths, 0.0)
        if weights is None:
            n_edges = n_samples * (n_samples - 1)
            total_length = float(lengths.sum())
        else:
            total = float(weights.sum())
            n_edges = max(total * (total - 1.0), total**2 - float(weights @ weights))
            total_length = float(weights @ lengths @ weights)
        mean = total_length / n_edges if n_edges > 0 else 0.0
    else:
        distances, indices = index.kneighbors(None, n_neighbors, include_self=False)
        lengths = graph_from_neighbors(distances, indices, n_samples, weights="distance")
        mean = float(lengths.data.mean()) if lengths.nnz else 0.0
    return lengths, (mean if mean > 0 else 1.0), index


def compute_lds_embedding(X, *, n_neighbors, rho, rho_units, delta, n_jobs, sample_weight=None):
    """Graph, rho-path distances and MDS embedding of the LDS training samples.

    The label-free half of LDS, a function of ``X`` and the graph parameters
    only, so :class:`LDSClassifier` can cache it with ``memory``.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training samples.
    n_neighbors : int or None
        Neighbours per sample; None (or at least ``n_samples - 1``): the
        complete graph.
    rho : float
        Softening constant.
    rho_units : {"edge", "absolute"}
        Whether ``rho`` is relative to the mean edge length.
    delta : float or None
        Threshold on the eigenvalues (see :class:`LDSClassifier`).
    n_jobs : int or None
        Threads for the distances and the neighbour search.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Positive repetition counts: they weigh the mean edge length of the
        complete graph and the MDS (see :func:`classical_mds`).

    Returns
    -------
    result : dict
        ``embedding``, ``eigenvalues``, ``n_components``, ``rho`` (absolute),
        ``n_graph_components`` and ``neighbor_index``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.lowdensity._lds import compute_lds_embedding
    >>> X = np.random.RandomState(0).rand(30, 2)
    >>> result = compute_lds_embedding(
    ...     X, n_neighbors=5, rho=1.0, rho_units="edge", delta=None, n_jobs=None)
    >>> result["embedding"].shape[0], result["n_graph_components"]
    (30, 1)
    """
    n_samples = X.shape[0]
    lengths, mean_length, neighbor_index = _graph_lengths(X, n_neighbors, n_jobs, sample_weight)
    rho = rho / mean_length if rho_units == "edge" else float(rho)
    distances, n_graph_components = rho_path_distances(lengths, rho, overwrite=True)
    del lengths
    embedding, eigenvalues = classical_mds(distances, sample_weight)
    del distances
    n_components = select_n_components(eigenvalues, delta)
    if embedding.shape[1] == 0:
        # Every sample at the same place: one constant coordinate.
        embedding = np.zeros((n_samples, 1))
    return {
        "embedding": np.ascontiguousarray(embedding[:, :n_components]),
        "eigenvalues": eigenvalues,
        "n_components": n_components,
        "rho": rho,
        "n_graph_components": n_graph_components,
        "neighbor_index": neighbor_index,
    }


def _total_variance(Z, weights):
    """Sum of the variances of the columns of ``Z``, rows weighted (None: equal)."""
    if weights is None:
        return float(Z.var(axis=0).sum())
    mean = np.average(Z, axis=0, weights=weights)
    return float(np.average((Z - mean) ** 2, axis=0, weights=weights).sum())


class LDSClassifier(SemiSupervisedMixin, BaseWeakClassifier):
    """Low Density Separation (Chapelle and Zien, 2005).

    Transductive semi-supervised classification under the cluster
    assumption, in three steps on all training samples, labeled and not:

    1. a graph over the samples (by default the complete graph, as in the
       paper) whose edges cost ``exp(rho * d) - 1`` for a Euclidean length
       ``d``, and the squared rho-path distances
       ``(log(1 + P) / rho) ** 2`` from the cheapest path costs ``P``
       (shortest paths by Dijkstra): short within clusters, long across
       low-density gaps;
    2. classical multidimensional scaling of that ``n x n`` matrix: every
       positive eigenvalue is kept as the variance of its coordinate, and the
       coordinates are cut at the threshold ``delta`` of the paper;
    3. the gradient transductive SVM (∇TSVM) in those coordinates: squared
       hinge loss on labeled samples, the non-convex ``exp(-3 f ** 2)`` on
       unlabeled ones with its weight ``C*`` annealed from
       ``C_unlabeled_start * C`` up to ``C``, and the balancing constraint
       (the mean output on unlabeled samples equals the mean label), solved in
       the primal by L-BFGS. Several classes: one-vs-rest.

    Parameters
    ----------
    n_neighbors : int or None, default=None
        ``None``: the complete graph, the paper's default, every pair of
        samples joined by an edge; its cheapest paths take ``O(n_samples **
        3)`` time (Floyd-Warshall: about 2 s of CPU at 1,500 samples, 13 s at
        3,000). An int: a k-nearest-neighbour graph with that many
        neighbours per sample (the sample itself excluded), made undirected,
        searched by Dijkstra from every sample; pairs it leaves disconnected
        get twice the largest finite distance. A small graph follows thin
        manifolds and is faster, but in high dimension paths through few
        neighbours distort the geometry (benchmarks/RESULTS.md: on g241c,
        100 neighbours out of 1,500 cost 3 points of error). At least
        ``n_samples - 1`` is the complete graph.
    rho : float, default=4.0
        Softening constant: 0 gives shortest-path (geodesic) distances; large
        values let the longest edge of a path dominate. Unit set by
        ``rho_units``. With ``C``, the parameter the paper chose by
        cross-validation: no single value suits every data set. On the
        complete graph, data in many dimensions, whose distances crowd
        around their mean, want small values (2 to 4 on g241c, where 8
        fails), and low-dimensional clusters or manifolds with narrow gaps
        larger ones (8 to 16 on two moons or 8x8 digits); see
        benchmarks/RESULTS.md. :func:`transductive_grid_search` chooses it
        from the labels, and ``memory`` makes such searches cheaper.
    rho_units : {"edge", "absolute"}, default="edge"
        ``"edge"``: ``rho`` is in units of one over the mean edge length of
        the graph (the normalisation of the authors' code), so the same value
        suits data of any scale (the value used is ``rho_``).
        ``"absolute"``: ``rho`` is used as given.
    delta : float in [0, 1) or None, default=0.1
        The paper's cut of the MDS coordinates: keep the first ``p``, with
        ``p`` the first index where the eigenvalues from ``p + 1`` on hold
        less than ``delta`` of the total and ``eigenvalue[p] < delta *
        eigenvalue[0]``. ``None`` keeps every coordinate with a positive
        eigenvalue.
    C : float, default=10.0
        Weight of the labeled loss, relative to one over the total variance of
        the kept coordinates (the paper's default scale), so it does not
        depend on the scale of the data. ``C=10`` was measured better than
        ``C=1`` on both low-density benchmarks (``rho=4``): +1.06 points of
        accuracy on the 56 small tabular cells of
        ``benchmarks/bench_small_defaults.py`` (better in 33, worse in 22),
        and a mean transductive error of 17.55% against 18.10% on the 12
        cells of ``benchmarks/bench_lowdensity.py`` (12 label splits; lower
        in 7 of them). Like ``rho``, no value suits every data set: on two
        moons with two labels per class, ``C=1`` errs on 0.3% of the rows
        and ``C=10`` on 21% (``rho=4``; 0% with ``rho=8``).
    C_unlabeled_start : float, default=0.01
        First weight ``C*`` of the unlabeled loss, as a fraction of ``C``.
    n_anneal : int, default=10
        Stages over which ``C*`` grows geometrically to ``C``.
    max_iter : int, default=500
        Most L-BFGS iterations per stage (and per class); a
        :class:`~sklearn.exceptions.ConvergenceWarning` is raised when they
        run out.
    tol : float, default=1e-5
        L-BFGS tolerance on the gradient.
    n_neighbors_predict : int, default=10
        Training samples whose decision values are averaged to score a new
        sample (see Notes).
    max_samples : int or None, default=5000
        Most training samples. LDS stores dense ``n_samples x n_samples``
        matrices (path distances, then MDS), about ``3 * 8 * n_samples ** 2``
        bytes at the peak (600 MB at 5,000 samples, 2.4 GB at 10,000) and
        ``n_samples ** 3`` time for the eigendecomposition; past this limit
        ``fit`` raises a ``ValueError`` before any work. ``None``: no limit.
    memory : str or object with the joblib.Memory interface, default=None
        Cache of the label-free half of the fit (graph, distances, MDS), a
        function of ``X`` and the graph parameters only: refitting on the
        same ``X`` with other labels, ``C`` or annealing settings (model
        selection, several label splits) then skips it. A string is the
        cache directory. ``None``: no caching.
    n_jobs : int, default=None
        Threads for the nearest-neighbour search (exact search: the result
        does not depend on it).
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels seen among the labeled samples.
    transduction_ : ndarray of shape (n_samples,)
        Label given to every training sample (the labeled ones included, by
        the classifier).
    decision_values_ : ndarray of shape (n_samples_fit,) or (n_samples_fit, n_classes)
        ∇TSVM outputs on the training samples of positive weight (all of them
        without ``sample_weight``; one column per class with more than two
        classes).
    input_scale_ : float
        Power of two near the largest magnitude of the training ``X``; ``X``
        (and every ``X`` given to the prediction methods) is divided by it
        before the graph, so the fit does not depend on the data's units and
        features of any finite magnitude work.
    embedding_ : ndarray of shape (n_samples_fit, n_components)
        MDS coordinates of the training samples of positive weight (of ``X /
        input_scale_``).
    eigenvalues_ : ndarray of shape (n_positive,)
        Every positive MDS eigenvalue, decreasing.
    n_components_ : int
        Coordinates kept by ``delta``.
    coef_ : ndarray of shape (n_problems, n_components)
        ∇TSVM weights in the embedding (one row for two classes).
    intercept_ : ndarray of shape (n_problems,)
        ∇TSVM biases.
    probability_slope_ : float
        Slope ``a`` of the probabilities ``sigmoid(a * decision)``.
    rho_ : float
        The softening constant used, in absolute units.
    n_graph_components_ : int
        Connected components of the graph (1 for the complete graph).
    n_iter_ : int
        L-BFGS iterations over all stages and classes.
    neighbor_index_ : NeighborIndex
        Search index over the training samples of positive weight, for new
        samples.
    n_features_in_ : int
        Number of features of the ``X`` given to ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Column names of the ``X`` given to ``fit``, when it has string
        feature names.

    See Also
    --------
    sklweak.graph.LabelSpreading : Graph-based propagation of labels.

    Notes
    -----
    LDS is transductive: the embedding exists only for the training samples.
    A new sample gets the inverse-distance-weighted mean of the decision
    values of its ``n_neighbors_predict`` nearest training samples (a
    training sample itself gets back its own value). Since the classifier is linear in the
    embedding, this is the ∇TSVM applied to the same weighted mean of the
    neighbours' MDS coordinates, a k-nearest-neighbour regression of the
    embedding. ``predict`` on the training samples therefore returns
    ``transduction_``.

    Probabilities are ``sigmoid(a * decision)`` (normalised over the classes
    with more than two classes), one slope ``a > 0`` fitted by maximum
    likelihood on the labeled samples with Platt's smoothed targets (no
    intercept, so that ``predict`` is the most probable class). With no unlabeled sample, ``fit`` warns and trains the supervised
    L2-SVM in the same embedding.

    ``fit(X, y, sample_weight)`` reads the weights as repetition counts. A
    sample of weight ``w`` counts as ``w`` copies in the mean edge length of
    the complete graph (``rho_units="edge"``), in the MDS (weighted
    centring and eigenproblem, see
    :func:`~sklweak.lowdensity._lds_embedding.classical_mds`), in the
    variance that scales ``C``, in the ∇TSVM's loss terms, labeled and
    unlabeled, and its balancing constraint, in the probability slope, and
    among the ``n_neighbors_predict`` neighbours of a new sample. A sample of
    weight zero is left out of the fit (its ``transduction_`` label is
    predicted as for a new sample). On the complete graph (the default) the
    fit equals the fit on repeated samples, to rounding. A
    k-nearest-neighbour graph (an int ``n_neighbors``) is built over the
    samples, not their copies: a repeated sample's copies would be each
    other's neighbours, a weighted sample's are not.

    References
    ----------
    O. Chapelle and A. Zien, "Semi-Supervised Classification by Low Density
    Separation", AISTATS 2005.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_moons
    >>> from sklweak.lowdensity import LDSClassifier
    >>> X, y = make_moons(n_samples=200, noise=0.05, random_state=0)
    >>> y_weak = np.full_like(y, -1)
    >>> y_weak[[np.flatnonzero(y == 0)[0], np.flatnonzero(y == 1)[0]]] = [0, 1]
    >>> model = LDSClassifier().fit(X, y_weak)
    >>> float(np.mean(model.transduction_ == y))
    1.0
    """

    _parameter_constraints: dict = {
        "n_neighbors": [None, Interval(Integral, 1, None, closed="left")],
        "rho": [Interval(Real, 0, None, closed="left")],
        "rho_units": [StrOptions({"edge", "absolute"})],
        "delta": [None, Interval(Real, 0, 1, closed="left")],
        "C": [Interval(Real, 0, None, closed="neither")],
        "C_unlabeled_start": [Interval(Real, 0, 1, closed="right")],
        "n_anneal": [Interval(Integral, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_neighbors_predict": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [None, Interval(Integral, 2, None, closed="left")],
        "memory": [None, str, HasMethods(["cache"])],
        "n_jobs": [None, Integral],
        "unlabeled_label": SemiSupervisedMixin._unlabeled_label_constraint,
    }

    def __init__(
        self,
        n_neighbors=None,
        *,
        rho=4.0,
        rho_units="edge",
        delta=0.1,
        C=10.0,
        C_unlabeled_start=0.01,
        n_anneal=10,
        max_iter=500,
        tol=1e-5,
        n_neighbors_predict=10,
        max_samples=5000,
        memory=None,
        n_jobs=None,
        unlabeled_label=-1,
    ):
        self.n_neighbors = n_neighbors
        self.rho = rho
        self.rho_units = rho_units
        self.delta = delta
        self.C = C
        self.C_unlabeled_start = C_unlabeled_start
        self.n_anneal = n_anneal
        self.max_iter = max_iter
        self.tol = tol
        self.n_neighbors_predict = n_neighbors_predict
        self.max_samples = max_samples
        self.memory = memory
        self.n_jobs = n_jobs
        self.unlabeled_label = unlabeled_label

    def _check_size(self, n_samples):
        if self.max_samples is not None and n_samples > self.max_samples:
            gigabytes = _PEAK_SQUARE_MATRICES * 8 * n_samples**2 / 1e9
            raise ValueError(
                f"LDSClassifier stores dense n_samples x n_samples matrices: "
                f"n_samples={n_samples} exceeds max_samples={self.max_samples} "
                f"(about {gigabytes:.1f} GB at the peak of fit). Subsample X, or "
                f"raise max_samples (None: no limit) if the memory is there."
            )

    def _embed(self, X, sample_weight):
        """Graph, rho-path distances and MDS; set the embedding attributes."""
        compute = check_memory(self.memory).cache(compute_lds_embedding, ignore=["n_jobs"])
        self.input_scale_ = _power_of_two_scale(X)
        scale = self.input_scale_
        result = compute(
            X / scale,
            n_neighbors=self.n_neighbors,
            rho=self.rho if self.rho_units == "edge" else self.rho * scale,
            rho_units=self.rho_units,
            delta=self.delta,
            n_jobs=self.n_jobs,
            sample_weight=sample_weight,
        )
        self.embedding_ = result["embedding"]
        self.eigenvalues_ = result["eigenvalues"]
        self.n_components_ = result["n_components"]
        self.rho_ = result["rho"] / scale
        self.n_graph_components_ = result["n_graph_components"]
        self.neighbor_index_ = result["neighbor_index"]

    def _fit(self, X, target, sample_weight):
        self.classes_ = target.classes
        X_all, labeled, y_encoded = X, target.labeled, target.y_encoded
        if sample_weight is not None and np.all(sample_weight == 1.0):
            sample_weight = None
        rows = None
        if sample_weight is not None:
            # A row of weight zero is a row left out: predicted, not fitted.
            rows = np.flatnonzero(sample_weight > 0)
            if not labeled[rows].any():
                raise ValueError(
                    "sample_weight is zero on every labeled row: give at least one "
                    "labeled row a positive weight."
                )
            X, labeled, y_encoded = X[rows], labeled[rows], y_encoded[rows]
            sample_weight = sample_weight[rows]
        self._check_size(X.shape[0])
        if labeled.all():
            warnings.warn(
                "y contains no unlabeled samples: LDSClassifier fits the supervised "
                "L2-SVM in the graph embedding.",
                UserWarning,
            )
        self._embed(X, sample_weight)
        self._fit_weight = sample_weight
        Z = self.embedding_
        variance = _total_variance(Z, sample_weight)
        C = self.C / variance if variance > 0 else self.C
        n_classes = len(self.classes_)
        problems = [1] if n_classes == 2 else range(n_classes)
        coef, intercept, targets = [], [], []
        self.n_iter_ = 0
        converged = True
        for k in problems:
            signs = np.where(y_encoded == k, 1.0, -1.0)
            w, b, n_iter, ok = fit_gradient_tsvm(
                Z,
                signs,
                labeled,
                C=C,
                C_unlabeled_start=self.C_unlabeled_start,
                n_anneal=self.n_anneal,
                max_iter=self.max_iter,
                tol=self.tol,
                sample_weight=sample_weight,
            )
            coef.append(w)
            intercept.append(b)
            targets.append(signs[labeled])
            self.n_iter_ += n_iter
            converged &= ok
        if not converged:
            warnings.warn(
                f"max_iter={self.max_iter} L-BFGS iterations were reached before "
                "the ∇TSVM converged in at least one annealing stage.",
                ConvergenceWarning,
            )
        self.coef_ = np.array(coef)
        self.intercept_ = np.array(intercept)
        decision = Z @ self.coef_.T + self.intercept_
        self.probability_slope_ = self._fit_probability_slope(
            decision[labeled],
            np.column_stack(targets),
            None if sample_weight is None else sample_weight[labeled],
        )
        self.decision_values_ = decision[:, 0] if n_classes == 2 else decision
        self.transduction_ = self._classes_from_decision(self.decision_values_)
        if rows is not None and rows.size < X_all.shape[0]:
            transduction = np.empty(X_all.shape[0], dtype=self.transduction_.dtype)
            transduction[rows] = self.transduction_
            left_out = np.setdiff1d(np.arange(X_all.shape[0]), rows)
            transduction[left_out] = self._classes_from_decision(
                self._neighbor_decision(self._rescaled_query(X_all[left_out]))
            )
            self.transduction_ = transduction
        return self

    @staticmethod
    def _fit_probability_slope(decision, signs, weights=None):
        """Shared sigmoid slope on labeled decisions, Platt's smoothed targets."""
        positive = signs > 0
        if weights is None:
            n_positive = positive.sum(axis=0)
            n_negative = positive.shape[0] - n_positive
        else:
            n_positive = weights @ positive
            n_negative = weights.sum() - n_positive
        high = (n_positive + 1.0) / (n_positive + 2.0)
        low = 1.0 / (n_negative + 2.0)
        targets = np.where(positive, high, low)
        return _platt_slope(decision, targets, weights)

    def _classes_from_decision(self, decision):
        if decision.ndim == 1:
            return self.classes_[(decision > 0).astype(np.intp)]
        return self.classes_[np.argmax(decision, axis=1)]

    def decision_function(self, X):
        """∇TSVM outputs of new samples from their training neighbours.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        decision : ndarray of shape (n_samples,) or (n_samples, n_classes)
            With two classes, positive values favour ``classes_[1]``; with
            more, one column per class (one-vs-rest).
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc"],
            dtype=[np.float64, np.float32],
            reset=False,
        )
        return self._neighbor_decision(self._rescaled_query(X))

    def _neighbor_decision(self, X):
        """Decision values of rescaled samples from their training neighbours.

        A training row of weight ``w`` counts as ``w`` copies among the
        ``n_neighbors_predict`` nearest.
        """
        n_fit = self.neighbor_index_.n_samples_fit_
        distances, indices = self.neighbor_index_.kneighbors(
            X, min(self.n_neighbors_predict, n_fit)
        )
        exact = distances <= 0
        with np.errstate(divide="ignore"):
            weights = np.where(
                exact.any(axis=1, keepdims=True),
                exact.astype(np.float64),
                1.0 / distances,
            )
        if self._fit_weight is not None:
            copies = self._fit_weight[indices]
            copies_nearer = np.cumsum(copies, axis=1) - copies
            weights *= np.clip(self.n_neighbors_predict - copies_nearer, 0.0, copies)
        weights /= weights.sum(axis=1, keepdims=True)
        rows = np.repeat(np.arange(X.shape[0]), indices.shape[1])
        averaging = sparse.csr_matrix(
            (weights.ravel(), (rows, indices.ravel())), shape=(X.shape[0], n_fit)
        )
        return np.asarray(averaging @ self.decision_values_)

    def _rescaled_query(self, X):
        """``X / input_scale_``, refused when its distances to the training samples overflow."""
        X = X / self.input_scale_
        largest = abs(X).max() if X.shape[0] else 0.0
        if not largest * np.sqrt(X.shape[1]) < _LARGEST_QUERY:
            raise ValueError(
                f"LDSClassifier: X holds values up to {largest * self.input_scale_:.3g}, "
                f"about {largest:.3g} times the training data's largest magnitude: "
                "their distances to the training samples overflow float64. Scale X "
                "as the training data was scaled."
            )
        return X

    def predict_proba(self, X):
        """Class probabilities from the decision values.

        ``sigmoid(probability_slope_ * decision)`` for two classes; with more,
        the one-vs-rest sigmoids normalised to sum to one.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        probabilities : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        decision = self.decision_function(X)
        scores = 0.5 * (1.0 + np.tanh(0.5 * self.probability_slope_ * decision))
        if decision.ndim == 1:
            return np.column_stack([1.0 - scores, scores])
        # A sigmoid of a finite value is positive, but can underflow to 0.
        scores = np.maximum(scores, np.finfo(np.float64).tiny)
        return scores / scores.sum(axis=1, keepdims=True)

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
        return self._classes_from_decision(self.decision_function(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
