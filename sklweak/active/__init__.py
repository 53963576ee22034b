"""Active learning: which rows to label next, and self-labeling of the rest.

:func:`suggest_labels` ranks the unlabeled rows (``y == -1``, the
semi-supervised contract) by a query strategy; :func:`run_active_learning`
runs rounds of queries to an oracle, self-labels the rows a committee agrees
on, refits, and stops by budget or by stabilizing predictions; :func:`suggest_relabels`
points at the given labels least worth trusting (one label per row, or
several annotators') to send for another opinion.
"""

from ._loop import run_active_learning
from ._relabel import suggest_relabels
from ._suggest import suggest_labels

__all__ = ["run_active_learning", "suggest_labels", "suggest_relabels"]
