"""The command line's jobs: find label issues, fit a weak-label model, predict."""

import re
import sys
from pathlib import Path

import numpy as np

from ._cli_tables import (
    Steps,
    check_output_path,
    encode_labels,
    feature_columns,
    make_feature_pipeline,
    matches_value,
    read_table,
    split_columns,
    write_table,
)

__all__ = ["TASKS", "find_label_issues_job", "fit_job", "predict_job", "suggest_labels_job"]

# Task -> (weak-label kind of the registry, default method).
TASKS = {
    "semi-supervised": ("semi-supervised", "SelfTrainingClassifier"),
    "pu": ("pu", "ElkanNotoClassifier"),
    "llp": ("llp", "LLPBPClassifier"),
    "labeling-functions": ("labeling-functions", "WeakSupervisionClassifier"),
}

_FORMAT_VERSION = 1
# Advice in estimators' convergence warnings that the command line already followed.
_ALREADY_SCALED = re.compile(r"[;,]?\s*(scale|standardize) the features[^.;]*[.;]?", re.IGNORECASE)


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


def _feature_columns(frame, args, *, targets):
    return feature_columns(
        frame,
        features=split_columns(args.features),
        targets=targets,
        exclude=split_columns(args.exclude),
    )


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
        model,
        frame[columns],
        labels,
        cv=min(args.cv, int(counts.min())),
        n_jobs=args.n_jobs,
        random_state=args.random_state,
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

    if not args.label and not args.annotators:
        raise SystemExit("give the label column with --label, or --annotators COLS")
    check_output_path(args.out, "--out")
    steps = Steps(4)
    with steps.step(f"reading {args.data}"):
        frame = read_table(args.data)
    if args.annotators:
        return _annotator_issues(frame, args, steps)
    columns = _feature_columns(frame, args, targets=[args.label])
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
    print(f"{int(issues.sum())} of {len(frame)} rows flagged as label issues", file=sys.stderr)
    return 0


def _annotator_issues(frame, args, steps):
    from .noise import estimate_consensus, majority_vote

    annotators = split_columns(args.annotators)
    targets = annotators + ([args.label] if args.label else [])
    columns = _feature_columns(frame, args, targets=targets)
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
        raise SystemExit(f"--method {name!r} is not a {task} method; choose one of {candidates}")
    estimator = default_instance(found[name])
    params = estimator.get_params(deep=False)
    if "random_state" in params:
        estimator.set_params(random_state=random_state)
    if "n_jobs" in params:
        estimator.set_params(n_jobs=n_jobs)
    return clone(estimator)


UNLABELED_VALUE = -1  # the library's semi-supervised contract


def _semi_supervised_target(frame, args):
    missing = [UNLABELED_VALUE] + ([args.unlabeled_value] if args.unlabeled_value else [])
    codes, classes = encode_labels(frame[args.label], missing=missing)
    n_labeled = int((codes >= 0).sum())
    if n_labeled == 0:
        raise SystemExit(
            f"the label column {args.label!r} has no labeled row (empty, NA and "
            f"{', '.join(map(repr, map(str, missing)))} mean unlabeled)"
        )
    if len(classes) < 2:
        as_minus_one = matches_value(frame[args.label].reset_index(drop=True), UNLABELED_VALUE)
        hint = (
            f"; its {int(as_minus_one.sum()):,} rows of -1 are unlabeled (the "
            "library's contract): recode a class named -1"
            if as_minus_one.any()
            else ""
        )
        raise SystemExit(
            f"the labeled rows of {args.label!r} hold one class "
            f"({classes[0]}); a semi-supervised model needs two{hint}"
        )
    shown = ", ".join(map(str, classes[:10])) + (", ..." if len(classes) > 10 else "")
    print(
        f"{n_labeled:,} labeled rows, {len(codes) - n_labeled:,} unlabeled "
        f"({len(classes)} classes: {shown})",
        file=sys.stderr,
    )
    return codes, classes


