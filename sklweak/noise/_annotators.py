"""Several annotators: majority vote, Dawid-Skene and the CROWDLAB consensus.

The functions take the annotators' matrix ``labels_multiannotator`` of shape
``(n_samples, n_annotators)``: integer class indices ``0 .. n_classes - 1``
and ``missing_label`` where an annotator gave no label.
"""

import warnings
from collections import namedtuple
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

from ..utils import check_annotator_matrix
from ..utils._sklearn_compat import Interval, StrOptions, _check_sample_weight, validate_params
from ._validation import check_noisy_labels

__all__ = [
    "Consensus",
    "DawidSkene",
    "dawid_skene",
    "estimate_consensus",
    "from_long_format",
    "from_nan_matrix",
    "majority_vote",
]

# Floor of the CROWDLAB weights, so that a weak source keeps a tiny say.
WEIGHT_FLOOR = 1e-6


def _short_repr(result):
    """``Name(field=value, ...)`` with each array summarised by its dtype and shape."""
    parts = []
    for field, value in zip(result._fields, result):
        if isinstance(value, np.ndarray):
            value = f"<{value.dtype} array of shape {value.shape}>"
        else:
            value = repr(value)
        parts.append(f"{field}={value}")
    return f"{type(result).__name__}({', '.join(parts)})"


class DawidSkene(
    namedtuple(
        "DawidSkene",
        ["posterior", "consensus_label", "confusion_matrices", "class_prior", "n_iter"],
    )
):
    __slots__ = ()
    __repr__ = _short_repr


DawidSkene.__doc__ = """Result of :func:`dawid_skene`.

posterior : ndarray of shape (n_samples, n_classes)
    Posterior probability of each true class.
consensus_label : ndarray of int64, shape (n_samples,)
    Most probable true class of each sample.
confusion_matrices : ndarray of shape (n_annotators, n_classes, n_classes)
    ``confusion_matrices[a, j, l]`` estimates the probability that annotator
    ``a`` answers ``l`` when the true class is ``j``.
class_prior : ndarray of shape (n_classes,)
    Estimated frequency of each true class.
n_iter : int
    Number of EM iterations run.

Its ``repr`` summarises each array by its dtype and shape.
"""


class Consensus(
    namedtuple(
        "Consensus",
        [
            "consensus_label",
            "consensus_quality",
            "annotator_quality",
            "post_pred_probs",
            "model_weight",
            "annotator_weight",
        ],
    )
):
    __slots__ = ()
    __repr__ = _short_repr


Consensus.__doc__ = """Result of :func:`estimate_consensus`.

consensus_label : ndarray of int64, shape (n_samples,)
    Consensus class index of each sample.
consensus_quality : ndarray of shape (n_samples,)
    Confidence in each consensus label, in [0, 1] (higher is more reliable).
annotator_quality : ndarray of shape (n_annotators,)
    Overall quality of each annotator's labels, in [0, 1].
post_pred_probs : ndarray of shape (n_samples, n_classes)
    The class probabilities the consensus was read from.
model_weight : float or None
    Weight of the classifier in the CROWDLAB ensemble (None for other methods).
annotator_weight : ndarray of shape (n_annotators,) or None
    Weight of each annotator in the CROWDLAB ensemble (None for other methods).

Its ``repr`` summarises each array by its dtype and shape.
"""


def _annotations(
    labels_multiannotator, missing_label, n_classes=None, n_classes_from="pred_probs has {} columns"
):
    """Validate the matrix; return (labels with -1 for missing, observed, n_classes).

    ``n_classes_from`` says where ``n_classes`` comes from, for the error.
    """
    target = check_annotator_matrix(labels_multiannotator, missing_label=missing_label)
    raw = target.classes
    if raw.min() < 0:
        raise ValueError(
            "labels_multiannotator must hold class indices 0 .. n_classes - 1 (and "
            f"missing_label={missing_label!r}); found {int(raw.min())}."
        )
    if n_classes is None:
        n_classes = int(raw.max()) + 1
    elif raw.max() >= n_classes:
        raise ValueError(
            f"labels_multiannotator holds class {int(raw.max())} but "
            f"{n_classes_from.format(n_classes)}; labels must lie in [0, {n_classes})."
        )
    labels = np.full(target.labels.shape, -1, dtype=np.int64)
    labels[target.observed] = raw[target.labels[target.observed]].astype(np.int64)
    return labels, target.observed, n_classes


