"""Hyperparameter search for transductive classifiers: hidden labels, same samples."""

from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import ParameterGrid, StratifiedKFold
from sklearn.utils import Bunch

from ..utils._sklearn_compat import HasMethods, Interval, validate_params
from ..utils._validation import check_semi_supervised_y

__all__ = ["transductive_grid_search"]


def _fold_predictions(model, X, held_out):
    """Classes given to the held-out rows: the transduction when there is one."""
    transduction = getattr(model, "transduction_", None)
    if transduction is not None:
        return np.asarray(transduction)[held_out]
    return model.predict(X[held_out])


@validate_params(
    {
        "estimator": [HasMethods(["fit"])],
        "param_grid": [dict, list],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "n_splits": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
        "unlabeled_label": [Integral, str],
        "refit": ["boolean"],
    },
    prefer_skip_nested_validation=False,
)
def transductive_grid_search(
    estimator,
    param_grid,
    X,
    y,
    *,
    n_splits=5,
    random_state=None,
    unlabeled_label=-1,
    refit=True,
):
    """Choose hyperparameters by cross-validation on hidden labels, keeping every sample.

    The model selection of the transductive setting (Chapelle, Schoelkopf and
    Zien, 2006): the labeled samples are split into ``n_splits`` stratified
    folds; for each fold and each candidate, the estimator is fitted on *all*
    samples with that fold's labels hidden (set to ``unlabeled_label``), and
    scored by its accuracy on the hidden rows, read from ``transduction_``
    (or ``predict`` for an estimator without one). Only labels of ``y`` are
    used: no test label enters the choice.

    Unlike :class:`sklearn.model_selection.GridSearchCV` with
    :class:`~sklweak.model_selection.SemiSupervisedKFold`, which drops the
    held-out rows from ``X``, every fit here sees the same ``X``. The
    label-free work of a fit is then identical across folds and candidates
    that share it: with ``memory`` set, :class:`LDSClassifier` computes its
    graph embedding once per value of ``rho`` instead of once per fold.

    Parameters
    ----------
    estimator : estimator object
        Semi-supervised classifier taking ``unlabeled_label`` in ``y``. It is
        cloned, never fitted in place.
    param_grid : dict or list of dicts
        Candidates, as for :class:`~sklearn.model_selection.ParameterGrid`.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        All samples, labeled and unlabeled.
    y : array-like of shape (n_samples,)
        Semi-supervised target; ``unlabeled_label`` marks unlabeled samples.
    n_splits : int, default=5
        Folds of the labeled samples, at least 2 and at most the number of
        labeled samples of the largest class. A fold whose remaining labels
        hold fewer than two classes (a class with a single labeled sample)
        is skipped for every candidate.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle of the labeled samples before folding.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks an unlabeled sample.
    refit : bool, default=True
        Fit a clone with the best parameters on all of ``y``.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``best_params`` (the first candidate, in ``ParameterGrid`` order, of
        highest mean accuracy), ``best_score``, ``best_estimator`` (``None``
        when ``refit=False``), ``cv_results`` (a dict with ``params``,
        ``mean_test_score``, ``std_test_score`` and ``split{k}_test_score``
        arrays, ``nan`` for a skipped fold) and ``n_folds_used``.

    Raises
    ------
    ValueError
        If ``y`` has no unlabeled sample or fewer than two labeled classes,
        if ``n_splits`` exceeds the labeled samples of the largest class, or
        if every fold is skipped.

    See Also
    --------
    sklweak.model_selection.SemiSupervisedKFold : Inductive folds for
        ``GridSearchCV``: held-out rows leave the training set.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_blobs
    >>> from sklweak.lowdensity import LDSClassifier, transductive_grid_search
    >>> X, y = make_blobs(n_samples=80, centers=2, random_state=0)
    >>> y_weak = np.full_like(y, -1)
    >>> y_weak[:12] = y[:12]
    >>> search = transductive_grid_search(
    ...     LDSClassifier(), {"C": [1.0, 10.0]}, X, y_weak,
    ...     n_splits=3, random_state=0)
    >>> sorted(search.best_params)
    ['C']
    >>> float(np.mean(search.best_estimator.transduction_ == y)) > 0.9
    True
    """
    if not is_classifier(estimator):
        raise ValueError(f"estimator must be a classifier; got {type(estimator).__name__}.")
    candidates = list(ParameterGrid(param_grid))
    if not candidates:
        raise ValueError("param_grid holds no candidate.")
    target = check_semi_supervised_y(y, unlabeled_label=unlabeled_label)
    labeled_rows = np.flatnonzero(target.labeled)
    if labeled_rows.size == target.labeled.size:
        raise ValueError("y has no unlabeled sample: use GridSearchCV for supervised data.")
    labels = target.y_encoded[labeled_rows]
    largest_class = int(np.bincount(labels).max())
    if n_splits > largest_class:
        raise ValueError(
            f"n_splits={n_splits} exceeds the {largest_class} labeled samples of the largest class."
        )
    y = np.asarray(y)
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    fold_rows = []
    for train, test in folds.split(labeled_rows, labels):
        if np.unique(labels[train]).size >= 2:
            fold_rows.append(labeled_rows[test])
        else:
            fold_rows.append(None)
    if all(rows is None for rows in fold_rows):
        raise ValueError(
            "Every fold leaves fewer than two labeled classes in training: too "
            "few labeled samples for cross-validation."
        )

    scores = np.full((len(candidates), n_splits), np.nan)
    for i, params in enumerate(candidates):
        for k, held_out in enumerate(fold_rows):
            if held_out is None:
                continue
            y_fold = y.copy()
            y_fold[held_out] = unlabeled_label
            model = clone(estimator).set_params(**params).fit(X, y_fold)
            predicted = _fold_predictions(model, X, held_out)
            scores[i, k] = np.mean(predicted == y[held_out])

    mean_scores = np.nanmean(scores, axis=1)
    best = int(np.argmax(mean_scores))
    cv_results = {
        "params": candidates,
        "mean_test_score": mean_scores,
        "std_test_score": np.nanstd(scores, axis=1),
    }
    for k in range(n_splits):
        cv_results[f"split{k}_test_score"] = scores[:, k]
    best_estimator = None
    if refit:
        best_estimator = clone(estimator).set_params(**candidates[best]).fit(X, y)
    return Bunch(
        best_params=candidates[best],
        best_score=float(mean_scores[best]),
        best_estimator=best_estimator,
        cv_results=cv_results,
        n_folds_used=sum(rows is not None for rows in fold_rows),
    )
