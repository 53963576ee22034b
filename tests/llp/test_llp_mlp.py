"""The MLP options of the LLP family: LLP-BP's learner and embedding refinement,
EasyLLP's ``model="mlp"`` and the torch soft-label loss behind both."""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("skorch")

import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklweak.datasets import make_bags
from sklweak.llp import EasyLLPClassifier, LLPBPClassifier, soft_label_loss
from sklweak.llp._soft_mlp import SoftLabelMLPClassifier
from sklweak.neural import SoftLabelLoss
from sklweak.utils._testing import expected_failed_checks
from sklweak.utils.estimator_checks import yield_weak_checks

# Small and quick, yet trained enough for scikit-learn's accuracy checks.
TINY = {"hidden_layer_sizes": (8,), "max_iter": 10, "learning_rate": 0.05, "device": "cpu"}


def _bp(**params):
    defaults = {"estimator": "mlp", "mlp_params": dict(TINY), "random_state": 0}
    defaults.update(params)
    return LLPBPClassifier(**defaults)


def _easy(**params):
    defaults = {"model": "mlp", "random_state": 0, **TINY}
    defaults.update(params)
    return EasyLLPClassifier(**defaults)


def _quiet_fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


@pytest.fixture(scope="module")
def bags():
    X, y = make_classification(
        n_samples=240,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        class_sep=2.0,
        random_state=0,
    )
    _, Y, classes = make_bags(X, y, bag_size=4, random_state=0)
    return X, y, Y, classes


# --- the torch loss equals the NumPy one -------------------------------------------

_rows = st.integers(1, 6).flatmap(
    lambda n: st.tuples(
        arrays(np.float64, (n, 3), elements=st.floats(-8, 8)),
        arrays(np.float64, (n, 3), elements=st.floats(-4, 4)),
    )
)


