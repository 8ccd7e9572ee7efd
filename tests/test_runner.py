"""The runner against real files and real DuckDB warehouses in tmp_path."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from ingest.runner import LoadError, collect_batches, load_many, load_source
from ingest.schema import Column, TableSpec
from ingest.source import LoadContext, Window
from tests.conftest import realdata_path

pytestmark = pytest.mark.realdata

CFTC_TEXT = "cftc_fut_disagg_f_year_2021_Q1_soy_complex_energy.txt"
CFTC_TABLE = "raw.cftc_cot_disaggregated"
# Rows of the seeded markets in the recorded text file.
CFTC_ROWS = 77


def cftc_landing(root: Path) -> Path:
    """Return a landing folder whose cftc/ links the recorded text file."""
    landing = root / "landing"
    (landing / "cftc").mkdir(parents=True)
    (landing / "cftc" / CFTC_TEXT).symlink_to(realdata_path("cftc", CFTC_TEXT))
    return landing


def full_landing(root: Path) -> Path:
    """Return a landing folder with the recorded databento, fred and cftc files."""
    landing = cftc_landing(root)
    # The Socrata JSON in cftc/ is a Legacy report, which the loader rejects,
    # so only the text file is linked for cftc.
    for folder in ("databento", "fred"):
        (landing / folder).symlink_to(realdata_path(folder), target_is_directory=True)
    return landing


def query(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def count(db_path: Path, table: str) -> int:
    return query(db_path, f"select count(*) from {table}")[0][0]


def raw_counts(db_path: Path) -> dict[str, int]:
    """Return the row count of every raw table that is not dlt bookkeeping."""
    tables = query(
        db_path,
        "select table_name from information_schema.tables "
        "where table_schema = 'raw' and table_name not like '\\_dlt%' escape '\\'",
    )
    return {name: count(db_path, f'raw."{name}"') for (name,) in tables}


def test_cftc_load_writes_ledger(tmp_path: Path) -> None:
    db_path = tmp_path / "zl.duckdb"
    before = datetime.now(UTC).date()
    result = load_source("cftc", cftc_landing(tmp_path), Window(), db_path)
    after = datetime.now(UTC).date()
    assert result.status == "success"
    assert result.mode == "files"
    assert count(db_path, CFTC_TABLE) == CFTC_ROWS
    runs = query(
        db_path,
        "select run_id, source, mode, status, rows_loaded from ops.ingestion_runs",
    )
    assert runs == [(result.run_id, "cftc", "files", "success", CFTC_ROWS)]
    completion = query(
        db_path,
        "select completion_date, source, status, run_id from ops.ingestion_completion",
    )
    assert len(completion) == 1
    assert completion[0][0] in {before, after}
    assert completion[0][1:] == ("cftc", "success", result.run_id)


def test_cftc_rerun_adds_no_rows(tmp_path: Path) -> None:
    db_path = tmp_path / "zl.duckdb"
    landing = cftc_landing(tmp_path)
    first = load_source("cftc", landing, Window(), db_path)
    second = load_source("cftc", landing, Window(), db_path)
    assert count(db_path, CFTC_TABLE) == CFTC_ROWS
    runs = query(db_path, "select run_id, status from ops.ingestion_runs")
    assert sorted(runs) == sorted(
        [(first.run_id, "success"), (second.run_id, "success")]
    )
    completion = query(db_path, "select run_id from ops.ingestion_completion")
    assert completion == [(second.run_id,)]


def test_window_limits_rows(tmp_path: Path) -> None:
    db_path = tmp_path / "zl.duckdb"
    window = Window(date(2021, 3, 1), date(2021, 3, 31))
    result = load_source("cftc", cftc_landing(tmp_path), window, db_path)
    dates = query(db_path, f"select distinct report_date from {CFTC_TABLE}")
    assert result.status == "success"
    assert 0 < count(db_path, CFTC_TABLE) < CFTC_ROWS
    assert all(window.contains(day) for (day,) in dates)


def test_missing_folder_skipped(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    (landing / "fred").mkdir(parents=True)
    result = load_source("cftc", landing, Window(), tmp_path / "zl.duckdb")
    assert result.status == "skipped"
    assert "cftc" in result.message


def test_malformed_file_keeps_rows(tmp_path: Path) -> None:
    db_path = tmp_path / "zl.duckdb"
    landing = cftc_landing(tmp_path)
    good = load_source("cftc", landing, Window(), db_path)
    bad_file = landing / "cftc" / "garbled_2022.txt"
    bad_file.write_text("not,a,cot,header\r\n1,2,3,4\r\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_source("cftc", landing, Window(), db_path)
    assert "garbled_2022.txt" in str(caught.value)
    assert count(db_path, CFTC_TABLE) == CFTC_ROWS
    runs = query(db_path, "select status, error from ops.ingestion_runs")
    statuses = sorted(status for status, _ in runs)
    assert statuses == ["failed", "success"]
    errors = [error for status, error in runs if status == "failed"]
    assert "garbled_2022.txt" in errors[0]
    completion = query(db_path, "select run_id from ops.ingestion_completion")
    assert completion == [(good.run_id,)]


def test_unknown_source_rejected(tmp_path: Path) -> None:
    with pytest.raises(KeyError) as caught:
        load_source("nosuch", tmp_path, Window(), tmp_path / "zl.duckdb")
    assert "cftc" in str(caught.value)


DEMO = TableSpec(
    name="demo_bars",
    columns=(
        Column("day", "date", nullable=False),
        Column("symbol", "text", nullable=False),
        Column("close", "double"),
    ),
    primary_key=("day", "symbol"),
)


def test_collect_keeps_last_duplicate() -> None:
    first = DEMO.to_arrow(
        {
            "day": [date(2024, 1, 2), date(2024, 1, 3)],
            "symbol": ["ZL", "ZL"],
            "close": [47.0, 48.0],
        }
    )
    second = DEMO.to_arrow(
        {
            "day": [date(2024, 1, 3), date(2024, 1, 4), date(2024, 1, 3)],
            "symbol": ["ZL", "ZL", "ZL"],
            "close": [48.5, 49.0, 48.75],
        }
    )
    ctx = LoadContext(source="demo")
    merged = collect_batches([(DEMO, first), (DEMO, second)], ctx)
    table = merged[DEMO]
    rows = sorted(
        zip(table["day"].to_pylist(), table["close"].to_pylist(), strict=True)
    )
    assert rows == [
        (date(2024, 1, 2), 47.0),
        (date(2024, 1, 3), 48.75),
        (date(2024, 1, 4), 49.0),
    ]
    assert ctx.skips["duplicate key in input"] == 2


def test_collect_no_duplicates_no_skip() -> None:
    batch = DEMO.to_arrow(
        {"day": [date(2024, 1, 2)], "symbol": ["ZL"], "close": [47.0]}
    )
    ctx = LoadContext(source="demo")
    merged = collect_batches([(DEMO, batch)], ctx)
    assert merged[DEMO].num_rows == 1
    assert "duplicate key in input" not in ctx.skips


def test_load_many_parallel(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    names = ["databento", "fred", "cftc"]
    landing = full_landing(tmp_path)
    solo_counts: dict[str, int] = {}
    for name in names:
        solo_db = tmp_path / f"solo_{name}.duckdb"
        solo = load_source(name, landing, Window(), solo_db)
        assert solo.status == "success"
        solo_counts.update(raw_counts(solo_db))
    assert min(solo_counts.values()) > 0

    db_path = tmp_path / "parallel" / "zl.duckdb"
    db_path.parent.mkdir()
    results = load_many(names, landing, Window(), db_path)
    assert [r.source for r in results] == names
    assert [r.status for r in results] == ["success"] * 3
    first_counts = raw_counts(db_path)
    assert first_counts == solo_counts

    again = load_many(names, landing, Window(), db_path)
    assert [r.status for r in again] == ["success"] * 3
    assert raw_counts(db_path) == first_counts
    assert count(db_path, "ops.ingestion_runs") == 6
    assert "Could not set lock" not in capfd.readouterr().err
