"""Every public estimator faces malformed inputs: a valid fit or a clear error.

Hypothesis draws where each break lands (which cell gets the NaN, which row
is kept, ...); ``sklweak.utils._malformed_inputs`` holds the cases and the
verdict rules. ``benchmarks/bench_malformed_inputs.py`` counts the cases tried.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklweak.datasets._problems import PROBLEM_KINDS
from sklweak.utils import all_estimators, default_instance
from sklweak.utils._malformed_inputs import CASES, run_case

# A label model's X is the vote matrix, not features: its malformed votes are
# checked by sklweak/utils/_checks_label_model.py and tests/labeling.
_X_IS_NOT_FEATURES = {"label-model"}
ESTIMATORS = [
    (name, default_instance(cls))
    for name, cls in all_estimators()
    if getattr(cls, "_weak_label_kind", None) not in (None, *_X_IS_NOT_FEATURES)
]


def _fast(estimator):
    params = estimator.get_params()
    for name, value in (("max_epochs", 2), ("n_estimators", 3), ("max_iter", 20)):
        if name in params and isinstance(params[name], int) and params[name] > value:
            estimator.set_params(**{name: value})
    return estimator


def test_every_estimator_kind_has_a_problem():
    kinds = {est._weak_label_kind for _, est in ESTIMATORS}
    assert kinds <= set(PROBLEM_KINDS)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("name, estimator", ESTIMATORS, ids=[n for n, _ in ESTIMATORS])
@settings(max_examples=2)
@given(seed=st.integers(0, 2**16))
def test_malformed_input_fits_or_fails_clearly(name, estimator, case, seed):
    outcome = run_case(_fast(estimator), case, estimator._weak_label_kind, seed=seed)
    assert outcome.verdict in ("fit", "clear error"), f"{name}: {outcome.detail}"
