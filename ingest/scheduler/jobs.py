"""One attempt of each kind of job: source, features and matrix.

- A source job loads its source (live API, or `from_dir`) and then builds
  that source's staging models with `dbt build`.
- A features job waits until every waited source has completed a load
  since it was last due and `dbt source freshness` passes, then builds the
  feature models. Past its deadline it fails naming each missing or stale
  source, unless `allow_stale` is set, which builds anyway and records the
  gaps in `ops.feature_build_runs`.
- A matrix job waits until its features job has succeeded on the same local
  day, then runs `dbt build --select daily_ml_matrix+` (data tests
  included) and reports the matrix's rows and date range.

Every dbt command and every ledger read holds the warehouse lock.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import duckdb

from ingest.build import (
    BuildError,
    freshness_gate,
    mark_started,
    prepare_warehouse,
    run_dbt,
)
from ingest.registry import get_source
from ingest.runner import load_source
from ingest.scheduler.config import JobConfig, Schedule
from ingest.scheduler.retry import JobAbandonedError
from ingest.scheduler.selection import build_selection, staging_models
from ingest.scheduler.store import FeatureBuild, Store
from ingest.warehouse import open_database, write_lock

log = logging.getLogger(__name__)

MATRIX_RELATION = "features.daily_ml_matrix"


class InputsNotReadyError(RuntimeError):
    """Raised when a features or matrix job's inputs are not ready by its deadline."""


@dataclass
class JobRuntime:
    """The context of every job attempt: schedule, warehouse and shutdown.

    Attributes:
        schedule: the validated schedule.
        db_path: the warehouse file.
        stop: set at shutdown; waits end early and jobs give up.
        allow_stale: `--allow-stale`, applied to every features job.
        now: the clock (UTC), replaceable in tests.
    """

    schedule: Schedule
    db_path: Path
    stop: threading.Event = field(default_factory=threading.Event)
    allow_stale: bool = False
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    @property
    def store(self) -> Store:
        return Store(self.db_path)

    def wait(self, seconds: float) -> None:
        """Wait, ending early with `JobAbandonedError` at shutdown."""
        if self.stop.wait(max(seconds, 0.0)):
            raise JobAbandonedError("shutdown requested while waiting")


def job_body(runtime: JobRuntime, job: JobConfig) -> Callable[[], str]:
    """Return the function that runs one attempt of `job`."""
    if job.kind == "source":
        return lambda: run_source(runtime, job)
    if job.kind == "features":
        return lambda: run_features(runtime, job)
    return lambda: run_matrix(runtime, job)


def run_source(runtime: JobRuntime, job: JobConfig) -> str:
    """Load the job's source, then build its staging models.

    Raises:
        LoadError: the load failed.
        BuildError: the staging build failed.
    """
    spec = get_source(job.source or job.name)
    result = load_source(spec.name, job.from_dir, db_path=runtime.db_path)
    if result.status == "skipped":
        return f"load skipped: {result.message}"
    models = staging_models(spec, runtime.db_path)
    if not models:
        return f"{result.total_rows} rows loaded; no staging models"
    build_nodes(runtime.db_path, f"job {job.name}", build_selection(models))
    return f"{result.total_rows} rows loaded; built {', '.join(models)}"


def build_nodes(
    db_path: Path, holder: str, select: list[str], exclude: list[str] | None = None
) -> list[dict]:
    """Run `dbt build` for a selection under the warehouse lock.

    Raises:
        BuildError: dbt reported an error or a failing test.
    """
    prepare_warehouse(db_path)
    command = ["build", "--select", *select]
    if exclude:
        command += ["--exclude", *exclude]
    with write_lock(db_path, holder=holder):
        # The build is recorded as incomplete, so the next `zl build`
        # rebuilds every node instead of trusting watermarks this one
        # did not update.
        with open_database(db_path) as con:
            mark_started(con, datetime.now(UTC), select)
        result = run_dbt(command, db_path)
    if not result.success:
        failed = [
            f"{r['unique_id'].split('.', 2)[-1]} ({r['status']})"
            for r in result.results
            if str(r["status"]) in ("error", "fail", "runtime error")
        ]
        raise BuildError(
            f"dbt build --select {' '.join(select)} failed: "
            f"{', '.join(failed) or 'see the dbt log'}"
        )
    return result.results


