"""The PU family checks catch what they must.

``tests/test_common.py`` runs them on every PU estimator and on the extra
configurations of ``sklweak/utils/_testing`` (weighted Elkan-Noto, bagging
with its own base learner).
"""

import pytest


def test_full_information_check_catches_a_weak_estimator():
    from sklearn.dummy import DummyClassifier

    from sklweak.utils._checks_pu import check_pu_full_information_is_supervised

    with pytest.raises(AssertionError, match="supervised counterpart"):
        check_pu_full_information_is_supervised("DummyClassifier", DummyClassifier())
