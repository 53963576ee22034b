"""Labeling functions: applying them, analysing them, label models and end models.

A labeling function votes a class for some rows and abstains (``-1``) on the
others. :class:`LabelingFunction` (or the :func:`labeling_function`
decorator) wraps a vectorized rule; :func:`apply_labeling_functions` applies
many to a table into the vote matrix ``L`` of shape ``(n_samples,
n_functions)``, the annotators' contract of sklweak; :func:`lf_summary`
describes them; :class:`LabelModel` turns ``L`` into class probabilities and
:class:`WeakSupervisionClassifier` trains a classifier on them.
"""

from ._functions import LabelingFunction, apply_labeling_functions, labeling_function
from ._label_model import LabelModel
from ._summary import lf_summary, plot_lf_summary
from ._weak_supervision import WeakSupervisionClassifier

__all__ = [
    "LabelModel",
    "LabelingFunction",
    "WeakSupervisionClassifier",
    "apply_labeling_functions",
    "labeling_function",
    "lf_summary",
    "plot_lf_summary",
]
