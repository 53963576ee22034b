"""Count the malformed inputs every public estimator was fed, and how it coped.

Each estimator meets every case of ``sklweak.utils._malformed_inputs.CASES``
(NaN, infinity, wrong shapes, empty, one sample, one class, foreign sentinels,
mixed types, categorical DataFrame columns, float32, read-only memmap, sparse)
with several seeds for where the break lands. Verdicts: fitted with valid
outputs, a clear ValueError/TypeError (raised by sklweak or scikit-learn's
input validation), or a failure (anything else, a crash from deep inside
numpy/scipy, NaN output, a modified input).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/bench_malformed_inputs.py
"""

import argparse
import time
import warnings

from _common import add_common_arguments, write_json

from sklweak.utils import all_estimators, default_instance
from sklweak.utils._malformed_inputs import CASES, run_case


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, seeds=5, quick="one seed per case")
    args = parser.parse_args()
    seeds = range(1 if args.quick else args.seeds)
    print("| estimator | cases tried | fitted | clear error | failures | seconds |")
    print("|---|---|---|---|---|---|")
    failures = []
    records = []
    for name, cls in all_estimators():
        kind = getattr(cls, "_weak_label_kind", None)
        if kind is None:
            continue
        estimator = default_instance(cls)
        counts = {"fit": 0, "clear error": 0, "failure": 0}
        start = time.perf_counter()
        for case in CASES:
            for seed in seeds:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    outcome = run_case(estimator, case, kind, seed=seed)
                counts[outcome.verdict] += 1
                if outcome.verdict == "failure":
                    failures.append(f"{name}, {case}, seed {seed}: {outcome.detail}")
        total = sum(counts.values())
        seconds = time.perf_counter() - start
        records.append({"estimator": name, "cases": total, **counts, "seconds": seconds})
        print(
            f"| {name} | {total} | {counts['fit']} | {counts['clear error']} | "
            f"{counts['failure']} | {seconds:.1f} |",
            flush=True,
        )
    for line in failures:
        print("-", line)
    write_json(args.json, {"seeds": len(seeds), "estimators": records, "failures": failures})


if __name__ == "__main__":
    main()
