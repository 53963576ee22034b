"""CI's third step pins every runtime dependency to the minimum that pyproject declares."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "minimum_constraints.py"
tomllib = pytest.importorskip("tomllib")  # Python 3.11+, as the CI script

pytestmark = pytest.mark.skipif(not SCRIPT.is_file(), reason="needs a source checkout")


def _script():
    spec = importlib.util.spec_from_file_location("minimum_constraints", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lower_bounds_become_exact_pins():
    pins = _script().minimum_pins(
        ["numpy>=1.24", "scikit-learn>=1.6,<1.10", "dask[distributed] >= 2024.1"]
    )
    assert pins == ["numpy==1.24", "scikit-learn==1.6", "dask==2024.1"]


def test_a_dependency_without_a_minimum_is_refused():
    with pytest.raises(ValueError, match="'joblib' declares no minimum"):
        _script().minimum_pins(["joblib"])


def test_every_declared_dependency_is_pinned():
    with (ROOT / "pyproject.toml").open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    pinned = [pin.split("==")[0] for pin in _script().minimum_pins(dependencies)]
    assert pinned == [dependency.split(">=")[0].strip() for dependency in dependencies]
    assert "minimum_step" in (ROOT / ".ci" / "run").read_text()
