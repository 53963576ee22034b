"""Model selection on weak labels: splitters and scorers that need no true labels.

Semi-supervised: :class:`SemiSupervisedKFold` keeps every unlabeled row in
training and tests only on labeled rows; :func:`make_labeled_scorer` and
:func:`labeled_accuracy_score` skip unlabeled rows in any split.
"""

from ._scorers import labeled_accuracy_score, make_labeled_scorer
from ._split import SemiSupervisedKFold

__all__ = ["SemiSupervisedKFold", "labeled_accuracy_score", "make_labeled_scorer"]
