"""bench_safe_ssl.py with extra SafeSemiSupervisedClassifier columns, for choosing defaults.

Adds, at run time (the script's own table is untouched):

- ``safe_3fold``: ``n_splits=3`` (the default is 2);
- ``safe_self_linear``: ``candidates=['self', 'linear']`` (the default is
  ``['linear']``).

Every other option is bench_safe_ssl.py's. Usage::

    python benchmarks/explore_safe_variants.py --sizes 300 --seeds 3 \\
        --methods supervised,sklearn,safe,safe_3fold,safe_self_linear \\
        --results /tmp/variants.jsonl
    python benchmarks/bench_safe_ssl.py --report --results /tmp/variants.jsonl
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_safe_ssl as bench

from sklweak import SafeSemiSupervisedClassifier

bench.METHODS["safe_3fold"] = lambda base, seed: SafeSemiSupervisedClassifier(
    base, n_splits=3, random_state=seed
)
bench.METHODS["safe_self_linear"] = lambda base, seed: SafeSemiSupervisedClassifier(
    base, candidates=["self", "linear"], random_state=seed
)

if __name__ == "__main__":
    bench.main()
