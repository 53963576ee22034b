"""Build script: cythonizes every ``sklweak/**/*.pyx`` kernel."""

from pathlib import Path

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

ROOT = Path(__file__).parent


def kernel_extensions():
    extensions = []
    for pyx in sorted(ROOT.glob("sklweak/**/*.pyx")):
        relative = pyx.relative_to(ROOT).with_suffix("")
        extensions.append(
            Extension(
                ".".join(relative.parts),
                [str(relative) + ".pyx"],
                include_dirs=[np.get_include()],
                define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_9_API_VERSION")],
                extra_compile_args=["-O3"],
            )
        )
    return cythonize(
        extensions,
        compiler_directives={
            "language_level": 3,
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
        },
    )


setup(ext_modules=kernel_extensions())
