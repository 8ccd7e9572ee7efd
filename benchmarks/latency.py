"""Daily latency: an incremental build after one new day against a full build.

A synthetic landing folder is loaded up to the day before its last day and
built in full. The last day is then loaded on its own, for every source, and
`zl build` runs incrementally (timed). `zl build --full-refresh` then
rebuilds the same warehouse from scratch (timed). Each step is its own `zl`
child process, as in benchmarks/run.py, so the times include dbt's start-up,
the freshness check and the data tests.

The first `Comparison` is the incremental build's time as a fraction of
the full build's, with a target of at most 0.2. The full build's peak
memory, the largest resident set of any one process, is a plain figure in
the comparison's notes, checked against the 2 GiB limit of benchmarks/run.py.

The second, for information, is the floor under that ratio. Before the
timed incremental build, a copy of the warehouse runs the same steps
(`empty_build`) with dbt's `--empty` flag, which makes every ref and source
read zero rows. What remains is process start-up, dbt's parse, the
freshness check, the plan and dbt's cost per node and test, which no change
to the SQL can remove.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from benchmarks.compare import Comparison
from benchmarks.run import PEAK_MEMORY_TARGET_MIB, Stage, run_stage

log = logging.getLogger(__name__)

# The incremental build may take at most this fraction of the full build.
TARGET_FRACTION = 0.2


@dataclass(frozen=True)
class DataSet:
    """A landing folder to benchmark on and the day loaded last."""

    description: str
    landing: Path
    last_day: date


def write_demo(folder: Path) -> DataSet:
    """Write the `zl demo` landing folder (about 14 years, small)."""
    from ingest.demo import DEMO_END, write_landing

    landing = folder / "landing"
    write_landing(landing)
    return DataSet("demo data set (zl demo)", landing, DEMO_END)


def write_scaled(folder: Path, years: int) -> DataSet:
    """Write benchmarks/scaled.py's landing folder with `years` of history."""
    from benchmarks.scaled import SCALED_END, Scale, write_scaled_landing

    landing = folder / "landing"
    scale = Scale(years=years)
    write_scaled_landing(landing, scale)
    return DataSet(scale.describe(), landing, SCALED_END)


def _builds(db_path: Path) -> list[tuple[bool, str]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "select full_refresh, reason from ops.dbt_builds order by built_at"
        ).fetchall()


def _run_results(db_path: Path) -> Path:
    return db_path.parent / "dbt" / "target" / "run_results.json"


def _results(db_path: Path) -> list[dict]:
    """Return the node results of the last dbt run."""
    return json.loads(_run_results(db_path).read_text())["results"]


def _node_seconds(results: list[dict], top: int = 5) -> list[str]:
    """Return the slowest of `results` as `name seconds` lines."""
    slowest = sorted(results, key=lambda r: -r["execution_time"])[:top]
    return [
        f"{r['unique_id'].split('.', 2)[-1]} {r['execution_time']:.1f} s"
        for r in slowest
    ]


def _models_built(results: list[dict]) -> int:
    """Return how many models `results` built."""
    return sum(r["unique_id"].startswith("model.") for r in results)


def empty_build(db_path: Path) -> int:
    """Run `zl build`'s steps on `db_path` with dbt's `--empty` flag added.

    The steps are those of `ingest.build.build`: prepare the warehouse,
    parse, check freshness, plan under the lock and run `dbt build` with
    the plan's flags. The build is not recorded, and its tables are left
    empty, so run it only on a copy of a warehouse.

    Returns:
        How many nodes dbt ran. Tests that expect rows fail on the empty
        tables, so dbt's exit status is not checked.

    Raises:
        RuntimeError: dbt ran no node at all.
    """
    from ingest.build import (
        DbtSession,
        freshness_gate,
        plan_build,
        prepare_warehouse,
    )
    from ingest.warehouse import open_database, write_lock

    prepare_warehouse(db_path)
    dbt = DbtSession(db_path)
    dbt.parse()
    freshness_gate(db_path, dbt=dbt)
    manifest = db_path.parent / "dbt" / "target" / "manifest.json"
    with write_lock(db_path, holder="dbt build"):
        with open_database(db_path) as con:
            plan = plan_build(con, manifest, manifest=dbt.manifest)
        result = dbt.invoke(["build", *plan.dbt_flags(), "--empty"], plan.dbt_env())
    if not result.results:
        raise RuntimeError("dbt build --empty ran no node; see the dbt log above")
    return len(result.results)


