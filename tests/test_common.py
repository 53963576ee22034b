"""scikit-learn's common checks and sklweak's family checks on every estimator."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklweak.utils import all_estimators, default_instance
from sklweak.utils.estimator_checks import yield_weak_checks

ESTIMATORS = [default_instance(cls) for _, cls in all_estimators()]

# Each expected failure of scikit-learn's checks, with the reason it is expected.
_N_ITER_ZERO = (
    "n_iter_ is 0 when y is fully labeled: no self-labeling round runs "
    "(scikit-learn marks the same failure for its SelfTrainingClassifier)."
)
_MINUS_ONE_IS_UNLABELED = (
    "the check uses classes {-1, 1}, but -1 is unlabeled_label, the semi-supervised "
    "sentinel (scikit-learn exempts its own semi-supervised estimators by name)."
)
_PU_STRING_CLASSES = (
    "the check's string labels ('one', 'two') hold no pos_label=1, so under the PU "
    "contract nothing is a labeled positive; classes_ is [neg_label, pos_label], set "
    "by parameters, not read from y."
)
_PNU_FOREIGN_LABELS = (
    "the check's labels ({1, 2} or 'one', 'two') hold values that are none of the "
    "PNU sentinels (pos_label=1, neg_label=0, unlabeled_label=-1), which the PNU "
    "contract rejects."
)
EXPECTED_FAILED_CHECKS = {
    "ComplementaryLabelClassifier": {
        "check_classifiers_train": (
            "the check fits on true labels, which the default y_type='complementary' "
            "reads as 'not this class', so the model learns by design to avoid the "
            "true class; with y_type='ordinary' every scikit-learn check passes "
            "(tested in tests/complementary)."
        ),
    },
    "PNUClassifier": {
        "check_estimators_dtypes": _PNU_FOREIGN_LABELS,
        "check_classifier_data_not_an_array": _PNU_FOREIGN_LABELS,
        "check_fit2d_1feature": _PNU_FOREIGN_LABELS,
        "check_classifiers_classes": _PNU_FOREIGN_LABELS,
    },
    "SARPUClassifier": {"check_classifiers_classes": _PU_STRING_CLASSES},
    "MultiAnnotatorClassifier": {
        "check_supervised_y_2d": (
            "a (n, 1) y is a valid annotators' matrix (one annotator who labeled every "
            "sample), not a column vector to flatten, so no DataConversionWarning is "
            "raised; the predictions equal those of the 1-D fit."
        ),
    },
    "ElkanNotoClassifier": {"check_classifiers_classes": _PU_STRING_CLASSES},
    "BaggingPUClassifier": {"check_classifiers_classes": _PU_STRING_CLASSES},
    "NNPUClassifier": {"check_classifiers_classes": _PU_STRING_CLASSES},
    "SelfTrainingClassifier": {
        "check_non_transformer_estimators_n_iter": _N_ITER_ZERO,
    },
    "TriTrainingClassifier": {
        "check_classifiers_classes": _MINUS_ONE_IS_UNLABELED,
        "check_sample_weight_equivalence_on_dense_data": (
            "each of the three learners is trained on a bootstrap sample of rows: a "
            "repeated row is drawn differently from a weighted one."
        ),
        "check_sample_weight_equivalence_on_sparse_data": (
            "each of the three learners is trained on a bootstrap sample of rows: a "
            "repeated row is drawn differently from a weighted one."
        ),
    },
    "CoTrainingClassifier": {
        "check_non_transformer_estimators_n_iter": _N_ITER_ZERO,
        "check_classifiers_classes": _MINUS_ONE_IS_UNLABELED,
    },
}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


def test_registry_lists_estimators():
    names = [name for name, _ in all_estimators()]
    assert "SelfTrainingClassifier" in names
    assert len(names) == len(set(names))


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _weak_cases():
    for estimator in ESTIMATORS:
        for check in yield_weak_checks(estimator):
            yield pytest.param(
                estimator, check, id=f"{type(estimator).__name__}-{check.__name__}"
            )


@pytest.mark.parametrize("estimator, check", list(_weak_cases()))
def test_weak_label_checks(estimator, check):
    check(type(estimator).__name__, estimator)
