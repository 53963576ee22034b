"""LLP inputs that used to slip through: a bag-id column alone, an absent class,
huge features, a misspelled device (issue 19, items 20, 21, 25, 26)."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from sklweak.llp import (
    EasyLLPClassifier,
    LLPBPClassifier,
    ProportionWeightedClassifier,
    make_bag_target,
)


def _bags(n_bags=6, bag_size=10, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_bags * bag_size, 3)
    bags = np.repeat(np.arange(n_bags), bag_size)
    return X, bags, rng


@pytest.mark.parametrize(
    "make",
    [
        EasyLLPClassifier,
        LLPBPClassifier,
        lambda: ProportionWeightedClassifier(LogisticRegression()),
    ],
    ids=["EasyLLP", "LLPBP", "ProportionWeighted"],
)
def test_bag_id_column_alone_is_refused(make):
    X, bags, _ = _bags()
    with pytest.raises(ValueError, match="make_bag_target"):
        make().fit(X, bags[:, np.newaxis])


@pytest.mark.parametrize(
    "make",
    [
        EasyLLPClassifier,
        LLPBPClassifier,
        lambda: ProportionWeightedClassifier(LogisticRegression()),
    ],
    ids=["EasyLLP", "LLPBP", "ProportionWeighted"],
)
@pytest.mark.parametrize("absent", [0, 1, 2])
def test_zero_proportion_class_keeps_every_output_shape(make, absent):
    X, bags, rng = _bags()
    shares = rng.dirichlet([1.0, 1.0], 6)
    proportions = np.insert(shares, absent, 0.0, axis=1)
    estimator = make().fit(X, make_bag_target(bags, proportions))
    scores = estimator.decision_function(X)
    assert estimator.classes_.shape == (3,)
    assert estimator.predict_proba(X).shape == (X.shape[0], 3)
    assert scores.shape == (X.shape[0], 3)
    assert not np.any(np.isnan(scores))
    assert np.array_equal(estimator.classes_[scores.argmax(axis=1)], estimator.predict(X))


@pytest.mark.parametrize("scale", [1e160, 1e300])
def test_llp_bp_huge_features_clear_error(scale):
    X, bags, rng = _bags()
    y = make_bag_target(bags, rng.rand(6))
    with pytest.raises(ValueError, match="overflow float64.*Scale the features"):
        LLPBPClassifier().fit(X * scale, y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_llp_bp_large_but_safe_features_fit():
    X, bags, rng = _bags()
    y = make_bag_target(bags, rng.rand(6))
    estimator = LLPBPClassifier().fit(X * 1e100, y)
    assert np.all(np.isfinite(estimator.predict_proba(X * 1e100)))


def test_easyllp_linear_checks_device():
    X, bags, rng = _bags()
    y = make_bag_target(bags, rng.rand(6))
    with pytest.raises(ValueError, match="EasyLLPClassifier: device"):
        EasyLLPClassifier(device="foo").fit(X, y)
    EasyLLPClassifier(device="cuda:0").fit(X, y)  # the linear model ignores it


def test_llp_bp_takes_sample_weight_and_names_any_other_fit_argument():
    from sklearn.utils.validation import has_fit_parameter

    X, bags, rng = _bags()
    y = make_bag_target(bags, rng.rand(6))
    with pytest.raises(TypeError, match=r"LLPBPClassifier.fit does not take \['weights'\]"):
        LLPBPClassifier().fit(X, y, weights=np.ones(X.shape[0]))
    assert has_fit_parameter(LLPBPClassifier(), "sample_weight")