def _same_kind(text, present):
    """``text`` as the column holds it: a number (int when whole) or stripped text."""
    import pandas as pd

    text = str(text).strip()
    if pd.api.types.is_numeric_dtype(present.infer_objects()):
        number = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
        if not np.isnan(number):
            return int(number) if number == round(number) else float(number)
    return text


def _pu_classes(values, positive, args):
    """The user's negative and positive values, for the predictions."""
    import pandas as pd

    has_value = values.notna().to_numpy() & (values.astype(str).str.strip() != "").to_numpy()
    present = values[has_value]
    positive_value = _same_kind(values[positive].iloc[0], present)
    others = values[has_value & ~positive].astype(str).str.strip().unique()
    if args.negative is not None:
        if matches_value(pd.Series([args.negative]), args.positive)[0]:
            raise SystemExit("--negative and --positive name the same value")
        negative_value = _same_kind(args.negative, present)
    elif len(others) == 1:
        negative_value = _same_kind(others[0], present)
    else:
        found = "no other value" if len(others) == 0 else f"values {sorted(others)[:5]}"
        raise SystemExit(
            f"the label column {args.label!r} holds {args.positive!r} and {found}: "
            "name the predicted negative class with --negative VALUE"
        )
    return np.array([negative_value, positive_value], dtype=object)


def _pu_target(frame, args):
    if args.positive is None:
        raise SystemExit("a PU job needs --positive VALUE (the label of the positives)")
    values = frame[args.label].reset_index(drop=True)
    positive = matches_value(values, args.positive)
    if not positive.any():
        raise SystemExit(f"no row has {args.label} == {args.positive!r}")
    classes = _pu_classes(values, positive, args)
    print(
        f"{int(positive.sum()):,} labeled positives ({classes[1]}), "
        f"{int((~positive).sum()):,} unlabeled; predictions are {classes[0]} "
        f"or {classes[1]}",
        file=sys.stderr,
    )
    return positive.astype(np.int64), classes


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


def _vote_target(frame, args):
    """The vote matrix of ``--votes`` columns: class values, empty/NA/-1 = abstain."""
    functions = split_columns(args.votes)
    stacked = frame[functions].to_numpy().T.reshape(-1)
    codes, classes = encode_labels(stacked, missing=[UNLABELED_VALUE])
    if len(classes) < 2:
        raise SystemExit(f"the vote columns {functions} vote fewer than two classes")
    matrix = codes.reshape(len(functions), len(frame)).T
    covered = (matrix >= 0).any(axis=1)
    print(
        f"{int(covered.sum()):,} of {len(frame):,} rows have a vote from {len(functions)} "
        "functions; the others are predicted by the end model",
        file=sys.stderr,
    )
    return matrix, classes


