"""Label noise: confident learning and label-issue finding.

A functional core over ``(labels, pred_probs)`` (:func:`compute_confident_joint`,
:func:`estimate_noise_matrices`, :func:`find_label_issues`,
:func:`label_quality_scores`), out-of-sample probabilities through joblib
(:func:`cross_val_pred_probs`) and the estimator
:class:`ConfidentLearningClassifier` built on them.
"""

from ._classifier import ConfidentLearningClassifier
from ._confident_learning import (
    compute_confident_joint,
    estimate_noise_matrices,
    find_label_issues,
    label_quality_scores,
)
from ._cross_val import cross_val_pred_probs
from ._validation import check_noisy_labels

__all__ = [
    "ConfidentLearningClassifier",
    "check_noisy_labels",
    "compute_confident_joint",
    "cross_val_pred_probs",
    "estimate_noise_matrices",
    "find_label_issues",
    "label_quality_scores",
]
