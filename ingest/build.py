"""`zl build`: prepare the warehouse, gate on freshness, run `dbt build`.

The gate has two parts. Completion flags in `ops.ingestion_completion` tell
which sources have ever loaded successfully; a source that never did is
reported, and its features stay NULL. For the sources that did, `dbt source
freshness` must pass, or the build stops naming the stale sources, unless
`allow_stale` is set.

Incremental models (materialized `incremental`) recompute only the dates
that rows loaded since their last build can change. The build passes
`ZL_INCREMENTAL_SINCE` to dbt: per model, the earliest `_loaded_at` that may
be new to it (see `plan_build`). A full refresh
rebuilds every model from scratch and runs every test.

The incremental path also leaves out work whose result cannot have
changed:
- the models in models/ops, which exist only for the dbt unit tests, and
  the unit tests themselves, which read fixed inputs, not the warehouse;
- seeds and models whose code, tests and inputs did not change
  (ingest/unchanged.py);
- the data tests that read only nodes left out (see
  `daily_skipped_tests`). A test that reads a rebuilt node or a raw
  source runs, so new rows are always tested.
Leaving nodes out needs the last build to have been complete: after a
failed, killed or `--select` build (`ops.dbt_incomplete_builds`), the next
one rebuilds every node and runs every data test.

dbt runs in this process (`DbtSession`), parsed once for the freshness
check and the build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from ingest import ledger
from ingest.registry import sources
from ingest.settings import PROJECT_ROOT, duckdb_path
from ingest.unchanged import (
    Watermark,
    buildable_nodes,
    node_digests,
    unchanged_nodes,
)
from ingest.warehouse import (
    check_target,
    connect,
    ensure_schemas,
    open_database,
    write_lock,
)

log = logging.getLogger(__name__)

# JSON object, model name -> ISO timestamp: raw rows whose `_loaded_at` is
# at or after it may be new to that model. A model missing from it treats
# every raw row as new, which recomputes all its dates.
INCREMENTAL_SINCE_ENV = "ZL_INCREMENTAL_SINCE"

# Files hashed when dbt's manifest is missing: everything that decides what
# a model computes.
CODE_PATHS = ("models", "macros", "seeds", "dbt_project.yml")

# Models that exist only for dbt unit tests (models/ops); the daily path
# skips them along with the unit tests.
HARNESS_TAG = "unit_test_harness"

# One row per successful build without `--select`.
BUILDS_DDL = """
CREATE TABLE IF NOT EXISTS ops.dbt_builds (
    built_at TIMESTAMP WITH TIME ZONE NOT NULL,
    lock_acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    full_refresh BOOLEAN NOT NULL,
    reason VARCHAR NOT NULL,
    code_fingerprint VARCHAR NOT NULL,
    raw_row_counts VARCHAR NOT NULL
)
"""

# Columns added after the tables first shipped, so older warehouses gain
# them here.
ADDED_COLUMNS_DDL = (
    "ALTER TABLE ops.dbt_model_watermarks ADD COLUMN IF NOT EXISTS code_digest VARCHAR",
)

# One row per build that failed, was killed or ran with `--select`
# (scheduled builds included): a build adds its row before dbt runs and
# removes it when complete. The build after one leaves no unchanged node
# out, because such a build can rebuild a parent without its children or
# leave a failed test behind.
INCOMPLETE_BUILDS_DDL = """
CREATE TABLE IF NOT EXISTS ops.dbt_incomplete_builds (
    lock_acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    succeeded BOOLEAN NOT NULL,
    selection VARCHAR
)
"""

# Per model, the instant the last successful build of it took the warehouse
# lock: every row committed before then was in its input.
WATERMARKS_DDL = """
CREATE TABLE IF NOT EXISTS ops.dbt_model_watermarks (
    model VARCHAR PRIMARY KEY,
    lock_acquired_at TIMESTAMP WITH TIME ZONE NOT NULL
)
"""


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
        con.execute(BUILDS_DDL)
        con.execute(WATERMARKS_DDL)
        con.execute(INCOMPLETE_BUILDS_DDL)
        for ddl in ADDED_COLUMNS_DDL:
            con.execute(ddl)
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


def run_dbt(
    command: list[str], db_path: Path, extra_env: dict[str, str] | None = None
) -> DbtResult:
    """Run dbt in a child process against `db_path` and read its results.

    For callers that may run dbt from several threads at once, such as
    the scheduler's jobs; `DbtSession` runs dbt in this process instead.
    dbt's log goes to stderr. `extra_env` adds environment variables for
    the child only.
    """
    executable = Path(sys.executable).with_name("dbt")
    program = [str(executable)] if executable.exists() else ["dbt"]
    env = {**os.environ, **(extra_env or {}), "ZL_DUCKDB_PATH": str(db_path)}
    args = dbt_args(command, db_path)
    path = _artifact_path(command, db_path)
    path.unlink(missing_ok=True)
    log.info("dbt %s", " ".join(command))
    completed = subprocess.run(
        [*program, *args], env=env, stdout=sys.stderr, check=False
    )
    results = json.loads(path.read_text())["results"] if path.exists() else []
    return DbtResult(success=completed.returncode == 0, results=results)


def _artifact_path(command: list[str], db_path: Path) -> Path:
    name = (
        "sources.json" if command[:2] == ["source", "freshness"] else "run_results.json"
    )
    return db_path.parent / "dbt" / "target" / name


# dbt keeps its settings in process-wide state and reads the profile's
# variables from os.environ, so one in-process command runs at a time.
_IN_PROCESS_LOCK = threading.Lock()


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block, then restore their old values."""
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _release_duckdb() -> None:
    """Close the DuckDB database that dbt-duckdb keeps open after a command."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    # NOTE: dbt-duckdb keeps the database open in a class attribute for the
    # life of the process, and it has no public call that closes it. Without
    # this the file stays locked against every other process.
    environment = DuckDBConnectionManager._ENV
    close = getattr(environment, "close", None)
    if close is not None:
        close()
    DuckDBConnectionManager.close_all_connections()


class DbtSession:
    """dbt commands run in this process on one warehouse, parsed once.

    The first command parses the project (partial parsing applies) and the
    later ones reuse that manifest, so the freshness check and `dbt build`
    of one `zl build` pay for dbt's start-up and parsing once. After each
    command the session closes the DuckDB file, so the caller and other
    processes can open it again. dbt's log goes to stderr, as with
    `run_dbt`. One command runs at a time in a process.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._runner: Any = None
        # The manifest.json that this session's parse wrote, read at once:
        # another process's parse may overwrite the file before the build.
        self.manifest: dict[str, Any] | None = None

    def parse(self) -> None:
        """Parse the project, which writes target/manifest.json, and keep it.

        Raises:
            BuildError: dbt could not parse the project.
        """
        from dbt.cli.main import dbtRunner

        with self._in_process({}):
            parsed = dbtRunner().invoke(dbt_args(["parse"], self.db_path))
        if not parsed.success:
            raise BuildError(f"dbt parse failed: {parsed.exception or 'see its log'}")
        self._runner = dbtRunner(manifest=parsed.result)
        self.manifest = json.loads(_manifest_path(self.db_path).read_text())

    def invoke(
        self, command: list[str], extra_env: dict[str, str] | None = None
    ) -> DbtResult:
        """Run one dbt command and read its results from the target folder.

        Parses first if `parse` has not run.

        Raises:
            BuildError: dbt could not parse the project.
        """
        if self._runner is None:
            self.parse()
        path = _artifact_path(command, self.db_path)
        path.unlink(missing_ok=True)
        summary = " ".join(command)
        if len(summary) > 200:
            # The daily path can exclude a hundred nodes by name.
            summary = f"{summary[:200]}... ({len(command)} arguments)"
        log.info("dbt %s", summary)
        with self._in_process(extra_env or {}):
            outcome = self._runner.invoke(dbt_args(command, self.db_path))
        if outcome.exception is not None:
            log.error(
                "dbt %s failed with an exception: %s", command[0], outcome.exception
            )
        results = json.loads(path.read_text())["results"] if path.exists() else []
        return DbtResult(success=bool(outcome.success), results=results)

    @contextlib.contextmanager
    def _in_process(self, extra_env: dict[str, str]) -> Iterator[None]:
        env = {**extra_env, "ZL_DUCKDB_PATH": str(self.db_path)}
        with (
            _IN_PROCESS_LOCK,
            _environment(env),
            contextlib.redirect_stdout(sys.stderr),
        ):
            try:
                yield
            finally:
                _release_duckdb()


