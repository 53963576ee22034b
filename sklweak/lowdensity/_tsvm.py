"""Transductive support vector machine (Joachims, 1999) with a balance constraint."""

import importlib
import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from scipy.linalg import LinAlgError, cholesky, solve_triangular
from scipy.special import expit, log_expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import pairwise_kernels
from sklearn.utils import check_random_state
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, SemiSupervisedMixin
from ..utils._kernels import load_kernel
from ..utils._sklearn_compat import Interval, StrOptions

__all__ = ["TSVMClassifier"]

# Most coordinate-descent epochs of one SVM fit inside the switching loop.
_MAX_EPOCHS = 1000
# A kernel TSVM keeps an n x n kernel matrix and its eigendecomposition.
MAX_KERNEL_SAMPLES = 10_000
# Ridges tried, relative to the mean kernel diagonal, for the Cholesky factor.
_CHOLESKY_RIDGES = (1e-10, 1e-8, 1e-6)
# Eigenvalues below this fraction of the largest are dropped from the kernel map
# of a kernel that is not positive semi-definite.
_EIGENVALUE_CUTOFF = 1e-10


def _platt_slope(decision, positive, sample_weight=None):
    """Slope ``a >= 0`` of ``P(positive) = expit(a * f)`` by Newton on the log-loss.

    ``positive`` holds, for every column of ``decision``, which rows count as
    positive; targets are Platt's smoothed labels ``(N+ + 1) / (N+ + 2)`` and
    ``1 / (N- + 2)``, so a perfectly separated set still gives a finite slope.
    ``sample_weight`` weighs the rows (and the counts ``N+``, ``N-``).
    """
    weights = np.ones(positive.shape[0]) if sample_weight is None else np.asarray(sample_weight)
    n_pos = weights @ positive
    n_neg = weights.sum() - n_pos
    target = np.where(positive, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    nonzero = np.repeat(weights, positive.shape[1]) > 0
    f = decision.ravel()[nonzero]
    target = target.ravel()[nonzero]
    row_weights = np.repeat(weights, positive.shape[1])[nonzero]

    def derivative(a):
        return float(np.sum(row_weights * (expit(a * f) - target) * f))

    if not np.any(f != 0) or derivative(0.0) >= 0.0:
        return 0.0
    low, high = 0.0, 1.0
    while derivative(high) < 0.0 and high < 1e8:
        low, high = high, 2.0 * high
    a = 0.5 * (low + high)
    for _ in range(100):
        slope = derivative(a)
        if slope < 0.0:
            low = a
        else:
            high = a
        p = expit(a * f)
        curvature = float(np.sum(row_weights * p * (1.0 - p) * f * f))
        step = a - slope / curvature if curvature > 0 else 0.5 * (low + high)
        a = step if low < step < high else 0.5 * (low + high)
        if high - low <= 1e-10 * max(1.0, high):
            break
    return a


def _train_problem(kernel_module, *arguments):
    """Run ``train_tsvm`` of the named kernel module (picklable for joblib)."""
    return importlib.import_module(kernel_module).train_tsvm(*arguments)


class TSVMClassifier(SemiSupervisedMixin, BaseWeakClassifier):
    """Transductive SVM: the margin is pushed away from the unlabeled samples.

    The transductive SVM labels the unlabeled samples so that a soft-margin
    SVM fitted on all samples has the largest margin, which puts the
    boundary where few samples lie (the cluster assumption). This is
    Joachims' (1999) label-switching algorithm:

    1. an SVM fitted on the labeled samples scores the unlabeled ones; the
       highest scores get the positive label, as many as the balance
       constraint allows (see ``class_ratio``), the others the negative one;
    2. the unlabeled samples enter the SVM with a small cost, ``1e-5 * Cu``
       (times ``n_positive / n_negative`` for those labeled positive,
       Joachims' starting ratio); the
       SVM is refitted, and every pair of unlabeled samples with opposite
       labels whose slacks sum to more than two swap labels (each swap lowers
       the objective and keeps the class counts), until no such pair is
       left; then both costs double, up to ``Cu``, and the round repeats.

    The SVM fits are dual coordinate descent on a linear SVM with per-sample
    costs and warm starts, compiled (``sklweak.lowdensity._tsvm_fast``), on
    dense or sparse CSR features: the primal linear TSVM works on text.
    The bias is the weight of a constant feature one, penalised like the
    other weights (as in liblinear).

    A kernel TSVM (``kernel`` other than ``"linear"``) runs the same linear
    solver on an exact kernel map of the training samples: with ``L`` the
    Cholesky factor of the training kernel ``K`` (plus a ridge of ``1e-10``
    times its mean diagonal, more if needed), the training samples get the
    coordinates ``L`` (so that ``L L^T = K``) and a new sample ``x`` the
    coordinates ``L^-1 k(X, x)``. A linear SVM on these coordinates is the
    kernel SVM: its decision function is ``sum_i alpha_i y_i k(x_i, x) + b``.
    A kernel that is not positive semi-definite (``"sigmoid"``, for
    instance) is mapped through its eigendecomposition instead, without the
    negative and near-zero eigenvalues. The map takes ``n_samples x
    n_samples`` matrices (about ``4 * 8 * n_samples ** 2`` bytes at the peak,
    3.2 GB for 10,000 samples) and cubic time, so it is refused above
    ``sklweak.lowdensity._tsvm.MAX_KERNEL_SAMPLES`` (10,000) training
    samples.

    More than two classes are handled one-vs-rest: one transductive SVM per
    class, each with its own balance constraint; a sample goes to the class
    of highest decision value.

    Parameters
    ----------
    C : float, default=3.0
        Cost of the hinge loss of each labeled sample (larger: less
        regularisation). No value suits every data set
        (:func:`~sklweak.lowdensity.transductive_grid_search` chooses it
        from the labels); 3 was the best measured on the whole benchmark:
        with the RBF kernel, 3.05 points of accuracy over logistic
        regression on the labeled rows on the 56 small tabular cells of
        ``benchmarks/bench_small_defaults.py`` (``C=1``: 2.17, ``C=10``:
        2.93, ``C=100``: 2.29; ``C=3`` better than ``C=1`` in 37 cells, worse
        in 19), and a mean transductive error of 20.67% over the 12 cells
        of ``benchmarks/bench_lowdensity.py`` (``C=1``: 21.87, ``C=10``:
        20.25, ``C=0.1``: 27.06). The linear kernel does a little better
        at ``C=1`` (0.33 points on the small cells, a tie on the 12 cells).
    Cu : float or None, default=None
        Final cost of the hinge loss of each unlabeled sample, reached by
        annealing. ``None`` means ``C``. ``0`` gives the supervised SVM.
    kernel : {"auto", "linear", "rbf", "poly", "sigmoid"} or callable, \
            default="auto"
        Kernel. ``"linear"`` works in the input space (dense or sparse); any
        other one uses the kernel map above. A callable ``kernel(A, B)``
        returns the ``(len(A), len(B))`` kernel matrix. ``"auto"``:
        ``"rbf"`` for dense ``X`` of at most ``MAX_KERNEL_SAMPLES`` training
        samples, ``"linear"`` otherwise (``kernel_`` says which). On the 56
        small tabular cells of ``benchmarks/bench_small_defaults.py`` the RBF
        TSVM was 2.56 points of accuracy above the linear one (``C=1``), and
        better in 10 of the 12 cells of ``benchmarks/bench_lowdensity.py``.
    gamma : {"scale", "auto"} or float, default="scale"
        Coefficient of the ``"rbf"``, ``"poly"`` and ``"sigmoid"`` kernels:
        ``"scale"`` is ``1 / (n_features * X.var())``, ``"auto"`` is
        ``1 / n_features``.
    degree : int, default=3
        Degree of the ``"poly"`` kernel.
    coef0 : float, default=0.0
        Constant term of the ``"poly"`` and ``"sigmoid"`` kernels.
    class_ratio : float, array-like of shape (n_classes,) or None, default=None
        Balance constraint: the fraction of the unlabeled samples given to
        each class (times the number of unlabeled samples, rounded). ``None``
        takes the class fractions of the labeled samples. A float (two classes only) is the fraction given to
        ``classes_[1]``. Every fraction must lie strictly between 0 and 1 and
        an array must sum to one.
    max_iter : int, default=1000
        Most SVM fits of each transductive SVM, the first (labeled samples
        only) included; a :class:`~sklearn.exceptions.ConvergenceWarning` is
        raised when the annealing has not reached ``Cu`` by then.
    tol : float, default=1e-2
        Tolerance of each SVM fit: coordinate descent stops when the
        projected gradients of one pass differ by at most ``tol`` (liblinear's
        criterion; its own default is 0.1). Each fit runs at most 1000 passes.
    random_state : int, RandomState instance or None, default=None
        Seeds the order in which coordinate descent visits the samples.
    n_jobs : int, default=None
        Parallel jobs over the one-vs-rest problems (more than two classes);
        ``None`` means one, ``-1`` all processors. Each problem gets its own
        integer seed, so the result does not depend on ``n_jobs``.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels seen among the labeled samples.
    coef_ : ndarray of shape (n_problems, n_coordinates)
        Weights of the linear function of each one-vs-rest problem (one
        problem, for ``classes_[1]``, with two classes): in the input space
        for ``kernel="linear"``, in the kernel map's coordinates otherwise.
    intercept_ : ndarray of shape (n_problems,)
        Biases.
    transduction_ : ndarray of shape (n_samples,)
        Label of every training sample: the given label where there is one;
        for unlabeled samples the transductive SVM's final assignment (two
        classes, which honours the balance constraint exactly) or the class of
        highest decision value (one-vs-rest).
    class_ratio_ : ndarray of shape (n_classes,)
        Fractions of the unlabeled samples the balance constraint gives to
        each class.
    platt_slope_ : float
        Slope ``a`` of the calibration ``expit(a * f)`` behind
        :meth:`predict_proba`.
    n_iter_ : int
        SVM fits run, the most over the one-vs-rest problems.
    kernel_ : str or callable
        The kernel used: ``kernel``, or what ``kernel="auto"`` chose.
    gamma_ : float or None
        The kernel coefficient used; ``None`` for the linear kernel or a
        callable kernel.
    X_fit_ : {ndarray, sparse matrix} or None
        Training samples, kept to map new samples (``None`` for
        ``kernel="linear"``).
    kernel_map_ : ndarray of shape (n_samples, n_coordinates) or None
        New samples' coordinates are ``k(x, X_fit_) @ kernel_map_``:
        ``kernel_map_`` is ``L^-T`` (see above), or ``V diag(1 / sqrt(s))``
        from the eigendecomposition ``K = V diag(s) V^T`` of a kernel that is
        not positive semi-definite (``None`` for ``kernel="linear"``).
    n_features_in_ : int
        Number of features of the ``X`` given to ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Column names of the ``X`` given to ``fit``, when it has string
        feature names.

    Notes
    -----
    :meth:`predict_proba` is Platt scaling with one slope and no offset:
    ``P(k) ~ expit(a * f_k(x))``, normalised over the classes, where ``a``
    minimises the log-loss on every training sample, labeled ones with
    their labels and unlabeled ones with their transductive labels (Platt's
    smoothed targets). With no offset and one slope the most probable class
    is always the predicted one, and the probabilities are never NaN.
    ``sample_weight`` multiplies the cost ``C`` of each labeled sample (a
    weight of 2 counts as the sample given twice); unlabeled samples must
    keep the weight 1, since the balance constraint counts them.

    The balance constraint matters: the transductive SVM gives exactly the
    prescribed share of unlabeled samples to each class. With few labels the
    labeled class fractions (the default) are a noisy estimate, and the
    error they introduce can exceed what the unlabeled samples gain; pass
    ``class_ratio`` when the class proportions are known.

    References
    ----------
    T. Joachims, "Transductive inference for text classification using
    support vector machines", ICML 1999.

    C.-J. Hsieh, K.-W. Chang, C.-J. Lin, S. S. Keerthi and S. Sundararajan,
    "A dual coordinate descent method for large-scale linear SVM", ICML 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.lowdensity import TSVMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.randn(50, 2) + [-2, 0], rng.randn(50, 2) + [2, 0]])
    >>> y = np.repeat([0, 1], 50)
    >>> y_weak = np.full(100, -1)
    >>> y_weak[[0, 50]] = [0, 1]
    >>> model = TSVMClassifier(random_state=0).fit(X, y_weak)
    >>> float(np.mean(model.transduction_ == y))
    1.0
    >>> model.predict([[-3.0, 0.0], [3.0, 0.0]])
    array([0, 1])
    """

    _parameter_constraints: dict = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "Cu": [None, Interval(Real, 0, None, closed="left")],
        "kernel": [StrOptions({"auto", "linear", "rbf", "poly", "sigmoid"}), callable],
        "gamma": [
            StrOptions({"scale", "auto"}),
            Interval(Real, 0, None, closed="neither"),
        ],
        "degree": [Interval(Integral, 0, None, closed="left")],
        "coef0": [Real],
        "class_ratio": [None, Real, "array-like"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "n_jobs": [None, Integral],
        "unlabeled_label": SemiSupervisedMixin._unlabeled_label_constraint,
    }

    def __init__(
        self,
        C=3.0,
        *,
        Cu=None,
        kernel="auto",
        gamma="scale",
        degree=3,
        coef0=0.0,
        class_ratio=None,
        max_iter=1000,
        tol=1e-2,
        random_state=None,
        n_jobs=None,
        unlabeled_label=-1,
    ):
        self.C = C
        self.Cu = Cu
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.class_ratio = class_ratio
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.unlabeled_label = unlabeled_label

    def _validate_data_options(self):
        return {"accept_sparse": "csr", "dtype": np.float64}

    def fit(self, X, y, sample_weight=None):
        """Fit the transductive SVM on labeled and unlabeled samples together.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, labeled and unlabeled.
        y : array-like of shape (n_samples,)
            Class labels, ``unlabeled_label`` for unlabeled samples. Every
            sample gets a label in ``transduction_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the labeled samples, multiplying ``C``
            (per-sample costs); an unlabeled sample's weight must be 1.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _labeled_costs(self, sample_weight, unlabeled):
        """Per-sample costs ``C * sample_weight`` (the unlabeled ones are set by the solver)."""
        costs = np.full(unlabeled.shape[0], float(self.C))
        if sample_weight is None:
            return costs
        if np.any(sample_weight[unlabeled] != 1.0):
            raise ValueError(
                "TSVMClassifier: sample_weight weighs the labeled samples (their cost "
                "C); the unlabeled samples must keep the weight 1, since the balance "
                "constraint counts them."
            )
        return costs * sample_weight

    def _resolve_class_ratio(self, labeled_counts):
        n_classes = labeled_counts.shape[0]
        if self.class_ratio is None:
            return labeled_counts / labeled_counts.sum()
        if isinstance(self.class_ratio, Real):
            if n_classes != 2:
                raise ValueError(
                    f"class_ratio={self.class_ratio!r} is a single fraction, which "
                    f"only makes sense with two classes; y has {n_classes}. Give "
                    "one fraction per class."
                )
            ratio = np.array([1.0 - self.class_ratio, self.class_ratio], dtype=float)
        else:
            ratio = np.asarray(self.class_ratio, dtype=float)
            if ratio.shape != (n_classes,):
                raise ValueError(
                    f"class_ratio has shape {ratio.shape}; expected one fraction per "
                    f"class, shape ({n_classes},)."
                )
        if not np.all(np.isfinite(ratio)) or np.any(ratio <= 0) or np.any(ratio >= 1):
            raise ValueError(
                "class_ratio must give every class a fraction strictly between 0 "
                f"and 1; got {ratio.tolist()!r}."
            )
        if not np.isclose(ratio.sum(), 1.0, rtol=0, atol=1e-6):
            raise ValueError(
                f"class_ratio must sum to 1 over the classes; got {ratio.tolist()!r} "
                f"(sum {ratio.sum():.6g})."
            )
        return ratio

    def _kernel_matrix(self, A, B):
        if callable(self.kernel_):
            return np.asarray(self.kernel_(A, B), dtype=np.float64)
        params = {"gamma": self.gamma_, "degree": self.degree, "coef0": self.coef0}
        return pairwise_kernels(A, B, metric=self.kernel_, filter_params=True, **params)

    def _resolve_kernel(self, X):
        if self.kernel != "auto":
            return self.kernel
        small = X.shape[0] <= MAX_KERNEL_SAMPLES
        return "rbf" if small and not sparse.issparse(X) else "linear"

    def _resolve_gamma(self, X):
        if callable(self.kernel_) or self.kernel_ == "linear":
            return None
        if self.gamma == "auto":
            return 1.0 / X.shape[1]
        if self.gamma == "scale":
            if sparse.issparse(X):
                variance = X.multiply(X).mean() - X.mean() ** 2
            else:
                variance = X.var()
            return 1.0 / (X.shape[1] * variance) if variance > 0 else 1.0
        return float(self.gamma)

    def _fit_kernel_map(self, X):
        """Training coordinates ``Z`` with ``Z Z^T = K``; keep the map for new samples.

        ``Z`` is the Cholesky factor ``L`` of ``K`` plus a tiny ridge, and a new
        sample maps through ``L^-T``. A kernel that is not positive
        semi-definite has no such factor: its eigendecomposition is used
        instead, without the negative and near-zero eigenvalues.
        """
        gram = self._kernel_matrix(X, X)
        diagonal = np.diag(gram).copy()
        scale = max(float(np.mean(np.abs(diagonal))), np.finfo(float).tiny)
        on_diagonal = np.diag_indices_from(gram)
        factor = None
        for ridge in _CHOLESKY_RIDGES:
            gram[on_diagonal] = diagonal + ridge * scale
            try:
                factor = cholesky(gram, lower=True, check_finite=False)
                break
            except LinAlgError:
                continue
        if factor is not None:
            del gram
            identity = np.eye(X.shape[0])
            self.kernel_map_ = solve_triangular(factor, identity, lower=True).T
            return factor
        gram[on_diagonal] = diagonal
        eigenvalues, eigenvectors = np.linalg.eigh(gram)
        largest = eigenvalues.max()
        keep = eigenvalues > _EIGENVALUE_CUTOFF * largest if largest > 0 else []
        eigenvalues, eigenvectors = eigenvalues[keep], eigenvectors[:, keep]
        if eigenvalues.shape[0] == 0:
            self.kernel_map_ = np.zeros((X.shape[0], 1))
            return np.zeros((X.shape[0], 1))
        root = np.sqrt(eigenvalues)
        self.kernel_map_ = eigenvectors / root
        return eigenvectors * root

    def _coordinates(self, X):
        if self.X_fit_ is None:
            return X
        return self._kernel_matrix(X, self.X_fit_) @ self.kernel_map_

    def _fit(self, X, target, sample_weight):
        labeled = target.labeled
        unlabeled = ~labeled
        self.classes_ = target.classes
        n_classes = len(self.classes_)
        y_encoded = target.y_encoded
        labeled_counts = np.bincount(y_encoded[labeled], minlength=n_classes)
        self.class_ratio_ = self._resolve_class_ratio(labeled_counts)
        self.kernel_ = self._resolve_kernel(X)
        uses_kernel_map = callable(self.kernel_) or self.kernel_ != "linear"
        if uses_kernel_map and X.shape[0] > MAX_KERNEL_SAMPLES:
            raise ValueError(
                f"kernel={self.kernel!r} needs an n_samples x n_samples kernel "
                f"matrix and its eigendecomposition; X has {X.shape[0]} samples, "
                f"more than MAX_KERNEL_SAMPLES={MAX_KERNEL_SAMPLES}. Use "
                "kernel='linear' (sparse input works) or fewer samples."
            )
        n_unlabeled = int(unlabeled.sum())
        if n_unlabeled == 0:
            warnings.warn(
                "y has no unlabeled sample (no entry equals unlabeled_label="
                f"{self.unlabeled_label!r}); fitting the supervised SVM.",
                UserWarning,
            )
        self.gamma_ = self._resolve_gamma(X)
        if uses_kernel_map:
            self.X_fit_ = X
            features = self._fit_kernel_map(X)
        else:
            self.X_fit_ = None
            self.kernel_map_ = None
            features = X
        unlabeled_cost = self.C if self.Cu is None else self.Cu
        costs = self._labeled_costs(sample_weight, unlabeled)
        kernel = load_kernel("sklweak.lowdensity._tsvm")
        rng = check_random_state(self.random_state)
        problems = [1] if n_classes == 2 else list(range(n_classes))
        seeds = rng.randint(np.iinfo(np.int32).max, size=len(problems))
        results = Parallel(n_jobs=self.n_jobs if len(problems) > 1 else None)(
            delayed(_train_problem)(
                kernel.__name__,
                features,
                np.where(y_encoded == problem, 1.0, -1.0),
                costs,
                unlabeled,
                int(np.rint(self.class_ratio_[problem] * n_unlabeled)),
                float(unlabeled_cost),
                self.max_iter,
                _MAX_EPOCHS,
                float(self.tol),
                int(seed),
            )
            for problem, seed in zip(problems, seeds)
        )
        weights = np.asarray([result[0] for result in results])
        positive = np.column_stack([result[1] > 0 for result in results])
        converged = all(result[3] for result in results)
        solver_converged = all(result[4] for result in results)
        if not converged:
            warnings.warn(
                f"max_iter={self.max_iter} SVM fits were reached before the unlabeled "
                "cost was annealed up to Cu; the labels of the unlabeled samples may "
                "not be final.",
                ConvergenceWarning,
            )
        if not solver_converged:
            warnings.warn(
                f"An SVM fit did not reach tol={self.tol} within {_MAX_EPOCHS} "
                "coordinate-descent epochs; scale the features or raise tol.",
                ConvergenceWarning,
            )
        self.coef_ = weights[:, :-1]
        self.intercept_ = weights[:, -1].copy()
        self.n_iter_ = int(max(result[2] for result in results))
        decision = self._raw_decision(features)
        if n_classes == 2:
            transduced = positive[:, 0].astype(np.intp)
        else:
            transduced = np.argmax(decision, axis=1)
        transduced[labeled] = y_encoded[labeled]
        self.transduction_ = self.classes_[transduced]
        self.platt_slope_ = _platt_slope(decision, positive, sample_weight)
        return self

    def _raw_decision(self, features):
        return safe_sparse_dot(features, self.coef_.T, dense_output=True) + self.intercept_

    def decision_function(self, X):
        """Signed distance-like score of each sample to each class's boundary.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            With two classes, positive scores mean ``classes_[1]``; with more,
            one column per class (one-vs-rest).
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        decision = self._raw_decision(self._coordinates(X))
        return decision[:, 0] if len(self.classes_) == 2 else decision

    def predict(self, X):
        """Predict the class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted classes.
        """
        decision = self.decision_function(X)
        if decision.ndim == 1:
            return self.classes_[(decision > 0).astype(np.intp)]
        return self.classes_[np.argmax(decision, axis=1)]

    def predict_proba(self, X):
        """Calibrated class probabilities (Platt scaling, see Notes).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        probabilities : ndarray of shape (n_samples, n_classes)
            Class probabilities, columns in the order of ``classes_``.
        """
        decision = self.decision_function(X)
        scaled = self.platt_slope_ * decision
        if decision.ndim == 1:
            return np.column_stack([expit(-scaled), expit(scaled)])
        log_scores = log_expit(scaled)
        log_scores -= log_scores.max(axis=1, keepdims=True)
        scores = np.exp(log_scores)
        return scores / scores.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_probabilities : ndarray of shape (n_samples, n_classes)
            Log class probabilities, columns in the order of ``classes_``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
