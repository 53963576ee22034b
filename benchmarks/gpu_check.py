"""Train every neural estimator on CUDA and on the CPU; compare accuracy and time.

Each estimator learns from its kind of simulated weak labels (the tour's
settings) on scikit-learn's digits (breast cancer for PU), once with
``device="cpu"`` and once with ``device="cuda"``, same seed. Without a visible
GPU only the CPU rows are printed, with a note.

    OMP_NUM_THREADS=1 python benchmarks/gpu_check.py [--epochs 50]
"""

import argparse
import time

import numpy as np
from _common import add_common_arguments, write_json
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sklweak._tour import SETTINGS
from sklweak.complementary import ComplementaryLabelClassifier
from sklweak.llp import DLLPClassifier, EasyLLPClassifier, LLPBPClassifier
from sklweak.lowdensity import DeepLDSClassifier
from sklweak.noise import ELRClassifier
from sklweak.pu import NNPUClassifier


def _estimators(epochs):
    """Name -> (model for a device, kind of weak labels, data loader)."""
    return {
        "DLLPClassifier": (
            lambda device: DLLPClassifier(max_iter=epochs, device=device),
            "llp",
            load_digits,
        ),
        "EasyLLPClassifier(mlp)": (
            lambda device: EasyLLPClassifier(model="mlp", max_iter=epochs, device=device),
            "llp",
            load_digits,
        ),
        "LLPBPClassifier(mlp)": (
            lambda device: LLPBPClassifier(
                "mlp", n_rounds=2, mlp_params={"max_iter": epochs, "device": device}
            ),
            "llp",
            load_digits,
        ),
        "DeepLDSClassifier": (
            lambda device: DeepLDSClassifier(n_epochs_initial=epochs, device=device),
            "semi-supervised",
            load_digits,
        ),
        "ELRClassifier": (
            lambda device: ELRClassifier(max_iter=epochs, device=device),
            "noisy",
            load_digits,
        ),
        "NNPUClassifier(mlp)": (
            lambda device: NNPUClassifier(model="mlp", max_iter=epochs, device=device),
            "pu",
            load_breast_cancer,
        ),
        "ComplementaryLabelClassifier(mlp)": (
            lambda device: ComplementaryLabelClassifier(
                model="mlp", max_iter=epochs, device=device
            ),
            "complementary",
            load_digits,
        ),
    }


def main():
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50)
    add_common_arguments(parser, seeds=None, quick=None)
    args = parser.parse_args()
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    if len(devices) == 1:
        print("No CUDA device is visible: CPU rows only.\n")
    else:
        print(f"CUDA device: {torch.cuda.get_device_name(0)}\n")
    print("| estimator | device | accuracy | fit seconds |")
    print("|---|---|---|---|")
    records = []
    for name, (make_model, kind, load) in _estimators(args.epochs).items():
        X, y = load(return_X_y=True)
        X = StandardScaler().fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=0
        )
        setting = SETTINGS[kind](X_train, y_train, y_test, 0)
        for device in devices:
            model = make_model(device).set_params(random_state=0)
            start = time.perf_counter()
            model.fit(X_train, setting.y_weak)
            if device == "cuda":
                torch.cuda.synchronize()
            seconds = time.perf_counter() - start
            accuracy = np.mean(model.predict(X_test) == setting.y_test)
            print(f"| {name} | {device} | {accuracy:.4f} | {seconds:.1f} |", flush=True)
            records.append(
                {"estimator": name, "device": device, "accuracy": accuracy, "fit_s": seconds}
            )
    write_json(args.json, {"epochs": args.epochs, "fits": records})


if __name__ == "__main__":
    main()