def _check_pred_probs(pred_probs, n_samples):
    pred_probs = np.asarray(pred_probs)
    if pred_probs.ndim != 2 or pred_probs.shape[0] != n_samples:
        raise ValueError(
            f"pred_probs must have shape (n_samples={n_samples}, n_classes); got "
            f"{pred_probs.shape}."
        )
    # Any valid row of labels checks the probabilities themselves.
    checked = check_noisy_labels(
        np.zeros(n_samples, dtype=np.int64), pred_probs, require_every_class=False
    )
    return np.asarray(checked.pred_probs, dtype=np.float64)


def _vote_counts(labels, observed, n_classes):
    """(n_samples, n_classes) matrix of how many annotators gave each class."""
    rows, cols = np.nonzero(observed)
    flat = rows * n_classes + labels[rows, cols]
    counts = np.bincount(flat, minlength=labels.shape[0] * n_classes)
    return counts.reshape(labels.shape[0], n_classes)


def _argmax_among_ties(counts, tie_breaker):
    """Row-wise argmax of ``counts``; among tied maxima, the largest
    ``tie_breaker`` entry (then the lowest index)."""
    tied = counts == counts.max(axis=1, keepdims=True)
    if tie_breaker is None:
        return np.argmax(tied, axis=1).astype(np.int64)
    return np.argmax(np.where(tied, tie_breaker, -np.inf), axis=1).astype(np.int64)


def _consensus_weights(sample_weight, labels):
    """Checked non-negative float weights, one per row of ``labels``, or None."""
    if sample_weight is None:
        return None
    return _check_sample_weight(sample_weight, labels, ensure_non_negative=True)


def _column(weights):
    return None if weights is None else weights[:, None]


def _weigh(values, weights):
    """``values`` times the weights of their samples; ``values`` when unweighted."""
    return values if weights is None else values * weights


@validate_params(
    {
        "labels_multiannotator": ["array-like"],
        "pred_probs": ["array-like", None],
        "missing_label": [Integral],
    },
    prefer_skip_nested_validation=True,
)
def majority_vote(labels_multiannotator, *, pred_probs=None, missing_label=-1):
    """Most frequent label of each sample among the annotators who labeled it.

    Ties between classes with the same number of votes are broken by
    ``pred_probs`` when given (the tied class with the highest predicted
    probability wins), otherwise, and among equal probabilities, by the lowest
    class index.

    Parameters
    ----------
    labels_multiannotator : array-like of int, shape (n_samples, n_annotators)
        Class indices ``0 .. n_classes - 1``; ``missing_label`` where the
        annotator did not label the sample. Every row needs one label.
    pred_probs : array-like of shape (n_samples, n_classes), default=None
        Predicted class probabilities used only to break ties.
    missing_label : int, default=-1
        Marks a missing annotation.

    Returns
    -------
    consensus_label : ndarray of int64, shape (n_samples,)
        The majority class index of each sample.

    Examples
    --------
    >>> from sklweak.noise import majority_vote
    >>> majority_vote([[0, 0, 1], [1, -1, 1], [2, 0, -1]]).tolist()
    [0, 1, 0]
    >>> majority_vote([[2, 0, -1]], pred_probs=[[0.1, 0.2, 0.7]]).tolist()
    [2]
    """
    n_classes = None
    if pred_probs is not None:
        n_classes = np.asarray(pred_probs).shape[-1]
    labels, observed, n_classes = _annotations(labels_multiannotator, missing_label, n_classes)
    if pred_probs is not None:
        pred_probs = _check_pred_probs(pred_probs, labels.shape[0])
    return _argmax_among_ties(_vote_counts(labels, observed, n_classes), pred_probs)