def freshness_gate(
    db_path: Path, allow_stale: bool = False, dbt: DbtSession | None = None
) -> GateReport:
    """Check completion flags, then `dbt source freshness` for loaded sources.

    `dbt` runs the check in this process; without it dbt runs as a child
    process.

    Raises:
        BuildError: a loaded source is stale and `allow_stale` is not set.
    """
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
    command = ["source", "freshness", "--select", *selectors]
    with write_lock(db_path, holder="freshness"):
        result = dbt.invoke(command) if dbt else run_dbt(command, db_path)
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


@dataclass
class BuildPlan:
    """The mode of the next `dbt build` (full refresh or incremental) and its reason.

    `loaded_since` maps each model built before to the earliest
    `_loaded_at` that may be new to it. It is empty for a full refresh.
    `code_fingerprint` is that of the parsed code the build runs, which
    `record_build` stores.
    """

    full_refresh: bool
    reason: str
    lock_acquired_at: datetime
    raw_row_counts: dict[str, int]
    code_fingerprint: str
    node_digests: dict[str, str] = field(default_factory=dict)
    loaded_since: dict[str, str] = field(default_factory=dict)
    skipped_tests: list[str] = field(default_factory=list)
    unchanged_nodes: list[str] = field(default_factory=list)

    def dbt_flags(self, selective: bool = False) -> list[str]:
        """Return the `dbt build` flags; `selective` for a build with `--select`."""
        if self.full_refresh:
            return ["--full-refresh"]
        # Without indirect selection, excluding a node keeps the tests that
        # read it, so a test that also reads a rebuilt node still runs.
        # skipped_tests names the tests that read only left-out nodes. A
        # `--select` build needs dbt's default instead, which adds the
        # tests of the selected nodes.
        indirect = [] if selective else ["--indirect-selection", "empty"]
        return [
            "--exclude-resource-type",
            "unit_test",
            *indirect,
            "--exclude",
            f"tag:{HARNESS_TAG}",
            *self.unchanged_nodes,
            *self.skipped_tests,
        ]

    def dbt_env(self) -> dict[str, str]:
        return {INCREMENTAL_SINCE_ENV: json.dumps(self.loaded_since, sort_keys=True)}


