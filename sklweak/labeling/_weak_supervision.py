"""WeakSupervisionClassifier: a label model on the votes, then an end model on its labels."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import MetaEstimatorMixin, clone
from sklearn.model_selection import StratifiedKFold

from ..base import BaseWeakClassifier, DelegationMixin, VoteMatrixMixin, copy_input_tags
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions
from ..utils._targets import (
    VoteTarget,
    check_true_label_range,
    decode_vote_target,
    split_true_labels,
)
from ..utils._weights import sample_weight_parameter
from ._label_model import LabelModel

__all__ = ["WeakSupervisionClassifier"]


def _training_set(X, proba, rows, soft_labels, min_share):
    """(row indices, class indices, weights) of the end model's training set."""
    if soft_labels == "confidence":
        return rows, np.argmax(proba[rows], axis=1), proba[rows].max(axis=1)
    sub = proba[rows]
    keep_row, keep_class = np.nonzero(sub >= min_share)
    return rows[keep_row], keep_class, sub[keep_row, keep_class]


def _row_weights(sample_weight, rows):
    """The weights of ``rows`` (a mask or indices), ones without ``sample_weight``."""
    if sample_weight is None:
        return np.ones(np.count_nonzero(rows) if rows.dtype == bool else rows.shape[0])
    return sample_weight[rows]


