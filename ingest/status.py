"""`zl status`: per source, the last run, its rows and its outcome."""

from __future__ import annotations

from ingest.registry import sources
from ingest.settings import duckdb_path
from ingest.warehouse import connect

_QUERY = """
with ranked as (
    select
        *,
        row_number() over (partition by source order by finished_at desc) as n
    from ops.ingestion_runs
),
last_success as (
    select source, max(finished_at) as last_success_at
    from ops.ingestion_runs
    where status = 'success'
    group by source
)
select
    ranked.source, ranked.finished_at, ranked.status, ranked.rows_loaded,
    ranked.finished_at - ranked.started_at as duration,
    last_success.last_success_at, ranked.error
from ranked
left join last_success using (source)
where ranked.n = 1
"""


def print_status() -> None:
    """Print one line per source; sources that never ran say so."""
    db_path = duckdb_path()
    if not db_path.exists():
        raise FileNotFoundError(f"warehouse {db_path} does not exist yet")
    # Read-only, and a short wait: status should not queue behind a build.
    with connect(db_path, holder="status", read_only=True, timeout_s=30) as con:
        has_ledger = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'ops' and table_name = 'ingestion_runs'"
        ).fetchone()[0]
        rows = (
            {row[0]: row for row in con.execute(_QUERY).fetchall()}
            if has_ledger
            else {}
        )
    print(f"warehouse: {db_path}")
    header = f"{'source':<12} {'last run (UTC)':<20} {'outcome':<8} {'rows':>9}"
    print(header + "  last success / error")
    for name in sources():
        row = rows.get(name)
        if row is None:
            print(f"{name:<12} {'never':<20} {'-':<8} {'-':>9}")
            continue
        _, finished, status, n_rows, _duration, last_success, error = row
        tail = error if status == "failed" else f"{last_success:%Y-%m-%d %H:%M}"
        print(
            f"{name:<12} {finished:%Y-%m-%d %H:%M:%S}  {status:<8} {n_rows:>9}  {tail}"
        )
