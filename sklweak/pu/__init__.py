"""Positive-unlabeled (PU) learning.

``y == pos_label`` (default 1) marks a labeled positive and any other value an
unlabeled sample, so ``{1, 0}``, ``{1, -1}`` and ``{True, False}`` targets all
work; predictions are ``neg_label`` or ``pos_label`` (default 0 and 1).
Estimators: :class:`ElkanNotoClassifier`, :class:`BaggingPUClassifier`,
:class:`NNPUClassifier`, :class:`SARPUClassifier` (labeling that depends on the
features), and :class:`PNUClassifier` for positives, negatives
and unlabeled samples together (``y`` then uses ``pos_label``, ``neg_label``
and ``unlabeled_label=-1``); the class prior: :func:`estimate_class_prior`; model selection
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
from ._pnu import PNUClassifier
from ._sar import SARPUClassifier

__all__ = [
    "BaggingPUClassifier",
    "ElkanNotoClassifier",
    "NNPUClassifier",
    "PNUClassifier",
    "PUStratifiedKFold",
    "SARPUClassifier",
    "estimate_class_prior",
    "lee_liu_score",
    "make_pu_scorer",
    "pu_accuracy_score",
    "pu_roc_auc_score",
]
