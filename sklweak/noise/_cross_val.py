"""Out-of-sample predicted probabilities through joblib."""

from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_consistent_length

from ..utils._sklearn_compat import HasMethods, _safe_indexing, validate_params
from ..utils._weights import sample_weight_parameter

__all__ = ["cross_val_pred_probs"]

MAX_SEED = np.iinfo(np.int32).max


def _seed_everything(estimator, seed):
    """Give every ``random_state`` parameter of ``estimator`` the integer ``seed``."""
    names = [
        name
        for name in estimator.get_params(deep=True)
        if name == "random_state" or name.endswith("__random_state")
    ]
    if names:
        estimator.set_params(**dict.fromkeys(names, seed))
    return estimator


def _seeded_clone(estimator, seed, random_state):
    """A clone of ``estimator``, its random_state parameters set to ``seed``
    unless ``random_state`` is None (then the estimator keeps its own)."""
    if random_state is None:
        return clone(estimator)
    return _seed_everything(clone(estimator), int(seed))


def _fit_predict_fold(estimator, X, y, train, test, n_classes, sample_weight):
    fit_params = {}
    if sample_weight is not None:
        fit_params[sample_weight_parameter(estimator)] = sample_weight[train]
    estimator.fit(_safe_indexing(X, train), y[train], **fit_params)
    fold_probs = estimator.predict_proba(_safe_indexing(X, test))
    probs = np.zeros((test.shape[0], n_classes), dtype=np.float64)
    probs[:, np.asarray(estimator.classes_, dtype=np.int64)] = fold_probs
    return probs


def _cross_val_pred_probs(estimator, X, y, *, cv, n_jobs, random_state, sample_weight):
    classes, y_encoded = np.unique(y, return_inverse=True)
    rng = check_random_state(random_state)
    if isinstance(cv, Integral):
        smallest = np.bincount(y_encoded).min()
        if smallest < cv:
            raise ValueError(
                f"cv={cv} folds need at least {cv} samples of every class; the "
                f"smallest class of y has {smallest}."
            )
        splitter = StratifiedKFold(n_splits=cv, shuffle=True, random_state=rng.randint(MAX_SEED))
    else:
        splitter = check_cv(cv, y_encoded, classifier=True)
    folds = list(splitter.split(np.zeros((y_encoded.shape[0], 1)), y_encoded))
    seeds = rng.randint(MAX_SEED, size=len(folds))
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fit_predict_fold)(
            _seeded_clone(estimator, seed, random_state),
            X,
            y_encoded,
            train,
            test,
            classes.shape[0],
            sample_weight,
        )
        for (train, test), seed in zip(folds, seeds)
    )
    pred_probs = np.zeros((y_encoded.shape[0], classes.shape[0]), dtype=np.float64)
    covered = np.zeros(y_encoded.shape[0], dtype=bool)
    for (_, test), probs in zip(folds, results):
        pred_probs[test] = probs
        covered[test] = True
    if not covered.all():
        raise ValueError(
            "cv must put every sample in exactly one test fold (a partition); "
            f"{int((~covered).sum())} samples are in none."
        )
    return pred_probs


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "cv": ["cv_object"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=False,
)
def cross_val_pred_probs(estimator, X, y, *, cv=5, n_jobs=None, random_state=None):
    """Out-of-sample class probabilities of every sample, by cross-validation.

    Each fold fits a clone of ``estimator`` on the other folds and predicts
    the probabilities of its own samples. The folds run through
    :class:`sklearn.utils.parallel.Parallel` without a pinned backend, so a
    ``joblib.parallel_config`` context (threads, processes, Dask) chooses
    where they run.

    Parameters
    ----------
    estimator : estimator instance
        A classifier with ``fit`` and ``predict_proba``; it is cloned, never
        fitted itself.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,)
        Given (possibly noisy) labels, any dtype.
    cv : int, cross-validation generator or iterable, default=5
        An int gives a shuffled :class:`~sklearn.model_selection.StratifiedKFold`
        seeded from ``random_state``; anything else is used as given and must
        partition the samples.
    n_jobs : int, default=None
        Folds fitted in parallel (``None`` means 1 unless in a joblib
        context, -1 means all processors).
    random_state : int, RandomState instance or None, default=None
        Seeds the fold shuffling and, unless None, every ``random_state``
        parameter of each fold's clone (one integer per fold, drawn before the
        folds run): the same seed gives the same probabilities whatever
        ``n_jobs``. With None, the clones keep the estimator's own
        ``random_state``.

    Returns
    -------
    pred_probs : ndarray of shape (n_samples, n_classes), dtype float64
        Columns follow the sorted distinct labels of ``y``. A class missing
        from a training fold gets probability 0 on that fold's samples.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.noise import cross_val_pred_probs
    >>> X, y = load_iris(return_X_y=True)
    >>> probs = cross_val_pred_probs(LogisticRegression(max_iter=500), X, y,
    ...                              cv=3, random_state=0)
    >>> probs.shape
    (150, 3)
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D; got an array of shape {y.shape}.")
    check_consistent_length(X, y)
    return _cross_val_pred_probs(
        estimator,
        X,
        y,
        cv=cv,
        n_jobs=n_jobs,
        random_state=random_state,
        sample_weight=None,
    )
