"""NNPUClassifier: sample_weight weights the linear model's risk; device is checked on every backend."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from sklweak.datasets import make_pu
from sklweak.pu import NNPUClassifier


def _data(seed=0):
    X, y = make_classification(
        n_samples=800, n_features=6, n_informative=4, class_sep=1.5, random_state=seed
    )
    y_pu, _ = make_pu(X, y, label_frequency=0.4, random_state=seed)
    return X, y, y_pu


def test_unit_weights_give_the_unweighted_model():
    X, _, y_pu = _data()
    plain = NNPUClassifier(prior=0.5, random_state=0).fit(X, y_pu)
    unit = NNPUClassifier(prior=0.5, random_state=0).fit(X, y_pu, sample_weight=np.ones(len(y_pu)))
    np.testing.assert_array_equal(plain.coef_, unit.coef_)
    np.testing.assert_array_equal(plain.intercept_, unit.intercept_)


def test_zero_weights_silence_corrupted_rows():
    X, y, y_pu = _data()
    rng = np.random.default_rng(0)
    # Negatives marked as labeled positives: a corrupted positive set.
    negatives = np.flatnonzero(y == 0)
    corrupted = rng.choice(negatives, size=len(negatives) // 2, replace=False)
    y_bad = y_pu.copy()
    y_bad[corrupted] = 1
    weights = np.ones(len(y))
    weights[corrupted] = 0.0
    clean = np.setdiff1d(np.arange(len(y)), corrupted)
    prior = float(y[clean].mean())
    plain = NNPUClassifier(prior=0.75, random_state=0).fit(X, y_bad)
    weighted = NNPUClassifier(prior=prior, random_state=0).fit(X, y_bad, sample_weight=weights)
    subset = NNPUClassifier(prior=prior, random_state=0).fit(X[clean], y_bad[clean])
    accuracy = weighted.score(X[clean], y[clean])
    assert accuracy == pytest.approx(subset.score(X[clean], y[clean]), abs=0.05)
    assert accuracy > plain.score(X[clean], y[clean]) + 0.05


def test_weights_that_drop_every_labeled_positive_are_refused():
    X, _, y_pu = _data()
    weights = np.where(y_pu == 1, 0.0, 1.0)
    with pytest.raises(ValueError, match="labeled positives zero total weight"):
        NNPUClassifier(prior=0.5).fit(X, y_pu, sample_weight=weights)


def test_mlp_refuses_sample_weight_with_a_clear_error():
    X, _, y_pu = _data()
    with pytest.raises(ValueError, match="model='mlp'.*sample_weight"):
        NNPUClassifier(prior=0.5, model="mlp").fit(X, y_pu, sample_weight=np.ones(len(y_pu)))


@pytest.mark.parametrize("model", ["linear", "mlp"])
def test_a_misspelled_device_fails_at_fit_on_either_backend(model):
    X, _, y_pu = _data()
    with pytest.raises(ValueError, match="NNPUClassifier: device must be"):
        NNPUClassifier(prior=0.5, model=model, device="foo").fit(X, y_pu)
