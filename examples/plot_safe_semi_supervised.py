"""
Does unlabeled data help? The safe semi-supervised estimator decides
=====================================================================

:class:`~sklweak.semi_supervised.SafeSemiSupervisedClassifier` tries a few
ways of pseudo-labeling the unlabeled rows and keeps one only when the labeled
rows show that it beats the supervised model. Here it tries all three of its
teachers (its default is the logistic-regression teacher alone). The bars are
what it saw: the
labeled-row cross-validated accuracy gain of each strategy over the supervised
base, with two standard errors (the default ``safety``).

- Left, breast cancer, 5% labels, gradient boosting as the base: 28 labeled
  rows are too few for a tree to split (``min_samples_leaf=20``), so the
  supervised model predicts one class. A logistic-regression teacher's
  pseudo-labels teach it the boundary: the gain is large and clear, and the
  estimator uses them.
- Right, two interleaved half-moons with a random forest: a linear teacher
  mislabels the tips of the moons, the forest's own pseudo-labels add
  nothing the labeled rows can confirm, so the estimator refuses them and
  returns the supervised forest, which scikit-learn's self-training does not
  know to do.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, make_moons
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.semi_supervised import SelfTrainingClassifier as SklearnSelfTraining

from sklweak.datasets import mask_labels
from sklweak.semi_supervised import SafeSemiSupervisedClassifier

cancer = load_breast_cancer(return_X_y=True)
moons = make_moons(n_samples=1000, noise=0.3, random_state=0)
problems = [
    (
        "breast cancer, gradient boosting",
        cancer,
        HistGradientBoostingClassifier(random_state=0),
        0.05,
    ),
    ("two moons, random forest", moons, RandomForestClassifier(random_state=0), 0.03),
]

fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
for ax, (title, (X, y), base, fraction) in zip(axes, problems):
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    y_weak = mask_labels(y_train, labeled_fraction=fraction, random_state=0)
    labeled = y_weak != -1
    supervised = base.fit(X_train[labeled], y_weak[labeled]).score(X_test, y_test)
    sklearn_st = SklearnSelfTraining(base).fit(X_train, y_weak).score(X_test, y_test)
    safe = SafeSemiSupervisedClassifier(
        base, candidates=["self", "linear", "agreement"], random_state=0
    ).fit(X_train, y_weak)
    results = safe.cv_results_
    names = results["strategy"][1:]
    gains = 100 * results["mean_gain"][1:]
    errors = 100 * safe.safety * results["gain_se"][1:]
    colors = ["tab:green" if name == safe.strategy_ else "tab:gray" for name in names]
    ax.barh(names, gains, xerr=errors, color=colors)
    ax.axvline(0, color="black", linewidth=1)
    ax.set_xlabel("labeled-row CV gain over supervised (points)")
    ax.set_title(
        f"{title}: {labeled.sum()} labels\n"
        f"test accuracy: supervised {supervised:.3f}, sklearn self-training "
        f"{sklearn_st:.3f},\nsafe {safe.score(X_test, y_test):.3f} "
        f"(strategy {safe.strategy_!r}, {safe.n_pseudo_labeled_} pseudo-labels)",
        fontsize=9,
    )
    print(title, safe.strategy_, np.round(gains, 1))
plt.tight_layout()
plt.show()
