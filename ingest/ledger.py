"""The run ledger: `ops.ingestion_runs` and `ops.ingestion_completion`.

Every load writes one `ingestion_runs` row, whatever its outcome. A
successful load also writes `ingestion_completion` for the day, after dlt
has committed the data, so a completion flag always vouches for rows that
are already in `raw`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

RUNS_DDL = """
CREATE TABLE IF NOT EXISTS ops.ingestion_runs (
    run_id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    mode VARCHAR NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE NOT NULL,
    status VARCHAR NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_skipped BIGINT NOT NULL,
    lock_wait_s DOUBLE,
    error VARCHAR
)
"""

COMPLETION_DDL = """
CREATE TABLE IF NOT EXISTS ops.ingestion_completion (
    completion_date DATE NOT NULL,
    source VARCHAR NOT NULL,
    completed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    status VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY (completion_date, source)
)
"""


@dataclass(frozen=True)
class RunRecord:
    """One finished load, as stored in `ops.ingestion_runs`."""

    run_id: str
    source: str
    mode: str
    started_at: datetime
    finished_at: datetime
    status: str
    rows_loaded: int
    rows_skipped: int
    lock_wait_s: float | None = None
    error: str | None = None


def ensure_ledger(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS ops")
    con.execute(RUNS_DDL)
    con.execute(COMPLETION_DDL)


def record_run(con: duckdb.DuckDBPyConnection, run: RunRecord) -> None:
    ensure_ledger(con)
    con.execute(
        "INSERT INTO ops.ingestion_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run.run_id,
            run.source,
            run.mode,
            run.started_at,
            run.finished_at,
            run.status,
            run.rows_loaded,
            run.rows_skipped,
            run.lock_wait_s,
            run.error,
        ],
    )


def record_completion(
    con: duckdb.DuckDBPyConnection, run: RunRecord, day: date | None = None
) -> None:
    """Mark `run.source` complete for `day` (default: the run's UTC date).

    A later successful run of the same day replaces the earlier flag.
    """
    ensure_ledger(con)
    day = day or run.finished_at.date()
    con.execute(
        """
        INSERT OR REPLACE INTO ops.ingestion_completion
        VALUES (?, ?, ?, ?, ?)
        """,
        [day, run.source, run.finished_at, run.status, run.run_id],
    )