def _time_empty_build(warehouse: Path, env: dict[str, str]) -> tuple[float, int]:
    """Time `empty_build` in a child process on `warehouse`, then restore it.

    The warehouse folder, dbt's target folder included, is copied aside and
    moved back afterwards, so the timed incremental build that follows
    starts from the same state and keeps dbt's partial parse.

    Returns:
        The child's wall time in seconds and how many nodes dbt ran.
    """
    aside = warehouse.with_name(warehouse.name + "_before_empty_build")
    shutil.rmtree(aside, ignore_errors=True)
    shutil.copytree(warehouse, aside)
    try:
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "benchmarks.latency", "--empty-build"],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall_s = time.perf_counter() - started
    finally:
        shutil.rmtree(warehouse)
        aside.rename(warehouse)
    if completed.returncode != 0:
        raise SystemExit(f"empty build failed:\n{completed.stderr[-2000:]}")
    return wall_s, int(completed.stdout.strip().splitlines()[-1])


def measure(data: DataSet, folder: Path) -> tuple[float, Stage, Stage, list[str]]:
    """Load, build, load one day, then time the empty, incremental and full builds.

    Returns:
        The empty build's wall time in seconds, the incremental build
        stage, the full-refresh stage and notes on what each build did.
    """
    warehouse = folder / "warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    warehouse.mkdir(parents=True)
    db_path = warehouse / "zl.duckdb"
    env = {
        **os.environ,
        "ZL_DUCKDB_PATH": str(db_path),
        "ZL_SENTIMENT_CACHE": str(folder / "sentiment_cache.sqlite"),
        "ZL_SENTIMENT_SCORER": os.environ.get("ZL_SENTIMENT_SCORER", "lexicon"),
    }
    before = (data.last_day - timedelta(days=1)).isoformat()
    day = data.last_day.isoformat()
    load = ["load", "--all", "--from-dir", str(data.landing)]
    run_stage("load history", [*load, "--end", before], env, "zl load")
    run_stage("first build", ["build"], env, "zl build")
    run_stage("load one day", [*load, "--start", day, "--end", day], env, "zl load")
    empty_s, empty_nodes = _time_empty_build(warehouse, env)
    incremental = run_stage("incremental build", ["build"], env, "zl build")
    results = _results(db_path)
    built = _models_built(results)
    notes = [
        f"incremental build, slowest nodes: {'; '.join(_node_seconds(results))}",
        f"the build with --empty ran {empty_nodes} dbt nodes and tests on zero "
        f"rows, the incremental build {len(results)}",
    ]
    # The full build below overwrites run_results.json. With --folder the
    # incremental build's copy stays there for profiling.
    shutil.copy(_run_results(db_path), folder / "run_results_incremental.json")
    full = run_stage(
        "full build", ["build", "--full-refresh"], env, "zl build --full-refresh"
    )
    full_results = _results(db_path)
    notes.append(f"full build, slowest nodes: {'; '.join(_node_seconds(full_results))}")
    notes.append(
        f"the incremental build rebuilt {built} of the {_models_built(full_results)} "
        "models that the full build rebuilt; the others had no new input rows "
        "and no code change"
    )
    builds = _builds(db_path)
    # The second recorded build is the timed one. If it was a full refresh
    # (the code changed between the builds), the ratio means nothing.
    if len(builds) < 2 or builds[1] != (False, "incremental"):
        notes.append(f"WARNING: the timed build was not incremental: {builds}")
    return empty_s, incremental, full, notes


