"""DeepLDSClassifier: a network embedding alternating with low-density separation."""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.datasets import make_blobs, make_moons
from sklearn.exceptions import ConvergenceWarning

from sklweak.lowdensity import DeepLDSClassifier, TSVMClassifier
from sklweak.lowdensity._deep_lds import pseudo_label_certainty


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def _model(**params):
    defaults = {"hidden_layer_sizes": (32,), "device": "cpu", "random_state": 0}
    defaults.update(params)
    return DeepLDSClassifier(**defaults)


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def _few_labels(y, per_class, seed=0):
    rng = np.random.RandomState(seed)
    y_weak = np.full_like(y, -1)
    for cls in np.unique(y):
        chosen = rng.choice(np.flatnonzero(y == cls), per_class, replace=False)
        y_weak[chosen] = cls
    return y_weak


def _error(model, y, y_weak):
    unlabeled = y_weak == -1
    return float(np.mean(model.transduction_[unlabeled] != y[unlabeled]))


@pytest.mark.parametrize("seed", [0, 1])
def test_beats_supervised_network_on_two_moons(seed):
    X, y = make_moons(n_samples=300, noise=0.1, random_state=seed)
    y_weak = _few_labels(y, 3, seed)
    supervised = _fit(_model(max_iter=0), X, y_weak)
    deep = _fit(_model(max_iter=4), X, y_weak)
    assert _error(deep, y, y_weak) < _error(supervised, y, y_weak)
    assert _error(deep, y, y_weak) < 0.1


def test_beats_supervised_network_on_two_clusters():
    # Two elongated clusters whose few labels sit at the far ends: the labeled
    # samples alone put the boundary through the clusters, the gap says otherwise.
    rng = np.random.RandomState(0)
    X = np.vstack(
        [
            rng.normal(size=(150, 2)) * [0.4, 2.0] + [-1.5, 0.0],
            rng.normal(size=(150, 2)) * [0.4, 2.0] + [1.5, 0.0],
        ]
    )
    y = np.repeat([0, 1], 150)
    y_weak = np.full_like(y, -1)
    y_weak[np.argmax(X[:150, 1])] = 0
    y_weak[150 + np.argmin(X[150:, 1])] = 1
    supervised = _fit(_model(max_iter=0), X, y_weak)
    deep = _fit(_model(max_iter=4), X, y_weak)
    assert _error(deep, y, y_weak) < _error(supervised, y, y_weak)


def test_same_random_state_same_result():
    X, y = make_moons(n_samples=200, noise=0.1, random_state=0)
    y_weak = _few_labels(y, 4)
    first = _fit(_model(max_iter=2), X, y_weak)
    second = _fit(_model(max_iter=2), X, y_weak)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    np.testing.assert_array_equal(first.embedding_, second.embedding_)
    assert first.history_ == second.history_


def test_embedding_changes_across_rounds():
    X, y = make_moons(n_samples=200, noise=0.1, random_state=0)
    y_weak = _few_labels(y, 4)
    before = _fit(_model(max_iter=0), X, y_weak).embedding_
    after_one = _fit(_model(max_iter=1), X, y_weak)
    after_three = _fit(_model(max_iter=3, tol=0.0), X, y_weak)
    assert after_one.embedding_.shape == (200, 32)
    assert not np.allclose(before, after_one.embedding_)
    assert not np.allclose(after_one.embedding_, after_three.embedding_)
    np.testing.assert_allclose(after_three.embed(X), after_three.embedding_)
    assert 2 <= after_three.n_iter_ == len(after_three.history_) <= 3
    assert after_three.history_[0]["changed"] == 1.0


def test_attributes_and_probabilities():
    X, y = make_blobs(n_samples=240, centers=3, cluster_std=1.0, random_state=0)
    y_weak = _few_labels(y, 3)
    model = _fit(_model(max_iter=2), X, y_weak)
    np.testing.assert_array_equal(model.classes_, [0, 1, 2])
    assert model.device_ == "cpu"
    proba = model.predict_proba(np.vstack([X, np.full((2, 2), 1e4)]))
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), model.transduction_)
    labeled = y_weak != -1
    np.testing.assert_array_equal(model.pseudo_labels_[labeled], y_weak[labeled])
    np.testing.assert_array_equal(model.pseudo_label_certainty_[labeled], 1.0)
    assert np.all((model.pseudo_label_certainty_ >= 0) & (model.pseudo_label_certainty_ <= 1))
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict_proba(X), model.predict_proba(X))


def test_string_classes_and_other_sentinel():
    X, y = make_moons(n_samples=150, noise=0.1, random_state=0)
    y_weak = _few_labels(y, 3)
    reference = _fit(_model(max_iter=1), X, y_weak).predict(X)
    names = np.array(["left", "right"], dtype=object)
    y_str = np.where(y_weak == -1, "?", names[np.clip(y_weak, 0, 1)]).astype(object)
    model = _fit(_model(max_iter=1, unlabeled_label="?"), X, y_str)
    np.testing.assert_array_equal(model.predict(X), names[reference])


def test_other_separator():
    X, y = make_moons(n_samples=150, noise=0.1, random_state=0)
    y_weak = _few_labels(y, 3)
    model = _fit(_model(max_iter=1, separator=TSVMClassifier()), X, y_weak)
    assert isinstance(model.separator_, TSVMClassifier)
    assert model.separator_.unlabeled_label == -1


def test_convergence_warning_and_tol_stop():
    X, y = make_moons(n_samples=150, noise=0.1, random_state=0)
    y_weak = _few_labels(y, 3)
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        _model(max_iter=1, tol=0.0).fit(X, y_weak)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = _model(max_iter=20, tol=1.0).fit(X, y_weak)
    assert model.n_iter_ == 1


def test_fully_labeled_warns_and_fits_supervised():
    X, y = make_moons(n_samples=150, noise=0.1, random_state=0)
    with pytest.warns(UserWarning, match="no unlabeled"):
        model = _model().fit(X, y)
    assert model.n_iter_ == 0 and model.separator_ is None
    assert np.mean(model.predict(X) == y) > 0.85


def test_bad_input_rejected():
    X, y = make_moons(n_samples=60, noise=0.1, random_state=0)
    y_weak = _few_labels(y, 3)
    with pytest.raises(ValueError, match="class"):
        _model().fit(X, np.where(y_weak == 1, -1, y_weak))
    with pytest.raises(ValueError, match="labeled"):
        _model().fit(X, np.full_like(y, -1))
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        _model(hidden_layer_sizes=()).fit(X, y_weak)
    with pytest.raises(ValueError, match="max_iter"):
        _model(max_iter=-1).fit(X, y_weak)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        _model().fit(X_nan, y_weak)
    X_before, y_before = X.copy(), y_weak.copy()
    model = _fit(_model(max_iter=1), X, y_weak)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y_weak, y_before)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :1])


def test_pseudo_label_certainty():
    certainty = pseudo_label_certainty([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0.0]])
    np.testing.assert_allclose(certainty, [1.0, 0.0, 1.0 - np.log(2) / np.log(3)], atol=1e-12)


def test_import_does_not_import_torch():
    code = "import sys, sklweak, sklweak.lowdensity; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
