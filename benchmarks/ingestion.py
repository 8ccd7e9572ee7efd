"""Ingestion benchmarks on the scaled data set: parallel loads and bulk loading.

1. Parallel ingestion. Every source is loaded at once into a fresh
   warehouse, then each source alone (`zl load <name>`, one after another)
   into another. Sources with an API client fetch from the loopback vendor
   server (`benchmarks/vendor_server.py`, 200 ms per page by default). The
   others (Databento, vendor price files, USDA) read landing files. Every
   load is a `zl` child process, so process start-up counts. Because one
   `zl load` reads either files or APIs, the parallel run is two `zl load`
   processes started together: the API sources and the file sources, each
   through the runner's parallel path (`load_many`).
2. Bulk loading. The parsed rows of the largest tables (market bars, FRED
   vintages, news buckets) are loaded the project's way: Arrow tables into
   dlt, merged on the natural key. The same rows are then loaded through
   dlt's row path: Python dicts, `insert_values` files, the same merge
   hints. Each load writes a fresh DuckDB file, and parsing is not timed.

Run with `python -m benchmarks.ingestion` (5 years of data by default) or
`--years 25` for the full scaled data set.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dlt
import duckdb
import pyarrow as pa

from benchmarks.compare import Comparison
from benchmarks.scaled import FULL_SCALE, TINY_SCALE, Scale, write_scaled_landing
from benchmarks.vendor_server import PAGE_DELAY_S, VendorServer
from ingest.registry import get_source, sources
from ingest.runner import collect_batches
from ingest.schema import TableSpec
from ingest.source import LoadContext

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Sources fetched from the vendor server; the rest read landing files.
API_SOURCES = ("cftc", "eia", "fred", "news", "truthsocial", "weather")
# Years of the default run, which takes about 5 minutes on 2 CPUs; the
# bulk row-path loads alone take about 6 minutes at 25 years there.
DEFAULT_YEARS = 5
PARALLEL_TARGET = 1.3
BULK_TARGET = 10.0
# Source and raw table of each bulk-loading comparison.
BULK_TABLES = (
    ("databento", "databento_futures_ohlcv_1d", "market bars"),
    ("fred", "fred_economic", "FRED vintages"),
    ("news", "scrapecreators_news_buckets", "news buckets"),
)
# Settings of every child process and of in-process parsing. The lexicon
# scorer is offline (FinBERT would try to download its weights), and dlt
# telemetry is off, so nothing leaves the machine.
_OFFLINE_ENV = {
    "ZL_SENTIMENT_SCORER": "lexicon",
    "HF_HUB_OFFLINE": "1",
    "RUNTIME__DLTHUB_TELEMETRY": "false",
}
_FINISHED = re.compile(r"(\w+): load finished in ([\d.]+) s")
_LOCK_WAIT = re.compile(r"(\w+): acquired warehouse lock after ([\d.]+) s")


@dataclass
class ChildRun:
    """Wall time, CPU time and log of one or more `zl` child processes."""

    wall_s: float
    cpu_s: float
    stderr: str = ""

    def source_times(self) -> dict[str, float]:
        """Return each source's `load finished in` seconds from the log."""
        return {m[1]: float(m[2]) for m in _FINISHED.finditer(self.stderr)}

    def lock_waits(self) -> dict[str, float]:
        """Return the seconds each source waited for the warehouse lock."""
        return {m[1]: float(m[2]) for m in _LOCK_WAIT.finditer(self.stderr)}


@dataclass
class LoadPlan:
    """The load mode of each source (vendor server or files) and the window."""

    landing: Path
    start: str
    end: str
    api_sources: list[str] = field(default_factory=list)
    file_sources: list[str] = field(default_factory=list)

    def args(self, names: list[str], api: bool) -> list[str]:
        if api:
            return ["load", *names, "--start", self.start, "--end", self.end]
        return ["load", *names, "--from-dir", str(self.landing)]

    def is_api(self, name: str) -> bool:
        return name in self.api_sources


