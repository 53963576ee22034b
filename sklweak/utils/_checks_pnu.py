"""The project's own common checks for PNU estimators (``_weak_label_kind = "pnu"``).

A PNU target holds ``pos_label``, ``neg_label`` and ``unlabeled_label`` (-1 by
default). Full information means no unlabeled sample: the estimator must then
behave like its supervised counterpart. The other checks: custom and string
sentinels give the same model, inputs are never modified, fitted estimators
pickle, ``random_state`` fixes the result, probabilities are valid, values
outside the sentinels and bad priors are rejected before any work, and a grid
search with the default (labeled-rows) score runs on PNU labels.
"""

import numpy as np
from sklearn.model_selection import GridSearchCV, StratifiedKFold

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


def _pnu_data(labeled_fraction=0.3):
    """Breast cancer, benign (the majority) positive; returns the unlabeled rows' prior too."""
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    problem = make_weak_problem("pnu", X_train, y_train, y_test, labeled_fraction=labeled_fraction)
    prior = float(problem.y_train[problem.y_weak == -1].mean())
    return X_train, problem.y_weak, X_test, problem.y_test, prior


def check_pnu_full_information_is_supervised(name, estimator):
    """No unlabeled sample: as accurate as the supervised counterpart."""
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    weak = _seeded(estimator).fit(X_train, y_train)
    supervised = _with_params(_supervised_counterpart(estimator), random_state=0)
    supervised.fit(X_train, y_train)
    weak_acc = np.mean(weak.predict(X_test) == y_test)
    supervised_acc = np.mean(supervised.predict(X_test) == y_test)
    assert weak_acc >= supervised_acc - FULL_INFORMATION_TOLERANCE, (
        f"{name} with every sample labeled reaches accuracy {weak_acc:.3f}, more "
        f"than {FULL_INFORMATION_TOLERANCE} below its supervised counterpart "
        f"({supervised_acc:.3f})."
    )


def check_pnu_sentinels_respected(name, estimator):
    """Other integer and string sentinels encode the same PNU target."""
    X, y_pnu, X_test, _, prior = _pnu_data()
    reference = _seeded(estimator, prior=prior).fit(X, y_pnu)
    expected = reference.predict(X_test)
    assert list(reference.classes_) == [0, 1], f"{name}.classes_ is not [0, 1]."

    recoded = np.select([y_pnu == 1, y_pnu == 0], [7, 3], default=99)
    shifted = _with_params(
        _seeded(estimator, prior=prior), pos_label=7, neg_label=3, unlabeled_label=99
    ).fit(X, recoded)
    assert list(shifted.classes_) == [3, 7], (
        f"{name}.classes_ is {list(shifted.classes_)}, not [neg_label, pos_label]."
    )
    np.testing.assert_array_equal(
        shifted.predict(X_test),
        np.array([3, 7])[expected],
        err_msg=f"{name}: sentinels (7, 3, 99) give other predictions than (1, 0, -1).",
    )
    words = np.select([y_pnu == 1, y_pnu == 0], ["spam", "ham"], default="unknown")
    strings = _with_params(
        _seeded(estimator, prior=prior),
        pos_label="spam",
        neg_label="ham",
        unlabeled_label="unknown",
    ).fit(X, words)
    np.testing.assert_array_equal(
        strings.predict(X_test),
        np.array(["ham", "spam"])[expected],
        err_msg=f"{name}: string sentinels give other predictions than integers.",
    )


def check_pnu_inputs_not_mutated(name, estimator):
    """fit and predict leave X and y untouched."""
    X, y_pnu, X_test, _, prior = _pnu_data()
    _assert_inputs_not_mutated(name, _seeded(estimator, prior=prior), X, y_pnu, X_test)


def check_pnu_pickle_and_random_state(name, estimator):
    """Same random_state, same probabilities; pickling keeps them."""
    X, y_pnu, X_test, _, _ = _pnu_data()
    first = _assert_random_state_fixes_result(
        name, lambda seed: _seeded(estimator, seed), X, y_pnu, X_test, method="predict_proba"
    )
    _assert_pickle_round_trip(name, first, X_test, "predict_proba")


def check_pnu_probabilities_valid(name, estimator):
    """predict_proba is finite, in [0, 1], rows summing to 1, far points too."""
    X, y_pnu, X_test, _, prior = _pnu_data()
    fitted = _seeded(estimator, prior=prior).fit(X, y_pnu)
    _assert_predict_is_most_probable(name, fitted, X_test)


def check_pnu_bad_input_rejected(name, estimator):
    """Unknown values, no positive, one value, bad priors, wrong shapes fail clearly."""
    X, y_pnu, X_test, _, _ = _pnu_data()
    other = y_pnu.copy()
    other[:5] = 2
    bad_targets = [
        (other, ("binary", "outside"), "a value 2"),
        (np.where(y_pnu == 1, -1, y_pnu), ("positive",), "no labeled positive"),
        (np.ones_like(y_pnu), ("class",), "positives only"),
    ]
    _assert_bad_input_rejected(name, _seeded(estimator), X, y_pnu, X_test, bad_targets)
    _assert_raises_value_error(
        _with_params(estimator, neg_label=-1).fit,
        X,
        y_pnu,
        match_any=("different",),
        what=f"{name} with neg_label equal to unlabeled_label",
    )
    _assert_bad_priors_rejected(name, estimator, X, y_pnu)


def check_pnu_grid_search_with_default_score(name, estimator):
    """GridSearchCV scores on the labeled rows only and picks a sane model."""
    X, y_pnu, _, _, prior = _pnu_data()
    search = GridSearchCV(
        _seeded(estimator, prior=prior),
        {},
        error_score="raise",
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    )
    search.fit(X, y_pnu)
    assert np.isfinite(search.best_score_) and search.best_score_ > 0.7, (
        f"{name}: labeled-rows accuracy {search.best_score_} on PNU folds is not sane."
    )


CHECKS = [
    check_pnu_full_information_is_supervised,
    check_pnu_sentinels_respected,
    check_pnu_inputs_not_mutated,
    check_pnu_pickle_and_random_state,
    check_pnu_probabilities_valid,
    check_pnu_bad_input_rejected,
    check_pnu_grid_search_with_default_score,
]
