"""The project's own common checks for learning from label proportions (LLP).

Kind ``"llp"``: ``y`` is a bag target (column 0 the bag id, then the bag's
class proportions) or 1-D labels, every sample its own bag. Full information
(1-D labels, or singleton bags) must be as accurate as the supervised
counterpart; small random bags must still teach the model; bag ids are only
names; the bag splitters keep bags whole inside a grid search fitted on the
bag target alone; ``score`` on a bag target is bag-level; inputs are never
modified, fitted estimators pickle, the result is fixed by ``random_state``,
probabilities are valid, and bad bag targets are rejected before any work.
"""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, train_test_split

from ..datasets._problems import make_weak_problem
from ._testing._assertions import (
    FULL_INFORMATION_TOLERANCE,
    _assert_bad_input_rejected,
    _assert_inputs_not_mutated,
    _assert_pickle_round_trip,
    _assert_raises_value_error,
    _assert_random_state_fixes_result,
    _breast_cancer_split,
    _far_probabilities,
    _seeded,
    _supervised_counterpart,
    _with_params,
)

__all__ = ["CHECKS"]

_BAG_SIZE = 4


def _bag_target(X, y, bag_size=_BAG_SIZE):
    """Random bags of ``bag_size``: the bag target of ``y``."""
    return make_weak_problem("llp", X, y, bag_size=bag_size).y_weak


def _llp_data(bag_size=_BAG_SIZE):
    """Breast cancer (standardized), random bags of ``bag_size`` on the training half."""
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    return X_train, _bag_target(X_train, y_train, bag_size), X_test, y_test, y_train


def _singleton_target(y):
    classes = np.unique(y)
    Y = np.zeros((y.shape[0], 1 + classes.shape[0]))
    Y[:, 0] = np.arange(y.shape[0])
    Y[np.arange(y.shape[0]), 1 + np.searchsorted(classes, y)] = 1.0
    return Y


def check_llp_full_information_is_supervised(name, estimator):
    """1-D labels and singleton bags are as accurate as the supervised counterpart."""
    X_train, X_test, y_train, y_test = _breast_cancer_split()
    supervised = _seeded(_supervised_counterpart(estimator)).fit(X_train, y_train)
    supervised_acc = np.mean(supervised.predict(X_test) == y_test)
    for what, y in (("1-D labels", y_train), ("singleton bags", _singleton_target(y_train))):
        weak = _seeded(estimator).fit(X_train, y)
        weak_acc = np.mean(weak.predict(X_test) == y_test)
        assert weak_acc >= supervised_acc - FULL_INFORMATION_TOLERANCE, (
            f"{name} on {what} reaches accuracy {weak_acc:.3f}, more than "
            f"{FULL_INFORMATION_TOLERANCE} below its supervised counterpart "
            f"({supervised_acc:.3f})."
        )


def check_llp_learns_from_bags(name, estimator):
    """Random bags of 4 samples still rank test samples well (ROC AUC above 0.8).

    Ranking, not accuracy: baselines such as the proportion-weighted classifier
    rank well but shrink their probabilities toward the bags' proportions.
    """
    from sklearn.metrics import roc_auc_score

    X, Y, X_test, y_test, _ = _llp_data()
    fitted = _seeded(estimator).fit(X, Y)
    if hasattr(fitted, "predict_proba"):
        scores = fitted.predict_proba(X_test)[:, 1]
    else:
        scores = fitted.predict(X_test)
    auc = roc_auc_score(y_test, scores)
    assert auc > 0.8, f"{name} on random bags of {_BAG_SIZE} reaches a test ROC AUC of {auc:.3f}."


