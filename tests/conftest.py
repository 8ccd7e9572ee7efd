"""Shared fixtures: the recorded vendor files, a loopback server, a warehouse."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Loads in tests score text with the offline lexicon unless a test sets
# another scorer, and keep their sentiment cache out of the repository.
os.environ.setdefault("ZL_SENTIMENT_SCORER", "lexicon")
os.environ.setdefault(
    "ZL_SENTIMENT_CACHE",
    str(Path(tempfile.mkdtemp(prefix="zl-sentiment-")) / "cache.sqlite"),
)
REALDATA = Path(
    os.environ.get("ZL_REALDATA_DIR", PROJECT_ROOT.parent / "shared" / "realdata")
)


def realdata_path(*parts: str) -> Path:
    """Return a path under the recorded data folder, or stop the test.

    Outside CI a missing folder skips the test. Under `CI=true` it fails,
    because a green run that never read the real files would prove nothing.
    """
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        message = f"recorded data not found at {path}; set ZL_REALDATA_DIR"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def realdata() -> Path:
    return realdata_path()


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point `ZL_DUCKDB_PATH` at a fresh DuckDB file for this test."""
    path = tmp_path / "warehouse" / "zl.duckdb"
    path.parent.mkdir(parents=True)
    monkeypatch.setenv("ZL_DUCKDB_PATH", str(path))
    return path
