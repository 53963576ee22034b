"""Labeling-family defaults on the labeling benchmark (issue 19 item 16).

The protocol of ``bench_labeling.py`` (its split, 60-row dev sample and
labeling functions), at full size (training part at most 3,000 rows) and with
the training part cut to 300 rows (``--sizes 300``; wine, whose training part
has 133 rows, only at full size). Seeds 0-2 are the functions the label
model's default was chosen on, seeds 3-5 the held-out functions. Grids, each
other parameter at its default:

- ``LabelModel(copy_threshold, smoothing)`` with the default method: every
  pair of ``COPY_THRESHOLDS`` (``None``: no near-copy weighting) and
  ``SMOOTHINGS`` (columns ``ct<value>_sm<value>``; ``smoothing`` 0.0001 was
  added last, with ``--groups label_model``). Label accuracy on the
  covered training rows for every pair; the end models (LogisticRegression
  on standardized features and HistGradientBoosting, as ``bench_labeling.py``
  fits them on a label model's hard labels) for the pairs on the two lines
  through the default (one parameter changed at a time). A fit whose hard
  labels equal those of a pair already scored in the same cell reuses its
  scores (the same labels give the same end models). ``ds_ct...`` columns:
  the same grid with ``method="dawid_skene"`` (label accuracy only).
- ``WeakSupervisionClassifier(soft_labels="copies", min_share=...)``
  (``min_share`` does nothing with the default ``soft_labels="confidence"``),
  columns ``copies_ms<value>``: end-model test accuracy (the label model at
  ``smoothing=0.1``, the default when measured).
- ``WeakSupervisionClassifier()`` (its defaults) with the label model's
  ``smoothing`` in ``WSC_SMOOTHINGS``, columns ``wsc_sm<value>``: end-model
  test accuracy of the pipeline a user gets.
- ``WeakSupervisionClassifier(uncovered="self_train", threshold=...)``
  (``threshold`` does nothing with the default ``uncovered="ignore"``, nor
  where the functions cover every training row), columns
  ``self_train_th<value>``: end-model test accuracy (``smoothing=0.1`` as
  above), on the cells with an uncovered training row only (the others are
  recorded as skipped).

Usage::

    python benchmarks/bench_labeling_defaults.py --sizes 300            # small first
    python benchmarks/bench_labeling_defaults.py --sizes full --first-seed 3
    python benchmarks/bench_labeling_defaults.py --groups min_share --sets wine
    python benchmarks/bench_labeling_defaults.py --report [--per-set] [--results A B]

Resumable: one JSON line per (set, size, seed, column) in
``benchmarks/out/labeling_defaults.jsonl``; records already there are not
computed again.
"""

import argparse
import hashlib
import os
import sys
import traceback
import warnings
from collections import defaultdict

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import append_jsonl, git_commit, keel_raw_dir, load_any, markdown_table, read_jsonl
from bench_labeling import (
    POOL_CAP,
    SETS,
    apply_all,
    end_model_scores,
    make_split,
    write_labeling_functions,
    wsc_scores,
)

from sklweak.labeling import LabelModel

COPY_THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9, None]
SMOOTHINGS = [0.0001, 0.001, 0.01, 0.03, 0.1, 0.5, 1.0]
MIN_SHARES = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5]
WSC_SMOOTHINGS = [0.001, 0.01, 0.1]
THRESHOLDS = [0.6, 0.75, 0.9, 0.97]
# The defaults this benchmark measured against (the reference columns of --report);
# since then LabelModel's smoothing is 0.001 and WeakSupervisionClassifier's min_share 0.4.
DEFAULTS = {"copy_threshold": 0.7, "smoothing": 0.1, "min_share": 0.05, "threshold": 0.9}
# The label model of the min_share and threshold columns, as they were run.
_MEASURED_LABEL_MODEL = {"label_model_params": {"smoothing": DEFAULTS["smoothing"]}}
SIZES = ["300", "full"]
DEFAULT_RESULTS = os.path.join(os.path.dirname(__file__), "out", "labeling_defaults.jsonl")


def _pair(prefix, copy_threshold, smoothing):
    return f"{prefix}ct{copy_threshold}_sm{smoothing}"


