"""LLP by belief propagation: pseudo-labels from a Gibbs distribution, then a learner.

Havaldar, Sharma, Sareen, Shanmugam and Raghuveer, "Learning from Label
Proportions: Bootstrapping Supervised Learners via Belief Propagation", ICLR
2024. The kernels are in ``_belief_propagation_fast`` (compiled) and
``_belief_propagation_reference`` (NumPy), which describe the model.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.utils import get_tags
from sklearn.utils.validation import has_fit_parameter

from ..base import BaseWeakClassifier, LLPMixin
from ..utils._graph import NEIGHBORS_BACKENDS, NeighborIndex, graph_from_neighbors
from ..utils._kernels import load_kernel
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions
from ._soft_mlp import SoftLabelMLPClassifier
from ._weighted_copies import WeightedCopiesMixin

__all__ = ["LLPBPClassifier"]

# Log-odds given to a label that a pure bag (class share 0 or 1) fixes.
_FIXED_LOG_ODDS = 30.0
_PURE_TOL = 1e-9
_PROBA_CLIP = 1e-6


def _check_distances_finite(X):
    """Refuse features so large that squared distances between samples overflow."""
    values = X.data if sparse.issparse(X) else X
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    # ||x - z||^2 <= n_features (2 max|X|)^2 must stay below the float64 maximum.
    limit = np.sqrt(np.finfo(np.float64).max / (4.0 * max(X.shape[1], 1)))
    if largest >= limit:
        raise ValueError(
            f"LLPBPClassifier: X holds values up to {largest:.3g}; squared distances "
            f"between samples overflow float64 beyond about {limit:.3g} for "
            f"{X.shape[1]} features, so the similarity graph cannot be built. Scale "
            "the features first (e.g. StandardScaler in a Pipeline)."
        )


def _reverse_edges(graph):
    """Position of edge ``(j, i)`` for each stored edge ``(i, j)`` of a symmetric CSR."""
    positions = sparse.csr_matrix(
        (np.arange(1, graph.nnz + 1, dtype=np.float64), graph.indices, graph.indptr),
        shape=graph.shape,
    )
    transposed = positions.T.tocsr()
    transposed.sort_indices()
    return (transposed.data - 1).astype(graph.indices.dtype)


class LLPBPClassifier(WeightedCopiesMixin, LLPMixin, MetaEstimatorMixin, BaseWeakClassifier):
    """Learning from label proportions by belief propagation (LLP-BP).

    Each round labels the training samples softly, then trains a classifier
    on those pseudo-labels (Havaldar et al., ICLR 2024):

    1. Pseudo-labels are the marginals of a Gibbs distribution over the
       instance labels with two kinds of factors: a similarity factor
       ``exp(-pairwise_strength * s_ij * [y_i != y_j])`` on every edge of the
       symmetrised k-nearest-neighbour graph of ``X`` (``s_ij =
       exp(-gamma * d_ij ** 2)``), and one count factor per bag,
       ``exp(-bag_strength * (count - size * proportion) ** 2)``, that pulls
       the number of the bag's members in a class towards its proportion.
       Damped loopy belief propagation computes the marginals.
    2. ``estimator`` is trained on the marginals as soft labels: each sample
       repeated once per class, weighted by its marginal.
    3. With ``n_rounds > 1``, the learner's predicted log-odds, times
       ``prior_strength``, enter the next round's distribution as unary
       factors. With ``estimator="mlp"`` (and ``embedding_refinement``), the
       next round's similarity graph is also rebuilt on the network's last
       hidden layer instead of ``X``: the paper's embedding refinement.

    The count factor's messages are computed exactly by a dynamic programme
    over counts in ``O(bag size)`` per member, so an iteration costs
    ``O(n_samples * (n_neighbors + bag size))`` whatever the bag sizes, which
    may differ between bags. Several classes are handled one against the rest:
    a binary distribution per class (its share in each bag as the target),
    whose marginals are then normalised per sample; a joint count factor over
    ``K`` classes would cost ``bag size ** (K - 1)`` per member. Members of a
    pure bag (a class share of exactly 0 or 1) have their label fixed, so a
    1-D ``y`` of labels (every sample its own bag) trains ``estimator`` on
    exactly those labels.

    Parameters
    ----------
    estimator : estimator object, "mlp" or None, default=None
        Classifier with ``predict_proba`` whose ``fit`` accepts
        ``sample_weight``, trained on the pseudo-labels (weighted copies).
        ``None`` means ``LogisticRegression(max_iter=1000)``. ``"mlp"``: a
        multilayer perceptron (torch and skorch, ``pip install
        sklweak[neural]``) trained by the cross-entropy against the soft
        pseudo-labels, whose last hidden layer can serve as the next round's
        covariates (``embedding_refinement``); set its hyperparameters with
        ``mlp_params``. Cloned in ``fit``.
    n_neighbors : int, default=10
        Neighbours of each sample in the similarity graph (before
        symmetrisation); at most ``n_samples - 1`` are used.
    gamma : float, default=None
        Width of the similarity ``exp(-gamma * d ** 2)``. ``None`` means one
        over the mean squared neighbour distance.
    pairwise_strength : float, default=0.3
        Weight of the similarity factors; 0 ignores the graph.
    bag_strength : float, default=1.0
        Weight of the squared count error of the bag factors.
    prior_strength : float, default=1.0
        Weight of the learner's log-odds fed back as unary factors from the
        second round on; 0 makes every round's pseudo-labels the same.
    n_rounds : int, default=1
        Rounds of belief propagation followed by training the learner. More
        rounds feed the learner back into the distribution (small gains on
        Bank Marketing, see ``benchmarks/RESULTS.md``) at the cost of one more
        belief propagation and fit each. The paper's algorithm is
        ``estimator="mlp", n_rounds=2``.
    embedding_refinement : bool, default=True
        From the second round on, build the similarity graph on the fitted
        learner's ``transform`` (for ``estimator="mlp"``, its last hidden
        layer), each row scaled to unit length so that distances rank
        neighbours by cosine similarity. No effect for a learner without
        ``transform``, or with ``n_rounds=1``.
    mlp_params : dict, default=None
        Hyperparameters of the ``"mlp"`` learner: ``hidden_layer_sizes``
        (default ``(100,)``), ``alpha`` (L2 penalty, ``1e-4``),
        ``learning_rate`` (Adam, ``1e-3``), ``batch_size`` (``128``),
        ``max_iter`` (epochs, ``50``), ``tol`` (``1e-4``),
        ``n_iter_no_change`` (``10``) and ``device`` (``"auto"``). Only with
        ``estimator="mlp"``.
    damping : float, default=0.3
        Share of the old message kept at each belief-propagation update.
    max_iter : int, default=1000
        Most belief-propagation iterations per round and class.
    tol : float, default=1e-3
        Belief propagation stops when no message (a log-odds) changes by
        ``tol`` or more. On ``benchmarks/bench_llp_defaults.py`` 1e-3 was
        0.5 to 0.8 points of accuracy above 1e-2 on the KEEL sets (a tie on
        Bank Marketing, where it takes up to 531 iterations).
    neighbors : {"auto", "exact", "hnsw"}, default="auto"
        Nearest-neighbour search: exact, approximate (faiss HNSW, for large
        ``n_samples``), or chosen by size.
    n_jobs : int, default=None
        Threads of the neighbour search.
    classes : array-like of shape (n_classes,), default=None
        Labels of the bag target's proportion columns (``classes_``); defaults
        to ``0 .. n_classes - 1``. Unused for a 1-D ``y``.
    random_state : int, RandomState instance or None, default=None
        Seeds the ``"mlp"`` learner (weights, batch order); unused otherwise.

    Attributes
    ----------
    estimator_ : estimator object
        The learner fitted in the last round, trained on the column positions
        ``0 .. n_classes - 1`` as labels.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    pseudo_labels_ : ndarray of shape (n_samples, n_classes)
        The last round's soft labels of the training samples.
    gamma_ : float
        Similarity width used (in the last round's graph).
    n_iter_ : ndarray of shape (n_rounds, n_problems)
        Belief-propagation iterations of each round and binary problem (one
        problem for two classes, one per class otherwise).
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    ProportionWeightedClassifier : The learner on bag proportions, no graph.
    sklweak.datasets.make_bags : Simulate bags from labelled data.

    Notes
    -----
    ``sample_weight`` weighs the learner's fit only: a sample's copies weigh
    its pseudo-label times its weight, so with a 1-D ``y`` (labels fixed by
    their own bags) a weight is a repetition of the sample, and a zero
    weight leaves the sample out of the learner's fit. Belief propagation
    reads every sample once, whatever its weight: a bag's proportions
    describe all of its members, so each member counts once in the bag's
    count factor (a dynamic programme over whole counts, which a fractional
    weight does not fit), and the similarity graph links the samples as
    they are.

    ``X`` should be scaled: the graph uses Euclidean distances. Belief
    propagation on a graph with cycles is approximate and may not converge
    (a ``ConvergenceWarning`` is raised at ``max_iter``); damping helps. It is
    exact on a tree, e.g. a single bag without similarity factors.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklweak.datasets import make_bags
    >>> from sklweak.llp import LLPBPClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> _, Y, classes = make_bags(X, y, bag_size=16, random_state=0)
    >>> clf = LLPBPClassifier(classes=classes).fit(X, Y)
    >>> float((clf.predict(X) == y).mean()) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"]), StrOptions({"mlp"}), None],
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "gamma": [Interval(Real, 0, None, closed="neither"), None],
        "pairwise_strength": [Interval(Real, 0, None, closed="left")],
        "bag_strength": [Interval(Real, 0, None, closed="neither")],
        "prior_strength": [Interval(Real, 0, None, closed="left")],
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "damping": [Interval(Real, 0, 1, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "neighbors": [StrOptions(set(NEIGHBORS_BACKENDS))],
        "n_jobs": [Integral, None],
        "classes": ["array-like", None],
        "embedding_refinement": ["boolean"],
        "mlp_params": [dict, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        n_neighbors=10,
        gamma=None,
        pairwise_strength=0.3,
        bag_strength=1.0,
        prior_strength=1.0,
        n_rounds=1,
        damping=0.3,
        max_iter=1000,
        tol=1e-3,
        neighbors="auto",
        n_jobs=None,
        classes=None,
        embedding_refinement=True,
        mlp_params=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_neighbors = n_neighbors
        self.gamma = gamma
        self.pairwise_strength = pairwise_strength
        self.bag_strength = bag_strength
        self.prior_strength = prior_strength
        self.n_rounds = n_rounds
        self.damping = damping
        self.max_iter = max_iter
        self.tol = tol
        self.neighbors = neighbors
        self.n_jobs = n_jobs
        self.classes = classes
        self.embedding_refinement = embedding_refinement
        self.mlp_params = mlp_params
        self.random_state = random_state

    def _resolved_estimator(self):
        if self.estimator is None:
            return LogisticRegression(max_iter=1000)
        if isinstance(self.estimator, str):
            learner = SoftLabelMLPClassifier(random_state=self.random_state)
            params = dict(self.mlp_params or {})
            valid = set(learner.get_params()) - {"random_state"}
            unknown = sorted(set(params) - valid)
            if unknown:
                raise ValueError(
                    f"mlp_params has unknown keys {unknown}; valid keys: {sorted(valid)} "
                    "(the seed is random_state)."
                )
            return learner.set_params(**params)
        return self.estimator

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the learner on belief-propagation pseudo-labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples, 1 + n_classes) or (n_samples,)
            Bag target from :func:`make_bag_target`, or 1-D labels (every
            sample its own bag).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (repetition counts) of the learner's fit: each
            sample's per-class copies weigh its pseudo-label times its
            weight. Belief propagation reads every sample once (see Notes).
        **fit_params : dict
            None is accepted: a ``TypeError`` names any other argument.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        if fit_params:
            raise TypeError(
                f"LLPBPClassifier.fit does not take {sorted(fit_params)}; it takes X, y "
                "and sample_weight."
            )
        return super().fit(X, y, sample_weight=sample_weight)

    def _embedding(self, X):
        """The learner's representation of ``X``, rows scaled to unit length."""
        Z = np.asarray(self.estimator_.transform(X), dtype=np.float64)
        norms = np.linalg.norm(Z, axis=1, keepdims=True)
        return Z / np.where(norms > 0, norms, 1.0)

    def _similarity_graph(self, X):
        """Symmetric kNN graph: CSR arrays, reverse-edge positions, couplings."""
        n_samples = X.shape[0]
        n_neighbors = min(self.n_neighbors, n_samples - 1)
        self.gamma_ = 1.0 if self.gamma is None else float(self.gamma)
        if n_neighbors < 1:
            graph = sparse.csr_matrix((n_samples, n_samples))
        else:
            index = NeighborIndex(self.neighbors, n_jobs=self.n_jobs).fit(X)
            distances, indices = index.kneighbors(None, n_neighbors, include_self=False)
            if self.gamma is None:
                scale = float(np.mean(distances**2))
                self.gamma_ = 1.0 / scale if scale > 0 else 1.0
            graph = graph_from_neighbors(
                distances, indices, n_samples, weights="rbf", gamma=self.gamma_
            )
            graph = graph.maximum(graph.T).tocsr()
            graph.setdiag(0.0)
            graph.eliminate_zeros()
        graph.sort_indices()
        indices = graph.indices
        return (
            graph.indptr.astype(indices.dtype),
            indices,
            _reverse_edges(graph),
            np.ascontiguousarray(self.pairwise_strength * graph.data, dtype=np.float64),
        )

    @staticmethod
    def _bags_of_class(target, shares):
        """Members and target counts of the bags whose class share is mixed."""
        sizes = np.asarray(target.bag_sizes, dtype=np.int64)
        mixed = (shares > _PURE_TOL) & (shares < 1.0 - _PURE_TOL)
        order = np.argsort(target.bag_index, kind="stable").astype(np.int64)
        members = order[np.repeat(mixed, sizes)]
        indptr = np.concatenate([[0], np.cumsum(sizes[mixed])]).astype(np.int64)
        return indptr, members, sizes[mixed] * shares[mixed]

    def _fit(self, X, target, sample_weight):
        if self.mlp_params is not None and self.estimator != "mlp":
            raise ValueError(
                f"mlp_params is only used with estimator='mlp'; got estimator={self.estimator!r}."
            )
        _check_distances_finite(X)
        learner = self._resolved_estimator()
        if not has_fit_parameter(learner, "sample_weight"):
            raise ValueError(
                "LLPBPClassifier needs an estimator whose fit takes sample_weight "
                f"(soft labels are weighted copies); {type(learner).__name__}.fit "
                "does not."
            )
        self.classes_ = np.asarray(target.classes)
        n_samples, n_classes = X.shape[0], self.classes_.shape[0]
        shares = np.asarray(target.bag_proportions, dtype=np.float64)
        sample_shares = shares[target.bag_index]
        problems = [1] if n_classes == 2 else list(range(n_classes))
        graph = self._similarity_graph(X)
        kernel = load_kernel("sklweak.llp._belief_propagation")
        self.n_iter_ = np.zeros((self.n_rounds, len(problems)), dtype=np.int64)
        not_converged = 0
        learned = None
        for round_ in range(self.n_rounds):
            if round_ > 0 and self.embedding_refinement and hasattr(self.estimator_, "transform"):
                graph = self._similarity_graph(self._embedding(X))
            marginals = np.empty((n_samples, len(problems)))
            for column, cls in enumerate(problems):
                share = sample_shares[:, cls]
                prior = np.zeros(n_samples)
                if learned is not None and self.prior_strength > 0:
                    p = np.clip(learned[:, cls], _PROBA_CLIP, 1.0 - _PROBA_CLIP)
                    prior += self.prior_strength * (np.log(p) - np.log1p(-p))
                prior[share <= _PURE_TOL] = -_FIXED_LOG_ODDS
                prior[share >= 1.0 - _PURE_TOL] = _FIXED_LOG_ODDS
                bag_indptr, members, counts = self._bags_of_class(target, shares[:, cls])
                marginals[:, column], n_iter, converged = kernel.run_belief_propagation(
                    *graph,
                    bag_indptr,
                    members,
                    np.ascontiguousarray(counts, dtype=np.float64),
                    float(self.bag_strength),
                    prior,
                    float(self.damping),
                    int(self.max_iter),
                    float(self.tol),
                )
                self.n_iter_[round_, column] = n_iter
                not_converged += not converged
            soft = self._soft_labels(marginals, sample_shares)
            if isinstance(learner, SoftLabelMLPClassifier):
                self.estimator_ = clone(learner).fit_soft(X, soft, sample_weight)
            elif sample_weight is None:
                self._fit_weighted_copies(X, soft)
            else:
                self._fit_weighted_copies(X, soft * sample_weight[:, None])
            if round_ + 1 < self.n_rounds:
                learned = self._in_all_columns(self.estimator_.predict_proba(X), 0.0)
        self.pseudo_labels_ = soft
        if not_converged:
            warnings.warn(
                f"Belief propagation reached max_iter={self.max_iter} without "
                f"converging in {not_converged} of {self.n_iter_.size} runs; raise "
                "max_iter or damping.",
                ConvergenceWarning,
            )
        return self

    @staticmethod
    def _soft_labels(marginals, sample_shares):
        """One row of class probabilities per sample; pure bags give exact labels."""
        if sample_shares.shape[1] == 2:
            soft = np.column_stack([1.0 - marginals[:, 0], marginals[:, 0]])
        else:
            soft = marginals.copy()
        soft[sample_shares <= _PURE_TOL] = 0.0
        certain = (sample_shares >= 1.0 - _PURE_TOL).any(axis=1)
        soft[certain] = (sample_shares[certain] >= 1.0 - _PURE_TOL).astype(np.float64)
        totals = soft.sum(axis=1, keepdims=True)
        return soft / np.where(totals > 0, totals, 1.0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = get_tags(self._resolved_estimator()).input_tags.sparse
        return tags
