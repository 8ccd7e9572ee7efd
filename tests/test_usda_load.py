"""The USDA source through the runner and dbt: raw merge and staging values."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from ingest.build import build
from ingest.runner import load_source
from ingest.source import Window
from tests.conftest import realdata_path

NAMES = (
    "rnassqs_quickstats_api_GET_corn_yield_VA.json",
    "rnassqs_quickstats_api_GET_corn_format_csv.csv",
    "rnassqs_quickstats_error_400_bad_request.json",
    "rnassqs_quickstats_error_413_exceeds_limit.json",
    "wasde_oce-wasde-report-data-2026-09_excerpt.csv",
)
MODELS = ["+usda_nass", "+usda_wasde", "+usda_export_sales", "+usda_psd"]

# Hand-made ESR and PSD bodies (no FAS response was recorded): a plain
# week, and a week whose release week holds Martin Luther King Day.
ESR_RECORD = {
    "commodityCode": 902, "countryCode": 2010, "weeklyExports": 1500,
    "accumulatedExports": 40000, "outstandingSales": 12000,
    "grossNewSales": 2500, "currentMYNetSales": 2300,
    "currentMYTotalCommitment": 52000, "nextMYOutstandingSales": 0,
    "nextMYNetSales": 0, "unitId": 1,
}  # fmt: skip
HAND_MADE_ESR = [
    {**ESR_RECORD, "weekEndingDate": "2024-03-07T00:00:00"},
    {**ESR_RECORD, "weekEndingDate": "2024-01-11T00:00:00"},
]
HAND_MADE_PSD = [
    {"commodityCode": "4232000", "countryCode": "US", "marketYear": "2024",
     "calendarYear": "2024", "month": "10", "attributeId": 28, "unitId": 8,
     "value": 12500.0},
]  # fmt: skip


def _landing(root: Path) -> Path:
    folder = root / "usda"
    folder.mkdir(parents=True)
    for name in NAMES:
        (folder / name).symlink_to(realdata_path("usda", name))
    return root


def _query(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        con.execute("set timezone = 'UTC'")
        return con.execute(sql).fetchall()


def _counts(db_path: Path) -> tuple[int, int]:
    nass = _query(db_path, "select count(*) from raw.usda_nass_quickstats")[0][0]
    wasde = _query(db_path, "select count(*) from raw.usda_wasde")[0][0]
    return nass, wasde


@pytest.mark.realdata
def test_second_load_adds_nothing(tmp_path, warehouse):
    landing = _landing(tmp_path / "landing")
    first = load_source("usda", from_dir=landing, window=Window(), db_path=warehouse)
    assert first.status == "success"
    assert _counts(warehouse) == (12, 30)
    second = load_source("usda", from_dir=landing, window=Window(), db_path=warehouse)
    assert second.status == "success"
    assert _counts(warehouse) == (12, 30)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("usda_build")
    db_path = root / "zl.duckdb"
    landing = _landing(root / "landing")
    (landing / "usda" / "esr.json").write_text(json.dumps(HAND_MADE_ESR))
    (landing / "usda" / "psd.json").write_text(json.dumps(HAND_MADE_PSD))
    load_source("usda", from_dir=landing, window=Window(), db_path=db_path)
    # A corrected WASDE file for the same month, released three days later
    # without the China production cell.
    reissue = root / "reissue"
    (reissue / "usda").mkdir(parents=True)
    text = realdata_path("usda", NAMES[4]).read_text()
    kept = [line for line in text.splitlines() if '"21.56"' not in line]
    corrected = "\n".join(kept).replace("2026-09-11", "2026-09-14")
    (reissue / "usda" / "corrected.csv").write_text(corrected + "\n")
    load_source("usda", from_dir=reissue, window=Window(), db_path=db_path)
    build(db_path, allow_stale=True, select=MODELS)
    return db_path


@pytest.mark.dbt
@pytest.mark.realdata
def test_nass_forecast_available_at_load_time(built):
    rows = _query(
        built,
        "select value, unit, available_at_rule, available_at from staging.usda_nass "
        "where reference_period = 'YEAR - AUG FORECAST'",
    )
    assert len(rows) == 1
    value, unit, rule, available_at = rows[0]
    assert value == 91.0
    assert unit == "BU / ACRE"
    assert rule == "load_time"
    # load_time 2012-08-10 12:59:15 EDT.
    assert available_at == datetime(2012, 8, 10, 16, 59, 15, tzinfo=UTC)


@pytest.mark.dbt
@pytest.mark.realdata
def test_nass_census_available_at_lag(built):
    rows = _query(
        built,
        "select cv_pct, available_at_rule, available_at from staging.usda_nass "
        "where survey_or_census = 'CENSUS' and value = 161.2",
    )
    assert len(rows) == 1
    cv_pct, rule, available_at = rows[0]
    assert cv_pct == 0.6
    assert rule == "release_lag"
    # 2012-12-31 + 550 days = 2014-07-04, 12:00 EDT.
    assert available_at == datetime(2014, 7, 4, 16, 0, tzinfo=UTC)


@pytest.mark.dbt
@pytest.mark.realdata
def test_nass_row_count(built):
    assert _query(built, "select count(*) from staging.usda_nass")[0][0] == 12


@pytest.mark.dbt
@pytest.mark.realdata
def test_wasde_reissue_in_staging(built):
    rows = _query(
        built,
        "select value, available_at from staging.usda_wasde "
        "where commodity = 'Soybean Oil' and region = 'United States' "
        "and attribute = 'Production'",
    )
    assert rows == [(14.94, datetime(2026, 9, 14, 16, 0, tzinfo=UTC))]


@pytest.mark.dbt
@pytest.mark.realdata
def test_wasde_stale_cell_dropped(built):
    assert _query(built, "select count(*) from staging.usda_wasde")[0][0] == 29
    china = _query(
        built,
        "select count(*) from staging.usda_wasde "
        "where region = 'China' and attribute = 'Production' "
        "and commodity = 'Soybean Oil'",
    )
    assert china[0][0] == 0


@pytest.mark.dbt
@pytest.mark.realdata
def test_export_sales_release_rule(built):
    rows = dict(
        _query(
            built,
            "select week_ending_date, available_at from staging.usda_export_sales",
        )
    )
    # Thursday 2024-03-14 08:30 EDT.
    assert rows[date(2024, 3, 7)] == datetime(2024, 3, 14, 12, 30, tzinfo=UTC)
    # MLK Day 2024-01-15 moves the release to Friday 2024-01-19, 08:30 EST.
    assert rows[date(2024, 1, 11)] == datetime(2024, 1, 19, 13, 30, tzinfo=UTC)


@pytest.mark.dbt
@pytest.mark.realdata
def test_psd_available_next_month(built):
    rows = _query(built, "select value, available_at from staging.usda_psd")
    # Updated in October 2024: from 2024-11-01 00:00 EDT.
    assert rows == [(12500.0, datetime(2024, 11, 1, 4, 0, tzinfo=UTC))]
