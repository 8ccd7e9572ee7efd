"""The scheduler process: APScheduler with one worker thread per job.

Each job gets a thread of its own in the pool, so a slow or failing source
never delays another's load. APScheduler starts at most one run of a job
at a time (`max_instances=1`), merges runs that piled up while the
process was busy (`coalesce=True`) and skips runs later than the job's
`misfire_grace_seconds`. APScheduler logs each skipped run as a warning
(logger `apscheduler.scheduler`). Jobs share the warehouse
through its file lock: loads, dbt builds and ledger reads all take it.

`stop()` stops new runs, interrupts waits (backoff, polling) and gives the
running jobs `shutdown_grace_seconds` to finish. A job still running after
that is abandoned: it is logged and its attempt is marked `abandoned` in
`ops.job_runs`.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.util import undefined

from ingest.scheduler.config import Schedule
from ingest.scheduler.jobs import JobRuntime, job_body
from ingest.scheduler.retry import JobOutcome, Sleep, Uniform, run_with_retries
from ingest.scheduler.store import Store
from ingest.settings import duckdb_path

log = logging.getLogger(__name__)

# Maximum wait for the warehouse lock when marking abandoned attempts.
ABANDON_LOCK_TIMEOUT_S = 30.0


class SchedulerService:
    """Run the jobs of a schedule, on their triggers or once on request.

    Args:
        schedule: the validated schedule.
        db_path: the warehouse (default `$ZL_DUCKDB_PATH`).
        allow_stale: build features past their deadline for every job.
        retries: False runs one attempt per job (a caller that retries,
            such as Cloud Scheduler, owns the retries).
        sleep: waits between attempts; returns False to abandon. Default:
            a wait that ends early at shutdown. Tests pass one that records.
        uniform: the random draw of the backoff's full jitter.
    """

    def __init__(
        self,
        schedule: Schedule,
        db_path: Path | None = None,
        allow_stale: bool = False,
        retries: bool = True,
        sleep: Sleep | None = None,
        uniform: Uniform = random.uniform,
    ) -> None:
        self.schedule = schedule
        self.runtime = JobRuntime(
            schedule, db_path or duckdb_path(), allow_stale=allow_stale
        )
        self.retries = retries
        self.grace_s = schedule.shutdown_grace_s
        self.outcomes: list[JobOutcome] = []
        self.abandoned: list[str] = []
        self._sleep = sleep
        self._uniform = uniform
        self._active: dict[str, tuple[str, int]] = {}
        self._lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None

    @property
    def stopping(self) -> bool:
        return self.runtime.stop.is_set()

    def run_job(self, name: str) -> JobOutcome:
        """Run one job now, with its retries, in the calling thread."""
        job = self.schedule.job(name)
        if not self.retries:
            job = dataclasses.replace(job, retries=0)

        def on_attempt(run_id: str, attempt: int) -> None:
            with self._lock:
                self._active[name] = (run_id, attempt)

        try:
            outcome = run_with_retries(
                job,
                job_body(self.runtime, job),
                self.runtime.store,
                self._retry_sleep,
                self._uniform,
                on_attempt,
            )
        finally:
            with self._lock:
                self._active.pop(name, None)
        with self._lock:
            self.outcomes.append(outcome)
        return outcome

    def run_once(self, names: list[str]) -> list[JobOutcome]:
        """Run the named jobs now, each in its own thread, and wait for all.

        Returns one outcome per name; a job abandoned at shutdown has the
        status `abandoned`.

        Raises:
            ScheduleError: a name is not a job of the schedule.
        """
        for name in names:
            self.schedule.job(name)
        results: dict[str, JobOutcome] = {}

        def target(name: str) -> None:
            results[name] = self.run_job(name)

        threads = [
            threading.Thread(target=target, args=(n,), name=f"zl-job-{n}", daemon=True)
            for n in dict.fromkeys(names)
        ]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads) and not self.stopping:
            time.sleep(0.1)
        if self.stopping:
            self.stop()
        return [
            results.get(name) or JobOutcome(name, "", "abandoned", 0)
            for name in dict.fromkeys(names)
        ]

    def start(self) -> None:
        """Start the APScheduler background scheduler with every job."""
        jobs = self.schedule.jobs
        scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=len(jobs))},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=ZoneInfo(self.schedule.timezone),
        )
        for job in jobs.values():
            # An interval job runs at start, then every `every_seconds`.
            first = datetime.now(UTC) if job.cron is None else undefined
            scheduler.add_job(
                self.run_job,
                trigger=job.trigger(),
                args=[job.name],
                id=job.name,
                name=job.name,
                misfire_grace_time=job.misfire_grace_s,
                coalesce=True,
                max_instances=1,
                next_run_time=first,
            )
        scheduler.start()
        self._scheduler = scheduler
        log.info(
            "scheduler: started with %d jobs from %s", len(jobs), self.schedule.path
        )
        for entry in scheduler.get_jobs():
            log.info("scheduler: job %s next runs at %s", entry.id, entry.next_run_time)

    def stop(self, grace_s: float | None = None) -> list[str]:
        """Stop scheduling, let running jobs finish, abandon the rest.

        Returns:
            The names of the jobs abandoned after the grace period.
        """
        grace_s = self.grace_s if grace_s is None else grace_s
        self.runtime.stop.set()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        with self._lock:
            running = sorted(self._active)
        if running:
            log.info(
                "scheduler: stopping; waiting up to %.0f s for %s",
                grace_s,
                ", ".join(running),
            )
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline and self.grace_s > 0:
            with self._lock:
                if not self._active:
                    break
            time.sleep(0.1)
        with self._lock:
            abandoned = dict(self._active)
        store = Store(self.runtime.db_path, lock_timeout_s=ABANDON_LOCK_TIMEOUT_S)
        for name, (run_id, attempt) in sorted(abandoned.items()):
            log.warning(
                "job %s: abandoned at shutdown (run %s, attempt %d)",
                name,
                run_id,
                attempt,
            )
            try:
                store.finish_attempt(
                    run_id,
                    attempt,
                    "abandoned",
                    datetime.now(UTC),
                    "abandoned at shutdown",
                )
            except Exception as exc:  # noqa: BLE001 - shutting down regardless
                log.error("job %s: could not mark the attempt abandoned: %s", name, exc)
        log.info("scheduler: stopped")
        self.abandoned = sorted(abandoned)
        return self.abandoned

    def abandon_now(self) -> None:
        """End the grace period at once (a second SIGINT or SIGTERM)."""
        self.grace_s = 0.0

    def _retry_sleep(self, seconds: float) -> bool:
        if self._sleep is not None:
            return self._sleep(seconds) and not self.stopping
        return not self.runtime.stop.wait(seconds)
