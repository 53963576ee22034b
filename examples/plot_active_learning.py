"""
Active learning on digits: which rows to label, and self-labeling of the rest
=============================================================================

Two labeled images per digit and a budget of 200 more labels, asked 10 at a
time. Random sampling spends the labels anywhere;
:func:`~sklweak.active.suggest_labels` with ``strategy="auto"`` first labels
the most typical image of each uncovered k-means cluster (TypiClust), then,
among the images the model is least sure about (smallest margin), one per
k-means cluster so that a batch holds no near-duplicates;
:func:`~sklweak.active.run_active_learning` does the same and also lets each
round's model learn from pseudo-labels of the unlabeled images, where
cross-validation on the labeled images shows that they help
(:class:`~sklweak.semi_supervised.SafeSemiSupervisedClassifier`). The curves are the test accuracy after each
round, the dotted line random sampling's final accuracy; the legend gives
each curve's area (AULC, the mean accuracy). One split and one seed: the
17-set measurement is in the user guide's active learning page.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklweak.active import run_active_learning, suggest_labels

X, y = load_digits(return_X_y=True)
X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
scaler = StandardScaler().fit(X_pool)
X_pool, X_test = scaler.transform(X_pool), scaler.transform(X_test)
rng = np.random.RandomState(0)
y_start = np.full_like(y_pool, -1)
for digit in range(10):
    rows = rng.choice(np.flatnonzero(y_pool == digit), size=2, replace=False)
    y_start[rows] = digit

base = LogisticRegression(max_iter=1000)
n_rounds, batch = 20, 10


def query_curve(strategy):
    """Test accuracy after each round when ``strategy`` picks the rows."""
    y_known = y_start.copy()
    accuracy = []
    for round_ in range(n_rounds + 1):
        labeled = y_known != -1
        model = clone(base).fit(X_pool[labeled], y_known[labeled])
        accuracy.append(model.score(X_test, y_test))
        if round_ < n_rounds:
            if strategy == "random":
                rows = rng.choice(np.flatnonzero(~labeled), size=batch, replace=False)
            else:
                rows = suggest_labels(
                    model, X_pool, y_known, batch, strategy=strategy, random_state=round_
                )
            y_known[rows] = y_pool[rows]
    return accuracy


curves = {name: query_curve(name) for name in ("random", "margin", "auto")}
loop = run_active_learning(
    base,
    X_pool,
    y_start,
    oracle=y_pool,
    budget=20 + n_rounds * batch,
    batch_size=batch,
    validation_data=(X_test, y_test),
    random_state=0,
)
curves["auto + self-labeling"] = [entry["validation_score"] for entry in loop.history]

labels = 20 + batch * np.arange(n_rounds + 1)
fig, ax = plt.subplots(figsize=(7, 4.5))
for name, accuracy in curves.items():
    ax.plot(
        labels,
        accuracy,
        marker="o",
        markersize=3,
        label=f"{name} (AULC {100 * np.mean(accuracy):.1f})",
    )
ax.axhline(curves["random"][-1], color="grey", linestyle=":", label="random's final accuracy")
ax.set_xlabel("labeled images")
ax.set_ylabel("test accuracy")
ax.set_title("Digits, logistic regression, 10 labels per round")
ax.legend(loc="lower right")
plt.tight_layout()
plt.show()
