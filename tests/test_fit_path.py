"""One fit path: every estimator's fit validates through BaseWeakClassifier, then _fit."""

import inspect

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression

from sklweak.base import BaseWeakClassifier
from sklweak.noise import ConfidentLearningClassifier, NoiseRobustClassifier
from sklweak.self_training import (
    AssembleClassifier,
    CoForestClassifier,
    CoTrainingClassifier,
    SelfTrainingClassifier,
    SemiBoostClassifier,
    SETREDClassifier,
    TriTrainingClassifier,
)
from sklweak.semi_supervised import SafeSemiSupervisedClassifier
from sklweak.utils import all_estimators

# Registered estimators whose fit does not go through BaseWeakClassifier, each
# with why (issue 16 item 5): none since the labeling family joined the path.
STILL_OWN_FIT: dict = {}

SELF_LABELED = [
    AssembleClassifier,
    CoForestClassifier,
    CoTrainingClassifier,
    SelfTrainingClassifier,
    SemiBoostClassifier,
    SETREDClassifier,
    TriTrainingClassifier,
    SafeSemiSupervisedClassifier,
]


def test_only_the_listed_estimators_keep_their_own_fit():
    own_fit = {name for name, cls in all_estimators() if not issubclass(cls, BaseWeakClassifier)}
    assert own_fit <= set(STILL_OWN_FIT)


def own_fit_overrides():
    """``{name: source}`` of each registered estimator's ``fit`` defined below the base."""
    found = {}
    for name, cls in all_estimators():
        mro = cls.__mro__
        below = mro[: mro.index(BaseWeakClassifier)] if BaseWeakClassifier in mro else mro
        for klass in below:
            if "fit" in vars(klass):
                found[name] = inspect.getsource(vars(klass)["fit"])
                break
    return found


def bypasses_the_shared_fit(source):
    """A ``fit`` that validates itself instead of calling ``super().fit`` (or, to
    route metadata, ``_validate_fit_data`` and ``_fit``)."""
    validates_itself = "validate_data(" in source.replace("_validate_fit_data(", "")
    delegates = "super().fit(" in source or "self._validate_fit_data(" in source
    return validates_itself or not delegates


def test_a_fit_override_goes_through_the_shared_validation():
    bypass = {
        name for name, source in own_fit_overrides().items() if bypasses_the_shared_fit(source)
    }
    assert not bypass, f"fit overrides that bypass BaseWeakClassifier.fit: {sorted(bypass)}"


def test_the_bypass_rule_catches_a_fit_of_its_own():
    assert bypasses_the_shared_fit("def fit(self, X, y):\n    X, y = validate_data(self, X, y)\n")
    assert bypasses_the_shared_fit("def fit(self, X, y):\n    self.classes_ = y\n")
    assert not bypasses_the_shared_fit("def fit(self, X, y=None):\n    return super().fit(X, y)\n")


@pytest.mark.parametrize("meta", SELF_LABELED)
def test_regressor_rejected_before_the_data_is_read(meta):
    # X holds strings: reading it would fail; the estimator check comes first.
    with pytest.raises(ValueError, match="estimator"):
        meta(estimator=LinearRegression()).fit([["a", "b"], ["c", "d"]], [0, 1])


@pytest.mark.parametrize("meta", SELF_LABELED)
def test_sparse_lil_input_is_accepted(meta):
    from scipy import sparse

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    y = np.where(rng.rand(40) < 0.5, (X[:, 0] > 0).astype(int), -1)
    y[:4] = [0, 1, 0, 1]
    fitted = meta(estimator=LogisticRegression()).fit(sparse.lil_matrix(X), y)
    assert fitted.predict(X).shape == (40,)


@pytest.mark.parametrize("meta", [ConfidentLearningClassifier, NoiseRobustClassifier])
def test_noisy_meta_estimators_read_nan_as_their_estimator_does(meta):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    X[0, 1] = np.nan
    fitted = meta(estimator=HistGradientBoostingClassifier(max_iter=5)).fit(X, y)
    assert fitted.predict(X).shape == (60,)
    with pytest.raises(ValueError, match="NaN"):
        meta(estimator=LogisticRegression()).fit(X, y)
