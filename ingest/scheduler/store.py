"""The scheduler's tables: `ops.job_runs` and `ops.feature_build_runs`.

`ops.job_runs` has one row per attempt of a job: inserted as `running` when
the attempt starts and updated to `success`, `failed` or `abandoned` when it
ends. A failed attempt that will be retried carries `next_retry_at`.

`ops.feature_build_runs` has one row per features or matrix build. A build
made past its wait deadline with `allow_stale` lists the sources that had
not completed a load (`missing_sources`) or failed dbt source freshness
(`stale_sources`). `inputs` contains each waited source's last completed
load. A matrix build copies the lists of the features build it read
(`upstream_build_id`), so matrix rows built on stale inputs are found by
build id and build date.

Every read and write holds the warehouse lock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from ingest import ledger
from ingest.warehouse import ensure_schemas, write_lock

JOB_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS ops.job_runs (
    run_id VARCHAR NOT NULL,
    job VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    status VARCHAR NOT NULL,
    error VARCHAR,
    next_retry_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (run_id, attempt)
)
"""

FEATURE_BUILD_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS ops.feature_build_runs (
    build_id VARCHAR PRIMARY KEY,
    job VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    build_date DATE NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    status VARCHAR NOT NULL,
    allow_stale BOOLEAN NOT NULL,
    stale_sources VARCHAR[] NOT NULL,
    missing_sources VARCHAR[] NOT NULL,
    inputs JSON,
    upstream_build_id VARCHAR,
    error VARCHAR
)
"""


@dataclass(frozen=True)
class FeatureBuild:
    """One row of `ops.feature_build_runs`."""

    build_id: str
    job: str
    kind: str
    build_date: date
    started_at: datetime
    allow_stale: bool
    stale_sources: list[str] = field(default_factory=list)
    missing_sources: list[str] = field(default_factory=list)
    inputs: dict[str, str | None] = field(default_factory=dict)
    upstream_build_id: str | None = None


class Store:
    """Reads and writes of the scheduler's ops tables in one warehouse."""

    def __init__(self, db_path: Path, lock_timeout_s: float | None = None) -> None:
        self.db_path = db_path
        self.lock_timeout_s = lock_timeout_s

    def _execute(self, sql: str, params: list[object] | None = None) -> list[tuple]:
        with write_lock(self.db_path, "scheduler ops tables", self.lock_timeout_s):
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            with duckdb.connect(str(self.db_path)) as con:
                ensure_tables(con)
                return con.execute(sql, params or []).fetchall()

    def start_attempt(
        self, run_id: str, job: str, attempt: int, max_attempts: int, at: datetime
    ) -> None:
        self._execute(
            "INSERT INTO ops.job_runs (run_id, job, attempt, max_attempts, "
            "started_at, status) VALUES (?, ?, ?, ?, ?, 'running')",
            [run_id, job, attempt, max_attempts, at],
        )

    def finish_attempt(
        self,
        run_id: str,
        attempt: int,
        status: str,
        at: datetime,
        error: str | None = None,
        next_retry_at: datetime | None = None,
    ) -> None:
        self._execute(
            "UPDATE ops.job_runs SET finished_at = ?, status = ?, error = ?, "
            "next_retry_at = ? WHERE run_id = ? AND attempt = ?",
            [at, status, error, next_retry_at, run_id, attempt],
        )

    def last_job_success(
        self, job: str, since: datetime, until: datetime
    ) -> datetime | None:
        """Return when `job` last succeeded in [since, until), or None."""
        rows = self._execute(
            "SELECT max(finished_at) FROM ops.job_runs WHERE job = ? "
            "AND status = 'success' AND finished_at >= ? AND finished_at < ?",
            [job, since, until],
        )
        return rows[0][0]

    def last_completions(self) -> dict[str, datetime]:
        """Return each source's latest successful completion time."""
        rows = self._execute(
            "SELECT source, max(completed_at) FROM ops.ingestion_completion "
            "WHERE status = 'success' GROUP BY source"
        )
        return {source: completed for source, completed in rows}

    def start_build(self, build: FeatureBuild) -> None:
        self._execute(
            "INSERT INTO ops.feature_build_runs (build_id, job, kind, build_date, "
            "started_at, status, allow_stale, stale_sources, missing_sources, "
            "inputs, upstream_build_id) "
            "VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)",
            [
                build.build_id,
                build.job,
                build.kind,
                build.build_date,
                build.started_at,
                build.allow_stale,
                build.stale_sources,
                build.missing_sources,
                json.dumps(build.inputs, sort_keys=True),
                build.upstream_build_id,
            ],
        )

    def finish_build(
        self, build_id: str, status: str, at: datetime, error: str | None = None
    ) -> None:
        self._execute(
            "UPDATE ops.feature_build_runs SET finished_at = ?, status = ?, "
            "error = ? WHERE build_id = ?",
            [at, status, error, build_id],
        )

    def latest_build(self, job: str, build_date: date) -> FeatureBuild | None:
        """Return the latest successful build of `job` on `build_date`."""
        rows = self._execute(
            "SELECT build_id, job, kind, build_date, started_at, allow_stale, "
            "stale_sources, missing_sources, inputs, upstream_build_id "
            "FROM ops.feature_build_runs WHERE job = ? AND build_date = ? "
            "AND status = 'success' ORDER BY finished_at DESC LIMIT 1",
            [job, build_date],
        )
        if not rows:
            return None
        row = rows[0]
        return FeatureBuild(
            build_id=row[0],
            job=row[1],
            kind=row[2],
            build_date=row[3],
            started_at=row[4],
            allow_stale=row[5],
            stale_sources=list(row[6]),
            missing_sources=list(row[7]),
            inputs=json.loads(row[8]) if row[8] else {},
            upstream_build_id=row[9],
        )


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the layer schemas, the ingestion ledger and the scheduler tables."""
    ensure_schemas(con)
    ledger.ensure_ledger(con)
    con.execute(JOB_RUNS_DDL)
    con.execute(FEATURE_BUILD_RUNS_DDL)
