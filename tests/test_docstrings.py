"""Every docstring example in the installed package runs and gives its output."""

import doctest
import importlib
import importlib.util
import pkgutil

import pytest

import sklweak

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(sklweak.__path__, "sklweak.")
    if not info.name.endswith("_fast")
)
NEURAL_EXTRA = ("torch", "skorch")
NEURAL_EXTRA_MISSING = any(importlib.util.find_spec(name) is None for name in NEURAL_EXTRA)


def _is_missing_neural_extra(exc):
    while exc is not None:
        if isinstance(exc, ModuleNotFoundError) and exc.name in NEURAL_EXTRA:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class _Runner(doctest.DocTestRunner):
    """Records whether an example failed only because torch/skorch is missing."""

    needs_neural_extra = False

    def report_unexpected_exception(self, out, test, example, exc_info):
        if _is_missing_neural_extra(exc_info[1]):
            self.needs_neural_extra = True
        super().report_unexpected_exception(out, test, example, exc_info)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    if module_name.startswith("sklweak.neural") and NEURAL_EXTRA_MISSING:
        pytest.skip("sklweak.neural needs the neural extra (torch, skorch)")
    module = importlib.import_module(module_name)
    runner = _Runner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder().find(module, module.__name__):
        runner.run(test, out=lambda text: None)
    failed = runner.summarize(verbose=False).failed
    if failed and runner.needs_neural_extra and NEURAL_EXTRA_MISSING:
        pytest.skip("these examples need the neural extra (torch, skorch)")
    assert failed == 0, f"{failed} docstring example(s) failed in {module_name}"


def test_import_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, sklweak, sklweak.utils; import sklweak.__main__; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
