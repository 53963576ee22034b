"""Family checks for estimators of kind ``"label-model"``: ``fit(L)`` on a vote matrix.

``X`` is the vote matrix ``L`` (n_samples, n_functions) of labeling
functions (class indices, an abstain sentinel), ``y`` optional true labels.
"""

import pickle

import numpy as np
from sklearn.base import clone

from ._testing._assertions import (
    _assert_predict_needs_fit,
    _assert_raises_value_error,
    _with_params,
)

__all__ = ["CHECKS"]

_ACCURACIES = np.array([0.9, 0.8, 0.75, 0.7, 0.65, 0.6])


def _votes(n_samples=600, n_classes=3, seed=0):
    rng = np.random.RandomState(seed)
    y = rng.randint(n_classes, size=n_samples)
    right = rng.rand(n_samples, _ACCURACIES.shape[0]) < _ACCURACIES
    wrong = (y[:, None] + rng.randint(1, n_classes, size=right.shape)) % n_classes
    L = np.where(right, y[:, None], wrong)
    L[rng.rand(*L.shape) < 0.4] = -1
    return L, y


def check_label_model_beats_its_best_function(name, estimator):
    """On covered rows, the model is more accurate than its best function's votes."""
    L, y = _votes()
    predicted = clone(estimator).fit(L).predict(L)
    covered = np.any(L >= 0, axis=1)
    accuracy = np.mean(predicted[covered] == y[covered])
    assert accuracy > 0.85, f"{name} labels covered rows with accuracy {accuracy:.3f} <= 0.85."


def check_label_model_uncovered_rows(name, estimator):
    """Rows without a vote: finite probabilities summing to 1, predict abstains."""
    L, _ = _votes()
    L[:10] = -1
    fitted = clone(estimator).fit(L)
    proba = fitted.predict_proba(L)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1), (
        f"{name}: probabilities are not finite rows summing to 1."
    )
    labels = fitted.predict(L)
    assert np.all(labels[:10] == fitted.get_params()["abstain_label"]), (
        f"{name}.predict does not abstain on rows without a vote."
    )


def check_label_model_abstain_sentinel(name, estimator):
    """The abstain sentinel is a parameter: another value gives the same probabilities."""
    L, _ = _votes()
    first = clone(estimator).fit(L).predict_proba(L)
    moved = np.where(L == -1, 99, L)
    second = _with_params(estimator, abstain_label=99).fit(moved).predict_proba(moved)
    np.testing.assert_allclose(first, second, err_msg=f"{name}: abstain_label=99 changes it.")


def check_label_model_inputs_not_mutated(name, estimator):
    """fit and predict leave L untouched; the fitted model pickles; refits agree."""
    L, y = _votes()
    L_copy = L.copy()
    fitted = clone(estimator).fit(L)
    proba = fitted.predict_proba(L)
    np.testing.assert_array_equal(L, L_copy, err_msg=f"{name} modified L.")
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict_proba(L), proba)
    np.testing.assert_array_equal(clone(estimator).fit(L).predict_proba(L), proba)


def check_label_model_bad_votes(name, estimator):
    """Votes outside -1..K-1, non-integer or NaN votes, a changed function count: errors."""
    L, _ = _votes()
    _assert_predict_needs_fit(name, estimator, L)
    cases = [
        (np.where(L == 1, -2, L), ("vote", "-2"), "a vote of -2"),
        (L + 0.5, ("integer",), "non-integer votes"),
        (np.full(L.shape, -1), ("vote", "class"), "every function abstaining"),
    ]
    for bad, words, what in cases:
        _assert_raises_value_error(
            clone(estimator).fit, bad, match_any=words, what=f"{name} with {what}"
        )
    with_nan = L.astype(np.float64)
    with_nan[0, 0] = np.nan
    _assert_raises_value_error(
        clone(estimator).fit, with_nan, match_any=("nan",), what=f"{name} with NaN votes"
    )
    fitted = clone(estimator).fit(L)
    too_high = L.copy()
    too_high[0, 0] = 3
    _assert_raises_value_error(
        fitted.predict, too_high, match_any=("vote", "3"), what=f"{name} with class 3 of 3"
    )
    _assert_raises_value_error(
        fitted.predict, L[:, :-1], match_any=("features",), what=f"{name} with a function less"
    )


CHECKS = [
    check_label_model_beats_its_best_function,
    check_label_model_uncovered_rows,
    check_label_model_abstain_sentinel,
    check_label_model_inputs_not_mutated,
    check_label_model_bad_votes,
]
