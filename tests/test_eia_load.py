"""Loading EIA files through the runner and building the EIA staging models."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingest.build import build
from ingest.runner import load_source
from ingest.source import Window
from tests.conftest import realdata_path

pytestmark = pytest.mark.realdata

FEEDBIOFUEL = "openbb_eia_v2_petroleum_pnp_feedbiofuel_EPOOBDAFO_2019-01.json"
SPOT = "openbb_eia_v2_petroleum_pri_spt_RWTC_weekly_1986-01-03.json"
RETAIL = "openbb_eia_v2_petroleum_pri_gnd_EMM_EPMRU_PTE_NUS_DPG_weekly_1990-08-20.json"
REAL_FILES = (FEEDBIOFUEL, SPOT, RETAIL)


def real_landing(root: Path) -> Path:
    folder = root / "eia"
    folder.mkdir(parents=True)
    for name in REAL_FILES:
        (folder / name).symlink_to(realdata_path("eia", name))
    return root


def with_periods(name: str, periods: list[str]) -> dict[str, Any]:
    """Return a recorded body with its one row repeated for `periods`."""
    body = json.loads(realdata_path("eia", name).read_text(encoding="utf-8"))
    template = body["response"]["data"][0]
    body["response"]["data"] = [{**template, "period": p} for p in periods]
    body["response"]["total"] = str(len(periods))
    return body


def count(db_path: Path, table: str) -> int:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_second_load_adds_nothing(tmp_path, warehouse):
    landing = real_landing(tmp_path / "landing")
    first = load_source("eia", from_dir=landing, window=Window(), db_path=warehouse)
    assert first.status == "success"
    assert count(warehouse, "raw.eia_observations") == 3
    second = load_source("eia", from_dir=landing, window=Window(), db_path=warehouse)
    assert second.status == "success"
    assert count(warehouse, "raw.eia_observations") == 3


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Load the recorded files plus holiday weeks built from them, and build."""
    root = tmp_path_factory.mktemp("eia_build")
    landing = real_landing(root / "landing")
    # 2024-01-05: no holiday; 2024-01-12: Monday 15 Jan is a holiday;
    # 2024-06-14: Wednesday 19 June is a holiday.
    spot = with_periods(SPOT, ["2024-01-05", "2024-01-12", "2024-06-14"])
    (landing / "eia" / "spot_2024.json").write_text(json.dumps(spot))
    # 2024-01-15 is a holiday Monday, 2024-01-22 an ordinary one.
    retail = with_periods(RETAIL, ["2024-01-15", "2024-01-22"])
    (landing / "eia" / "retail_2024.json").write_text(json.dumps(retail))
    db_path = root / "zl.duckdb"
    result = load_source("eia", from_dir=landing, window=Window(), db_path=db_path)
    assert result.status == "success"
    build(db_path, allow_stale=True, select=["+eia_weekly", "+eia_monthly"])
    return db_path


def staged(db_path: Path, model: str, series_id: str, period: str) -> dict[str, Any]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        cursor = con.execute(
            f"select * from staging.{model} where series_id = ? and period = ?",
            [series_id, period],
        )
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.dbt
def test_weekly_row_count(built):
    assert count(built, "staging.eia_weekly") == 7


@pytest.mark.dbt
def test_monthly_feedstock_values(built):
    row = staged(built, "eia_monthly", "M_EPOOBDAFO_YIFBP_NUS_MMLB", "2019-01")
    assert row["value"] == 3.0
    assert row["units"] == "MMLB"
    assert row["period_end_date"] == date(2019, 1, 31)
    assert row["release_rule"] == "monthly_biofuels"
    assert row["release_date"] == date(2019, 4, 7)
    # 7 April 2019 12:00 in New York (EDT, UTC-4).
    assert row["available_at"] == utc(2019, 4, 7, 16, 0)


@pytest.mark.dbt
def test_wpsr_wednesday(built):
    row = staged(built, "eia_weekly", "RWTC", "1986-01-03")
    assert row["value"] == 25.78
    assert row["units"] == "$/BBL"
    assert row["area_name"] == "NA"
    assert row["release_date"] == date(1986, 1, 8)
    # Wednesday 8 January 1986 10:30 EST (UTC-5).
    assert row["available_at"] == utc(1986, 1, 8, 15, 30)


@pytest.mark.dbt
def test_wpsr_monday_holiday(built):
    row = staged(built, "eia_weekly", "RWTC", "2024-01-12")
    assert row["is_release_delayed"] is True
    # Thursday 18 January 2024 11:00 EST.
    assert row["available_at"] == utc(2024, 1, 18, 16, 0)


@pytest.mark.dbt
def test_wpsr_wednesday_holiday(built):
    row = staged(built, "eia_weekly", "RWTC", "2024-06-14")
    # Friday 21 June 2024 11:00 EDT (UTC-4).
    assert row["available_at"] == utc(2024, 6, 21, 15, 0)


@pytest.mark.dbt
def test_wpsr_ordinary_week(built):
    row = staged(built, "eia_weekly", "RWTC", "2024-01-05")
    assert row["is_release_delayed"] is False
    assert row["available_at"] == utc(2024, 1, 10, 15, 30)


@pytest.mark.dbt
def test_retail_monday(built):
    row = staged(built, "eia_weekly", "EMM_EPMRU_PTE_NUS_DPG", "1990-08-20")
    assert row["value"] == 1.191
    assert row["units"] == "$/GAL"
    assert row["release_rule"] == "weekly_retail"
    # Monday 20 August 1990 17:00 EDT (UTC-4).
    assert row["available_at"] == utc(1990, 8, 20, 21, 0)


@pytest.mark.dbt
def test_retail_holiday_tuesday(built):
    row = staged(built, "eia_weekly", "EMM_EPMRU_PTE_NUS_DPG", "2024-01-15")
    assert row["release_date"] == date(2024, 1, 16)
    # Tuesday 16 January 2024 17:00 EST.
    assert row["available_at"] == utc(2024, 1, 16, 22, 0)


@pytest.mark.dbt
def test_retail_ordinary_monday(built):
    row = staged(built, "eia_weekly", "EMM_EPMRU_PTE_NUS_DPG", "2024-01-22")
    assert row["available_at"] == utc(2024, 1, 22, 22, 0)
