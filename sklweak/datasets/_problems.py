"""Valid weak-label problems of every kind, built in one place.

The tour, the estimator checks (``sklweak/utils/_checks_*.py``) and the
malformed-input suite all need "a valid problem of kind K": true labels turned
into the weak target an estimator of that kind reads. :func:`make_weak_problem`
builds it with this package's simulators; each kind's options default to the
tour's setting, and the checks pass their own. :func:`load_standardized` and
:func:`split_standardized` give the bundled data sets they start from.

This module belongs to the core: it imports no family. The annotators' kinds
therefore come without a supervised baseline target (a consensus of the votes
is a family's job); the tour adds the majority vote.
"""

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from ._annotators import simulate_annotators
from ._bags import make_bags
from ._complementary import make_complementary_labels
from ._masking import mask_labels
from ._noise import make_noisy_labels
from ._pu import make_pu

__all__ = [
    "PROBLEM_KINDS",
    "WeakProblem",
    "load_standardized",
    "make_weak_problem",
    "split_standardized",
]

_LOADERS = {"digits": load_digits, "breast_cancer": load_breast_cancer, "wine": load_wine}


def load_standardized(name):
    """A bundled scikit-learn data set with standardized features.

    Parameters
    ----------
    name : {"digits", "breast_cancer", "wine"}
        The data set.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        Features scaled to zero mean and unit variance.
    y : ndarray of shape (n_samples,)
        The labels.

    Examples
    --------
    >>> from sklweak.datasets._problems import load_standardized
    >>> X, y = load_standardized("wine")
    >>> X.shape
    (178, 13)
    """
    if name not in _LOADERS:
        raise ValueError(f"name must be one of {sorted(_LOADERS)}; got {name!r}.")
    X, y = _LOADERS[name](return_X_y=True)
    return StandardScaler().fit_transform(X), y


def split_standardized(name, *, test_size, random_state=0):
    """A stratified train/test split of a standardized bundled data set.

    Parameters
    ----------
    name : {"digits", "breast_cancer", "wine"}
        The data set.
    test_size : float in (0, 1)
        Share of the samples held out.
    random_state : int, default=0
        Seed of the split.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        As :func:`sklearn.model_selection.train_test_split` returns them.

    Examples
    --------
    >>> from sklweak.datasets._problems import split_standardized
    >>> X_train, X_test, y_train, y_test = split_standardized("breast_cancer", test_size=0.5)
    >>> X_train.shape, X_test.shape
    ((284, 30), (285, 30))
    """
    X, y = load_standardized(name)
    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=random_state)


class WeakProblem:
    """One simulated weak-label problem on a training/test split.

    ``y_weak`` is given to the weak estimator; a supervised baseline (what a
    user without sklweak would do) is fitted on ``X_train[baseline_rows]``
    with ``baseline_y``; ``y_train``/``y_test`` are the true labels in the
    estimator's output space (the oracle's training target and the scoring
    target). ``baseline_rows=None`` means no supervised model can use these
    weak labels as they are (complementary labels); ``baseline_y=None`` with
    rows set means the weak labels first need a consensus (several annotators
    or labeling functions). ``flipped`` marks the labels a noise simulation
    changed (``None`` for the other kinds).
    """

    def __init__(
        self, description, y_weak, baseline_rows, baseline_y, y_train, y_test, flipped=None
    ):
        self.description = description
        self.y_weak = y_weak
        self.baseline_rows = baseline_rows
        self.baseline_y = baseline_y
        self.y_train = y_train
        self.y_test = y_test
        self.flipped = flipped


def _binary(y_train, y_test):
    """Positive = the majority class of a binary set; digits 0-4 for digits."""
    if len(np.unique(y_train)) == 2:
        positives = [np.bincount(y_train).argmax()]
    else:
        positives = np.arange(5)
    train = np.isin(y_train, positives).astype(int)
    return train, None if y_test is None else np.isin(y_test, positives).astype(int)


def _semi_supervised(X_train, y_train, y_test, random_state, *, labeled_fraction=0.1):
    y_weak = mask_labels(y_train, labeled_fraction=labeled_fraction, random_state=random_state)
    labeled = y_weak != -1
    return WeakProblem(
        f"{labeled_fraction:.0%} labeled", y_weak, labeled, y_train[labeled], y_train, y_test
    )


def _pu(X_train, y_train, y_test, random_state, *, label_frequency=0.3):
    train_binary, test_binary = _binary(y_train, y_test)
    y_pu, _ = make_pu(
        X_train, train_binary, label_frequency=label_frequency, random_state=random_state
    )
    everything = np.ones(len(y_pu), dtype=bool)
    return WeakProblem(
        f"PU, {label_frequency:.0%} of positives labeled",
        y_pu,
        everything,
        y_pu,
        train_binary,
        test_binary,
    )


def _pnu(X_train, y_train, y_test, random_state, *, labeled_fraction=0.1):
    train_binary, test_binary = _binary(y_train, y_test)
    y_pnu = mask_labels(train_binary, labeled_fraction=labeled_fraction, random_state=random_state)
    labeled = y_pnu != -1
    return WeakProblem(
        f"PNU, {labeled_fraction:.0%} labeled",
        y_pnu,
        labeled,
        y_pnu[labeled],
        train_binary,
        test_binary,
    )


