"""Family checks for estimators of kind ``"labeling-functions"``.

``y`` is the vote matrix ``L`` (n_samples, n_functions): class indices, an
abstain sentinel where a function abstains. Unlike several annotators, a row
where every function abstains is ordinary (the function set does not cover
it). The annotators' checks that hold for votes are reused.
"""

import numpy as np
from sklearn.base import clone

from ._checks_annotators import (
    _crowd_data,
    check_annotators_grid_search,
    check_annotators_inputs_not_mutated,
    check_crowd_beats_its_average_annotator,
    check_one_perfect_annotator_behaves_like_base,
)
from ._testing._assertions import (
    _assert_predict_needs_fit,
    _assert_raises_value_error,
    _with_params,
)

__all__ = ["CHECKS"]


def check_abstain_sentinel(name, estimator):
    """The abstain sentinel is a parameter: another value gives the same model."""
    if "abstain_label" not in estimator.get_params():
        raise AssertionError(f"{name} has no abstain_label parameter.")
    X, votes, _, X_test, _ = _crowd_data()
    moved = np.where(votes == -1, 99, votes)
    first = clone(estimator).fit(X, votes)
    second = _with_params(estimator, abstain_label=99).fit(X, moved)
    np.testing.assert_array_equal(
        first.predict(X_test),
        second.predict(X_test),
        err_msg=f"{name}: abstain_label=99 gives other predictions than -1.",
    )


def check_uncovered_rows_and_bad_votes(name, estimator):
    """Rows nobody votes on are accepted; bad votes are rejected with clear errors."""
    X, votes, y_train, X_test, _ = _crowd_data()
    _assert_predict_needs_fit(name, estimator, X_test)
    uncovered = votes.copy()
    uncovered[:20] = -1
    proba = clone(estimator).fit(X, uncovered).predict_proba(X_test)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1), (
        f"{name}: probabilities are not finite rows summing to 1 after uncovered rows."
    )
    for bad, words, what in [
        (np.where(votes == 1, -2, votes), ("vote", "-2"), "a vote of -2"),
        (votes + 0.5, ("integer",), "non-integer votes"),
        (np.full(votes.shape, -1), ("vote", "class"), "every function abstaining"),
    ]:
        _assert_raises_value_error(
            clone(estimator).fit, X, bad, match_any=words, what=f"{name} with {what}"
        )
    with_nan = votes.astype(np.float64)
    with_nan[0, 0] = np.nan
    _assert_raises_value_error(
        clone(estimator).fit, X, with_nan, match_any=("nan",), what=f"{name} with NaN votes"
    )


CHECKS = [
    check_one_perfect_annotator_behaves_like_base,
    check_crowd_beats_its_average_annotator,
    check_abstain_sentinel,
    check_annotators_inputs_not_mutated,
    check_uncovered_rows_and_bad_votes,
    check_annotators_grid_search,
]
