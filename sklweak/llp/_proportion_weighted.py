"""The proportion-weighted baseline: every sample once per class, weighted by its bag's share."""

import numpy as np
from sklearn.base import MetaEstimatorMixin
from sklearn.pipeline import Pipeline
from sklearn.utils import get_tags
from sklearn.utils.validation import has_fit_parameter

from ..base import BaseWeakClassifier, LLPMixin, copy_input_tags
from ..utils._proportions import sample_proportions
from ..utils._sklearn_compat import HasMethods
from ._weighted_copies import WeightedCopiesMixin

__all__ = ["ProportionWeightedClassifier"]


class ProportionWeightedClassifier(
    WeightedCopiesMixin, LLPMixin, MetaEstimatorMixin, BaseWeakClassifier
):
    """Any classifier trained on every sample once per class, weighted by its bag's share.

    The simplest reduction of learning from label proportions to supervised
    learning: a sample of a bag with proportions ``(a_1, ..., a_K)`` is
    repeated ``K`` times, copy ``k`` labelled ``classes_[k]`` with weight
    ``a_k`` (times the sample's ``sample_weight``); copies of weight 0 are
    dropped. The classifier then learns the bag proportions as soft labels of
    the samples. It needs bags whose proportions differ: with random bags
    close to the class balance it learns little beyond the prior. With one
    sample per bag (a 1-D ``y`` of labels) it is the inner classifier trained
    on the labels.

    Parameters
    ----------
    estimator : estimator object
        Classifier whose ``fit`` accepts ``sample_weight``, or a ``Pipeline``
        whose last step's does (the weights go to that step; the steps before
        it see the copies unweighted). Cloned in ``fit``.
    classes : array-like of shape (n_classes,), default=None
        Labels of the bag target's proportion columns (``classes_``); defaults
        to ``0 .. n_classes - 1``. Unused for a 1-D ``y``.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``, trained on the column positions
        ``0 .. n_classes - 1`` as labels.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    See Also
    --------
    EasyLLPClassifier : Debiased soft labels that also work for random bags.
    sklweak.datasets.make_bags : Simulate bags from labelled data.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklweak.datasets import make_bags
    >>> from sklweak.llp import ProportionWeightedClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> _, Y, classes = make_bags(X, y, bag_size=8, method="clustered", random_state=0)
    >>> inner = make_pipeline(StandardScaler(), LogisticRegression())
    >>> clf = ProportionWeightedClassifier(inner, classes=classes).fit(X, Y)
    >>> float((clf.predict(X) == y).mean()) > 0.85
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "classes": ["array-like", None],
    }

    def __init__(self, estimator, *, classes=None):
        self.estimator = estimator
        self.classes = classes

    def _validate_data_options(self):
        allow_nan = get_tags(self.estimator).input_tags.allow_nan
        return {"accept_sparse": ["csr", "csc"], "ensure_all_finite": not allow_nan}

    def fit(self, X, y, sample_weight=None):
        """Fit the inner classifier on the proportion-weighted copies.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples, 1 + n_classes) or (n_samples,)
            Bag target from :func:`make_bag_target`, or 1-D labels (every
            sample its own bag).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights, multiplied into the proportions.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _weight_parameter(self):
        """Name of the fit parameter that takes the weights (a pipeline's last step)."""
        if isinstance(self.estimator, Pipeline):
            step, final = self.estimator.steps[-1]
            if (
                final is not None
                and final != "passthrough"
                and has_fit_parameter(final, "sample_weight")
            ):
                return f"{step}__sample_weight"
        elif has_fit_parameter(self.estimator, "sample_weight"):
            return "sample_weight"
        raise ValueError(
            "ProportionWeightedClassifier needs an estimator whose fit takes "
            f"sample_weight (or a Pipeline whose last step does); "
            f"{type(self.estimator).__name__}.fit does not."
        )

    def _fit(self, X, target, sample_weight):
        weight_parameter = self._weight_parameter()
        self.classes_ = np.asarray(target.classes)
        proportions = sample_proportions(target)
        if sample_weight is not None:
            if np.any(np.asarray(sample_weight) < 0):
                raise ValueError(
                    "sample_weight must be non-negative: it multiplies the bag "
                    "proportions into the weights of the copies."
                )
            proportions = proportions * np.asarray(sample_weight)[:, None]
        if not np.any(proportions > 0):
            raise ValueError(
                "Every copy has zero weight: sample_weight times the bag proportions "
                "needs a non-zero entry."
            )
        self._fit_weighted_copies(X, proportions, weight_parameter)
        return self

    def __sklearn_tags__(self):
        return copy_input_tags(super().__sklearn_tags__(), self.estimator)
