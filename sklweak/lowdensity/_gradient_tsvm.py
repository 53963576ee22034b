"""The gradient transductive SVM (∇TSVM) of Chapelle and Zien (2005), in the primal.

A linear classifier ``f(z) = w @ z + b`` on explicit features ``Z`` (for LDS,
the multidimensional-scaling embedding) minimises

    0.5 * ||w||² + C  * Σ_labeled   max(0, 1 - y_i f(z_i))²
                 + C* * Σ_unlabeled exp(-s f(z_j)²)

The second term is the squared hinge loss of an L2-SVM; the third is the
smooth, non-convex stand-in for the hinge loss of an unknown label,
``max(0, 1 - |t|)``, that pushes unlabeled samples away from the boundary
(``s = 3`` in the paper). The bias is not penalised. The balancing constraint

    mean_unlabeled f(z_j) = mean_labeled y_i

keeps the boundary from running away from all unlabeled samples. Because
``b`` is free, the constraint fixes it: ``b = target - mean_unlabeled(z) @ w``,
so the problem becomes unconstrained in ``w`` on features centred at the mean
of the unlabeled samples, with the bias held at ``target``.

Local minima are the difficulty of the non-convex term. As in the paper, the
weight ``C*`` starts small and grows geometrically to ``C``; each stage starts
from the previous solution and is solved by L-BFGS with the exact gradient.
"""

from functools import partial

import numpy as np
from scipy.optimize import minimize

__all__ = ["UNLABELED_LOSS_WIDTH", "fit_gradient_tsvm", "tsvm_objective"]

UNLABELED_LOSS_WIDTH = 3.0


def tsvm_objective(
    w,
    Z_labeled,
    y,
    Z_unlabeled,
    *,
    C,
    C_unlabeled,
    bias,
    s=UNLABELED_LOSS_WIDTH,
    labeled_weights=None,
    unlabeled_weights=None,
):
    """Value and gradient of the ∇TSVM objective for a fixed bias.

    Parameters
    ----------
    w : ndarray of shape (n_features,)
        Weights.
    Z_labeled : ndarray of shape (n_labeled, n_features)
        Features of the labeled samples.
    y : ndarray of shape (n_labeled,)
        Their labels, -1 or +1.
    Z_unlabeled : ndarray of shape (n_unlabeled, n_features)
        Features of the unlabeled samples (may have no row).
    C : float
        Weight of the squared hinge loss of the labeled samples.
    C_unlabeled : float
        Weight ``C*`` of the loss ``exp(-s * f ** 2)`` of unlabeled samples.
    bias : float
        The bias ``b`` of ``f(z) = w @ z + b``.
    s : float, default=3.0
        Width of the unlabeled loss.
    labeled_weights, unlabeled_weights : ndarray or None, default=None
        Weights of the labeled and unlabeled samples' loss terms (None: 1).

    Returns
    -------
    value : float
        The objective.
    gradient : ndarray of shape (n_features,)
        Its gradient with respect to ``w``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.lowdensity._gradient_tsvm import tsvm_objective
    >>> Z = np.array([[1.0], [-1.0]])
    >>> value, grad = tsvm_objective(
    ...     np.array([1.0]), Z, np.array([1.0, -1.0]), np.zeros((0, 1)),
    ...     C=1.0, C_unlabeled=1.0, bias=0.0)
    >>> float(value), grad.tolist()
    (0.5, [1.0])
    """
    value = 0.5 * float(w @ w)
    gradient = w.copy()
    f_labeled = Z_labeled @ w + bias
    violation = np.maximum(0.0, 1.0 - y * f_labeled)
    weighted_violation = violation if labeled_weights is None else labeled_weights * violation
    value += C * float(weighted_violation @ violation)
    # d/dw (1 - y f)^2 = -2 y (1 - y f) z, nonzero only for margin violators.
    gradient -= 2.0 * C * (Z_labeled.T @ (y * weighted_violation))
    if Z_unlabeled.shape[0]:
        f_unlabeled = Z_unlabeled @ w + bias
        loss = np.exp(-s * f_unlabeled**2)
        if unlabeled_weights is not None:
            loss *= unlabeled_weights
        value += C_unlabeled * float(loss.sum())
        gradient -= 2.0 * s * C_unlabeled * (Z_unlabeled.T @ (loss * f_unlabeled))
    return value, gradient


