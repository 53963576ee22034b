"""One builder of valid weak-label problems for the tour, the checks and the malformed inputs."""

import numpy as np
import pytest

from sklweak._tour import SETTINGS
from sklweak.datasets._problems import (
    PROBLEM_KINDS,
    load_standardized,
    make_weak_problem,
    split_standardized,
)
from sklweak.utils import (
    all_estimators,
    check_annotator_matrix,
    check_bag_target,
    check_complementary_y,
    check_pnu_y,
    check_pu_y,
    check_semi_supervised_y,
)


@pytest.fixture(scope="module")
def digits():
    return split_standardized("digits", test_size=0.3)


def test_every_estimator_kind_has_a_problem():
    kinds = {getattr(cls, "_weak_label_kind", None) for _, cls in all_estimators()}
    # A label model's X is the vote matrix: it has its own checks, no problem here.
    assert kinds - {None, "label-model"} <= set(PROBLEM_KINDS)
    assert set(SETTINGS) == set(PROBLEM_KINDS)


_VALIDATORS = {
    "semi-supervised": check_semi_supervised_y,
    "pu": check_pu_y,
    "pnu": check_pnu_y,
    "noisy": lambda y: np.unique(y),
    "annotators": check_annotator_matrix,
    "labeling-functions": check_annotator_matrix,
    "complementary": check_complementary_y,
    "llp": check_bag_target,
}


@pytest.mark.parametrize("kind", PROBLEM_KINDS)
def test_each_problem_passes_its_kind_validation(kind, digits):
    X_train, X_test, y_train, y_test = digits
    problem = make_weak_problem(kind, X_train, y_train, y_test)
    assert len(problem.y_weak) == len(y_train) == len(problem.y_train)
    assert len(problem.y_test) == len(y_test)
    _VALIDATORS[kind](problem.y_weak)
    if problem.baseline_rows is not None and problem.baseline_y is not None:
        assert len(problem.baseline_y) == problem.baseline_rows.sum()


def test_options_reach_the_simulator_and_the_description(digits):
    X_train, X_test, y_train, y_test = digits
    default = make_weak_problem("semi-supervised", X_train, y_train, y_test)
    more = make_weak_problem("semi-supervised", X_train, y_train, y_test, labeled_fraction=0.5)
    assert default.description == "10% labeled" and more.description == "50% labeled"
    assert np.sum(more.y_weak != -1) > 4 * np.sum(default.y_weak != -1)
    noisy = make_weak_problem("noisy", X_train, y_train, y_test, noise_rate=0.2)
    np.testing.assert_array_equal(noisy.flipped, noisy.y_weak != y_train)
    crowd = make_weak_problem("annotators", X_train, y_train, n_annotators=4, missing_label=-9)
    assert crowd.y_weak.shape == (len(y_train), 4) and (crowd.y_weak == -9).any()
    assert crowd.baseline_y is None and crowd.baseline_rows.all()


def test_binary_kinds_use_the_majority_class_of_a_binary_set():
    X_train, X_test, y_train, y_test = split_standardized("breast_cancer", test_size=0.5)
    problem = make_weak_problem("pnu", X_train, y_train, y_test)
    np.testing.assert_array_equal(problem.y_train, y_train)
    np.testing.assert_array_equal(problem.y_test, y_test)
    X, y = load_standardized("digits")
    digits_problem = make_weak_problem("pu", X, y)
    assert set(np.unique(digits_problem.y_train)) == {0, 1}
    assert digits_problem.y_test is None


def test_the_tour_adds_the_majority_vote_as_the_annotators_baseline(digits):
    X_train, X_test, y_train, y_test = digits
    setting = SETTINGS["annotators"](X_train, y_train, y_test, 0)
    assert setting.baseline_y.shape == y_train.shape
    assert np.mean(setting.baseline_y == y_train) > 0.8


def test_unknown_kind_and_data_set_are_named():
    X, y = load_standardized("wine")
    with pytest.raises(ValueError, match="kind must be one of"):
        make_weak_problem("crowd", X, y)
    with pytest.raises(ValueError, match="name must be one of"):
        load_standardized("iris")
