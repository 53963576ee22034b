"""The torch-free neural base: one standardization rule, the fit loop wrapper's errors and warnings."""

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from sklweak.datasets import make_pu
from sklweak.neural._base import (
    check_hidden_layer_sizes,
    feature_standardization,
    mlp_parameter_constraints,
)
from sklweak.pu import NNPUClassifier


def _with_constant_column(value=0.1, n_samples=90):
    X, y = make_classification(n_samples=n_samples, n_features=4, random_state=0)
    return np.column_stack([X, np.full(n_samples, value)]), y


def test_rounding_noise_on_a_constant_column_is_not_a_scale():
    X, _ = _with_constant_column()
    uniform = np.full(len(X), 1.0 / len(X))
    for weights in (None, uniform):
        mean, scale = feature_standardization(X, weights)
        assert scale[-1] == 1.0
        assert np.all(scale[:-1] > 0.1)
        assert mean[-1] == pytest.approx(0.1)


def test_weighted_standardization_equals_repeated_rows():
    X, _ = _with_constant_column()
    counts = np.arange(len(X)) % 3 + 1
    mean, scale = feature_standardization(X, counts / counts.sum())
    repeated_mean, repeated_scale = feature_standardization(np.repeat(X, counts, axis=0))
    np.testing.assert_allclose(mean, repeated_mean, atol=1e-12)
    np.testing.assert_allclose(scale, repeated_scale, atol=1e-12)


@pytest.mark.parametrize(
    "model",
    [
        "linear",
        pytest.param(
            "mlp",
            marks=pytest.mark.skipif(
                importlib.util.find_spec("torch") is None, reason="the MLP needs torch"
            ),
        ),
    ],
)
def test_nnpu_constant_feature_keeps_unit_scale(model):
    # The old rule (scale == 0) kept the rounding noise (about 2e-16) as the
    # scale, so a tiny change of the constant column blew the scores up.
    X, y = _with_constant_column()
    y_pu, _ = make_pu(X, y, label_frequency=0.5, random_state=0)
    clf = NNPUClassifier(
        prior=0.5, model=model, hidden_layer_sizes=(4,), max_iter=5, device="cpu", random_state=0
    )
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y_pu)
    scale = clf.feature_scale_ if model == "mlp" else None
    if scale is not None:
        assert scale[-1] == 1.0
    shifted = X.copy()
    shifted[:, -1] += 1e-6
    np.testing.assert_allclose(clf.decision_function(shifted), clf.decision_function(X), atol=1e-4)


def test_hidden_layer_sizes_check():
    assert check_hidden_layer_sizes([3, 2]) == (3, 2)
    assert check_hidden_layer_sizes(()) == ()
    with pytest.raises(ValueError, match="positive integers"):
        check_hidden_layer_sizes((3, 0))
    with pytest.raises(ValueError, match="at least one"):
        check_hidden_layer_sizes((), at_least_one=True)


def test_constraints_are_shared_and_overridable():
    constraints = mlp_parameter_constraints("tol", "alpha", tol=["x"])
    assert constraints["tol"] == ["x"]
    assert constraints["alpha"] is mlp_parameter_constraints("alpha")["alpha"]
    with pytest.raises(KeyError):
        mlp_parameter_constraints("not_a_parameter")


def test_importing_the_base_and_the_package_does_not_import_torch():
    code = (
        "import sys, sklweak, sklweak.neural, sklweak.neural._base; print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]


def test_fit_net_warns_and_raises_with_the_estimator_name():
    pytest.importorskip("torch")
    pytest.importorskip("skorch")
    from sklweak.noise import ELRClassifier

    X, y = _with_constant_column()
    with pytest.warns(ConvergenceWarning, match="ELRClassifier stopped at max_iter=2.*tol=None"):
        ELRClassifier(hidden_layer_sizes=(4,), max_iter=2, device="cpu", random_state=0).fit(X, y)
    huge = ELRClassifier(
        hidden_layer_sizes=(4,), learning_rate=1e30, max_iter=3, device="cpu", random_state=0
    )
    with pytest.raises(ValueError, match="ELRClassifier training diverged"):
        huge.fit(X, y)
