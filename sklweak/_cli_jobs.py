"""The command line's jobs: find label issues, fit a weak-label model, predict."""

import sys

import numpy as np

from ._cli_tables import (
    Steps,
    encode_labels,
    feature_columns,
    make_feature_pipeline,
    read_table,
    split_columns,
    write_table,
)

__all__ = ["TASKS", "find_label_issues_job", "fit_job", "predict_job"]

# Task -> (weak-label kind of the registry, default method).
TASKS = {
    "semi-supervised": ("semi-supervised", "SelfTrainingClassifier"),
    "pu": ("pu", "ElkanNotoClassifier"),
    "llp": ("llp", "LLPBPClassifier"),
}

_FORMAT_VERSION = 1


def base_model(name, random_state):
    """The supervised model a job uses: ``"logistic"`` or ``"gradient-boosting"``.

    Parameters
    ----------
    name : {"logistic", "gradient-boosting"}
        Logistic regression, or scikit-learn's histogram gradient boosting.
    random_state : int or None
        Seed of the model.

    Returns
    -------
    model : classifier
        Unfitted.

    Examples
    --------
    >>> type(base_model("logistic", 0)).__name__
    'LogisticRegression'
    """
    if name == "gradient-boosting":
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(random_state=random_state)
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000)


def _pipeline(frame, columns, model):
    from sklearn.pipeline import Pipeline

    return Pipeline([("features", make_feature_pipeline(frame, columns)), ("model", model)])


def _out_of_sample_probs(frame, columns, labels, args):
    from .noise import cross_val_pred_probs

    counts = np.bincount(labels)
    if counts.min() < 2:
        raise SystemExit(
            "every class needs at least two labeled rows for cross-validated "
            f"probabilities; the rarest has {counts.min()}"
        )
    model = _pipeline(frame, columns, base_model(args.model, args.random_state))
    return cross_val_pred_probs(
        model, frame[columns], labels, cv=min(args.cv, int(counts.min())),
        n_jobs=args.n_jobs, random_state=args.random_state,
    )


def find_label_issues_job(args):
    """Rank the rows of a table by label quality and write the flagged ones.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``find-label-issues`` arguments.

    Returns
    -------
    status : int
        Exit status.
    """
    from .noise import find_label_issues, label_quality_scores

    steps = Steps(4)
    with steps.step(f"reading {args.data}"):
        frame = read_table(args.data)
    if args.annotators:
        return _annotator_issues(frame, args, steps)
    if not args.label:
        raise SystemExit("give the label column with --label, or --annotators COLS")
    columns = feature_columns(frame, features=split_columns(args.features),
                              exclude=[args.label])
    codes, classes = encode_labels(frame[args.label])
    if (codes < 0).any():
        rows = np.flatnonzero(codes < 0)[:5].tolist()
        raise SystemExit(f"the label column {args.label!r} is empty in rows {rows}")
    with steps.step("cross-validated probabilities"):
        pred_probs = _out_of_sample_probs(frame, columns, codes, args)
    with steps.step("confident learning"):
        issues = find_label_issues(codes, pred_probs, filter_by=args.filter_by)
        quality = label_quality_scores(codes, pred_probs, method=args.score)
    report = frame.copy()
    report.insert(0, "row", np.arange(len(frame)))
    report.insert(1, "given_label", classes[codes])
    report.insert(2, "suggested_label", classes[pred_probs.argmax(axis=1)])
    report.insert(3, "label_quality", quality)
    report.insert(4, "is_label_issue", issues)
    if not args.all:
        report = report[issues]
    report = report.sort_values("label_quality", kind="stable")
    with steps.step("writing"):
        write_table(report, args.out)
    print(f"{int(issues.sum())} of {len(frame)} rows flagged as label issues",
          file=sys.stderr)
    return 0


def _annotator_issues(frame, args, steps):
    from .noise import estimate_consensus, majority_vote

    annotators = split_columns(args.annotators)
    exclude = annotators + ([args.label] if args.label else [])
    columns = feature_columns(frame, features=split_columns(args.features),
                              exclude=exclude)
    stacked = frame[annotators].to_numpy().T.reshape(-1)
    codes, classes = encode_labels(stacked)
    matrix = codes.reshape(len(annotators), len(frame)).T
    nobody = np.flatnonzero((matrix < 0).all(axis=1))
    if nobody.size:
        raise SystemExit(f"rows {nobody[:5].tolist()} have no annotation")
    vote = majority_vote(matrix)
    with steps.step("cross-validated probabilities on the majority vote"):
        pred_probs = _out_of_sample_probs(frame, columns, vote, args)
    with steps.step("consensus"):
        consensus = estimate_consensus(matrix, pred_probs)
    report = frame.copy()
    report.insert(0, "row", np.arange(len(frame)))
    report.insert(1, "consensus_label", classes[consensus.consensus_label])
    report.insert(2, "consensus_quality", consensus.consensus_quality)
    report.insert(3, "n_annotations", (matrix >= 0).sum(axis=1))
    report = report.sort_values("consensus_quality", kind="stable")
    with steps.step("writing"):
        write_table(report, args.out)
    print("annotator quality:", file=sys.stderr)
    for name, quality in zip(annotators, consensus.annotator_quality):
        print(f"  {name}: {quality:.3f}", file=sys.stderr)
    return 0


