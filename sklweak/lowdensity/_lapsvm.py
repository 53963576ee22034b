"""Laplacian SVM: a kernel machine smoothed along the data's neighbour graph."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import linalg, sparse
from scipy.sparse import csgraph
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, ScorePredictionMixin, SemiSupervisedMixin
from ..utils._graph import build_knn_graph
from ..utils._sklearn_compat import Interval, StrOptions

__all__ = ["LapSVMClassifier"]


def graph_laplacian(X, n_neighbors, weights=None):
    """``D - W`` of the symmetrized ``n_neighbors``-nearest-neighbour graph.

    Edges weigh 1, or ``weights[i] * weights[j]`` with ``weights``: a row of
    weight ``w`` stands for ``w`` copies, each joined to every copy of the
    row's neighbours.
    """
    n_neighbors = min(n_neighbors, X.shape[0] - 1)
    if n_neighbors < 1:
        return sparse.csr_matrix((X.shape[0], X.shape[0]))
    graph = build_knn_graph(X, n_neighbors, include_self=False, neighbors="exact")
    graph = graph.maximum(graph.T).tocsr()
    if weights is not None:
        scaling = sparse.diags(weights)
        graph = (scaling @ graph @ scaling).tocsr()
    return csgraph.laplacian(graph)


def solve_lapsvm_primal(
    kernel, laplacian, signs, labeled, ambient, manifold, max_iter, weights=None
):
    """Newton's method on the primal Laplacian SVM with the squared hinge loss.

    Minimizes over ``f = K a + b``::

        1 / (2 l) * sum_{i labeled} w_i max(0, 1 - y_i f_i) ** 2
        + ambient / 2 * a' K a + manifold / (2 n ** 2) * f' L f

    (Melacci and Belkin, 2011), with ``w`` the ``weights`` (ones when None),
    ``l`` their sum over the labeled rows and ``n`` over all rows, so a row of
    weight 2 counts as two (``L`` is then built with weighted edges, see
    :func:`graph_laplacian`). With the set ``E`` of labeled rows inside the
    margin fixed and ``W_E`` the diagonal of their weights (0 elsewhere), the
    gradient is zero where::

        (W_E K + l * ambient * I + l * manifold / n ** 2 * L K) a + W_E 1 b = W_E y
        1' W_E K a + 1' W_E 1 b = 1' W_E y

    and each Newton step solves this system; steps stop when ``E`` no longer
    changes (finite convergence of the squared hinge, Chapelle 2007).

    Returns
    -------
    coef : ndarray of shape (n_samples,)
    intercept : float
    n_iter : int
    converged : bool
    """
    n = kernel.shape[0]
    if weights is None:
        weights = np.ones(n)
    n_labeled = float(weights[labeled].sum())
    n_total = float(weights.sum())
    LK = np.asarray(laplacian @ kernel)
    regularized = n_labeled * ambient * np.eye(n) + n_labeled * manifold / n_total**2 * LK
    active = labeled.copy()
    coef, intercept = np.zeros(n), 0.0
    for n_iter in range(1, max_iter + 1):
        in_margin = active * weights
        system = np.empty((n + 1, n + 1))
        system[0, 0] = in_margin.sum()
        system[0, 1:] = in_margin @ kernel
        system[1:, 0] = in_margin
        system[1:, 1:] = in_margin[:, None] * kernel + regularized
        rhs = np.concatenate([[in_margin @ signs], in_margin * signs])
        solution = linalg.solve(system, rhs, check_finite=False)
        intercept, coef = float(solution[0]), solution[1:]
        decision = kernel @ coef + intercept
        new_active = labeled & (signs * decision < 1)
        if np.array_equal(new_active, active):
            return coef, intercept, n_iter, True
        active = new_active
    return coef, intercept, max_iter, False


def _entry_variance(X, weights):
    """Variance of all entries of ``X``, its rows weighted by ``weights`` (None: equal)."""
    if weights is None:
        return X.var()
    mean = np.average(X.mean(axis=1), weights=weights)
    return np.average(((X - mean) ** 2).mean(axis=1), weights=weights)


class LapSVMClassifier(ScorePredictionMixin, SemiSupervisedMixin, BaseWeakClassifier):
    """Laplacian SVM: manifold regularization (Belkin, Niyogi and Sindhwani, 2006).

    A kernel expansion ``f(x) = sum_j a_j k(x_j, x) + b`` over every training
    row, labeled or not, minimizing the squared hinge loss on the labeled rows,
    an RKHS norm (``ambient_regularization``) and the smoothness of ``f`` along
    the symmetrized ``n_neighbors``-nearest-neighbour graph of all rows
    (``f' L f``, ``manifold_regularization``), solved in the primal by
    Newton's method (Melacci and Belkin, 2011). Several classes are learned
    one against the rest. ``predict_proba`` is the logistic (two classes) or
    softmax (several) function of the decision values, which are margins, not
    calibrated probabilities.

    The kernel matrix is dense: fit needs ``n_samples ** 2`` floats and
    solves ``n_samples``-sized linear systems.

    ``fit(X, y, sample_weight)`` reads the weights as repetition counts: a
    labeled row's squared hinge loss is multiplied by its weight, the means
    are over the total weight, and in the smoothness term a row of weight
    ``w`` stands for ``w`` copies joined to the copies of its neighbours (edge
    ``(i, j)`` weighs ``w_i w_j``); a row of weight zero is left out of the
    fit. The graph itself is built over the rows: a repeated row's copies
    are each other's nearest neighbours and take the places of other rows,
    so a weighted fit equals the fit on repeated rows exactly when every
    row's neighbours are the same both ways (for instance ``n_neighbors`` at
    least the number of repeated rows: the complete graph).

    Parameters
    ----------
    ambient_regularization : float, default=1e-2
        Weight of the RKHS norm ``a' K a`` (the paper's ``gamma_A``).
    manifold_regularization : float, default=100.0
        Weight of the graph smoothness ``f' L f / n_samples ** 2`` (the
        paper's ``gamma_I``); 0 gives a (squared-hinge) SVM on the labeled
        rows.
    n_neighbors : int, default=10
        Neighbours per row in the graph.
    gamma : "scale" or float, default="scale"
        RBF kernel width; "scale" is ``1 / (n_features * X.var())``, as in
        :class:`~sklearn.svm.SVC`.
    max_iter : int, default=50
        Most Newton steps per binary problem; a ``ConvergenceWarning`` is
        raised when the margin set still changed at the last one.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    X_fit_ : ndarray of shape (n_samples_fit, n_features)
        The training rows of positive weight (all of them without
        ``sample_weight``), centres of the kernel expansion.
    dual_coef_ : ndarray of shape (n_problems, n_samples_fit)
        Expansion coefficients ``a`` of each binary problem (one for two
        classes, else one per class).
    intercept_ : ndarray of shape (n_problems,)
        Intercepts ``b``.
    gamma_ : float
        The RBF width used.
    n_iter_ : int
        Most Newton steps taken by a binary problem.
    transduction_ : ndarray of shape (n_samples,)
        Given labels, and the predicted class of the unlabeled rows.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    TSVMClassifier : Transductive SVM (the cluster assumption).
    sklweak.graph.LabelSpreading : Graph propagation without a kernel machine.

    References
    ----------
    .. [1] M. Belkin, P. Niyogi and V. Sindhwani, "Manifold regularization: a
       geometric framework for learning from labeled and unlabeled examples",
       JMLR 7, 2006.
    .. [2] S. Melacci and M. Belkin, "Laplacian support vector machines
       trained in the primal", JMLR 12, 2011.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_moons
    >>> from sklweak.lowdensity import LapSVMClassifier
    >>> X, y = make_moons(200, noise=0.05, random_state=0)
    >>> y_weak = np.full_like(y, -1)
    >>> y_weak[[np.flatnonzero(y == 0)[0], np.flatnonzero(y == 1)[0]]] = [0, 1]
    >>> clf = LapSVMClassifier(gamma=10.0, manifold_regularization=1000.0).fit(X, y_weak)
    >>> clf.score(X, y) > 0.9
    True
    """

    _parameter_constraints: dict = {
        "ambient_regularization": [Interval(Real, 0, None, closed="neither")],
        "manifold_regularization": [Interval(Real, 0, None, closed="left")],
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "gamma": [StrOptions({"scale"}), Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "unlabeled_label": [Integral, str],
    }

    def __init__(
        self,
        *,
        ambient_regularization=1e-2,
        manifold_regularization=100.0,
        n_neighbors=10,
        gamma="scale",
        max_iter=50,
        unlabeled_label=-1,
    ):
        self.ambient_regularization = ambient_regularization
        self.manifold_regularization = manifold_regularization
        self.n_neighbors = n_neighbors
        self.gamma = gamma
        self.max_iter = max_iter
        self.unlabeled_label = unlabeled_label

    def _validate_data_options(self):
        return {"accept_sparse": False, "dtype": np.float64}

    def _fit(self, X, target, sample_weight):
        self.classes_ = target.classes
        labeled = target.labeled
        if sample_weight is not None and np.all(sample_weight == sample_weight[0]):
            # The objective is a weighted mean: equal weights are no weights.
            sample_weight = None
        present = slice(None) if sample_weight is None else sample_weight > 0
        if sample_weight is not None:
            if not np.any(labeled[present]):
                raise ValueError(
                    "sample_weight is zero on every labeled row: give at least one "
                    "labeled row a positive weight."
                )
            weighted_classes = np.unique(target.y_encoded[present & labeled])
            if weighted_classes.shape[0] < 2:
                raise ValueError(
                    "sample_weight leaves labeled rows of one class only: LapSVMClassifier "
                    "needs labeled rows of at least two classes with a positive weight."
                )
            # A row of weight zero is a row left out.
            sample_weight = sample_weight[present]
        X_fit, labeled_fit = X[present], labeled[present]
        if self.gamma == "scale":
            variance = _entry_variance(X_fit, sample_weight)
            self.gamma_ = 1.0 / (X.shape[1] * variance) if variance > 0 else 1.0
        else:
            self.gamma_ = float(self.gamma)
        self.X_fit_ = X_fit.copy()
        kernel = rbf_kernel(X_fit, gamma=self.gamma_)
        laplacian = graph_laplacian(X_fit, self.n_neighbors, sample_weight)
        problems = [1] if self.classes_.shape[0] == 2 else range(self.classes_.shape[0])
        coefs, intercepts, self.n_iter_, converged = [], [], 0, True
        for c in problems:
            signs = np.where(target.y_encoded[present] == c, 1.0, -1.0) * labeled_fit
            coef, intercept, n_iter, done = solve_lapsvm_primal(
                kernel,
                laplacian,
                signs,
                labeled_fit,
                self.ambient_regularization,
                self.manifold_regularization,
                self.max_iter,
                sample_weight,
            )
            coefs.append(coef)
            intercepts.append(intercept)
            self.n_iter_ = max(self.n_iter_, n_iter)
            converged &= done
        if not converged:
            warnings.warn(
                f"LapSVMClassifier stopped at max_iter={self.max_iter} while the set of "
                "labeled rows inside the margin was still changing.",
                ConvergenceWarning,
            )
        self.dual_coef_ = np.array(coefs)
        self.intercept_ = np.array(intercepts)
        self.transduction_ = target.y.copy()
        if (~labeled).any():
            self.transduction_[~labeled] = self.predict(X[~labeled])
        return self

    def decision_function(self, X):
        """Decision values ``f(x)`` of the binary problems.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        decision : ndarray of shape (n_samples,) or (n_samples, n_classes)
            With two classes, positive values favour ``classes_[1]``; with
            more, one column per class (one against the rest).
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._validate_data_options())
        decision = rbf_kernel(X, self.X_fit_, gamma=self.gamma_) @ self.dual_coef_.T
        decision += self.intercept_
        return decision[:, 0] if decision.shape[1] == 1 else decision
