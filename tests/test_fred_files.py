"""The FRED file reader on the real recorded files, with hand-checked values."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from ingest.fred import read_files
from ingest.source import LoadContext, Window
from tests.conftest import realdata_path

pytestmark = pytest.mark.realdata

OPEN_END = date(9999, 12, 31)


def read_real(
    tmp_path: Path, *names: str, window: Window | None = None
) -> tuple[dict[str, list[dict[str, Any]]], LoadContext]:
    """Read the named real files from a temporary folder of links to them."""
    folder = tmp_path / "fred"
    folder.mkdir()
    for name in names:
        (folder / name).symlink_to(realdata_path("fred", name))
    ctx = LoadContext(source="fred", window=window or Window())
    tables: dict[str, list[pa.Table]] = {}
    for spec, table in read_files(folder, ctx):
        tables.setdefault(spec.name, []).append(table)
    rows = {name: pa.concat_tables(parts).to_pylist() for name, parts in tables.items()}
    return rows, ctx


def pick(rows: list[dict[str, Any]], day: str) -> list[dict[str, Any]]:
    """Return the rows of one observation date, ordered by vintage."""
    found = [r for r in rows if r["observation_date"] == date.fromisoformat(day)]
    return sorted(found, key=lambda r: r["vintage_key"])


GDP_LATEST = "pyfredapi_series_observations_GDP_latest.json"
GDP_ASOF = "pyfredapi_series_observations_GDP_alfred_asof_2019-01-01.json"
GDP_ALL = "pyfredapi_series_observations_GDP_alfred_all_vintages.json"
GDP_FIRST = "pyfredapi_series_observations_GDP_output_type4_initial_release.json"
GDP_INFO = "pyfredapi_series_GDP_info.json"
GDP_VINTAGES = "pyfredapi_series_vintagedates_GDP.json"
T10YFF = "openbb_series_observations_T10YFF_2023H1_daily_dot_missing.json"
DEXBZUS = "fredgraph_DEXBZUS_legacy_dot_missing.csv"
CPI = "fredgraph_CPIAUCSL_monthly_empty_missing.csv"
FEDFUNDS = "fredgraph_FEDFUNDS_monthly.csv"
WTI = "fredgraph_DCOILWTICO_monthly_avg_trailing_empty.csv"


def test_gdp_latest_rows(tmp_path: Path) -> None:
    rows = read_real(tmp_path, GDP_LATEST)[0]["fred_economic"]
    assert len(rows) == 315
    assert {r["vintage_mode"] for r in rows} == {"latest"}
    assert {r["vintage_key"] for r in rows} == {"2024-10-30"}
    assert {r["series_id"] for r in rows} == {"GDP"}
    assert {r["source"] for r in rows} == {GDP_LATEST}


def test_gdp_latest_dot_kept(tmp_path: Path) -> None:
    rows = read_real(tmp_path, GDP_LATEST)[0]["fred_economic"]
    first = pick(rows, "1946-01-01")[0]
    assert first["value"] is None
    assert first["value_raw"] == "."
    assert sum(r["value"] is None for r in rows) == 4


def test_gdp_latest_last_value(tmp_path: Path) -> None:
    rows = read_real(tmp_path, GDP_LATEST)[0]["fred_economic"]
    last = pick(rows, "2024-07-01")[0]
    assert last["value"] == 29349.924
    assert last["value_raw"] == "29349.924"
    assert last["realtime_start"] == date(2024, 10, 30)
    assert last["realtime_end"] == date(2024, 10, 30)


def test_gdp_all_vintages_count(tmp_path: Path) -> None:
    rows = read_real(tmp_path, GDP_ALL)[0]["fred_economic"]
    assert len(rows) == 3201
    assert {r["vintage_mode"] for r in rows} == {"all_vintages"}
    assert sum(r["value_raw"] == "." for r in rows) == 245


def test_gdp_vintages_of_one_date(tmp_path: Path) -> None:
    rows = read_real(tmp_path, GDP_ALL)[0]["fred_economic"]
    vintages = pick(rows, "1946-01-01")
    assert [r["vintage_key"] for r in vintages] == [
        "1992-12-22",
        "1996-01-19",
        "1997-05-07",
        "1999-10-28",
    ]
    assert [r["value"] for r in vintages] == [199.7, None, 210.4, None]
    assert [r["value_raw"] for r in vintages] == ["199.7", ".", "210.4", "."]
    assert vintages[0]["realtime_end"] == date(1996, 1, 18)


def test_gdp_open_realtime_end(tmp_path: Path) -> None:
    rows = read_real(tmp_path, GDP_ALL)[0]["fred_economic"]
    vintages = pick(rows, "2024-07-01")
    assert [r["value"] for r in vintages] == [29349.924, 29354.321, 29374.914]
    assert vintages[-1]["realtime_start"] == date(2024, 12, 19)
    assert vintages[-1]["realtime_end"] == OPEN_END
    assert sum(r["realtime_end"] == OPEN_END for r in rows) == 315


def test_gdp_as_of_file(tmp_path: Path) -> None:
    rows = read_real(tmp_path, GDP_ASOF)[0]["fred_economic"]
    assert len(rows) == 2902
    assert {r["vintage_mode"] for r in rows} == {"as_of"}
    last = pick(rows, "2018-07-01")[-1]
    assert last["vintage_key"] == "2018-12-21"
    assert last["value"] == 20658.204
    assert last["realtime_end"] == date(2019, 1, 1)


def test_gdp_initial_release(tmp_path: Path) -> None:
    rows = read_real(tmp_path, GDP_FIRST)[0]["fred_economic"]
    assert len(rows) == 132
    assert {r["vintage_mode"] for r in rows} == {"initial_release"}
    first = pick(rows, "1991-10-01")[0]
    assert first["value"] == 5736.6
    assert first["realtime_start"] == date(1992, 1, 29)
    assert first["realtime_end"] == date(1992, 2, 27)


def test_gdp_series_info(tmp_path: Path) -> None:
    rows = read_real(tmp_path, GDP_INFO)[0]["fred_series"]
    assert len(rows) == 1
    info = rows[0]
    assert info["series_id"] == "GDP"
    assert info["title"] == "Gross Domestic Product"
    assert info["frequency_short"] == "Q"
    assert info["units_short"] == "Bil. of $"
    assert info["seasonal_adjustment_short"] == "SAAR"
    assert info["observation_start"] == date(1947, 1, 1)
    assert info["observation_end"] == date(2024, 7, 1)
    assert info["popularity"] == 93
    assert info["notes"].startswith("BEA Account Code: A191RC")


def test_last_updated_offset_to_utc(tmp_path: Path) -> None:
    info = read_real(tmp_path, GDP_INFO)[0]["fred_series"][0]
    # "2024-10-30 07:54:01-05" is 12:54:01 UTC.
    assert info["last_updated"] == datetime(2024, 10, 30, 12, 54, 1, tzinfo=UTC)


def test_vintagedates_counted_skip(tmp_path: Path) -> None:
    tables, ctx = read_real(tmp_path, GDP_VINTAGES)
    assert tables == {}
    assert ctx.skips["vintage dates file not stored"] == 1


def test_t10yff_dots_and_negatives(tmp_path: Path) -> None:
    rows = read_real(tmp_path, T10YFF)[0]["fred_economic"]
    assert len(rows) == 112
    missing = {r["observation_date"].isoformat() for r in rows if r["value"] is None}
    assert missing == {"2023-01-02", "2023-01-16", "2023-02-20", "2023-05-29"}
    assert sum(r["value"] is not None and r["value"] < 0 for r in rows) == 108
    second = pick(rows, "2023-01-03")[0]
    assert second["value"] == -0.54
    assert second["value_raw"] == "-0.54"
    assert pick(rows, "2023-06-06")[0]["value"] == -1.38


def test_t10yff_mode_and_vintage(tmp_path: Path) -> None:
    rows = read_real(tmp_path, T10YFF)[0]["fred_economic"]
    assert {r["vintage_mode"] for r in rows} == {"latest"}
    assert {r["vintage_key"] for r in rows} == {"2024-06-27"}
    assert {r["series_id"] for r in rows} == {"T10YFF"}


def test_window_filters_rows(tmp_path: Path) -> None:
    window = Window(date(2023, 2, 1), date(2023, 2, 28))
    rows = read_real(tmp_path, T10YFF, window=window)[0]["fred_economic"]
    assert len(rows) == 20
    assert sum(r["value"] is None for r in rows) == 1


def test_dexbzus_legacy_layout(tmp_path: Path) -> None:
    rows = read_real(tmp_path, DEXBZUS)[0]["fred_economic"]
    assert len(rows) == 2800
    assert sum(r["value_raw"] == "." for r in rows) == 111
    holiday = pick(rows, "2010-01-18")[0]
    assert holiday["value"] is None
    assert holiday["value_raw"] == "."


def test_dexbzus_values_undated(tmp_path: Path) -> None:
    rows = read_real(tmp_path, DEXBZUS)[0]["fred_economic"]
    first = pick(rows, "2010-01-04")[0]
    assert first["value"] == 1.72
    assert first["value_raw"] == "1.7200"
    assert first["realtime_start"] is None
    assert first["realtime_end"] is None
    assert first["vintage_key"] == "undated"
    assert first["vintage_mode"] == "fredgraph"
    assert pick(rows, "2020-09-25")[0]["value"] == 5.5644


def test_cpi_shutdown_gap(tmp_path: Path) -> None:
    rows = read_real(tmp_path, CPI)[0]["fred_economic"]
    assert len(rows) == 951
    gap = pick(rows, "2025-10-01")[0]
    assert gap["value"] is None
    assert gap["value_raw"] == ""
    assert pick(rows, "2025-09-01")[0]["value"] == 324.245
    assert pick(rows, "2025-11-01")[0]["value"] == 325.063
    assert sum(r["value"] is None for r in rows) == 1


def test_fedfunds_current_layout(tmp_path: Path) -> None:
    rows = read_real(tmp_path, FEDFUNDS)[0]["fred_economic"]
    assert len(rows) == 861
    first = pick(rows, "1954-07-01")[0]
    assert first["value"] == 0.8
    assert first["value_raw"] == "0.80"
    assert pick(rows, "2026-03-01")[0]["value"] == 3.64
    assert {r["series_id"] for r in rows} == {"FEDFUNDS"}


def test_wti_monthly_average_renamed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        rows = read_real(tmp_path, WTI)[0]["fred_economic"]
    assert len(rows) == 61
    assert {r["series_id"] for r in rows} == {"DCOILWTICO@M"}
    assert "DCOILWTICO@M" in caplog.text
    trailing = pick(rows, "2026-04-01")[0]
    assert trailing["value"] is None
    assert trailing["value_raw"] == ""
    assert pick(rows, "2026-03-01")[0]["value"] == 91.38


def test_folder_keeps_best_vintage(tmp_path: Path) -> None:
    names = [GDP_LATEST, GDP_ASOF, GDP_ALL, GDP_FIRST, GDP_INFO, GDP_VINTAGES]
    tables, ctx = read_real(tmp_path, *names)
    rows = [r for r in tables["fred_economic"] if r["series_id"] == "GDP"]
    # 3201 all-vintages rows plus 314 latest rows whose vintage (2024-10-30)
    # the all-vintages file lacks; the as-of, first-release and one latest
    # row repeat all-vintages keys.
    assert len(rows) == 3515
    assert ctx.skips["duplicate vintage row"] == 2902 + 132 + 1
    kept = [r for r in pick(rows, "2018-07-01") if r["vintage_key"] == "2018-12-21"]
    assert kept[0]["vintage_mode"] == "all_vintages"
    assert kept[0]["realtime_end"] == date(2019, 7, 25)


def test_load_twice_adds_nothing(warehouse: Path) -> None:
    from ingest.runner import load_source

    landing = realdata_path("fred").parent
    first = load_source("fred", landing, Window(), warehouse)
    with duckdb.connect(str(warehouse)) as con:
        after_first = con.sql("select count(*) from raw.fred_economic").fetchone()
    load_source("fred", landing, Window(), warehouse)
    with duckdb.connect(str(warehouse)) as con:
        after_second = con.sql("select count(*) from raw.fred_economic").fetchone()
        series = con.sql("select count(*) from raw.fred_series").fetchone()
    assert first.status == "success"
    assert after_first == (3515 + 112 + 2800 + 951 + 861 + 61,)
    assert after_second == after_first
    assert series == (1,)
