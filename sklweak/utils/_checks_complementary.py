"""The project's own common checks for complementary-label estimators.

Kind ``"complementary"``: ``y`` names classes each sample is **not** (1-D, one
label per sample, or a 2-D 0/1 matrix of several). Full information is every
class but the true one excluded: the estimator must then be as accurate as
its supervised counterpart. The other checks: the 1-D and 2-D encodings and
string classes give the same model, ``classes`` adds a class never seen,
inputs are never modified, fitted estimators pickle, ``random_state`` fixes
the result, probabilities are valid far from the data, bad complementary
targets are rejected before any work, and a grid search selects on
complementary labels only.
"""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, train_test_split

from ..datasets._problems import make_weak_problem
from ._testing._assertions import (
    FULL_INFORMATION_TOLERANCE,
    _assert_bad_input_rejected,
    _assert_inputs_not_mutated,
    _assert_pickle_round_trip,
    _assert_predict_is_most_probable,
    _assert_raises_value_error,
    _assert_random_state_fixes_result,
    _supervised_counterpart,
    _with_params,
)

__all__ = ["CHECKS"]

_N_CLASSES = 4


def _seeded(estimator, seed=0):
    """A clone with ``random_state`` set, reading ``y`` as complementary labels."""
    return _with_params(estimator, random_state=seed, y_type="complementary")


