"""What the family checks share: data, seeding, and the generic checks.

The generic checks (inputs not mutated, pickle round trip, same
``random_state`` same result whatever ``n_jobs``, predict is the most probable
class, bad input and bad priors rejected) are written once here; each
family's ``sklweak/utils/_checks_<kind>.py`` gives them its problem (from
``sklweak/datasets/_problems.py``) and adds the few checks only its kind has.
"""

import pickle

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.utils import get_tags

from ...datasets._problems import split_standardized

FULL_INFORMATION_TOLERANCE = 0.05


def _breast_cancer_split():
    return split_standardized("breast_cancer", test_size=0.5)


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
