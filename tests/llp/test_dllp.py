"""DLLPClassifier: learns from bag proportions, supervised on 1-D labels, rejects bad input."""

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

from sklweak.datasets import make_bags
from sklweak.llp import (
    DLLPClassifier,
    make_bag_target,
    mean_absolute_proportion_error,
)


def _model(**params):
    defaults = {
        "hidden_layer_sizes": (16,),
        "max_iter": 40,
        "learning_rate": 3e-3,
        "device": "cpu",
        "random_state": 0,
    }
    defaults.update(params)
    return DLLPClassifier(**defaults)


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def _split(n_classes=2, seed=0):
    X, y = make_classification(
        n_samples=600,
        n_features=6,
        n_informative=4,
        n_redundant=0,
        n_classes=n_classes,
        n_clusters_per_class=1,
        class_sep=1.5,
        random_state=seed,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=seed)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_learns_from_bags_better_than_chance(n_classes):
    X_train, X_test, y_train, y_test = _split(n_classes)
    _, y_bag, _ = make_bags(X_train, y_train, bag_size=10, method="clustered", random_state=0)
    clf = _fit(_model(), X_train, y_bag)
    assert list(clf.classes_) == list(range(n_classes))
    accuracy = np.mean(clf.predict(X_test) == y_test)
    assert accuracy > 1.0 / n_classes + 0.25
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), n_classes)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1.0)
    assert clf.n_iter_ == len(clf.loss_curve_) >= 1
    assert clf.device_ == "cpu"


def test_random_bags_still_teach_the_model():
    X_train, X_test, y_train, y_test = _split(2, seed=1)
    _, y_bag, _ = make_bags(X_train, y_train, bag_size=4, random_state=0)
    clf = _fit(_model(max_iter=60), X_train, y_bag)
    assert np.mean(clf.predict(X_test) == y_test) > 0.7


def test_one_dimensional_y_is_supervised():
    X_train, X_test, y_train, y_test = _split(3)
    labels = np.array(["a", "b", "c"], dtype=object)[y_train]
    clf = _fit(_model(), X_train, labels)
    assert list(clf.classes_) == ["a", "b", "c"]
    accuracy = np.mean(clf.predict(X_test) == np.array(["a", "b", "c"])[y_test])
    reference = LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test)
    assert accuracy >= reference - 0.05
    # Singleton bags with one-hot rows are the same problem: the same model.
    singletons = make_bag_target(np.arange(len(y_train)), np.eye(3)[y_train])
    other = _fit(_model(), X_train, singletons)
    np.testing.assert_allclose(
        other.predict_proba(X_test), clf.predict_proba(X_test), rtol=1e-5, atol=1e-6
    )


def test_same_seed_same_model_and_inputs_untouched():
    X_train, X_test, y_train, _ = _split(2)
    _, y_bag, _ = make_bags(X_train, y_train, bag_size=5, random_state=0)
    X_copy, y_copy = X_train.copy(), y_bag.copy()
    first = _fit(_model(dropout=0.2), X_train, y_bag).predict_proba(X_test)
    second = _fit(_model(dropout=0.2), X_train, y_bag).predict_proba(X_test)
    third = _fit(_model(dropout=0.2, random_state=1), X_train, y_bag).predict_proba(X_test)
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first, third)
    np.testing.assert_array_equal(X_train, X_copy)
    np.testing.assert_array_equal(y_bag, y_copy)


def test_bag_level_score_and_pickle():
    X_train, X_test, y_train, _ = _split(2)
    _, y_bag, _ = make_bags(X_train, y_train, bag_size=5, random_state=0)
    clf = _fit(_model(), X_train, y_bag)
    expected = 1.0 - mean_absolute_proportion_error(y_bag, clf.predict_proba(X_train))
    assert clf.score(X_train, y_bag) == pytest.approx(expected)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X_test), clf.predict_proba(X_test))


def test_declared_classes_name_the_columns():
    X_train, _, y_train, _ = _split(2)
    _, y_bag, _ = make_bags(X_train, y_train, bag_size=5, random_state=0)
    clf = _fit(_model(classes=["no", "yes"]), X_train, y_bag)
    assert set(clf.predict(X_train)) <= {"no", "yes"}


def test_stops_on_plateau_or_warns():
    X_train, _, y_train, _ = _split(2)
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        _model(max_iter=2).fit(X_train, y_train)
    clf = _model(max_iter=200, tol=10.0, n_iter_no_change=3).fit(X_train, y_train)
    assert clf.n_iter_ == 4


@pytest.mark.parametrize(
    "y, match",
    [
        (np.column_stack([np.zeros(10), np.full(10, 0.7), np.full(10, 0.7)]), "sum to 1"),
        (np.column_stack([np.arange(10) // 5, np.full(10, 1.5), np.full(10, -0.5)]), r"\[0, 1\]"),
        (np.zeros(10), "one class"),
        (np.linspace(0, 1, 10), "continuous"),
    ],
)
def test_bad_bag_targets_are_rejected(y, match):
    X = np.random.RandomState(0).normal(size=(10, 3))
    with pytest.raises(ValueError, match=match):
        _model().fit(X, y)


def test_bad_inputs_are_rejected(monkeypatch):
    import torch

    X = np.random.RandomState(0).normal(size=(10, 3))
    y = np.arange(10) % 2
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        _model(hidden_layer_sizes=(4, 0)).fit(X, y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        _model().fit(X_nan, y)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="GPU"):
        _model(device="cuda").fit(X, y)
    clf = _fit(_model(max_iter=2), X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :2])
