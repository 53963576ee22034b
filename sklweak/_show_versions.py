"""``sklweak.show_versions()``: versions of the stack and compiled kernels."""

import importlib
import platform
import sys

_DEPENDENCIES = [
    "numpy",
    "scipy",
    "sklearn",
    "joblib",
    "threadpoolctl",
    "Cython",
    "torch",
    "skorch",
    "dask",
    "distributed",
    "faiss",
    "cleanlab",
    "pulearn",
    "pandas",
    "matplotlib",
]


def _version(name):
    if name == "torch" and "torch" not in sys.modules:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("torch")
        except PackageNotFoundError:
            return None
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return getattr(module, "__version__", "installed")


def show_versions():
    """Print the versions of Python, the dependencies, and the kernels' state.

    torch is never imported: its version is read from the package metadata.

    Examples
    --------
    >>> import sklweak
    >>> sklweak.show_versions()  # doctest: +ELLIPSIS
    <BLANKLINE>
    System:
    ...
    """
    from . import __version__
    from .utils import kernel_status

    print("\nSystem:")
    print(f"    python: {sys.version.splitlines()[0]}")
    print(f"  platform: {platform.platform()}")
    print("\nPython dependencies:")
    print(f"{'sklweak':>14}: {__version__}")
    for name in _DEPENDENCIES:
        print(f"{name:>14}: {_version(name) or 'not installed'}")
    print("\nCompiled kernels:")
    for kernel, compiled in sorted(kernel_status().items()):
        print(f"  {kernel}: {'compiled' if compiled else 'NOT COMPILED (reference)'}")
