"""`zl build`: prepare the warehouse, gate on freshness, run `dbt build`.

The gate has two parts. Completion flags in `ops.ingestion_completion` tell
which sources have ever loaded successfully; a source that never did is
reported, and its features stay NULL. For the sources that did, `dbt source
freshness` must pass, or the build stops naming the stale sources, unless
`allow_stale` is set.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import ledger
from ingest.registry import sources
from ingest.settings import PROJECT_ROOT, duckdb_path
from ingest.warehouse import check_target, connect, ensure_schemas, write_lock

log = logging.getLogger(__name__)


class BuildError(RuntimeError):
    """Raised when the freshness gate or `dbt build` fails."""


@dataclass
class DbtResult:
    """Outcome of one dbt command: its exit status and its node results."""

    success: bool
    results: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class GateReport:
    """Result of the freshness gate."""

    completed: list[str] = field(default_factory=list)
    never_loaded: list[str] = field(default_factory=list)
    stale: dict[str, str] = field(default_factory=dict)


def prepare_warehouse(db_path: Path) -> None:
    """Create the layer schemas, the ledger and every raw table not yet loaded.

    dbt's sources must exist to compile, even for a source that has never
    run. An empty raw table makes its staging models empty instead of
    failing.
    """
    with connect(db_path, holder="build") as con:
        ensure_schemas(con)
        ledger.ensure_ledger(con)
        for spec in sources().values():
            for table in spec.tables:
                con.execute(table.ddl("raw"))


def completed_sources(db_path: Path) -> list[str]:
    with connect(db_path, holder="build") as con:
        ledger.ensure_ledger(con)
        rows = con.execute(
            "SELECT DISTINCT source FROM ops.ingestion_completion "
            "WHERE status = 'success' ORDER BY source"
        ).fetchall()
    return [row[0] for row in rows]


def dbt_args(command: list[str], db_path: Path) -> list[str]:
    """Return dbt CLI arguments for this project, with artifacts beside the DB."""
    artifacts = db_path.parent / "dbt"
    return [
        *command,
        "--project-dir",
        str(PROJECT_ROOT),
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(artifacts / "target"),
        "--log-path",
        str(artifacts / "logs"),
    ]


def run_dbt(command: list[str], db_path: Path) -> DbtResult:
    """Run dbt in a child process against `db_path` and read its results.

    A child process, not dbt's in-process runner, because dbt-duckdb keeps
    its DuckDB connection open for the life of the process, which would
    hold the file after the build. dbt's log goes to stderr.
    """
    executable = Path(sys.executable).with_name("dbt")
    program = [str(executable)] if executable.exists() else ["dbt"]
    env = {**os.environ, "ZL_DUCKDB_PATH": str(db_path)}
    args = dbt_args(command, db_path)
    log.info("dbt %s", " ".join(command))
    completed = subprocess.run(
        [*program, *args], env=env, stdout=sys.stderr, check=False
    )
    artifact = (
        "sources.json"
        if command[:2] == ["source", "freshness"]
        else ("run_results.json")
    )
    path = db_path.parent / "dbt" / "target" / artifact
    results = json.loads(path.read_text())["results"] if path.exists() else []
    return DbtResult(success=completed.returncode == 0, results=results)


def freshness_gate(db_path: Path, allow_stale: bool = False) -> GateReport:
    report = GateReport()
    completed = completed_sources(db_path)
    for name in sources():
        if name in completed:
            report.completed.append(name)
        else:
            report.never_loaded.append(name)
            log.warning(
                "%s has never completed a load; its features will be NULL", name
            )
    # A source's tables are declared either under the shared dbt source
    # `raw` or under its own `raw_<name>`; dbt only warns about the other.
    # An empty table (a feed of the source that the files did not include)
    # has no freshness to check.
    filled = _tables_with_rows(db_path)
    selectors = [
        f"source:{dbt_source}.{table.name}"
        for name in report.completed
        for table in sources()[name].tables
        if table.name in filled
        for dbt_source in ("raw", f"raw_{name}")
    ]
    if not selectors:
        return report
    with write_lock(db_path, holder="freshness"):
        result = run_dbt(["source", "freshness", "--select", *selectors], db_path)
    if not result.results and not result.success:
        raise BuildError("dbt source freshness failed before checking any source")
    for node_result in result.results:
        status = str(node_result["status"])
        if status in ("pass", "warn"):
            continue
        table = node_result["unique_id"].rsplit(".", 1)[-1]
        owner = next((n for n in report.completed if table in _table_names(n)), table)
        report.stale[owner] = f"{table}: freshness {status}"
    if report.stale and not allow_stale:
        details = "; ".join(f"{k} ({v})" for k, v in sorted(report.stale.items()))
        raise BuildError(
            f"stale sources: {details}. Reload them, or pass --allow-stale"
        )
    for name, reason in report.stale.items():
        log.warning("building with stale source %s (%s)", name, reason)
    return report


def _tables_with_rows(db_path: Path) -> set[str]:
    with connect(db_path, holder="build", read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'raw'"
        ).fetchall()
        return {
            name
            for (name,) in tables
            if con.execute(f'select 1 from raw."{name}" limit 1').fetchone()
        }


def _table_names(source_name: str) -> set[str]:
    return {table.name for table in sources()[source_name].tables}


def build(
    db_path: Path | None = None,
    allow_stale: bool = False,
    select: list[str] | None = None,
) -> GateReport:
    """Run the gate and then `dbt build` (seeds, models and tests).

    Raises:
        BuildError: the gate failed, or dbt reported an error.
    """
    check_target()
    db_path = db_path or duckdb_path()
    prepare_warehouse(db_path)
    report = freshness_gate(db_path, allow_stale)
    command = ["build"] + (["--select", *select] if select else [])
    with write_lock(db_path, holder="dbt build"):
        result = run_dbt(command, db_path)
    if not result.success:
        failures = _failures(result)
        raise BuildError(f"dbt build failed: {failures or 'see the dbt log above'}")
    return report


def _failures(result: DbtResult) -> str:
    names = []
    for node_result in result.results:
        if str(node_result["status"]) in ("error", "fail", "runtime error"):
            name = node_result["unique_id"].split(".", 2)[-1]
            names.append(f"{name} ({node_result['status']})")
    return ", ".join(names)
