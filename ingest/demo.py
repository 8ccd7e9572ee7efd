"""`zl demo`: synthetic vendor files through the real loaders and dbt.

Each source package with a `synthetic` module writes deterministic files in
the vendor's own format. The demo loads them with the same loaders as real
data, into `data/demo.duckdb` unless `ZL_DUCKDB_PATH` is set, builds every
layer and prints a summary. Every file it writes is labelled synthetic.
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
from ingest.settings import PROJECT_ROOT
from ingest.warehouse import connect

log = logging.getLogger(__name__)

DEMO_START = date(2010, 1, 4)
DEMO_END = date(2024, 6, 28)
DEMO_SEED = 20240628
DEMO_DB = "data/demo.duckdb"


def write_landing(landing: Path) -> dict[str, list[Path]]:
    """Write each source's synthetic files into `landing/<folder>`."""
    if landing.exists():
        shutil.rmtree(landing)
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
    (landing / "README.txt").write_text(
        "SYNTHETIC DATA written by `zl demo`: seeded random walks in the "
        "vendors' file formats. Not market data.\n"
    )
    return written


def run_demo(landing: Path) -> None:
    """Write the landing folder, load it, build, and print a summary."""
    if "ZL_DUCKDB_PATH" not in os.environ:
        os.environ["ZL_DUCKDB_PATH"] = DEMO_DB
    db_path = Path(os.environ["ZL_DUCKDB_PATH"])
    if not db_path.is_absolute():
        db_path = PROJECT_ROOT / db_path
    if not landing.is_absolute():
        landing = PROJECT_ROOT / landing
    started = time.monotonic()
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(db_path.parent / f".dlt-{db_path.stem}", ignore_errors=True)

    written = write_landing(landing)
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