def _ds_m_step(posterior, entries, n_annotators, n_classes, smoothing, weights=None):
    """Class prior and confusion matrices from the current posterior."""
    rows, cols, given = entries
    n_samples = posterior.shape[0]
    entry_weights = np.ones(rows.shape[0]) if weights is None else weights[rows]
    indicator = sparse.csr_matrix(
        (entry_weights, (cols * n_classes + given, rows)),
        shape=(n_annotators * n_classes, n_samples),
    )
    # counts[a * K + l, j] = sum of posterior[i, j] over samples a labeled l.
    counts = np.asarray(indicator @ posterior).reshape(n_annotators, n_classes, n_classes)
    confusion = counts.transpose(0, 2, 1) + smoothing
    confusion /= confusion.sum(axis=2, keepdims=True)
    prior = (posterior.sum(axis=0) if weights is None else weights @ posterior) + smoothing
    return prior / prior.sum(), confusion


def _ds_e_step(prior, confusion, entries, starts, weights=None):
    _, cols, given = entries
    # log P(annotator cols[e] says given[e] | true class j), for every j.
    per_entry = np.log(confusion[cols, :, given])
    log_post = np.log(prior) + np.add.reduceat(per_entry, starts, axis=0)
    peak = log_post.max(axis=1, keepdims=True)
    posterior = np.exp(log_post - peak)
    totals = posterior.sum(axis=1, keepdims=True)
    log_likelihood = float(np.sum(_weigh(peak + np.log(totals), _column(weights))))
    return posterior / totals, log_likelihood


