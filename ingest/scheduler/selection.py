"""The dbt nodes that a source job builds, derived from the source's tables.

dbt sources are declared in `models/staging/_sources.yml` (source `raw`)
and in `models/staging/<source>/*.yml` (sources named `raw_<source>`). For
each table of a `SourceSpec`, the declaring dbt source is looked up in
those files. `dbt ls --resource-type model --select
source:<dbt source>.<table>+` then lists the models downstream of it, and
the ones under `models/staging/` are the source's staging models.

`dbt ls` parses the whole project (several seconds), so its result is kept
in memory until a file under `models/` or `dbt_project.yml` changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingest.settings import PROJECT_ROOT
from ingest.source import SourceSpec

log = logging.getLogger(__name__)

STAGING_DIR = "models/staging"

_cache: dict[tuple[str, ...], tuple[str, list[str]]] = {}
_cache_lock = threading.Lock()


class SelectionError(RuntimeError):
    """Raised when `dbt ls` fails or returns output that cannot be read."""


@dataclass(frozen=True)
class FreshnessRule:
    """A table's dbt source freshness thresholds, in hours (None: no rule)."""

    loaded_at_field: str
    warn_after_h: float | None
    error_after_h: float | None


@dataclass(frozen=True)
class DbtTable:
    """One table as dbt declares it: its dbt source, schema and freshness."""

    dbt_source: str
    schema: str
    table: str
    freshness: FreshnessRule

    @property
    def selector(self) -> str:
        return f"source:{self.dbt_source}.{self.table}"


def declared_tables(project_root: Path = PROJECT_ROOT) -> dict[str, list[DbtTable]]:
    """Return every table declared as a dbt source under `models/staging`."""
    found: dict[str, list[DbtTable]] = {}
    for path in sorted((project_root / STAGING_DIR).rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in document.get("sources") or []:
            name = source["name"]
            schema = source.get("schema", name)
            for table in source.get("tables") or []:
                rule = _freshness(source, table)
                entry = DbtTable(name, schema, table["name"], rule)
                found.setdefault(table["name"], []).append(entry)
    return found


def source_tables(
    spec: SourceSpec, project_root: Path = PROJECT_ROOT
) -> list[DbtTable]:
    """Return the dbt source tables of `spec`'s raw tables, in spec order.

    A raw table that no dbt source declares is logged and left out.
    """
    declared = declared_tables(project_root)
    tables = []
    for table in spec.tables:
        matches = declared.get(table.name)
        if not matches:
            log.warning(
                "%s: raw table %s is not a dbt source under %s; no staging model "
                "reads it",
                spec.name,
                table.name,
                STAGING_DIR,
            )
            continue
        tables.extend(matches)
    return tables


def staging_models(
    spec: SourceSpec, db_path: Path, project_root: Path = PROJECT_ROOT
) -> list[str]:
    """Return the names of `spec`'s staging models, from `dbt ls`.

    Raises:
        SelectionError: `dbt ls` failed.
    """
    selectors = tuple(f"{t.selector}+" for t in source_tables(spec, project_root))
    if not selectors:
        return []
    fingerprint = _project_fingerprint(project_root)
    with _cache_lock:
        cached = _cache.get(selectors)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    nodes = list_models(selectors, db_path.parent / "dbt" / f"ls-{spec.name}")
    prefix = STAGING_DIR + "/"
    models = sorted(
        node["name"] for node in nodes if node["original_file_path"].startswith(prefix)
    )
    log.info("%s: staging models from dbt ls: %s", spec.name, models or "none")
    with _cache_lock:
        _cache[selectors] = (fingerprint, models)
    return models


def build_selection(models: list[str]) -> list[str]:
    """Return `dbt build --select` arguments for staging models.

    Besides the models, the seeds and staging models they read from are
    built, so the first run in a new warehouse does not fail on a missing
    parent.
    """
    selection: list[str] = []
    for model in models:
        selection.append(model)
        selection.append(f"+{model},resource_type:seed")
        selection.append(f"+{model},path:{STAGING_DIR}")
    return selection


def list_models(selectors: tuple[str, ...], work_dir: Path) -> list[dict[str, Any]]:
    """Run `dbt ls` for models matching `selectors`; return name and file path.

    `work_dir` receives dbt's target and logs. `dbt ls` does not open the
    warehouse, so it runs without the lock, but two runs must not share a
    target folder.
    """
    executable = Path(sys.executable).with_name("dbt")
    program = str(executable) if executable.exists() else "dbt"
    command = [
        program,
        "ls",
        "--resource-type",
        "model",
        "--select",
        *selectors,
        "--output",
        "json",
        "--output-keys",
        "name",
        "original_file_path",
        "--quiet",
        "--project-dir",
        str(PROJECT_ROOT),
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    log.info("dbt ls --select %s", " ".join(selectors))
    completed = subprocess.run(
        command, capture_output=True, text=True, check=False, env=dict(os.environ)
    )
    if completed.returncode != 0:
        detail = (completed.stdout + completed.stderr).strip().splitlines()
        raise SelectionError(
            f"dbt ls --select {' '.join(selectors)} failed: "
            f"{' '.join(detail[-3:]) or 'no output'}"
        )
    nodes = []
    for line in completed.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            nodes.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise SelectionError(f"dbt ls printed invalid JSON: {line}") from exc
    return nodes


def _freshness(source: dict[str, Any], table: dict[str, Any]) -> FreshnessRule:
    loaded_at = table.get("loaded_at_field", source.get("loaded_at_field", ""))
    rule = table["freshness"] if "freshness" in table else source.get("freshness")
    if not rule:
        return FreshnessRule(loaded_at, None, None)
    return FreshnessRule(
        loaded_at, _hours(rule.get("warn_after")), _hours(rule.get("error_after"))
    )


def _hours(threshold: dict[str, Any] | None) -> float | None:
    if not threshold or threshold.get("count") is None:
        return None
    per = {"minute": 1 / 60, "hour": 1.0, "day": 24.0}
    return float(threshold["count"]) * per[threshold["period"]]


def _project_fingerprint(project_root: Path) -> str:
    digest = hashlib.sha256()
    paths = [project_root / "dbt_project.yml", *(project_root / "models").rglob("*")]
    for path in sorted(paths):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()
