"""
Self-training on two moons: pseudo-labels over the iterations
=============================================================

Eight labeled points and 500 unlabeled ones. Each iteration of
:class:`~sklweak.self_training.SelfTrainingClassifier` adds the 20 unlabeled
points the model is most confident about, as many of each class
(``class_balanced=True``, so one class cannot swallow the other); the colours
show which iteration
labeled each point (``labeled_iter_``), and how the labels spread outward
from the few given ones along the moons.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import LogisticRegression

from sklweak.datasets import mask_labels
from sklweak.self_training import SelfTrainingClassifier

X, y = make_moons(n_samples=508, noise=0.08, random_state=0)
y_weak = mask_labels(y, labeled_fraction=8 / 508, random_state=1)

# RBF features computed from every point (no label needed), then a
# logistic regression that self-training refits as pseudo-labels arrive.
features = Nystroem(gamma=10.0, n_components=200, random_state=0).fit_transform(X)
model = SelfTrainingClassifier(
    LogisticRegression(C=10.0, max_iter=1000),
    criterion="k_best",
    k_best=20,
    class_balanced=True,
    max_iter=30,
).fit(features, y_weak)

fig, axes = plt.subplots(1, 2, figsize=(10, 4))
when = model.labeled_iter_
scatter = axes[0].scatter(X[:, 0], X[:, 1], c=when, cmap="viridis", s=12)
axes[0].scatter(*X[y_weak != -1].T, c="red", marker="*", s=150, label="given labels")
axes[0].set_title("iteration that labeled each point")
axes[0].legend(loc="lower left")
fig.colorbar(scatter, ax=axes[0])
axes[1].scatter(X[:, 0], X[:, 1], c=model.transduction_, cmap="coolwarm", s=12)
axes[1].set_title(f"final labels: {np.mean(model.transduction_ == y):.0%} correct")
plt.tight_layout()
plt.show()
