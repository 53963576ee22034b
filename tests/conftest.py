"""Test session settings: one BLAS/OpenMP thread, deterministic hypothesis."""

import pytest
from hypothesis import settings
from threadpoolctl import threadpool_limits

settings.register_profile("sklweak", deadline=None, derandomize=True, max_examples=60)
settings.load_profile("sklweak")


@pytest.fixture(autouse=True, scope="session")
def _one_thread_per_pool():
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def run_scikit_learn_test_file(tmp_path):
    """Run one of scikit-learn's shipped test files on sklweak's estimators.

    The returned function swaps ``their_import`` for ``our_import`` in the
    file ``sklearn/<relative_path>``, runs it with scikit-learn's fixtures and
    returns the node ids that failed (``None`` when this scikit-learn ships
    without its tests).
    """
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    import sklearn

    def run(relative_path, their_import, our_import):
        source = Path(sklearn.__file__).parent / relative_path
        if not source.exists():
            return None
        text = source.read_text()
        assert their_import in text
        target = tmp_path / f"test_their_{source.stem.removeprefix('test_')}.py"
        target.write_text(text.replace(their_import, our_import))
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        command = [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "sklearn.conftest"]
        command += ["-p", "no:cacheprovider", "-p", "no:randomly", str(target)]
        result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env)
        failed = re.findall(r"^FAILED \S*?::(\S+)", result.stdout, flags=re.MULTILINE)
        assert result.returncode in (0, 1), result.stdout[-4000:] + result.stderr[-2000:]
        assert result.returncode == 0 or failed, result.stdout[-4000:]
        return failed

    return run
