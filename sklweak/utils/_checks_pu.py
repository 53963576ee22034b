"""The project's own common checks for PU estimators (``_weak_label_kind = "pu"``).

Full information for PU means every positive is labeled (label frequency
``c = 1``) and every unlabeled sample is a negative: the estimator must then
behave like its supervised counterpart. The other checks: the sentinels
``{1, 0}``, ``{1, -1}``, ``{True, False}`` and strings give the same model,
inputs are never modified, fitted estimators pickle, ``random_state`` fixes
the result whatever ``n_jobs``, probabilities are valid, bad PU targets and
bad priors are rejected before any work, and a grid search runs on PU folds
with a PU scorer.
"""

import numpy as np
from sklearn.model_selection import GridSearchCV

from ..datasets._problems import make_weak_problem
from ._testing._assertions import (
    FULL_INFORMATION_TOLERANCE,
    _assert_bad_input_rejected,
    _assert_bad_priors_rejected,
    _assert_inputs_not_mutated,
    _assert_pickle_round_trip,
    _assert_predict_is_most_probable,
    _assert_raises_value_error,
    _assert_random_state_fixes_result,
    _breast_cancer_split,
    _seeded,
    _supervised_counterpart,
    _with_params,
)

__all__ = ["CHECKS"]


def _pu_data(label_frequency=0.5):
    """Breast cancer, benign (the majority) positive; returns the true prior too."""
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    problem = make_weak_problem("pu", X_train, y_train, y_test, label_frequency=label_frequency)
    return X_train, problem.y_weak, X_test, problem.y_test, float(problem.y_train.mean())


def check_pu_full_information_is_supervised(name, estimator):
    """All positives labeled, unlabeled = negatives: as accurate as supervised."""
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    prior = float(y_train.mean())
    weak = _seeded(estimator, prior=prior).fit(X_train, y_train)
    supervised = _with_params(_supervised_counterpart(estimator), random_state=0)
    supervised.fit(X_train, y_train)
    weak_acc = np.mean(weak.predict(X_test) == y_test)
    supervised_acc = np.mean(supervised.predict(X_test) == y_test)
    assert weak_acc >= supervised_acc - FULL_INFORMATION_TOLERANCE, (
        f"{name} with every positive labeled reaches accuracy {weak_acc:.3f}, more "
        f"than {FULL_INFORMATION_TOLERANCE} below its supervised counterpart "
        f"({supervised_acc:.3f})."
    )


def check_pu_sentinels_respected(name, estimator):
    """{1, 0}, {1, -1}, {True, False} and strings encode the same PU target."""
    X, y_pu, X_test, _, prior = _pu_data()
    reference = _seeded(estimator, prior=prior).fit(X, y_pu)
    expected = reference.predict(X_test)
    assert list(reference.classes_) == [0, 1], f"{name}.classes_ is not [0, 1]."
    assert set(np.unique(expected)) <= {0, 1}

    minus_one = _seeded(estimator, prior=prior).fit(X, np.where(y_pu == 1, 1, -1))
    np.testing.assert_array_equal(
        minus_one.predict(X_test),
        expected,
        err_msg=f"{name}: y in {{1, -1}} gives other predictions than {{1, 0}}.",
    )
    booleans = _with_params(_seeded(estimator, prior=prior), pos_label=True)
    booleans.fit(X, y_pu == 1)
    np.testing.assert_array_equal(
        booleans.predict(X_test).astype(int),
        expected,
        err_msg=f"{name}: y in {{True, False}} gives other predictions than {{1, 0}}.",
    )
    strings = _with_params(_seeded(estimator, prior=prior), pos_label="spam", neg_label="ham")
    strings.fit(X, np.where(y_pu == 1, "spam", "unknown"))
    assert list(strings.classes_) == ["ham", "spam"], (
        f"{name}.classes_ is {list(strings.classes_)}, not [neg_label, pos_label]."
    )
    np.testing.assert_array_equal(
        strings.predict(X_test),
        np.array(["ham", "spam"])[expected],
        err_msg=f"{name}: string labels give other predictions than integers.",
    )


def check_pu_inputs_not_mutated(name, estimator):
    """fit and predict leave X and y untouched."""
    X, y_pu, X_test, _, prior = _pu_data()
    _assert_inputs_not_mutated(name, _seeded(estimator, prior=prior), X, y_pu, X_test)


def check_pu_pickle_round_trip(name, estimator):
    """A fitted estimator predicts the same after pickling."""
    X, y_pu, X_test, _, prior = _pu_data()
    fitted = _seeded(estimator, prior=prior).fit(X, y_pu)
    _assert_pickle_round_trip(name, fitted, X_test, "predict_proba")


def check_pu_random_state_fixes_result(name, estimator):
    """Same random_state, same probabilities; n_jobs does not change them."""
    X, y_pu, X_test, _, _ = _pu_data()
    _assert_random_state_fixes_result(
        name, lambda seed: _seeded(estimator, seed), X, y_pu, X_test, method="predict_proba"
    )


def check_pu_probabilities_valid(name, estimator):
    """predict_proba is finite, in [0, 1], rows summing to 1, far points too."""
    X, y_pu, X_test, _, prior = _pu_data()
    fitted = _seeded(estimator, prior=prior).fit(X, y_pu)
    _assert_predict_is_most_probable(name, fitted, X_test)


def check_pu_bad_input_rejected(name, estimator):
    """No labeled positive, all labeled, >2 values, bad priors, wrong shapes fail clearly."""
    X, y_pu, X_test, _, _ = _pu_data()
    three = y_pu.copy()
    three[np.flatnonzero(y_pu == 0)[:5]] = 2
    bad_targets = [
        (np.zeros_like(y_pu), ("positive", "class"), "no labeled positive"),
        (np.ones_like(y_pu), ("unlabeled", "class"), "every sample labeled"),
        (three, ("binary", "two values"), "three values"),
    ]
    _assert_bad_input_rejected(name, _seeded(estimator), X, y_pu, X_test, bad_targets)
    _assert_bad_priors_rejected(name, estimator, X, y_pu)
    if "prior" in estimator.get_params():
        _assert_raises_value_error(
            _with_params(estimator, prior=0.5 * y_pu.mean()).fit,
            X,
            y_pu,
            match_any=("labeled fraction",),
            what=f"{name} with a prior below the labeled fraction",
        )


def check_pu_grid_search_on_pu_folds(name, estimator):
    """GridSearchCV with PUStratifiedKFold and the Lee-Liu scorer runs on PU labels."""
    from ..pu import PUStratifiedKFold, make_pu_scorer

    X, y_pu, _, _, prior = _pu_data()
    search = GridSearchCV(
        _seeded(estimator, prior=prior),
        {},
        cv=PUStratifiedKFold(3),
        scoring=make_pu_scorer("lee_liu"),
        error_score="raise",
    )
    search.fit(X, y_pu)
    assert np.isfinite(search.best_score_) and search.best_score_ > 0.5, (
        f"{name}: Lee-Liu score {search.best_score_} on PU folds is not sane."
    )


CHECKS = [
    check_pu_full_information_is_supervised,
    check_pu_sentinels_respected,
    check_pu_inputs_not_mutated,
    check_pu_pickle_round_trip,
    check_pu_random_state_fixes_result,
    check_pu_probabilities_valid,
    check_pu_bad_input_rejected,
    check_pu_grid_search_on_pu_folds,
]
