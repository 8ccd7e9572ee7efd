"""Job-level retries: exponential backoff with full jitter, capped per job.

Each attempt is logged and recorded in `ops.job_runs`. The wait before
retry n is drawn uniformly from [0, min(cap, base * 2^(n-1))] ("full
jitter"), so retries of jobs that failed together spread out. The wait
function and the random draw are injectable, so tests can record waits
instead of sleeping.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ingest.scheduler.config import JobConfig
from ingest.scheduler.store import Store
from ingest.scrub import scrub

log = logging.getLogger(__name__)

# Waits `seconds`; returns False when shutdown interrupted the wait.
Sleep = Callable[[float], bool]
Uniform = Callable[[float, float], float]


class JobAbandonedError(RuntimeError):
    """Raised inside a job body when shutdown interrupts a wait."""


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter, in seconds."""

    base_s: float
    max_s: float

    def ceiling(self, retry: int) -> float:
        """Return the largest wait before retry number `retry` (1-based)."""
        return min(self.max_s, self.base_s * 2 ** (retry - 1))

    def delay(self, retry: int, uniform: Uniform = random.uniform) -> float:
        return uniform(0.0, self.ceiling(retry))


@dataclass
class JobOutcome:
    """The result of one run of a job, over all its attempts."""

    job: str
    run_id: str
    status: str  # success, failed or abandoned
    attempts: int
    summary: str = ""
    error: str = ""
    waits: list[float] | None = None


def run_with_retries(
    job: JobConfig,
    body: Callable[[], str],
    store: Store,
    sleep: Sleep,
    uniform: Uniform = random.uniform,
    on_attempt: Callable[[str, int], None] | None = None,
) -> JobOutcome:
    """Run `body` up to `job.attempts` times, waiting between failed attempts.

    Args:
        job: the job, for its retry count and backoff.
        body: one attempt; returns a one-line summary or raises.
        store: where attempts are recorded.
        sleep: waits between attempts; returning False abandons the run.
        uniform: the random draw of the full jitter.
        on_attempt: called with the run id and attempt number as each
            attempt starts, so shutdown can name the attempt it abandons.

    Returns:
        The outcome. Failures are returned, not raised, so that one job's
        error never reaches the scheduler thread.
    """
    started = datetime.now(UTC)
    run_id = f"{job.name}-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    backoff = Backoff(job.base_backoff_s, job.max_backoff_s)
    outcome = JobOutcome(job.name, run_id, "failed", 0, waits=[])
    for attempt in range(1, job.attempts + 1):
        outcome.attempts = attempt
        if on_attempt is not None:
            on_attempt(run_id, attempt)
        _record(store.start_attempt, run_id, job.name, attempt, job.attempts, _now())
        log.info(
            "job %s: attempt %d/%d started (run %s)",
            job.name,
            attempt,
            job.attempts,
            run_id,
        )
        try:
            outcome.summary = body()
        except JobAbandonedError as exc:
            outcome.status, outcome.error = "abandoned", str(exc)
            _record(
                store.finish_attempt, run_id, attempt, "abandoned", _now(), str(exc)
            )
            log.warning(
                "job %s: abandoned at shutdown (run %s): %s", job.name, run_id, exc
            )
            return outcome
        except Exception as exc:  # noqa: BLE001 - recorded, retried or returned
            outcome.error = scrub(f"{type(exc).__name__}: {exc}")
            if attempt == job.attempts:
                _record(
                    store.finish_attempt,
                    run_id,
                    attempt,
                    "failed",
                    _now(),
                    outcome.error,
                )
                log.error(
                    "job %s: failed after %d attempt(s) (run %s): %s",
                    job.name,
                    attempt,
                    run_id,
                    outcome.error,
                )
                return outcome
            wait = backoff.delay(attempt, uniform)
            outcome.waits.append(wait)
            next_at = _now() + timedelta(seconds=wait)
            _record(
                store.finish_attempt,
                run_id,
                attempt,
                "failed",
                _now(),
                outcome.error,
                next_at,
            )
            log.warning(
                "job %s: attempt %d/%d failed (run %s): %s; retrying in %.1f s at %s",
                job.name,
                attempt,
                job.attempts,
                run_id,
                outcome.error,
                wait,
                f"{next_at:%Y-%m-%d %H:%M:%S} UTC",
            )
            if not sleep(wait):
                outcome.status = "abandoned"
                log.warning(
                    "job %s: retry %d abandoned at shutdown (run %s)",
                    job.name,
                    attempt,
                    run_id,
                )
                return outcome
            continue
        _record(store.finish_attempt, run_id, attempt, "success", _now())
        elapsed = (_now() - started).total_seconds()
        outcome.status = "success"
        log.info(
            "job %s: finished in %.1f s after %d attempt(s) (run %s): %s",
            job.name,
            elapsed,
            attempt,
            run_id,
            outcome.summary,
        )
        return outcome
    raise AssertionError("unreachable")  # pragma: no cover


def _now() -> datetime:
    return datetime.now(UTC)


def _record(write: Callable[..., None], *args: object) -> None:
    """Write an attempt row; a failed write is logged, never fatal to the job."""
    try:
        write(*args)
    except Exception as exc:  # noqa: BLE001 - the job's own outcome matters more
        log.error("failed to record job attempt %s in ops.job_runs: %s", args[:2], exc)
