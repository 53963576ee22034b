"""Label noise: confident learning, label-issue finding and annotators' consensus.

A functional core over ``(labels, pred_probs)`` (:func:`compute_confident_joint`,
:func:`estimate_noise_matrices`, :func:`find_label_issues`,
:func:`label_quality_scores`), out-of-sample probabilities through joblib
(:func:`cross_val_pred_probs`) and the estimator
:class:`ConfidentLearningClassifier` built on them; several annotators'
labels (:func:`majority_vote`, :func:`dawid_skene`, :func:`estimate_consensus`,
the converters :func:`from_long_format` and :func:`from_nan_matrix`) and
:class:`MultiAnnotatorClassifier`, which learns from them end to end;
:class:`NoiseRobustClassifier`, which trains any classifier on noisy labels
(relabeling, weighting, pruning or a robust loss); and
multi-label tags (:func:`find_multilabel_issues`, :func:`multilabel_quality_scores`).
"""

from ._annotators import (
    Consensus,
    DawidSkene,
    dawid_skene,
    estimate_consensus,
    from_long_format,
    from_nan_matrix,
    majority_vote,
)
from ._classifier import ConfidentLearningClassifier
from ._confident_learning import (
    compute_confident_joint,
    estimate_noise_matrices,
    find_label_issues,
    label_quality_scores,
)
from ._cross_val import cross_val_pred_probs
from ._elr import ELRClassifier
from ._multiannotator import MultiAnnotatorClassifier
from ._multilabel import find_multilabel_issues, multilabel_quality_scores
from ._robust import NoiseRobustClassifier
from ._validation import check_noisy_labels

__all__ = [
    "ConfidentLearningClassifier",
    "Consensus",
    "DawidSkene",
    "ELRClassifier",
    "MultiAnnotatorClassifier",
    "NoiseRobustClassifier",
    "check_noisy_labels",
    "compute_confident_joint",
    "cross_val_pred_probs",
    "dawid_skene",
    "estimate_consensus",
    "estimate_noise_matrices",
    "find_label_issues",
    "find_multilabel_issues",
    "from_long_format",
    "from_nan_matrix",
    "label_quality_scores",
    "majority_vote",
    "multilabel_quality_scores",
]
