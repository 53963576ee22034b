"""sample_weight in ELRClassifier (weighted per-row loss) and MultiAnnotatorClassifier."""

import importlib.util

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from sklweak.datasets import simulate_annotators
from sklweak.noise import ELRClassifier, MultiAnnotatorClassifier, dawid_skene, estimate_consensus

needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("skorch") is None,
    reason="ELR needs torch and skorch",
)


def _noisy_problem(n_samples=45, seed=0):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=seed,
    )
    return X, y


def _elr(**params):
    defaults = {
        "hidden_layer_sizes": (8,),
        "max_iter": 10,
        "tol": None,
        "batch_size": 1000,
        "learning_rate": 1e-2,
        "device": "cpu",
        "random_state": 0,
    }
    return ELRClassifier(**{**defaults, **params})


@needs_torch
def test_elr_weighted_loss_is_the_loss_of_repeated_rows():
    import torch

    from sklweak.neural._elr_loss import ELRLoss

    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(4, 3, generator=generator, dtype=torch.float64)
    labels = np.array([0, 2, 1, 1])
    counts = np.array([2, 1, 0, 3])
    relative = counts * (4 / counts.sum())
    weighted = ELRLoss(n_samples=4, n_classes=3)(
        logits, torch.as_tensor(np.column_stack([labels, np.arange(4), relative]))
    )
    n_repeated = counts.sum()
    repeated = ELRLoss(n_samples=n_repeated, n_classes=3)(
        logits.repeat_interleave(torch.as_tensor(counts), dim=0),
        torch.as_tensor(np.column_stack([np.repeat(labels, counts), np.arange(n_repeated)])),
    )
    assert torch.allclose(weighted, repeated)


@needs_torch
def test_elr_integer_weights_equal_repeated_rows_in_one_batch():
    X, y = _noisy_problem()
    weights = np.random.RandomState(0).randint(0, 4, size=y.shape[0])
    weighted = _elr().fit(X, y, sample_weight=weights)
    repeated = _elr().fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=2e-5)
    np.testing.assert_allclose(weighted.feature_scale_, repeated.feature_scale_)


@needs_torch
def test_elr_weights_change_the_model_and_equal_weights_do_not():
    X, y = _noisy_problem()
    plain = _elr(batch_size=16).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(
        _elr(batch_size=16).fit(X, y, sample_weight=np.ones(y.shape[0])).predict_proba(X), plain
    )
    weights = np.where(y == 0, 5.0, 0.5)
    changed = _elr(batch_size=16).fit(X, y, sample_weight=weights).predict_proba(X)
    assert np.abs(changed - plain).max() > 1e-3


@needs_torch
@pytest.mark.parametrize(
    "weights, message",
    [(-np.ones(45), "Negative values"), (np.ones(44), "sample_weight.shape")],
)
def test_elr_bad_weights_are_refused_before_training(weights, message):
    X, y = _noisy_problem()
    clf = _elr()
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y, sample_weight=weights)
    assert not hasattr(clf, "net_")


def _annotated_problem(seed=0):
    X, y = make_classification(
        n_samples=60,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=seed,
    )
    annotations, _ = simulate_annotators(
        y, n_annotators=5, accuracy=(0.5, 0.9), labels_per_example=3, random_state=seed
    )
    return X, y, annotations


def _fold_of_each_row(n_samples, n_folds=3):
    return np.arange(n_samples) % n_folds


def _folds(fold_of_row):
    return [
        (np.flatnonzero(fold_of_row != k), np.flatnonzero(fold_of_row == k))
        for k in np.unique(fold_of_row)
    ]


