"""
Labeling functions: rules written for the wine data, a label model, a classifier
================================================================================

No label, only rules. From a quick look at scikit-learn's wine data (three
cultivars), we write labeling functions: each votes a cultivar on the rows a
rule fires on and abstains elsewhere. :func:`~sklweak.labeling.lf_summary`
shows how they overlap and conflict; :class:`~sklweak.labeling.LabelModel`
combines their votes, against a plain majority vote; and
:class:`~sklweak.labeling.WeakSupervisionClassifier` trains a classifier on
the label model's soft labels, which also labels the rows no rule covers.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklweak.labeling import (
    LabelingFunction,
    LabelModel,
    WeakSupervisionClassifier,
    apply_labeling_functions,
    lf_summary,
    plot_lf_summary,
)

data = load_wine(as_frame=True)
X = data.frame.drop(columns="target")
X_train, X_test, y_train, y_test = train_test_split(
    X, data.target.to_numpy(), test_size=0.3, stratify=data.target, random_state=0
)


def rule(name, column, op, threshold, cultivar):
    """Vote ``cultivar`` where ``column op threshold``."""

    def fires(df):
        values = df[column].to_numpy()
        return values > threshold if op == ">" else values < threshold

    return LabelingFunction(name, fires, label=cultivar)


# %%
# The rules: cultivar 0 is rich in proline and alcohol, cultivar 1 has light
# colour and little alcohol, cultivar 2 has intense colour and little
# flavanoids. Two rules are near-copies, and one is a weak guess.
functions = [
    rule("proline_high", "proline", ">", 1000, 0),
    rule("proline_high_copy", "proline", ">", 950, 0),
    rule("alcohol_high", "alcohol", ">", 13.5, 0),
    rule("colour_light", "color_intensity", "<", 3.5, 1),
    rule("alcohol_low", "alcohol", "<", 12.3, 1),
    rule("colour_dark", "color_intensity", ">", 7.0, 2),
    rule("flavanoids_low", "flavanoids", "<", 1.0, 2),
    rule("hue_low", "hue", "<", 0.75, 2),
    rule("magnesium_guess", "magnesium", ">", 110, 1),
]
L_train = apply_labeling_functions(functions, X_train)
summary = lf_summary(L_train, y=y_train)
print(lf_summary(L_train, y=y_train, as_frame=True).round(2))

# %%
# The label model against the majority vote, on the rows some rule covers.
covered = np.any(L_train.to_numpy() >= 0, axis=1)
for method in ("majority_vote", "anchored_dawid_skene"):
    predicted = LabelModel(method=method).fit(L_train).predict(L_train)
    accuracy = np.mean(predicted[covered] == y_train[covered])
    print(f"{method:>22}: {accuracy:.3f} of {covered.sum()} covered rows right")

# %%
# A classifier on the votes alone; it predicts every test row.
clf = WeakSupervisionClassifier(make_pipeline(StandardScaler(), LogisticRegression()))
clf.fit(X_train, L_train)
print(f"test accuracy from rules only: {np.mean(clf.predict(X_test) == y_test):.3f}")

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
plot_lf_summary(summary, matrix="conflict", ax=axes[0])
axes[1].barh(summary.names, summary.coverage, label="coverage")
axes[1].barh(summary.names, summary.empirical_accuracy * summary.coverage, label="right votes")
axes[1].set_xlabel("fraction of rows")
axes[1].legend()
fig.tight_layout()
plt.show()
