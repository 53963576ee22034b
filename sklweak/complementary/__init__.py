"""Complementary-label learning: labels that name a class a sample is not.

``y`` is 1-D (one complementary label per sample) or a 2-D 0/1 matrix
(several); predictions are ordinary classes. Model selection needs no
ordinary label: :func:`make_complementary_scorer` estimates the accuracy
without bias from the validation fold's complementary labels.
"""

from ._anchors import estimate_transition_matrix
from ._classifier import ComplementaryLabelClassifier
from ._metrics import complementary_risk, make_complementary_scorer

__all__ = [
    "ComplementaryLabelClassifier",
    "complementary_risk",
    "estimate_transition_matrix",
    "make_complementary_scorer",
]
