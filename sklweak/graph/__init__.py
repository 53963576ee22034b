"""Graph-based semi-supervised learning on sparse nearest-neighbour graphs.

:class:`LabelPropagation` and :class:`LabelSpreading` follow scikit-learn's
API; their graph is a k-nearest-neighbour graph (exact, or approximate with the
optional faiss backend), so they scale to millions of samples.
"""

from ._label_propagation import LabelPropagation, LabelSpreading

__all__ = ["LabelPropagation", "LabelSpreading"]