@settings(max_examples=40, deadline=None)
@given(_rows, st.sampled_from(["log", "squared"]))
def test_torch_soft_label_loss_equals_numpy(rows, loss):
    logits, raw = rows
    # Rows summing to 1 with entries of both signs, like EasyLLP's debiased labels.
    soft = raw - raw.mean(axis=1, keepdims=True) + 1.0 / 3.0
    value, gradient = soft_label_loss(logits, soft, loss)
    z = torch.tensor(logits, requires_grad=True)
    per_sample = SoftLabelLoss(loss).per_sample(z, torch.tensor(soft))
    per_sample.sum().backward()
    np.testing.assert_allclose(per_sample.detach().numpy(), value, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(z.grad.numpy(), gradient, rtol=1e-7, atol=1e-9)


def test_torch_loss_weights_the_mean():
    logits = torch.tensor([[0.0, 1.0], [2.0, -1.0]], dtype=torch.float64)
    soft = torch.tensor([[0.2, 0.8], [1.5, -0.5]], dtype=torch.float64)
    criterion = SoftLabelLoss("log")
    per_sample = criterion.per_sample(logits, soft)
    target = torch.cat([soft, torch.tensor([[3.0], [0.0]], dtype=torch.float64)], dim=1)
    assert criterion(logits, target).item() == pytest.approx(3.0 * per_sample[0].item() / 2)
    with pytest.raises(ValueError, match="loss"):
        SoftLabelLoss("hinge")


# --- LLP-BP with the MLP learner ---------------------------------------------------


def test_importing_sklweak_does_not_import_torch():
    code = (
        "import sys, sklweak, sklweak.llp\n"
        "sklweak.llp.LLPBPClassifier(estimator='mlp')\n"
        "sklweak.llp.EasyLLPClassifier(model='mlp')\n"
        "assert 'torch' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_refinement_builds_the_next_graph_on_the_embedding(bags, monkeypatch):
    X, _, Y, classes = bags
    seen = []
    build = LLPBPClassifier._similarity_graph

    def spy(self, Z):
        seen.append(np.array(Z, copy=True))
        return build(self, Z)

    monkeypatch.setattr(LLPBPClassifier, "_similarity_graph", spy)
    clf = _quiet_fit(_bp(n_rounds=2, classes=classes), X, Y)
    assert len(seen) == 2
    np.testing.assert_array_equal(seen[0], X)
    assert seen[1].shape == (X.shape[0], TINY["hidden_layer_sizes"][-1])
    np.testing.assert_allclose(np.linalg.norm(seen[1], axis=1)[np.any(seen[1], axis=1)], 1.0)
    assert isinstance(clf.estimator_, SoftLabelMLPClassifier)
    assert clf.n_iter_.shape == (2, 1)

    seen.clear()
    _quiet_fit(_bp(n_rounds=2, classes=classes, embedding_refinement=False), X, Y)
    assert len(seen) == 1


def test_labels_give_the_supervised_mlp(bags):
    X, y, _, _ = bags
    clf = _quiet_fit(_bp(), X, y)
    alone = _quiet_fit(SoftLabelMLPClassifier(random_state=0, **TINY), X, y)
    np.testing.assert_array_equal(clf.pseudo_labels_, np.eye(2)[y])
    np.testing.assert_allclose(clf.predict_proba(X), alone.predict_proba(X), atol=1e-6)


def test_mlp_learner_learns_from_bags_and_pickles(bags):
    X, y, Y, classes = bags
    params = {"hidden_layer_sizes": (16,), "max_iter": 30, "learning_rate": 1e-2, "device": "cpu"}
    clf = _quiet_fit(_bp(classes=classes, mlp_params=params, n_rounds=2), X, Y)
    assert (clf.predict(X) == y).mean() > 0.85
    again = _quiet_fit(_bp(classes=classes, mlp_params=params, n_rounds=2), X, Y)
    np.testing.assert_array_equal(clf.predict_proba(X), again.predict_proba(X))
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert 0.8 < clf.score(X, Y) <= 1.0  # bag-level: 1 - mean absolute proportion error


def test_bad_mlp_params_are_rejected(bags):
    X, y, _, _ = bags
    with pytest.raises(ValueError, match="mlp_params has unknown keys"):
        _bp(mlp_params={"hidden_units": 3}).fit(X, y)
    with pytest.raises(ValueError, match="random_state"):
        _bp(mlp_params={"random_state": 3}).fit(X, y)
    with pytest.raises(ValueError, match="only used with estimator='mlp'"):
        LLPBPClassifier(mlp_params={"max_iter": 3}).fit(X, y)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        _bp(mlp_params={"hidden_layer_sizes": (0,)}).fit(X, y)
    with pytest.raises(ValueError, match="one class"):
        SoftLabelMLPClassifier().fit(X, np.zeros(X.shape[0]))


# --- EasyLLP with the MLP ------------------------------------------------------------


def test_easyllp_mlp_learns_and_repeats(bags):
    X, y, Y, classes = bags
    params = {"hidden_layer_sizes": (16,), "max_iter": 30, "learning_rate": 1e-2}
    clf = _quiet_fit(_easy(classes=classes, **params), X, Y)
    assert (clf.predict(X) == y).mean() > 0.85
    assert not hasattr(clf, "coef_")
    assert clf.decision_function(X).shape == (X.shape[0],)
    again = _quiet_fit(_easy(classes=classes, **params), X, Y)
    np.testing.assert_array_equal(clf.predict_proba(X), again.predict_proba(X))
    linear = clf.set_params(model="linear").fit(X, Y)
    assert hasattr(linear, "coef_") and not hasattr(linear, "net_")


def test_easyllp_mlp_warns_at_max_iter_and_multiclass(bags):
    X, _, _, _ = bags
    y3 = np.arange(X.shape[0]) % 3
    _, Y, classes = make_bags(X, y3, bag_size=6, random_state=0)
    with pytest.warns(ConvergenceWarning, match="model='mlp'"):
        clf = _easy(classes=classes, tol=0.0).fit(X, Y)
    assert clf.predict_proba(X).shape == (X.shape[0], 3)
    assert np.all(np.isfinite(clf.predict_proba(X)))


# --- scikit-learn's and the family's checks on both options ---------------------------


@parametrize_with_checks([_bp(), _easy()], expected_failed_checks=expected_failed_checks)
def test_sklearn_checks_mlp_options(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


@pytest.mark.parametrize("estimator", [_bp(), _easy()], ids=["LLPBP-mlp", "EasyLLP-mlp"])
def test_family_checks_mlp_options(estimator):
    for check in yield_weak_checks(estimator):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            check(type(estimator).__name__, estimator)
