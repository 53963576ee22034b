"""The project's own common checks, per weak-label family.

scikit-learn's ``check_estimator`` sees only ordinary labels. These checks
exercise what is specific to weak labels: full information behaves as
supervised learning, sentinels are parameters, inputs are never mutated,
fitted estimators pickle, ``random_state`` fixes the result whatever
``n_jobs``, bad weak labels are rejected before any work, probabilities are
valid, and compiled kernels agree with their references.

Each family's checks live in ``sklweak/utils/_checks_<kind>.py`` as a list
``CHECKS``, found by :func:`family_checks` from the estimator's
``_weak_label_kind``.
"""

import importlib
import os
import pickle
import pkgutil
from contextlib import contextmanager

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.utils import get_tags

from ..datasets._problems import make_weak_problem, split_standardized

__all__ = ["check_weak_estimator", "family_checks", "yield_weak_checks"]

FULL_INFORMATION_TOLERANCE = 0.05


def _breast_cancer_split():
    return split_standardized("breast_cancer", test_size=0.5)


def _semi_supervised_data(labeled_fraction=0.2):
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    problem = make_weak_problem(
        "semi-supervised", X_train, y_train, y_test, labeled_fraction=labeled_fraction
    )
    return X_train, problem.y_weak, X_test, y_test


def _with_params(estimator, **params):
    names = estimator.get_params()
    return clone(estimator).set_params(**{k: v for k, v in params.items() if k in names})


def _supervised_counterpart(estimator):
    params = estimator.get_params()
    inner = params.get("estimator")
    if inner is not None and hasattr(inner, "fit"):
        return clone(inner)
    return LogisticRegression(max_iter=1000)


def _seeded(estimator, seed=0, **params):
    """A clone with ``random_state=seed`` and ``params`` (those it has)."""
    return _with_params(estimator, random_state=seed, **params)


@contextmanager
def _kernels(choice):
    previous = os.environ.get("SKLWEAK_KERNELS")
    os.environ["SKLWEAK_KERNELS"] = choice
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SKLWEAK_KERNELS"]
        else:
            os.environ["SKLWEAK_KERNELS"] = previous


def _assert_raises_value_error(func, *args, match_any=(), what=""):
    try:
        func(*args)
    except (ValueError, TypeError) as exc:
        message = str(exc).lower()
        if match_any and not any(word in message for word in match_any):
            raise AssertionError(
                f"{what}: the error message {str(exc)!r} names none of {match_any}."
            ) from exc
        return
    raise AssertionError(f"{what}: no ValueError was raised.")


def _assert_predict_needs_fit(name, estimator, X):
    """``predict`` of an unfitted clone raises ``NotFittedError``."""
    try:
        clone(estimator).predict(X)
    except NotFittedError:
        return
    raise AssertionError(f"{name}.predict before fit did not raise NotFittedError.")


def _far_probabilities(name, fitted, X_test, distance=1e3):
    """``predict_proba`` on ``X_test`` and 6 points at +-``distance`` in every
    feature: finite, in [0, 1], rows summing to 1. Returns the points and the
    probabilities."""
    n_features = X_test.shape[1]
    far = np.vstack(
        [X_test, np.full((3, n_features), distance), np.full((3, n_features), -distance)]
    )
    proba = fitted.predict_proba(far)
    assert np.all(np.isfinite(proba)), f"{name}.predict_proba returned NaN or inf."
    assert proba.min() >= 0 and proba.max() <= 1 + 1e-12
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-8)
    return far, proba


# Generic checks, each written once and given a problem: a family's check picks
# its data and how its estimator is seeded, and hands them to one of these.


def _assert_inputs_not_mutated(name, estimator, X, y, X_test, *, score=False):
    """Fit the unfitted ``estimator`` on ``X, y``, predict (and score, if asked):
    no array changes. Returns the fitted estimator."""
    copies = [array.copy() for array in (X, y, X_test)]
    fitted = estimator.fit(X, y)
    fitted.predict(X_test)
    if hasattr(fitted, "predict_proba"):
        fitted.predict_proba(X_test)
    if score:
        fitted.score(X, y)
    for array, copy, what in zip((X, y, X_test), copies, ("X in fit", "y in fit", "X")):
        np.testing.assert_array_equal(array, copy, err_msg=f"{name} modified {what}.")
    return fitted


def _assert_pickle_round_trip(name, fitted, X_test, method="predict"):
    """``method`` gives the same after a pickle round trip."""
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(
        getattr(restored, method)(X_test),
        getattr(fitted, method)(X_test),
        err_msg=f"{name}.{method} changes after pickling.",
    )


def _assert_random_state_fixes_result(
    name, seeded, X, y, X_test, *, method="predict", attributes=()
):
    """``seeded(seed)`` gives an unfitted estimator. Two fits with the same seed,
    and one with ``n_jobs=2`` when it has the parameter, agree on ``method``
    (probabilities to 1e-12) and on the fitted ``attributes`` it has."""
    first = seeded(3).fit(X, y)
    expected = getattr(first, method)(X_test)
    refits = {"the same random_state": seeded(3)}
    if "n_jobs" in first.get_params():
        refits["n_jobs=2"] = _with_params(seeded(3), n_jobs=2)
    for what, refit in refits.items():
        output = getattr(refit.fit(X, y), method)(X_test)
        message = f"{name}: {what} changes {method}."
        if method == "predict":
            np.testing.assert_array_equal(output, expected, err_msg=message)
        else:
            np.testing.assert_allclose(output, expected, rtol=0, atol=1e-12, err_msg=message)
        for attribute in attributes:
            if hasattr(first, attribute):
                np.testing.assert_array_equal(
                    getattr(refit, attribute),
                    getattr(first, attribute),
                    err_msg=f"{name}: {what} changes {attribute}.",
                )
    return first


