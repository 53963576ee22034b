"""Shared utilities: the weak-label validators, kernels, registry and checks.

``utils`` knows no family: what two families need (the kNN graph, the
class-probability helpers) lives here once.
"""

from ._graph import (
    NeighborIndex,
    build_knn_graph,
    graph_from_neighbors,
    resolve_neighbors,
)
from ._kernels import KernelFallbackWarning, kernel_status, load_kernel
from ._registry import all_estimators
from ._testing import default_instance
from ._validation import (
    AnnotatorTarget,
    BagTarget,
    ComplementaryTarget,
    PNUTarget,
    PUTarget,
    SemiSupervisedTarget,
    check_annotator_matrix,
    check_bag_target,
    check_complementary_y,
    check_pnu_y,
    check_pu_y,
    check_semi_supervised_y,
    mark_missing_as_unlabeled,
)

__all__ = [
    "AnnotatorTarget",
    "BagTarget",
    "ComplementaryTarget",
    "KernelFallbackWarning",
    "NeighborIndex",
    "PNUTarget",
    "PUTarget",
    "SemiSupervisedTarget",
    "all_estimators",
    "build_knn_graph",
    "check_annotator_matrix",
    "check_bag_target",
    "check_complementary_y",
    "check_pnu_y",
    "check_pu_y",
    "check_semi_supervised_y",
    "default_instance",
    "graph_from_neighbors",
    "kernel_status",
    "load_kernel",
    "mark_missing_as_unlabeled",
    "resolve_neighbors",
]
