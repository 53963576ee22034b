"""Compiled kernels and their pure-NumPy references.

Every hot loop lives in a Cython module ``_<algo>_fast`` beside a pure-NumPy
module ``_<algo>_reference`` with the same functions and signatures. Code that
needs a kernel calls :func:`load_kernel` with the module path without suffix;
the compiled module is returned when it was built. Falling back to the
reference is never silent: it warns, and it is an error when the environment
variable ``SKLWEAK_REQUIRE_COMPILED=1`` is set (as in CI). Setting
``SKLWEAK_KERNELS=reference`` asks for the references explicitly (parity tests,
debugging).
"""

import importlib
import os
import pkgutil
import warnings

__all__ = ["KernelFallbackWarning", "kernel_status", "load_kernel"]


class KernelFallbackWarning(RuntimeWarning):
    """A compiled kernel is missing and its pure-NumPy reference runs instead."""


def _require_compiled():
    return os.environ.get("SKLWEAK_REQUIRE_COMPILED", "0") not in ("", "0")


def load_kernel(base, *, implementation=None):
    """Return the module implementing the kernel ``base``.

    Parameters
    ----------
    base : str
        Dotted module path without the ``_fast``/``_reference`` suffix, e.g.
        ``"sklweak.graph._propagation"``.
    implementation : {"compiled", "reference"} or None, default=None
        Force one implementation. ``None`` reads ``SKLWEAK_KERNELS``
        (``"auto"`` when unset): compiled when available.

    Returns
    -------
    module : module
        The compiled module or the reference module.
    """
    choice = implementation or os.environ.get("SKLWEAK_KERNELS", "auto")
    if choice not in ("auto", "compiled", "reference"):
        raise ValueError(
            f"SKLWEAK_KERNELS must be 'auto', 'compiled' or 'reference'; got {choice!r}."
        )
    if choice == "reference":
        return importlib.import_module(base + "_reference")
    try:
        return importlib.import_module(base + "_fast")
    except ImportError as exc:
        if choice == "compiled" or _require_compiled():
            raise ImportError(
                f"The compiled kernel {base}_fast is not built "
                "(SKLWEAK_REQUIRE_COMPILED is set). Reinstall sklweak with "
                "'pip install .' so that setup.py cythonizes it."
            ) from exc
        warnings.warn(
            f"The compiled kernel {base}_fast is not built; running its "
            "pure-NumPy reference, which is slower. Reinstall sklweak with "
            "'pip install .' to compile it.",
            KernelFallbackWarning,
            stacklevel=2,
        )
        return importlib.import_module(base + "_reference")


def kernel_status():
    """Tell, for every kernel of the package, whether it is compiled.

    Returns
    -------
    status : dict of str to bool
        Maps each kernel's base module path to ``True`` when its compiled
        module imports.

    Examples
    --------
    >>> from sklweak.utils import kernel_status
    >>> all(isinstance(v, bool) for v in kernel_status().values())
    True
    """
    import sklweak

    status = {}
    for info in pkgutil.walk_packages(sklweak.__path__, "sklweak."):
        name = info.name
        if not name.endswith("_reference") or ".neural" in name:
            continue
        base = name[: -len("_reference")]
        try:
            importlib.import_module(base + "_fast")
            status[base] = True
        except ImportError:
            status[base] = False
    return status
