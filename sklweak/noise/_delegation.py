"""Prediction methods shared by the noise family's meta-estimators.

``ConfidentLearningClassifier`` and ``MultiAnnotatorClassifier`` both end by
fitting a clone of ``estimator`` (``estimator_``) on labels they trust; their
predictions delegate to it.
"""

from sklearn.utils import get_tags

from ..utils._delegation import DelegationMixin

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
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator).input_tags
        tags.input_tags.sparse = inner.sparse
        tags.input_tags.allow_nan = inner.allow_nan
        return tags
