"""Multi-label confident learning, per class, against cleanlab's masks."""

import numpy as np
import pytest

from sklweak.noise import find_multilabel_issues, multilabel_quality_scores

RULES = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
]


def _tags(n_samples=1500, n_classes=5, seed=0):
    rng = np.random.RandomState(seed)
    true = (rng.rand(n_samples, n_classes) < rng.uniform(0.1, 0.5, n_classes)).astype(int)
    probs = np.where(true == 1, rng.beta(5, 2, true.shape), rng.beta(2, 5, true.shape))
    noisy = true.copy()
    flip = rng.rand(*true.shape) < 0.1
    noisy[flip] = 1 - noisy[flip]
    return true, noisy, probs, flip


@pytest.mark.parametrize("rule", RULES)
def test_same_masks_as_cleanlab(rule):
    cleanlab_filter = pytest.importorskip("cleanlab.multilabel_classification.filter")
    _, noisy, probs, _ = _tags()
    lists = [list(np.flatnonzero(row)) for row in noisy]
    theirs = cleanlab_filter.find_label_issues(lists, probs, filter_by=rule)
    np.testing.assert_array_equal(find_multilabel_issues(noisy, probs, filter_by=rule), theirs)


def test_per_class_mask_finds_flipped_tags():
    _, noisy, probs, flip = _tags()
    before = noisy.copy(), probs.copy()
    per_tag = find_multilabel_issues(noisy, probs, per_class=True)
    assert per_tag.shape == noisy.shape
    precision = (per_tag & flip).sum() / per_tag.sum()
    assert precision > 0.5
    np.testing.assert_array_equal(per_tag.any(axis=1), find_multilabel_issues(noisy, probs))
    np.testing.assert_array_equal(noisy, before[0])
    np.testing.assert_array_equal(probs, before[1])


def test_constant_class_flags_nothing():
    _, noisy, probs, _ = _tags()
    noisy[:, 2] = 1
    assert not find_multilabel_issues(noisy, probs, per_class=True)[:, 2].any()


def test_quality_scores_rank_flipped_samples_low():
    _, noisy, probs, flip = _tags()
    wrong = flip.any(axis=1)
    for method in ["min", "mean", "softmin", "ema"]:
        scores = multilabel_quality_scores(noisy, probs, method=method)
        assert np.all((scores >= 0) & (scores <= 1))
        assert scores[wrong].mean() < scores[~wrong].mean()
    low, soft, mean = (
        multilabel_quality_scores(noisy, probs, method=m) for m in ["min", "softmin", "mean"]
    )
    assert np.all(low <= soft + 1e-12) and np.all(soft <= mean + 1e-12)


def test_bad_input_rejected():
    _, noisy, probs, _ = _tags(n_samples=50)
    with pytest.raises(ValueError, match="0 and 1"):
        find_multilabel_issues(noisy * 2, probs)
    with pytest.raises(ValueError, match="shape"):
        find_multilabel_issues(noisy, probs[:, :-1])
    bad = probs.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"\(3, 1\)"):
        find_multilabel_issues(noisy, bad)
    with pytest.raises(ValueError, match="2-D"):
        multilabel_quality_scores(noisy[:, 0], probs[:, 0])


@pytest.mark.parametrize(
    "tag_score", ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]
)
def test_ranked_issues_and_scores_match_cleanlab(tag_score):
    cleanlab_filter = pytest.importorskip("cleanlab.multilabel_classification.filter")
    cleanlab_rank = pytest.importorskip("cleanlab.multilabel_classification.rank")
    _, noisy, probs, _ = _tags(n_samples=800)
    lists = [list(np.flatnonzero(row)) for row in noisy]
    np.testing.assert_allclose(
        multilabel_quality_scores(noisy, probs, method="ema", tag_score=tag_score),
        cleanlab_rank.get_label_quality_scores(lists, probs, method=tag_score),
        rtol=0,
        atol=1e-12,
    )
    np.testing.assert_array_equal(
        find_multilabel_issues(
            noisy, probs, filter_by="prune_by_noise_rate", return_indices_ranked_by=tag_score
        ),
        cleanlab_filter.find_label_issues(
            lists, probs, return_indices_ranked_by=tag_score, n_jobs=1
        ),
    )


def test_ranked_issues_are_the_flagged_samples_worst_first():
    _, noisy, probs, _ = _tags(n_samples=800)
    mask = find_multilabel_issues(noisy, probs)
    ranked = find_multilabel_issues(noisy, probs, return_indices_ranked_by="self_confidence")
    assert ranked.dtype == np.int64
    np.testing.assert_array_equal(np.sort(ranked), np.flatnonzero(mask))
    scores = multilabel_quality_scores(noisy, probs, method="ema")
    assert np.all(np.diff(scores[ranked]) >= 0)
    with pytest.raises(ValueError, match="per_class"):
        find_multilabel_issues(
            noisy, probs, per_class=True, return_indices_ranked_by="self_confidence"
        )
    with pytest.raises(ValueError, match="return_indices_ranked_by"):
        find_multilabel_issues(noisy, probs, return_indices_ranked_by="margin")


def test_ema_pooling_by_hand():
    tags = np.array([[1, 1, 1]])
    probs = np.array([[0.9, 0.5, 0.1]])
    # Sorted best to worst: 0.9, 0.5, 0.1; alpha=0.5: (0.9 + 0.5) / 2 = 0.7,
    # then (0.7 + 0.1) / 2 = 0.4.
    score = multilabel_quality_scores(tags, probs, method="ema", alpha=0.5)
    np.testing.assert_allclose(score, [0.4])
    assert multilabel_quality_scores(tags, probs, method="ema", alpha=1.0)[0] == 0.1
    assert multilabel_quality_scores(tags, probs, method="ema", alpha=0.0)[0] == 0.9