def _explain(caught, model_name):
    """One line per distinct warning, without advice that the CLI already followed."""
    from sklearn.exceptions import ConvergenceWarning

    seen = set()
    for record in caught:
        message = " ".join(str(record.message).split())
        if issubclass(record.category, ConvergenceWarning):
            message = _ALREADY_SCALED.sub("", message).rstrip(" ;,")
            message = (
                f"{model_name} did not fully converge: {message} (the command "
                "line already standardizes numeric features; the model may "
                "still be usable, or try another --method)"
            )
        if message not in seen:
            seen.add(message)
            print(f"warning: {message}", file=sys.stderr)


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
    import warnings

    import joblib

    target_columns = [args.bag] if args.task == "llp" else [args.label]
    if args.task == "labeling-functions":
        if not args.votes:
            raise SystemExit("a labeling-functions job needs --votes COLS")
        target_columns = split_columns(args.votes)
    if None in target_columns:
        raise SystemExit(
            f"a {args.task} job needs --label COL"
            if args.task != "llp"
            else "an LLP job needs --bag COL"
        )
    check_output_path(args.model_out, "--model-out", table=False)
    estimator = _method(args.task, args.method, args.random_state, args.n_jobs)
    steps = Steps(3)
    with steps.step(f"reading {args.data}"):
        frame = read_table(args.data)
    targets = {
        "semi-supervised": _semi_supervised_target,
        "pu": _pu_target,
        "llp": _llp_target,
        "labeling-functions": _vote_target,
    }
    columns = _feature_columns(frame, args, targets=target_columns)
    y, classes = targets[args.task](frame, args)
    model = _pipeline(frame, columns, estimator)
    name = type(estimator).__name__
    with steps.step(f"fitting {name}"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(frame[columns], y)
    _explain(caught, name)
    bundle = {
        "format": _FORMAT_VERSION,
        "task": args.task,
        "model": model,
        "features": columns,
        "classes": classes,
    }
    with steps.step(f"saving {args.model_out}"):
        joblib.dump(bundle, args.model_out)
    print(
        f"saved a {args.task} {name} on {len(columns)} features to {args.model_out}",
        file=sys.stderr,
    )
    return 0


def _load_model(path, data):
    import joblib

    if _looks_like_table(path) and not _looks_like_table(data):
        raise SystemExit(
            f"{path} is a table and {data} is not: the order is `sklweak predict MODEL DATA`"
        )
    if not Path(path).is_file():
        raise SystemExit(f"{path}: no such model file")
    try:
        bundle = joblib.load(path)
    except Exception as exc:  # a pickle of anything can fail in any way
        raise SystemExit(
            f"{path} is not a model written by `sklweak fit` ({type(exc).__name__})"
        ) from exc
    if not isinstance(bundle, dict) or bundle.get("format") != _FORMAT_VERSION:
        raise SystemExit(f"{path} was not written by `sklweak fit`")
    return bundle


def _looks_like_table(path):
    return Path(path).suffix.lower() in {".csv", ".tsv", ".txt", ".parquet", ".pq"}


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
    check_output_path(args.out, "--out")
    bundle = _load_model(args.model, args.data)
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


def suggest_labels_job(args):
    """Write the unlabeled rows of a table that are most worth labeling next.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``suggest-labels`` arguments.

    Returns
    -------
    status : int
        Exit status.
    """
    from .active import suggest_labels
    from .active._suggest import GEOMETRIC

    check_output_path(args.out, "--out")
    steps = Steps(3)
    with steps.step(f"reading {args.data}"):
        frame = read_table(args.data)
    columns = _feature_columns(frame, args, targets=[args.label])
    missing = [UNLABELED_VALUE] + ([args.unlabeled_value] if args.unlabeled_value else [])
    codes, classes = encode_labels(frame[args.label], missing=missing)
    n_unlabeled = int((codes < 0).sum())
    if n_unlabeled == 0:
        raise SystemExit(
            f"the label column {args.label!r} has no unlabeled row: nothing to suggest"
        )
    if args.n > n_unlabeled:
        raise SystemExit(f"--n {args.n} is more than the {n_unlabeled:,} unlabeled rows")
    strategy = args.strategy
    if len(classes) < 2 and strategy not in GEOMETRIC:
        print(
            f"fewer than two labeled classes: rows chosen by 'typiclust' instead of {strategy!r}",
            file=sys.stderr,
        )
        strategy = "typiclust"
    with steps.step("features"):
        features = make_feature_pipeline(frame, columns).fit_transform(frame[columns])
    with steps.step(f"choosing {args.n} rows ({strategy})"):
        rows = suggest_labels(
            base_model(args.model, args.random_state),
            features,
            codes,
            args.n,
            strategy=strategy,
            random_state=args.random_state,
        )
    report = frame.iloc[rows].copy()
    report.insert(0, "row", rows)
    report.insert(1, "rank", np.arange(1, len(rows) + 1))
    write_table(report, args.out)
    print(f"{len(rows)} of {n_unlabeled:,} unlabeled rows suggested ({strategy})", file=sys.stderr)
    return 0
