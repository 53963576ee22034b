"""Cross-validation splitters that keep every bag whole, reading bags from ``y``."""

import numpy as np
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import _BaseKFold, _num_samples
from ..utils._validation import check_bag_target

__all__ = ["BagKFold", "BagStratifiedKFold"]


def _bags_from(X, y, groups):
    """Bag of each sample: ``groups`` if given, else column 0 of a bag target.

    A 1-D ``y`` (ordinary labels) makes every sample its own bag.
    """
    n_samples = _num_samples(X)
    if groups is not None:
        groups = np.asarray(groups)
        if groups.shape != (n_samples,):
            raise ValueError(
                f"groups must have one bag per sample ({n_samples}); got shape {groups.shape}."
            )
        _, bag_index = np.unique(groups, return_inverse=True)
        return bag_index.reshape(-1), None
    if y is None:
        raise ValueError(
            "The bag splitters read the bags from y (a bag target from "
            "sklweak.llp.make_bag_target) or from groups; both are None."
        )
    target = check_bag_target(y)
    if target.bag_index.shape[0] != n_samples:
        raise ValueError(f"y has {target.bag_index.shape[0]} samples but X has {n_samples}.")
    return target.bag_index, target


class _BagSplitter(_BaseKFold):
    """Shared part of the bag splitters: bags -> folds of bags -> sample indices."""

    def _check_bag_count(self, n_bags):
        if self.n_splits > n_bags:
            raise ValueError(
                f"Cannot split {n_bags} bags into n_splits={self.n_splits} folds: "
                "every fold needs at least one whole bag."
            )

    def _iter_test_indices(self, X, y=None, groups=None):
        bag_index, target = _bags_from(X, y, groups)
        n_bags = int(bag_index.max()) + 1
        self._check_bag_count(n_bags)
        bag_fold = self._bag_folds(bag_index, n_bags, target)
        sample_fold = bag_fold[bag_index]
        for fold in range(self.n_splits):
            yield np.flatnonzero(sample_fold == fold)

    def split(self, X, y=None, groups=None):
        """Generate train and test indices; no bag is split between them.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples, 1 + n_classes) or (n_samples,)
            Bag target (column 0 the bag id); a 1-D ``y`` of labels makes every
            sample its own bag.
        groups : array-like of shape (n_samples,), default=None
            Bag of each sample; overrides the bag ids of ``y`` when given.

        Yields
        ------
        train : ndarray
            Training indices of the split.
        test : ndarray
            Test indices of the split.
        """
        return super().split(X, y, groups)


class BagKFold(_BagSplitter):
    """K-fold cross-validation over whole bags.

    Every bag falls entirely in one test fold, so no bag's proportions are
    scored on part of its samples, and no sample of a validation bag is seen in
    training. The bags are read from column 0 of the bag target ``y`` (or from
    ``groups``), so ``GridSearchCV(est, grid, cv=BagKFold()).fit(X, Y)`` needs
    nothing else. The bags, in order of their ids (or shuffled), are cut into
    ``n_splits`` consecutive runs of about equal sample counts.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2 and at most the number of bags.
    shuffle : bool, default=False
        Shuffle the bags before cutting them into folds.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle; used only when ``shuffle=True``.

    See Also
    --------
    BagStratifiedKFold : Folds with similar bag proportions.
    make_bag_scorer : Score a validation fold on its bag proportions.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.llp import BagKFold, make_bag_target
    >>> Y = make_bag_target([0, 0, 1, 1, 2, 2], [0.5, 1.0, 0.0])
    >>> for train, test in BagKFold(3).split(np.zeros((6, 1)), Y):
    ...     print(test)
    [0 1]
    [2 3]
    [4 5]
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)

    def _bag_folds(self, bag_index, n_bags, target):
        order = np.arange(n_bags)
        if self.shuffle:
            order = check_random_state(self.random_state).permutation(n_bags)
        sizes = np.bincount(bag_index, minlength=n_bags)[order]
        # Bag i of the order goes to the fold holding the middle of its samples,
        # which gives runs of about n_samples / n_splits samples; every fold gets
        # a bag because there are at least n_splits bags.
        middle = np.cumsum(sizes) - sizes / 2.0
        fold = np.floor(middle * self.n_splits / sizes.sum()).astype(np.intp)
        fold = np.minimum(fold, self.n_splits - 1)
        fold = _fill_empty_folds(fold, self.n_splits)
        bag_fold = np.empty(n_bags, dtype=np.intp)
        bag_fold[order] = fold
        return bag_fold


def _fill_empty_folds(fold, n_splits):
    """Reassign bags so that every fold gets one (very unequal bag sizes)."""
    fold = fold.copy()
    for empty in np.setdiff1d(np.arange(n_splits), fold):
        counts = np.bincount(fold, minlength=n_splits)
        donor = int(np.argmax(counts))
        fold[np.flatnonzero(fold == donor)[-1 if empty > donor else 0]] = empty
    return fold


class BagStratifiedKFold(_BagSplitter):
    """K-fold over whole bags, with similar bag proportions in every fold.

    Like :class:`BagKFold`, but the bags are sorted by their proportions and
    dealt to the folds in turn (0, 1, ..., k - 1, k - 1, ..., 0, 0, 1, ...),
    so that every fold receives bags from the whole range:

    - binary: sorted by the share of the positive class (the last column);
    - multiclass: sorted by majority class, then by the share of that class.

    Every fold gets the same number of bags, give or take one.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2 and at most the number of bags.
    shuffle : bool, default=False
        Break ties between equal proportions at random and deal each round of
        ``n_splits`` bags to the folds in a random order.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle; used only when ``shuffle=True``.

    See Also
    --------
    BagKFold : Consecutive bags per fold.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.llp import BagStratifiedKFold, make_bag_target
    >>> bags = np.repeat(np.arange(8), 2)
    >>> Y = make_bag_target(bags, [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    >>> for _, test in BagStratifiedKFold(2).split(np.zeros((16, 1)), Y):
    ...     print(np.unique(Y[test, 0]).astype(int), Y[test, 2].mean())
    [0 3 4 7] 0.5
    [1 2 5 6] 0.5
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)

    def _bag_folds(self, bag_index, n_bags, target):
        rng = check_random_state(self.random_state) if self.shuffle else None
        candidates = rng.permutation(n_bags) if self.shuffle else np.arange(n_bags)
        if target is None:
            # Bags from groups: no proportions to sort by.
            order = candidates
        else:
            proportions = target.bag_proportions[candidates]
            if proportions.shape[1] == 2:
                keys = (proportions[:, 1],)
            else:
                majority = np.argmax(proportions, axis=1)
                keys = (-proportions.max(axis=1), majority)
            order = candidates[np.lexsort(keys)]
        rounds = -(-n_bags // self.n_splits)
        deal = []
        for r in range(rounds):
            turn = np.arange(self.n_splits)
            if self.shuffle:
                turn = rng.permutation(turn)
            deal.append(turn if r % 2 == 0 else turn[::-1])
        bag_fold = np.empty(n_bags, dtype=np.intp)
        bag_fold[order] = np.concatenate(deal)[:n_bags]
        return bag_fold
