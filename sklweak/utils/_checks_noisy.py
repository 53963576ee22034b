"""Family checks for estimators of kind ``"noisy"`` (one noisy label per sample).

Each check is ``check_xxx(name, estimator)`` and raises ``AssertionError``
naming the estimator. ``CHECKS`` lists them for ``FAMILY_CHECKS["noisy"]``.
"""

import numpy as np
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from ..datasets._problems import make_weak_problem
from ._testing._assertions import (
    FULL_INFORMATION_TOLERANCE,
    _assert_bad_input_rejected,
    _assert_inputs_not_mutated,
    _assert_random_state_fixes_result,
    _breast_cancer_split,
    _seeded,
    _supervised_counterpart,
)

__all__ = ["CHECKS"]


def _noisy_data(noise_rate=0.2):
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    problem = make_weak_problem("noisy", X_train, y_train, y_test, noise_rate=noise_rate)
    return X_train, problem.y_weak, problem.flipped, X_test, y_test


def check_clean_labels_behave_like_base(name, estimator):
    """On clean labels the estimator is about as accurate as its base estimator."""
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    weak = _seeded(estimator).fit(X_train, y_train)
    base = _seeded(_supervised_counterpart(estimator)).fit(X_train, y_train)
    weak_acc = np.mean(weak.predict(X_test) == y_test)
    base_acc = np.mean(base.predict(X_test) == y_test)
    assert weak_acc >= base_acc - FULL_INFORMATION_TOLERANCE, (
        f"{name} on clean labels reaches accuracy {weak_acc:.3f}, more than "
        f"{FULL_INFORMATION_TOLERANCE} below its base estimator ({base_acc:.3f})."
    )


def check_noisy_labels_found(name, estimator):
    """With 20% flipped labels, most flagged samples are really flipped."""
    X, y_noisy, flipped, _, _ = _noisy_data()
    fitted = _seeded(estimator).fit(X, y_noisy)
    issues = getattr(fitted, "label_issues_", None)
    if issues is None:
        return
    assert issues.shape == y_noisy.shape and issues.dtype == bool
    precision = (issues & flipped).sum() / max(issues.sum(), 1)
    recall = (issues & flipped).sum() / max(flipped.sum(), 1)
    assert precision > 0.5 and recall > 0.3, (
        f"{name} flags label issues with precision {precision:.2f} and recall "
        f"{recall:.2f} on 20% symmetric noise; expected > 0.5 and > 0.3."
    )


def check_noisy_inputs_not_mutated(name, estimator):
    """fit and predict leave X and y untouched, string labels included."""
    X, y_noisy, _, X_test, _ = _noisy_data()
    names = np.array(["benign", "malignant"], dtype=object)[y_noisy]
    fitted = _assert_inputs_not_mutated(name, _seeded(estimator), X, names, X_test)
    assert set(fitted.classes_) == {"benign", "malignant"}


def check_noisy_random_state_and_n_jobs(name, estimator):
    """Same random_state, same issues and predictions, whatever n_jobs."""
    X, y_noisy, _, X_test, _ = _noisy_data()
    _assert_random_state_fixes_result(
        name,
        lambda seed: _seeded(estimator, seed),
        X,
        y_noisy,
        X_test,
        attributes=("label_issues_",),
    )


def check_bad_noisy_input_rejected(name, estimator):
    """One class, wrong lengths, NaN, predict before fit, resized X fail clearly."""
    X, y_noisy, _, X_test, _ = _noisy_data()
    bad_targets = [(np.zeros_like(y_noisy), ("class",), "a single class")]
    _assert_bad_input_rejected(
        name, _seeded(estimator), X, y_noisy, X_test, bad_targets, nan_in_X=True
    )


def check_noisy_in_pipeline_and_grid_search(name, estimator):
    """The estimator works as a Pipeline step inside GridSearchCV."""
    X, y_noisy, _, X_test, y_test = _noisy_data()
    pipeline = make_pipeline(_seeded(estimator))
    search = GridSearchCV(pipeline, {}, cv=3, error_score="raise").fit(X, y_noisy)
    accuracy = np.mean(search.predict(X_test) == y_test)
    assert accuracy > 0.8, f"{name} in a pipeline reaches accuracy {accuracy:.2f}."


CHECKS = [
    check_clean_labels_behave_like_base,
    check_noisy_labels_found,
    check_noisy_inputs_not_mutated,
    check_noisy_random_state_and_n_jobs,
    check_bad_noisy_input_rejected,
    check_noisy_in_pipeline_and_grid_search,
]
