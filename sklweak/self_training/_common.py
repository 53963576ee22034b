"""Pieces shared by the self-labeled meta-estimators of this subpackage."""

from contextlib import contextmanager

import numpy as np
from sklearn.base import is_regressor
from sklearn.utils.validation import has_fit_parameter

from ..base import SemiSupervisedMixin
from ..utils._sklearn_compat import InvalidParameterError, _safe_indexing
from ..utils._validation import check_semi_supervised_y
from ..utils._weights import sample_weight_parameter

__all__ = []


class SelfLabeledMixin(SemiSupervisedMixin):
    """How the self-labeled meta-estimators read ``X``, ``y`` and ``sample_weight``.

    ``X`` keeps NaN and sparse formats with row indexing, so that the inner
    estimator decides what it accepts. A string-dtype ``y`` with a non-string
    ``unlabeled_label`` is read as an object array (strings are classes;
    only a non-string value can equal the sentinel), or rejected where
    ``_string_dtype_ok = False``, as scikit-learn's self-training does.
    ``_min_classes = 1`` accepts one labeled class, for estimators whose inner
    estimator may accept it. ``sample_weight`` must be finite and
    non-negative.
    """

    _string_dtype_ok = True
    _min_classes = 2

    def _validate_data_options(self):
        return {"accept_sparse": ["csr", "csc", "lil", "dok"], "ensure_all_finite": False}

    def _decode_target(self, y):
        string_sentinel = isinstance(self.unlabeled_label, str)
        if y.dtype.kind in "US" and not string_sentinel and self._string_dtype_ok:
            y = y.astype(object)
        if y.dtype.kind in "US" and not string_sentinel:
            raise ValueError(
                f"y has a string dtype ({y.dtype}) while unlabeled_label="
                f"{self.unlabeled_label!r} is not a string. Pass string labels in an "
                "array of dtype object with the integer sentinel, or give a string "
                "unlabeled_label."
            )
        return check_semi_supervised_y(
            y, unlabeled_label=self.unlabeled_label, min_classes=self._min_classes
        )


@contextmanager
def one_labeled_class_errors(estimator, classes):
    """Say clearly why a fit failed when the inner estimator refuses one labeled class.

    One labeled class is valid input wherever the inner estimator accepts it
    (scikit-learn's own self-training tests fit 1-nearest-neighbour on one
    labeled row); an estimator that refuses it raises its own ValueError,
    which is re-raised here naming the cause.
    """
    try:
        yield
    except ValueError as error:
        if len(classes) != 1:
            raise
        raise ValueError(
            f"y has labeled rows of one class only ({np.asarray(classes).tolist()[0]!r}), and "
            f"{type(estimator).__name__} does not fit on a single class. Label rows of "
            "another class, or use an estimator that accepts one class."
        ) from error


class InvalidEstimatorError(InvalidParameterError, AttributeError):
    """An ``estimator`` parameter that cannot serve: a regressor, or no ``predict_proba``.

    A ``ValueError`` (the parameter-validation error) and, as scikit-learn's
    self-training raises for a missing ``predict_proba``, an ``AttributeError``.
    """


def split_by_label(X, target):
    """Rows and ``X`` of the labeled and of the unlabeled samples of a decoded target.

    Returns
    -------
    labeled_rows, unlabeled_rows : ndarray of int
    X_labeled, X_unlabeled : {ndarray, sparse matrix}
    """
    labeled_rows = np.flatnonzero(target.labeled)
    unlabeled_rows = np.flatnonzero(~target.labeled)
    return (
        labeled_rows,
        unlabeled_rows,
        _safe_indexing(X, labeled_rows),
        _safe_indexing(X, unlabeled_rows),
    )


def check_classifier_arg(owner, estimator, *, needs_proba=True):
    """Reject a regressor, or (``needs_proba``) a classifier without ``predict_proba``.

    Called at the start of ``fit``, before any work, with the unfitted estimator.
    """
    owner_name = type(owner).__name__
    name = type(estimator).__name__
    if is_regressor(estimator):
        raise InvalidEstimatorError(
            f"The 'estimator' parameter of {owner_name} must be a classifier; "
            f"{name} is a regressor."
        )
    if needs_proba and not hasattr(estimator, "predict_proba"):
        raise InvalidEstimatorError(
            f"The 'estimator' parameter of {owner_name} must be a classifier with "
            f"predict_proba: {name!r} object has no attribute 'predict_proba'. "
            "Wrap it in sklearn.calibration.CalibratedClassifierCV (or use "
            "SVC(probability=True))."
        )


