"""The project's own common checks for semi-supervised estimators (kind ``"semi-supervised"``).

``y`` holds the labels of the labeled samples and ``unlabeled_label`` (-1 by
default) elsewhere. Full information (no unlabeled row) must match the
supervised counterpart; the sentinel is a parameter; the generic checks of
``utils/_testing`` run on a breast cancer problem with 20% of labels kept;
the compiled kernels agree with their references; a grid search scores on
labeled rows only.
"""

import os

import numpy as np
from sklearn.model_selection import GridSearchCV

from ..datasets._problems import make_weak_problem
from ._testing._assertions import (
    FULL_INFORMATION_TOLERANCE,
    _assert_bad_input_rejected,
    _assert_inputs_not_mutated,
    _assert_pickle_round_trip,
    _assert_random_state_fixes_result,
    _breast_cancer_split,
    _far_probabilities,
    _seeded,
    _supervised_counterpart,
    _with_params,
)

__all__ = ["CHECKS"]


def _semi_supervised_data(labeled_fraction=0.2):
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    problem = make_weak_problem(
        "semi-supervised", X_train, y_train, y_test, labeled_fraction=labeled_fraction
    )
    return X_train, problem.y_weak, X_test, y_test


def _output_with_kernels(choice, estimator, X, y, X_test):
    """Fit and predict (probabilities where there are) with ``SKLWEAK_KERNELS=choice``."""
    previous = os.environ.get("SKLWEAK_KERNELS")
    os.environ["SKLWEAK_KERNELS"] = choice
    try:
        fitted = _seeded(estimator).fit(X, y)
        if hasattr(fitted, "predict_proba"):
            return fitted.predict_proba(X_test)
        return fitted.predict(X_test)
    finally:
        if previous is None:
            del os.environ["SKLWEAK_KERNELS"]
        else:
            os.environ["SKLWEAK_KERNELS"] = previous


def check_full_information_is_supervised(name, estimator):
    """With no unlabeled row, accuracy matches the supervised counterpart."""
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    weak = _seeded(estimator).fit(X_train, y_train)
    supervised = _seeded(_supervised_counterpart(estimator)).fit(X_train, y_train)
    weak_acc = np.mean(weak.predict(X_test) == y_test)
    supervised_acc = np.mean(supervised.predict(X_test) == y_test)
    assert weak_acc >= supervised_acc - FULL_INFORMATION_TOLERANCE, (
        f"{name} on fully labeled data reaches accuracy {weak_acc:.3f}, more than "
        f"{FULL_INFORMATION_TOLERANCE} below its supervised counterpart "
        f"({supervised_acc:.3f})."
    )


def check_unlabeled_label_respected(name, estimator):
    """Another sentinel value, or string classes, change nothing but the encoding."""
    X, y_weak, X_test, _ = _semi_supervised_data()
    reference = _seeded(estimator).fit(X, y_weak).predict(X_test)

    y_other = np.where(y_weak == -1, -7, y_weak)
    other = _seeded(_with_params(estimator, unlabeled_label=-7)).fit(X, y_other)
    np.testing.assert_array_equal(
        other.predict(X_test),
        reference,
        err_msg=f"{name}: unlabeled_label=-7 gives other predictions than -1.",
    )

    names = np.array(["benign", "malignant"], dtype=object)
    y_str = np.where(y_weak == -1, -1, names[np.clip(y_weak, 0, 1)]).astype(object)
    with_strings = _seeded(estimator).fit(X, y_str)
    np.testing.assert_array_equal(
        with_strings.predict(X_test),
        names[reference],
        err_msg=f"{name}: string classes give other predictions than integers.",
    )
    assert list(with_strings.classes_) == list(names)


def check_inputs_not_mutated(name, estimator):
    """fit and predict leave X, y and sample_weight untouched."""
    X, y_weak, X_test, _ = _semi_supervised_data()
    _assert_inputs_not_mutated(name, _seeded(estimator), X, y_weak, X_test)


def check_pickle_round_trip(name, estimator):
    """A fitted estimator predicts the same after pickling."""
    X, y_weak, X_test, _ = _semi_supervised_data()
    _assert_pickle_round_trip(name, _seeded(estimator).fit(X, y_weak), X_test)


def check_random_state_fixes_result(name, estimator):
    """Same random_state, same predictions; n_jobs does not change them."""
    X, y_weak, X_test, _ = _semi_supervised_data()
    _assert_random_state_fixes_result(
        name, lambda seed: _seeded(estimator, seed), X, y_weak, X_test
    )


def check_bad_semi_supervised_input_rejected(name, estimator):
    """No label, one class, wrong shapes, NaN, unfitted or resized input fail clearly."""
    X, y_weak, X_test, _ = _semi_supervised_data()
    bad_targets = [
        (np.full_like(y_weak, -1), ("labeled", "label"), "no labeled sample"),
        (np.where(y_weak == 1, -1, y_weak), ("class",), "a single labeled class"),
    ]
    _assert_bad_input_rejected(
        name, _seeded(estimator), X, y_weak, X_test, bad_targets, nan_in_X=True
    )


def check_probabilities_valid(name, estimator):
    """predict_proba is finite, in [0, 1], rows summing to 1, far points too."""
    X, y_weak, X_test, _ = _semi_supervised_data()
    fitted = _seeded(estimator).fit(X, y_weak)
    if not hasattr(fitted, "predict_proba"):
        return
    _far_probabilities(name, fitted, X_test)
    proba_train = fitted.predict_proba(X)
    assert np.all(np.isfinite(proba_train))


def check_compiled_kernel_matches_reference(name, estimator):
    """Fitting with the compiled kernels gives the reference kernels' result."""
    from ._kernels import kernel_status

    if not any(kernel_status().values()):
        return
    X, y_weak, X_test, _ = _semi_supervised_data()
    compiled = _output_with_kernels("compiled", estimator, X, y_weak, X_test)
    reference = _output_with_kernels("reference", estimator, X, y_weak, X_test)
    np.testing.assert_allclose(
        compiled, reference, rtol=1e-6, atol=1e-8, err_msg=f"{name}: compiled != reference."
    )


def check_grid_search_on_labeled_folds(name, estimator):
    """GridSearchCV with SemiSupervisedKFold fits and scores on labeled rows only."""
    from ..model_selection import SemiSupervisedKFold

    X, y_weak, _, _ = _semi_supervised_data(labeled_fraction=0.3)
    search = GridSearchCV(_seeded(estimator), {}, cv=SemiSupervisedKFold(3), error_score="raise")
    search.fit(X, y_weak)
    assert np.isfinite(search.best_score_) and 0.5 < search.best_score_ <= 1.0, (
        f"{name}: labeled-fold accuracy {search.best_score_} is not a sane accuracy."
    )
    fitted = _seeded(estimator).fit(X, y_weak)
    labeled = y_weak != -1
    expected = np.mean(fitted.predict(X[labeled]) == y_weak[labeled])
    assert np.isclose(fitted.score(X, y_weak), expected), (
        f"{name}.score counts unlabeled rows: it must score labeled rows only."
    )


CHECKS = [
    check_full_information_is_supervised,
    check_unlabeled_label_respected,
    check_inputs_not_mutated,
    check_pickle_round_trip,
    check_random_state_fixes_result,
    check_bad_semi_supervised_input_rejected,
    check_probabilities_valid,
    check_compiled_kernel_matches_reference,
    check_grid_search_on_labeled_folds,
]
