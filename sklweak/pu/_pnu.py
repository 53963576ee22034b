"""PNU risk minimisation: positives, negatives and unlabeled samples together."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import (
    BaseWeakClassifier,
    ScorePredictionMixin,
    _BinaryLabelsMixin,
    _LabeledAccuracyMixin,
)
from ..neural._base import feature_standardization
from ..utils._sklearn_compat import Interval, StrOptions
from ..utils._targets import decode_pnu_target
from ..utils._validation import mark_missing_as_unlabeled
from ._class_prior import DEFAULT_PRIOR_METHOD, estimate_class_prior
from ._common import linear_model_in_original_space

__all__ = ["PNUClassifier"]

ETA_SIZES = (0.0, 0.25, 0.5, 0.75, 1.0)
MAX_FOLDS = 3


def _logistic(z):
    """``log(1 + exp(-z))``."""
    return np.logaddexp(0.0, -z)


def _weighted_count(mask, weights):
    """Rows of ``mask``, each counted ``weights`` times (None: once)."""
    return float(mask.sum() if weights is None else weights[mask].sum())


def _adjusted_prior(Z, positive, negative, unlabeled, weights, max_iter=100, tol=1e-6):
    """Prior of the unlabeled rows by the EM of Saerens et al. (2002).

    A logistic regression fitted on the labeled rows gives posteriors under
    the labeled prior ``pi_0``; the prior ``pi`` of the unlabeled rows is the
    fixed point of ``pi = mean_U p_pi(x)``, where ``p_pi`` is the posterior
    reweighted by ``pi / pi_0`` and ``(1 - pi) / (1 - pi_0)``. ``weights``
    (None: equal) weigh the regression's fit and both means.
    """
    labeled = positive | negative
    fit_options = {} if weights is None else {"sample_weight": weights[labeled]}
    model = LogisticRegression(max_iter=1000).fit(Z[labeled], positive[labeled], **fit_options)
    p = model.predict_proba(Z[unlabeled])[:, list(model.classes_).index(True)]
    start = _weighted_count(positive, weights) / _weighted_count(labeled, weights)
    unlabeled_weights = None if weights is None else weights[unlabeled]
    prior = start
    for _ in range(max_iter):
        up = prior / start * p
        down = (1.0 - prior) / (1.0 - start) * (1.0 - p)
        updated = float(np.average(up / (up + down), weights=unlabeled_weights))
        if abs(updated - prior) < tol:
            return updated
        prior = updated
    return prior


class PNUClassifier(
    _LabeledAccuracyMixin, _BinaryLabelsMixin, ScorePredictionMixin, BaseWeakClassifier
):
    """Linear classifier trained on the PNU risk (Sakai et al., 2017).

    With labeled positives ``P``, labeled negatives ``N``, unlabeled samples
    ``U`` and the class prior ``pi`` of the unlabeled data (``1 - pi`` for the
    negatives), three risks of a scorer ``g`` under the logistic loss ``l``
    are unbiased:

    - ``R_PN = pi mean_P l(g) + (1 - pi) mean_N l(-g)`` (supervised);
    - ``R_PU = pi mean_P(-g) + mean_U l(-g)`` (positive-unlabeled: the
      ``pi mean_P [l(g) - l(-g)]`` of du Plessis et al. is ``-pi mean_P g``
      for the logistic loss, so the risk stays convex);
    - ``R_NU = (1 - pi) mean_N g + mean_U l(g)`` (negative-unlabeled).

    The PNU risk mixes them with ``eta`` in ``[-1, 1]``:
    ``(1 - eta) R_PN + eta R_PU`` for ``eta >= 0`` and
    ``(1 + eta) R_PN - eta R_NU`` for ``eta < 0``. ``eta = 0`` ignores the
    unlabeled samples. As Sakai et al. advise, ``eta="auto"`` picks the sign
    from the class sizes and the size by validation: the PU side (``eta >
    0``, which does without the negatives' term) when that term is the
    noisier one, ``(1 - pi) / sqrt(n_N) >= pi / sqrt(n_P)``, the NU side
    otherwise; then the size in {0, 0.25, 0.5, 0.75, 1} with the smallest
    cross-validated error on the labeled samples (stratified folds of the
    labeled rows, every unlabeled row kept in training; error ``pi`` times
    the held-out positives' error rate plus ``1 - pi`` times the negatives';
    ties go to the smaller size). With few labels the unlabeled risks are
    noisy and a fixed ``eta`` far from 0 can do much worse than the
    supervised risk alone. ``g(x) = w . z(x) +
    b`` is linear in the standardized features ``z(x)``; the risk plus
    ``alpha / 2 * ||w||^2`` is convex and minimised with L-BFGS. With no
    labeled negative the PU risk alone is used (``eta_ = 1``); with no
    unlabeled sample, the PN risk (``eta_ = 0``).

    ``fit(X, y, sample_weight)`` reads the weights as repetition counts: each
    empirical risk (positive, negative, unlabeled) is a weighted mean, the
    standardization and the ``"auto"`` prior are weighted (the EM's logistic
    regression is fitted with the weights; with no labeled negative, the
    rows enter the prior estimator's random draws with probability
    proportional to their weight), and a row of weight zero is left out.
    The validation folds of ``eta="auto"`` split rows, so there a weighted
    row and its repetitions can differ.

    Parameters
    ----------
    prior : float in (0, 1) or "auto", default="auto"
        Class prior ``P(y = 1)`` of the unlabeled data. ``"auto"``: the
        EM prior adjustment of Saerens et al. (2002) of a logistic regression
        trained on the labeled samples, applied to the unlabeled ones; with no
        labeled negative, the prior of the positive and unlabeled rows by
        :func:`estimate_class_prior`'s default method (``"km2_multiscale"``)
        converted to the unlabeled part; with no unlabeled sample, the positive fraction of the labeled
        samples.
    eta : float in [-1, 1] or "auto", default="auto"
        Mixing parameter of the PNU risk; ``"auto"`` chooses it by
        validation (see above). When the labeled rows hold fewer than two
        samples of a class, ``"auto"`` cannot validate and uses Sakai et al.'s
        comparison of the risks' deviations instead: ``eta = 1`` (or ``-1``)
        when ``pi / sqrt(n_P) + 1 / sqrt(n_U) < (1 - pi) / sqrt(n_N)`` (or the
        NU counterpart), else 0.
    alpha : float > 0, default=1e-2
        L2 penalty on the weights, on the mean risk (it also keeps the PU and
        NU parts bounded). With ``eta = 0`` and about a hundred labels, 1e-2
        is close to scikit-learn's ``LogisticRegression(C=1)``; 1e-3 fits the
        few labels too closely.
    max_iter : int, default=1000
        Most L-BFGS iterations.
    tol : float, default=1e-6
        L-BFGS tolerance on the projected gradient.
    pos_label : int, bool or str, default=1
        Value of ``y`` marking a labeled positive.
    neg_label : int, bool or str, default=0
        Value of ``y`` marking a labeled negative.
    unlabeled_label : int, bool or str, default=-1
        Value of ``y`` marking an unlabeled sample.
    random_state : int, RandomState instance or None, default=None
        Seed of the hold-out of the ``"auto"`` prior and of the validation
        folds of ``eta="auto"``.

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features)
        Weights on the original features.
    intercept_ : ndarray of shape (1,)
        Intercept on the original features.
    class_prior_ : float
        The prior of the unlabeled data used (given or estimated).
    eta_ : float
        The mixing parameter used (``eta``, the validated one for ``"auto"``,
        or 1 or 0 as above).
    eta_validation_error_ : dict
        Cross-validated error of each ``eta`` tried by ``eta="auto"``; empty
        when ``eta`` is given or cannot be validated.
    n_iter_ : int
        L-BFGS iterations run.
    classes_ : ndarray of shape (2,)
        ``[neg_label, pos_label]``.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    NNPUClassifier : Positive and unlabeled samples only.

    References
    ----------
    .. [1] T. Sakai, M. C. du Plessis, G. Niu and M. Sugiyama, "Semi-supervised
       classification based on classification from positive and unlabeled
       data", ICML 2017.
    .. [2] M. Saerens, P. Latinne and C. Decaestecker, "Adjusting the outputs
       of a classifier to new a priori probabilities: a simple procedure",
       Neural Computation, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from sklweak.pu import PNUClassifier
    >>> X, y = make_classification(n_samples=600, random_state=0)
    >>> rng = np.random.RandomState(0)
    >>> y_pnu = np.where(rng.rand(600) < 0.9, -1, y)
    >>> clf = PNUClassifier(prior=y.mean(), random_state=0).fit(X, y_pnu)
    >>> clf.score(X, y) > 0.85
    True
    """

    _weak_label_kind = "pnu"
    _y_is_1d = True

    _parameter_constraints: dict = {
        "prior": [Interval(Real, 0, 1, closed="neither"), StrOptions({"auto"})],
        "eta": [Interval(Real, -1, 1, closed="both"), StrOptions({"auto"})],
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "pos_label": [Integral, str, "boolean"],
        "neg_label": [Integral, str, "boolean"],
        "unlabeled_label": [Integral, str, "boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        prior="auto",
        eta="auto",
        alpha=1e-2,
        max_iter=1000,
        tol=1e-6,
        pos_label=1,
        neg_label=0,
        unlabeled_label=-1,
        random_state=None,
    ):
        self.prior = prior
        self.eta = eta
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol
        self.pos_label = pos_label
        self.neg_label = neg_label
        self.unlabeled_label = unlabeled_label
        self.random_state = random_state

    def _prepare_target(self, y):
        return mark_missing_as_unlabeled(y, self.unlabeled_label)

    def _decode_target(self, y):
        # Each entry is pos_label, neg_label or unlabeled_label; more than
        # three values: "Only binary classification is supported".
        self._negative_label = self.neg_label
        return decode_pnu_target(
            y,
            pos_label=self.pos_label,
            neg_label=self.neg_label,
            unlabeled_label=self.unlabeled_label,
        )

    def _validate_data_options(self):
        return {"accept_sparse": False, "dtype": [np.float64, np.float32]}

    def _estimate_prior(self, Z, positive, negative, unlabeled, weights, rng):
        n_p, n_u = _weighted_count(positive, weights), _weighted_count(unlabeled, weights)
        if not unlabeled.any():
            return n_p / (n_p + _weighted_count(negative, weights))
        if not negative.any():
            rows = np.flatnonzero(positive | unlabeled)
            if weights is not None:
                # A row of weight w enters the estimator's random draws as w
                # copies would: drawn with probability proportional to w.
                rows = rng.choice(rows, size=rows.size, p=weights[rows] / weights[rows].sum())
            pooled, _ = estimate_class_prior(
                Z[rows],
                positive[rows].astype(np.int64),
                method=DEFAULT_PRIOR_METHOD,
                n_bootstrap=0,
                random_state=rng,
            )
            return (pooled * (n_p + n_u) - n_p) / n_u
        return _adjusted_prior(Z, positive, negative, unlabeled, weights)

    def _fit(self, X, target, sample_weight):
        self._set_binary_classes()
        positive, negative, unlabeled = target.positive, target.negative, target.unlabeled
        if sample_weight is not None and np.all(sample_weight == sample_weight[0]):
            # Every risk and prior is a weighted mean: equal weights are no weights.
            sample_weight = None
        if sample_weight is not None:
            # A row of weight zero is a row left out.
            present = sample_weight > 0
            positive, negative, unlabeled = (
                positive & present,
                negative & present,
                unlabeled & present,
            )
            if not positive.any():
                raise ValueError(
                    "sample_weight is zero on every labeled positive: give at least one "
                    "row of pos_label a positive weight."
                )
        rng = check_random_state(self.random_state)
        X = np.asarray(X, dtype=np.float64)
        mean, scale = feature_standardization(
            X, None if sample_weight is None else sample_weight / sample_weight.sum()
        )
        Z = (X - mean) / scale

        if isinstance(self.prior, str):
            prior = self._estimate_prior(Z, positive, negative, unlabeled, sample_weight, rng)
        else:
            prior = float(self.prior)
        self.class_prior_ = float(np.clip(prior, 1e-3, 1.0 - 1e-3))
        self.eta_validation_error_ = {}
        if not negative.any():
            self.eta_ = 1.0
        elif not unlabeled.any():
            self.eta_ = 0.0
        elif self.eta == "auto":
            self.eta_ = self._choose_eta(Z, positive, negative, unlabeled, sample_weight, rng)
        else:
            self.eta_ = float(self.eta)

        result = self._minimize(Z, positive, negative, unlabeled, sample_weight, self.eta_)
        self.n_iter_ = int(result.nit)
        if not result.success and self.n_iter_ >= self.max_iter:
            warnings.warn(
                f"PNUClassifier stopped at max_iter={self.max_iter} L-BFGS iterations "
                "before converging; raise max_iter.",
                ConvergenceWarning,
            )
        w, bias = result.x[:-1], result.x[-1]
        self.coef_, self.intercept_ = linear_model_in_original_space(w, bias, mean, scale)
        return self

    def decision_function(self, X):
        """Linear score ``g(x)``; positive means ``pos_label``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``X @ coef_.T + intercept_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._validate_data_options())
        return X @ self.coef_[0] + self.intercept_[0]

    def _choose_eta(self, Z, positive, negative, unlabeled, weights, rng):
        """The sign of ``eta`` from the class sizes, its size by validation."""
        pi = self.class_prior_
        n_p, n_n, n_u = (_weighted_count(mask, weights) for mask in (positive, negative, unlabeled))
        deviation_pn_p, deviation_pn_n = pi / np.sqrt(n_p), (1.0 - pi) / np.sqrt(n_n)
        sign = 1.0 if deviation_pn_n >= deviation_pn_p else -1.0
        n_folds = min(MAX_FOLDS, int(positive.sum()), int(negative.sum()))
        if n_folds < 2:
            # Sakai et al.'s bounds: the PU (NU) risk beats the PN risk when
            # its deviation is the smaller one.
            if deviation_pn_p + 1.0 / np.sqrt(n_u) < deviation_pn_n:
                return 1.0
            if deviation_pn_n + 1.0 / np.sqrt(n_u) < deviation_pn_p:
                return -1.0
            return 0.0
        labeled = np.flatnonzero(positive | negative)
        folds = StratifiedKFold(n_folds, shuffle=True, random_state=rng.randint(2**31 - 1))
        errors = np.zeros(len(ETA_SIZES))
        for train, held_out in folds.split(labeled, positive[labeled]):
            in_training = unlabeled.copy()
            in_training[labeled[train]] = True
            fold_positive, fold_negative = positive & in_training, negative & in_training
            held_out = labeled[held_out]
            held_positive, held_negative = (
                held_out[positive[held_out]],
                held_out[negative[held_out]],
            )
            held_positive_weights, held_negative_weights = (
                (None, None)
                if weights is None
                else (weights[held_positive], weights[held_negative])
            )
            start = None
            for i, size in enumerate(ETA_SIZES):
                # Each size starts from the previous one's solution (the risk
                # is strictly convex, so only the number of iterations changes).
                result = self._minimize(
                    Z, fold_positive, fold_negative, unlabeled, weights, sign * size, start
                )
                start = result.x
                w, bias = result.x[:-1], result.x[-1]
                false_negative = np.average(
                    Z[held_positive] @ w + bias <= 0, weights=held_positive_weights
                )
                false_positive = np.average(
                    Z[held_negative] @ w + bias > 0, weights=held_negative_weights
                )
                errors[i] += pi * false_negative + (1.0 - pi) * false_positive
        errors /= n_folds
        self.eta_validation_error_ = {
            sign * size + 0.0: float(error) for size, error in zip(ETA_SIZES, errors)
        }
        return sign * ETA_SIZES[int(np.argmin(errors))] + 0.0

    def _minimize(self, Z, positive, negative, unlabeled, weights, eta, start=None):
        """L-BFGS on the penalised PNU risk of a linear scorer of ``Z``.

        Each empirical risk is a mean over its rows weighted by ``weights``
        (None: equal weights).
        """
        # Each risk is a sum of per-sample terms a_i * l(g_i) + b_i * l(-g_i)
        # + c_i * g_i; the weights below collect the three risks' shares.
        pi = self.class_prior_
        mix_pn = 1.0 - abs(eta)
        mix_pu, mix_nu = max(eta, 0.0), max(-eta, 0.0)
        n_p = _weighted_count(positive, weights)
        n_n = _weighted_count(negative, weights) or 1.0
        n_u = _weighted_count(unlabeled, weights) or 1.0
        share = np.ones(Z.shape[0]) if weights is None else weights
        a = np.zeros(Z.shape[0])
        b = np.zeros(Z.shape[0])
        c = np.zeros(Z.shape[0])
        a[positive] += mix_pn * pi / n_p * share[positive]
        b[negative] += mix_pn * (1.0 - pi) / n_n * share[negative]
        c[positive] -= mix_pu * pi / n_p * share[positive]
        b[unlabeled] += mix_pu / n_u * share[unlabeled]
        c[negative] += mix_nu * (1.0 - pi) / n_n * share[negative]
        a[unlabeled] += mix_nu / n_u * share[unlabeled]
        keep = (a != 0) | (b != 0) | (c != 0)
        Z_fit, a, b, c = Z[keep], a[keep], b[keep], c[keep]

        def objective(params):
            w, bias = params[:-1], params[-1]
            g = Z_fit @ w + bias
            value = a @ _logistic(g) + b @ _logistic(-g) + c @ g + 0.5 * self.alpha * (w @ w)
            slope = -a * expit(-g) + b * expit(g) + c
            grad = np.r_[Z_fit.T @ slope + self.alpha * w, slope.sum()]
            return value, grad

        return minimize(
            objective,
            np.zeros(Z.shape[1] + 1) if start is None else start,
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.max_iter, "gtol": self.tol},
        )
