"""Corrupt labels with class-conditional noise."""

from numbers import Real

import numpy as np
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._common import check_labels, encode_labels, take_like

__all__ = ["make_noisy_labels"]


def _transition(kind, noise_rate, noise_matrix, n_classes):
    """The noise matrix ``T[i, j] = P(noisy = i | true = j)`` of the request."""
    if kind == "matrix":
        if noise_matrix is None:
            raise ValueError('kind="matrix" needs noise_matrix.')
        if noise_rate is not None:
            raise ValueError('Give noise_matrix, not noise_rate, with kind="matrix".')
        T = np.asarray(noise_matrix, dtype=np.float64)
        if T.shape != (n_classes, n_classes):
            raise ValueError(
                f"noise_matrix must have shape ({n_classes}, {n_classes}), one row "
                f"and one column per class; got {T.shape}."
            )
        if not np.all(np.isfinite(T)) or T.min() < 0:
            raise ValueError("noise_matrix must hold finite, non-negative probabilities.")
        sums = T.sum(axis=0)
        if not np.allclose(sums, 1.0, atol=1e-6, rtol=0):
            column = int(np.argmax(np.abs(sums - 1.0)))
            raise ValueError(
                "noise_matrix must be column-stochastic (T[i, j] = P(noisy=i | "
                f"true=j)); column {column} sums to {sums[column]:.6g}."
            )
        return T / sums
    if noise_matrix is not None:
        raise ValueError(f'noise_matrix is only used with kind="matrix"; got kind={kind!r}.')
    if noise_rate is None:
        raise ValueError(f"kind={kind!r} needs noise_rate.")
    T = np.eye(n_classes) * (1.0 - noise_rate)
    if kind == "symmetric":
        T += (1.0 - np.eye(n_classes)) * noise_rate / (n_classes - 1)
    else:
        T[(np.arange(n_classes) + 1) % n_classes, np.arange(n_classes)] += noise_rate
    return T


@validate_params(
    {
        "y": ["array-like"],
        "noise_rate": [Interval(Real, 0, 1, closed="both"), None],
        "noise_matrix": ["array-like", None],
        "kind": [StrOptions({"symmetric", "pair", "matrix"})],
        "classes": ["array-like", None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_noisy_labels(
    y,
    *,
    noise_rate=None,
    noise_matrix=None,
    kind="symmetric",
    classes=None,
    random_state=None,
):
    """Flip labels at random with class-conditional noise.

    Each label is redrawn independently from a noise matrix ``T`` with
    ``T[i, j] = P(noisy label = classes[i] | true label = classes[j])``: the
    columns are the true classes and each sums to 1 (column-stochastic).

    - ``kind="symmetric"``: with probability ``noise_rate`` the label becomes
      one of the other classes, each equally likely.
    - ``kind="pair"``: with probability ``noise_rate`` class ``classes[k]``
      becomes ``classes[(k + 1) % n_classes]`` (asymmetric pair flipping).
    - ``kind="matrix"``: ``T`` is ``noise_matrix``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        True labels.
    noise_rate : float in [0, 1], default=None
        Probability that a label is flipped; required by ``"symmetric"`` and
        ``"pair"``.
    noise_matrix : array-like of shape (n_classes, n_classes), default=None
        Column-stochastic noise matrix, rows and columns in the order of
        ``classes``; required by ``"matrix"``.
    kind : {"symmetric", "pair", "matrix"}, default="symmetric"
        Noise model.
    classes : array-like of shape (n_classes,), default=None
        All classes, in the row and column order of ``noise_matrix`` (and the
        order that defines ``"pair"`` flips). Defaults to the sorted distinct
        labels of ``y``; give it when a class is missing from ``y``.
    random_state : int, RandomState instance or None, default=None
        Seed of the flips.

    Returns
    -------
    y_noisy : ndarray of shape (n_samples,)
        Noisy labels, drawn from ``classes``, in the dtype of ``y``.
    is_noisy : ndarray of bool, shape (n_samples,)
        True where the noisy label differs from the true one (the realized
        noise).

    Raises
    ------
    ValueError
        If the arguments needed by ``kind`` are missing or extra, the noise
        matrix has the wrong shape or is not column-stochastic, a label is not
        in ``classes``, or there are fewer than two classes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.datasets import make_noisy_labels
    >>> y = np.repeat([0, 1, 2], 4)
    >>> y_noisy, is_noisy = make_noisy_labels(y, noise_rate=0.25, kind="pair",
    ...                                       random_state=0)
    >>> bool(np.all((y_noisy[is_noisy] - y[is_noisy]) % 3 == 1))
    True
    """
    y = check_labels(y)
    classes, y_index = encode_labels(y, classes)
    n_classes = classes.shape[0]
    T = _transition(kind, noise_rate, noise_matrix, n_classes)

    rng = check_random_state(random_state)
    cumulative = np.cumsum(T, axis=0)[:, y_index]
    draw = rng.random_sample(y.shape[0])
    noisy_index = np.minimum((draw >= cumulative).sum(axis=0), n_classes - 1)
    return take_like(classes, noisy_index, y), noisy_index != y_index
