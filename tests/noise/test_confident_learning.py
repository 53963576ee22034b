"""The functional core: confident joint, noise matrices, issues, scores, CV."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from sklweak.datasets import make_noisy_labels
from sklweak.noise import (
    check_noisy_labels,
    compute_confident_joint,
    cross_val_pred_probs,
    estimate_noise_matrices,
    find_label_issues,
    label_quality_scores,
)

RULES = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
]
METHODS = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]


def noisy_problem(n_samples=3000, n_classes=4, noise_rate=0.3, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, n_classes, n_samples)
    probs = rng.dirichlet(np.full(n_classes, 0.5), size=n_samples)
    probs[np.arange(n_samples), y_true] += 1.0
    probs /= probs.sum(axis=1, keepdims=True)
    labels, flipped = make_noisy_labels(y_true, noise_rate=noise_rate, random_state=seed)
    return labels, probs.astype(dtype), flipped


def test_confident_joint_by_hand():
    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9], [0.95, 0.05]])
    labels = [0, 0, 1, 1, 1]
    # thresholds: class 0 -> 0.85, class 1 -> 0.55; row 1 is confident for none.
    np.testing.assert_array_equal(
        compute_confident_joint(labels, probs, calibrate=False), [[1, 0], [1, 2]]
    )
    calibrated = compute_confident_joint(labels, probs)
    np.testing.assert_array_equal(calibrated.sum(axis=1), [2, 3])


@pytest.mark.parametrize("rule", RULES)
def test_rules_find_flipped_labels(rule):
    labels, probs, flipped = noisy_problem()
    issues = find_label_issues(labels, probs, filter_by=rule)
    precision = (issues & flipped).sum() / issues.sum()
    recall = (issues & flipped).sum() / flipped.sum()
    assert precision > 0.7 and recall > 0.5


def test_rule_relations():
    labels, probs, _ = noisy_problem(seed=1)
    masks = {rule: find_label_issues(labels, probs, filter_by=rule) for rule in RULES}
    np.testing.assert_array_equal(
        masks["both"], masks["prune_by_class"] & masks["prune_by_noise_rate"]
    )
    for rule in RULES:
        assert not np.any(masks[rule] & (probs.argmax(axis=1) == labels))
        assert not np.any(masks[rule] & ~masks["predicted_neq_given"])


def test_frac_noise_and_min_examples_shrink_the_issues():
    labels, probs, _ = noisy_problem(seed=2)
    full = find_label_issues(labels, probs)
    half = find_label_issues(labels, probs, frac_noise=0.5)
    none = find_label_issues(labels, probs, frac_noise=0.0)
    assert none.sum() == 0 < half.sum() < full.sum()
    assert not np.any(half & ~full)


def test_ranked_indices_are_the_mask_sorted_by_quality():
    labels, probs, _ = noisy_problem(seed=3)
    mask = find_label_issues(labels, probs)
    for method in METHODS:
        ranked = find_label_issues(labels, probs, return_indices_ranked_by=method)
        np.testing.assert_array_equal(np.sort(ranked), np.flatnonzero(mask))
        scores = label_quality_scores(labels, probs, method=method)
        assert np.all(np.diff(scores[ranked]) >= 0)


def test_quality_scores_by_hand():
    probs = np.array([[0.7, 0.2, 0.1], [0.2, 0.5, 0.3]])
    labels = [0, 2]
    np.testing.assert_allclose(label_quality_scores(labels, probs), [0.7, 0.3])
    np.testing.assert_allclose(
        label_quality_scores(labels, probs, method="normalized_margin"),
        [(0.7 - 0.2 + 1) / 2, (0.3 - 0.5 + 1) / 2],
    )
    entropy = -(probs * np.log(probs)).sum(axis=1) / np.log(3)
    ratio = entropy / np.array([0.7, 0.3])
    np.testing.assert_allclose(
        label_quality_scores(labels, probs, method="confidence_weighted_entropy"),
        np.log1p(ratio) / ratio,
    )


def test_noise_matrices_recover_the_noise():
    labels, probs, _ = noisy_problem(n_samples=8000, noise_rate=0.2, seed=4)
    noise, inverse, prior = estimate_noise_matrices(labels, probs)
    np.testing.assert_allclose(noise.sum(axis=0), 1.0)
    np.testing.assert_allclose(inverse.sum(axis=0), 1.0)
    np.testing.assert_allclose(prior.sum(), 1.0)
    assert np.all(np.abs(np.diagonal(noise) - 0.8) < 0.1)


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_lower_precision_is_used_in_place(dtype):
    labels, probs, _ = noisy_problem(dtype=dtype, seed=5)
    before = probs.copy()
    assert check_noisy_labels(labels, probs).pred_probs is probs
    for rule in RULES:
        find_label_issues(labels, probs, filter_by=rule)
    np.testing.assert_array_equal(probs, before)


def test_same_values_same_issues_in_every_dtype():
    labels, probs, _ = noisy_problem(seed=6)
    exact = probs.astype(np.float16)
    masks = [
        find_label_issues(labels, exact.astype(dtype), filter_by="confident_learning")
        for dtype in (np.float16, np.float64)
    ]
    # Thresholds round to the input's precision, so only rows at a cutoff may differ.
    assert (masks[0] != masks[1]).sum() <= 3


@pytest.mark.parametrize(
    "labels, probs, message",
    [
        ([0, 1, 2], np.full((3, 2), 0.5), r"\[0, 2\)"),
        ([0, -1, 1], np.full((3, 2), 0.5), r"\[0, 2\)"),
        ([0, 1], np.full((3, 2), 0.5), "same samples"),
        ([0, 0, 0], np.full((3, 2), 0.5), "class 1 has no example"),
        ([0, 1, 1], np.array([[0.5, 0.5], [np.nan, 1.0], [0.5, 0.5]]), "row 1"),
        ([0, 1, 1], np.array([[0.5, 0.5], [0.5, 0.5], [0.4, 0.4]]), "row 2"),
        ([0, 1, 1], np.array([[0.5, 0.5], [1.5, -0.5], [0.5, 0.5]]), "row 1"),
        ([0.5, 1, 1], np.full((3, 2), 0.5), "integer"),
        (["a", "b", "b"], np.full((3, 2), 0.5), "integer"),
        ([0, 1, 1], np.full(3, 0.5), "2-D"),
    ],
)
def test_bad_input_is_rejected(labels, probs, message):
    with pytest.raises(ValueError, match=message):
        find_label_issues(labels, probs)


@pytest.mark.parametrize("n_classes", [3, 70])
@pytest.mark.parametrize(
    "function", [find_label_issues, compute_confident_joint, estimate_noise_matrices]
)
@pytest.mark.parametrize("fault", [np.nan, np.inf, -np.inf, -0.7, 0.3])
def test_the_first_bad_row_is_reported_before_any_result(function, n_classes, fault):
    # The rows are checked in the counting pass: same error, first bad row,
    # and no warning from the values read before it.
    rng = np.random.default_rng(n_classes)
    probs = rng.dirichlet(np.ones(n_classes), 300)
    labels = np.arange(300) % n_classes
    probs[[57, 120], 0] += fault
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"pred_probs row 57 is not a probability"):
            function(labels, probs)


def test_bad_options_are_rejected():
    labels, probs, _ = noisy_problem(n_samples=100)
    with pytest.raises(ValueError, match="filter_by"):
        find_label_issues(labels, probs, filter_by="prune")
    with pytest.raises(ValueError, match="frac_noise"):
        find_label_issues(labels, probs, frac_noise=2.0)
    with pytest.raises(ValueError, match="confident_joint"):
        find_label_issues(labels, probs, confident_joint=np.eye(2))


def test_cleanlab_parity():
    cleanlab_filter = pytest.importorskip("cleanlab.filter")
    cleanlab_count = pytest.importorskip("cleanlab.count")
    for dtype in (np.float16, np.float32, np.float64):
        labels, probs, _ = noisy_problem(n_samples=2000, n_classes=5, dtype=dtype, seed=7)
        np.testing.assert_array_equal(
            compute_confident_joint(labels, probs),
            cleanlab_count.compute_confident_joint(labels, probs),
        )
        for rule in RULES:
            np.testing.assert_array_equal(
                find_label_issues(labels, probs, filter_by=rule),
                cleanlab_filter.find_label_issues(labels, probs, filter_by=rule, n_jobs=1),
                err_msg=f"{rule} on {dtype.__name__}",
            )


def test_cross_val_pred_probs_is_out_of_sample_and_parallel_safe():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = np.where(X[:, 0] > 0, "yes", "no")
    serial = cross_val_pred_probs(LogisticRegression(), X, y, cv=4, random_state=0)
    parallel = cross_val_pred_probs(LogisticRegression(), X, y, cv=4, n_jobs=2, random_state=0)
    np.testing.assert_array_equal(serial, parallel)
    np.testing.assert_allclose(serial.sum(axis=1), 1.0)
    assert np.mean(serial.argmax(axis=1) == (y == "yes")) > 0.9
    folds = cross_val_pred_probs(LogisticRegression(), X, y, cv=KFold(3))
    assert folds.shape == (120, 2)
    with pytest.raises(ValueError, match="at least 200 samples"):
        cross_val_pred_probs(LogisticRegression(), X, y, cv=200)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_cleanlab_parity_many_classes_few_rows_and_ties(dtype):
    cleanlab_filter = pytest.importorskip("cleanlab.filter")
    rng = np.random.default_rng(11)
    n_classes, n_samples = 60, 900
    y_true = np.arange(n_samples) % n_classes
    probs = rng.dirichlet(np.full(n_classes, 0.3), n_samples)
    probs[np.arange(n_samples), y_true] += 0.5
    # Coarse rows put many samples on the same margins, at the cuts too.
    coarse = rng.random(n_samples) < 0.3
    probs[coarse] = np.round(probs[coarse] * 4) + 0.05
    probs /= probs.sum(axis=1, keepdims=True)
    labels, _ = make_noisy_labels(y_true, noise_rate=0.4, random_state=1)
    probs = probs.astype(dtype)
    for rule in ["prune_by_noise_rate", "prune_by_class", "both"]:
        np.testing.assert_array_equal(
            find_label_issues(labels, probs, filter_by=rule),
            cleanlab_filter.find_label_issues(labels, probs, filter_by=rule, n_jobs=1),
            err_msg=f"{rule} on {dtype.__name__}",
        )


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_cleanlab_parity_many_rows_per_cell_with_ties(dtype):
    # More rows than (given, true) cells: the selections are made in one pass
    # over the rows among those whose label is not top; coarse rows tie at the
    # cuts, low-confidence rows put rows whose label is top below them, and a
    # hand-made confident joint asks for more rows than the candidates hold.
    cleanlab_filter = pytest.importorskip("cleanlab.filter")
    rng = np.random.default_rng(5)
    n_classes, n_samples = 12, 3000
    y_true = rng.integers(0, n_classes, n_samples)
    probs = rng.dirichlet(np.full(n_classes, 0.4), n_samples)
    probs[np.arange(n_samples), y_true] += rng.uniform(0.0, 1.5, n_samples)
    coarse = rng.random(n_samples) < 0.3
    probs[coarse] = np.round(probs[coarse] * 3) + 0.05
    probs /= probs.sum(axis=1, keepdims=True)
    labels, _ = make_noisy_labels(y_true, noise_rate=0.35, random_state=2)
    probs = probs.astype(dtype)
    label_counts = np.bincount(labels, minlength=n_classes)
    heavy_joint = np.full((n_classes, n_classes), 1) + np.diag(label_counts)
    heavy_joint[0, 1:] = label_counts[0] // 3
    for joint in (None, heavy_joint):
        for rule in ["prune_by_noise_rate", "prune_by_class", "both"]:
            np.testing.assert_array_equal(
                find_label_issues(labels, probs, filter_by=rule, confident_joint=joint),
                cleanlab_filter.find_label_issues(
                    labels, probs, filter_by=rule, confident_joint=joint, n_jobs=1
                ),
                err_msg=f"{rule} on {dtype.__name__}, joint given: {joint is not None}",
            )


def _halves_problem():
    """Labels and probabilities whose raw confident joint is chosen cell by cell.

    Sample groups: ``raw[i, j]`` samples labeled ``i`` with 0.8 on class ``j``
    (confidently ``j``), plus ``unsure[i]`` samples labeled ``i`` that reach
    no threshold. Calibrating row 1 (16 confident samples, 20 labeled) gives
    ``(2.5, 12.5, 5)``: two exact halves, one of which must round up.
    """
    raw = np.array([[8, 3, 6], [2, 10, 4], [1, 3, 6]])
    unsure = {
        0: [[1 / 3, 1 / 3, 1 / 3]],
        1: [[0.38, 0.35, 0.27], [0.38, 0.34, 0.28], [0.38, 0.33, 0.29], [0.38, 0.32, 0.30]],
        2: [[1 / 3, 1 / 3, 1 / 3]],
    }
    labels, probs = [], []
    for given in range(3):
        for true in range(3):
            row = np.full(3, 0.1)
            row[true] = 0.8
            labels += [given] * raw[given, true]
            probs += [row] * raw[given, true]
        labels += [given] * len(unsure[given])
        probs += unsure[given]
    return np.array(labels), np.array(probs), raw


def test_calibration_rounds_tied_halves_like_cleanlab():
    labels, probs, raw = _halves_problem()
    np.testing.assert_array_equal(compute_confident_joint(labels, probs, calibrate=False), raw)
    label_counts = np.bincount(labels)
    scaled = raw / raw.sum(axis=1, keepdims=True) * label_counts[:, None]
    # The premise: the total depends on the order of addition (49 row by row,
    # 49 + 1 ulp column by column), and so does which half rounds up.
    assert scaled.sum() != np.ascontiguousarray(scaled.T).sum()
    joint = compute_confident_joint(labels, probs)
    np.testing.assert_array_equal(joint.sum(axis=1), label_counts)
    by_class = find_label_issues(labels, probs, filter_by="prune_by_class")
    # Class 1 flags the samples it does not keep: its six rows at p_1 = 0.1
    # and its unsure rows with the lowest p_1, none of them led by class 1.
    assert by_class[labels == 1].sum() == label_counts[1] - joint[1, 1]

    cleanlab_count = pytest.importorskip("cleanlab.count")
    cleanlab_filter = pytest.importorskip("cleanlab.filter")
    np.testing.assert_array_equal(joint, cleanlab_count.compute_confident_joint(labels, probs))
    for rule in ["prune_by_noise_rate", "prune_by_class", "both"]:
        np.testing.assert_array_equal(
            find_label_issues(labels, probs, filter_by=rule),
            cleanlab_filter.find_label_issues(labels, probs, filter_by=rule, n_jobs=1),
            err_msg=rule,
        )