def _zl() -> list[str]:
    return [sys.executable, "-m", "ingest.cli"]


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_children(commands: list[list[str]], env: dict[str, str]) -> ChildRun:
    """Start every `zl` command at once and wait for all of them.

    Raises:
        RuntimeError: a command exited non-zero; the message has its log tail.
    """
    cpu_before = _children_cpu_s()
    started = time.perf_counter()
    with ExitStack() as stack:
        logs = []
        processes = []
        for args in commands:
            handle = stack.enter_context(
                tempfile.TemporaryFile(mode="w+", encoding="utf-8")
            )
            logs.append(handle)
            processes.append(
                subprocess.Popen(
                    [*_zl(), *args],
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=handle,
                    text=True,
                )
            )
        codes = [process.wait() for process in processes]
        wall_s = time.perf_counter() - started
        cpu_s = _children_cpu_s() - cpu_before
        texts = []
        for handle in logs:
            handle.seek(0)
            texts.append(handle.read())
    for args, code, text in zip(commands, codes, texts, strict=True):
        if code != 0:
            raise RuntimeError(
                f"zl {' '.join(args)} failed with exit code {code}:\n{text[-3000:]}"
            )
    return ChildRun(wall_s, cpu_s, "".join(texts))


def _fresh_folder(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _fresh_env(base: dict[str, str], folder: Path) -> dict[str, str]:
    """Return `base` pointed at a new warehouse and sentiment cache in `folder`."""
    _fresh_folder(folder)
    return {
        **base,
        "ZL_DUCKDB_PATH": str(folder / "zl.duckdb"),
        "ZL_SENTIMENT_CACHE": str(folder / "sentiment_cache.sqlite"),
    }


def measure_parallel(plan: LoadPlan, env: dict[str, str]) -> ChildRun:
    """Load every source at once: the API group and the file group together."""
    commands = []
    if plan.api_sources:
        commands.append(plan.args(plan.api_sources, api=True))
    if plan.file_sources:
        commands.append(plan.args(plan.file_sources, api=False))
    return run_children(commands, env)


def measure_serial(plan: LoadPlan, env: dict[str, str]) -> dict[str, ChildRun]:
    """Load each source alone with its own `zl load <name>`, one after another."""
    runs = {}
    for name in sorted([*plan.api_sources, *plan.file_sources]):
        runs[name] = run_children([plan.args([name], plan.is_api(name))], env)
        log.info("serial: %s took %.1f s", name, runs[name].wall_s)
    return runs


def parallel_comparisons(
    scale: Scale, landing: Path, work: Path, page_delay_s: float = PAGE_DELAY_S
) -> list[Comparison]:
    """Time the parallel and the serial loads and return their two rows."""
    plan = LoadPlan(landing, scale.start.isoformat(), scale.end.isoformat())
    for name in sources():
        target = plan.api_sources if name in API_SOURCES else plan.file_sources
        target.append(name)
    with VendorServer(landing, page_delay_s=page_delay_s) as server:
        base = {**os.environ, **_OFFLINE_ENV, **server.env(work / "vendor")}
        # The parallel run goes first, so warm file caches favour the serial one.
        parallel = measure_parallel(plan, _fresh_env(base, work / "parallel"))
        log.info("parallel: %.1f s", parallel.wall_s)
        serial = measure_serial(plan, _fresh_env(base, work / "serial"))
        requests = sum(server.requests.values())
    # The logs' timestamps show when each process started and waited.
    (work / "parallel" / "zl.log").write_text(parallel.stderr, encoding="utf-8")
    for name, run in serial.items():
        (work / "serial" / f"{name}.log").write_text(run.stderr, encoding="utf-8")

    slowest = max(serial, key=lambda name: serial[name].wall_s)
    serial_sum = sum(run.wall_s for run in serial.values())
    serial_cpu = sum(run.cpu_s for run in serial.values())
    cpus = os.cpu_count() or 1
    in_run = parallel.source_times()
    waits = parallel.lock_waits()
    notes = [
        "API sources (vendor server, "
        f"{page_delay_s * 1000:.0f} ms per page, {requests} requests per run "
        f"pair): {', '.join(plan.api_sources)}; from files: "
        f"{', '.join(plan.file_sources)}",
        "single-source wall times (s): "
        + ", ".join(f"{n} {r.wall_s:.1f}" for n, r in sorted(serial.items())),
        "per-source time inside the parallel run (s): "
        + ", ".join(f"{n} {s:.1f}" for n, s in sorted(in_run.items())),
        "warehouse lock waits in the parallel run (s): "
        + (", ".join(f"{n} {s:.1f}" for n, s in sorted(waits.items())) or "none"),
        "single-source CPU times (s): "
        + ", ".join(f"{n} {r.cpu_s:.1f}" for n, r in sorted(serial.items())),
        f"CPU time of all processes: parallel {parallel.cpu_s:.1f} s, serial "
        f"{serial_cpu:.1f} s; on {cpus} CPUs the parallel run needs at least "
        f"{parallel.cpu_s / cpus:.1f} s",
    ]
    shown = (
        f"zl {' '.join(plan.args(plan.api_sources, True))} & "
        f"zl load {' '.join(plan.file_sources)} --from-dir LANDING"
    )
    return [
        Comparison(
            name="parallel ingestion vs slowest single source",
            ours="all sources at once",
            ours_s=parallel.wall_s,
            baseline=f"slowest single source ({slowest})",
            baseline_s=serial[slowest].wall_s,
            target=PARALLEL_TARGET,
            higher_is_better=False,
            command=shown,
            scale=scale.describe(),
            notes=notes,
        ),
        Comparison(
            name="parallel ingestion vs serial sum",
            ours="all sources at once",
            ours_s=parallel.wall_s,
            baseline="each source alone, one after another",
            baseline_s=serial_sum,
            target=1.0,
            higher_is_better=False,
            command=f"{shown}; zl load <name> for each source",
            scale=scale.describe(),
            notes=["for information: the sum is what a serial loader would take"],
        ),
    ]


def parsed_table(
    landing: Path, source: str, table_name: str
) -> tuple[TableSpec, pa.Table]:
    """Parse one source's landing files and return one of its tables.

    Raises:
        KeyError: the source produced no rows for `table_name`.
    """
    spec = get_source(source)
    ctx = LoadContext(source=source)
    tables = collect_batches(spec.read_files(landing / spec.folder, ctx), ctx)
    for table_spec, table in tables.items():
        if table_spec.name == table_name:
            return table_spec, table
    raise KeyError(f"{source} produced no rows for {table_name}")


def _pipeline(db_path: Path, name: str) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name=name,
        destination=dlt.destinations.duckdb(str(db_path)),
        dataset_name="raw",
        pipelines_dir=str(db_path.parent / "dlt"),
    )