def due_since(job: JobConfig | None, at: datetime) -> datetime:
    """Return the time after which a source's load counts as current at `at`.

    That is its latest scheduled run at or before `at`, but no later than
    local midnight, so a source that runs during the day (hourly, or at
    02:00) counts with any load of that day.
    """
    zone = job.tz if job is not None else UTC
    midnight = datetime.combine(at.astimezone(zone).date(), time(), zone)
    previous = job.previous_fire(at) if job is not None else None
    since = min(previous, midnight) if previous is not None else midnight
    return since.astimezone(zone)


def missing_sources(
    runtime: JobRuntime, sources: list[str], at: datetime
) -> tuple[dict[str, str], dict[str, str | None]]:
    """Return the sources without a current completion, and each last one.

    Returns:
        (missing source -> reason, source -> last completion in ISO format).
    """
    completions = runtime.store.last_completions()
    jobs = {job.source: job for job in runtime.schedule.source_jobs()}
    missing: dict[str, str] = {}
    inputs: dict[str, str | None] = {}
    for name in sources:
        last = completions.get(name)
        inputs[name] = last.astimezone(UTC).isoformat() if last else None
        since = due_since(jobs.get(name), at)
        if last is None or last < since:
            when = f"{since:%Y-%m-%d %H:%M %Z}"
            missing[name] = f"no successful load since {when}"
    return missing, inputs


def run_features(runtime: JobRuntime, job: JobConfig) -> str:
    """Wait for the inputs, then build the feature models.

    Only the waited sources hold the build. A stale source that no job
    loads (one loaded by hand) is logged and recorded in `stale_sources`.

    Raises:
        InputsNotReadyError: past the deadline with inputs missing or stale,
            and stale builds are not allowed.
        BuildError: freshness could not be checked, or the build failed.
    """
    started = runtime.now()
    waited = list(job.waits_for or runtime.schedule.scheduled_sources())
    deadline = started + timedelta(minutes=job.wait_deadline_minutes)
    while True:
        missing, inputs = missing_sources(runtime, waited, runtime.now())
        stale: dict[str, str] = {}
        if not missing:
            stale = freshness_gate(runtime.db_path, allow_stale=True).stale
            if not stale.keys() & set(waited):
                break
        now = runtime.now()
        if now >= deadline:
            break
        log.info(
            "job %s: waiting for %s (deadline %s)",
            job.name,
            _describe(missing, _only(stale, waited)),
            f"{deadline.astimezone(job.tz):%H:%M:%S %Z}",
        )
        runtime.wait(min(job.poll_seconds, (deadline - now).total_seconds()))
    allow = job.allow_stale or runtime.allow_stale
    problem = _describe(missing, _only(stale, waited))
    if missing or stale.keys() & set(waited):
        if not allow:
            raise InputsNotReadyError(
                f"job {job.name}: inputs not ready by the deadline "
                f"({job.wait_deadline_minutes:g} min): {problem}"
            )
        if missing:
            stale = freshness_gate(runtime.db_path, allow_stale=True).stale
        log.warning("job %s: building on stale inputs: %s", job.name, problem)
    unwaited = {name: reason for name, reason in stale.items() if name not in waited}
    if unwaited:
        log.warning(
            "job %s: stale sources it does not wait for: %s",
            job.name,
            _describe({}, unwaited),
        )
    build = FeatureBuild(
        build_id=_build_id(job.name, started),
        job=job.name,
        kind="features",
        build_date=started.astimezone(job.tz).date(),
        started_at=started,
        allow_stale=allow,
        stale_sources=sorted(stale),
        missing_sources=sorted(missing),
        inputs=inputs,
    )
    _recorded_build(runtime, build, list(job.select), list(job.exclude))
    tag = " on stale inputs" if missing or stale else ""
    return f"features built{tag} (build {build.build_id})"


