"""LabelModel: combine the votes of labeling functions into class probabilities."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import BaseWeakClassifier, VoteMatrixMixin
from ..utils._sklearn_compat import Interval, StrOptions
from ..utils._targets import LabelModelTarget, decode_true_labels
from ._label_model_methods import (
    _normalize_log,
    clamp_to_labels,
    copy_weights,
    em_log_conf,
    em_m_step,
    log_posterior,
    majority_posterior,
    matrix_completion_log_conf,
    triplet_log_conf,
    weighted_vote_log_conf,
)
from ._votes import vote_indicator, weigh_rows

__all__ = ["LabelModel"]

METHODS = (
    "majority_vote",
    "weighted_vote",
    "one_coin",
    "dawid_skene",
    "matrix_completion",
    "triplet",
    "anchored_dawid_skene",
)
# The methods that model "not class k" columns.
_NEGATIVE_METHODS = ("anchored_dawid_skene", "dawid_skene", "majority_vote")
# Weight of the vote shares in the anchored model's probabilities (the rest is
# its one-step Dawid-Skene posterior); chosen on benchmarks/bench_labeling.py.
_ANCHOR_WEIGHT = 2 / 3


def _check_class_prior(class_prior, n_classes):
    prior = np.asarray(class_prior, dtype=np.float64)
    if prior.shape != (n_classes,) or not np.all(np.isfinite(prior)) or np.any(prior <= 0):
        raise ValueError(
            f"class_prior must be {n_classes} positive numbers (one per class); got {class_prior!r}."
        )
    return prior / prior.sum()


class LabelModel(VoteMatrixMixin, BaseWeakClassifier):
    """Class probabilities from the votes of labeling functions.

    A labeling function votes a class for some rows and abstains on the
    others. ``fit`` learns how far each function can be trusted from the vote
    matrix alone (and from a few true labels when given); ``predict_proba``
    combines each row's votes accordingly.

    Parameters
    ----------
    method : {"anchored_dawid_skene", "dawid_skene", "one_coin", "weighted_vote", \
            "majority_vote", "matrix_completion", "triplet"}, \
            default="anchored_dawid_skene"
        How the functions' reliability is estimated:

        - ``"anchored_dawid_skene"`` (the best measured, see
          ``benchmarks/RESULTS.md``): each function's confusion matrix
          (abstention one of its outputs) measured against the majority
          vote's shares, that is one M-step of Dawid-Skene from the majority
          vote; the probabilities are 2/3 the vote shares plus 1/3 that
          model's posterior. Staying one step from the majority vote keeps
          correlated functions from confirming each other round after round,
          which is how full EM loses to majority vote on dependent rules.

        - ``"majority_vote"``: every vote counts one; the probabilities are
          the vote shares.
        - ``"weighted_vote"``: each function's vote weighs its log-odds of
          being right, its accuracy read from its agreement with the other
          functions' majority (or from the true labels of ``y``, where it
          voted on 5 of them).
        - ``"one_coin"``: Dawid-Skene EM with one accuracy per function.
        - ``"dawid_skene"``: Dawid-Skene EM with a full confusion matrix per
          function, abstention being one of its outputs, so a function that
          only ever votes one class still informs through when it fires.
        - ``"matrix_completion"``: MeTaL/Snorkel-style fit of the
          class-conditional vote probabilities to the overlap matrix of the
          votes (Ratner et al., 2019).
        - ``"triplet"``: FlyingSquid-style closed form (Fu et al., 2020):
          accuracies from the agreement rates of every triplet of functions.
    n_classes : int, default=None
        Number of classes; ``None`` means the largest vote plus one.
    class_prior : array-like of shape (n_classes,), default=None
        Class balance; ``None`` estimates it from the votes.
    negative : array-like of bool, shape (n_functions,), default=None
        True for the columns of ``L`` whose vote ``k`` means "not class k"
        (see :func:`apply_labeling_functions`); the default,
        ``"dawid_skene"`` and ``"majority_vote"`` model them (a "not k" vote
        counts ``1 / (n_classes - 1)`` for each other class in the majority
        vote, and has its own confusion matrix in Dawid-Skene).
    copy_threshold : float in (0, 1] or None, default=0.7
        Functions whose agreement Jaccard index (rows both vote alike over
        rows either votes on) exceeds it are near-copies; each function's
        votes then count ``1 / (1 + its number of near-copies)``, so a rule
        written twice is not counted twice. ``None`` counts every function
        fully. Used by every method but ``"majority_vote"``.
    abstain_weight : float in [0, 1], default=1.0
        How much abstentions count as evidence in the generative methods: 1
        is the full model (a function that abstains more often on one class
        says so by abstaining), 0 counts only the votes cast.
    abstain_label : int, default=-1
        The vote that means "abstain" (and, in ``y``, "unknown").
    max_iter : int, default=100
        Most EM iterations (``"dawid_skene"``, ``"one_coin"``) or L-BFGS
        iterations (``"matrix_completion"``); EM reaching it warns with a
        ``ConvergenceWarning``.
    tol : float, default=1e-5
        EM stops when the log-likelihood changes by less than ``tol`` per vote.
    smoothing : float, default=0.001
        Pseudo-count added to every cell of the EM estimates. Smaller is
        better measured down to 0.001, flat below it (was 0.1; see
        ``benchmarks/RESULTS.md``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class indices ``0 .. n_classes - 1``.
    class_prior_ : ndarray of shape (n_classes,)
        Class balance used (given or estimated).
    log_conditional_ : ndarray of shape (n_functions, n_classes, n_classes + 1)
        ``log P(function j outputs o | class y)`` at ``[j, y, o]``, the last
        output being "abstain"; None for ``"majority_vote"``.
    function_weights_ : ndarray of shape (n_functions,)
        Weight of each function's votes (1 unless it has near-copies).
    accuracy_ : ndarray of shape (n_functions,)
        Estimated probability that a function's vote is right.
    n_iter_ : int
        Iterations run (0 for the closed-form methods).
    n_features_in_ : int
        Number of labeling functions (columns of ``L``).
    feature_names_in_ : ndarray of str, shape (n_functions,)
        Function names, when ``L`` is a DataFrame with string column names.

    See Also
    --------
    WeakSupervisionClassifier : Train a classifier on the label model's output.
    lf_summary : Coverage, overlaps, conflicts and accuracy of each function.

    Notes
    -----
    Rows where every function abstains get, from ``predict_proba``, the
    model's probabilities given that nothing voted (the class prior for
    methods that ignore abstention), never NaN; ``predict`` returns
    ``abstain_label`` for them. Ties in ``predict`` go to the class of largest
    prior, then the lowest index. The result depends on no random draw.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.labeling import LabelModel
    >>> rng = np.random.RandomState(0)
    >>> y = rng.randint(2, size=500)
    >>> right = rng.rand(500, 5) < [0.9, 0.8, 0.7, 0.65, 0.6]
    >>> L = np.where(right, y[:, None], 1 - y[:, None])
    >>> L[rng.rand(500, 5) < 0.3] = -1
    >>> model = LabelModel().fit(L)
    >>> model.predict_proba(L).shape
    (500, 2)
    >>> bool(np.mean(model.predict(L) == y) > np.mean(L[:, 4] == y))
    True
    """

    _weak_label_kind = "label-model"

    _parameter_constraints: dict = {
        "method": [StrOptions(set(METHODS))],
        "n_classes": [Interval(Integral, 2, None, closed="left"), None],
        "class_prior": ["array-like", None],
        "negative": ["array-like", None],
        "copy_threshold": [Interval(Real, 0, 1, closed="right"), None],
        "abstain_weight": [Interval(Real, 0, 1, closed="both")],
        "abstain_label": [Integral],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "smoothing": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        *,
        method="anchored_dawid_skene",
        n_classes=None,
        class_prior=None,
        negative=None,
        copy_threshold=0.7,
        abstain_weight=1.0,
        abstain_label=-1,
        max_iter=100,
        tol=1e-5,
        smoothing=0.001,
    ):
        self.method = method
        self.n_classes = n_classes
        self.class_prior = class_prior
        self.negative = negative
        self.copy_threshold = copy_threshold
        self.abstain_weight = abstain_weight
        self.abstain_label = abstain_label
        self.max_iter = max_iter
        self.tol = tol
        self.smoothing = smoothing

    def _validate_data_options(self):
        """The votes are integers of any dtype; one row is enough."""
        return {"dtype": None, "ensure_min_samples": 1}

    def _validate_votes(self, L, reset):
        L = validate_data(self, L, reset=reset, **self._validate_data_options())
        n_classes = self.n_classes if reset else self.classes_.shape[0]
        return self._decode_votes(L, n_classes=n_classes, fitting=reset)

    def __sklearn_tags__(self):
        # X is the vote matrix and y optional: no scikit-learn classifier checks.
        tags = super().__sklearn_tags__()
        tags.estimator_type = None
        tags.classifier_tags = None
        tags.target_tags.required = False
        return tags

    def fit(self, X, y=None, sample_weight=None):
        """Estimate each function's reliability (and the class balance) from the votes.

        Parameters
        ----------
        X : array-like of int, shape (n_samples, n_functions)
            The vote matrix ``L``: class indices, ``abstain_label`` where a
            function abstains.
        y : array-like of shape (n_samples,), default=None
            A few true labels (class indices), ``abstain_label`` where
            unknown. Rows with a label keep it during EM and calibrate
            ``"weighted_vote"``.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each row: every count, vote share and EM
            statistic counts row ``i`` ``sample_weight[i]`` times, so an
            integer weight equals repeating the row.

        Returns
        -------
        self : object
            Fitted label model.
        """
        return super().fit(X, y, sample_weight)

    def _validate_fit_data(self, X, y, sample_weight):
        """The votes of ``X`` and the true labels of ``y``, read against the votes' classes."""
        votes, n_classes = self._validate_votes(X, reset=True)
        labeled = (
            None
            if y is None
            else decode_true_labels(
                y, n_samples=votes.shape[0], n_classes=n_classes, abstain_label=self.abstain_label
            )
        )
        if sample_weight is not None:
            sample_weight = self._validate_sample_weight(sample_weight, votes)
        return votes, LabelModelTarget(n_classes, labeled), sample_weight

    def _fit(self, votes, target, sample_weight):
        n_classes, labeled = target
        self.classes_ = np.arange(n_classes)
        given_prior = (
            None if self.class_prior is None else _check_class_prior(self.class_prior, n_classes)
        )
        indicator = vote_indicator(votes, n_classes)
        self._negative = self._check_negative(votes.shape[1])
        prior = given_prior
        if prior is None:
            prior = self._initial_prior(indicator, n_classes, labeled, sample_weight)
        init = majority_posterior(indicator, n_classes, prior, self._negative)
        self.function_weights_ = np.ones(votes.shape[1])
        if self.copy_threshold is not None and self.method != "majority_vote":
            self.function_weights_ = copy_weights(
                votes, indicator, n_classes, self.copy_threshold, sample_weight
            )
        self.n_iter_ = 0
        self.log_conditional_ = None
        if self.method == "majority_vote":
            log_prior = np.log(prior)
        elif self.method == "anchored_dawid_skene":
            self.log_conditional_, log_prior = em_m_step(
                indicator,
                clamp_to_labels(init.copy(), labeled),
                n_classes,
                one_coin=False,
                class_prior=given_prior,
                smoothing=self.smoothing,
                weights=sample_weight,
            )
            self.n_iter_ = 1
        elif self.method in ("one_coin", "dawid_skene"):
            self.log_conditional_, log_prior, self.n_iter_ = em_log_conf(
                indicator,
                n_classes,
                one_coin=self.method == "one_coin",
                class_prior=given_prior,
                labeled=labeled,
                init_posterior=init,
                function_weights=self.function_weights_,
                max_iter=self.max_iter,
                tol=self.tol,
                smoothing=self.smoothing,
                abstain_weight=self.abstain_weight,
                weights=sample_weight,
            )
        else:
            if self.method == "weighted_vote":
                self.log_conditional_ = weighted_vote_log_conf(
                    indicator, votes, n_classes, labeled, sample_weight
                )
            elif self.method == "triplet":
                self.log_conditional_ = triplet_log_conf(
                    indicator, n_classes, weights=sample_weight
                )
            else:
                self.log_conditional_, self.n_iter_ = matrix_completion_log_conf(
                    indicator, n_classes, prior, init, max_iter=self.max_iter, weights=sample_weight
                )
            log_prior = np.log(prior)
            if given_prior is None:
                log_prior = self._refine_prior(indicator, log_prior, sample_weight)
        self.class_prior_ = np.exp(log_prior)
        self.accuracy_ = self._accuracy(indicator, votes, sample_weight)
        return self

    def _check_negative(self, n_functions):
        if self.negative is None:
            return None
        negative = np.asarray(self.negative)
        if negative.shape != (n_functions,) or negative.dtype != bool:
            raise ValueError(
                f"negative must be {n_functions} booleans (one per column of L); got "
                f"shape {negative.shape} and dtype {negative.dtype}."
            )
        if negative.any() and self.method not in _NEGATIVE_METHODS:
            raise ValueError(
                f"method={self.method!r} does not model 'not class k' columns; use one "
                f"of {_NEGATIVE_METHODS} with negative."
            )
        return negative

    def _initial_prior(self, indicator, n_classes, labeled, sample_weight):
        """Mean vote share over covered rows, smoothed (the true labels' shares if given)."""
        shares = majority_posterior(
            indicator, n_classes, np.full(n_classes, np.nan), self._negative
        )
        covered = ~np.isnan(shares[:, 0])
        counts = weigh_rows(shares, sample_weight)[covered].sum(axis=0)
        if labeled is not None:
            known = labeled >= 0
            counts = counts + np.bincount(
                labeled[known],
                None if sample_weight is None else sample_weight[known],
                minlength=n_classes,
            )
        return (counts + 1) / (counts.sum() + n_classes)

    def _refine_prior(self, indicator, log_prior, sample_weight, n_rounds=10):
        """Fixed point ``prior = mean posterior`` for the closed-form methods."""
        for _ in range(n_rounds):
            post, _ = _normalize_log(
                log_posterior(
                    indicator,
                    self.log_conditional_,
                    log_prior,
                    self.function_weights_,
                    self.abstain_weight,
                )
            )
            prior = np.clip(np.average(post, axis=0, weights=sample_weight), 1e-3, None)
            log_prior = np.log(prior / prior.sum())
        return log_prior

    def _accuracy(self, indicator, votes, sample_weight):
        """Posterior-expected fraction of each function's votes that are right."""
        post = self._proba_from_indicator(indicator)
        rows, cols = np.nonzero(votes >= 0)
        on_vote = post[rows, votes[rows, cols]]
        if self._negative is not None:
            on_vote = np.where(self._negative[cols], 1 - on_vote, on_vote)
        vote_weight = None if sample_weight is None else sample_weight[rows]
        right = np.bincount(cols, weigh_rows(on_vote, vote_weight), minlength=votes.shape[1])
        n_votes = np.bincount(cols, vote_weight, minlength=votes.shape[1])
        return np.divide(right, n_votes, out=np.full(votes.shape[1], np.nan), where=n_votes > 0)

    def _proba_from_indicator(self, indicator):
        n_classes = self.classes_.shape[0]
        shares = majority_posterior(indicator, n_classes, self.class_prior_, self._negative)
        if self.log_conditional_ is None:
            return shares
        post, _ = _normalize_log(
            log_posterior(
                indicator,
                self.log_conditional_,
                np.log(self.class_prior_),
                self.function_weights_,
                self.abstain_weight,
            )
        )
        if self.method == "anchored_dawid_skene":
            return _ANCHOR_WEIGHT * shares + (1 - _ANCHOR_WEIGHT) * post
        return post

    def predict_proba(self, X):
        """Probability of each class given each row's votes.

        Parameters
        ----------
        X : array-like of int, shape (n_samples, n_functions)
            The vote matrix ``L``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities; rows without a vote get the probabilities
            of "every function abstained" (see Notes).
        """
        check_is_fitted(self)
        votes, n_classes = self._validate_votes(X, reset=False)
        return self._proba_from_indicator(vote_indicator(votes, n_classes))

    def predict(self, X):
        """Most probable class of each row; ``abstain_label`` where no function voted.

        Parameters
        ----------
        X : array-like of int, shape (n_samples, n_functions)
            The vote matrix ``L``.

        Returns
        -------
        labels : ndarray of int64, shape (n_samples,)
            Class indices, ``abstain_label`` on rows without a vote.
        """
        check_is_fitted(self)
        votes, n_classes = self._validate_votes(X, reset=False)
        proba = self._proba_from_indicator(vote_indicator(votes, n_classes))
        top = proba >= proba.max(axis=1, keepdims=True) - 1e-12
        labels = np.argmax(np.where(top, self.class_prior_, -np.inf), axis=1).astype(np.int64)
        labels[~np.any(votes >= 0, axis=1)] = self.abstain_label
        return labels
