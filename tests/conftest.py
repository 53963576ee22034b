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