def code_fingerprint(manifest: dict[str, Any] | None, root: Path = PROJECT_ROOT) -> str:
    """Return a SHA-256 over the code that decides what incremental models compute.

    The code is read from the parsed manifest, the same one `dbt build`
    runs, so an edit saved while a build runs is not mistaken for the code
    it built. It covers each incremental model, every model and seed
    upstream of it and every project macro they call (dbt's file checksum
    for nodes, the macro text for macros), plus dbt_project.yml. A change to
    any of them makes incremental results mix old and new logic. YAML
    property files are left out, because other models' docs and tests
    change there, so a model config set in YAML is not covered. Without a
    manifest every file under CODE_PATHS is hashed.
    """
    digest = hashlib.sha256()
    for name, text in _incremental_code(manifest, root):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(text)
        digest.update(b"\0")
    return digest.hexdigest()


def _incremental_code(
    manifest: dict[str, Any] | None, root: Path
) -> list[tuple[str, bytes]]:
    """Return (name, code) pairs for `code_fingerprint`, sorted by name."""
    if manifest is None:
        files = []
        for name in CODE_PATHS:
            base = root / name
            files += sorted(base.rglob("*")) if base.is_dir() else [base]
        return [
            (str(path.relative_to(root)), path.read_bytes())
            for path in sorted(files)
            if path.is_file()
        ]
    nodes, macros = manifest["nodes"], manifest["macros"]
    project = manifest["metadata"].get("project_name", "zl")
    pending = [
        unique_id
        for unique_id, node in nodes.items()
        if node["resource_type"] == "model"
        and node["config"].get("materialized") == "incremental"
    ]
    code = {"dbt_project.yml": (root / "dbt_project.yml").read_bytes()}
    while pending:
        unique_id = pending.pop()
        item = nodes.get(unique_id) or macros.get(unique_id)
        if unique_id in code or item is None or item.get("package_name") != project:
            continue
        code[unique_id] = _parsed_code(item, root)
        depends_on = item.get("depends_on", {})
        pending += depends_on.get("nodes", []) + depends_on.get("macros", [])
    return sorted(code.items())


def _parsed_code(item: dict[str, Any], root: Path) -> bytes:
    """Return what identifies a manifest node's or macro's code."""
    if "macro_sql" in item:
        return item["macro_sql"].encode()
    checksum = item["checksum"]
    # dbt checksums a large seed by its path, not its contents.
    if checksum["name"] == "sha256":
        return checksum["checksum"].encode()
    return (root / item["original_file_path"]).read_bytes()


def harness_models(manifest: dict[str, Any]) -> set[str]:
    """Return the unique ids of the models tagged as unit-test harnesses."""
    return {
        unique_id
        for unique_id, node in buildable_nodes(manifest).items()
        if HARNESS_TAG in node["config"].get("tags", [])
    }


