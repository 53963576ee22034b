"""Learning from label proportions (LLP).

Each sample carries only the bag it belongs to and the class proportions of
that bag, packed into a 2-D ``y`` by :func:`make_bag_target` (a 1-D ``y`` of
labels means every sample is its own bag). Estimators:
:class:`LLPBPClassifier` (belief propagation over a kNN graph and the bags'
count constraints, then any classifier on the marginals),
:class:`EasyLLPClassifier` (debiased instance loss), :class:`DLLPClassifier`
(a neural network on bag-level cross-entropy; needs torch) and
:class:`ProportionWeightedClassifier` (any classifier on proportion-weighted
copies). Model selection without instance labels: :class:`BagKFold` and
:class:`BagStratifiedKFold` keep bags whole, :func:`make_bag_scorer`,
:func:`mean_absolute_proportion_error` and :func:`bag_kl_divergence` score
bags, and every estimator's ``score`` on a bag target is bag-level.
"""

from ..model_selection._bag_scorers import (
    bag_kl_divergence,
    make_bag_scorer,
    mean_absolute_proportion_error,
)
from ..utils._bag_target import make_bag_target
from ._dllp import DLLPClassifier
from ._easyllp import EasyLLPClassifier, easyllp_soft_labels, soft_label_loss
from ._llp_bp import LLPBPClassifier
from ._proportion_weighted import ProportionWeightedClassifier
from ._split import BagKFold, BagStratifiedKFold

__all__ = [
    "BagKFold",
    "BagStratifiedKFold",
    "DLLPClassifier",
    "EasyLLPClassifier",
    "LLPBPClassifier",
    "ProportionWeightedClassifier",
    "bag_kl_divergence",
    "easyllp_soft_labels",
    "make_bag_scorer",
    "make_bag_target",
    "mean_absolute_proportion_error",
    "soft_label_loss",
]
