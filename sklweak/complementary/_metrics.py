"""Unbiased risk of ordinary-label losses, estimated from complementary labels."""

import numpy as np

from ..utils._sklearn_compat import StrOptions, validate_params
from ..utils._validation import check_complementary_y
from ._losses import unbiased_risk_coefficients
from ._transition import check_transition_matrix

__all__ = ["complementary_risk", "make_complementary_scorer"]

# Probabilities are clipped here before the log loss, so one confident mistake
# costs a large but finite amount.
_PROBA_FLOOR = 1e-15


@validate_params(
    {
        "y": ["array-like"],
        "y_pred": ["array-like"],
        "loss": [StrOptions({"zero_one", "log"})],
        "classes": ["array-like"],
        "transition_matrix": ["array-like", None],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def complementary_risk(
    y, y_pred, *, loss="zero_one", classes, transition_matrix=None, sample_weight=None
):
    """Unbiased estimate of a classifier's risk from complementary labels.

    With ``Q[j, k] = P(ybar = k | y = j)`` the transition matrix of the
    complementary labels (uniform ``(1 - I) / (K - 1)`` by default) and
    ``l(x)`` the vector of the losses the prediction would suffer under each
    possible true class, ``E[l(x)[y]] = E[(Q^{-1} l(x))[ybar]]`` (Ishida et
    al. 2019; Yu et al. 2018 for biased ``Q``). The estimate is the (weighted)
    mean of ``(Q^{-1} l(x))[ybar]``. For the uniform matrix,
    ``Q^{-1} = J - (K - 1) I``, so the 0-1 risk is
    ``(K - 1) * mean(prediction == ybar)``: a prediction that hits the
    complementary label is an error, counted ``K - 1`` times. With several
    uniform complementary labels per sample (set ``Ybar`` of size ``s``,
    Feng et al. 2020), each row's coefficients are
    ``1 - (K - 1) / s [k in Ybar]`` (see
    :func:`sklweak.complementary._losses.unbiased_risk_coefficients`).

    The estimate is unbiased, not bounded: on small samples the 0-1 risk can
    fall below 0 or above 1.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
        One complementary label per sample, or the 0/1 matrix of several
        (uniformly drawn sets; not with ``transition_matrix``).
    y_pred : array-like
        ``loss="zero_one"``: predicted classes, shape ``(n_samples,)``.
        ``loss="log"``: predicted probabilities, shape
        ``(n_samples, n_classes)``, columns in the order of ``classes``.
    loss : {"zero_one", "log"}, default="zero_one"
        Ordinary-label loss whose risk is estimated.
    classes : array-like of shape (n_classes,)
        All classes, e.g. a fitted classifier's ``classes_``.
    transition_matrix : array-like of shape (n_classes, n_classes), default=None
        ``None`` for uniform complementary labels.
    sample_weight : array-like of shape (n_samples,), default=None
        Per-sample weights.

    Returns
    -------
    risk : float
        Estimated risk (error rate for ``"zero_one"``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.complementary import complementary_risk
    >>> y_bar = np.array([1, 2, 0, 0])
    >>> complementary_risk(y_bar, [0, 1, 2, 1], classes=[0, 1, 2])
    0.0
    >>> complementary_risk(y_bar, [1, 1, 2, 1], classes=[0, 1, 2])
    0.5
    """
    classes = np.asarray(classes)
    target = check_complementary_y(y, classes=classes)
    n_samples, n_classes = target.excluded.shape
    if transition_matrix is None:
        inverse = None
    else:
        Q = check_transition_matrix(transition_matrix, n_classes, invertible=True)
        inverse = np.linalg.inv(Q)
    coefficients = unbiased_risk_coefficients(target.excluded, inverse)
    if loss == "zero_one":
        y_pred = np.asarray(y_pred)
        if y_pred.shape != (n_samples,):
            raise ValueError(
                f"y_pred must hold one predicted class per sample, shape "
                f"({n_samples},); got {y_pred.shape}."
            )
        losses = (y_pred[:, None] != classes[None, :]).astype(np.float64)
    else:
        proba = np.asarray(y_pred, dtype=np.float64)
        if proba.shape != (n_samples, n_classes):
            raise ValueError(
                f"y_pred must hold probabilities of shape ({n_samples}, {n_classes}) "
                f"for loss='log'; got {proba.shape}."
            )
        losses = -np.log(np.clip(proba, _PROBA_FLOOR, 1.0))
    per_sample = np.sum(coefficients * losses, axis=1)
    return float(np.average(per_sample, weights=sample_weight))


class _ComplementaryScorer:
    def __init__(self, loss, transition_matrix):
        self.loss = loss
        self.transition_matrix = transition_matrix

    def __call__(self, estimator, X, y, sample_weight=None):
        Q = self.transition_matrix
        if Q is None:
            Q = getattr(estimator, "transition_matrix_", None)
        if self.loss == "zero_one":
            y_pred = estimator.predict(X)
        else:
            y_pred = estimator.predict_proba(X)
        risk = complementary_risk(
            y,
            y_pred,
            loss=self.loss,
            classes=estimator.classes_,
            transition_matrix=Q,
            sample_weight=sample_weight,
        )
        return 1.0 - risk if self.loss == "zero_one" else -risk

    def __repr__(self):
        return (
            f"make_complementary_scorer(loss={self.loss!r}, "
            f"transition_matrix={'None' if self.transition_matrix is None else '...'})"
        )


@validate_params(
    {
        "loss": [StrOptions({"zero_one", "log"})],
        "transition_matrix": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def make_complementary_scorer(*, loss="zero_one", transition_matrix=None):
    """Scorer for model selection on complementary labels only.

    Computes :func:`complementary_risk` on the validation fold's
    complementary labels and returns a score where greater is better: the
    estimated accuracy ``1 - risk`` for ``loss="zero_one"``, the negated
    estimated log loss for ``loss="log"``.

    Parameters
    ----------
    loss : {"zero_one", "log"}, default="zero_one"
        Ordinary-label loss whose risk is estimated.
    transition_matrix : array-like of shape (n_classes, n_classes), default=None
        Transition matrix of the complementary labels. ``None`` uses the
        estimator's fitted ``transition_matrix_`` when it has one, else the
        uniform matrix.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``, usable as ``scoring`` in ``GridSearchCV``
        and ``cross_validate``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklweak.complementary import (
    ...     ComplementaryLabelClassifier, make_complementary_scorer)
    >>> from sklweak.datasets import make_complementary_labels
    >>> X, y = load_iris(return_X_y=True)
    >>> y_bar = make_complementary_labels(y, random_state=0)
    >>> search = GridSearchCV(
    ...     ComplementaryLabelClassifier(), {"alpha": [1e-4, 1e-1]},
    ...     scoring=make_complementary_scorer(), cv=3).fit(X, y_bar)
    >>> search.best_params_["alpha"] in (1e-4, 1e-1)
    True
    """
    return _ComplementaryScorer(loss, transition_matrix)