def load_arrow(spec: TableSpec, table: pa.Table, db_path: Path) -> float:
    """Load `table` as the runner does (Arrow into dlt, merge); return seconds."""
    pipeline = _pipeline(db_path, "bench_arrow")
    started = time.perf_counter()
    pipeline.extract([spec.resource([table])])
    pipeline.normalize()
    pipeline.load().raise_on_failed_jobs()
    return time.perf_counter() - started


def load_rows(spec: TableSpec, rows: list[dict], db_path: Path) -> float:
    """Load `rows` through dlt's row path with `insert_values`; return seconds."""
    pipeline = _pipeline(db_path, "bench_rows")
    data = dlt.resource(
        rows,
        name=spec.name,
        table_name=spec.name,
        primary_key=list(spec.primary_key),
        write_disposition="merge",
        columns=spec.dlt_columns(),
    )
    started = time.perf_counter()
    pipeline.extract(data, loader_file_format="insert_values")
    pipeline.normalize()
    pipeline.load().raise_on_failed_jobs()
    return time.perf_counter() - started


def count_rows(db_path: Path, table_name: str) -> int:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(f'select count(*) from raw."{table_name}"').fetchone()[0]


def bulk_comparisons(scale: Scale, landing: Path, work: Path) -> list[Comparison]:
    """Time Arrow bulk loads against dlt's row path on the largest tables.

    Raises:
        RuntimeError: the two loads stored different row counts.
    """
    results = []
    for source, table_name, label in BULK_TABLES:
        spec, table = parsed_table(landing, source, table_name)
        rows = table.to_pylist()
        arrow_db = _fresh_folder(work / f"bulk_{source}_arrow") / "zl.duckdb"
        rows_db = _fresh_folder(work / f"bulk_{source}_rows") / "zl.duckdb"
        arrow_s = load_arrow(spec, table, arrow_db)
        rows_s = load_rows(spec, rows, rows_db)
        stored = (count_rows(arrow_db, table_name), count_rows(rows_db, table_name))
        if stored[0] != stored[1]:
            raise RuntimeError(
                f"{table_name}: the Arrow load stored {stored[0]} rows and the "
                f"row load {stored[1]}; the comparison is invalid"
            )
        log.info("bulk %s: arrow %.2f s, rows %.2f s", table_name, arrow_s, rows_s)
        results.append(
            Comparison(
                name=f"bulk load: {label} ({table.num_rows:,} rows)",
                ours="Arrow table into dlt (parquet), merge on key",
                ours_s=arrow_s,
                baseline="Python dicts into dlt, insert_values, merge on key",
                baseline_s=rows_s,
                target=BULK_TARGET,
                higher_is_better=True,
                command="python -m benchmarks.ingestion",
                scale=scale.describe(),
                notes=[
                    f"both loads stored {stored[0]:,} rows in raw.{table_name}",
                    "parsing and the Arrow-to-dict conversion are not timed",
                ],
            )
        )
    return results


