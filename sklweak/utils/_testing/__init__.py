"""The testing layer: which instances the common tests build, and what may fail.

As scikit-learn's ``utils/_test_common/instance_generator.py``, one place holds

- :func:`default_instance`: the instance the common checks, the malformed-input
  suite, the tour and the command line build for each registered class;
- ``EXTRA_CONFIGURATIONS`` and :func:`extra_instances`: other parameter
  settings whose family checks must pass too (``tests/test_common.py`` runs
  them);
- ``EXPECTED_FAILED_CHECKS`` and :func:`expected_failed_checks`: each
  scikit-learn check expected to fail on an estimator, with its reason.

The family checks themselves are ``sklweak/utils/_checks_<kind>.py`` and
``sklweak/utils/estimator_checks.py``; the problems they fit on come from
``sklweak/datasets/_problems.py``. Nothing here imports a family at import
time.
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
