"""What the noise family's meta-estimators share: how they read data, and predict.

``ConfidentLearningClassifier``, ``NoiseRobustClassifier`` and
``MultiAnnotatorClassifier`` end by fitting a clone of ``estimator``
(``estimator_``) on labels they trust; their predictions delegate to it.
"""

from sklearn.utils import get_tags

from ..base import DelegationMixin, copy_input_tags
from ._validation import decode_noisy_target

__all__ = []


class RefitDelegationMixin(DelegationMixin):
    """Noisy labels in, predictions of the refitted ``estimator_`` out.

    ``X`` may hold NaN, and any dtype, when the inner estimator accepts NaN;
    ``y`` is 1-D noisy labels (``MultiAnnotatorClassifier`` decodes its
    annotators' matrix itself). The input tags are the inner estimator's.
    """

    _y_is_1d = True

    def _validate_data_options(self):
        allow_nan = get_tags(self.estimator).input_tags.allow_nan
        return {
            "accept_sparse": ["csr", "csc"],
            "ensure_all_finite": not allow_nan,
            "dtype": None if allow_nan else "numeric",
        }

    def _decode_target(self, y):
        return decode_noisy_target(self, y)

    def __sklearn_tags__(self):
        return copy_input_tags(super().__sklearn_tags__(), self.estimator)
