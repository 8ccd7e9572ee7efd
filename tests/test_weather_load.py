"""The recorded weather files through the runner and dbt into staging."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from ingest.build import build
from ingest.runner import load_source
from ingest.source import Window
from tests.conftest import realdata_path

pytestmark = [pytest.mark.realdata, pytest.mark.dbt]

FILES = (
    "noaa_cdo_v2_recorded_responses_rnoaa.json",
    "openmeteo_recorded_responses_accessiweather.json",
    "nasa_power_daily_sorriso_mt_2025-01-01_05_agrobr.json",
    "smn_argentina_datohorario_rosario_aero_2018-02_paugui.csv",
)
MODEL = "staging.weather_regions_aggregated"


def _landing(root: Path) -> Path:
    folder = root / "landing" / "weather"
    folder.mkdir(parents=True)
    for name in FILES:
        (folder / name).symlink_to(realdata_path("weather", name))
    return folder.parent


def _counts(db_path: Path) -> tuple[int, int]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        regional = con.execute("select count(*) from raw.weather_noaa").fetchone()[0]
        daily = con.execute("select count(*) from raw.weather_location_daily")
        return regional, daily.fetchone()[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("weather")
    db_path = root / "zl.duckdb"
    result = load_source("weather", _landing(root), Window(), db_path)
    assert result.status == "success"
    build(db_path, allow_stale=True, select=["+weather_regions_aggregated"])
    return db_path


def _row(db_path: Path, region: str, day: date, columns: str) -> tuple:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            f"select {columns} from {MODEL} where region = ? and observation_date = ?",
            [region, day],
        ).fetchone()


def test_second_load_adds_nothing(tmp_path: Path, warehouse: Path) -> None:
    landing = _landing(tmp_path)
    load_source("weather", landing, Window(), warehouse)
    first = _counts(warehouse)
    load_source("weather", landing, Window(), warehouse)
    assert first == (60, 72)
    assert _counts(warehouse) == first


def test_staging_rows_per_region(built: Path) -> None:
    with duckdb.connect(str(built), read_only=True) as con:
        rows = con.execute(
            f"select region, count(*) from {MODEL} group by region order by region"
        ).fetchall()
    assert rows == [("argentina", 27), ("brazil", 5), ("us_midwest", 28)]


def test_smn_available_at(built: Path) -> None:
    # End of 1 Feb 2018 in Córdoba (UTC-3) is 03:00 UTC on 2 Feb; SMN + 48 h.
    (available_at,) = _row(built, "argentina", date(2018, 2, 1), "available_at")
    assert available_at.astimezone(UTC) == datetime(2018, 2, 4, 3, tzinfo=UTC)


def test_power_available_at(built: Path) -> None:
    # End of 3 Jan 2025 in Cuiabá (UTC-4) is 04:00 UTC on 4 Jan; + 168 h.
    (available_at,) = _row(built, "brazil", date(2025, 1, 3), "available_at")
    assert available_at.astimezone(UTC) == datetime(2025, 1, 11, 4, tzinfo=UTC)


def test_noaa_available_at(built: Path) -> None:
    # End of 10 Sep 2013 in Chicago (CDT, UTC-5) is 05:00 UTC on 11 Sep; + 168 h.
    (available_at,) = _row(built, "us_midwest", date(2013, 9, 10), "available_at")
    assert available_at.astimezone(UTC) == datetime(2013, 9, 18, 5, tzinfo=UTC)


def test_gdd_from_real_values(built: Path) -> None:
    # (min(30.96, 30) + 21.71) / 2 - 10 and (30 + 18.9) / 2 - 10
    (brazil,) = _row(built, "brazil", date(2025, 1, 3), "gdd_base10_cap30")
    (argentina,) = _row(built, "argentina", date(2018, 2, 1), "gdd_base10_cap30")
    assert brazil == 15.855
    assert argentina == 14.45


def test_dry_spell_from_real_precip(built: Path) -> None:
    # Wet days (>= 1 mm): 9, 12, 16, 20, 21, 29 September.
    expected = {
        date(2013, 9, 7): None,
        date(2013, 9, 9): 0,
        date(2013, 9, 11): 2,
        date(2013, 9, 15): 3,
        date(2013, 9, 16): 0,
        date(2013, 9, 28): 7,
        date(2013, 9, 30): 1,
    }
    for day, spell in expected.items():
        (value,) = _row(built, "us_midwest", day, "dry_spell_days")
        assert value == spell, day


def test_anomalies_null_without_history(built: Path) -> None:
    with duckdb.connect(str(built), read_only=True) as con:
        count = con.execute(
            f"select count(*) from {MODEL} where tmax_anomaly_c is not null "
            "or precip_anomaly_mm is not null"
        ).fetchone()[0]
    assert count == 0


def test_smn_feed_has_no_precip(built: Path) -> None:
    feed, precip, spell = _row(
        built, "argentina", date(2018, 2, 2), "feed, precip_mm, dry_spell_days"
    )
    assert feed == "smn"
    assert precip is None
    assert spell is None
