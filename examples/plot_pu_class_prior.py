"""
PU learning: estimating the class prior with its interval
=========================================================

With only some positives labeled, the share of positives among all rows (the
class prior) is unknown, yet most PU methods need it.
:func:`~sklweak.pu.estimate_class_prior` estimates it from the labeled
positives and the unlabeled rows, with a bootstrap interval (percentiles of the estimates on resampled data,
so the estimate on the full data may fall just outside it). Here, on
scikit-learn's breast-cancer data, for a growing fraction of labeled
positives: the Elkan-Noto estimate and TIcE next to the true prior.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from sklweak.datasets import make_pu
from sklweak.pu import estimate_class_prior

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)
frequencies = [0.1, 0.2, 0.3, 0.5, 0.7]
results = {"elkan_noto": [], "tice": []}
for frequency in frequencies:
    y_pu, _ = make_pu(X, y, label_frequency=frequency, random_state=0)
    for method in results:
        prior, interval = estimate_class_prior(
            X, y_pu, method=method, n_bootstrap=50, random_state=0
        )
        results[method].append((prior, *interval))

plt.figure(figsize=(6, 4))
for shift, (method, values) in zip((-0.01, 0.01), results.items()):
    values = np.array(values)
    plt.errorbar(
        np.array(frequencies) + shift,
        values[:, 0],
        yerr=np.clip([values[:, 0] - values[:, 1], values[:, 2] - values[:, 0]], 0, None),
        fmt="o",
        capsize=4,
        label=method,
    )
plt.axhline(y.mean(), color="black", linestyle="--", label="true prior")
plt.xlabel("fraction of positives labeled")
plt.ylabel("estimated class prior")
plt.legend()
plt.tight_layout()
plt.show()