@validate_params(
    {
        "labels_multiannotator": ["array-like"],
        "n_classes": [Interval(Integral, 2, None, closed="left"), None],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "smoothing": [Interval(Real, 0, None, closed="neither")],
        "missing_label": [Integral],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def dawid_skene(
    labels_multiannotator,
    *,
    n_classes=None,
    max_iter=100,
    tol=1e-5,
    smoothing=0.01,
    missing_label=-1,
    sample_weight=None,
):
    """True-class posterior and annotators' confusion matrices by EM (Dawid & Skene, 1979).

    Each annotator is modelled by a confusion matrix (the probability of each
    answer given the true class) and the samples by a class prior. EM starts
    from the majority vote (one-hot posterior), then alternates: estimate the
    prior and confusion matrices from the posterior, and the posterior from
    them, until the log-likelihood of the annotations changes by less than
    ``tol`` per annotation.

    Parameters
    ----------
    labels_multiannotator : array-like of int, shape (n_samples, n_annotators)
        Class indices ``0 .. n_classes - 1``; ``missing_label`` where the
        annotator did not label the sample. Every row needs one label.
    n_classes : int, default=None
        Number of classes; ``None`` means the largest label plus one.
    max_iter : int, default=100
        Most EM iterations; reaching it raises a ``ConvergenceWarning``.
    tol : float, default=1e-5
        Stop when an iteration changes the log-likelihood of the annotations
        by less than ``tol`` per annotation.
    smoothing : float, default=0.01
        Pseudo-count added to every confusion-matrix cell and class count, so
        that an unseen answer never gets probability 0.
    missing_label : int, default=-1
        Marks a missing annotation.
    sample_weight : array-like of shape (n_samples,), default=None
        Repetition counts of the samples: they weigh the samples' terms of
        the class counts, the confusion counts and the log-likelihood.

    Returns
    -------
    result : DawidSkene
        ``(posterior, consensus_label, confusion_matrices, class_prior, n_iter)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.datasets import simulate_annotators
    >>> from sklweak.noise import dawid_skene
    >>> y = np.random.RandomState(0).randint(3, size=300)
    >>> annotations, _ = simulate_annotators(y, n_annotators=5, accuracy=(0.5, 0.9),
    ...                                      random_state=0)
    >>> result = dawid_skene(annotations)
    >>> result.confusion_matrices.shape, bool(np.mean(result.consensus_label == y) > 0.9)
    ((5, 3, 3), True)
    """
    labels, observed, n_classes = _annotations(
        labels_multiannotator, missing_label, n_classes, "n_classes={}"
    )
    n_samples, n_annotators = labels.shape
    weights = _consensus_weights(sample_weight, labels)
    rows, cols = np.nonzero(observed)
    entries = (rows, cols, labels[rows, cols])
    starts = np.searchsorted(rows, np.arange(n_samples))
    n_entries = rows.shape[0] if weights is None else weights[rows].sum()
    counts = _vote_counts(labels, observed, n_classes)
    posterior = np.eye(n_classes)[_argmax_among_ties(counts, None)]
    previous = -np.inf
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (returned after the loop)
        prior, confusion = _ds_m_step(
            posterior, entries, n_annotators, n_classes, smoothing, weights
        )
        posterior, log_likelihood = _ds_e_step(prior, confusion, entries, starts, weights)
        change = (log_likelihood - previous) / n_entries
        previous = log_likelihood
        if abs(change) < tol:
            break
    else:
        warnings.warn(
            f"Dawid-Skene EM stopped at max_iter={max_iter} with a log-likelihood "
            f"change of {change:.2g} per annotation > tol={tol}; increase max_iter.",
            ConvergenceWarning,
            stacklevel=2,
        )
    prior, confusion = _ds_m_step(posterior, entries, n_annotators, n_classes, smoothing, weights)
    consensus = np.argmax(posterior, axis=1).astype(np.int64)
    return DawidSkene(posterior, consensus, confusion, prior, n_iter)


def _agreement_with_others(labels, observed, counts, weights=None):
    """Per annotator: how often the other annotators of a sample gave its label,
    over the samples it shares; annotators who share none get the mean of the rest."""
    rows, cols = np.nonzero(observed)
    n_annotators = labels.shape[1]
    entry_weights = None if weights is None else weights[rows]
    same = _weigh(counts[rows, labels[rows, cols]] - 1, entry_weights)
    others = _weigh(counts[rows].sum(axis=1) - 1, entry_weights)
    agree = np.bincount(cols, weights=same, minlength=n_annotators)
    shared = np.bincount(cols, weights=others, minlength=n_annotators)
    result = np.full(n_annotators, np.nan)
    overlap = shared > 0
    result[overlap] = agree[overlap] / shared[overlap]
    result[~overlap] = result[overlap].mean() if overlap.any() else 1.0
    return result


def _crowdlab_posterior(labels, observed, counts, pred_probs, consensus, weights=None):
    """CROWDLAB's weighted ensemble of the classifier and the annotators.

    ``weights`` (repetition counts of the samples) weigh every mean over samples.
    """
    n_samples, n_classes = pred_probs.shape
    n_annotations = observed.sum(axis=1)
    shared = n_annotations > 1
    if not shared.any():
        shared = np.ones(n_samples, dtype=bool)
    shared_weights = None if weights is None else weights[shared]
    agreement = counts[np.arange(n_samples), consensus] / n_annotations
    # How likely an annotator gives the consensus label, and each other class.
    p_consensus = float(np.average(agreement[shared], weights=shared_weights))
    p_other = (1.0 - p_consensus) / (n_classes - 1)

    # Errors are measured relative to always answering the most common class.
    reference = consensus[shared]
    mode = np.argmax(np.bincount(reference, weights=shared_weights, minlength=n_classes))
    baseline_error = max(float(np.average(reference != mode, weights=shared_weights)), WEIGHT_FLOOR)
    annotator_error = 1.0 - _agreement_with_others(labels, observed, counts, weights)
    annotator_weight = np.maximum(1.0 - annotator_error / baseline_error, WEIGHT_FLOOR)
    model_error = float(
        np.average(np.argmax(pred_probs[shared], axis=1) != reference, weights=shared_weights)
    )
    model_weight = max(1.0 - model_error / baseline_error, WEIGHT_FLOOR) * np.sqrt(
        np.average(n_annotations, weights=weights)
    )

    weight_per_row = observed @ annotator_weight
    rows, cols = np.nonzero(observed)
    votes = np.zeros((n_samples, n_classes))
    np.add.at(votes, (rows, labels[rows, cols]), annotator_weight[cols])
    ensemble = (
        model_weight * pred_probs
        + p_other * weight_per_row[:, None]
        + (p_consensus - p_other) * votes
    )
    ensemble /= (model_weight + weight_per_row)[:, None]
    return ensemble, model_weight, annotator_weight


def _agreement_with_consensus(cols, given, consensus, shared, entry_weights, n_annotators):
    """Per annotator, over its annotations of samples labeled twice or more: the
    (weighted) number that equal the consensus, and the (weighted) number."""
    shared_weights = None if entry_weights is None else entry_weights[shared]
    agrees = np.bincount(
        cols[shared],
        weights=_weigh(given[shared] == consensus[shared], shared_weights),
        minlength=n_annotators,
    )
    n_shared = np.bincount(cols[shared], weights=shared_weights, minlength=n_annotators)
    return agrees, n_shared


def _crowdlab_annotator_quality(
    labels, observed, post, consensus, model_weight, annotator_weight, weights=None
):
    n_annotators = labels.shape[1]
    n_annotations = observed.sum(axis=1)
    rows, cols = np.nonzero(observed)
    given = labels[rows, cols]
    entry_weights = None if weights is None else weights[rows]
    per_annotator = np.bincount(cols, weights=entry_weights, minlength=n_annotators)
    label_quality = np.bincount(
        cols, weights=_weigh(post[rows, given], entry_weights), minlength=n_annotators
    )
    label_quality /= np.where(per_annotator > 0, per_annotator, 1)
    agrees, n_shared = _agreement_with_consensus(
        cols, given, consensus[rows], n_annotations[rows] > 1, entry_weights, n_annotators
    )
    crowd_weight = (
        annotator_weight.sum() * np.average(n_annotations, weights=weights) / n_annotators
    )
    w_model = model_weight / (model_weight + crowd_weight)
    quality = label_quality.copy()
    has = n_shared > 0
    quality[has] = w_model * label_quality[has] + (1 - w_model) * agrees[has] / n_shared[has]
    return quality


@validate_params(
    {
        "labels_multiannotator": ["array-like"],
        "pred_probs": ["array-like", None],
        "method": [StrOptions({"crowdlab", "majority_vote", "dawid_skene"})],
        "missing_label": [Integral],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def estimate_consensus(
    labels_multiannotator, pred_probs, *, method="crowdlab", missing_label=-1, sample_weight=None
):
    """Consensus label, its quality, and each annotator's quality.

    ``"crowdlab"`` (Goh, Tkachenko & Mueller, 2022) averages the classifier's
    ``pred_probs`` with every annotator's label, each annotator's label read as
    the class distribution "the given class with the crowd's average agreement
    rate, the rest spread evenly". The weights compare errors with those of a
    baseline that always answers the most common consensus class: an
    annotator's weight is ``1 - (1 - a) / e``, ``a`` its agreement with the
    other annotators of its samples and ``e`` the baseline's error; the
    classifier's is ``1 - m / e`` times the square root of the mean number of
    labels per sample, ``m`` its disagreement with the consensus (both
    floored at 1e-6; errors are measured on the samples with two or more
    labels, or on all samples if there are none). Starting from the majority
    vote, the consensus becomes the ensemble's most probable class (ties keep
    the vote), and the weights are refitted to it. The consensus quality is
    the ensemble's probability of the consensus label; an annotator's quality
    blends the ensemble's mean probability of its labels with its agreement
    with the consensus, weighting the first by the classifier's share of the
    total weight.

    ``"majority_vote"`` (ties broken by ``pred_probs``, or by the smallest
    class index without them) scores a consensus by
    the fraction of its annotators who gave it, and an annotator by its
    agreement with the consensus on samples with two or more labels (its mean
    over those who share none). ``"dawid_skene"`` (:func:`dawid_skene`, which
    ignores ``pred_probs``) scores a consensus by its posterior probability
    and an annotator by its estimated accuracy, the trace of its confusion
    matrix weighted by the class prior.

    Parameters
    ----------
    labels_multiannotator : array-like of int, shape (n_samples, n_annotators)
        Class indices ``0 .. n_classes - 1``; ``missing_label`` where the
        annotator did not label the sample. Every row needs one label.
    pred_probs : array-like of shape (n_samples, n_classes) or None
        Out-of-sample class probabilities of a classifier (e.g. from
        :func:`cross_val_pred_probs` fitted on the majority vote). Required
        by ``"crowdlab"``; optional for ``"majority_vote"`` (ties) and
        ``"dawid_skene"`` (only its number of columns is read, as the number
        of classes); without it the number of classes is the largest label
        plus one.
    method : {"crowdlab", "majority_vote", "dawid_skene"}, default="crowdlab"
        How the consensus and the quality scores are found.
    missing_label : int, default=-1
        Marks a missing annotation.
    sample_weight : array-like of shape (n_samples,), default=None
        Repetition counts of the samples. They weigh every statistic over
        samples (agreement rates, the baseline's and the classifier's error,
        the class and confusion counts of Dawid-Skene, annotator qualities),
        so a sample of weight 2 counts as the sample twice; each sample's own
        consensus is read from its annotations as before.

    Returns
    -------
    consensus : Consensus
        ``(consensus_label, consensus_quality, annotator_quality,
        post_pred_probs, model_weight, annotator_weight)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.noise import estimate_consensus
    >>> annotations = np.array([[0, 0, -1], [1, 0, 1], [-1, 1, 1], [0, -1, 1]])
    >>> probs = np.array([[0.9, 0.1], [0.3, 0.7], [0.2, 0.8], [0.8, 0.2]])
    >>> result = estimate_consensus(annotations, probs)
    >>> result.consensus_label.tolist()
    [0, 1, 1, 0]
    >>> result.annotator_quality.shape
    (3,)
    >>> estimate_consensus(annotations, None, method="majority_vote").consensus_label.tolist()
    [0, 1, 1, 0]
    """
    if pred_probs is None:
        if method == "crowdlab":
            raise ValueError(
                "method='crowdlab' needs pred_probs (a classifier's out-of-sample "
                "class probabilities); method='dawid_skene' or 'majority_vote' works "
                "without them."
            )
        labels, observed, n_classes = _annotations(labels_multiannotator, missing_label)
    else:
        pred_probs_arr = np.asarray(pred_probs)
        if pred_probs_arr.ndim != 2:
            raise ValueError(
                f"pred_probs must be 2-D (n_samples, n_classes); got shape {pred_probs_arr.shape}."
            )
        labels, observed, n_classes = _annotations(
            labels_multiannotator, missing_label, pred_probs_arr.shape[1]
        )
        pred_probs = _check_pred_probs(pred_probs_arr, labels.shape[0])
    n_samples, n_annotators = labels.shape
    weights = _consensus_weights(sample_weight, labels)
    counts = _vote_counts(labels, observed, n_classes)
    n_annotations = observed.sum(axis=1)
    rows = np.arange(n_samples)

    if method == "dawid_skene":
        result = dawid_skene(labels, n_classes=n_classes, sample_weight=weights)
        accuracy = np.einsum("ajj,j->a", result.confusion_matrices, result.class_prior)
        consensus = result.consensus_label
        return Consensus(
            consensus, result.posterior[rows, consensus], accuracy, result.posterior, None, None
        )

    vote = _argmax_among_ties(counts, pred_probs)
    if method == "majority_vote":
        fractions = counts / n_annotations[:, None]
        cells = np.nonzero(observed)
        agrees, n_shared = _agreement_with_consensus(
            cells[1],
            labels[cells],
            vote[cells[0]],
            n_annotations[cells[0]] > 1,
            None if weights is None else weights[cells[0]],
            n_annotators,
        )
        quality = np.full(n_annotators, np.nan)
        has = n_shared > 0
        quality[has] = agrees[has] / n_shared[has]
        quality[~has] = quality[has].mean() if has.any() else 1.0
        return Consensus(vote, fractions[rows, vote], quality, fractions, None, None)

    ensemble, _, _ = _crowdlab_posterior(labels, observed, counts, pred_probs, vote, weights)
    consensus = _argmax_among_ties(ensemble, None)
    tied = (ensemble == ensemble.max(axis=1, keepdims=True)).sum(axis=1) > 1
    consensus[tied] = vote[tied]
    post, model_weight, annotator_weight = _crowdlab_posterior(
        labels, observed, counts, pred_probs, consensus, weights
    )
    quality = _crowdlab_annotator_quality(
        labels, observed, post, consensus, model_weight, annotator_weight, weights
    )
    return Consensus(
        consensus, post[rows, consensus], quality, post, float(model_weight), annotator_weight
    )


def from_long_format(tasks, workers, labels, *, missing_label=-1):
    """Annotators' matrix from one row per (task, worker, label) annotation.

    Parameters
    ----------
    tasks : array-like of shape (n_annotations,)
        Identifier of the sample each annotation is about (any hashable dtype).
    workers : array-like of shape (n_annotations,)
        Identifier of the annotator who gave it.
    labels : array-like of shape (n_annotations,)
        The label given (any dtype).
    missing_label : int, default=-1
        Written where a worker did not label a task.

    Returns
    -------
    labels_multiannotator : ndarray of int64, shape (n_tasks, n_workers)
        Class indices into ``classes``, ``missing_label`` where missing.
    task_ids : ndarray of shape (n_tasks,)
        Sorted distinct tasks, the rows' order.
    worker_ids : ndarray of shape (n_workers,)
        Sorted distinct workers, the columns' order.
    classes : ndarray of shape (n_classes,)
        Sorted distinct labels; ``classes[k]`` is class index ``k``.

    Raises
    ------
    ValueError
        If the three arrays differ in length or a worker labels a task twice.

    Examples
    --------
    >>> from sklweak.noise import from_long_format
    >>> matrix, tasks, workers, classes = from_long_format(
    ...     ["t1", "t1", "t2"], ["ann", "bob", "bob"], ["cat", "dog", "dog"])
    >>> matrix.tolist(), classes.tolist()
    ([[0, 1], [-1, 1]], ['cat', 'dog'])
    """
    tasks, workers, labels = (np.asarray(a).ravel() for a in (tasks, workers, labels))
    if not (tasks.shape[0] == workers.shape[0] == labels.shape[0]):
        raise ValueError(
            f"tasks, workers and labels must have the same length; got "
            f"{tasks.shape[0]}, {workers.shape[0]} and {labels.shape[0]}."
        )
    if tasks.shape[0] == 0:
        raise ValueError("tasks, workers and labels are empty.")
    task_ids, rows = np.unique(tasks, return_inverse=True)
    worker_ids, cols = np.unique(workers, return_inverse=True)
    classes, codes = np.unique(labels, return_inverse=True)
    cell = rows * worker_ids.shape[0] + cols
    unique_cells, first = np.unique(cell, return_index=True)
    if unique_cells.shape[0] != cell.shape[0]:
        duplicate = np.setdiff1d(np.arange(cell.shape[0]), first)[0]
        raise ValueError(
            f"worker {workers[duplicate]!r} labels task {tasks[duplicate]!r} more than "
            "once; keep one annotation per (task, worker) pair."
        )
    if np.any(np.arange(classes.shape[0]) == missing_label):
        raise ValueError(
            f"missing_label={missing_label!r} collides with a class index; use a negative value."
        )
    matrix = np.full((task_ids.shape[0], worker_ids.shape[0]), missing_label, dtype=np.int64)
    matrix[rows, cols] = codes
    return matrix, task_ids, worker_ids, classes


def _is_missing(value):
    """True for NaN, None and pandas' NA: the ways a table marks an empty cell."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(value, (float, np.floating)) and np.isnan(value)


def from_nan_matrix(matrix, *, missing_label=-1, return_classes=False):
    """Annotators' matrix from a wide table (or array) with NaN for missing.

    Parameters
    ----------
    matrix : array-like of shape (n_samples, n_annotators)
        One column per annotator, NaN (or None, ``pd.NA``) where the
        annotator did not label the sample. Numbers are class indices (the
        layout cleanlab's multiannotator functions use) and are kept as they
        are; other labels (strings, as read from a CSV file) are encoded as
        indices into their sorted distinct values.
    missing_label : int, default=-1
        Written in place of the missing cells; must not be one of the class
        indices.
    return_classes : bool, default=False
        Also return the classes, ``classes[k]`` being class index ``k``.

    Returns
    -------
    labels_multiannotator : ndarray of int64, shape (n_samples, n_annotators)
        A new array; ``matrix`` is not modified.
    classes : ndarray of shape (n_classes,)
        Only with ``return_classes=True``: the sorted distinct labels for a
        table of labels, ``0 .. max index`` for one of class indices.

    Raises
    ------
    ValueError
        If ``matrix`` is not 2-D, holds infinities, non-integer numbers, or
        both numbers and strings, or ``missing_label`` is one of its class
        indices.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.noise import from_nan_matrix
    >>> from_nan_matrix([[0, np.nan], [1.0, 2.0]]).tolist()
    [[0, -1], [1, 2]]
    >>> matrix, classes = from_nan_matrix(
    ...     [["cat", None], ["dog", "dog"]], return_classes=True)
    >>> matrix.tolist(), classes.tolist()
    ([[0, -1], [1, 1]], ['cat', 'dog'])
    """
    cells = np.asarray(matrix, dtype=object)
    if cells.ndim != 2:
        raise ValueError(f"matrix must be 2-D; got an array of shape {cells.shape}.")
    missing = np.frompyfunc(_is_missing, 1, 1)(cells).astype(bool)
    present = cells[~missing]
    numeric = np.array(
        [isinstance(v, (Real, np.number)) and not isinstance(v, (bool, np.bool_)) for v in present],
        dtype=bool,
    )
    if numeric.all():
        values = present.astype(np.float64)
        if not np.all(np.isfinite(values)) or np.any(values != np.round(values)):
            raise ValueError(
                "matrix must hold integer class indices, labels, or NaN; found "
                "infinite or non-integer numbers."
            )
        codes = values.astype(np.int64)
        if np.any(codes == missing_label):
            raise ValueError(f"missing_label={missing_label!r} is one of the labels in matrix.")
        classes = np.arange(codes.max() + 1 if codes.size else 0)
    elif numeric.any():
        raise ValueError(
            "matrix mixes numbers and other labels (e.g. strings); give one kind: "
            "class indices, or labels such as strings."
        )
    else:
        classes, codes = np.unique(present.astype(str), return_inverse=True)
        if missing_label >= 0:
            raise ValueError(
                f"missing_label={missing_label!r} collides with a class index; use a "
                "negative value."
            )
    result = np.full(cells.shape, missing_label, dtype=np.int64)
    result[~missing] = codes
    return (result, classes) if return_classes else result
