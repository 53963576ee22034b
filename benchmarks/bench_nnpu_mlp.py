"""nnPU with an MLP against uPU with the same MLP, the linear nnPU and a supervised MLP.

Kiryo et al. (2017) show that the unbiased PU risk (uPU) goes negative on the
training set with a flexible model, which then overfits, while the
non-negative risk (nnPU) does not. This benchmark repeats that comparison on
tabular data: a stratified 70/30 split, features as given (each model
standardizes internally), SCAR PU labels with label frequency ``c`` on the
training part (``sklweak.datasets.make_pu``), the true class prior given to
every PU model, and on the true test labels:

- ``nnPU MLP``: ``NNPUClassifier(model="mlp")``;
- ``uPU MLP``: the same, ``non_negative=False`` (same net, epochs, optimizer);
- ``nnPU linear``: ``NNPUClassifier(model="linear")``;
- ``supervised MLP``: the same architecture trained with the cross-entropy
  on the true training labels (``ELRClassifier(regularization=0)``), the
  ceiling.

MLPs run a fixed number of epochs. Reported: test accuracy, ROC AUC, F1 of
the positive class, and the lowest training risk reached (below 0 for uPU
means the risk estimate was driven negative: overfitting).

Usage::

    python benchmarks/bench_nnpu_mlp.py            # spambase, c=0.2, 3 seeds
    python benchmarks/bench_nnpu_mlp.py --quick    # breast_cancer, 1 seed, few epochs
"""

import argparse
import os
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch
from _common import add_common_arguments, write_json
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split

from sklweak.datasets import load_keel, make_pu
from sklweak.noise import ELRClassifier
from sklweak.pu import NNPUClassifier

METHODS = ["nnPU MLP", "uPU MLP", "nnPU linear", "supervised MLP"]


def _load(name):
    if name == "breast_cancer":
        X, y = load_breast_cancer(return_X_y=True)
        return X, 1 - y  # malignant (the minority) is the positive class
    return load_keel(name)


def run(dataset, seeds, label_frequency, epochs, hidden, lr, device):
    X, y = _load(dataset)
    results = {m: [] for m in METHODS}
    for seed in seeds:
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=seed
        )
        y_pu = make_pu(X_train, y_train, label_frequency=label_frequency, random_state=seed)[0]
        prior = float(np.mean(y_train == 1))
        mlp = {
            "model": "mlp",
            "hidden_layer_sizes": hidden,
            "max_iter": epochs,
            "tol": 0.0,
            "n_iter_no_change": epochs + 1,
            "learning_rate": lr,
            "batch_size": 256,
            "device": device,
            "random_state": seed,
        }
        models = {
            "nnPU MLP": NNPUClassifier(prior=prior, non_negative=True, **mlp),
            "uPU MLP": NNPUClassifier(prior=prior, non_negative=False, **mlp),
            "nnPU linear": NNPUClassifier(prior=prior, random_state=seed),
            "supervised MLP": ELRClassifier(
                regularization=0.0,
                hidden_layer_sizes=hidden,
                max_iter=epochs,
                tol=None,
                learning_rate=lr,
                batch_size=256,
                device=device,
                random_state=seed,
            ),
        }
        for name, model in models.items():
            labels = y_train if name == "supervised MLP" else y_pu
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X_train, labels)
            elapsed = time.perf_counter() - start
            proba = model.predict_proba(X_test)[:, 1]
            pred = model.predict(X_test)
            curve = getattr(model, "risk_curve_", None)
            results[name].append(
                {
                    "acc": accuracy_score(y_test, pred),
                    "auc": roc_auc_score(y_test, proba),
                    "f1": f1_score(y_test, pred),
                    "min_risk": min(curve) if curve else np.nan,
                    "final_risk": curve[-1] if curve else np.nan,
                    "time": elapsed,
                }
            )
        print(
            f"seed {seed}: " + " | ".join(f"{m} acc {results[m][-1]['acc']:.4f}" for m in METHODS),
            flush=True,
        )
    return results


def table(results, dataset, label_frequency, seeds):
    print()
    print(
        f"{dataset}, SCAR label frequency c={label_frequency}, true prior given, "
        f"mean (std) over seeds {list(seeds)}, test part with true labels"
    )
    print()
    print("| method | accuracy | ROC AUC | F1 | lowest / final training risk | fit time (s) |")
    print("|---|---|---|---|---|---|")
    for name in METHODS:
        rows = results[name]

        def cell(key, rows=rows):
            values = [r[key] for r in rows]
            return f"{np.mean(values):.4f} ({np.std(values):.4f})"

        risks = (
            "n/a (cross-entropy, true labels)"
            if name == "supervised MLP"
            else f"{np.mean([r['min_risk'] for r in rows]):+.4f} / "
            f"{np.mean([r['final_risk'] for r in rows]):+.4f}"
        )
        print(
            f"| {name} | {cell('acc')} | {cell('auc')} | {cell('f1')} | {risks} "
            f"| {np.mean([r['time'] for r in rows]):.1f} |"
        )
    gain = np.mean([a["acc"] - b["acc"] for a, b in zip(results["nnPU MLP"], results["uPU MLP"])])
    print()
    print(f"Accuracy of nnPU MLP minus uPU MLP (same net and epochs): {gain:+.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=None)
    parser.add_argument("--dataset", default=None, help="KEEL name or breast_cancer")
    parser.add_argument("--label-frequency", type=float, default=0.2)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--device", default="cpu", help="'cpu', 'cuda' or 'auto'")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.quick:
        dataset, seeds, epochs, hidden = args.dataset or "breast_cancer", [0], 30, (64, 64)
    else:
        dataset, seeds, epochs, hidden = args.dataset or "spambase", [0, 1, 2], 100, (300, 300, 300)
    epochs = args.epochs or epochs
    lr = 1e-3
    results = run(dataset, seeds, args.label_frequency, epochs, hidden, lr, args.device)
    print(
        f"\nMLP {hidden}, ReLU, Adam lr {lr}, batch 256, weight decay 1e-4, {epochs} "
        f"epochs (fixed), sigmoid loss for the PU risks, device={args.device}"
    )
    table(results, dataset, args.label_frequency, seeds)
    settings = {"dataset": dataset, "label_frequency": args.label_frequency, "seeds": seeds}
    settings.update(epochs=epochs, hidden=hidden, learning_rate=lr, device=args.device)
    write_json(args.json, {**settings, "results": results})


if __name__ == "__main__":
    main()
