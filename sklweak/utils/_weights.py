"""Handing sample weights to an inner estimator, a Pipeline included."""

from sklearn import get_config
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import has_fit_parameter

__all__ = ["sample_weight_parameter"]


def sample_weight_parameter(estimator):
    """The keyword of ``estimator.fit`` that takes per-sample weights, or None.

    ``"sample_weight"`` for an estimator whose ``fit`` takes it;
    ``"<last step>__sample_weight"`` for a Pipeline whose last step's does
    (nested pipelines included); ``"sample_weight"`` for any Pipeline when
    metadata routing is enabled (the steps' requests then route it); None
    when the weights cannot be delivered.

    Parameters
    ----------
    estimator : estimator instance
        The (unfitted) inner estimator.

    Returns
    -------
    name : str or None
        The keyword to pass the weights with.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklweak.utils._weights import sample_weight_parameter
    >>> sample_weight_parameter(make_pipeline(StandardScaler(), LogisticRegression()))
    'logisticregression__sample_weight'
    """
    if isinstance(estimator, Pipeline):
        if get_config().get("enable_metadata_routing", False):
            return "sample_weight"
        step, final = estimator.steps[-1]
        if final is None or final == "passthrough":
            return None
        inner = sample_weight_parameter(final)
        return None if inner is None else f"{step}__{inner}"
    return "sample_weight" if has_fit_parameter(estimator, "sample_weight") else None
