"""The testing layer: which instances the common tests build, and what may fail.

As scikit-learn's ``utils/_test_common/instance_generator.py``, one place holds

- :func:`default_instance`: the instance the common checks, the malformed-input
  suite, the tour and the command line build for each registered class;
- ``EXTRA_CONFIGURATIONS`` and :func:`extra_instances`: other parameter
  settings whose family checks must pass too (``tests/test_common.py`` runs
  them);
- ``EXPECTED_FAILED_CHECKS`` and :func:`expected_failed_checks`: each
  scikit-learn check expected to fail on an estimator, with its reason.

The generic checks are written once in ``_assertions.py``; each kind's
``sklweak/utils/_checks_<kind>.py`` gives them its problem (from
``sklweak/datasets/_problems.py``) and adds its own checks, and
``sklweak/utils/estimator_checks.py`` maps each kind to its checks
(``FAMILY_CHECKS``). Nothing here imports a family at import time.
"""

from ._expected_failures import EXPECTED_FAILED_CHECKS, expected_failed_checks
from ._instances import EXTRA_CONFIGURATIONS, default_instance, extra_instances

__all__ = [
    "EXPECTED_FAILED_CHECKS",
    "EXTRA_CONFIGURATIONS",
    "default_instance",
    "expected_failed_checks",
    "extra_instances",
]
