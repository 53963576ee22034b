"""Semi-supervised meta-estimators that combine the self-labeled families.

:class:`SafeSemiSupervisedClassifier` uses the unlabeled rows only as far as the
labeled rows show that they help, and otherwise returns the supervised model.
``y`` follows scikit-learn's convention: ``-1`` (``unlabeled_label``) marks an
unlabeled sample.
"""

from ._safe import SafeSemiSupervisedClassifier

__all__ = ["SafeSemiSupervisedClassifier"]