def _method(task, name, random_state, n_jobs):
    from sklearn.base import clone

    from .utils import all_estimators, default_instance

    kind, default = TASKS[task]
    name = name or default
    found = dict(all_estimators())
    candidates = sorted(
        n for n, cls in found.items() if getattr(cls, "_weak_label_kind", None) == kind
    )
    if name not in candidates:
        raise SystemExit(
            f"--method {name!r} is not a {task} method; choose one of {candidates}"
        )
    estimator = default_instance(found[name])
    params = estimator.get_params(deep=False)
    if "random_state" in params:
        estimator.set_params(random_state=random_state)
    if "n_jobs" in params:
        estimator.set_params(n_jobs=n_jobs)
    return clone(estimator)


def _semi_supervised_target(frame, args):
    codes, classes = encode_labels(frame[args.label], missing=args.unlabeled_value)
    return codes, classes


def _pu_target(frame, args):
    if args.positive is None:
        raise SystemExit("a PU job needs --positive VALUE (the label of the positives)")
    values = frame[args.label].astype(str).str.strip()
    positive = (values == str(args.positive)).to_numpy()
    if not positive.any():
        raise SystemExit(f"no row has {args.label} == {args.positive!r}")
    return positive.astype(np.int64), np.array(["negative", "positive"], dtype=object)


def _llp_target(frame, args):
    from .llp import make_bag_target

    if not args.bag or not args.proportions:
        raise SystemExit("an LLP job needs --bag COL and --proportions FILE")
    table = read_table(args.proportions)
    if args.bag not in table.columns:
        raise SystemExit(f"{args.proportions} has no column {args.bag!r}")
    class_columns = [c for c in table.columns if c != args.bag]
    if table[args.bag].duplicated().any():
        raise SystemExit(f"{args.proportions} lists a bag twice")
    rows = dict(zip(table[args.bag].tolist(), table[class_columns].to_numpy(float)))
    try:
        y = make_bag_target(frame[args.bag].to_numpy(), rows)
    except ValueError as exc:
        raise SystemExit(f"bad bags or proportions: {exc}") from exc
    return y, np.array(class_columns, dtype=object)


def fit_job(args):
    """Fit a semi-supervised, PU or LLP model on a table and save it.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``fit`` arguments.

    Returns
    -------
    status : int
        Exit status.
    """
    import joblib

    steps = Steps(3)
    with steps.step(f"reading {args.data}"):
        frame = read_table(args.data)
    targets = {"semi-supervised": _semi_supervised_target, "pu": _pu_target,
               "llp": _llp_target}
    target_columns = [args.bag] if args.task == "llp" else [args.label]
    if None in target_columns:
        raise SystemExit(f"a {args.task} job needs --label COL"
                         if args.task != "llp" else "an LLP job needs --bag COL")
    columns = feature_columns(frame, features=split_columns(args.features),
                              exclude=target_columns)
    y, classes = targets[args.task](frame, args)
    model = _pipeline(frame, columns, _method(args.task, args.method, args.random_state, args.n_jobs))
    with steps.step(f"fitting {type(model[-1]).__name__}"):
        model.fit(frame[columns], y)
    bundle = {"format": _FORMAT_VERSION, "task": args.task, "model": model,
              "features": columns, "classes": classes}
    with steps.step(f"saving {args.model_out}"):
        joblib.dump(bundle, args.model_out)
    print(f"saved a {args.task} {type(model[-1]).__name__} on {len(columns)} "
          f"features to {args.model_out}", file=sys.stderr)
    return 0


def predict_job(args):
    """Predict the rows of a table with a model saved by ``fit``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``predict`` arguments.

    Returns
    -------
    status : int
        Exit status.
    """
    import joblib

    bundle = joblib.load(args.model)
    if not isinstance(bundle, dict) or bundle.get("format") != _FORMAT_VERSION:
        raise SystemExit(f"{args.model} was not written by `sklweak fit`")
    frame = read_table(args.data)
    missing = [c for c in bundle["features"] if c not in frame.columns]
    if missing:
        raise SystemExit(f"the table lacks the model's feature columns {missing}")
    model, classes = bundle["model"], bundle["classes"]
    features = frame[bundle["features"]]
    report = frame.copy() if args.keep_columns else frame.iloc[:, :0].copy()
    report.insert(0, "row", np.arange(len(frame)))
    report["prediction"] = classes[model.predict(features).astype(np.int64)]
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(features)
        for index, name in enumerate(classes):
            report[f"proba_{name}"] = proba[:, index]
    write_table(report, args.out)
    return 0