def daily_skipped_tests(manifest: dict[str, Any], left_out: set[str]) -> list[str]:
    """Return the data tests that read only nodes in `left_out` (unique ids).

    A test that also reads a rebuilt node or a source runs.
    """
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node["depends_on"].get("nodes")
        and set(node["depends_on"]["nodes"]) <= left_out
    )


def plan_build(
    con: duckdb.DuckDBPyConnection,
    manifest_path: Path,
    full_refresh: bool = False,
    skip_unchanged: bool = True,
    manifest: dict[str, Any] | None = None,
) -> BuildPlan:
    """Decide between a full refresh and an incremental build.

    `manifest` is the parsed manifest that the build will run, as kept by
    `DbtSession.parse`; without it the file at `manifest_path` is read.

    Call it while holding the warehouse lock, so that no load commits
    between the plan and the build. A full refresh is chosen in four cases.
    It is requested, or no complete build is recorded. The code that
    incremental models depend on changed since the last complete build (see
    `code_fingerprint`). A raw table has fewer rows than at that build.
    Loaders only add or replace rows, so fewer rows mean rows were deleted
    by hand, which incremental models cannot see.

    NOTE: a hand deletion that a later load offsets with new rows leaves
    the count as it was, so it is not seen. The README advises a full
    refresh after deleting raw rows.

    Otherwise, with `skip_unchanged` and when no failed or `--select`
    build ran since the last complete one, the seeds and models whose code
    and inputs did not change are left out (see ingest/unchanged.py).
    Each model built before gets, as its `loaded_since`, the
    earlier of its last build's lock instant and the start of every load
    run recorded as finished after that instant. A run writes `_loaded_at`
    after it starts, and it commits its rows and its ledger row under the
    lock, so every row committed after the model's last build has a
    `_loaded_at` at or after that bound.
    """
    now = datetime.now(UTC)
    counts = _raw_row_counts(con)
    if manifest is None and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
    fingerprint = code_fingerprint(manifest)
    last = con.execute(
        "select code_fingerprint, raw_row_counts, lock_acquired_at "
        "from ops.dbt_builds order by built_at desc limit 1"
    ).fetchone()
    reason = ""
    if full_refresh:
        reason = "full refresh requested"
    elif last is None:
        reason = "no complete build recorded"
    elif last[0] != fingerprint:
        reason = "code of incremental models or their inputs changed"
    else:
        previous = json.loads(last[1])
        shrunk = sorted(
            name for name, rows in previous.items() if counts.get(name, 0) < rows
        )
        if shrunk:
            reason = f"raw rows were deleted from {', '.join(shrunk)}"
    plan = BuildPlan(
        full_refresh=bool(reason),
        reason=reason or "incremental",
        lock_acquired_at=now,
        raw_row_counts=counts,
        code_fingerprint=fingerprint,
    )
    if not plan.full_refresh:
        plan.loaded_since = _loaded_since(con)
    # Without a manifest (no build has parsed the project yet) nothing is
    # left out.
    if manifest is None:
        return plan
    plan.node_digests = node_digests(manifest, PROJECT_ROOT / "dbt_project.yml")
    if not plan.full_refresh:
        (incomplete,) = con.execute(
            "select count(*) from ops.dbt_incomplete_builds where lock_acquired_at > ?",
            [last[2]],
        ).fetchone()
        if skip_unchanged and not incomplete:
            plan.unchanged_nodes = unchanged_nodes(
                con,
                manifest,
                plan.node_digests,
                _watermarks(con),
                plan.loaded_since,
            )
        unchanged = set(plan.unchanged_nodes)
        left_out = harness_models(manifest) | {
            unique_id
            for unique_id, node in buildable_nodes(manifest).items()
            if node["name"] in unchanged
        }
        plan.skipped_tests = daily_skipped_tests(manifest, left_out)
    return plan


def _raw_row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'raw' and table_name not like '\\_dlt%' escape '\\'"
    ).fetchall()
    return {
        name: con.execute(f'select count(*) from raw."{name}"').fetchone()[0]
        for (name,) in tables
    }


def mark_started(
    con: duckdb.DuckDBPyConnection, lock_acquired_at: datetime, select: list[str]
) -> None:
    """Record a build as incomplete before dbt runs, in case it is killed.

    `record_build` removes the row when the build completes.
    """
    con.execute(
        "insert into ops.dbt_incomplete_builds values (?, false, ?)",
        [lock_acquired_at, " ".join(select)],
    )


