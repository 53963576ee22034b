"""ComplementaryLabelClassifier(model="mlp"): the torch backend of the same losses."""

import pickle
import warnings

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.utils.estimator_checks import (
    check_classifiers_train,
    check_estimators_pickle,
    check_fit_idempotent,
    check_methods_subset_invariance,
)

from sklweak.complementary import ComplementaryLabelClassifier
from sklweak.datasets import make_complementary_labels


def _mlp(**params):
    defaults = {
        "model": "mlp",
        "hidden_layer_sizes": (32,),
        "max_iter": 30,
        "learning_rate": 1e-2,
        "batch_size": 64,
        "device": "cpu",
        "random_state": 0,
    }
    defaults.update(params)
    return ComplementaryLabelClassifier(**defaults)


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def _data(n_classes=4, seed=0):
    X, y = make_classification(
        n_samples=800,
        n_features=8,
        n_informative=6,
        n_redundant=0,
        n_classes=n_classes,
        n_clusters_per_class=1,
        class_sep=2.0,
        random_state=seed,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=seed)


@pytest.mark.parametrize("loss", ["pc", "fwd", "ure", "ure_ga", "scl_nl", "scl_exp"])
def test_every_loss_learns_with_the_mlp(loss):
    X_train, X_test, y_train, y_test = _data()
    y_bar = make_complementary_labels(y_train, random_state=0)
    clf = _fit(_mlp(loss=loss), X_train, y_bar)
    assert clf.loss_ == loss and not hasattr(clf, "coef_")
    assert np.mean(clf.predict(X_test) == y_test) > 0.5  # chance is 0.25
    proba = clf.predict_proba(X_test)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1.0)
    assert clf.n_iter_ == len(clf.objective_curve_)
    assert clf.device_ == "cpu"


def test_biased_labels_with_the_true_matrix():
    X_train, X_test, y_train, y_test = _data()
    Q = np.array([[0, 0.6, 0.3, 0.1], [0.1, 0, 0.6, 0.3], [0.3, 0.1, 0, 0.6], [0.6, 0.3, 0.1, 0]])
    y_bar = make_complementary_labels(y_train, transition_matrix=Q, random_state=0)
    clf = _fit(_mlp(loss="fwd", transition_matrix=Q), X_train, y_bar)
    assert np.mean(clf.predict(X_test) == y_test) > 0.7


def test_several_complementary_labels():
    X_train, X_test, y_train, y_test = _data()
    Y_bar = make_complementary_labels(y_train, n_complementary=2, random_state=0)
    clf = _fit(_mlp(loss="scl_nl"), X_train, Y_bar)
    assert np.mean(clf.predict(X_test) == y_test) > 0.7
    with pytest.raises(ValueError, match="exactly one complementary label"):
        _mlp(loss="pc").fit(X_train, Y_bar)


def test_ordinary_labels_match_supervised_and_sample_weight_is_repetition():
    X_train, X_test, y_train, y_test = _data(seed=1)
    clf = _fit(_mlp(y_type="ordinary"), X_train, y_train)
    assert clf.loss_ == "ce"
    reference = LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test)
    assert clf.score(X_test, y_test) >= reference - 0.05
    weights = np.where(np.arange(len(y_train)) % 3 == 0, 2.0, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted = _mlp(y_type="ordinary").fit(X_train, y_train, sample_weight=weights)
    assert np.mean(weighted.predict(X_test) == y_test) >= reference - 0.05


def test_two_classes_decision_function_and_switching_backends():
    X_train, X_test, y_train, _ = _data(n_classes=2)
    clf = _fit(_mlp(y_type="ordinary"), X_train, y_train)
    scores = clf.decision_function(X_test)
    assert scores.shape == (len(X_test),)
    np.testing.assert_array_equal(clf.predict(X_test), (scores > 0).astype(int))
    np.testing.assert_allclose(clf.predict_proba(X_test)[:, 1], 1 / (1 + np.exp(-scores)))
    clf.set_params(model="linear").fit(X_train, y_train)
    assert hasattr(clf, "coef_") and not hasattr(clf, "net_")
    clf.set_params(model="mlp")
    _fit(clf, X_train, y_train)
    assert hasattr(clf, "net_") and not hasattr(clf, "coef_")


def test_same_seed_same_model_and_pickle():
    X_train, X_test, y_train, _ = _data()
    y_bar = make_complementary_labels(y_train, random_state=0)
    first = _fit(_mlp(), X_train, y_bar)
    second = _fit(_mlp(), X_train, y_bar)
    np.testing.assert_array_equal(first.predict_proba(X_test), second.predict_proba(X_test))
    restored = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(restored.predict_proba(X_test), first.predict_proba(X_test))


def test_convergence_warning_and_bad_parameters():
    X_train, _, y_train, _ = _data()
    y_bar = make_complementary_labels(y_train, random_state=0)
    with pytest.warns(ConvergenceWarning, match="model='mlp'"):
        _mlp(max_iter=2).fit(X_train, y_bar)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        _mlp(hidden_layer_sizes=(0,)).fit(X_train, y_bar)
    with pytest.raises(ValueError, match="model"):
        _mlp(model="forest").fit(X_train, y_bar)


@pytest.mark.parametrize(
    "check",
    [
        check_classifiers_train,
        check_estimators_pickle,
        check_fit_idempotent,
        check_methods_subset_invariance,
    ],
    ids=lambda check: check.__name__,
)
def test_sklearn_checks_on_ordinary_labels(check):
    estimator = ComplementaryLabelClassifier(
        model="mlp",
        y_type="ordinary",
        hidden_layer_sizes=(16,),
        max_iter=60,
        learning_rate=1e-2,
        device="cpu",
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(type(estimator).__name__, estimator)