class WeakSupervisionClassifier(
    VoteMatrixMixin, DelegationMixin, MetaEstimatorMixin, BaseWeakClassifier
):
    """Classifier trained on the votes of labeling functions through a label model.

    ``fit(X, L)`` fits ``label_model`` on the vote matrix ``L``, then a clone
    of ``estimator`` on the rows some function covers, with the label model's
    class probabilities as soft labels; ``predict(X)`` needs only ``X``, so
    the classifier also labels rows no function covers.

    Parameters
    ----------
    estimator : estimator instance
        Classifier with ``fit`` and ``predict``; it should accept
        ``sample_weight`` (a Pipeline: its last step), otherwise every row
        gets its most probable class, unweighted.
    label_model : estimator instance, default=None
        Turns ``L`` into class probabilities (``fit(L)``, ``predict_proba(L)``);
        ``None`` means :class:`LabelModel` with its defaults. Cloned.
    soft_labels : {"confidence", "copies"}, default="confidence"
        ``"confidence"``: each covered row enters once, with its most probable
        class, weighted by that probability (measured best, see
        ``benchmarks/RESULTS.md``). ``"copies"``: once per class whose
        probability is at least ``min_share``, weighted by that probability
        (the expected loss under the soft label).
    min_share : float in (0, 1], default=0.4
        Smallest class probability that makes a copy (``"copies"``): a
        two-class row is copied twice only where the label model is nearly
        undecided, and a row with no class that probable is left out. The
        best measured of 0.01 to 0.5 (was 0.05; see ``benchmarks/RESULTS.md``).
    uncovered : {"ignore", "self_train"}, default="ignore"
        Rows no function votes on: left out, or added once with the first
        end model's prediction (weighted by its probability) where that
        probability is at least ``threshold``, before a second fit.
    threshold : float in (0, 1], default=0.9
        Confidence needed to self-label an uncovered row.
    abstain_label : int, default=-1
        The vote that means "abstain" in ``L``.
    true_labels_column : int, default=None
        Column of ``L`` that holds a few true labels (class indices,
        ``abstain_label`` where unknown) instead of a function's votes, for
        example a small hand-labeled dev sample. They calibrate the label
        model (its ``fit(L, y)``), replace its probabilities on their rows,
        and make ``score`` the accuracy on them, so that ``GridSearchCV``
        selects by true labels. ``None``: every column is a function.
    use_votes : {"auto", "always"}, default="auto"
        With true labels: ``"auto"`` cross-validates, on the true labels
        only, the end model trained on the votes (and the true labels)
        against the end model trained on the true labels alone, and keeps
        the votes only when they score higher (rules written from a small
        labeled sample often carry less than the sample itself, see
        ``benchmarks/RESULTS.md``); ``"always"`` keeps them. Without true
        labels the votes are always used.

    Attributes
    ----------
    label_model_ : estimator instance
        The fitted label model (None when ``y`` was 1-D).
    estimator_ : estimator instance
        The fitted end model.
    classes_ : ndarray of shape (n_classes,)
        Class indices ``0 .. n_classes - 1`` of the votes (the labels
        themselves when ``y`` was 1-D).
    coverage_ : float
        Fraction of training rows with at least one vote.
    n_self_labeled_ : int
        Uncovered rows added by self-training.
    n_true_labels_ : int
        Rows with a true label in ``true_labels_column`` (0 without one).
    votes_used_ : bool
        Whether the end model was trained on the votes (False when
        ``use_votes="auto"`` found the true labels alone better).
    cv_scores_ : dict or None
        ``{"votes": ..., "true_labels": ...}``: the mean cross-validated
        accuracy of both end models on the true labels, when
        ``use_votes="auto"`` compared them; None otherwise.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str, shape (n_features,)
        Feature names seen in ``fit``, when ``X`` has string column names.

    See Also
    --------
    LabelModel : The default label model.

    Notes
    -----
    A 1-D ``y`` holds ordinary labels (any dtype), the strongest weak labels:
    the estimator is then fitted on them as they are. ``score`` with the vote
    matrix as ``y`` needs no true label, so ``GridSearchCV(clf, ...).fit(X, L)``
    selects hyperparameters on the votes alone; with ``true_labels_column``
    it selects by the accuracy on the few true labels of each test fold.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklweak.labeling import WeakSupervisionClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> L = np.column_stack([
    ...     np.where(X[:, 22] > 120, 0, -1),   # large worst perimeter: malignant
    ...     np.where(X[:, 27] < 0.1, 1, -1),   # low worst concave points: benign
    ...     np.where(X[:, 23] < 600, 1, -1),   # small worst area: benign
    ... ])
    >>> clf = WeakSupervisionClassifier(
    ...     make_pipeline(StandardScaler(), LogisticRegression())).fit(X, L)
    >>> bool(np.mean(clf.predict(X) == y) > 0.9)
    True
    """

    _weak_label_kind = "labeling-functions"

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "label_model": [HasMethods(["fit", "predict_proba"]), None],
        "soft_labels": [StrOptions({"copies", "confidence"})],
        "min_share": [Interval(Real, 0, 1, closed="right")],
        "uncovered": [StrOptions({"ignore", "self_train"})],
        "threshold": [Interval(Real, 0, 1, closed="right")],
        "abstain_label": [Integral],
        "true_labels_column": [Integral, None],
        "use_votes": [StrOptions({"auto", "always"})],
    }

    def __init__(
        self,
        estimator,
        *,
        label_model=None,
        soft_labels="confidence",
        min_share=0.4,
        uncovered="ignore",
        threshold=0.9,
        abstain_label=-1,
        true_labels_column=None,
        use_votes="auto",
    ):
        self.estimator = estimator
        self.label_model = label_model
        self.soft_labels = soft_labels
        self.min_share = min_share
        self.uncovered = uncovered
        self.threshold = threshold
        self.abstain_label = abstain_label
        self.true_labels_column = true_labels_column
        self.use_votes = use_votes

    def _validate_data_options(self):
        return {"accept_sparse": ["csr", "csc"], "ensure_all_finite": False, "dtype": None}

    def __sklearn_tags__(self):
        return copy_input_tags(super().__sklearn_tags__(), self.estimator)

    def _fit_end_model(self, X, rows, labels, weights):
        estimator = clone(self.estimator)
        weight_parameter = sample_weight_parameter(estimator)
        if weight_parameter is not None:
            return estimator.fit(X[rows], labels, **{weight_parameter: weights})
        if self.soft_labels == "copies":  # without weights, a copy per class is noise
            best = {}
            for row, label, weight in zip(rows, labels, weights):
                if weight > best.get(row, (-1.0, 0))[0]:
                    best[row] = (weight, label)
            rows = np.fromiter(best, dtype=np.int64)
            labels = np.array([best[r][1] for r in rows])
        return estimator.fit(X[rows], labels)

    def fit(self, X, y, sample_weight=None):
        """Fit the label model on the votes, then the end model on its soft labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples, n_functions) or (n_samples,)
            The vote matrix ``L`` (class indices, ``abstain_label`` where a
            function abstains); a 1-D ``y`` holds ordinary labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row: the label model's ``fit`` receives it, and it
            multiplies the weights the end model is fitted with, so both must
            take ``sample_weight``. An integer weight equals repeating the
            row, up to the folds of ``use_votes="auto"``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return super().fit(X, y, sample_weight=sample_weight)

    def _decode_target(self, y):
        return decode_vote_target(
            y, abstain_label=self.abstain_label, true_labels_column=self.true_labels_column
        )

    def _weight_parameters(self, label_model, sample_weight):
        """The keywords that hand ``sample_weight`` to the end model and the label model."""
        if sample_weight is None:
            return None, {}
        end_model = sample_weight_parameter(self.estimator)
        if end_model is None:
            raise TypeError(
                f"sample_weight needs an estimator whose fit takes sample_weight; "
                f"{type(self.estimator).__name__}.fit does not."
            )
        if label_model is not None and sample_weight_parameter(label_model) is None:
            raise TypeError(
                f"sample_weight needs a label_model whose fit takes sample_weight; "
                f"{type(label_model).__name__}.fit does not."
            )
        return end_model, {"sample_weight": sample_weight}

    def _fit(self, X, target, sample_weight):
        self.n_self_labeled_ = 0
        self.n_true_labels_ = 0
        self.votes_used_ = True
        self.cv_scores_ = None
        if not isinstance(target, VoteTarget):
            end_model_weight, _ = self._weight_parameters(None, sample_weight)
            self.classes_ = target.classes
            self.label_model_ = None
            self.coverage_ = 1.0
            weights = {} if end_model_weight is None else {end_model_weight: sample_weight}
            self.estimator_ = clone(self.estimator).fit(X, target.y_encoded, **weights)
            return self
        y_given, functions, votes, true_labels = target
        label_model = LabelModel() if self.label_model is None else clone(self.label_model)
        if "abstain_label" in label_model.get_params():
            label_model.set_params(abstain_label=self.abstain_label)
        _, label_model_weight = self._weight_parameters(label_model, sample_weight)
        known = np.zeros(votes.shape[0], dtype=bool) if true_labels is None else true_labels >= 0
        self.n_true_labels_ = int(known.sum())
        fit_labels = (
            (np.where(known, true_labels, self.abstain_label),) if self.n_true_labels_ else ()
        )
        self.label_model_ = label_model.fit(functions, *fit_labels, **label_model_weight)
        proba = self.label_model_.predict_proba(functions)
        self.classes_ = np.arange(proba.shape[1])
        if self.n_true_labels_:
            check_true_label_range(true_labels, proba.shape[1])
            proba[known] = np.eye(proba.shape[1])[true_labels[known]]
        covered = np.any(votes >= 0, axis=1) | known
        self.coverage_ = float(np.average(covered, weights=sample_weight))
        if not covered.any():
            raise ValueError("y (the vote matrix) has no vote: every labeling function abstains.")
        rows, labels, weights = _training_set(
            X, proba, np.flatnonzero(covered), self.soft_labels, self.min_share
        )
        if rows.shape[0] == 0:
            raise ValueError(
                "No covered row has a class probability of at least "
                f"min_share={self.min_share}; lower min_share."
            )
        if sample_weight is not None:
            weights = weights * sample_weight[rows]
        if np.unique(labels).shape[0] < 2:
            raise ValueError(
                "The label model gives every covered row the same class "
                f"{int(labels[0])}; the end model needs two classes."
            )
        if self.n_true_labels_ and self.use_votes == "auto":
            self.cv_scores_ = self._cross_validate_votes(X, y_given, true_labels, sample_weight)
            if self.cv_scores_ is not None:
                self.votes_used_ = self.cv_scores_["votes"] > self.cv_scores_["true_labels"]
        if not self.votes_used_:
            self.estimator_ = self._fit_end_model(
                X, np.flatnonzero(known), true_labels[known], _row_weights(sample_weight, known)
            )
            return self
        self.estimator_ = self._fit_end_model(X, rows, labels, weights)
        if self.uncovered == "self_train" and not covered.all() and self._can_self_train():
            self._self_train(X, covered, rows, labels, weights, sample_weight)
        return self

    def _cross_validate_votes(self, X, y_given, true_labels, sample_weight):
        """Mean accuracy on held-out true labels: end model with the votes, and without.

        The folds split the rows with a true label (stratified, at most 5);
        the model with the votes sees the true labels of its training folds
        only. None when a class has fewer than 2 true labels (no such folds).
        With ``sample_weight``, the fits and the accuracies weigh the rows.
        """
        rows = np.flatnonzero(true_labels >= 0)
        labels = true_labels[rows]
        counts = np.bincount(labels)
        counts = counts[counts > 0]
        if counts.shape[0] < 2 or counts.min() < 2:
            return None
        column = self.true_labels_column % y_given.shape[1]
        with_votes = clone(self).set_params(use_votes="always")
        scores = {"votes": [], "true_labels": []}
        for train, test in StratifiedKFold(min(5, counts.min())).split(rows, labels):
            fold = y_given.copy()
            fold[rows[test], column] = self.abstain_label
            test_weight = None if sample_weight is None else sample_weight[rows[test]]
            predicted = clone(with_votes).fit(X, fold, sample_weight).predict(X[rows[test]])
            scores["votes"].append(np.average(predicted == labels[test], weights=test_weight))
            alone = self._fit_end_model(
                X, rows[train], labels[train], _row_weights(sample_weight, rows[train])
            )
            scores["true_labels"].append(
                np.average(alone.predict(X[rows[test]]) == labels[test], weights=test_weight)
            )
        return {key: float(np.mean(value)) for key, value in scores.items()}

    def _can_self_train(self):
        return hasattr(self.estimator_, "predict_proba")

    def _self_train(self, X, covered, rows, labels, weights, sample_weight):
        others = np.flatnonzero(~covered)
        proba = self._to_classes(self.estimator_.predict_proba(X[others]), 0.0)
        confident = proba.max(axis=1) >= self.threshold
        self.n_self_labeled_ = int(confident.sum())
        if self.n_self_labeled_:
            confidence = proba[confident].max(axis=1)
            if sample_weight is not None:
                confidence = confidence * sample_weight[others[confident]]
            self.estimator_ = self._fit_end_model(
                X,
                np.concatenate([rows, others[confident]]),
                np.concatenate([labels, np.argmax(proba[confident], axis=1)]),
                np.concatenate([weights, confidence]),
            )

    def _to_classes(self, values, fill):
        """The end model's columns spread over ``classes_``."""
        inner = np.searchsorted(np.arange(self.classes_.shape[0]), self.estimator_.classes_)
        if inner.shape[0] == self.classes_.shape[0]:
            return values
        full = np.full((values.shape[0], self.classes_.shape[0]), fill)
        full[:, inner] = values
        return full

    def _to_labels(self, predicted):
        return self.classes_[np.asarray(predicted, dtype=np.int64)]

    def score(self, X, y, sample_weight=None):
        """Agreement of the predictions with the votes (or accuracy on labels).

        With the vote matrix as ``y``, the fraction of votes that equal the
        prediction of their row: no true label needed, and when every
        function is better than chance it grows with the true accuracy. With
        a 1-D ``y``, the accuracy.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        y : array-like of shape (n_samples, n_functions) or (n_samples,)
            Vote matrix or true labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row's votes.

        Returns
        -------
        score : float
            Weighted fraction of agreeing votes, or accuracy.
        """
        y = np.asarray(y)
        if y.ndim == 1:
            return super().score(X, y, sample_weight=sample_weight)
        predicted = self.predict(X)
        if self.true_labels_column is not None:
            return self._score_true_labels(y, predicted, sample_weight)
        votes, _ = self._decode_votes(
            y, n_classes=self.classes_.shape[0], name="y (the vote matrix)"
        )
        if votes.shape[0] != predicted.shape[0]:
            raise ValueError(f"y has {votes.shape[0]} rows but X has {predicted.shape[0]}.")
        weights = np.ones(votes.shape[0]) if sample_weight is None else np.asarray(sample_weight)
        agree = (votes == np.searchsorted(self.classes_, predicted)[:, None]).sum(axis=1)
        n_votes = (votes >= 0).sum(axis=1)
        return float(np.sum(weights * agree) / max(np.sum(weights * n_votes), 1e-12))

    def _score_true_labels(self, y, predicted, sample_weight):
        _, true_labels = split_true_labels(
            y, true_labels_column=self.true_labels_column, abstain_label=self.abstain_label
        )
        if true_labels.shape[0] != predicted.shape[0]:
            raise ValueError(f"y has {true_labels.shape[0]} rows but X has {predicted.shape[0]}.")
        check_true_label_range(true_labels, self.classes_.shape[0])
        known = true_labels >= 0
        if not known.any():
            raise ValueError(
                "No row here has a true label in true_labels_column: accuracy is undefined. "
                "Split so that every test fold holds some (for example StratifiedKFold on "
                "that column)."
            )
        weights = np.ones(known.shape[0]) if sample_weight is None else np.asarray(sample_weight)
        right = self.classes_[true_labels[known]] == predicted[known]
        return float(np.average(right, weights=weights[known]))
