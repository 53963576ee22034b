"""sklweak: scikit-learn-compatible estimators that learn from weak labels.

Few labels, only positives, label proportions per group, labels saying what a
sample is not, or labels that cannot be trusted: each family is a set of
fit/predict estimators sharing one label contract (see the README). torch is
never imported here: the neural estimators (DLLP, DeepLDS, ELR, the MLP
backends) import it inside ``fit``, and their building blocks live in
``sklweak.neural`` (``pip install sklweak[neural]``).
"""

from ._show_versions import show_versions
from .complementary import (
    ComplementaryLabelClassifier,
    complementary_risk,
    make_complementary_scorer,
)
from .graph import LabelPropagation, LabelSpreading
from .labeling import LabelModel, WeakSupervisionClassifier
from .llp import (
    BagKFold,
    DLLPClassifier,
    EasyLLPClassifier,
    LLPBPClassifier,
    ProportionWeightedClassifier,
    make_bag_target,
)
from .lowdensity import DeepLDSClassifier, LDSClassifier, TSVMClassifier
from .noise import (
    ConfidentLearningClassifier,
    ELRClassifier,
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
from .semi_supervised import SafeSemiSupervisedClassifier

__version__ = "0.1.0"

__all__ = [
    "BagKFold",
    "BaggingPUClassifier",
    "CoTrainingClassifier",
    "ComplementaryLabelClassifier",
    "ConfidentLearningClassifier",
    "DLLPClassifier",
    "DeepLDSClassifier",
    "ELRClassifier",
    "EasyLLPClassifier",
    "ElkanNotoClassifier",
    "LDSClassifier",
    "LLPBPClassifier",
    "LabelModel",
    "LabelPropagation",
    "LabelSpreading",
    "MultiAnnotatorClassifier",
    "NNPUClassifier",
    "PNUClassifier",
    "PUStratifiedKFold",
    "ProportionWeightedClassifier",
    "SARPUClassifier",
    "SafeSemiSupervisedClassifier",
    "SelfTrainingClassifier",
    "TSVMClassifier",
    "TriTrainingClassifier",
    "WeakSupervisionClassifier",
    "__version__",
    "complementary_risk",
    "cross_val_pred_probs",
    "estimate_class_prior",
    "estimate_consensus",
    "find_label_issues",
    "find_multilabel_issues",
    "label_quality_scores",
    "make_bag_target",
    "make_complementary_scorer",
    "make_pu_scorer",
    "show_versions",
]
