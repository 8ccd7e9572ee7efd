"""Detection of the seeds and models that an incremental build may leave as they are.

A model's table depends only on its SQL, the macros it calls, its config,
dbt_project.yml, the engine's versions and the rows of its inputs. A seed's
table depends only on its file and config. When none of these changed since
a node's last successful build, rebuilding it writes the same rows, so the
daily path excludes it from `dbt build`, with the tests that read only
excluded nodes. A change to a test counts as a change to the nodes it reads,
so a new or edited test runs on the next build.

A seed is left as it is when its digest (see `node_digests`) equals the one
stored at its last load and its table exists. A model is left as it is
when all of these hold:

- its digest equals the one stored at its last build, and its relation
  exists;
- no raw table it reads has a row with `_loaded_at` at or after the
  model's `loaded_since` bound (see `ingest.build.plan_build`);
- every seed and model it reads is left as it is too, and was last built
  no later than this model, so no parent changed after this model read it;
- its SQL and macros do not read the clock (`current_date`, `now()` and
  the like), whose output changes from one day to the next.

Raw rows are assumed to change only through loads, which write a new
`_loaded_at`. A raw row edited in place by hand, keeping its `_loaded_at`,
is not seen; `zl build --full-refresh` rebuilds from it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb

from ingest.schema import LOADED_AT

# SQL and Jinja that make a model's output depend on when it runs.
_CLOCK = re.compile(
    r"\b(current_date|current_time|current_timestamp|current_localtime"
    r"|current_localtimestamp|localtime|localtimestamp|transaction_timestamp"
    r"|get_current_time|today\s*\(|now\s*\(|run_started_at|modules\.datetime)",
    re.IGNORECASE,
)

# Packages whose version can change what the same SQL writes.
_ENGINE_PACKAGES = ("duckdb", "dbt-core", "dbt-duckdb")


@dataclass(frozen=True)
class Watermark:
    """A node's last successful build: its lock instant and code digest."""

    built_at: datetime
    digest: str | None


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


def buildable_nodes(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the seeds and models of a parsed manifest by unique id."""
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "seed")
    }


def _engine_versions() -> bytes:
    versions = []
    for package in _ENGINE_PACKAGES:
        try:
            versions.append(f"{package}=={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    return ";".join(versions).encode()


def node_digests(manifest: dict[str, Any], project_file: Path) -> dict[str, str]:
    """Return a SHA-256 per seed and model name over everything that decides it.

    The digest covers the node's own file (dbt's checksum), its resolved
    config, its YAML columns and description, and the text of every
    project macro it calls, directly or through other macros. It also
    covers the definition of every test that reads the node,
    dbt_project.yml and the versions of DuckDB, dbt-core and dbt-duckdb.
    """
    macros = manifest["macros"]
    shared = project_file.read_bytes() + _engine_versions()
    tests_by_parent: dict[str, list[str]] = {}
    for _, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "test":
            continue
        # A generic test's SQL is in its test macro, so that text counts too.
        test_macros = _macro_closure(manifest, node["depends_on"].get("macros", []))
        definition = json.dumps(
            [
                node.get("raw_code", ""),
                node.get("test_metadata"),
                node["config"],
                node["depends_on"]["nodes"],
                [macros[macro_id]["macro_sql"] for macro_id in test_macros],
            ],
            sort_keys=True,
            default=str,
        )
        for parent in node["depends_on"]["nodes"]:
            tests_by_parent.setdefault(parent, []).append(definition)
    digests = {}
    for unique_id, node in buildable_nodes(manifest).items():
        digest = hashlib.sha256(shared)
        digest.update(node["checksum"]["checksum"].encode())
        # Column types, constraints and descriptions (persisted as comments)
        # live in YAML, outside the file's checksum.
        properties = [node["config"], node.get("columns"), node.get("description")]
        digest.update(json.dumps(properties, sort_keys=True, default=str).encode())
        for macro_id in _macro_closure(manifest, node["depends_on"].get("macros", [])):
            digest.update(macro_id.encode() + b"\0")
            digest.update(macros[macro_id]["macro_sql"].encode() + b"\0")
        for definition in tests_by_parent.get(unique_id, []):
            digest.update(definition.encode() + b"\0")
        digests[node["name"]] = digest.hexdigest()
    return digests


def reads_clock(manifest: dict[str, Any], node: dict[str, Any]) -> bool:
    """Return whether a model's SQL or its project macros read the clock."""
    texts = [node.get("raw_code", "")] + [
        manifest["macros"][unique_id]["macro_sql"]
        for unique_id in _macro_closure(manifest, node["depends_on"].get("macros", []))
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
        query = f'select max("{LOADED_AT}") from raw."{name}"'
        (value,) = con.execute(query).fetchone()
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


def unchanged_nodes(
    con: duckdb.DuckDBPyConnection,
    manifest: dict[str, Any],
    digests: dict[str, str],
    watermarks: dict[str, Watermark],
    loaded_since: dict[str, str],
) -> list[str]:
    """Return the names of the seeds and models whose inputs and code did not change.

    `digests` contains each node's digest now (see `node_digests`),
    `watermarks` each node's last successful build, and `loaded_since`
    each model's bound for new raw rows (ISO timestamps). `manifest` must
    be the one parsed from the code about to be built.
    """
    nodes = buildable_nodes(manifest)
    loads = latest_loads(con)
    relations = _existing_relations(con)
    sources = manifest["sources"]
    unchanged: set[str] = set()

    def same_code(node: dict[str, Any]) -> bool:
        mark = watermarks.get(node["name"])
        return (
            mark is not None
            and mark.digest == digests[node["name"]]
            and (node["schema"], node["alias"]) in relations
        )

    def source_unchanged(parent: str, since: datetime) -> bool:
        source = sources.get(parent)
        if source is None or source["schema"] != "raw":
            return False
        table = source["identifier"]
        if table not in loads:
            return False
        latest = loads[table]
        return latest is None or latest < since

    def inputs_unchanged(node: dict[str, Any]) -> bool:
        name = node["name"]
        if name not in loaded_since or reads_clock(manifest, node):
            return False
        since = datetime.fromisoformat(loaded_since[name])
        for parent in node["depends_on"]["nodes"]:
            if parent.startswith("source."):
                if not source_unchanged(parent, since):
                    return False
                continue
            if parent not in unchanged:
                return False
            # A parent built after this model changed after this model read it.
            if watermarks[nodes[parent]["name"]].built_at > watermarks[name].built_at:
                return False
        return True

    for unique_id, node in nodes.items():
        if node["resource_type"] == "seed" and same_code(node):
            unchanged.add(unique_id)
    # The manifest lists parents before children only by chance, so repeat
    # until no more models qualify.
    growing = True
    while growing:
        growing = False
        for unique_id, node in nodes.items():
            if (
                unique_id not in unchanged
                and node["resource_type"] == "model"
                and same_code(node)
                and inputs_unchanged(node)
            ):
                unchanged.add(unique_id)
                growing = True
    return sorted(nodes[unique_id]["name"] for unique_id in unchanged)
