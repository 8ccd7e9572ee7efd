"""`zl demo`: synthetic vendor files through the real loaders and dbt.

Each source package with a `synthetic` module writes deterministic files in
the vendor's own format. The demo loads them with the same loaders as real
data, into `data/demo.duckdb` unless `ZL_DUCKDB_PATH` is set, builds every
layer and prints a summary. Every file it writes is labelled synthetic.

The demo starts from scratch, so it deletes its landing folder and its
warehouse first. It deletes only what an earlier demo wrote: a landing
folder holding the demo's label file (or nothing), and a warehouse holding
the demo's `ops.demo_runs` table. Anything else stops it with an error.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import time
from datetime import date
from pathlib import Path

import duckdb

from ingest.build import build
from ingest.registry import sources
from ingest.runner import LoadError, load_many
from ingest.settings import PROJECT_ROOT, target
from ingest.warehouse import connect

log = logging.getLogger(__name__)

DEMO_START = date(2010, 1, 4)
DEMO_END = date(2024, 6, 28)
DEMO_SEED = 20240628
DEMO_DB = "data/demo.duckdb"

# The first line of the label file in every demo landing folder.
LANDING_LABEL = "SYNTHETIC DATA written by `zl demo`"

# The table that marks a warehouse as the demo's own.
DEMO_MARKER_TABLE = "demo_runs"


def _check_landing_replaceable(landing: Path) -> None:
    """Raise unless `landing` is missing, empty or an earlier demo's folder.

    Raises:
        FileExistsError: the folder contains files that the demo did not write.
    """
    if landing.is_symlink():
        raise FileExistsError(
            f"{landing} is a symbolic link; pass --landing the folder it points to"
        )
    if not landing.exists():
        return
    if landing.is_dir() and not any(landing.iterdir()):
        return
    label = landing / "README.txt"
    if label.is_file() and label.read_text(errors="replace").startswith(LANDING_LABEL):
        return
    raise FileExistsError(
        f"{landing} exists and was not written by zl demo, which deletes its "
        "landing folder first; pass --landing with a new or empty folder"
    )


def _check_warehouse_replaceable(db_path: Path) -> None:
    """Raise unless `db_path` is missing or a warehouse an earlier demo wrote.

    Raises:
        FileExistsError: the file is not a demo warehouse.
    """
    if not db_path.exists():
        return
    try:
        with connect(db_path, holder="demo", read_only=True) as con:
            (marked,) = con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'ops' and table_name = ?",
                [DEMO_MARKER_TABLE],
            ).fetchone()
    except duckdb.Error as exc:
        raise FileExistsError(
            f"{db_path} exists and could not be read as a DuckDB file ({exc}); "
            "unset ZL_DUCKDB_PATH or point it at a new file"
        ) from None
    if not marked:
        raise FileExistsError(
            f"{db_path} is not a zl demo warehouse, and the demo deletes its "
            "warehouse first; unset ZL_DUCKDB_PATH or point it at a new file"
        )


def _mark_demo_warehouse(db_path: Path) -> None:
    with connect(db_path, holder="demo") as con:
        con.execute("create schema if not exists ops")
        con.execute(
            f"create table ops.{DEMO_MARKER_TABLE} (started_at timestamptz not null)"
        )
        con.execute(f"insert into ops.{DEMO_MARKER_TABLE} values (now())")


def write_landing(landing: Path) -> dict[str, list[Path]]:
    """Write each source's synthetic files into `landing/<folder>`.

    Raises:
        FileExistsError: `landing` contains files that no demo wrote.
    """
    _check_landing_replaceable(landing)
    if landing.exists():
        shutil.rmtree(landing)
    # The label goes first, so that a demo stopped half way can still
    # replace the folder on its next run.
    landing.mkdir(parents=True)
    (landing / "README.txt").write_text(
        f"{LANDING_LABEL}: seeded random walks in the "
        "vendors' file formats. Not market data.\n"
    )
    written: dict[str, list[Path]] = {}
    for name, spec in sources().items():
        try:
            module = importlib.import_module(f"ingest.{name}.synthetic")
        except ModuleNotFoundError:
            log.info("%s has no synthetic data writer; not in the demo", name)
            continue
        folder = landing / spec.folder
        folder.mkdir(parents=True, exist_ok=True)
        written[name] = module.write_synthetic(folder, DEMO_START, DEMO_END, DEMO_SEED)
    return written


def run_demo(landing: Path) -> None:
    """Write the landing folder, load it, build, and print a summary.

    Raises:
        FileExistsError: the landing folder or the warehouse was not
            written by an earlier demo.
        ValueError: the target is not the local DuckDB file.
    """
    if target() != "local":
        raise ValueError(
            "zl demo writes synthetic data, so it runs only on the local DuckDB "
            "file; unset ZL_DBT_TARGET"
        )
    # The default demo file is the demo's own, even if an older version of
    # the demo wrote it without the marker table.
    own_file = "ZL_DUCKDB_PATH" not in os.environ
    if own_file:
        os.environ["ZL_DUCKDB_PATH"] = DEMO_DB
    db_path = Path(os.environ["ZL_DUCKDB_PATH"])
    if not db_path.is_absolute():
        db_path = PROJECT_ROOT / db_path
    if not landing.is_absolute():
        landing = PROJECT_ROOT / landing
    started = time.monotonic()
    if not own_file:
        _check_warehouse_replaceable(db_path)
    # write_landing checks the landing folder before deleting anything, so
    # both checks pass before the warehouse goes.
    written = write_landing(landing)
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(db_path.parent / f".dlt-{db_path.stem}", ignore_errors=True)
    _mark_demo_warehouse(db_path)
    log.info("wrote synthetic files for %s into %s", sorted(written), landing)
    results = load_many(sorted(written), landing, db_path=db_path)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise LoadError("; ".join(r.message for r in failed))
    build(db_path)
    _print_summary(db_path, landing, time.monotonic() - started)


def _print_summary(db_path: Path, landing: Path, elapsed_s: float) -> None:
    with connect(db_path, holder="demo", read_only=True) as con:
        layers = con.execute(
            """
            select table_schema, count(*) as relations, list(table_name) as names
            from information_schema.tables
            where table_schema in ('raw', 'staging', 'features', 'training', 'ops')
              and table_name not like '\\_dlt%' escape '\\'
            group by table_schema
            order by table_schema
            """
        ).fetchall()
        print("zl demo (SYNTHETIC data)")
        print(f"  landing folder: {landing}")
        print(f"  DuckDB file:    {db_path}")
        print(f"  wall time:      {elapsed_s:.1f} s")
        print("  rows per layer:")
        for schema, _, names in layers:
            counts = [(n, _count(con, schema, n)) for n in sorted(names)]
            total = sum(c for _, c in counts)
            print(f"    {schema:<9} {total:>10} rows in {len(counts)} relations")
            for name, count in counts:
                print(f"      {schema}.{name:<40} {count:>9}")
        print("  splits:")
        for split in ("train", "val", "test"):
            first, last, n = con.execute(
                f"select min(trade_date), max(trade_date), count(*) "
                f"from training.daily_ml_matrix_{split}"
            ).fetchone()
            print(f"    {split:<5} {first} .. {last} ({n} rows)")


def _count(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> int:
    return con.execute(f'select count(*) from {schema}."{name}"').fetchone()[0]