def _noisy(X_train, y_train, y_test, random_state, *, noise_rate=0.3):
    y_noisy, flipped = make_noisy_labels(y_train, noise_rate=noise_rate, random_state=random_state)
    everything = np.ones(len(y_noisy), dtype=bool)
    return WeakProblem(
        f"{noise_rate:.0%} symmetric label noise",
        y_noisy,
        everything,
        y_noisy,
        y_train,
        y_test,
        flipped=flipped,
    )


def _annotators(
    X_train,
    y_train,
    y_test,
    random_state,
    *,
    n_annotators=10,
    accuracy=(0.55, 0.95),
    labels_per_example=3,
    missing_label=-1,
):
    annotations, _ = simulate_annotators(
        y_train,
        n_annotators=n_annotators,
        accuracy=accuracy,
        labels_per_example=labels_per_example,
        missing_label=missing_label,
        random_state=random_state,
    )
    low, high = np.broadcast_to(accuracy, (2,))
    return WeakProblem(
        f"{n_annotators} annotators (accuracy {low:g}-{high:g}), {labels_per_example} labels each",
        annotations,
        np.ones(len(y_train), dtype=bool),
        None,
        y_train,
        y_test,
    )


def _complementary(X_train, y_train, y_test, random_state):
    y_complementary = make_complementary_labels(y_train, random_state=random_state)
    return WeakProblem(
        "one uniform complementary label", y_complementary, None, None, y_train, y_test
    )


def _llp(X_train, y_train, y_test, random_state, *, bag_size=8):
    _, y_bag, classes = make_bags(X_train, y_train, bag_size=bag_size, random_state=random_state)
    bag_majority = np.argmax(y_bag[:, 1:], axis=1)
    everything = np.ones(len(y_train), dtype=bool)
    return WeakProblem(
        f"random bags of {bag_size}, class proportions only",
        y_bag,
        everything,
        bag_majority,
        np.searchsorted(classes, y_train),
        None if y_test is None else np.searchsorted(classes, y_test),
    )


_BUILDERS = {
    "semi-supervised": _semi_supervised,
    "pu": _pu,
    "pnu": _pnu,
    "noisy": _noisy,
    "annotators": _annotators,
    # Annotators' votes with -1 for "no label" are a valid vote matrix of labeling functions.
    "labeling-functions": _annotators,
    "complementary": _complementary,
    "llp": _llp,
}
PROBLEM_KINDS = tuple(_BUILDERS)


def make_weak_problem(kind, X_train, y_train, y_test=None, *, random_state=0, **options):
    """Simulate the weak labels of ``kind`` on a labeled training set.

    ============================  ===============================================
    kind                          weak target (options, defaults)
    ============================  ===============================================
    ``"semi-supervised"``         :func:`mask_labels` (``labeled_fraction=0.1``)
    ``"pu"``                      :func:`make_pu` on the binary task
                                  (``label_frequency=0.3``)
    ``"pnu"``                     :func:`mask_labels` on the binary task
                                  (``labeled_fraction=0.1``)
    ``"noisy"``                   :func:`make_noisy_labels` (``noise_rate=0.3``)
    ``"annotators"``,             :func:`simulate_annotators` (``n_annotators=10``,
    ``"labeling-functions"``      ``accuracy=(0.55, 0.95)``,
                                  ``labels_per_example=3``, ``missing_label=-1``)
    ``"complementary"``           :func:`make_complementary_labels`, uniform
    ``"llp"``                     :func:`make_bags` (``bag_size=8``)
    ============================  ===============================================

    The binary task of PU and PNU is the majority class of a binary ``y``
    against the other (digits 0-4 against 5-9 for more classes).

    Parameters
    ----------
    kind : str
        One of ``PROBLEM_KINDS``.
    X_train : ndarray of shape (n_samples, n_features)
        Training features (PU and bags need them).
    y_train : ndarray of shape (n_samples,)
        True training labels.
    y_test : ndarray of shape (n_test,), default=None
        True test labels, mapped to the kind's output space (``None`` keeps
        ``WeakProblem.y_test`` at ``None`` where it needs mapping).
    random_state : int, default=0
        Seed of the simulation.
    **options
        The kind's options of the table above.

    Returns
    -------
    problem : WeakProblem
        The weak target, the baseline's rows and target, and the true labels.

    Examples
    --------
    >>> from sklweak.datasets._problems import make_weak_problem, split_standardized
    >>> X_train, X_test, y_train, y_test = split_standardized("breast_cancer", test_size=0.5)
    >>> problem = make_weak_problem("pu", X_train, y_train, y_test, label_frequency=0.5)
    >>> problem.description, sorted(set(problem.y_weak.tolist()))
    ('PU, 50% of positives labeled', [0, 1])
    """
    if kind not in _BUILDERS:
        raise ValueError(f"kind must be one of {list(PROBLEM_KINDS)}; got {kind!r}.")
    return _BUILDERS[kind](X_train, y_train, y_test, random_state, **options)