@pytest.mark.parametrize("method", ["crowdlab", "majority_vote", "dawid_skene"])
def test_consensus_statistics_with_integer_weights_equal_repeated_rows(method):
    X, _, annotations = _annotated_problem()
    probs = LogisticRegression().fit(X, annotations.max(axis=1)).predict_proba(X)
    weights = np.random.RandomState(0).randint(0, 4, size=X.shape[0])
    weighted = estimate_consensus(annotations, probs, method=method, sample_weight=weights)
    repeated = estimate_consensus(
        np.repeat(annotations, weights, axis=0), np.repeat(probs, weights, axis=0), method=method
    )
    np.testing.assert_array_equal(
        np.repeat(weighted.consensus_label, weights), repeated.consensus_label
    )
    np.testing.assert_allclose(
        np.repeat(weighted.consensus_quality, weights), repeated.consensus_quality, rtol=1e-10
    )
    np.testing.assert_allclose(weighted.annotator_quality, repeated.annotator_quality, rtol=1e-10)
    unweighted = estimate_consensus(annotations, probs, method=method)
    assert not np.allclose(weighted.annotator_quality, unweighted.annotator_quality)


def test_dawid_skene_weighted_prior_and_confusions_equal_repeated_rows():
    _, _, annotations = _annotated_problem(seed=1)
    weights = np.random.RandomState(1).randint(0, 3, size=annotations.shape[0])
    weighted = dawid_skene(annotations, sample_weight=weights)
    repeated = dawid_skene(np.repeat(annotations, weights, axis=0))
    assert weighted.n_iter == repeated.n_iter
    np.testing.assert_allclose(weighted.class_prior, repeated.class_prior, rtol=1e-10)
    np.testing.assert_allclose(weighted.confusion_matrices, repeated.confusion_matrices, rtol=1e-10)


@pytest.mark.parametrize("method", ["crowdlab", "dawid_skene"])
def test_multiannotator_integer_weights_equal_repeated_rows_on_the_same_folds(method):
    X, _, annotations = _annotated_problem()
    weights = np.random.RandomState(2).randint(0, 4, size=X.shape[0])
    fold_of_row = _fold_of_each_row(X.shape[0])
    learner = LogisticRegression(tol=1e-10, max_iter=10_000)
    weighted = MultiAnnotatorClassifier(learner, method=method, cv=_folds(fold_of_row))
    weighted.fit(X, annotations, sample_weight=weights)
    repeated = MultiAnnotatorClassifier(
        learner, method=method, cv=_folds(np.repeat(fold_of_row, weights))
    ).fit(np.repeat(X, weights, axis=0), np.repeat(annotations, weights, axis=0))
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-6)
    np.testing.assert_allclose(weighted.annotator_quality_, repeated.annotator_quality_, atol=1e-6)
    np.testing.assert_array_equal(
        np.repeat(weighted.consensus_label_, weights), repeated.consensus_label_
    )


def test_multiannotator_weights_change_the_model_and_ones_do_not():
    X, _, annotations = _annotated_problem()
    clf = MultiAnnotatorClassifier(LogisticRegression(), cv=3, random_state=0)
    plain = clf.fit(X, annotations).predict_proba(X)
    ones = clf.fit(X, annotations, sample_weight=np.ones(X.shape[0])).predict_proba(X)
    np.testing.assert_allclose(ones, plain, rtol=1e-7)
    weights = np.where(np.arange(X.shape[0]) < 20, 8.0, 0.25)
    changed = clf.fit(X, annotations, sample_weight=weights).predict_proba(X)
    assert np.abs(changed - plain).max() > 1e-2


@pytest.mark.parametrize(
    "estimator, weights, message",
    [
        (LogisticRegression(), -np.ones(60), "Negative values"),
        (LogisticRegression(), np.ones(59), "sample_weight.shape"),
        (KNeighborsClassifier(), np.ones(60), "KNeighborsClassifier takes no sample_weight"),
    ],
)
def test_multiannotator_bad_weights_are_refused_before_any_fit(estimator, weights, message):
    X, _, annotations = _annotated_problem()
    clf = MultiAnnotatorClassifier(estimator, cv=3)
    with pytest.raises(ValueError, match=message):
        clf.fit(X, annotations, sample_weight=weights)
    assert not hasattr(clf, "estimator_")
    assert not hasattr(clf, "pred_probs_")
