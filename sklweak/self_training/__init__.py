"""Self-labeled methods: self-training, co-training, tri-training and their kin.

A supervised classifier (or several) labels the unlabeled samples it is most
sure of and learns again from them. ``y`` follows scikit-learn's convention:
``-1`` (``unlabeled_label``) marks an unlabeled sample.
"""

from ._assemble import AssembleClassifier
from ._co_training import CoTrainingClassifier
from ._coforest import CoForestClassifier
from ._democratic import DemocraticCoLearningClassifier
from ._self_training import SelfTrainingClassifier
from ._semiboost import SemiBoostClassifier
from ._setred import SETREDClassifier
from ._tri_training import TriTrainingClassifier

__all__ = [
    "AssembleClassifier",
    "CoForestClassifier",
    "CoTrainingClassifier",
    "DemocraticCoLearningClassifier",
    "SETREDClassifier",
    "SelfTrainingClassifier",
    "SemiBoostClassifier",
    "TriTrainingClassifier",
]
