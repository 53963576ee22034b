"""suggest_labels: which unlabeled rows to label next."""

import numbers

import numpy as np
from sklearn.base import clone, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_is_fitted

from ..self_training._common import seed_random_states
from ..utils._sklearn_compat import _safe_indexing
from ..utils._validation import _as_1d, _is_sentinel, mark_missing_as_unlabeled
from ._batch import coreset, density, diverse_top, typiclust
from ._strategies import DISAGREEMENT, UNCERTAINTY, best_first, committee_agrees, margin

__all__ = ["suggest_labels"]

GEOMETRIC = ("random", "typiclust", "coreset")
MODEL_BASED = (
    *UNCERTAINTY,
    *DISAGREEMENT,
    "density_weighted",
    "diverse_margin",
    "self_labeling_aware",
)
STRATEGIES = ("auto", *GEOMETRIC, *MODEL_BASED)
COMMITTEE_STRATEGIES = (*DISAGREEMENT, "self_labeling_aware")
# "auto" takes the cold-start strategy while the labeled rows number fewer
# than this many per class (benchmarks/bench_active.py measured the rule).
AUTO_COLD_START_PER_CLASS = 5
AUTO_COLD_START = "typiclust"
AUTO_WARM = "diverse_margin"
# The self-labeling-aware strategy leaves out rows on which every member
# votes the same class with at least this mean probability.
AGREEMENT_THRESHOLD = 0.9


class Pool:
    """The validated inputs of one query: data, labels, and which rows are unlabeled."""

    def __init__(self, X, X_array, y, unlabeled, classes):
        self.X = X
        self.X_array = X_array
        self.y = y
        self.unlabeled = unlabeled
        self.unlabeled_rows = np.flatnonzero(unlabeled)
        self.labeled_rows = np.flatnonzero(~unlabeled)
        self.classes = classes


