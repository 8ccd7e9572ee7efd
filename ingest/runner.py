"""Run one source end to end: read or fetch, then load into `raw` with dlt.

Parsing and dlt's extract and normalize steps run without the warehouse
lock, so many sources can work at once. Only dlt's load step and the ledger
writes hold it. Rows are merged on each table's natural key, so a rerun of
the same input adds nothing.
"""

from __future__ import annotations

import logging
import os
import pkgutil
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from pathlib import Path

import dlt
import pyarrow as pa
import pyarrow.compute as pc

import ingest
from ingest import ledger
from ingest.registry import get_source
from ingest.schema import TableSpec
from ingest.scrub import scrub
from ingest.settings import duckdb_path
from ingest.source import Batch, LoadContext, NoLiveApiError, Window
from ingest.warehouse import (
    check_target,
    dlt_destination,
    ensure_schemas,
    open_database,
    write_lock,
)

log = logging.getLogger(__name__)

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")


class LoadError(RuntimeError):
    """Raised when a source's load fails; the message is already scrubbed."""


@dataclass
class RunResult:
    """Outcome of one source's load."""

    source: str
    status: str  # success, skipped or failed
    mode: str
    run_id: str = ""
    rows_loaded: dict[str, int] = field(default_factory=dict)
    skips: Counter[str] = field(default_factory=Counter)
    lock_wait_s: float = 0.0
    duration_s: float = 0.0
    message: str = ""

    @property
    def total_rows(self) -> int:
        return sum(self.rows_loaded.values())


def load_source(
    name: str,
    from_dir: Path | None = None,
    window: Window | None = None,
    db_path: Path | None = None,
) -> RunResult:
    """Load one source from files in `from_dir/<folder>` or from its live API.

    Returns a `skipped` result when the landing folder has no sub-folder for
    the source, or when the source has no live API.

    Raises:
        LoadError: reading, parsing or loading failed. The failure is
            recorded in `ops.ingestion_runs` first; rows already in `raw`
            are untouched because dlt loads each package in a transaction.
    """
    spec = get_source(name)
    check_target()
    db_path = db_path or duckdb_path()
    window = window or Window()
    mode = "files" if from_dir is not None else "api"
    started = datetime.now(UTC)
    run_id = f"{name}-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    result = RunResult(source=name, status="success", mode=mode, run_id=run_id)
    clock = time.monotonic()
    ctx = LoadContext(source=name, window=window, retry=spec.retry)

    if from_dir is not None:
        folder = Path(from_dir) / spec.folder
        if not folder.is_dir():
            result.status = "skipped"
            result.message = f"no folder {folder}"
            log.info("%s: skipped, %s", name, result.message)
            return result

    log.info("%s: load started (%s, run %s)", name, mode, run_id)
    try:
        if from_dir is not None:
            batches = spec.read_files(folder, ctx)
        else:
            batches = spec.fetch_api(ctx)
        tables = collect_batches(batches, ctx)
        result.rows_loaded = {t.name: tables[t].num_rows for t in tables}
        result.skips = ctx.skips
        pipeline = _pipeline(name, db_path, run_id)
        resources = [t.resource([tables[t]]) for t in tables if tables[t].num_rows]
        if resources:
            pipeline.extract(resources)
            pipeline.normalize()
        with write_lock(db_path, holder=name) as waited:
            result.lock_wait_s = waited
            if resources:
                pipeline.load().raise_on_failed_jobs()
            run = _record(result, started)
            with open_database(db_path) as con:
                ensure_schemas(con)
                ledger.record_run(con, run)
                ledger.record_completion(con, run)
    except NoLiveApiError as exc:
        result.status = "skipped"
        result.message = str(exc)
        log.info("%s: skipped, %s", name, exc)
        return result
    except Exception as exc:  # noqa: BLE001 - recorded, then re-raised scrubbed
        result.status = "failed"
        result.message = scrub(f"{type(exc).__name__}: {exc}")
        _record_failure(result, started, db_path)
        raise LoadError(f"{name}: load failed: {result.message}") from None
    finally:
        result.duration_s = time.monotonic() - clock
        # The packages hold parsed rows, which may quote a vendor's echo of
        # a key; once loaded or failed they are of no further use.
        shutil.rmtree(_work_dir(db_path, run_id), ignore_errors=True)

    log.info(
        "%s: load finished in %.1f s: %s rows, %d skipped %s",
        name,
        result.duration_s,
        result.rows_loaded,
        sum(result.skips.values()),
        dict(result.skips) if result.skips else "",
    )
    return result


