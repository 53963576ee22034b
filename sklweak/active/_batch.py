"""Batch selection that looks at where rows lie: typical rows, cover, diversity.

Nothing here builds an n x n matrix: neighbors are searched in a random
subsample of the pool, clusters are fitted on a subsample and every row is
then assigned to its nearest centre, and the greedy core-set keeps one
distance per row.
"""

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances_argmin_min
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.neighbors import NearestNeighbors

from ..utils._sklearn_compat import _safe_indexing
from ._strategies import best_first

__all__ = []

# Rows a neighbor search or a clustering looks at, at most; larger pools are
# subsampled so that 100k unlabeled rows take seconds.
MAX_REFERENCE_ROWS = 2000
MAX_CLUSTERING_ROWS = 20000
TYPICALITY_NEIGHBORS = 20
DENSITY_NEIGHBORS = 10
# The diverse-margin batch clusters this many times the batch's most uncertain rows.
CANDIDATES_PER_QUERY = 10


def _seed(rng):
    return int(rng.randint(np.iinfo(np.int32).max))


def _subsample(rows, size, rng):
    if rows.shape[0] <= size:
        return rows
    return np.sort(rng.choice(rows, size=size, replace=False))


def typicality(X, candidate_rows, reference_rows, n_neighbors):
    """Inverse mean distance of each candidate to its nearest reference rows."""
    n_neighbors = max(1, min(n_neighbors, reference_rows.shape[0]))
    search = NearestNeighbors(n_neighbors=n_neighbors).fit(_safe_indexing(X, reference_rows))
    distances, _ = search.kneighbors(_safe_indexing(X, candidate_rows))
    return 1.0 / (distances.mean(axis=1) + 1e-12)


def density(X, pool_rows, rng):
    """Typicality of every pool row against a random subsample of the pool."""
    reference = _subsample(pool_rows, MAX_REFERENCE_ROWS, rng)
    return typicality(X, pool_rows, reference, DENSITY_NEIGHBORS)


def _cluster(X, rows, n_clusters, rng, sample_weight=None):
    """Fit k-means on (a subsample of) ``rows`` and return every row's cluster."""
    fit_rows = _subsample(rows, MAX_CLUSTERING_ROWS, rng)
    weight = None
    if sample_weight is not None:
        weight = sample_weight[np.searchsorted(rows, fit_rows)]
    model = KMeans(n_clusters=n_clusters, n_init=1, random_state=_seed(rng))
    model.fit(_safe_indexing(X, fit_rows), sample_weight=weight)
    return model.predict(_safe_indexing(X, rows))


def _ranked_by_typicality(X, members, rng):
    candidates = _subsample(members, MAX_REFERENCE_ROWS // 2, rng)
    if candidates.shape[0] == 1:
        return candidates
    scores = typicality(X, candidates, candidates, TYPICALITY_NEIGHBORS + 1)
    return candidates[np.argsort(-scores, kind="stable")]


def typiclust(X, unlabeled_rows, labeled_rows, n_queries, rng):
    """TypiClust (Hacohen et al., 2022): the most typical row of the largest uncovered clusters.

    The pool and the labeled rows are cut into ``n_labeled + n_queries``
    k-means clusters; clusters holding the fewest labeled rows, then the
    largest, each give their most typical unlabeled row (highest inverse mean
    distance to its neighbors inside the cluster).
    """
    rows = np.sort(np.concatenate([labeled_rows, unlabeled_rows]))
    n_clusters = min(labeled_rows.shape[0] + n_queries, rows.shape[0])
    assignment = _cluster(X, rows, n_clusters, rng)
    is_labeled = np.isin(rows, labeled_rows)
    sizes = np.bincount(assignment, minlength=n_clusters)
    covered = np.bincount(assignment[is_labeled], minlength=n_clusters)
    tie_break = rng.permutation(n_clusters)
    order = np.lexsort((tie_break, -sizes, covered))
    queues = []
    for cluster in order:
        members = rows[(assignment == cluster) & ~is_labeled]
        if members.shape[0]:
            queues.append(list(_ranked_by_typicality(X, members, rng)))
    picks = []
    while len(picks) < n_queries:
        for queue in queues:
            if queue and len(picks) < n_queries:
                picks.append(queue.pop(0))
    return np.asarray(picks, dtype=np.int64)


def coreset(X, unlabeled_rows, labeled_rows, n_queries, rng):
    """Greedy k-centre core-set (Sener & Savarese, 2018): each pick is the row farthest from the rest."""
    X_pool = _safe_indexing(X, unlabeled_rows)
    if labeled_rows.shape[0]:
        _, nearest = pairwise_distances_argmin_min(X_pool, _safe_indexing(X, labeled_rows))
    else:
        nearest = np.full(unlabeled_rows.shape[0], np.inf)
        nearest[rng.randint(unlabeled_rows.shape[0])] = np.finfo(np.float64).max
    picks = []
    for _ in range(n_queries):
        best = int(np.argmax(nearest))
        picks.append(best)
        new_centre = X_pool[best : best + 1]
        nearest = np.minimum(nearest, euclidean_distances(X_pool, new_centre).ravel())
        nearest[picks] = -1.0
    return unlabeled_rows[picks]


def diverse_top(X, unlabeled_rows, scores, n_queries, rng):
    """Cluster the most informative rows and take the best of each cluster.

    Zhdanov (2019), "Diverse mini-batch active learning": the
    ``CANDIDATES_PER_QUERY * n_queries`` highest-scoring rows are cut into
    ``n_queries`` k-means clusters weighted by score, so that one batch does
    not spend its labels on near-duplicates. Ties are broken at random.
    """
    order = best_first(scores, rng)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    top = order[: min(CANDIDATES_PER_QUERY * n_queries, order.shape[0])]
    if top.shape[0] <= n_queries:
        return unlabeled_rows[top[:n_queries]]
    weights = scores[top] - scores[top].min() + 1e-6
    positions = np.sort(top)
    assignment = _cluster(X, unlabeled_rows[positions], n_queries, rng, weights[np.argsort(top)])
    picks = np.asarray(
        [
            members[np.argmin(rank[members])]
            for members in (positions[assignment == c] for c in np.unique(assignment))
        ]
    )
    picks = picks[np.argsort(rank[picks])]
    if picks.shape[0] < n_queries:
        rest = top[~np.isin(top, picks)]
        picks = np.concatenate([picks, rest[: n_queries - picks.shape[0]]])
    return unlabeled_rows[picks]
