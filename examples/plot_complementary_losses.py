"""
Complementary labels: the losses compared
=========================================

Each digit carries one complementary label: a class it is *not*, drawn
uniformly. :class:`~sklweak.complementary.ComplementaryLabelClassifier`
trains a softmax model from these alone with each of the literature's
losses; the bars show test accuracy next to the same model trained on the
true labels (the ceiling).
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

from sklweak.complementary import ComplementaryLabelClassifier
from sklweak.datasets import make_complementary_labels

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X / 16, y, test_size=0.3, random_state=0)
y_bar = make_complementary_labels(y_train, random_state=0)

losses = ["pc", "ure", "ure_ga", "scl_exp", "scl_nl", "fwd"]
accuracy = {}
for loss in losses:
    model = ComplementaryLabelClassifier(loss=loss, random_state=0).fit(X_train, y_bar)
    accuracy[loss] = accuracy_score(y_test, model.predict(X_test))
supervised = LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test)

plt.figure(figsize=(6, 4))
plt.bar(list(accuracy), list(accuracy.values()))
plt.axhline(supervised, color="black", linestyle="--", label="true labels")
plt.ylabel("test accuracy")
plt.title("one uniform complementary label per digit")
plt.legend(loc="lower right")
plt.tight_layout()
plt.show()
