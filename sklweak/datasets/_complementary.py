"""Draw complementary labels: classes each sample does not belong to."""

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import Interval, validate_params
from ._common import check_labels, encode_labels, take_like

__all__ = ["make_complementary_labels"]


def _check_transition(transition_matrix, n_classes, n_complementary, present):
    Q = np.asarray(transition_matrix, dtype=np.float64)
    if Q.shape != (n_classes, n_classes):
        raise ValueError(
            f"transition_matrix must have shape ({n_classes}, {n_classes}); got {Q.shape}."
        )
    if not np.all(np.isfinite(Q)) or Q.min() < 0:
        raise ValueError("transition_matrix must hold finite, non-negative probabilities.")
    if np.any(np.diag(Q) != 0):
        raise ValueError(
            "transition_matrix must have a zero diagonal: a complementary label is "
            "never the true class."
        )
    sums = Q.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-6, rtol=0):
        row = int(np.argmax(np.abs(sums - 1.0)))
        raise ValueError(
            "Each row of transition_matrix is the distribution of the complementary "
            f"label given the true class and must sum to 1; row {row} sums to "
            f"{sums[row]:.6g}."
        )
    support = (Q > 0).sum(axis=1)
    short = present & (support < n_complementary)
    if short.any():
        row = int(np.flatnonzero(short)[0])
        raise ValueError(
            f"Row {row} of transition_matrix allows only {support[row]} complementary "
            f"labels; n_complementary={n_complementary} needs at least that many "
            "non-zero entries."
        )
    return Q / sums[:, None]


@validate_params(
    {
        "y": ["array-like"],
        "n_complementary": [Interval(Integral, 1, None, closed="left")],
        "transition_matrix": ["array-like", None],
        "classes": ["array-like", None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_complementary_labels(
    y, *, n_complementary=1, transition_matrix=None, classes=None, random_state=None
):
    """Replace true labels with complementary ones: classes a sample is not.

    - Uniform (``transition_matrix=None``): the complementary labels of a
      sample are drawn among the other classes, each equally likely.
    - Biased: row ``j`` of ``transition_matrix`` is the distribution of the
      complementary label of a sample of true class ``classes[j]``. Several
      labels per sample are drawn one after another without replacement, each
      with the probabilities of the row restricted to the classes not drawn
      yet.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        True labels.
    n_complementary : int, default=1
        Complementary labels per sample, from 1 to ``n_classes - 1``.
    transition_matrix : array-like of shape (n_classes, n_classes), default=None
        Row-stochastic matrix with a zero diagonal, rows and columns in the
        order of ``classes``. ``None`` draws uniformly.
    classes : array-like of shape (n_classes,), default=None
        All classes. Defaults to the sorted distinct labels of ``y``; give it
        when a class is missing from ``y``.
    random_state : int, RandomState instance or None, default=None
        Seed of the draw.

    Returns
    -------
    y_complementary : ndarray
        With ``n_complementary=1``: shape ``(n_samples,)``, one class each
        sample is not, labels from ``classes``. Otherwise: the int64 0/1 matrix
        of shape ``(n_samples, n_classes)``, 1 meaning "not this class",
        columns in the order of ``classes``. Either form passes
        :func:`sklweak.utils.check_complementary_y` with ``classes=classes``.

    Raises
    ------
    ValueError
        If ``n_complementary`` is not below the number of classes, a label is
        not in ``classes``, or ``transition_matrix`` has the wrong shape, a
        non-zero diagonal, rows that do not sum to 1, or too few non-zero
        entries for ``n_complementary`` draws.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.datasets import make_complementary_labels
    >>> y = np.array([0, 1, 2, 0, 1, 2])
    >>> y_bar = make_complementary_labels(y, random_state=0)
    >>> bool(np.all(y_bar != y))
    True
    >>> make_complementary_labels(y, n_complementary=2, random_state=0).sum(axis=1)
    array([2, 2, 2, 2, 2, 2])
    """
    y = check_labels(y)
    classes, y_index = encode_labels(y, classes)
    n_samples, n_classes = y.shape[0], classes.shape[0]
    if n_complementary >= n_classes:
        raise ValueError(
            f"n_complementary={n_complementary} must be below the number of classes "
            f"({n_classes}): at least one class must remain possible."
        )
    rng = check_random_state(random_state)
    if transition_matrix is None:
        keys = rng.random_sample((n_samples, n_classes))
    else:
        present = np.bincount(y_index, minlength=n_classes) > 0
        Q = _check_transition(transition_matrix, n_classes, n_complementary, present)
        # Gumbel top-k: the k largest of log(weight) + Gumbel noise are a draw of k
        # classes without replacement, each in turn with renormalized weights.
        with np.errstate(divide="ignore"):
            log_weights = np.log(Q[y_index])
        keys = log_weights + rng.gumbel(size=(n_samples, n_classes))
    keys[np.arange(n_samples), y_index] = -np.inf
    drawn = np.argsort(-keys, axis=1, kind="stable")[:, :n_complementary]
    if n_complementary == 1:
        return take_like(classes, drawn[:, 0], y)
    excluded = np.zeros((n_samples, n_classes), dtype=np.int64)
    np.put_along_axis(excluded, drawn, 1, axis=1)
    return excluded
