"""
A transductive SVM puts its boundary through the low-density gap
================================================================

Two elongated clusters with one labeled point each, placed so that the SVM
trained on the labeled points alone cuts diagonally through both clusters.
:class:`~sklweak.lowdensity.TSVMClassifier` also reads the unlabeled points
and moves the boundary into the empty gap between the clusters.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.svm import SVC

from sklweak.lowdensity import TSVMClassifier

rng = np.random.default_rng(0)
n = 200
X = np.vstack(
    [
        rng.normal(size=(n, 2)) * [0.4, 2.0] + [-1.5, 0.0],
        rng.normal(size=(n, 2)) * [0.4, 2.0] + [1.5, 0.0],
    ]
)
truth = np.repeat([0, 1], n)
y = np.full(2 * n, -1)
labeled = [np.argmax(X[:n, 1]), n + np.argmin(np.abs(X[n:, 1] + 1.0))]
y[labeled] = truth[labeled]

svm = SVC(kernel="linear", C=1.0).fit(X[labeled], truth[labeled])
tsvm = TSVMClassifier(kernel="linear", C=1.0, random_state=0).fit(X, y)

xx, yy = np.meshgrid(np.linspace(-4, 4, 200), np.linspace(-7, 7, 200))
grid = np.column_stack([xx.ravel(), yy.ravel()])
plt.figure(figsize=(6, 5))
plt.scatter(*X.T, c=truth, cmap="coolwarm", s=8, alpha=0.5)
plt.scatter(*X[labeled].T, c=truth[labeled], cmap="coolwarm", edgecolor="black", marker="*", s=250)
for model, style, name in ((svm, "--", "SVM, labeled only"), (tsvm, "-", "TSVM")):
    level = model.decision_function(grid).reshape(xx.shape)
    plt.contour(xx, yy, level, levels=[0], colors="black", linestyles=style)
    accuracy = np.mean(model.predict(X) == truth)
    plt.plot([], [], "k" + style, label=f"{name}: {accuracy:.0%} correct")
plt.legend(loc="lower right")
plt.tight_layout()
plt.show()
