"""The project's own common checks, per weak-label family.

scikit-learn's ``check_estimator`` sees only ordinary labels. These checks
exercise what is specific to weak labels: full information behaves as
supervised learning, sentinels are parameters, inputs are never mutated,
fitted estimators pickle, ``random_state`` fixes the result whatever
``n_jobs``, bad weak labels are rejected before any work, probabilities are
valid, and compiled kernels agree with their references.

``FAMILY_CHECKS`` maps each weak-label kind to the ``CHECKS`` list of its
module ``sklweak/utils/_checks_<kind>.py``; the generic checks those lists
call are written once in ``sklweak/utils/_testing/_assertions.py``.
"""

from . import (
    _checks_annotators,
    _checks_complementary,
    _checks_label_model,
    _checks_labeling_functions,
    _checks_llp,
    _checks_noisy,
    _checks_pnu,
    _checks_pu,
    _checks_semi_supervised,
)

__all__ = ["FAMILY_CHECKS", "check_weak_estimator", "family_checks", "yield_weak_checks"]

# Each weak-label kind (an estimator's ``_weak_label_kind``) and its checks.
FAMILY_CHECKS = {
    "semi-supervised": _checks_semi_supervised.CHECKS,
    "pu": _checks_pu.CHECKS,
    "pnu": _checks_pnu.CHECKS,
    "noisy": _checks_noisy.CHECKS,
    "annotators": _checks_annotators.CHECKS,
    "labeling-functions": _checks_labeling_functions.CHECKS,
    "label-model": _checks_label_model.CHECKS,
    "complementary": _checks_complementary.CHECKS,
    "llp": _checks_llp.CHECKS,
}


def family_checks():
    """Map each weak-label kind to its list of checks.

    A copy of ``FAMILY_CHECKS``: each kind's ``CHECKS`` list of
    ``sklweak/utils/_checks_<kind>.py``.

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
    return {kind: list(checks) for kind, checks in FAMILY_CHECKS.items()}


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
