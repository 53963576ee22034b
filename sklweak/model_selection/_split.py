"""Splitters that keep unlabeled rows in training and test on labeled rows."""

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.utils.validation import check_random_state

from ..utils._sklearn_compat import BaseCrossValidator
from ..utils._validation import check_semi_supervised_y

__all__ = ["SemiSupervisedKFold"]


class SemiSupervisedKFold(BaseCrossValidator):
    """K-fold over the labeled rows; every unlabeled row stays in training.

    Plain ``KFold`` puts unlabeled rows (``y == unlabeled_label``) in the test
    folds, where any scorer counts them as errors and where they are lost to
    training. This splitter folds only the labeled rows (stratified by class by
    default), adds every unlabeled row to every training fold, and never tests
    on an unlabeled row, so ``cross_val_score`` and ``GridSearchCV`` score
    semi-supervised estimators honestly. Training folds do hold unlabeled
    rows: to score them too (``return_train_score=True``), use
    ``scoring=None`` (the estimators' ``score`` skips unlabeled rows) or
    :func:`make_labeled_scorer`, not a plain scorer name.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    shuffle : bool, default=False
        Shuffle the labeled rows before folding.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle, used only when ``shuffle=True``.
    stratify : bool, default=True
        Keep the class proportions of the labeled rows in every fold.
    unlabeled_label : int or str, default=-1
        The value of ``y`` marking an unlabeled row.

    Examples
    --------
    >>> import numpy as np
    >>> from sklweak.model_selection import SemiSupervisedKFold
    >>> y = np.array([0, 1, -1, 0, 1, -1, 0, 1])
    >>> cv = SemiSupervisedKFold(n_splits=2)
    >>> for train, test in cv.split(np.zeros((8, 1)), y):
    ...     print(train.tolist(), test.tolist())
    [2, 4, 5, 6, 7] [0, 1, 3]
    [0, 1, 2, 3, 5] [4, 6, 7]
    """

    def __init__(
        self,
        n_splits=5,
        *,
        shuffle=False,
        random_state=None,
        stratify=True,
        unlabeled_label=-1,
    ):
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state
        self.stratify = stratify
        self.unlabeled_label = unlabeled_label

    def _labeled_splitter(self):
        if not isinstance(self.n_splits, (int, np.integer)) or self.n_splits < 2:
            raise ValueError(f"n_splits must be an integer >= 2; got {self.n_splits!r}.")
        splitter = StratifiedKFold if self.stratify else KFold
        random_state = check_random_state(self.random_state) if self.shuffle else None
        return splitter(self.n_splits, shuffle=self.shuffle, random_state=random_state)

    def split(self, X, y, groups=None):
        """Generate train/test indices.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; only its length is used.
        y : array-like of shape (n_samples,)
            Semi-supervised target, ``unlabeled_label`` for unlabeled rows.
        groups : None
            Ignored.

        Yields
        ------
        train : ndarray
            Training indices: the other folds' labeled rows and every
            unlabeled row.
        test : ndarray
            Test indices: this fold's labeled rows.
        """
        if y is None:
            raise ValueError("SemiSupervisedKFold needs y to tell labeled rows apart.")
        target = check_semi_supervised_y(y, unlabeled_label=self.unlabeled_label, min_classes=1)
        if X is not None and len(X) != len(target.y):
            raise ValueError(f"X has {len(X)} rows but y has {len(target.y)}; they must match.")
        splitter = self._labeled_splitter()
        labeled_rows = np.flatnonzero(target.labeled)
        unlabeled_rows = np.flatnonzero(~target.labeled)
        if len(labeled_rows) < self.n_splits:
            raise ValueError(
                f"Cannot make {self.n_splits} folds from {len(labeled_rows)} labeled rows."
            )
        labels = target.y_encoded[labeled_rows]
        for train, test in splitter.split(labeled_rows, labels):
            train_rows = np.sort(np.concatenate([labeled_rows[train], unlabeled_rows]))
            yield train_rows, labeled_rows[test]

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of folds.

        Parameters
        ----------
        X, y, groups : object
            Ignored.

        Returns
        -------
        n_splits : int
            The number of folds.
        """
        return self.n_splits
