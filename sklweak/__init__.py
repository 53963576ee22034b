"""sklweak: scikit-learn-compatible estimators that learn from weak labels.

Few labels, only positives, label proportions per group, labels saying what a
sample is not, or labels that cannot be trusted: each family is a set of
fit/predict estimators sharing one label contract (see the README). torch is
never imported here; the neural estimators live in ``sklweak.neural``.
"""

from ._show_versions import show_versions
from .complementary import (
    ComplementaryLabelClassifier,
    complementary_risk,
    make_complementary_scorer,
)
from .graph import LabelPropagation, LabelSpreading
from .noise import (
    ConfidentLearningClassifier,
    MultiAnnotatorClassifier,
    cross_val_pred_probs,
    estimate_consensus,
    find_label_issues,
    find_multilabel_issues,
    label_quality_scores,
)
from .pu import (
    BaggingPUClassifier,
    ElkanNotoClassifier,
    NNPUClassifier,
    PNUClassifier,
    PUStratifiedKFold,
    SARPUClassifier,
    estimate_class_prior,
    make_pu_scorer,
)
from .self_training import (
    CoTrainingClassifier,
    SelfTrainingClassifier,
    TriTrainingClassifier,
)

__version__ = "0.1.0"

__all__ = [
    "BaggingPUClassifier",
    "CoTrainingClassifier",
    "ComplementaryLabelClassifier",
    "ConfidentLearningClassifier",
    "ElkanNotoClassifier",
    "LabelPropagation",
    "LabelSpreading",
    "MultiAnnotatorClassifier",
    "NNPUClassifier",
    "PNUClassifier",
    "PUStratifiedKFold",
    "SARPUClassifier",
    "SelfTrainingClassifier",
    "TriTrainingClassifier",
    "complementary_risk",
    "cross_val_pred_probs",
    "estimate_class_prior",
    "estimate_consensus",
    "find_label_issues",
    "find_multilabel_issues",
    "label_quality_scores",
    "make_complementary_scorer",
    "make_pu_scorer",
    "show_versions",
    "__version__",
]
