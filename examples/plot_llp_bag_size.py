"""
Learning from label proportions: accuracy against bag size
==========================================================

The breast-cancer rows are grouped into random bags and only each bag's
share of malignant cases is kept. The larger the bags, the less the
proportions say about single rows. Test accuracy of each LLP method for bag
sizes from 2 to 64, next to logistic regression trained on every true label.
DLLP trains a small neural network (it needs the ``neural`` extra: torch and
skorch).
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklweak.datasets import make_bags
from sklweak.llp import (
    DLLPClassifier,
    EasyLLPClassifier,
    LLPBPClassifier,
    ProportionWeightedClassifier,
)

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

methods = {
    "LLP-BP": lambda: LLPBPClassifier(LogisticRegression(max_iter=1000)),
    "EasyLLP": lambda: EasyLLPClassifier(),
    "proportion-weighted": lambda: ProportionWeightedClassifier(LogisticRegression(max_iter=1000)),
    "DLLP": lambda: DLLPClassifier(max_iter=150, tol=1e-3, random_state=0),
}
bag_sizes = [2, 4, 8, 16, 32, 64]
accuracy = {name: [] for name in methods}
for bag_size in bag_sizes:
    _, y_bag, _ = make_bags(X_train, y_train, bag_size=bag_size, random_state=0)
    for name, make in methods.items():
        accuracy[name].append(make().fit(X_train, y_bag).score(X_test, y_test))
oracle = LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test)

plt.figure(figsize=(6, 4))
for name, values in accuracy.items():
    plt.plot(bag_sizes, values, marker="o", label=name)
plt.axhline(oracle, color="black", linestyle="--", label="all true labels")
plt.xscale("log", base=2)
plt.xlabel("bag size")
plt.ylabel("test accuracy")
plt.legend()
plt.tight_layout()
plt.show()
