"""Prediction methods shared by the noise family's meta-estimators.

``ConfidentLearningClassifier`` and ``MultiAnnotatorClassifier`` both end by
fitting a clone of ``estimator`` (``estimator_``) on labels they trust; their
predictions delegate to it.
"""

from ..utils._delegation import DelegationMixin, copy_input_tags

__all__ = []


class RefitDelegationMixin(DelegationMixin):
    """Predictions of the refitted ``estimator_``, and its input tags.

    ``X`` is checked as loosely as the inner estimator needs (sparse, NaN and
    any dtype pass through to it).
    """

    def _validate_data_options(self):
        return {
            "accept_sparse": ["csr", "csc"],
            "ensure_all_finite": False,
            "dtype": None,
        }

    def __sklearn_tags__(self):
        return copy_input_tags(super().__sklearn_tags__(), self.estimator)