def check_llp_multiclass(name, estimator):
    """Three classes: one probability column each, accuracy well above chance."""
    X, y = make_classification(
        n_samples=600,
        n_features=6,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        class_sep=2.0,
        random_state=0,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    Y = _bag_target(X_train, y_train)
    fitted = _seeded(estimator).fit(X_train, Y)
    assert list(fitted.classes_) == [0, 1, 2]
    if hasattr(fitted, "predict_proba"):
        assert fitted.predict_proba(X_test).shape == (X_test.shape[0], 3)
    accuracy = np.mean(fitted.predict(X_test) == y_test)
    assert accuracy > 0.6, (
        f"{name} on three classes in random bags of {_BAG_SIZE} reaches accuracy "
        f"{accuracy:.3f} (chance 0.333)."
    )


def check_llp_bag_ids_are_names(name, estimator):
    """Renaming the bags (another integer per bag) changes nothing."""
    X, Y, X_test, _, _ = _llp_data()
    renamed = Y.copy()
    renamed[:, 0] = 1000 - 3 * Y[:, 0]
    first = _seeded(estimator).fit(X, Y)
    second = _seeded(estimator).fit(X, renamed)
    np.testing.assert_array_equal(
        first.predict(X_test),
        second.predict(X_test),
        err_msg=f"{name}: renaming the bag ids changes the predictions.",
    )


def check_llp_class_labels(name, estimator):
    """String labels and a declared ``classes`` name the columns; predictions follow."""
    X_train, X_test, y_train, _ = _breast_cancer_split()
    names = np.array(["benign", "malignant"], dtype=object)
    reference = _seeded(estimator).fit(X_train, y_train)
    strings = _seeded(estimator).fit(X_train, names[y_train])
    assert list(strings.classes_) == list(names)
    np.testing.assert_array_equal(
        strings.predict(X_test),
        names[reference.predict(X_test)],
        err_msg=f"{name}: string labels give other predictions than integers.",
    )
    if "classes" not in estimator.get_params():
        return
    Y = _bag_target(X_train, y_train)
    plain = _seeded(estimator).fit(X_train, Y)
    named = _with_params(_seeded(estimator), classes=names).fit(X_train, Y)
    assert list(named.classes_) == list(names)
    np.testing.assert_array_equal(
        named.predict(X_test),
        names[plain.predict(X_test).astype(int)],
        err_msg=f"{name}: classes=... renames the columns but changes the model.",
    )


def check_llp_inputs_not_mutated(name, estimator):
    """fit, predict and score leave X, the bag target and sample_weight untouched."""
    X, Y, X_test, _, _ = _llp_data()
    _assert_inputs_not_mutated(name, _seeded(estimator), X, Y, X_test, score=True)


def check_llp_pickle_round_trip(name, estimator):
    """A fitted estimator predicts the same after pickling."""
    X, Y, X_test, _, _ = _llp_data()
    _assert_pickle_round_trip(name, _seeded(estimator).fit(X, Y), X_test)


def check_llp_random_state_fixes_result(name, estimator):
    """Same random_state, same predictions; n_jobs does not change them."""
    X, Y, X_test, _, _ = _llp_data()
    _assert_random_state_fixes_result(name, lambda seed: _seeded(estimator, seed), X, Y, X_test)


def check_llp_probabilities_valid(name, estimator):
    """predict_proba is finite, in [0, 1], rows summing to 1, far points too."""
    X, Y, X_test, _, _ = _llp_data()
    fitted = _seeded(estimator).fit(X, Y)
    if not hasattr(fitted, "predict_proba"):
        return
    _far_probabilities(name, fitted, X_test, distance=1e4)


def check_llp_bad_bag_target_rejected(name, estimator):
    """Bad proportions, inconsistent bags, wrong shapes and unfitted use fail clearly."""
    X, Y, X_test, _, _ = _llp_data()
    outside = Y.copy()
    outside[Y[:, 0] == Y[0, 0], 1:] = [1.5, -0.5]
    not_one = Y.copy()
    not_one[Y[:, 0] == Y[0, 0], 1:] = [0.5, 0.7]
    two_rows = Y.copy()
    members = np.flatnonzero(Y[:, 0] == Y[0, 0])
    two_rows[members[0], 1:] = [0.0, 1.0] if Y[members[0], 1] != 0.0 else [1.0, 0.0]
    fractional = Y.copy()
    fractional[:, 0] += 0.5
    bad_targets = [
        (outside, ("[0, 1]",), "proportions outside [0, 1]"),
        (not_one, ("sum to 1",), "rows not summing to 1"),
        (two_rows, ("two different",), "one bag carrying two proportion rows"),
        (fractional, ("integer",), "non-integer bag ids"),
        (Y[:, :2], ("shape", "class"), "a single proportion column"),
        (np.zeros(X.shape[0], dtype=int), ("class",), "a single class"),
    ]
    _assert_bad_input_rejected(name, _seeded(estimator), X, Y, X_test, bad_targets)
    if "classes" in estimator.get_params():
        _assert_raises_value_error(
            _with_params(_seeded(estimator), classes=[0, 1, 2]).fit,
            X,
            Y,
            match_any=("columns", "expected", "classes"),
            what=f"{name} with more classes than proportion columns",
        )


def check_llp_splitters_keep_bags_whole(name, estimator):
    """GridSearchCV with the bag splitters fits on the bag target alone, bags whole."""
    from ..llp import BagKFold, BagStratifiedKFold, make_bag_scorer

    X, Y, _, _, _ = _llp_data()
    # The default score with one splitter, the bag scorer with the other.
    for cv, scoring in ((BagKFold(3), None), (BagStratifiedKFold(3), make_bag_scorer())):
        for train, test in cv.split(X, Y):
            shared = np.intersect1d(Y[train, 0], Y[test, 0])
            assert shared.size == 0, (
                f"{type(cv).__name__} splits bags {shared[:5].tolist()} between train and test."
            )
        search = GridSearchCV(
            _seeded(estimator),
            {},
            cv=cv,
            scoring=scoring,
            refit=False,
            error_score="raise",
        )
        search.fit(X, Y)
        score = search.cv_results_["mean_test_score"][0]
        assert np.isfinite(score) and score <= 1.0, (
            f"{name}: bag-fold score {score} with {type(cv).__name__} is not a sane "
            "bag-level score."
        )


def check_llp_score_is_bag_level(name, estimator):
    """``score`` is 1 - the mean absolute proportion error on a bag target, accuracy on labels."""
    from ..llp import mean_absolute_proportion_error

    X, Y, X_test, y_test, _ = _llp_data()
    fitted = _seeded(estimator).fit(X, Y)
    if hasattr(fitted, "predict_proba"):
        proba = fitted.predict_proba(X)
    else:
        proba = (fitted.predict(X)[:, None] == fitted.classes_[None, :]).astype(float)
    expected = 1.0 - mean_absolute_proportion_error(Y, proba)
    assert np.isclose(fitted.score(X, Y), expected), (
        f"{name}.score on a bag target is {fitted.score(X, Y):.4f}, not the bag-level "
        f"1 - mean absolute proportion error ({expected:.4f})."
    )
    accuracy = np.mean(fitted.predict(X_test) == y_test)
    assert np.isclose(fitted.score(X_test, y_test), accuracy), (
        f"{name}.score on 1-D labels is not the accuracy."
    )


CHECKS = [
    check_llp_full_information_is_supervised,
    check_llp_learns_from_bags,
    check_llp_multiclass,
    check_llp_bag_ids_are_names,
    check_llp_class_labels,
    check_llp_inputs_not_mutated,
    check_llp_pickle_round_trip,
    check_llp_random_state_fixes_result,
    check_llp_probabilities_valid,
    check_llp_bad_bag_target_rejected,
    check_llp_splitters_keep_bags_whole,
    check_llp_score_is_bag_level,
]