def _fit_supervised(Z_labeled, y, *, C, max_iter, tol, weights=None):
    """The L2-SVM alone, bias free (no unlabeled sample, no constraint)."""
    Z1 = np.hstack([Z_labeled, np.ones((Z_labeled.shape[0], 1))])

    def objective(wb):
        violation = np.maximum(0.0, 1.0 - y * (Z1 @ wb))
        weighted_violation = violation if weights is None else weights * violation
        penalised = np.append(wb[:-1], 0.0)
        value = 0.5 * float(penalised @ penalised) + C * float(weighted_violation @ violation)
        return value, penalised - 2.0 * C * (Z1.T @ (y * weighted_violation))

    result = minimize(
        objective,
        np.zeros(Z1.shape[1]),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "gtol": tol},
    )
    return result.x[:-1], float(result.x[-1]), int(result.nit), result.status != 1


def fit_gradient_tsvm(
    Z,
    y,
    labeled,
    *,
    C,
    C_unlabeled_start=0.01,
    n_anneal=10,
    max_iter=500,
    tol=1e-5,
    s=UNLABELED_LOSS_WIDTH,
    sample_weight=None,
):
    """Train a binary ∇TSVM with ``C*`` annealed and the balancing constraint.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_features)
        Features of every sample, labeled and unlabeled.
    y : ndarray of shape (n_samples,)
        -1 or +1 on labeled samples; ignored elsewhere.
    labeled : ndarray of bool, shape (n_samples,)
        Which samples are labeled.
    C : float
        Weight of the labeled loss.
    C_unlabeled_start : float, default=0.01
        First value of ``C*`` as a fraction of ``C``; ``C*`` then grows by a
        constant factor over ``n_anneal`` more stages up to ``C``.
    n_anneal : int, default=10
        Number of growth stages of ``C*`` (``n_anneal + 1`` solves in all).
    max_iter : int, default=500
        Most L-BFGS iterations per stage.
    tol : float, default=1e-5
        L-BFGS tolerance on the projected gradient.
    s : float, default=3.0
        Width of the unlabeled loss ``exp(-s * f ** 2)``.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Repetition counts: they weigh each sample's loss term and the means
        of the balancing constraint. None: every sample counts once.

    Returns
    -------
    w : ndarray of shape (n_features,)
        Weights.
    b : float
        Bias.
    n_iter : int
        L-BFGS iterations over all stages.
    converged : bool
        False if some stage stopped at ``max_iter``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.lowdensity._gradient_tsvm import fit_gradient_tsvm
    >>> Z = np.array([[-2.0], [-1.5], [-1.0], [1.0], [1.5], [2.0]])
    >>> y = np.array([-1, 0, 0, 0, 0, 1])
    >>> labeled = np.array([True, False, False, False, False, True])
    >>> w, b, n_iter, converged = fit_gradient_tsvm(Z, y, labeled, C=1.0)
    >>> np.sign(Z @ w + b).astype(int).tolist()
    [-1, -1, -1, 1, 1, 1]
    """
    y_labeled = np.asarray(y, dtype=np.float64)[labeled]
    Z_labeled = Z[labeled]
    labeled_weights, unlabeled_weights = (
        (None, None) if sample_weight is None else (sample_weight[labeled], sample_weight[~labeled])
    )
    if labeled.all():
        return _fit_supervised(
            Z_labeled, y_labeled, C=C, max_iter=max_iter, tol=tol, weights=labeled_weights
        )
    center = np.average(Z[~labeled], axis=0, weights=unlabeled_weights)
    bias = float(np.average(y_labeled, weights=labeled_weights))
    Z_labeled = Z_labeled - center
    Z_unlabeled = Z[~labeled] - center
    factor = (1.0 / C_unlabeled_start) ** (1.0 / (n_anneal + 1))
    C_unlabeled = C * C_unlabeled_start
    w = np.zeros(Z.shape[1])
    n_iter = 0
    converged = True
    for _ in range(n_anneal + 1):
        C_unlabeled = min(C_unlabeled * factor, C)
        objective = partial(
            tsvm_objective,
            C=C,
            C_unlabeled=C_unlabeled,
            bias=bias,
            s=s,
            labeled_weights=labeled_weights,
            unlabeled_weights=unlabeled_weights,
        )
        result = minimize(
            objective,
            w,
            args=(Z_labeled, y_labeled, Z_unlabeled),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": max_iter, "gtol": tol},
        )
        w = result.x
        n_iter += int(result.nit)
        converged &= result.status != 1
    return w, bias - float(center @ w), n_iter, bool(converged)
