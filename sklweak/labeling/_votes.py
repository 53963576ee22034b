"""The vote matrix of labeling functions: one-hot indicator and moments.

Its validation is :func:`sklweak.utils._targets.decode_vote_matrix`.
"""

import numpy as np
from scipy import sparse

__all__ = []


def weigh_rows(values, weights):
    """Row ``i`` of ``values`` (dense or sparse) times ``weights[i]``; ``values``
    itself when ``weights`` is None."""
    if weights is None:
        return values
    if sparse.issparse(values):
        return sparse.csr_matrix(values.multiply(weights[:, None]))
    return values * weights.reshape((-1,) + (1,) * (values.ndim - 1))


def vote_indicator(votes, n_classes):
    """Sparse one-hot ``(n_samples, n_functions * n_classes)``: column ``j * K + k``
    is 1 where function ``j`` voted class ``k``."""
    n_samples, n_functions = votes.shape
    voted = votes >= 0
    rows, cols = np.nonzero(voted)  # row-major: already in CSR order
    indptr = np.zeros(n_samples + 1, dtype=np.int64)
    np.cumsum(voted.sum(axis=1), out=indptr[1:])
    indices = cols * n_classes + votes[rows, cols]
    return sparse.csr_matrix(
        (np.ones(rows.shape[0]), indices, indptr),
        shape=(n_samples, n_functions * n_classes),
    )


def vote_counts(indicator, n_classes, negative=None):
    """``(n_samples, n_classes)`` number of votes for each class; a "not class k"
    vote (``negative`` columns) counts ``1 / (n_classes - 1)`` for every other class."""
    n_samples = indicator.shape[0]
    rows = np.repeat(np.arange(n_samples), np.diff(indicator.indptr))
    given = indicator.indices % n_classes
    weights = np.ones(rows.shape[0])
    spread = np.zeros(n_samples)
    if negative is not None:
        is_negative = negative[indicator.indices // n_classes]
        weights[is_negative] = -1.0 / (n_classes - 1)
        spread = np.bincount(rows[is_negative], minlength=n_samples) / (n_classes - 1)
    counts = np.bincount(rows * n_classes + given, weights, minlength=n_samples * n_classes)
    return counts.reshape(n_samples, n_classes) + spread[:, None]


def pairwise_agreement(indicator, n_classes, weights=None):
    """(co_covered, agreed): rows where both functions vote, and where they vote alike.

    Both are ``(n_functions, n_functions)`` counts (sums of the rows'
    ``weights``) from the overlap matrix ``indicator.T @ indicator``.
    """
    n_functions = indicator.shape[1] // n_classes
    overlap = (indicator.T @ weigh_rows(indicator, weights)).toarray()
    blocks = overlap.reshape(n_functions, n_classes, n_functions, n_classes)
    co_covered = blocks.sum(axis=(1, 3))
    agreed = np.einsum("ikjk->ij", blocks)
    return co_covered, agreed
