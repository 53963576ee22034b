"""The package's layers, read from its import statements (ARCHITECTURE.md, section 2).

- The core (``base``, ``utils`` outside its testing layer, ``datasets``,
  ``model_selection``, ``neural``) imports no family and no front module.
- A family imports no other family; only a declared combiner may import the
  public packages of the families it combines.
- No import cycle between modules or between subpackages.
- An estimator reads in three modules or fewer: the sklweak modules that
  define the classes of its MRO (its own, ``base``, and one that its family
  shares).

Every import counts, including those inside functions, since a lazy import is
still a dependency. ``KNOWN_VIOLATIONS`` lists today's exceptions, each with
its reason; the test fails on any new one and on an exception that is gone
(so the list only shrinks).
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import sklweak
from sklweak.utils import all_estimators

PACKAGE_DIR = Path(sklweak.__file__).parent

CORE = {"base", "utils", "datasets", "model_selection", "neural"}
FRONT = {"_tour", "_cli_jobs", "_cli_tables", "__main__"}
# The testing layer may import every family, like scikit-learn's
# utils/estimator_checks.py; discovery helpers walk the installed package.
TESTING_LAYER_PREFIXES = (
    "sklweak.utils._checks_",
    "sklweak.utils._registry",
    "sklweak.utils._malformed_inputs",
    "sklweak.utils.estimator_checks",
    "sklweak.utils._testing",
)
DISCOVERY = {"sklweak.utils._kernels": "kernel_status() walks the installed package"}
COMBINERS = {
    "semi_supervised": {"self_training", "graph", "lowdensity", "model_selection"},
    # Active learning seeds committees as self-training does, cleans labels with noise's tools,
    # and self-labels each round with the safe semi-supervised estimator.
    "active": {"self_training", "noise", "semi_supervised"},
}

# (source, target) -> reason; empty since datasets/_problems.py builds the
# problems of the tour and the checks and the two module cycles were broken.
KNOWN_VIOLATIONS: dict = {}


def _module_name(path):
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imported_names(node, module, is_package):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - node.level + 1]
        target = ".".join(anchor + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return [target] + [f"{target}.{alias.name}" for alias in node.names]


def import_graph():
    """Edges module -> sklweak module it imports (at import time or lazily)."""
    paths = {_module_name(path): path for path in PACKAGE_DIR.rglob("*.py")}
    edges = defaultdict(set)
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _imported_names(node, module, is_package):
                if name in paths and name != module:
                    edges[module].add(name)
    return set(paths), edges


def subpackage(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def is_testing_layer(module):
    return module.startswith(TESTING_LAYER_PREFIXES) or module in DISCOVERY


def layer_violations(edges):
    found = set()
    for source, targets in edges.items():
        if is_testing_layer(source):
            continue
        source_sub = subpackage(source)
        for target in targets:
            target_sub = subpackage(target)
            if target_sub == source_sub or is_testing_layer(target):
                continue
            if source_sub in CORE:
                if target_sub not in CORE or target_sub == "":
                    found.add((source, target))
            elif source_sub in FRONT or source_sub in ("", "_show_versions"):
                continue
            elif (
                target_sub in FRONT
                or target_sub == ""
                or target_sub not in CORE
                and target_sub not in COMBINERS.get(source_sub, ())
            ):
                found.add((source, target))
    for (source, target), _ in KNOWN_VIOLATIONS.items():
        if is_testing_layer(source) and target in edges.get(source, ()):
            found.add((source, target))
    return found


def _strongly_connected(nodes, edges):
    index, low, stack, on_stack, components = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(edges.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return components


def cycle_edges(nodes, edges):
    """Edges inside an import cycle, the testing layer and package re-exports set aside.

    A package's ``__init__`` re-exports its own modules and the top-level
    package re-exports every family: those edges are not dependencies of the
    code, so they are left out before looking for cycles.
    """
    kept = {
        source: {
            target
            for target in targets
            if not is_testing_layer(target)
            and not (source == "sklweak" or target.startswith(source + "."))
        }
        for source, targets in edges.items()
        if not is_testing_layer(source)
    }
    found = set()
    for component in _strongly_connected(nodes, kept):
        for source in component:
            found |= {(source, target) for target in kept.get(source, ()) if target in component}
    return found


def subpackage_cycles(edges):
    graph = defaultdict(set)
    for source, targets in edges.items():
        if is_testing_layer(source) or subpackage(source) == "":
            continue
        for target in targets:
            if subpackage(target) not in ("", subpackage(source)) and not is_testing_layer(target):
                graph[subpackage(source)].add(subpackage(target))
    found = set()
    for component in _strongly_connected(set(graph), graph):
        found.add(tuple(sorted(component)))
    return found


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_core_and_families_respect_the_layers(graph):
    _, edges = graph
    new = layer_violations(edges) - set(KNOWN_VIOLATIONS)
    assert not new, "imports that cross the layers (ARCHITECTURE.md, section 2): " + ", ".join(
        f"{a} -> {b}" for a, b in sorted(new)
    )


def test_no_new_module_cycle(graph):
    nodes, edges = graph
    new = {
        (a, b)
        for a, b in cycle_edges(nodes, edges)
        if (a, b) not in KNOWN_VIOLATIONS and (b, a) not in KNOWN_VIOLATIONS
    }
    assert not new, "import cycles: " + ", ".join(f"{a} -> {b}" for a, b in sorted(new))


def test_no_subpackage_cycle(graph):
    _, edges = graph
    cycles = subpackage_cycles(edges)
    known = {tuple(sorted({subpackage(a), subpackage(b)})) for a, b in KNOWN_VIOLATIONS}
    assert cycles <= known, f"cycles between subpackages: {sorted(cycles - known)}"


def test_known_violations_still_exist(graph):
    """An exception that no longer occurs must leave the list."""
    nodes, edges = graph
    cycles = cycle_edges(nodes, edges)
    current = layer_violations(edges) | cycles | {(b, a) for a, b in cycles}
    gone = set(KNOWN_VIOLATIONS) - current
    assert not gone, f"remove from KNOWN_VIOLATIONS: {sorted(gone)}"


def test_layering_rules_catch_a_violation():
    edges = {
        "sklweak.utils._graph": {"sklweak.pu._elkan_noto"},
        "sklweak.pu._elkan_noto": {"sklweak.graph._label_propagation"},
        "sklweak.graph._label_propagation": {"sklweak.utils._graph"},
        "sklweak.semi_supervised._safe": {"sklweak.graph"},
    }
    assert layer_violations(edges) == {
        ("sklweak.utils._graph", "sklweak.pu._elkan_noto"),
        ("sklweak.pu._elkan_noto", "sklweak.graph._label_propagation"),
    }
    nodes = set(edges) | {"sklweak.graph"}
    assert ("sklweak.graph._label_propagation", "sklweak.utils._graph") in cycle_edges(nodes, edges)
    assert ("graph", "pu", "utils") in subpackage_cycles(edges)


SKLEARN_COMPAT = "sklweak.utils._sklearn_compat"


def private_sklearn_imports():
    """``(module, name)`` for each private scikit-learn name imported outside the compat module."""
    found = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        module = _module_name(path)
        if module == SKLEARN_COMPAT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sklearn"):
                private_module = any(part.startswith("_") for part in node.module.split("."))
                for alias in node.names:
                    if private_module or alias.name.startswith("_"):
                        found.add((module, f"{node.module}.{alias.name}"))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("sklearn") and "._" in alias.name:
                        found.add((module, alias.name))
    return found


def test_private_sklearn_names_come_through_the_compat_module():
    assert private_sklearn_imports() == set(), (
        f"import these from {SKLEARN_COMPAT} (add them there if new)"
    )


# A reader of an estimator opens its module, sklweak/base.py and at most one
# module its family shares (issue 16 item 3).
MAX_MODULES_PER_ESTIMATOR = 3


def estimator_modules(estimator_class):
    """The sklweak modules that define the classes of ``estimator_class``'s MRO."""
    modules = {klass.__module__ for klass in estimator_class.__mro__}
    return sorted(module for module in modules if module.startswith("sklweak"))


def spread_estimators(estimators):
    """``{name: modules}`` for each estimator that reads in too many modules."""
    spread = {name: estimator_modules(cls) for name, cls in estimators}
    return {
        name: modules
        for name, modules in spread.items()
        if len(modules) > MAX_MODULES_PER_ESTIMATOR
    }


def test_an_estimator_reads_in_three_modules_or_fewer():
    spread = spread_estimators(all_estimators())
    assert not spread, (
        f"estimators whose classes span more than {MAX_MODULES_PER_ESTIMATOR} modules: "
        + "; ".join(
            f"{name} ({len(modules)}: {', '.join(modules)})"
            for name, modules in sorted(spread.items())
        )
    )


def test_module_count_catches_a_fourth_module():
    from sklweak.noise import NoiseRobustClassifier

    subclass = type("Spread", (NoiseRobustClassifier,), {"__module__": "sklweak.elsewhere"})
    assert spread_estimators([("Spread", subclass)]) == {
        "Spread": [
            "sklweak.base",
            "sklweak.elsewhere",
            "sklweak.noise._delegation",
            "sklweak.noise._robust",
        ]
    }
