"""The estimator registry: every public estimator of sklweak, found by walking.

The instances built from it live in the testing layer (``utils/_testing``).
"""

import importlib
import inspect
import pkgutil

from sklearn.base import BaseEstimator

__all__ = ["all_estimators"]

_OPTIONAL_SUBPACKAGES = {"sklweak.neural": "torch"}


def all_estimators(*, include_optional=True):
    """List every public estimator of sklweak.

    Walks the public subpackages and collects the estimator classes named in
    their ``__all__``. A subpackage whose optional dependency (torch for
    ``sklweak.neural``) is missing is skipped, and so is an estimator whose
    class attribute ``_optional_dependency`` names a missing module (the
    neural estimators of the other families).

    Parameters
    ----------
    include_optional : bool, default=True
        Also list estimators of optional subpackages, and estimators with an
        optional dependency, when that dependency is installed.

    Returns
    -------
    estimators : list of (str, type)
        ``(name, class)`` pairs sorted by name.

    Examples
    --------
    >>> from sklweak.utils import all_estimators
    >>> names = [name for name, _ in all_estimators()]
    >>> "SelfTrainingClassifier" in names
    True
    """
    import sklweak

    found = {}
    for info in pkgutil.iter_modules(sklweak.__path__, "sklweak."):
        name = info.name
        if not info.ispkg or name.rsplit(".", 1)[-1].startswith("_"):
            continue
        if name in ("sklweak.utils", "sklweak.tests"):
            continue
        if name in _OPTIONAL_SUBPACKAGES:
            if not include_optional:
                continue
            if importlib.util.find_spec(_OPTIONAL_SUBPACKAGES[name]) is None:
                continue
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", []):
            obj = getattr(module, public)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not inspect.isabstract(obj)
                and not public.startswith("Base")
                and _dependency_available(obj, include_optional)
            ):
                found[public] = obj
    return sorted(found.items())


def _dependency_available(estimator_class, include_optional):
    dependency = getattr(estimator_class, "_optional_dependency", None)
    if dependency is None:
        return True
    return include_optional and importlib.util.find_spec(dependency) is not None
