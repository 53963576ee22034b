"""Family checks for estimators of kind ``"annotators"`` (several annotators per sample).

``y`` is the ``(n_samples, n_annotators)`` integer matrix with a missing-label
sentinel. Full information is one annotator who labeled every sample correctly:
the estimator must then behave like its base estimator. Each check is
``check_xxx(name, estimator)`` and raises ``AssertionError`` naming the
estimator; ``CHECKS`` lists them for ``FAMILY_CHECKS["annotators"]``.
"""

import numpy as np

from ..datasets._problems import make_weak_problem
from ._testing._assertions import (
    FULL_INFORMATION_TOLERANCE,
    _assert_bad_input_rejected,
    _assert_inputs_not_mutated,
    _assert_pickle_round_trip,
    _assert_random_state_fixes_result,
    _breast_cancer_split,
    _seeded,
    _supervised_counterpart,
    _with_params,
)

__all__ = ["CHECKS"]


def _crowd_data(missing_label=-1):
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    problem = make_weak_problem(
        "annotators",
        X_train,
        y_train,
        y_test,
        n_annotators=6,
        accuracy=(0.6, 0.85),
        labels_per_example=3,
        missing_label=missing_label,
    )
    return X_train, problem.y_weak, y_train, X_test, y_test


def check_one_perfect_annotator_behaves_like_base(name, estimator):
    """One annotator who labeled every sample correctly: as accurate as the base."""
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    weak = _seeded(estimator).fit(X_train, y_train.reshape(-1, 1))
    base = _seeded(_supervised_counterpart(estimator)).fit(X_train, y_train)
    weak_acc = np.mean(weak.predict(X_test) == y_test)
    base_acc = np.mean(base.predict(X_test) == y_test)
    assert weak_acc >= base_acc - FULL_INFORMATION_TOLERANCE, (
        f"{name} with one always-right annotator reaches accuracy {weak_acc:.3f}, "
        f"more than {FULL_INFORMATION_TOLERANCE} below its base estimator ({base_acc:.3f})."
    )
    consensus = getattr(weak, "consensus_label_", None)
    if consensus is not None:
        np.testing.assert_array_equal(
            consensus,
            y_train,
            err_msg=f"{name}: the consensus of one always-right annotator is not its labels.",
        )


def check_crowd_beats_its_average_annotator(name, estimator):
    """Three labels per sample from annotators of 60-85% accuracy: accurate model."""
    X, annotations, y_train, X_test, y_test = _crowd_data()
    fitted = _seeded(estimator).fit(X, annotations)
    accuracy = np.mean(fitted.predict(X_test) == y_test)
    assert accuracy > 0.9, (
        f"{name} learns from a crowd of 60-85% accurate annotators a model of test "
        f"accuracy {accuracy:.3f}; expected > 0.9."
    )
    consensus = getattr(fitted, "consensus_label_", None)
    if consensus is not None:
        observed = annotations != -1
        single = np.sum((annotations == y_train[:, None]) & observed) / observed.sum()
        assert np.mean(consensus == y_train) > single, (
            f"{name}: the consensus is less accurate than a single annotation."
        )


def check_missing_label_sentinel(name, estimator):
    """The missing-label sentinel is a parameter: another value gives the same model."""
    if "missing_label" not in estimator.get_params():
        raise AssertionError(f"{name} has no missing_label parameter.")
    X, annotations, _, X_test, _ = _crowd_data()
    moved = np.where(annotations == -1, 99, annotations)
    first = _seeded(estimator).fit(X, annotations)
    second = _with_params(_seeded(estimator), missing_label=99).fit(X, moved)
    assert set(second.classes_) == {0, 1}, (
        f"{name} counts missing_label=99 as a class: classes_ = {second.classes_}."
    )
    np.testing.assert_array_equal(
        first.predict(X_test),
        second.predict(X_test),
        err_msg=f"{name}: missing_label=99 gives other predictions than -1.",
    )


def check_annotators_inputs_not_mutated(name, estimator):
    """fit and predict leave X and the annotators' matrix untouched; it pickles."""
    X, annotations, _, X_test, _ = _crowd_data()
    fitted = _assert_inputs_not_mutated(name, _seeded(estimator), X, annotations, X_test)
    if hasattr(fitted, "predict_proba"):
        proba = fitted.predict_proba(X_test)
        assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1)
    _assert_pickle_round_trip(name, fitted, X_test)


def check_annotators_random_state_and_n_jobs(name, estimator):
    """Same random_state, same consensus and predictions, whatever n_jobs."""
    X, annotations, _, X_test, _ = _crowd_data()
    _assert_random_state_fixes_result(
        name,
        lambda seed: _seeded(estimator, seed),
        X,
        annotations,
        X_test,
        attributes=("consensus_label_",),
    )


def check_bad_annotator_input_rejected(name, estimator):
    """A row nobody labeled, NaN, one class, wrong shapes, unfitted use: clear errors."""
    X, annotations, _, X_test, _ = _crowd_data()
    nobody = annotations.copy()
    nobody[5] = -1
    with_nan = annotations.astype(np.float64)
    with_nan[0, 0] = np.nan
    bad_targets = [
        (nobody, ("row 5", "no label"), "a row nobody labeled"),
        (with_nan, ("nan",), "NaN in the annotators' matrix"),
        (np.where(annotations == -1, -1, 0), ("class",), "a single class"),
        (annotations[:, :, None], ("2-d", "dim", "shape"), "a 3-D y"),
    ]
    _assert_bad_input_rejected(name, _seeded(estimator), X, annotations, X_test, bad_targets)


def check_annotators_grid_search(name, estimator):
    """GridSearchCV runs on the annotators' matrix alone, its default score included."""
    from sklearn.model_selection import GridSearchCV, KFold

    X, annotations, _, X_test, y_test = _crowd_data()
    search = GridSearchCV(
        _seeded(estimator),
        {},
        cv=KFold(3, shuffle=True, random_state=0),
        error_score="raise",
    ).fit(X, annotations)
    score = search.best_score_
    assert 0.5 < score <= 1.0, (
        f"{name}: the cross-validated agreement with the annotations is {score:.3f}."
    )
    accuracy = np.mean(search.predict(X_test) == y_test)
    assert accuracy > 0.9, f"{name} after GridSearchCV reaches accuracy {accuracy:.2f}."


CHECKS = [
    check_one_perfect_annotator_behaves_like_base,
    check_crowd_beats_its_average_annotator,
    check_missing_label_sentinel,
    check_annotators_inputs_not_mutated,
    check_annotators_random_state_and_n_jobs,
    check_bad_annotator_input_rejected,
    check_annotators_grid_search,
]