def collect_batches(
    batches: Iterable[Batch], ctx: LoadContext
) -> dict[TableSpec, pa.Table]:
    """Concatenate batches per table and keep the last row of each key.

    A key repeated in the input (the same bar in two overlapping files, a
    post returned on two pages) is stored once, and the repeats are counted
    as skips under "duplicate key in input".
    """
    grouped: dict[TableSpec, list[pa.Table]] = {}
    for spec, table in batches:
        if table.schema != spec.arrow_schema():
            table = table.cast(spec.arrow_schema())
        grouped.setdefault(spec, []).append(table)
    merged = {}
    for spec, parts in grouped.items():
        table = pa.concat_tables(parts)
        deduped = _keep_last_per_key(table, list(spec.primary_key))
        repeats = table.num_rows - deduped.num_rows
        if repeats:
            ctx.skip("duplicate key in input", f"{spec.name}", count=repeats)
        merged[spec] = deduped
    return merged


def _keep_last_per_key(table: pa.Table, keys: list[str]) -> pa.Table:
    if table.num_rows == 0:
        return table
    indexed = table.append_column("__row", pa.array(range(table.num_rows)))
    last = indexed.group_by(keys, use_threads=False).aggregate([("__row", "max")])
    keep = pc.sort_indices(last["__row_max"])
    rows = pc.take(last["__row_max"], keep)
    return table.take(rows)


def _pipeline(name: str, db_path: Path, run_id: str) -> dlt.Pipeline:
    """Create the run's dlt pipeline in a working folder of its own.

    Two runs of one source may overlap (two shells, a retry next to a
    scheduled run), so a shared working folder would let one run delete the
    other's load packages. The folder is removed when the run ends.
    """
    pipelines_dir = _work_dir(db_path, run_id)
    return dlt.pipeline(
        pipeline_name=f"zl_{name}",
        destination=dlt_destination(db_path),
        dataset_name="raw",
        pipelines_dir=str(pipelines_dir),
    )


def _work_dir(db_path: Path, run_id: str) -> Path:
    return db_path.parent / f".dlt-{db_path.stem}" / run_id


def _record(result: RunResult, started: datetime) -> ledger.RunRecord:
    return ledger.RunRecord(
        run_id=result.run_id,
        source=result.source,
        mode=result.mode,
        started_at=started,
        finished_at=datetime.now(UTC),
        status=result.status,
        rows_loaded=result.total_rows,
        rows_skipped=sum(result.skips.values()),
        lock_wait_s=result.lock_wait_s,
        error=result.message or None,
    )


def _record_failure(result: RunResult, started: datetime, db_path: Path) -> None:
    log.error("%s: load failed: %s", result.source, result.message)
    # Nothing of a failed run is committed, whatever was parsed.
    result.rows_loaded = {}
    try:
        with (
            write_lock(db_path, holder=result.source),
            open_database(db_path) as con,
        ):
            ensure_schemas(con)
            ledger.record_run(con, _record(result, started))
    except Exception as exc:  # noqa: BLE001 - the original error matters more
        log.error("%s: could not record the failed run: %s", result.source, exc)


def _load_one(args: tuple[str, Path | None, Window, Path]) -> RunResult:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    name, from_dir, window, db_path = args
    try:
        return load_source(name, from_dir, window, db_path)
    except LoadError as exc:
        return RunResult(source=name, status="failed", mode="", message=str(exc))


def load_many(
    names: list[str],
    from_dir: Path | None = None,
    window: Window | None = None,
    db_path: Path | None = None,
    max_workers: int | None = None,
) -> list[RunResult]:
    """Load several sources at once, one process each, sharing one warehouse.

    A failing source does not stop the others, and its result has status
    `failed`.
    """
    db_path = db_path or duckdb_path()
    window = window or Window()
    jobs = [(name, from_dir, window, db_path) for name in names]
    for name in names:
        get_source(name)
    workers = max_workers or len(jobs) or 1
    with ProcessPoolExecutor(workers, mp_context=_worker_context()) as pool:
        return list(pool.map(_load_one, jobs))


def _worker_context() -> BaseContext:
    """Return a forkserver context that imports the loaders once.

    Importing dlt, pyarrow and a source package takes seconds of CPU per
    process. The fork server imports them once and forks each worker from
    that state, so N workers do not repeat the imports. The server itself
    is a fresh process that has run no loads, which keeps forking safe. On
    a platform without fork (Windows) it falls back to spawn.
    """
    if "forkserver" not in get_all_start_methods():
        return get_context("spawn")
    context = get_context("forkserver")
    # Workers look sources up through the registry, which imports every
    # source package, so preload them all rather than only `names`.
    packages = [
        f"ingest.{module.name}"
        for module in pkgutil.iter_modules(ingest.__path__)
        if module.ispkg
    ]
    context.set_forkserver_preload(["ingest.runner", *packages])
    return context