def comparisons(
    scale: str = "demo", years: int = 25, folder: Path | None = None
) -> list[Comparison]:
    """Measure daily latency on the demo (`scale="demo"`) or scaled data set.

    Args:
        scale: "demo" for the `zl demo` files, "scaled" for
            benchmarks/scaled.py's files.
        years: years of history of the scaled data set.
        folder: working folder; a temporary one when None.
    """
    if scale not in ("demo", "scaled"):
        raise ValueError(f"invalid scale {scale!r}; expected 'demo' or 'scaled'")
    with tempfile.TemporaryDirectory(prefix="zl-latency-") as temporary:
        root = folder or Path(temporary)
        data = write_demo(root) if scale == "demo" else write_scaled(root, years)
        empty_s, incremental, full, notes = measure(data, root)
    verdict = "under" if full.peak_rss_mib < PEAK_MEMORY_TARGET_MIB else "OVER"
    notes.insert(
        0,
        f"full build peak memory {full.peak_rss_mib:.0f} MiB, {verdict} the "
        f"{PEAK_MEMORY_TARGET_MIB} MiB limit (largest resident set of one process)",
    )
    notes.insert(
        1,
        f"incremental build peak memory {incremental.peak_rss_mib:.0f} MiB; it "
        "skips the dbt unit tests and their models, and the seeds, models and "
        "data tests whose code and inputs did not change; the full build runs "
        "them all",
    )
    command = "python -m benchmarks.latency" + (
        f" --scale scaled --years {years}" if scale == "scaled" else ""
    )
    scale_text = f"{data.description}, last day {data.last_day}"
    return [
        Comparison(
            name="daily update: build after loading one more day",
            ours="zl build (incremental)",
            ours_s=incremental.wall_s,
            baseline="zl build --full-refresh",
            baseline_s=full.wall_s,
            target=TARGET_FRACTION,
            higher_is_better=False,
            command=command,
            scale=scale_text,
            notes=notes,
        ),
        Comparison(
            name="daily update floor: the same build on zero rows",
            ours="the incremental build's steps with dbt build --empty",
            ours_s=empty_s,
            baseline="zl build --full-refresh",
            baseline_s=full.wall_s,
            target=0.0,
            higher_is_better=False,
            command=command,
            scale=scale_text,
            notes=[
                "every ref and source reads zero rows, so this is start-up, "
                "dbt's parse, the freshness check, the plan and dbt's cost per "
                "node and test; the incremental build cannot take less",
                f"for information: a ratio above {TARGET_FRACTION:g} here means "
                "no SQL change alone can meet the daily update target",
            ],
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        choices=("demo", "scaled"),
        default="demo",
        help="data set: the zl demo files (default, a few minutes) or "
        "benchmarks/scaled.py's files (much longer)",
    )
    parser.add_argument(
        "--years", type=int, default=25, help="years of history of the scaled set"
    )
    parser.add_argument(
        "--folder", type=Path, help="keep the landing folder and warehouse here"
    )
    parser.add_argument(
        "--empty-build",
        action="store_true",
        help="run empty_build on the warehouse at ZL_DUCKDB_PATH and print how "
        "many nodes dbt ran; use a copy, because it leaves the tables empty",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    if args.empty_build:
        from ingest.settings import duckdb_path

        print(empty_build(duckdb_path()))
        return
    for row in comparisons(args.scale, args.years, args.folder):
        print(f"{row.name} ({row.scale})")
        print(f"  {row.ours}: {row.ours_s:.1f} s")
        print(f"  {row.baseline}: {row.baseline_s:.1f} s")
        if not row.target:
            verdict = "for information"
        elif row.met:
            verdict = f"target {row.target_text()}: met"
        else:
            verdict = f"target {row.target_text()}: NOT met"
        print(f"  ratio {row.ratio:.3f}, {verdict}")
        for note in row.notes:
            print(f"  - {note}")


if __name__ == "__main__":
    main()