def _watermarks(con: duckdb.DuckDBPyConnection) -> dict[str, Watermark]:
    rows = con.execute(
        "select model, lock_acquired_at, code_digest from ops.dbt_model_watermarks"
    ).fetchall()
    return {name: Watermark(built_at, digest) for name, built_at, digest in rows}


def _loaded_since(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute(
        """
        select
            marks.model,
            least(
                marks.lock_acquired_at,
                coalesce(min(runs.started_at), marks.lock_acquired_at)
            ) as loaded_since
        from ops.dbt_model_watermarks as marks
        left join ops.ingestion_runs as runs
            on runs.finished_at >= marks.lock_acquired_at
        group by marks.model, marks.lock_acquired_at
        """
    ).fetchall()
    return {model: since.astimezone(UTC).isoformat() for model, since in rows}


def record_build(
    con: duckdb.DuckDBPyConnection,
    plan: BuildPlan,
    result: DbtResult,
    select: list[str] | None,
) -> None:
    """Store each built model's watermark and, if complete, the build itself.

    A model that dbt built successfully has seen every row committed before
    the plan's lock instant, even when another node failed. The plan's code
    fingerprint (of the code this build ran) and raw row counts are stored
    only for a successful build without `--select`, because they vouch for
    every model.
    """
    built = [
        r["unique_id"].rsplit(".", 1)[-1]
        for r in result.results
        if r["unique_id"].startswith(("model.", "seed."))
        and str(r["status"]) == "success"
    ]
    for name in built:
        con.execute(
            "insert or replace into ops.dbt_model_watermarks "
            "(model, lock_acquired_at, code_digest) values (?, ?, ?)",
            [name, plan.lock_acquired_at, plan.node_digests.get(name)],
        )
    # Replace the row that mark_started wrote: removed for a complete build,
    # kept with dbt's outcome for a failed or selective one.
    con.execute(
        "delete from ops.dbt_incomplete_builds where lock_acquired_at = ?",
        [plan.lock_acquired_at],
    )
    if not result.success or select:
        con.execute(
            "insert into ops.dbt_incomplete_builds values (?, ?, ?)",
            [plan.lock_acquired_at, result.success, " ".join(select or [])],
        )
        return
    con.execute(
        "insert into ops.dbt_builds (built_at, lock_acquired_at, full_refresh, "
        "reason, code_fingerprint, raw_row_counts) values (?, ?, ?, ?, ?, ?)",
        [
            datetime.now(UTC),
            plan.lock_acquired_at,
            plan.full_refresh,
            plan.reason,
            plan.code_fingerprint,
            json.dumps(plan.raw_row_counts, sort_keys=True),
        ],
    )


def build(
    db_path: Path | None = None,
    allow_stale: bool = False,
    select: list[str] | None = None,
    full_refresh: bool = False,
) -> GateReport:
    """Run the gate and then `dbt build` (seeds, models and tests).

    Incremental unless `full_refresh` is set or `plan_build` finds that a
    full refresh is needed.

    Raises:
        BuildError: the gate failed, or dbt reported an error.
    """
    check_target()
    db_path = db_path or duckdb_path()
    prepare_warehouse(db_path)
    dbt = DbtSession(db_path)
    dbt.parse()
    report = freshness_gate(db_path, allow_stale, dbt)
    command = ["build"] + (["--select", *select] if select else [])
    with write_lock(db_path, holder="dbt build"):
        with open_database(db_path) as con:
            plan = plan_build(
                con,
                _manifest_path(db_path),
                full_refresh,
                skip_unchanged=not select,
                manifest=dbt.manifest,
            )
            mark_started(con, plan.lock_acquired_at, select or [])
        log.info("dbt build: %s", plan.reason)
        result = dbt.invoke(
            [*command, *plan.dbt_flags(selective=bool(select))], plan.dbt_env()
        )
        with open_database(db_path) as con:
            record_build(con, plan, result, select)
    if not result.success:
        failures = _failures(result)
        raise BuildError(f"dbt build failed: {failures or 'see the dbt log above'}")
    return report


def _manifest_path(db_path: Path) -> Path:
    return db_path.parent / "dbt" / "target" / "manifest.json"


def _failures(result: DbtResult) -> str:
    names = []
    for node_result in result.results:
        if str(node_result["status"]) in ("error", "fail", "runtime error"):
            name = node_result["unique_id"].split(".", 2)[-1]
            names.append(f"{name} ({node_result['status']})")
    return ", ".join(names)
