"""Every docstring example in the installed package runs and gives its output."""

import doctest
import importlib
import pkgutil

import pytest

import sklweak

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(sklweak.__path__, "sklweak.")
    if not info.name.startswith("sklweak.neural")
    and not info.name.endswith("_fast")
)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(
        module,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {module_name}"


def test_import_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, sklweak, sklweak.utils; import sklweak.__main__; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
