"""The cross-process warehouse lock, held by real child processes."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.warehouse import LockTimeoutError, lock_path, write_lock

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The child prints "held" once it owns the lock, and releases it and exits when
# its stdin is closed.
HOLDER = """
import sys
from pathlib import Path
from ingest.warehouse import write_lock

with write_lock(Path(sys.argv[1]), holder="child", timeout_s=30):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """Start a child process that holds the lock on a temp warehouse path."""
    db_path = tmp_path / "zl.duckdb"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.strip() == "held"
        yield process, db_path
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        if process.stdin:
            process.stdin.close()
        if process.stdout:
            process.stdout.close()


def close_after_wait_logged(
    process: subprocess.Popen[str], caplog: pytest.LogCaptureFixture
) -> threading.Thread:
    """Close the child's stdin once this process has logged that it waits."""

    def release() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            messages = [record.getMessage() for record in caplog.records]
            if any("waiting for warehouse lock" in m for m in messages):
                break
            time.sleep(0.02)
        if process.stdin:
            process.stdin.close()

    thread = threading.Thread(target=release, daemon=True)
    thread.start()
    return thread


def test_waiter_gets_lock_after_release(
    holder: tuple[subprocess.Popen[str], Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ingest.warehouse")
    process, db_path = holder
    releaser = close_after_wait_logged(process, caplog)
    with write_lock(db_path, holder="second", timeout_s=30):
        assert process.wait(timeout=10) == 0
    releaser.join(timeout=5)
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("second: waiting for warehouse lock") for m in messages)
    assert any(m.startswith("second: acquired warehouse lock") for m in messages)


def test_short_timeout_raises(holder: tuple[subprocess.Popen[str], Path]) -> None:
    _, db_path = holder
    with (
        pytest.raises(LockTimeoutError) as caught,
        write_lock(db_path, holder="impatient", timeout_s=0.2),
    ):
        pass
    assert str(lock_path(db_path)) in str(caught.value)
    assert "impatient" in str(caught.value)


def test_released_when_holder_killed(
    holder: tuple[subprocess.Popen[str], Path],
) -> None:
    process, db_path = holder
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL
    # A lock that outlived its holder raises LockTimeoutError here.
    with write_lock(db_path, holder="after-kill", timeout_s=10):
        pass


def test_free_lock_no_wait_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ingest.warehouse")
    with write_lock(tmp_path / "zl.duckdb", holder="alone", timeout_s=1):
        pass
    assert "waiting" not in caplog.text


def test_lock_file_beside_database(tmp_path: Path) -> None:
    db_path = tmp_path / "nested" / "zl.duckdb"
    with write_lock(db_path, timeout_s=1):
        assert lock_path(db_path).exists()
    assert lock_path(db_path) == tmp_path / "nested" / "zl.duckdb.lock"
