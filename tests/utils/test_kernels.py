import os
import sys
import types
import warnings

import pytest

from sklweak.utils import KernelFallbackWarning, kernel_status, load_kernel


def test_every_kernel_compiled_when_required():
    status = kernel_status()
    assert status, "sklweak ships no kernel pair (_fast/_reference)"
    if os.environ.get("SKLWEAK_REQUIRE_COMPILED", "0") not in ("", "0"):
        missing = [name for name, ok in status.items() if not ok]
        assert not missing, f"kernels not compiled: {missing}"


@pytest.fixture
def fake_kernel(monkeypatch):
    reference = types.ModuleType("sklweak_fake_kernel_reference")
    reference.answer = lambda: "reference"
    monkeypatch.setitem(sys.modules, "sklweak_fake_kernel_reference", reference)
    return "sklweak_fake_kernel"


def test_missing_kernel_warns_and_uses_reference(fake_kernel, monkeypatch):
    monkeypatch.delenv("SKLWEAK_REQUIRE_COMPILED", raising=False)
    monkeypatch.delenv("SKLWEAK_KERNELS", raising=False)
    with pytest.warns(KernelFallbackWarning, match="not built"):
        module = load_kernel(fake_kernel)
    assert module.answer() == "reference"


def test_missing_kernel_is_an_error_when_required(fake_kernel, monkeypatch):
    monkeypatch.setenv("SKLWEAK_REQUIRE_COMPILED", "1")
    with pytest.raises(ImportError, match="SKLWEAK_REQUIRE_COMPILED"):
        load_kernel(fake_kernel)


def test_reference_on_request_is_silent(fake_kernel, monkeypatch):
    monkeypatch.setenv("SKLWEAK_KERNELS", "reference")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_kernel(fake_kernel).answer() == "reference"


def test_unknown_kernel_choice(fake_kernel, monkeypatch):
    monkeypatch.setenv("SKLWEAK_KERNELS", "fastest")
    with pytest.raises(ValueError, match="SKLWEAK_KERNELS"):
        load_kernel(fake_kernel)
