"""Daily latency: an incremental build after one new day against a full build.

A synthetic landing folder is loaded up to the day before its last day and
built in full. The last day is then loaded on its own, for every source, and
`zl build` runs incrementally (timed). `zl build --full-refresh` then
rebuilds the same warehouse from scratch (timed). Each step is its own `zl`
child process, as in benchmarks/run.py, so the times include dbt's start-up,
the freshness check and the data tests.

The returned `Comparison` is the incremental build's time as a fraction of
the full build's, with a target of at most 0.2. The full build's peak
memory, the largest resident set of any one process, is a plain figure in
the comparison's notes, checked against the 2 GiB limit of benchmarks/run.py.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import tempfile
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


def _node_seconds(db_path: Path, top: int = 5) -> list[str]:
    """Return the slowest nodes of the last dbt run as `name seconds` lines."""
    path = db_path.parent / "dbt" / "target" / "run_results.json"
    results = json.loads(path.read_text())["results"]
    slowest = sorted(results, key=lambda r: -r["execution_time"])[:top]
    return [
        f"{r['unique_id'].split('.', 2)[-1]} {r['execution_time']:.1f} s"
        for r in slowest
    ]


def _models_built(db_path: Path) -> int:
    """Return how many models the last dbt run built."""
    path = db_path.parent / "dbt" / "target" / "run_results.json"
    results = json.loads(path.read_text())["results"]
    return sum(r["unique_id"].startswith("model.") for r in results)


def measure(data: DataSet, folder: Path) -> tuple[Stage, Stage, list[str]]:
    """Load, build, load one day, then time the incremental and full builds.

    Returns:
        The incremental build stage, the full-refresh stage and notes on
        what each build did.
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
    incremental = run_stage("incremental build", ["build"], env, "zl build")
    built = _models_built(db_path)
    notes = [f"incremental build, slowest nodes: {'; '.join(_node_seconds(db_path))}"]
    # The full build below overwrites run_results.json. With --folder the
    # incremental build's copy stays there for profiling.
    shutil.copy(
        db_path.parent / "dbt" / "target" / "run_results.json",
        folder / "run_results_incremental.json",
    )
    full = run_stage(
        "full build", ["build", "--full-refresh"], env, "zl build --full-refresh"
    )
    notes.append(f"full build, slowest nodes: {'; '.join(_node_seconds(db_path))}")
    notes.append(
        f"the incremental build rebuilt {built} of the {_models_built(db_path)} "
        "models that the full build rebuilt; the others had no new input rows "
        "and no code change"
    )
    builds = _builds(db_path)
    # The second recorded build is the timed one. If it was a full refresh
    # (the code changed between the builds), the ratio means nothing.
    if len(builds) < 2 or builds[1] != (False, "incremental"):
        notes.append(f"WARNING: the timed build was not incremental: {builds}")
    return incremental, full, notes


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
        incremental, full, notes = measure(data, root)
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
    return [
        Comparison(
            name="daily update: build after loading one more day",
            ours="zl build (incremental)",
            ours_s=incremental.wall_s,
            baseline="zl build --full-refresh",
            baseline_s=full.wall_s,
            target=TARGET_FRACTION,
            higher_is_better=False,
            command="python -m benchmarks.latency"
            + (f" --scale scaled --years {years}" if scale == "scaled" else ""),
            scale=f"{data.description}, last day {data.last_day}",
            notes=notes,
        )
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
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    for row in comparisons(args.scale, args.years, args.folder):
        print(f"{row.name} ({row.scale})")
        print(f"  {row.ours}: {row.ours_s:.1f} s")
        print(f"  {row.baseline}: {row.baseline_s:.1f} s")
        print(
            f"  ratio {row.ratio:.3f}, target {row.target_text()}: "
            f"{'met' if row.met else 'NOT met'}"
        )
        for note in row.notes:
            print(f"  - {note}")


if __name__ == "__main__":
    main()
