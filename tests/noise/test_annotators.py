"""Majority vote, Dawid-Skene, the CROWDLAB consensus and the converters."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning

from sklweak.datasets import simulate_annotators
from sklweak.noise import (
    dawid_skene,
    estimate_consensus,
    from_long_format,
    from_nan_matrix,
    majority_vote,
)


def _crowd(n_samples=600, n_classes=4, n_annotators=8, per_example=3, seed=0):
    rng = np.random.RandomState(seed)
    y = rng.randint(n_classes, size=n_samples)
    annotations, accuracies = simulate_annotators(
        y,
        n_annotators=n_annotators,
        accuracy=(0.5, 0.95),
        labels_per_example=per_example,
        random_state=seed,
    )
    # A classifier that is right 80% of the time, confident when right.
    probs = rng.dirichlet(np.ones(n_classes), size=n_samples)
    right = rng.rand(n_samples) < 0.8
    probs[right, y[right]] += 2.0
    probs /= probs.sum(axis=1, keepdims=True)
    return y, annotations, accuracies, probs


def test_majority_vote_ties():
    annotations = np.array([[0, 1, -1], [2, 2, 1], [1, 0, -1]])
    assert majority_vote(annotations).tolist() == [0, 2, 0]
    probs = np.array([[0.2, 0.7, 0.1], [0.1, 0.8, 0.1], [0.5, 0.2, 0.3]])
    # Ties go to the tied class with the highest probability; no tie, no change.
    assert majority_vote(annotations, pred_probs=probs).tolist() == [1, 2, 0]


def test_majority_vote_missing_label_parameter():
    annotations = np.array([[0, 1, 1], [2, 2, 1], [1, 0, 0]])
    moved = np.array([[0, 9, 1], [2, 2, 9], [9, 0, 0]])
    assert majority_vote(moved, missing_label=9).tolist() == [0, 2, 0]
    with pytest.raises(ValueError, match="no label"):
        majority_vote(np.full((2, 2), 9), missing_label=9)
    assert majority_vote(annotations).tolist() == [1, 2, 0]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_majority_vote_ignores_annotator_order(seed):
    rng = np.random.RandomState(seed)
    y = rng.randint(3, size=40)
    y[:3] = [0, 1, 2]
    annotations, _ = simulate_annotators(y, n_annotators=5, labels_per_example=2, random_state=seed)
    shuffled = annotations[:, rng.permutation(5)]
    np.testing.assert_array_equal(majority_vote(annotations), majority_vote(shuffled))
    counts = np.stack([(annotations == k).sum(axis=1) for k in range(3)], axis=1)
    winner = majority_vote(annotations)
    assert np.all(counts[np.arange(40), winner] == counts.max(axis=1))


def test_dawid_skene_recovers_annotators():
    y, annotations, _, _ = _crowd(n_samples=2000, per_example=5)
    result = dawid_skene(annotations)
    assert result.posterior.shape == (2000, 4)
    np.testing.assert_allclose(result.posterior.sum(axis=1), 1.0)
    estimated = np.einsum("ajj,j->a", result.confusion_matrices, result.class_prior)
    realized = [
        np.mean(annotations[annotations[:, a] != -1, a] == y[annotations[:, a] != -1])
        for a in range(annotations.shape[1])
    ]
    np.testing.assert_allclose(estimated, realized, atol=0.05)
    assert np.mean(result.consensus_label == y) >= np.mean(majority_vote(annotations) == y)


def test_dawid_skene_warns_at_max_iter():
    _, annotations, _, _ = _crowd()
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        result = dawid_skene(annotations, max_iter=1)
    assert result.n_iter == 1


def test_crowdlab_beats_majority_vote_and_scores_are_valid():
    y, annotations, accuracies, probs = _crowd(per_example=2)
    result = estimate_consensus(annotations, probs)
    vote = majority_vote(annotations, pred_probs=probs)
    assert np.mean(result.consensus_label == y) > np.mean(vote == y)
    for scores in (result.consensus_quality, result.annotator_quality):
        assert np.all((scores >= 0) & (scores <= 1))
    correct = result.consensus_label == y
    assert result.consensus_quality[correct].mean() > result.consensus_quality[~correct].mean()
    ranks = np.argsort(np.argsort(result.annotator_quality))
    truth = np.argsort(np.argsort(accuracies))
    assert np.corrcoef(ranks, truth)[0, 1] > 0.5
    np.testing.assert_allclose(result.post_pred_probs.sum(axis=1), 1.0)


@pytest.mark.parametrize("method", ["crowdlab", "majority_vote", "dawid_skene"])
def test_every_method_returns_the_same_fields(method):
    y, annotations, _, probs = _crowd()
    before = annotations.copy(), probs.copy()
    result = estimate_consensus(annotations, probs, method=method)
    np.testing.assert_array_equal(annotations, before[0])
    np.testing.assert_array_equal(probs, before[1])
    assert result.consensus_label.shape == (600,)
    assert result.annotator_quality.shape == (8,)
    assert np.mean(result.consensus_label == y) > 0.8
    assert np.all(np.isfinite(result.consensus_quality))


def test_crowdlab_matches_cleanlab():
    multiannotator = pytest.importorskip("cleanlab.multiannotator")
    _, annotations, _, probs = _crowd(seed=3)
    ours = estimate_consensus(annotations, probs)
    nan_matrix = np.where(annotations == -1, np.nan, annotations.astype(float))
    theirs = multiannotator.get_label_quality_multiannotator(
        nan_matrix, probs, verbose=False, return_weights=True
    )
    table = theirs["label_quality"]
    np.testing.assert_array_equal(ours.consensus_label, table["consensus_label"])
    np.testing.assert_allclose(ours.consensus_quality, table["consensus_quality_score"])
    np.testing.assert_allclose(
        ours.annotator_quality,
        theirs["annotator_stats"].sort_index()["annotator_quality"],
    )
    np.testing.assert_allclose(ours.model_weight, theirs["model_weight"])
    np.testing.assert_allclose(ours.annotator_weight, theirs["annotator_weight"])


def test_single_annotator_consensus_is_its_labels():
    rng = np.random.RandomState(0)
    labels = rng.randint(3, size=50)
    probs = rng.dirichlet(np.ones(3), size=50)
    result = estimate_consensus(labels[:, None], probs)
    np.testing.assert_array_equal(result.consensus_label, labels)


def test_bad_input_rejected():
    _, annotations, _, probs = _crowd()
    nobody = annotations.copy()
    nobody[7] = -1
    with pytest.raises(ValueError, match="Row 7"):
        estimate_consensus(nobody, probs)
    with pytest.raises(ValueError, match="columns"):
        estimate_consensus(annotations, probs[:, :3] / probs[:, :3].sum(1, keepdims=True))
    with pytest.raises(ValueError, match="shape"):
        estimate_consensus(annotations, probs[:-1])
    bad = probs.copy()
    bad[2, 0] = np.nan
    with pytest.raises(ValueError, match="row 2"):
        estimate_consensus(annotations, bad)
    with pytest.raises(ValueError, match="2-D"):
        majority_vote(annotations[:, 0])
    with pytest.raises(ValueError, match="method"):
        estimate_consensus(annotations, probs, method="vote")


def test_annotator_labels_outside_the_classes_rejected():
    _, annotations, _, probs = _crowd()
    n_classes = probs.shape[1]
    wrong = annotations.copy()
    wrong[5, np.flatnonzero(wrong[5] >= 0)[0]] = n_classes
    message = rf"holds class {n_classes} but pred_probs has {n_classes} columns"
    with pytest.raises(ValueError, match=message):
        estimate_consensus(wrong, probs)
    with pytest.raises(ValueError, match=message):
        majority_vote(wrong, pred_probs=probs)
    with pytest.raises(ValueError, match=rf"but n_classes={n_classes}"):
        dawid_skene(wrong, n_classes=n_classes)
    negative = annotations.copy()
    negative[5, np.flatnonzero(negative[5] >= 0)[0]] = -3
    with pytest.raises(ValueError, match="found -3"):
        estimate_consensus(negative, probs)


def test_from_long_format():
    tasks = ["b", "a", "a", "c", "b"]
    workers = [2, 1, 2, 1, 1]
    labels = ["dog", "cat", "cat", "dog", "cat"]
    matrix, task_ids, worker_ids, classes = from_long_format(tasks, workers, labels)
    assert task_ids.tolist() == ["a", "b", "c"] and worker_ids.tolist() == [1, 2]
    assert classes.tolist() == ["cat", "dog"]
    assert matrix.tolist() == [[0, 0], [0, 1], [1, -1]]
    assert majority_vote(matrix).tolist() == [0, 0, 1]
    with pytest.raises(ValueError, match="more than once"):
        from_long_format(["a", "a"], [1, 1], [0, 1])
    with pytest.raises(ValueError, match="same length"):
        from_long_format(["a", "b"], [1], [0, 1])


def test_from_nan_matrix():
    matrix = np.array([[0.0, np.nan, 2.0], [np.nan, 1.0, 1.0]])
    copy = matrix.copy()
    assert from_nan_matrix(matrix).tolist() == [[0, -1, 2], [-1, 1, 1]]
    assert from_nan_matrix(matrix, missing_label=-7).tolist() == [[0, -7, 2], [-7, 1, 1]]
    np.testing.assert_array_equal(matrix, copy)
    with pytest.raises(ValueError, match="integer"):
        from_nan_matrix([[0.5, 1.0]])
    with pytest.raises(ValueError, match="missing_label"):
        from_nan_matrix([[0.0, 1.0]], missing_label=1)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_consensus_ignores_annotator_order(seed):
    _, annotations, _, probs = _crowd(
        n_samples=120, n_classes=3, n_annotators=5, per_example=2, seed=seed % 1000
    )
    order = np.random.RandomState(seed).permutation(5)
    first = estimate_consensus(annotations, probs)
    second = estimate_consensus(annotations[:, order], probs)
    np.testing.assert_array_equal(first.consensus_label, second.consensus_label)
    np.testing.assert_allclose(first.consensus_quality, second.consensus_quality)
    np.testing.assert_allclose(first.annotator_quality[order], second.annotator_quality)


def test_consensus_without_pred_probs_where_the_method_does_not_use_them():
    _, annotations, _, probs = _crowd()
    with_probs = estimate_consensus(annotations, probs, method="dawid_skene")
    without = estimate_consensus(annotations, None, method="dawid_skene")
    np.testing.assert_array_equal(with_probs.consensus_label, without.consensus_label)
    np.testing.assert_allclose(with_probs.annotator_quality, without.annotator_quality)
    vote = estimate_consensus(annotations, None, method="majority_vote")
    np.testing.assert_array_equal(vote.consensus_label, majority_vote(annotations))
    with pytest.raises(ValueError, match="crowdlab' needs pred_probs"):
        estimate_consensus(annotations, None)


def test_consensus_repr_is_a_short_summary():
    _, annotations, _, probs = _crowd()
    result = estimate_consensus(annotations, probs)
    text = repr(result)
    assert len(text) < 400
    assert "consensus_label=<int64 array of shape (600,)>" in text
    assert f"model_weight={result.model_weight!r}" in text
    labels, *_ = result
    assert labels is result.consensus_label
    assert "posterior=<float64 array of shape (600, 4)>" in repr(dawid_skene(annotations))


def test_from_nan_matrix_reads_a_wide_table_of_string_labels():
    pd = pytest.importorskip("pandas")
    table = pd.DataFrame(
        {
            "ann": ["cat", None, "dog", "cat"],
            "bob": [np.nan, "dog", "cat", "bird"],
            "eve": pd.array(["dog", pd.NA, "dog", "cat"], dtype="string"),
        }
    )
    before = table.copy()
    matrix, classes = from_nan_matrix(table, return_classes=True)
    assert classes.tolist() == ["bird", "cat", "dog"]
    assert matrix.tolist() == [[1, -1, 2], [-1, 2, -1], [2, 1, 2], [1, 0, 1]]
    np.testing.assert_array_equal(from_nan_matrix(table), matrix)
    pd.testing.assert_frame_equal(table, before)
    consensus = estimate_consensus(matrix, None, method="majority_vote")
    assert classes[consensus.consensus_label].tolist() == ["cat", "dog", "dog", "cat"]


def test_from_nan_matrix_refuses_mixed_or_colliding_labels():
    with pytest.raises(ValueError, match="mixes numbers and other labels"):
        from_nan_matrix([[1, "a"], [np.nan, "b"]])
    with pytest.raises(ValueError, match="collides with a class index"):
        from_nan_matrix([["a", "b"]], missing_label=0)
    _, classes = from_nan_matrix([[0, np.nan], [2.0, 1.0]], return_classes=True)
    assert classes.tolist() == [0, 1, 2]
