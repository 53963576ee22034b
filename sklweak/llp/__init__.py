"""Learning from label proportions (LLP).

Each sample carries only the bag it belongs to and the class proportions of
that bag, packed into a 2-D ``y`` by :func:`make_bag_target`.
"""

from ._bag_target import make_bag_target

__all__ = ["make_bag_target"]
