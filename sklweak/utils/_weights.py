"""Handing sample weights to an inner estimator, a Pipeline included, or to a loss."""

import numpy as np
from sklearn import get_config
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import has_fit_parameter

__all__ = ["relative_sample_weight", "sample_weight_parameter"]


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


def relative_sample_weight(sample_weight):
    """Weights scaled to mean 1, or None when they are absent or all equal.

    For a loss that averages ``w_i * loss_i`` over (mini-batches of) samples:
    weights of mean 1 keep the loss on the scale of the unweighted one, and
    equal weights, which change nothing, take the unweighted path exactly.

    Parameters
    ----------
    sample_weight : ndarray of shape (n_samples,) or None
        Checked non-negative weights with a positive sum.

    Returns
    -------
    weights : ndarray of shape (n_samples,) or None

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.utils._weights import relative_sample_weight
    >>> relative_sample_weight(np.array([1.0, 3.0])).tolist()
    [0.5, 1.5]
    >>> relative_sample_weight(np.array([2.0, 2.0])) is None
    True
    """
    if sample_weight is None or np.all(sample_weight == sample_weight[0]):
        return None
    return sample_weight * (sample_weight.shape[0] / sample_weight.sum())