@contextmanager
def _offline_settings(work: Path) -> Iterator[None]:
    """Set the offline settings in this process while parsing, then restore."""
    values = {**_OFFLINE_ENV, "ZL_SENTIMENT_CACHE": str(work / "parse_cache.sqlite")}
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def comparisons(
    scale: Scale = FULL_SCALE,
    page_delay_s: float = PAGE_DELAY_S,
    work_dir: Path | None = None,
    parallel: bool = True,
    bulk: bool = True,
) -> list[Comparison]:
    """Write the scaled landing folder and run the selected comparisons.

    Args:
        scale: size of the data set.
        page_delay_s: the vendor server's wait before each response.
        work_dir: folder for the landing files and warehouses; a temporary
            folder, removed afterwards, when None.
    """
    with tempfile.TemporaryDirectory(prefix="zl-bench-ingest-") as temporary:
        work = work_dir or Path(temporary)
        landing = work / "landing"
        started = time.perf_counter()
        write_scaled_landing(landing, scale)
        log.info("scaled landing written in %.1f s", time.perf_counter() - started)
        results: list[Comparison] = []
        if parallel:
            results += parallel_comparisons(scale, landing, work, page_delay_s)
        if bulk:
            with _offline_settings(work):
                results += bulk_comparisons(scale, landing, work)
        return results


def print_comparisons(rows: list[Comparison]) -> None:
    for row in rows:
        verdict = "met" if row.met else "MISSED"
        print(f"{row.name}")
        print(f"  ours:     {row.ours}: {row.ours_s:.2f} s")
        print(f"  baseline: {row.baseline}: {row.baseline_s:.2f} s")
        print(f"  ratio {row.ratio:.2f}, target {row.target_text()}: {verdict}")
        print(f"  command:  {row.command}")
        print(f"  scale:    {row.scale}")
        for note in row.notes:
            print(f"  - {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--years",
        type=int,
        default=DEFAULT_YEARS,
        help=f"years of history; {FULL_SCALE.years} is the full scaled data set",
    )
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="use the two-year test data set (a smoke run; --years is ignored)",
    )
    parser.add_argument(
        "--page-delay-ms",
        type=float,
        default=PAGE_DELAY_S * 1000,
        help="vendor server wait before each response, in milliseconds",
    )
    parser.add_argument(
        "--work-dir", type=Path, help="keep landing files and warehouses here"
    )
    parser.add_argument(
        "--only", choices=("parallel", "bulk"), help="run one comparison"
    )
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    rows = comparisons(
        TINY_SCALE if args.tiny else Scale.for_years(args.years),
        page_delay_s=args.page_delay_ms / 1000,
        work_dir=args.work_dir,
        parallel=args.only in (None, "parallel"),
        bulk=args.only in (None, "bulk"),
    )
    print_comparisons(rows)


if __name__ == "__main__":
    main()
