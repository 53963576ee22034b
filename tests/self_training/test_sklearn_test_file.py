"""scikit-learn's own self-training tests, run on sklweak's SelfTrainingClassifier."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sklearn

SOURCE = Path(sklearn.__file__).parent / "semi_supervised" / "tests" / "test_self_training.py"
THEIR_IMPORT = "from sklearn.semi_supervised import SelfTrainingClassifier"
OUR_IMPORT = "from sklweak.self_training import SelfTrainingClassifier"


@pytest.mark.skipif(not SOURCE.exists(), reason="this scikit-learn ships without its tests")
def test_scikit_learn_self_training_tests_pass(tmp_path):
    text = SOURCE.read_text()
    assert THEIR_IMPORT in text
    (tmp_path / "test_their_self_training.py").write_text(text.replace(THEIR_IMPORT, OUR_IMPORT))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "sklearn.conftest", "-p", "no:cacheprovider"]
        + ["-p", "no:randomly", str(tmp_path / "test_their_self_training.py")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