def check_count(value, name, minimum=1):
    """Refuse a non-integer ``value``, or one below ``minimum``, naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value}.")


def _check_strategy(strategy):
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {list(STRATEGIES)}; got {strategy!r}.")


def _members(estimator):
    return list(estimator) if isinstance(estimator, list | tuple) else [estimator]


def check_query_estimator(estimator, strategy):
    """Reject what cannot score rows for ``strategy``: nothing, a regressor, no predict_proba."""
    if strategy in GEOMETRIC:
        return
    if estimator is None or (isinstance(estimator, list | tuple) and not estimator):
        raise ValueError(
            f"strategy={strategy!r} ranks rows by a classifier's probabilities: "
            "pass a classifier (or a list of them) as estimator, or use one of "
            f"{list(GEOMETRIC)}."
        )
    for member in _members(estimator):
        name = type(member).__name__
        if is_regressor(member) or not hasattr(member, "fit"):
            raise TypeError(f"estimator must be a classifier; got {name}.")
        if not hasattr(member, "predict_proba"):
            raise TypeError(
                f"strategy={strategy!r} needs probabilities, but estimator {name} has "
                "no predict_proba. Wrap it in sklearn.calibration.CalibratedClassifierCV, "
                f"or use one of {list(GEOMETRIC)}."
            )


def _is_fitted(estimator):
    try:
        check_is_fitted(estimator)
    except (NotFittedError, TypeError):
        return False
    return True


def check_pool(
    X, y, n_queries, strategy, estimator, unlabeled_label=-1, *, committee_size=5, name="n_queries"
):
    """Validate one query's inputs, before any work, and return its :class:`Pool`.

    ``name`` is how error messages call ``n_queries`` (the loop's ``batch_size``).
    """
    check_count(n_queries, name)
    check_count(committee_size, "committee_size", minimum=2)
    _check_strategy(strategy)
    check_query_estimator(estimator, strategy)
    geometric = strategy not in UNCERTAINTY and strategy not in DISAGREEMENT
    X_array = check_array(
        X,
        accept_sparse="csr",
        dtype=None if not geometric else "numeric",
        ensure_all_finite=True if geometric else "allow-nan",
    )
    y = mark_missing_as_unlabeled(_as_1d(y), unlabeled_label)
    if y.shape[0] != X_array.shape[0]:
        raise ValueError(f"X has {X_array.shape[0]} rows but y has {y.shape[0]} entries.")
    unlabeled = _is_sentinel(y, unlabeled_label)
    n_unlabeled = int(unlabeled.sum())
    if n_unlabeled == 0:
        raise ValueError(
            f"y has no unlabeled row left (no entry equals unlabeled_label="
            f"{unlabeled_label!r}): there is nothing to query."
        )
    if n_queries > n_unlabeled:
        raise ValueError(
            f"{name}={n_queries} is larger than the unlabeled pool ({n_unlabeled} rows)."
        )
    classes = np.unique(y[~unlabeled]) if (~unlabeled).any() else np.array([])
    if strategy in MODEL_BASED:
        _check_classes(estimator, classes)
    return Pool(X, X_array, y, unlabeled, classes)


def _check_classes(estimator, classes):
    fitted = [member for member in _members(estimator) if _is_fitted(member)]
    unfitted = len(fitted) < len(_members(estimator))
    if unfitted and classes.shape[0] < 2:
        raise ValueError(
            "An unfitted estimator is fitted on the labeled rows, which need at least "
            f"2 classes; y holds {classes.shape[0]} ({classes.tolist()!r}). Label more "
            "rows first, or query with strategy='typiclust', 'coreset' or 'random'."
        )
    for member in fitted:
        known = np.asarray(member.classes_)
        missing = classes[~np.isin(classes, known)]
        if missing.shape[0]:
            raise ValueError(
                f"The fitted estimator {type(member).__name__} knows the classes "
                f"{known.tolist()!r}, which do not cover the labels {missing.tolist()!r} "
                "of y. Refit it on the labeled rows, or pass it unfitted."
            )


def _takes_unlabeled_rows(estimator):
    params = estimator.get_params(deep=False)
    return "unlabeled_label" in params or type(estimator).__module__.startswith(
        "sklearn.semi_supervised"
    )


def fit_member(estimator, pool, rows, rng, *, keep_seeds=False):
    """A seeded clone of ``estimator`` fitted on ``rows`` (a semi-supervised one also sees the pool).

    ``keep_seeds``: the integer random states the user set are kept, the
    others are drawn from ``rng`` (a model, not a committee member).
    """
    model = seed_random_states(clone(estimator), rng)
    if keep_seeds:
        user_seeds = {
            key: value
            for key, value in estimator.get_params(deep=True).items()
            if (key == "random_state" or key.endswith("__random_state"))
            and isinstance(value, numbers.Integral)
        }
        model.set_params(**user_seeds)
    return fit_rows(model, pool, rows)


def fit_rows(model, pool, rows):
    """``model`` fitted on ``rows`` of ``pool`` (a semi-supervised one also on the unlabeled rows)."""
    if _takes_unlabeled_rows(model):
        rows = np.concatenate([rows, pool.unlabeled_rows])
    return model.fit(_safe_indexing(pool.X, rows), _safe_indexing(pool.y, rows))


def aligned_proba(model, X, classes):
    """``model.predict_proba(X)`` with one column per entry of ``classes`` (zero if unseen)."""
    proba = np.asarray(model.predict_proba(X), dtype=np.float64)
    known = np.asarray(model.classes_)
    if known.shape[0] == classes.shape[0] and np.array_equal(known, classes):
        return proba
    full = np.zeros((proba.shape[0], classes.shape[0]))
    full[:, np.searchsorted(classes, known)] = proba
    return full


def _class_set(estimator, pool):
    sets = [pool.classes] + [
        np.asarray(member.classes_) for member in _members(estimator) if _is_fitted(member)
    ]
    return np.unique(np.concatenate(sets))


def bootstrap_rows(pool, rng):
    """Labeled rows drawn with replacement class by class, so that every class stays."""
    labels = pool.y[pool.labeled_rows]
    return np.concatenate(
        [
            rng.choice(members, size=members.shape[0], replace=True)
            for members in (pool.labeled_rows[labels == c] for c in pool.classes)
        ]
    )


def committee_probas(estimator, pool, classes, rng, committee_size):
    """Members x unlabeled rows x classes: a given list of models, or a bagged committee."""
    X_pool = _safe_indexing(pool.X, pool.unlabeled_rows)
    if isinstance(estimator, list | tuple):
        models = [
            member if _is_fitted(member) else fit_member(member, pool, pool.labeled_rows, rng)
            for member in estimator
        ]
    else:
        models = [
            fit_member(estimator, pool, bootstrap_rows(pool, rng), rng)
            for _ in range(committee_size)
        ]
    return np.stack([aligned_proba(model, X_pool, classes) for model in models])


def pool_proba(estimator, pool, classes, rng):
    """Probabilities of the unlabeled rows (the mean over a list of models)."""
    X_pool = _safe_indexing(pool.X, pool.unlabeled_rows)
    probas = []
    for member in _members(estimator):
        model = member if _is_fitted(member) else fit_member(member, pool, pool.labeled_rows, rng)
        probas.append(aligned_proba(model, X_pool, classes))
    return np.mean(probas, axis=0)


def _top(scores, pool, n_queries, rng):
    """Unlabeled rows of the ``n_queries`` largest scores; ties broken at random."""
    return pool.unlabeled_rows[best_first(scores, rng)[:n_queries]]


def resolve_auto(pool):
    """The strategy ``"auto"`` stands for, given how many rows are labeled."""
    n_classes = max(pool.classes.shape[0], 1)
    if pool.labeled_rows.shape[0] < AUTO_COLD_START_PER_CLASS * n_classes:
        return AUTO_COLD_START
    return AUTO_WARM


def _self_labeling_aware(member_probas, pool, n_queries, rng):
    agreed = committee_agrees(member_probas, threshold=AGREEMENT_THRESHOLD)
    # Rows the committee agrees on go last: self-labeling will take them.
    scores = margin(member_probas.mean(axis=0)) - 2.0 * agreed
    return _top(scores, pool, n_queries, rng)


def query(estimator, pool, n_queries, strategy, rng, committee_size=5):
    """Rows to label next, for a validated pool and a concrete strategy."""
    if strategy == "random":
        return rng.choice(pool.unlabeled_rows, size=n_queries, replace=False)
    if strategy == "typiclust":
        return typiclust(pool.X_array, pool.unlabeled_rows, pool.labeled_rows, n_queries, rng)
    if strategy == "coreset":
        return coreset(pool.X_array, pool.unlabeled_rows, pool.labeled_rows, n_queries, rng)
    classes = _class_set(estimator, pool)
    if strategy in COMMITTEE_STRATEGIES:
        member_probas = committee_probas(estimator, pool, classes, rng, committee_size)
        if strategy == "self_labeling_aware":
            return _self_labeling_aware(member_probas, pool, n_queries, rng)
        return _top(DISAGREEMENT[strategy](member_probas), pool, n_queries, rng)
    proba = pool_proba(estimator, pool, classes, rng)
    if strategy in UNCERTAINTY:
        return _top(UNCERTAINTY[strategy](proba), pool, n_queries, rng)
    if strategy == "density_weighted":
        scores = margin(proba) * density(pool.X_array, pool.unlabeled_rows, rng)
        return _top(scores, pool, n_queries, rng)
    return diverse_top(pool.X_array, pool.unlabeled_rows, margin(proba), n_queries, rng)


def suggest_labels(
    estimator,
    X,
    y,
    n_queries,
    *,
    strategy="auto",
    random_state=None,
    committee_size=5,
    unlabeled_label=-1,
):
    """Indices of the unlabeled rows to label next.

    Active learning's query step: among the rows of ``X`` whose ``y`` is
    ``unlabeled_label`` (the semi-supervised contract), choose the
    ``n_queries`` whose labels should teach the classifier most, best first.

    Parameters
    ----------
    estimator : classifier, list of classifiers, or None
        A classifier with ``predict_proba``. A fitted one is used as it is (its
        ``classes_`` must cover the labels of ``y``); an unfitted one is cloned
        and fitted on the labeled rows (a semi-supervised one, such as sklweak's
        self-training or label spreading, on every row). A list is a committee
        (its members' mean probabilities for the uncertainty strategies).
        ``None`` is accepted by the strategies that look only at ``X``
        (``"random"``, ``"typiclust"``, ``"coreset"``).
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Labeled and unlabeled rows.
    y : array-like of shape (n_samples,)
        Labels, ``unlabeled_label`` (or a missing value) where not labeled yet.
    n_queries : int
        How many rows to suggest; at most the number of unlabeled rows.
    strategy : str, default="auto"
        How rows are ranked:

        - ``"random"``: uniformly at random.
        - ``"least_confidence"``, ``"margin"``, ``"entropy"``: uncertainty of
          the classifier (low top probability, small gap between the two most
          probable classes, high entropy).
        - ``"vote_entropy"``, ``"kl_divergence"``: query by committee, the
          disagreement of ``committee_size`` clones fitted on bootstrap samples
          of the labeled rows (class by class), or of the given list of models.
        - ``"density_weighted"``: margin times the row's typicality (inverse
          mean distance to its nearest neighbors in a subsample of the pool),
          so that outliers are not queried.
        - ``"diverse_margin"``: the ten-times-larger set of highest-margin rows
          cut into ``n_queries`` k-means clusters, the most uncertain row of
          each (no near-duplicates in one batch).
        - ``"typiclust"``: the most typical row of each of the largest k-means
          clusters that hold no labeled row (a cold-start strategy; needs no
          model).
        - ``"coreset"``: greedy k-centre, each row the farthest from the
          labeled and already chosen rows (needs no model).
        - ``"self_labeling_aware"``: margin of a bagged committee, leaving out
          rows on which every member votes the same class with mean
          probability at least 0.9 (those a self-labeling loop labels for
          free).
        - ``"auto"``: ``"typiclust"`` while fewer than 5 rows per class are
          labeled, then ``"diverse_margin"``: the best combination measured
          by ``benchmarks/bench_active.py`` with logistic regression and
          random forests (see the user guide).
    random_state : int, RandomState instance or None, default=None
        Seeds the random strategy, tie breaking, clustering, subsampling and the
        committee's bootstrap and clones: the same seed gives the same rows.
    committee_size : int, default=5
        Members of the bagged committee built from a single estimator.
    unlabeled_label : int or str, default=-1
        The value of ``y`` that marks a row not labeled yet.

    Returns
    -------
    indices : ndarray of shape (n_queries,), dtype int64
        Row positions in ``X`` (all with ``y == unlabeled_label``), the most
        informative first.

    Raises
    ------
    ValueError
        If no row is unlabeled, ``n_queries`` exceeds the unlabeled rows, the
        strategy is unknown, a fitted estimator's classes do not cover the
        labels, or an unfitted one has fewer than two labeled classes.
    TypeError
        If ``n_queries`` is not an integer, or ``estimator`` is not a classifier
        or lacks ``predict_proba`` for a strategy that needs it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklweak.active import suggest_labels
    >>> X, y_true = load_iris(return_X_y=True)
    >>> y = np.full_like(y_true, -1)
    >>> y[[0, 1, 50, 51, 100, 101]] = y_true[[0, 1, 50, 51, 100, 101]]
    >>> rows = suggest_labels(LogisticRegression(), X, y, 5, strategy="margin",
    ...                       random_state=0)
    >>> rows.shape, bool(np.all(y[rows] == -1))
    ((5,), True)
    """
    pool = check_pool(
        X, y, n_queries, strategy, estimator, unlabeled_label, committee_size=committee_size
    )
    rng = check_random_state(random_state)
    if strategy == "auto":
        strategy = resolve_auto(pool)
    return np.asarray(
        query(estimator, pool, n_queries, strategy, rng, committee_size), dtype=np.int64
    )
