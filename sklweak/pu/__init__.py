"""Positive-unlabeled (PU) learning.

``y == pos_label`` (default 1) marks a labeled positive and any other value an
unlabeled sample, so ``{1, 0}``, ``{1, -1}`` and ``{True, False}`` targets all
work; predictions are ``neg_label`` or ``pos_label`` (default 0 and 1).
Estimators: :class:`ElkanNotoClassifier`, :class:`BaggingPUClassifier`,
:class:`NNPUClassifier`; the class prior: :func:`estimate_class_prior`; model selection
without negatives: :class:`PUStratifiedKFold` and :func:`make_pu_scorer`.
"""

from ._bagging import BaggingPUClassifier
from ._class_prior import estimate_class_prior
from ._elkan_noto import ElkanNotoClassifier
from ._model_selection import (
    PUStratifiedKFold,
    lee_liu_score,
    make_pu_scorer,
    pu_accuracy_score,
    pu_roc_auc_score,
)
from ._nnpu import NNPUClassifier

__all__ = [
    "BaggingPUClassifier",
    "ElkanNotoClassifier",
    "NNPUClassifier",
    "PUStratifiedKFold",
    "estimate_class_prior",
    "lee_liu_score",
    "make_pu_scorer",
    "pu_accuracy_score",
    "pu_roc_auc_score",
]
