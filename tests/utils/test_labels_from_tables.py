"""Unlabeled rows as tables mark them: missing values, ``"-1"`` as text, string PU labels."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sklweak.graph import LabelSpreading
from sklweak.model_selection import labeled_accuracy_score
from sklweak.pu import (
    ElkanNotoClassifier,
    NNPUClassifier,
    PNUClassifier,
    estimate_class_prior,
)
from sklweak.self_training import SelfTrainingClassifier
from sklweak.utils import (
    check_pnu_y,
    check_pu_y,
    check_semi_supervised_y,
    mark_missing_as_unlabeled,
)


@pytest.fixture
def data():
    X, y = make_classification(n_samples=120, random_state=0)
    keep = np.random.RandomState(0).rand(120) < 0.4
    return X, y, keep


@pytest.mark.parametrize(
    "y",
    [
        [0.0, np.nan, 1.0, 1.0],
        pd.Series([0, None, 1, 1]),
        pd.Series([0, pd.NA, 1, 1], dtype="Int64"),
        np.array([0, None, 1, 1], dtype=object),
    ],
    ids=["float-nan", "series-none", "Int64-NA", "object-None"],
)
def test_missing_numeric_labels_are_unlabeled_and_classes_stay_integers(y):
    target = check_semi_supervised_y(y)
    assert_array_equal(target.labeled, [True, False, True, True])
    assert target.classes.dtype.kind == "i"
    assert target.classes.tolist() == [0, 1]


@pytest.mark.parametrize(
    "y",
    [
        np.array(["a", None, "b", "a"], dtype=object),
        np.array(["a", np.nan, "b", "a"], dtype=object),
        pd.Series(["a", pd.NA, "b", "a"], dtype="string"),
        np.array(["a", "-1", "b", "a"], dtype=object),
        np.array(["a", "-1", "b", "a"]),
    ],
    ids=["None", "nan", "string-NA", "text-minus-one", "unicode-minus-one"],
)
def test_missing_and_text_sentinel_next_to_string_classes(y):
    target = check_semi_supervised_y(y)
    assert_array_equal(target.labeled, [True, False, True, True])
    assert target.classes.tolist() == ["a", "b"]


def test_mark_missing_never_modifies_input_and_keeps_clean_input():
    y = np.array([0.0, np.nan, 1.0])
    copy = y.copy()
    mark_missing_as_unlabeled(y)
    assert_array_equal(y, copy)
    clean = np.array([0, 1, -1])
    assert mark_missing_as_unlabeled(clean) is clean
    assert mark_missing_as_unlabeled(None) is None


def test_pnu_and_pu_read_missing_values_as_unlabeled():
    target = check_pnu_y(pd.Series([1, 0, None, 1]))
    assert_array_equal(target.unlabeled, [False, False, True, False])
    assert_array_equal(check_pu_y([1.0, np.nan, 1.0]).labeled, [True, False, True])
    with pytest.raises(ValueError, match="missing values"):
        check_pu_y([1.0, 0.0, np.nan])


@pytest.mark.parametrize(
    "make",
    [
        LabelSpreading,
        lambda: SelfTrainingClassifier(LogisticRegression()),
        lambda: PNUClassifier(prior=0.5),
    ],
    ids=["LabelSpreading", "SelfTraining", "PNU"],
)
def test_estimators_fit_pandas_target_with_nan(data, make):
    X, y, keep = data
    estimator = make().fit(X, pd.Series(y).where(keep))
    assert estimator.classes_.tolist() == [0, 1]
    assert estimator.classes_.dtype.kind == "i"
    assert set(estimator.predict(X).tolist()) <= {0, 1}


@pytest.mark.parametrize(
    "make",
    [LabelSpreading, lambda: SelfTrainingClassifier(LogisticRegression())],
    ids=["LabelSpreading", "SelfTraining"],
)
def test_text_minus_one_is_never_learned_as_a_class(data, make):
    X, y, keep = data
    y_text = pd.Series(np.where(y == 1, "b", "a")).where(keep, "-1").astype(object)
    estimator = make().fit(X, y_text)
    assert estimator.classes_.tolist() == ["a", "b"]
    assert "-1" not in set(estimator.predict(X).tolist())


def test_labeled_accuracy_skips_missing_rows():
    assert labeled_accuracy_score([0.0, np.nan, 1.0], [0, 1, 0]) == 0.5


def test_pu_string_positive_with_default_negative_predicts_the_users_values(data):
    X, y, keep = data
    y_pu = np.where((y == 1) & keep, "spam", "ham")
    for estimator in (
        ElkanNotoClassifier(LogisticRegression(), pos_label="spam"),
        NNPUClassifier(prior=0.5, pos_label="spam"),
    ):
        estimator.fit(X, y_pu)
        assert estimator.classes_.tolist() == ["ham", "spam"]
        assert set(estimator.predict(X).tolist()) <= {"ham", "spam"}


def test_pu_string_positive_with_no_string_to_borrow_needs_neg_label(data):
    X, y, keep = data
    y_pu = np.array(["spam" if v else -1 for v in (y == 1) & keep], dtype=object)
    with pytest.raises(ValueError, match="neg_label"):
        ElkanNotoClassifier(LogisticRegression(), pos_label="spam").fit(X, y_pu)
    fitted = ElkanNotoClassifier(LogisticRegression(), pos_label="spam", neg_label="other").fit(
        X, np.where(y_pu == "spam", "spam", None)
    )
    assert fitted.classes_.tolist() == ["other", "spam"]
    with pytest.raises(ValueError, match="neg_label"):
        PNUClassifier(pos_label="spam", prior=0.5).fit(X, y_pu)


def test_pu_missing_values_are_unlabeled(data):
    X, y, keep = data
    y_pu = pd.Series(np.where((y == 1) & keep, 1.0, np.nan))
    estimator = ElkanNotoClassifier(LogisticRegression()).fit(X, y_pu)
    assert estimator.classes_.tolist() == [0, 1]
    prior, _ = estimate_class_prior(X, y_pu, n_bootstrap=0, random_state=0)
    assert 0.0 < prior <= 1.0


def test_pu_string_positive_next_to_text_zero_keeps_the_users_values(data):
    # A CSV column of "spam" and "0": the text "0" is the unlabeled rows' value.
    X, y, keep = data
    y_pu = np.where((y == 1) & keep, "spam", "0").astype(object)
    estimator = ElkanNotoClassifier(LogisticRegression(), pos_label="spam").fit(X, y_pu)
    assert estimator.classes_.tolist() == ["0", "spam"]
