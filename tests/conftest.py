import sys
from pathlib import Path

# Test helpers (annotations.py, servers) are plain modules beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

import pytest


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own result cache (inherited by the CLI in subprocesses): the cache
    is exercised everywhere, and no test sees another's entries (tests monkeypatch stages)."""
    monkeypatch.setenv("SCRUTINY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
