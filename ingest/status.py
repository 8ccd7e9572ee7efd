"""`zl status`: per source, last success and failure, rows, freshness, next run."""

from __future__ import annotations

from ingest.scheduler.status import print_source_status
from ingest.settings import duckdb_path


def print_status() -> None:
    """Print one line per source, including sources that never ran."""
    db_path = duckdb_path()
    if not db_path.exists():
        raise FileNotFoundError(f"warehouse {db_path} does not exist yet")
    print(f"warehouse: {db_path}")
    print_source_status(db_path)