def accepts_sample_weight(estimator):
    """Whether ``estimator.fit`` takes a ``sample_weight`` argument."""
    return has_fit_parameter(estimator, "sample_weight")


def check_labeled_weight(sample_weight, labeled):
    """Reject weights that are zero on every labeled row, before any work."""
    if sample_weight is not None and not np.any(sample_weight[labeled] > 0):
        raise ValueError(
            "sample_weight is zero on every labeled row: there is nothing to learn "
            "from. Give at least one labeled row a positive weight."
        )


def check_weights_deliverable(owner, estimators, sample_weight):
    """Reject weights that an inner estimator cannot receive, before any work.

    :func:`fit_on_rows` hands the weights to an estimator whose ``fit`` takes
    ``sample_weight`` (a Pipeline's last step's included) and repeats the rows
    of one whose ``fit`` does not, which needs whole-number weights.
    """
    if sample_weight is None or np.all(sample_weight == np.round(sample_weight)):
        return
    for estimator in estimators:
        if sample_weight_parameter(estimator) is None:
            raise ValueError(
                f"sample_weight holds fractional weights, but {type(estimator).__name__}.fit "
                f"takes no sample_weight, so {type(owner).__name__} can only repeat its "
                "rows by whole-number weights. Round the weights, or use an estimator "
                "whose fit takes sample_weight."
            )


def fit_on_rows(estimator, X, y, rows, sample_weight=None):
    """Fit ``estimator`` on ``X[rows]``, ``y[rows]``, weighted by ``sample_weight[rows]``.

    ``sample_weight`` (one weight per row of ``X``, or None) goes to ``fit``
    when it takes it (see :func:`sklweak.utils._weights.sample_weight_parameter`);
    otherwise each row is repeated as many times as its weight, a whole number
    (see :func:`check_weights_deliverable`).
    """
    weights = None if sample_weight is None else sample_weight[rows]
    keyword = None if weights is None else sample_weight_parameter(estimator)
    if weights is not None and keyword is None:
        rows, weights = np.repeat(rows, weights.astype(np.intp)), None
    X_rows = _safe_indexing(X, rows)
    y_rows = _safe_indexing(y, rows)
    if weights is None:
        return estimator.fit(X_rows, y_rows)
    return estimator.fit(X_rows, y_rows, **{keyword: weights})


def fit_with_pseudo_labels(estimator, X, y_encoded, rows, extra_rows, extra_labels, sample_weight):
    """Fit on ``rows`` (their labels) plus ``extra_rows`` labeled ``extra_labels``.

    Weights as in :func:`fit_on_rows`: self-labeled rows keep their row's weight.
    """
    targets = y_encoded.copy()
    targets[extra_rows] = extra_labels
    all_rows = np.concatenate([rows, extra_rows])
    return fit_on_rows(estimator, X, targets, all_rows, sample_weight)


def rows_of_positive_weight(rows, sample_weight):
    """The entries of ``rows`` whose weight is positive (all of them without weights).

    A row of zero weight counts as a row left out of the data.
    """
    return rows if sample_weight is None else rows[sample_weight[rows] > 0]


def draw_probabilities(weights):
    """Probabilities of drawing rows in proportion to ``weights``.

    None (a uniform draw) without weights or when all are equal, so equal
    weights draw exactly the rows that no weights draw.
    """
    if weights is None or weights.size == 0 or np.all(weights == weights[0]):
        return None
    return weights / weights.sum()


def class_prior(y_encoded, labeled, n_classes, sample_weight=None):
    """Class frequencies among the labeled samples (weighted when asked)."""
    weights = None if sample_weight is None else sample_weight[labeled]
    counts = np.bincount(y_encoded[labeled], weights=weights, minlength=n_classes)
    total = counts.sum()
    if total <= 0:
        return np.full(n_classes, 1.0 / n_classes)
    return counts / total


def proba_in_class_order(estimator, X, n_classes):
    """``predict_proba`` of an estimator fitted on encoded labels, one column per class.

    Columns of classes the estimator never saw are zero.
    """
    proba = estimator.predict_proba(X)
    seen = np.asarray(estimator.classes_, dtype=np.int64)
    if seen.shape[0] == n_classes:
        return proba
    full = np.zeros((proba.shape[0], n_classes))
    full[:, seen] = proba
    return full


def seed_random_states(estimator, rng):
    """Set every ``random_state`` parameter of ``estimator`` to an integer from ``rng``."""
    params = {
        key: int(rng.randint(np.iinfo(np.int32).max))
        for key in sorted(estimator.get_params(deep=True))
        if key == "random_state" or key.endswith("__random_state")
    }
    if params:
        estimator.set_params(**params)
    return estimator