def _assert_predict_is_most_probable(name, fitted, X_test, distance=1e3):
    """Valid probabilities, far points included; ``predict`` is the most probable class."""
    far, proba = _far_probabilities(name, fitted, X_test, distance=distance)
    np.testing.assert_array_equal(
        fitted.predict(far),
        fitted.classes_[np.argmax(proba, axis=1)],
        err_msg=f"{name}.predict is not the most probable class.",
    )


def _assert_bad_input_rejected(name, estimator, X, y, X_test, bad_targets, *, nan_in_X=False):
    """Clear errors: ``predict`` before ``fit``, each ``(bad y, words, what)`` of
    ``bad_targets`` (the message names one of ``words``), ``y`` shorter than ``X``,
    NaN in ``X`` when ``nan_in_X`` and the estimator does not allow NaN, and a
    changed feature count at ``predict``."""
    _assert_predict_needs_fit(name, estimator, X_test)
    for bad_y, words, what in bad_targets:
        _assert_raises_value_error(
            clone(estimator).fit, X, bad_y, match_any=words, what=f"{name} with {what}"
        )
    _assert_raises_value_error(
        clone(estimator).fit,
        X,
        y[:-3],
        match_any=("inconsistent", "samples", "length", "rows"),
        what=f"{name} with y shorter than X",
    )
    if nan_in_X and not get_tags(estimator).input_tags.allow_nan:
        X_nan = X.copy()
        X_nan[0, 0] = np.nan
        _assert_raises_value_error(
            clone(estimator).fit, X_nan, y, match_any=("nan",), what=f"{name} with NaN in X"
        )
    fitted = clone(estimator).fit(X, y)
    _assert_raises_value_error(
        fitted.predict,
        X_test[:, :-1],
        match_any=("features",),
        what=f"{name} with a changed feature count",
    )


def _assert_bad_priors_rejected(name, estimator, X, y):
    """A ``prior`` of 0, 1 or above 1 fails clearly (for an estimator that has one)."""
    if "prior" not in estimator.get_params():
        return
    for prior in (0.0, 1.0, 1.5):
        _assert_raises_value_error(
            _with_params(estimator, prior=prior).fit,
            X,
            y,
            match_any=("prior",),
            what=f"{name} with prior={prior}",
        )


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
    with _kernels("compiled"):
        compiled = _seeded(estimator).fit(X, y_weak)
        compiled_out = (
            compiled.predict_proba(X_test)
            if hasattr(compiled, "predict_proba")
            else compiled.predict(X_test)
        )
    with _kernels("reference"):
        reference = _seeded(estimator).fit(X, y_weak)
        reference_out = (
            reference.predict_proba(X_test)
            if hasattr(reference, "predict_proba")
            else reference.predict(X_test)
        )
    np.testing.assert_allclose(compiled_out, reference_out, rtol=1e-6, atol=1e-8)


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


SEMI_SUPERVISED_CHECKS = [
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


def family_checks():
    """Map each weak-label kind to its list of checks.

    The semi-supervised checks live in this module; every other family's are
    the ``CHECKS`` list of ``sklweak/utils/_checks_<kind>.py`` (``-`` in a kind
    name written ``_``), found by name.

    Returns
    -------
    checks : dict of str to list of callable
        ``{kind: [check(name, estimator), ...]}``.

    Examples
    --------
    >>> from sklweak.utils.estimator_checks import family_checks
    >>> {"semi-supervised", "pu", "noisy"} <= set(family_checks())
    True
    """
    from .. import utils

    checks = {"semi-supervised": SEMI_SUPERVISED_CHECKS}
    for info in pkgutil.iter_modules(utils.__path__):
        if info.name.startswith("_checks_"):
            module = importlib.import_module(f"{utils.__name__}.{info.name}")
            checks[info.name[len("_checks_") :].replace("_", "-")] = module.CHECKS
    return checks


def yield_weak_checks(estimator):
    """Yield the family checks that apply to ``estimator``.

    Parameters
    ----------
    estimator : estimator instance
        A sklweak estimator; its ``_weak_label_kind`` selects the checks.

    Yields
    ------
    check : callable
        ``check(name, estimator)``, raising ``AssertionError`` on failure.
    """
    kind = getattr(estimator, "_weak_label_kind", None)
    checks = family_checks()
    if kind not in checks:
        raise ValueError(
            f"{type(estimator).__name__} declares weak-label kind {kind!r}; checks "
            f"exist for {sorted(checks)}."
        )
    yield from checks[kind]


def check_weak_estimator(estimator):
    """Run every family check on ``estimator``; raise on the first failure.

    Parameters
    ----------
    estimator : estimator instance
        A sklweak estimator (unfitted).

    Raises
    ------
    AssertionError
        Naming the estimator and what went wrong.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak import SelfTrainingClassifier
    >>> from sklweak.utils.estimator_checks import check_weak_estimator
    >>> check_weak_estimator(SelfTrainingClassifier(LogisticRegression()))
    """
    name = type(estimator).__name__
    for check in yield_weak_checks(estimator):
        check(name, estimator)
