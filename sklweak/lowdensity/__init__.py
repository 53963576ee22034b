"""Low-density separation and manifold regularization: transductive SVMs, LDS, LapSVM.

The cluster assumption: the decision boundary should cross regions where few
samples lie. Semi-supervised encoding: ``-1`` marks an unlabeled sample.
"""

from ._deep_lds import DeepLDSClassifier
from ._lapsvm import LapSVMClassifier
from ._lds import LDSClassifier
from ._transductive_search import transductive_grid_search
from ._tsvm import TSVMClassifier

__all__ = [
    "DeepLDSClassifier",
    "LDSClassifier",
    "LapSVMClassifier",
    "TSVMClassifier",
    "transductive_grid_search",
]
