"""The private scikit-learn names sklweak uses, imported in one place.

scikit-learn may rename or move private names in any release; every module of
sklweak imports them from here, so a change is fixed once (and
``tests/test_layering.py`` checks that no other module imports them).
"""

from sklearn.base import (
    _fit_context,
)
from sklearn.model_selection._split import (
    BaseCrossValidator,
    _BaseKFold,
)
from sklearn.utils import (
    _safe_indexing,
)
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_params,
)
from sklearn.utils.metadata_routing import (
    _raise_for_params,
    _routing_enabled,
)
from sklearn.utils.validation import (
    _check_method_params,
    _check_sample_weight,
    _estimator_has,
    _num_samples,
)

__all__ = [
    "BaseCrossValidator",
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "StrOptions",
    "_BaseKFold",
    "_check_method_params",
    "_check_sample_weight",
    "_estimator_has",
    "_fit_context",
    "_num_samples",
    "_raise_for_params",
    "_routing_enabled",
    "_safe_indexing",
    "validate_params",
]