def _only(stale: dict[str, str], names: list[str]) -> dict[str, str]:
    return {name: reason for name, reason in stale.items() if name in names}


def run_matrix(runtime: JobRuntime, job: JobConfig) -> str:
    """Wait for the features job's success today, then build the matrix.

    Raises:
        InputsNotReadyError: the features job had not succeeded today by
            the deadline.
        BuildError: the build or a data test failed.
    """
    started = runtime.now()
    upstream = job.after or ""
    day = started.astimezone(job.tz).date()
    day_start = datetime.combine(day, time(), job.tz)
    deadline = started + timedelta(minutes=job.wait_deadline_minutes)
    while True:
        succeeded = runtime.store.last_job_success(
            upstream, day_start, day_start + timedelta(days=1)
        )
        now = runtime.now()
        if succeeded is not None:
            break
        if now >= deadline:
            raise InputsNotReadyError(
                f"job {job.name}: job {upstream} has not succeeded on {day} "
                f"by the deadline ({job.wait_deadline_minutes:g} min)"
            )
        log.info("job %s: waiting for job %s to succeed today", job.name, upstream)
        runtime.wait(min(job.poll_seconds, (deadline - now).total_seconds()))
    features = runtime.store.latest_build(upstream, day)
    build = FeatureBuild(
        build_id=_build_id(job.name, started),
        job=job.name,
        kind="matrix",
        build_date=day,
        started_at=started,
        allow_stale=features.allow_stale if features else False,
        stale_sources=features.stale_sources if features else [],
        missing_sources=features.missing_sources if features else [],
        inputs=features.inputs if features else {},
        upstream_build_id=features.build_id if features else None,
    )
    results = _recorded_build(runtime, build, list(job.select), list(job.exclude))
    return _matrix_report(runtime.db_path, build, results)


def _recorded_build(
    runtime: JobRuntime, build: FeatureBuild, select: list[str], exclude: list[str]
) -> list[dict]:
    store = runtime.store
    store.start_build(build)
    try:
        results = build_nodes(runtime.db_path, f"job {build.job}", select, exclude)
    except Exception as exc:
        store.finish_build(build.build_id, "failed", runtime.now(), str(exc))
        raise
    store.finish_build(build.build_id, "success", runtime.now())
    return results


def _matrix_report(db_path: Path, build: FeatureBuild, results: list[dict]) -> str:
    counts: dict[str, int] = {}
    for result in results:
        counts[str(result["status"])] = counts.get(str(result["status"]), 0) + 1
    nodes = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    rows = _matrix_rows(db_path)
    stale = build.stale_sources + build.missing_sources
    flags = f"; stale inputs: {', '.join(sorted(stale))}" if stale else ""
    return f"matrix build {build.build_id}: {nodes}; {rows}{flags}"


def _matrix_rows(db_path: Path) -> str:
    with (
        write_lock(db_path, holder="matrix report"),
        duckdb.connect(str(db_path)) as con,
    ):
        try:
            count, first, last = con.execute(
                "SELECT count(*), min(trade_date), max(trade_date) "
                f"FROM {MATRIX_RELATION}"
            ).fetchone()
        except duckdb.CatalogException:
            return f"{MATRIX_RELATION} not built"
    if not count:
        return f"{MATRIX_RELATION} is empty"
    return f"{MATRIX_RELATION}: {count} rows, {first} to {last}"


def _describe(missing: dict[str, str], stale: dict[str, str]) -> str:
    parts = [f"{name} ({reason})" for name, reason in sorted(missing.items())]
    parts += [f"{name} (stale: {reason})" for name, reason in sorted(stale.items())]
    return "; ".join(parts) or "nothing"


def _build_id(job: str, started: datetime) -> str:
    return f"{job}-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
