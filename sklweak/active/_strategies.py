"""Informativeness scores of unlabeled rows, from class probabilities.

Every function takes probabilities (one row per sample, one column per class)
and returns one score per sample, larger meaning "more worth labeling".
"""

import numpy as np

__all__ = []

_TINY = 1e-12


def best_first(scores, rng):
    """Positions of ``scores`` from the largest to the smallest; ties broken at random."""
    shuffled = rng.permutation(scores.shape[0])
    return shuffled[np.argsort(-scores[shuffled], kind="stable")]


def least_confidence(proba):
    """One minus the probability of the most probable class."""
    return 1.0 - proba.max(axis=1)


def margin(proba):
    """One minus the gap between the two most probable classes."""
    if proba.shape[1] < 2:
        return np.zeros(proba.shape[0])
    top_two = -np.partition(-proba, 1, axis=1)[:, :2]
    return 1.0 - (top_two[:, 0] - top_two[:, 1])


def entropy(proba):
    """Shannon entropy of the class distribution (nats)."""
    return -np.sum(proba * np.log(np.clip(proba, _TINY, None)), axis=1)


def vote_entropy(member_probas):
    """Entropy of the committee's hard votes (``member_probas``: members x samples x classes)."""
    n_members, n_samples, n_classes = member_probas.shape
    votes = member_probas.argmax(axis=2)
    shares = np.zeros((n_samples, n_classes))
    for member_votes in votes:
        shares[np.arange(n_samples), member_votes] += 1.0 / n_members
    return entropy(shares)


def kl_disagreement(member_probas):
    """Mean Kullback-Leibler divergence of each member from the committee's consensus."""
    consensus = member_probas.mean(axis=0)
    log_ratio = np.log(np.clip(member_probas, _TINY, None)) - np.log(
        np.clip(consensus, _TINY, None)
    )
    return np.mean(np.sum(member_probas * log_ratio, axis=2), axis=0)


def committee_agrees(member_probas, *, threshold):
    """Rows every member gives the same class, with mean confidence at least ``threshold``."""
    votes = member_probas.argmax(axis=2)
    unanimous = np.all(votes == votes[0], axis=0)
    confident = member_probas.mean(axis=0).max(axis=1) >= threshold
    return unanimous & confident


UNCERTAINTY = {
    "least_confidence": least_confidence,
    "margin": margin,
    "entropy": entropy,
}
DISAGREEMENT = {
    "vote_entropy": vote_entropy,
    "kl_divergence": kl_disagreement,
}
