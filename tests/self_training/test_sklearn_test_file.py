"""scikit-learn's own self-training tests, run on sklweak's SelfTrainingClassifier."""

import pytest

# scikit-learn 1.6 deprecated its ``base_estimator`` parameter (gone in 1.8),
# and required an estimator; sklweak never had the first and defaults the
# second to a logistic regression.
NOT_OURS = {"test_deprecation_warning_base_estimator"}


def test_scikit_learn_self_training_tests_pass(run_scikit_learn_test_file):
    failed = run_scikit_learn_test_file(
        "semi_supervised/tests/test_self_training.py",
        "from sklearn.semi_supervised import SelfTrainingClassifier",
        "from sklweak.self_training import SelfTrainingClassifier",
    )
    if failed is None:
        pytest.skip("this scikit-learn ships without its tests")
    assert set(failed) <= NOT_OURS, failed
