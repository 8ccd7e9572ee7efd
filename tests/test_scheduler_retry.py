"""Job-level retries: attempts, capped full-jitter backoff and `ops.job_runs`."""

from __future__ import annotations

import logging
import random

import duckdb
import pytest

from ingest.scheduler.config import load_schedule
from ingest.scheduler.retry import (
    Backoff,
    JobAbandonedError,
    run_with_retries,
)
from ingest.scheduler.store import Store

SCHEDULE = """
jobs:
  fred:
    every_seconds: 60
    retries: 4
    base_backoff_seconds: 10
    max_backoff_seconds: 45
"""


@pytest.fixture
def job(tmp_path):
    path = tmp_path / "schedule.yml"
    path.write_text(SCHEDULE)
    return load_schedule(path, known_sources=["fred"]).job("fred")


class Flaky:
    """A job body that fails a given number of times, then succeeds."""

    def __init__(self, failures: int, error: Exception | None = None) -> None:
        self.failures = failures
        self.calls = 0
        self.error = error or RuntimeError("HTTP 503 from the vendor")

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "loaded"


class Waits:
    """A sleep that records each wait and returns at once."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> bool:
        self.seconds.append(seconds)
        return True


def job_runs(db_path) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "SELECT attempt, max_attempts, status, error, next_retry_at IS NOT NULL "
            "FROM ops.job_runs ORDER BY attempt"
        ).fetchall()


def upper(low: float, high: float) -> float:
    return high


def test_backoff_ceiling_doubles():
    backoff = Backoff(base_s=10, max_s=45)
    assert [backoff.ceiling(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 45]


def test_backoff_full_jitter_range():
    backoff = Backoff(base_s=10, max_s=45)
    draws = [backoff.delay(3, random.Random(7).uniform) for _ in range(200)]
    assert min(draws) >= 0
    assert max(draws) <= 40


def test_backoff_jitter_spreads():
    rng = random.Random(11)
    draws = {round(Backoff(10, 45).delay(2, rng.uniform), 3) for _ in range(50)}
    assert len(draws) > 40


def test_retries_until_success(job, warehouse):
    body, waits = Flaky(2), Waits()
    outcome = run_with_retries(job, body, Store(warehouse), waits, upper)
    assert outcome.status == "success"
    assert outcome.attempts == 3
    assert body.calls == 3


def test_backoff_capped(job, warehouse):
    waits = Waits()
    run_with_retries(job, Flaky(10), Store(warehouse), waits, upper)
    assert waits.seconds == [10, 20, 40, 45]


def test_retry_count_honoured(job, warehouse):
    body = Flaky(10)
    outcome = run_with_retries(job, body, Store(warehouse), Waits(), upper)
    assert outcome.status == "failed"
    assert body.calls == 5
    assert outcome.error == "RuntimeError: HTTP 503 from the vendor"


def test_every_attempt_recorded(job, warehouse):
    run_with_retries(job, Flaky(2), Store(warehouse), Waits(), upper)
    assert job_runs(warehouse) == [
        (1, 5, "failed", "RuntimeError: HTTP 503 from the vendor", True),
        (2, 5, "failed", "RuntimeError: HTTP 503 from the vendor", True),
        (3, 5, "success", None, False),
    ]


def test_last_failure_has_no_retry_time(job, warehouse):
    run_with_retries(job, Flaky(10), Store(warehouse), Waits(), upper)
    assert job_runs(warehouse)[-1] == (
        5,
        5,
        "failed",
        "RuntimeError: HTTP 503 from the vendor",
        False,
    )


def test_shutdown_during_backoff(job, warehouse):
    outcome = run_with_retries(
        job, Flaky(10), Store(warehouse), lambda seconds: False, upper
    )
    assert outcome.status == "abandoned"
    assert outcome.attempts == 1


def test_shutdown_during_wait(job, warehouse):
    def body() -> str:
        raise JobAbandonedError("shutdown requested while waiting")

    outcome = run_with_retries(job, body, Store(warehouse), Waits(), upper)
    assert outcome.status == "abandoned"
    assert job_runs(warehouse)[0][2] == "abandoned"


def test_attempts_logged(job, warehouse, caplog):
    with caplog.at_level(logging.INFO):
        run_with_retries(job, Flaky(1), Store(warehouse), Waits(), upper)
    assert "job fred: attempt 1/5 started" in caplog.text
    assert "job fred: attempt 1/5 failed (run fred-" in caplog.text
    assert "retrying in 10.0 s" in caplog.text
    assert "job fred: finished in" in caplog.text
