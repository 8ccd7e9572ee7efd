"""Per-source status for `zl status`: runs, freshness and the next scheduled run.

Freshness is measured like `dbt source freshness`, without running dbt:
the age of the newest `loaded_at_field` value of each of the source's
tables against the `warn_after` and `error_after` thresholds declared in
its dbt source YAML. The source's freshness is the worst of its tables.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.registry import sources
from ingest.scheduler.config import Schedule, ScheduleError, load_schedule
from ingest.scheduler.selection import DbtTable, source_tables
from ingest.settings import duckdb_path
from ingest.warehouse import connect

log = logging.getLogger(__name__)

_RUNS_QUERY = """
WITH ranked AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY source, status ORDER BY finished_at DESC)
            AS n
    FROM ops.ingestion_runs
    WHERE status IN ('success', 'failed')
)
SELECT
    source, status, finished_at, rows_loaded,
    epoch(finished_at - started_at) AS duration_s, error
FROM ranked
WHERE n = 1
"""
_RANK = {"pass": 0, "warn": 1, "error": 2}


@dataclass(frozen=True)
class SourceStatus:
    """One source's row in `zl status`.

    Attributes:
        last_success_at, last_failure_at: finish times of the latest runs.
        last_failure_reason: the error of the latest failed run.
        rows_loaded: rows of the latest successful run.
        duration_s: duration of the latest successful run, in seconds.
        freshness: `pass`, `warn` or `error` as dbt would judge it,
            `no data` when a table is empty or missing, `no rule` without
            thresholds.
        next_run_at: the next scheduled run of its job (None: no job).
    """

    source: str
    last_success_at: datetime | None
    last_failure_at: datetime | None
    last_failure_reason: str | None
    rows_loaded: int | None
    duration_s: float | None
    freshness: str
    next_run_at: datetime | None


def source_status(
    db_path: Path | None = None,
    schedule: Schedule | None = None,
    now: datetime | None = None,
) -> list[SourceStatus]:
    """Return one `SourceStatus` per registry source, in registry order.

    An invalid schedule file is logged and the next runs are left empty,
    so that status still reports the warehouse.

    Raises:
        FileNotFoundError: the warehouse does not exist.
    """
    db_path = db_path or duckdb_path()
    now = now or datetime.now(UTC)
    if schedule is None:
        try:
            schedule = load_schedule()
        except ScheduleError as exc:
            log.warning("next runs unknown: %s", exc)
    next_runs = _next_runs(schedule, now) if schedule else {}
    tables = {name: source_tables(spec) for name, spec in sources().items()}
    with connect(db_path, holder="status", read_only=True, timeout_s=30) as con:
        runs = _latest_runs(con)
        freshness = {name: _freshness(con, t, now) for name, t in tables.items()}
    rows = []
    for name in sources():
        success = runs.get((name, "success"))
        failure = runs.get((name, "failed"))
        rows.append(
            SourceStatus(
                source=name,
                last_success_at=success[0] if success else None,
                last_failure_at=failure[0] if failure else None,
                last_failure_reason=failure[3] if failure else None,
                rows_loaded=success[1] if success else None,
                duration_s=success[2] if success else None,
                freshness=freshness[name],
                next_run_at=next_runs.get(name),
            )
        )
    return rows


def format_source_status(rows: list[SourceStatus]) -> str:
    """Return the rows as a fixed-width table, times in UTC."""
    header = (
        f"{'source':<12} {'last success UTC':<16} {'rows':>9} {'secs':>6} "
        f"{'fresh':<8} {'next run UTC':<16} last failure"
    )
    lines = [header]
    for row in rows:
        failure = "-"
        if row.last_failure_at is not None:
            failure = f"{_when(row.last_failure_at)} {row.last_failure_reason or ''}"
        rows_text = "-" if row.rows_loaded is None else str(row.rows_loaded)
        secs = "-" if row.duration_s is None else f"{row.duration_s:.0f}"
        lines.append(
            f"{row.source:<12} {_when(row.last_success_at):<16} {rows_text:>9} "
            f"{secs:>6} {row.freshness:<8} {_when(row.next_run_at):<16} "
            f"{failure.strip()}"
        )
    return "\n".join(lines)


def print_source_status(db_path: Path | None = None) -> None:
    """Print `format_source_status` for the warehouse and `schedules.yml`."""
    print(format_source_status(source_status(db_path)))


def _latest_runs(
    con: duckdb.DuckDBPyConnection,
) -> dict[tuple[str, str], tuple]:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'ops' AND table_name = 'ingestion_runs'"
    ).fetchone()[0]
    if not exists:
        return {}
    return {
        (source, status): (finished, rows, duration, error)
        for source, status, finished, rows, duration, error in con.execute(
            _RUNS_QUERY
        ).fetchall()
    }


def _freshness(
    con: duckdb.DuckDBPyConnection, tables: list[DbtTable], now: datetime
) -> str:
    worst = None
    for table in tables:
        rule = table.freshness
        if rule.warn_after_h is None and rule.error_after_h is None:
            continue
        try:
            newest = con.execute(
                f'SELECT max("{rule.loaded_at_field}") FROM '
                f'"{table.schema}"."{table.table}"'
            ).fetchone()[0]
        except duckdb.CatalogException:
            newest = None
        if newest is None:
            return "no data"
        if newest.tzinfo is None:
            newest = newest.replace(tzinfo=UTC)
        age_h = (now - newest).total_seconds() / 3600
        status = "pass"
        if rule.warn_after_h is not None and age_h > rule.warn_after_h:
            status = "warn"
        if rule.error_after_h is not None and age_h > rule.error_after_h:
            status = "error"
        if worst is None or _RANK[status] > _RANK[worst]:
            worst = status
    return worst or "no rule"


def _next_runs(schedule: Schedule, now: datetime) -> dict[str, datetime]:
    runs: dict[str, datetime] = {}
    for job in schedule.source_jobs():
        fire = job.next_fire(now)
        if fire is None or job.source is None:
            continue
        if job.source not in runs or fire < runs[job.source]:
            runs[job.source] = fire
    return runs


def _when(value: datetime | None) -> str:
    if value is None:
        return "-"
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M}"