def _columns(groups):
    """{column: (kind, parameters, with end models)} of the requested groups."""
    columns = {}
    if "label_model" in groups:
        for ct in COPY_THRESHOLDS:
            for sm in SMOOTHINGS:
                on_line = ct == DEFAULTS["copy_threshold"] or sm == DEFAULTS["smoothing"]
                params = {"copy_threshold": ct, "smoothing": sm}
                columns[_pair("", ct, sm)] = ("label_model", params, on_line)
                columns[_pair("ds_", ct, sm)] = (
                    "label_model",
                    {**params, "method": "dawid_skene"},
                    False,
                )
    if "min_share" in groups:
        for value in MIN_SHARES:
            columns[f"copies_ms{value}"] = (
                "wsc",
                {"soft_labels": "copies", "min_share": value, **_MEASURED_LABEL_MODEL},
                True,
            )
    if "wsc_smoothing" in groups:
        for value in WSC_SMOOTHINGS:
            columns[f"wsc_sm{value}"] = ("wsc", {"label_model_params": {"smoothing": value}}, True)
    if "threshold" in groups:
        for value in THRESHOLDS:
            columns[f"self_train_th{value}"] = (
                "wsc",
                {"uncovered": "self_train", "threshold": value, **_MEASURED_LABEL_MODEL},
                True,
            )
    return columns


def _labels_key(labels):
    return hashlib.sha1(np.ascontiguousarray(labels).tobytes()).hexdigest()


def run_cell(name, size, seed, todo, columns, data, done_end, results, commit):
    """Compute and append the records of the ``todo`` columns of one cell."""
    X, y, n_classes = data
    pool_cap = POOL_CAP if size == "full" else int(size)
    X_train, y_train, X_test, y_test, dev = make_split(X, y, seed, pool_cap)
    L_train = apply_all(
        write_labeling_functions(X_train[dev], y_train[dev], n_classes, seed), X_train
    )
    covered = np.any(L_train >= 0, axis=1)
    for column in todo:
        kind, params, with_end = columns[column]
        record = {
            "set": name,
            "size": size,
            "seed": seed,
            "column": column,
            "n_train": int(y_train.shape[0]),
            "n_functions": int(L_train.shape[1]),
            "coverage": float(covered.mean()),
            "commit": commit,
        }
        try:
            if kind == "label_model":
                model = LabelModel(n_classes=n_classes, **params)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    labels = model.fit(L_train).predict(L_train)
                record["label_accuracy"] = float(np.mean(labels[covered] == y_train[covered]))
                record["labels_key"] = key = _labels_key(labels)
                if with_end:
                    if key not in done_end:
                        done_end[key] = end_model_scores(
                            X_train, labels, covered, X_test, y_test, seed
                        )
                    record["end"] = done_end[key]
            elif params.get("uncovered") == "self_train" and covered.all():
                record["skipped"] = "every training row covered"
            else:
                record["end"] = wsc_scores(
                    X_train, L_train, n_classes, X_test, y_test, seed, **params
                )
        except Exception as error:  # recorded, shown by --report
            record["error"] = f"{type(error).__name__}: {error}"
            traceback.print_exc()
        append_jsonl(results, record)
        print(name, size, seed, column, record.get("label_accuracy"), record.get("end"), flush=True)


def run(args):
    records = read_jsonl(args.results)
    done = {(r["set"], r["size"], r["seed"], r["column"]) for r in records}
    end_by_cell = defaultdict(dict)
    for r in records:
        if "end" in r and "labels_key" in r:
            end_by_cell[(r["set"], r["size"], r["seed"])][r["labels_key"]] = r["end"]
    columns = _columns(args.groups)
    commit = git_commit()
    for name in args.sets.split(","):
        X, y = load_any(name, args.data)
        y = np.unique(y, return_inverse=True)[1]
        data = (X, y, int(y.max()) + 1)
        for size in args.sizes:
            for seed in range(args.first_seed, args.first_seed + args.seeds):
                todo = [c for c in columns if (name, size, seed, c) not in done]
                if not todo:
                    continue
                if size != "full" and make_split(X, y, seed)[1].shape[0] <= int(size):
                    continue  # the training part is not larger than the size
                run_cell(
                    name, size, seed, todo, columns, data,
                    end_by_cell[(name, size, seed)], args.results, commit,
                )  # fmt: skip


