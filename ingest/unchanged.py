"""Detection of the models that an incremental build may leave as they are.

A model's table depends only on its SQL, the macros it calls, its config,
dbt_project.yml and the rows of its inputs. When none of these changed
since its last successful build, rebuilding it writes the same rows, so
the daily path excludes it from `dbt build` (and, with it, the tests that
read only excluded models).

A model is left as it is when all of these hold:

- its code digest (see `model_digests`) equals the one stored at its last
  build, and its relation still exists;
- no raw table it reads has a row with `_loaded_at` at or after the
  model's `loaded_since` bound (see `ingest.build.plan_build`);
- the seeds it reads are unchanged and every model it reads is left as
  it is too;
- its SQL and macros do not read the clock (`current_date`, `now()` and
  the like), whose output changes from one day to the next.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from ingest.schema import LOADED_AT

# SQL and Jinja that make a model's output depend on when it runs.
_CLOCK = re.compile(
    r"\b(current_date|current_timestamp|localtimestamp|today\s*\(|now\s*\("
    r"|get_current_time|run_started_at|modules\.datetime)",
    re.IGNORECASE,
)


def _macro_closure(manifest: dict[str, Any], start: Iterable[str]) -> list[str]:
    """Return the project macros reachable from `start`, sorted by id."""
    macros = manifest["macros"]
    project = manifest["metadata"].get("project_name", "zl")
    pending, seen = list(start), set()
    while pending:
        unique_id = pending.pop()
        macro = macros.get(unique_id)
        if unique_id in seen or macro is None or macro["package_name"] != project:
            continue
        seen.add(unique_id)
        pending += macro.get("depends_on", {}).get("macros", [])
    return sorted(seen)


def _models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }


def model_digests(manifest: dict[str, Any], project_file: Path) -> dict[str, str]:
    """Return a SHA-256 per model name over everything that decides its SQL.

    That is the model's own file (dbt's checksum), its resolved config, the
    text of every project macro it calls directly or through other macros,
    dbt_project.yml and the dbt version.
    """
    macros = manifest["macros"]
    shared = project_file.read_bytes() + manifest["metadata"]["dbt_version"].encode()
    digests = {}
    for node in _models(manifest).values():
        digest = hashlib.sha256(shared)
        digest.update(node["checksum"]["checksum"].encode())
        digest.update(json.dumps(node["config"], sort_keys=True, default=str).encode())
        for unique_id in _macro_closure(manifest, node["depends_on"]["macros"]):
            digest.update(unique_id.encode() + b"\0")
            digest.update(macros[unique_id]["macro_sql"].encode() + b"\0")
        digests[node["name"]] = digest.hexdigest()
    return digests


def reads_clock(manifest: dict[str, Any], node: dict[str, Any]) -> bool:
    """Return whether a model's SQL or its project macros read the clock."""
    texts = [node["raw_code"]] + [
        manifest["macros"][unique_id]["macro_sql"]
        for unique_id in _macro_closure(manifest, node["depends_on"]["macros"])
    ]
    return any(_CLOCK.search(text) for text in texts)


def latest_loads(con: duckdb.DuckDBPyConnection) -> dict[str, datetime | None]:
    """Return each raw table's latest `_loaded_at` in UTC, None when it has no rows.

    A raw table without a `_loaded_at` column is missing from the result,
    which counts as changed.
    """
    tables = con.execute(
        "select table_name from information_schema.columns "
        "where table_schema = 'raw' and column_name = ?",
        [LOADED_AT],
    ).fetchall()
    latest = {}
    for (name,) in tables:
        (value,) = con.execute(
            f'select max("{LOADED_AT}") from raw."{name}"'
        ).fetchone()
        if isinstance(value, datetime) and value.tzinfo is None:
            # A plain TIMESTAMP column stores UTC.
            value = value.replace(tzinfo=UTC)
        latest[name] = value
    return latest


def _existing_relations(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables"
    ).fetchall()
    return {(schema, name) for schema, name in rows}


def unchanged_models(
    con: duckdb.DuckDBPyConnection,
    manifest_path: Path,
    digests: dict[str, str],
    stored_digests: dict[str, str],
    loaded_since: dict[str, str],
    seeds_current: bool,
) -> list[str]:
    """Return the names of the models whose inputs and code did not change.

    `digests` contains each model's code digest now (see `model_digests`),
    `stored_digests` the one at its last successful build, and
    `loaded_since` its bound for new raw rows (ISO timestamps). The
    manifest must be the one parsed from the code about to be built.
    """
    if not manifest_path.exists():
        return []
    manifest = json.loads(manifest_path.read_text())
    models = _models(manifest)
    loads = latest_loads(con)
    relations = _existing_relations(con)
    sources = manifest["sources"]
    unchanged: set[str] = set()

    def inputs_unchanged(node: dict[str, Any], since: datetime) -> bool:
        for parent in node["depends_on"]["nodes"]:
            kind = parent.split(".", 1)[0]
            if kind == "seed" and not seeds_current:
                return False
            if kind == "model" and parent not in unchanged:
                return False
            if kind == "source":
                source = sources.get(parent)
                if source is None or source["schema"] != "raw":
                    return False
                table = source["identifier"]
                if table not in loads:
                    return False
                latest = loads[table]
                if latest is not None and latest >= since:
                    return False
        return True

    # The manifest lists parents before children only by chance, so repeat
    # until no more models qualify.
    growing = True
    while growing:
        growing = False
        for unique_id, node in models.items():
            name = node["name"]
            if unique_id in unchanged or name not in loaded_since:
                continue
            if (
                stored_digests.get(name) == digests[name]
                and (node["schema"], node["alias"]) in relations
                and not reads_clock(manifest, node)
                and inputs_unchanged(node, datetime.fromisoformat(loaded_since[name]))
            ):
                unchanged.add(unique_id)
                growing = True
    return sorted(models[unique_id]["name"] for unique_id in unchanged)
