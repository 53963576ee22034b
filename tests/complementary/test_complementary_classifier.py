"""ComplementaryLabelClassifier: losses, encodings, limits and errors."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklweak.complementary import (
    ComplementaryLabelClassifier,
    make_complementary_scorer,
)
from sklweak.datasets import make_complementary_labels

LOSSES = ["pc", "fwd", "ure", "ure_ga", "scl_nl", "scl_exp"]
BIASED = np.array(
    [
        [0.0, 0.9, 0.05, 0.05],
        [0.05, 0.0, 0.9, 0.05],
        [0.05, 0.05, 0.0, 0.9],
        [0.9, 0.05, 0.05, 0.0],
    ]
)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def four_classes():
    X, y = make_classification(
        n_samples=1500,
        n_features=8,
        n_informative=6,
        n_redundant=0,
        n_classes=4,
        n_clusters_per_class=1,
        class_sep=1.5,
        random_state=1,
    )
    return train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)


def _accuracy(clf, X, y):
    return float(np.mean(clf.predict(X) == y))


@pytest.mark.parametrize("loss", LOSSES)
def test_every_loss_learns_from_uniform_labels(loss, four_classes):
    X_train, X_test, y_train, y_test = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = ComplementaryLabelClassifier(loss=loss, random_state=0).fit(X_train, y_bar)
    assert clf.loss_ == loss
    assert _accuracy(clf, X_test, y_test) > 0.5
    proba = clf.predict_proba(X_test)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_surrogate_losses_close_to_supervised_on_digits(digits):
    X_train, X_test, y_train, y_test = digits
    y_bar = make_complementary_labels(y_train, random_state=0)
    ceiling = _accuracy(LogisticRegression(max_iter=2000).fit(X_train, y_train), X_test, y_test)
    for loss in ("fwd", "scl_nl", "scl_exp"):
        clf = ComplementaryLabelClassifier(loss=loss).fit(X_train, y_bar)
        assert _accuracy(clf, X_test, y_test) > ceiling - 0.15, loss


def test_uniform_forward_equals_scl_nl(four_classes):
    X_train, X_test, y_train, _ = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    fwd = ComplementaryLabelClassifier(loss="fwd").fit(X_train, y_bar)
    nl = ComplementaryLabelClassifier(loss="scl_nl").fit(X_train, y_bar)
    np.testing.assert_allclose(fwd.predict_proba(X_test), nl.predict_proba(X_test))


def test_ordinary_labels_equal_full_complementary_matrix(four_classes):
    X_train, X_test, y_train, _ = four_classes
    full = np.ones((y_train.shape[0], 4), dtype=int)
    full[np.arange(y_train.shape[0]), y_train] = 0
    ordinary = ComplementaryLabelClassifier(y_type="ordinary").fit(X_train, y_train)
    matrix = ComplementaryLabelClassifier(loss="scl_nl").fit(X_train, full)
    assert ordinary.loss_ == "ce"
    np.testing.assert_allclose(
        ordinary.predict_proba(X_test), matrix.predict_proba(X_test), atol=1e-8
    )
    assert ordinary.score(X_train, y_train) > 0.8


@pytest.mark.parametrize("loss", LOSSES)
def test_two_classes_are_exact_ordinary_labels(loss):
    X, y = make_classification(n_samples=300, random_state=0)
    y_bar = 1 - y
    clf = ComplementaryLabelClassifier(loss=loss, random_state=0).fit(X, y_bar)
    ordinary = ComplementaryLabelClassifier(y_type="ordinary").fit(X, y)
    assert clf.loss_ == "ce"
    assert clf.coef_.shape == (1, X.shape[1])
    np.testing.assert_allclose(clf.decision_function(X), ordinary.decision_function(X))
    np.testing.assert_array_equal(clf.predict(X), ordinary.predict(X))


def test_several_labels_per_sample_help(four_classes):
    X_train, X_test, y_train, y_test = four_classes
    one = make_complementary_labels(y_train, random_state=0)
    two = make_complementary_labels(y_train, n_complementary=2, random_state=0)
    for loss in ("fwd", "scl_nl", "scl_exp", "ure"):
        acc_one = _accuracy(
            ComplementaryLabelClassifier(loss=loss).fit(X_train, one), X_test, y_test
        )
        acc_two = _accuracy(
            ComplementaryLabelClassifier(loss=loss).fit(X_train, two), X_test, y_test
        )
        assert acc_two >= acc_one - 0.02, loss


@pytest.mark.parametrize("loss", ["pc", "ure_ga"])
def test_single_label_losses_reject_several_labels(loss, four_classes):
    X_train, _, y_train, _ = four_classes
    two = make_complementary_labels(y_train, n_complementary=2, random_state=0)
    with pytest.raises(ValueError, match="one complementary label per sample"):
        ComplementaryLabelClassifier(loss=loss).fit(X_train, two)


def test_known_transition_matrix_helps_on_biased_labels(four_classes):
    X_train, X_test, y_train, y_test = four_classes
    y_bar = make_complementary_labels(y_train, transition_matrix=BIASED, random_state=0)
    uniform = ComplementaryLabelClassifier(loss="fwd").fit(X_train, y_bar)
    known = ComplementaryLabelClassifier(loss="fwd", transition_matrix=BIASED).fit(X_train, y_bar)
    estimated = ComplementaryLabelClassifier(loss="fwd", transition_matrix="estimate").fit(
        X_train, y_bar
    )
    np.testing.assert_allclose(known.transition_matrix_, BIASED)
    assert estimated.transition_matrix_.shape == (4, 4)
    acc_uniform = _accuracy(uniform, X_test, y_test)
    assert _accuracy(known, X_test, y_test) > acc_uniform + 0.05
    assert _accuracy(estimated, X_test, y_test) > acc_uniform


def test_biased_unbiased_risk_uses_the_inverse_matrix(four_classes):
    X_train, X_test, y_train, y_test = four_classes
    y_bar = make_complementary_labels(y_train, transition_matrix=BIASED, random_state=0)
    clf = ComplementaryLabelClassifier(loss="ure", transition_matrix=BIASED, alpha=1e-2)
    clf.fit(X_train, y_bar)
    assert _accuracy(clf, X_test, y_test) > 0.5


@pytest.mark.parametrize(
    "params, match",
    [
        ({"loss": "pc", "transition_matrix": BIASED}, "transition_matrix is used"),
        ({"loss": "fwd", "transition_matrix": np.ones((4, 4)) / 4}, "zero diagonal"),
        ({"loss": "fwd", "transition_matrix": BIASED * 2}, "sum to 1"),
        ({"loss": "fwd", "transition_matrix": BIASED[:3, :3]}, "shape"),
        ({"loss": "fwd", "transition_matrix": -BIASED}, "non-negative"),
    ],
)
def test_bad_transition_matrix_rejected(params, match, four_classes):
    X_train, _, y_train, _ = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    with pytest.raises(ValueError, match=match):
        ComplementaryLabelClassifier(**params).fit(X_train, y_bar)


def test_singular_matrix_rejected_for_unbiased_risk(four_classes):
    X_train, _, y_train, _ = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    singular = np.array([[0, 0.5, 0.5, 0], [0.5, 0, 0.5, 0], [0.5, 0.5, 0, 0], [0.5, 0.5, 0, 0]])
    singular[3] = [0.5, 0.5, 0.0, 0.0]
    singular[2] = [0.5, 0.5, 0.0, 0.0]
    with pytest.raises(ValueError, match="singular"):
        ComplementaryLabelClassifier(loss="ure", transition_matrix=singular).fit(X_train, y_bar)


def test_ordinary_y_type_rejects_matrix(four_classes):
    X_train, _, y_train, _ = four_classes
    with pytest.raises(ValueError, match="1-D y of true labels"):
        ComplementaryLabelClassifier(y_type="ordinary").fit(X_train, np.eye(4, dtype=int)[y_train])


@pytest.mark.parametrize("loss", ["fwd", "ure_ga"])
def test_convergence_warning_at_max_iter(loss, four_classes):
    X_train, _, y_train, _ = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        ComplementaryLabelClassifier(loss=loss, max_iter=1, random_state=0).fit(X_train, y_bar)


def test_sample_weight_is_repetition(four_classes):
    X_train, X_test, y_train, _ = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    weights = np.random.RandomState(0).randint(0, 3, size=y_bar.shape[0])
    weighted = ComplementaryLabelClassifier(tol=1e-8).fit(X_train, y_bar, sample_weight=weights)
    repeated = ComplementaryLabelClassifier(tol=1e-8).fit(
        np.repeat(X_train, weights, axis=0), np.repeat(y_bar, weights)
    )
    np.testing.assert_allclose(
        weighted.predict_proba(X_test), repeated.predict_proba(X_test), atol=1e-4
    )


def test_score_is_accuracy_on_true_labels_and_the_scorer_estimates_it(four_classes):
    X_train, X_test, y_train, y_test = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    y_bar_test = make_complementary_labels(y_test, random_state=1)
    clf = ComplementaryLabelClassifier().fit(X_train, y_bar)
    accuracy = _accuracy(clf, X_test, y_test)
    assert clf.score(X_test, y_test) == pytest.approx(accuracy)
    estimated = make_complementary_scorer()(clf, X_test, y_bar_test)
    assert estimated == pytest.approx(accuracy, abs=0.1)


@parametrize_with_checks([ComplementaryLabelClassifier(y_type="ordinary")])
def test_sklearn_checks_on_ordinary_labels(estimator, check):
    """With y_type='ordinary' every scikit-learn check passes, none expected to fail."""
    check(estimator)


def test_zero_sample_weight_rejected(four_classes):
    X_train, _, y_train, _ = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    with pytest.raises(ValueError, match="(?i)sample.weight"):
        ComplementaryLabelClassifier().fit(X_train, y_bar, sample_weight=np.zeros(len(y_bar)))


def test_column_vector_y_warns_and_matches(four_classes):
    from sklearn.exceptions import DataConversionWarning

    X_train, X_test, y_train, _ = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    flat = ComplementaryLabelClassifier().fit(X_train, y_bar)
    with pytest.warns(DataConversionWarning):
        column = ComplementaryLabelClassifier().fit(X_train, y_bar[:, None])
    np.testing.assert_allclose(column.predict_proba(X_test), flat.predict_proba(X_test))


def test_continuous_y_rejected(four_classes):
    X_train, _, y_train, _ = four_classes
    with pytest.raises(ValueError, match="Unknown label type"):
        ComplementaryLabelClassifier().fit(
            X_train, y_train + 0.5 * np.random.default_rng(0).random(len(y_train))
        )


@pytest.mark.parametrize("model", ["linear", "mlp"])
def test_a_misspelled_device_fails_at_fit_on_either_backend(four_classes, model):
    X_train, _, y_train, _ = four_classes
    y_bar = make_complementary_labels(y_train, random_state=0)
    clf = ComplementaryLabelClassifier(model=model, device="foo")
    with pytest.raises(ValueError, match="ComplementaryLabelClassifier: device must be"):
        clf.fit(X_train, y_bar)