# ---------------------------------------------------------------------- report
def _metric(record, metric):
    if metric == "label":
        return record.get("label_accuracy")
    return record.get("end", {}).get(metric)


def summary_rows(records, columns, default, metric, groups):
    """One row per (size, seeds) group: per column the mean over sets, sets won, cells +/-."""
    rows, totals = [], defaultdict(lambda: [0, 0, 0, []])
    for size, seeds in groups:
        cells = defaultdict(dict)
        for r in records:
            if r["size"] == size and r["seed"] in seeds and r["column"] in columns:
                value = _metric(r, metric)
                if value is not None:
                    cells[(r["set"], r["seed"])][r["column"]] = 100 * value
        cells = {k: v for k, v in cells.items() if len(v) == len(columns)}
        if not cells:
            continue
        sets = sorted({s for s, _ in cells})
        per_set = {
            s: {c: np.mean([v[c] for (t, _), v in cells.items() if t == s]) for c in columns}
            for s in sets
        }
        row = [size, f"{min(seeds)}-{max(seeds)}", f"{len(sets)} / {len(cells)}"]
        for c in columns:
            mean = np.mean([per_set[s][c] for s in sets])
            won = sum(per_set[s][c] >= max(per_set[s].values()) - 1e-9 for s in sets)
            above = sum(v[c] > v[default] + 1e-9 for v in cells.values())
            below = sum(v[c] < v[default] - 1e-9 for v in cells.values())
            row.append(f"{mean:.2f} ({won}; +{above} -{below})")
            totals[c][0] += won
            totals[c][1] += above
            totals[c][2] += below
            totals[c][3].append(mean)
        rows.append(row)
    if len(rows) > 1:
        rows.append(
            ["all", "", "mean of rows"]
            + [f"{np.mean(t[3]):.2f} ({t[0]}; +{t[1]} -{t[2]})" for t in map(totals.get, columns)]
        )
    return rows


def per_set_rows(records, columns, metric, size, seeds):
    """Mean over the seeds of every set, one row per set."""
    values = defaultdict(lambda: defaultdict(list))
    for r in records:
        if r["size"] == size and r["seed"] in seeds and r["column"] in columns:
            value = _metric(r, metric)
            if value is not None:
                values[r["set"]][r["column"]].append(100 * value)
    rows = []
    for name in sorted(values, key=lambda s: (SETS + [s]).index(s)):
        if len(values[name]) == len(columns):
            rows.append([name] + [f"{np.mean(values[name][c]):.1f}" for c in columns])
    return rows