def _classes_data():
    X, y = make_classification(
        n_samples=800,
        n_features=8,
        n_informative=6,
        n_redundant=0,
        n_classes=_N_CLASSES,
        n_clusters_per_class=1,
        class_sep=2.0,
        random_state=0,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


def _complementary_data():
    """One complementary label per sample, uniform over the other classes."""
    X_train, X_test, y_train, y_test = _classes_data()
    problem = make_weak_problem("complementary", X_train, y_train, y_test)
    return X_train, problem.y_weak, X_test, y_test


def check_complementary_full_information_is_supervised(name, estimator):
    """Every class but the true one excluded: as accurate as supervised."""
    X_train, X_test, y_train, y_test = _classes_data()
    full = np.ones((y_train.shape[0], _N_CLASSES), dtype=np.int64)
    full[np.arange(y_train.shape[0]), y_train] = 0
    try:
        weak = _seeded(estimator).fit(X_train, full)
    except ValueError as exc:
        # Losses defined for one complementary label per sample reject the
        # full matrix; their full-information case is ordinary labels.
        if "one complementary label per sample" not in str(exc):
            raise
        if "y_type" not in estimator.get_params():
            return
        weak = _with_params(estimator, random_state=0, y_type="ordinary")
        weak.fit(X_train, y_train)
    supervised = _seeded(_supervised_counterpart(estimator)).fit(X_train, y_train)
    weak_acc = np.mean(weak.predict(X_test) == y_test)
    supervised_acc = np.mean(supervised.predict(X_test) == y_test)
    assert weak_acc >= supervised_acc - FULL_INFORMATION_TOLERANCE, (
        f"{name} with every other class as a complementary label reaches accuracy "
        f"{weak_acc:.3f}, more than {FULL_INFORMATION_TOLERANCE} below its "
        f"supervised counterpart ({supervised_acc:.3f})."
    )


def check_complementary_learns_from_single_labels(name, estimator):
    """One uniform complementary label per sample beats chance clearly."""
    X, y_bar, X_test, y_test = _complementary_data()
    accuracy = np.mean(_seeded(estimator).fit(X, y_bar).predict(X_test) == y_test)
    assert accuracy > 1.5 / _N_CLASSES, (
        f"{name} on uniform complementary labels reaches accuracy {accuracy:.3f}, "
        f"not clearly above chance ({1 / _N_CLASSES:.3f})."
    )


def check_complementary_encodings_agree(name, estimator):
    """1-D labels, their 2-D one-hot matrix and string classes give one model."""
    X, y_bar, X_test, _ = _complementary_data()
    reference = _seeded(estimator).fit(X, y_bar)
    expected = reference.predict_proba(X_test)
    assert list(reference.classes_) == list(range(_N_CLASSES))

    matrix = np.zeros((y_bar.shape[0], _N_CLASSES), dtype=np.int64)
    matrix[np.arange(y_bar.shape[0]), y_bar] = 1
    np.testing.assert_allclose(
        _seeded(estimator).fit(X, matrix).predict_proba(X_test),
        expected,
        rtol=1e-6,
        atol=1e-8,
        err_msg=f"{name}: the 2-D one-hot matrix gives another model than 1-D labels.",
    )
    names = np.array(["ant", "bee", "cat", "dog"], dtype=object)
    strings = _seeded(estimator).fit(X, names[y_bar])
    assert list(strings.classes_) == list(names)
    np.testing.assert_array_equal(
        strings.predict(X_test),
        names[np.argmax(expected, axis=1)],
        err_msg=f"{name}: string classes give other predictions than integers.",
    )


def check_complementary_unseen_class_declared(name, estimator):
    """``classes`` lists a class that no complementary label names."""
    X, y_bar, X_test, _ = _complementary_data()
    keep = y_bar != _N_CLASSES - 1
    if "classes" not in estimator.get_params():
        return
    fitted = _with_params(_seeded(estimator), classes=np.arange(_N_CLASSES))
    fitted.fit(X[keep], y_bar[keep])
    assert list(fitted.classes_) == list(range(_N_CLASSES)), (
        f"{name}.classes_ is {list(fitted.classes_)}, not the declared classes."
    )
    assert fitted.predict_proba(X_test).shape == (X_test.shape[0], _N_CLASSES)
    undeclared = _seeded(estimator).fit(X[keep], y_bar[keep])
    assert len(undeclared.classes_) == _N_CLASSES - 1


def check_complementary_inputs_not_mutated(name, estimator):
    """fit and predict leave X and y untouched."""
    X, y_bar, X_test, _ = _complementary_data()
    _assert_inputs_not_mutated(name, _seeded(estimator), X, y_bar, X_test)


def check_complementary_pickle_round_trip(name, estimator):
    """A fitted estimator predicts the same after pickling."""
    X, y_bar, X_test, _ = _complementary_data()
    _assert_pickle_round_trip(name, _seeded(estimator).fit(X, y_bar), X_test, "predict_proba")


def check_complementary_random_state_fixes_result(name, estimator):
    """Same random_state, same probabilities; n_jobs does not change them."""
    X, y_bar, X_test, _ = _complementary_data()
    _assert_random_state_fixes_result(
        name, lambda seed: _seeded(estimator, seed), X, y_bar, X_test, method="predict_proba"
    )


def check_complementary_probabilities_valid(name, estimator):
    """predict_proba is finite, in [0, 1], rows summing to 1, far points too."""
    X, y_bar, X_test, _ = _complementary_data()
    fitted = _seeded(estimator).fit(X, y_bar)
    _assert_predict_is_most_probable(name, fitted, X_test, distance=1e6)


def check_complementary_bad_input_rejected(name, estimator):
    """Labels outside classes, rows excluding all or none, bad shapes fail clearly."""
    X, y_bar, X_test, _ = _complementary_data()
    if "classes" in estimator.get_params():
        _assert_raises_value_error(
            _with_params(_seeded(estimator), classes=[0, 1, 2]).fit,
            X,
            y_bar,
            match_any=("classes",),
            what=f"{name} with a label outside classes",
        )
    everything = np.zeros((y_bar.shape[0], _N_CLASSES), dtype=np.int64)
    everything[np.arange(y_bar.shape[0]), y_bar] = 1
    everything[0] = 1
    nothing = everything.copy()
    nothing[0] = 0
    not_binary = everything.copy()
    not_binary[0] = [2, 0, 0, 0]
    bad_targets = [
        (everything, ("every class",), "a row excluding every class"),
        (nothing, ("no complementary label",), "a row excluding no class"),
        (not_binary, ("0/1",), "a non-0/1 matrix"),
        (np.zeros_like(y_bar), ("two classes", "class"), "a single class"),
    ]
    _assert_bad_input_rejected(name, _seeded(estimator), X, y_bar, X_test, bad_targets)


def check_complementary_grid_search_without_true_labels(name, estimator):
    """GridSearchCV with the complementary scorer selects on complementary labels only."""
    from ..complementary import make_complementary_scorer

    X, y_bar, _, _ = _complementary_data()
    search = GridSearchCV(
        _seeded(estimator),
        {},
        cv=3,
        scoring=make_complementary_scorer(),
        error_score="raise",
    )
    search.fit(X, y_bar)
    assert np.isfinite(search.best_score_) and search.best_score_ > 1.5 / _N_CLASSES, (
        f"{name}: estimated accuracy {search.best_score_} on complementary folds is not sane."
    )


CHECKS = [
    check_complementary_full_information_is_supervised,
    check_complementary_learns_from_single_labels,
    check_complementary_encodings_agree,
    check_complementary_unseen_class_declared,
    check_complementary_inputs_not_mutated,
    check_complementary_pickle_round_trip,
    check_complementary_random_state_fixes_result,
    check_complementary_probabilities_valid,
    check_complementary_bad_input_rejected,
    check_complementary_grid_search_without_true_labels,
]
