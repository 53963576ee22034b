"""
Label issues in digits, ranked and shown
========================================

Ten percent of the digits' labels are flipped to another class. Out-of-sample
probabilities from :func:`~sklweak.noise.cross_val_pred_probs` feed
:func:`~sklweak.noise.find_label_issues`, which flags the rows whose label is
likely wrong and ranks them, worst first. The images show the 16 worst with
their given and suggested labels, in red where the given label really was
flipped.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from sklweak.datasets import make_noisy_labels
from sklweak.noise import cross_val_pred_probs, find_label_issues

digits = load_digits()
X, y = digits.data / 16, digits.target
y_noisy, flipped = make_noisy_labels(y, noise_rate=0.1, random_state=0)
pred_probs = cross_val_pred_probs(
    LogisticRegression(max_iter=1000), X, y_noisy, cv=5, random_state=0
)
ranked = find_label_issues(y_noisy, pred_probs, return_indices_ranked_by="self_confidence")
truly = y_noisy != y
precision = truly[ranked].mean()
recall = np.isin(np.flatnonzero(truly), ranked).mean()
print(f"{len(ranked)} rows flagged; precision {precision:.2f}, recall {recall:.2f}")

fig, axes = plt.subplots(2, 8, figsize=(12, 4.4))
for ax, row in zip(axes.ravel(), ranked[:16]):
    ax.imshow(digits.images[row], cmap="gray_r")
    ax.set_title(
        f"given {y_noisy[row]}\nsuggest {pred_probs[row].argmax()}",
        color="red" if truly[row] else "black",
        fontsize=9,
    )
    ax.axis("off")
fig.suptitle(f"worst-ranked label issues (precision {precision:.0%}, recall {recall:.0%})")
plt.tight_layout()
plt.show()