def report(args):
    everything = [r for path in args.results for r in read_jsonl(path)]
    records = [r for r in everything if "error" not in r and "skipped" not in r]
    errors = [r for r in everything if "error" in r]
    skipped = [r for r in everything if "skipped" in r]
    groups = [(size, seeds) for size in args.sizes for seeds in (range(0, 3), range(3, 6))]
    ref = {**DEFAULTS, **dict(item.split("=") for item in args.reference)}
    lines = {
        "copy_threshold": (
            {_pair("", ct, DEFAULTS["smoothing"]): ct for ct in COPY_THRESHOLDS},
            _pair("", DEFAULTS["copy_threshold"], DEFAULTS["smoothing"]),
            ("label", "LR", "HGB"),
        ),
        "smoothing": (
            {_pair("", DEFAULTS["copy_threshold"], sm): sm for sm in SMOOTHINGS},
            _pair("", DEFAULTS["copy_threshold"], ref["smoothing"]),
            ("label", "LR", "HGB"),
        ),
        "copy_threshold (dawid_skene)": (
            {_pair("ds_", ct, DEFAULTS["smoothing"]): ct for ct in COPY_THRESHOLDS},
            _pair("ds_", DEFAULTS["copy_threshold"], DEFAULTS["smoothing"]),
            ("label",),
        ),
        "smoothing (dawid_skene)": (
            {_pair("ds_", DEFAULTS["copy_threshold"], sm): sm for sm in SMOOTHINGS},
            _pair("ds_", DEFAULTS["copy_threshold"], ref["smoothing"]),
            ("label",),
        ),
        "smoothing, WeakSupervisionClassifier's defaults": (
            {f"wsc_sm{v}": v for v in WSC_SMOOTHINGS},
            f"wsc_sm{ref['smoothing']}",
            ("LR", "HGB"),
        ),
        "min_share (soft_labels='copies')": (
            {f"copies_ms{v}": v for v in MIN_SHARES},
            f"copies_ms{ref['min_share']}",
            ("LR", "HGB"),
        ),
        "soft_labels, label model at smoothing=0.1 (copies at min_share=0.4)": (
            {"wsc_sm0.1": "confidence", "copies_ms0.4": "copies"},
            "wsc_sm0.1",
            ("LR", "HGB"),
        ),
        "threshold (uncovered='self_train')": (
            {f"self_train_th{v}": v for v in THRESHOLDS},
            f"self_train_th{ref['threshold']}",
            ("LR", "HGB"),
        ),
    }
    names = {"label": "label accuracy on covered training rows", "LR": "LR", "HGB": "HGB"}
    print(
        "Cells: mean over sets of the per-set mean over seeds (%), then (sets where the "
        "value is the best, ties counted for each; set-seed cells above / below the "
        "reference column `(ref)`: the default measured against unless --reference says "
        "otherwise). The `sets / cells` column counts the cells with every value recorded.\n"
    )
    for title, (columns, default, metrics) in lines.items():
        header = ["size", "seeds", "sets / cells"] + [
            f"{v}{' (ref)' if c == default else ''}" for c, v in columns.items()
        ]
        for metric in metrics:
            rows = summary_rows(records, list(columns), default, metric, groups)
            if rows:
                print(f"\n{title}: {names[metric]}\n")
                print(markdown_table(header, rows))
    if args.per_set:
        for title, (columns, _, metrics) in lines.items():
            for size, seeds in groups:
                for metric in metrics:
                    rows = per_set_rows(records, list(columns), metric, size, seeds)
                    if rows:
                        print(
                            f"\n{title}, {names[metric]}, size {size}, seeds {seeds[0]}-{seeds[-1]}\n"
                        )
                        print(markdown_table(["set"] + [str(v) for v in columns.values()], rows))
    print("\nLabel accuracy over the whole grid (default method), mean over every cell\n")
    rows = []
    for size, seeds in groups:
        cells = [r for r in records if r["size"] == size and r["seed"] in seeds]
        for ct in COPY_THRESHOLDS:
            values = []
            for sm in SMOOTHINGS:
                got = [r["label_accuracy"] for r in cells if r["column"] == _pair("", ct, sm)]
                values.append(f"{100 * np.mean(got):.2f}" if got else "")
            rows.append([size, f"{seeds[0]}-{seeds[-1]}", str(ct)] + values)
    print(
        markdown_table(["size", "seeds", "copy_threshold"] + [f"sm={s}" for s in SMOOTHINGS], rows)
    )
    print(f"\nRecords: {len(records)} scored, {len(skipped)} skipped (every row covered), "
          f"{len(errors)} errors.")  # fmt: skip
    for r in errors:
        print(f"- {r['set']} {r['size']} seed {r['seed']} {r['column']}: {r['error']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument(
        "--groups",
        nargs="+",
        default=["label_model", "min_share", "threshold", "wsc_smoothing"],
        choices=["label_model", "min_share", "threshold", "wsc_smoothing"],
    )
    parser.add_argument("--data", default=None)
    parser.add_argument(
        "--results",
        nargs="+",
        default=[DEFAULT_RESULTS],
        help="results file (with --report: one or more)",
    )
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--per-set", action="store_true", help="with --report: per-set tables")
    parser.add_argument(
        "--reference",
        nargs="*",
        default=[],
        metavar="NAME=VALUE",
        help="with --report: compare cells with this value of smoothing, min_share or "
        "threshold instead of the default it was measured against",
    )
    args = parser.parse_args()
    args.sizes = args.sizes.split(",")
    if args.data is None:
        args.data = keel_raw_dir()
    if args.report:
        report(args)
        return
    if len(args.results) > 1:
        parser.error("a run appends to one --results file")
    args.results = args.results[0]
    with threadpool_limits(1):
        run(args)


if __name__ == "__main__":
    main()
