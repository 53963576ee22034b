"""Print pip constraints that pin every runtime dependency to its declared minimum.

``numpy>=1.24`` in ``pyproject.toml`` becomes ``numpy==1.24``: CI's third step
installs the package under these constraints, so the oldest versions the
package claims to support are the ones it is tested with. A dependency
without a lower bound is an error: its minimum would be whatever pip finds.

Usage: ``python .ci/minimum_constraints.py [pyproject.toml] > constraints.txt``
"""

import re
import sys
from pathlib import Path

import tomllib

_LOWER_BOUND = re.compile(r">=\s*([0-9][0-9A-Za-z.]*)")


def minimum_pins(dependencies):
    """``name==minimum`` for each requirement string, extras and markers dropped."""
    pins = []
    for requirement in dependencies:
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
        bound = _LOWER_BOUND.search(requirement)
        if bound is None:
            raise ValueError(f"dependency {requirement!r} declares no minimum version (>=)")
        pins.append(f"{name}=={bound.group(1)}")
    return pins


def main(argv):
    path = (
        Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "pyproject.toml"
    )
    with path.open("rb") as handle:
        project = tomllib.load(handle)["project"]
    print("\n".join(minimum_pins(project["dependencies"])))


if __name__ == "__main__":
    main(sys.argv)
