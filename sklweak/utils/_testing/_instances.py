"""Default instances and the extra configurations the common tests check."""

import inspect

__all__ = ["EXTRA_CONFIGURATIONS", "default_instance", "extra_instances"]


def default_instance(estimator_class):
    """Build an instance of ``estimator_class`` with its default parameters.

    Meta-estimators, whose ``estimator`` parameter is required, get a
    ``LogisticRegression``. Used by the common tests, the malformed-input
    suite, the tour and the command line.

    Parameters
    ----------
    estimator_class : type
        A class returned by :func:`sklweak.utils.all_estimators`.

    Returns
    -------
    estimator : estimator instance
        An unfitted instance.

    Examples
    --------
    >>> from sklweak.utils import all_estimators, default_instance
    >>> est = default_instance(dict(all_estimators())["SelfTrainingClassifier"])
    >>> type(est.estimator).__name__
    'LogisticRegression'
    """
    from sklearn.linear_model import LogisticRegression

    signature = inspect.signature(estimator_class.__init__)
    kwargs = {}
    estimator_param = signature.parameters.get("estimator")
    if estimator_param is not None and (
        estimator_param.default is inspect.Parameter.empty or estimator_param.default is None
    ):
        kwargs["estimator"] = LogisticRegression(max_iter=1000)
    return estimator_class(**kwargs)


# Other settings of a registered class (parameters set on its default instance)
# whose family checks must pass as well: a second algorithm behind a parameter,
# or a smaller ensemble. tests/test_common.py runs the family checks on each.
EXTRA_CONFIGURATIONS = {
    # estimator=None: the class's own base learner, not the default instance's.
    "BaggingPUClassifier": [{"estimator": None, "n_estimators": 5}],
    "ComplementaryLabelClassifier": [
        {"loss": loss} for loss in ("pc", "ure", "ure_ga", "scl_nl", "scl_exp")
    ],
    "EasyLLPClassifier": [{"loss": "log"}],
    "ElkanNotoClassifier": [{"weighted": False}],
    "MultiAnnotatorClassifier": [{"method": "dawid_skene", "cv": 3}],
}


def extra_instances(estimator_class):
    """The extra configurations of ``estimator_class``, as unfitted instances.

    Parameters
    ----------
    estimator_class : type
        A registered estimator class.

    Returns
    -------
    estimators : list of estimator instances
        :func:`default_instance` with each parameter set of
        ``EXTRA_CONFIGURATIONS``; empty when the class has none.

    Examples
    --------
    >>> from sklweak.pu import ElkanNotoClassifier
    >>> from sklweak.utils._testing import extra_instances
    >>> [est.weighted for est in extra_instances(ElkanNotoClassifier)]
    [False]
    """
    return [
        default_instance(estimator_class).set_params(**params)
        for params in EXTRA_CONFIGURATIONS.get(estimator_class.__name__, [])
    ]
