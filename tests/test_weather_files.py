"""The weather file reader on every recorded weather file, and malformed input."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest.source import LoadContext, SourceFormatError, Window
from ingest.weather import read_files
from ingest.weather.parse import OpenMeteoError
from tests.conftest import realdata_path

pytestmark = pytest.mark.realdata

NOAA_FILE = "noaa_cdo_v2_recorded_responses_rnoaa.json"
OPENMETEO_FILE = "openmeteo_recorded_responses_accessiweather.json"
POWER_FILE = "nasa_power_daily_sorriso_mt_2025-01-01_05_agrobr.json"
SMN_FILE = "smn_argentina_datohorario_rosario_aero_2018-02_paugui.csv"
NYC = "40.7128,-74.0060"


def landing(tmp_path: Path, *names: str) -> Path:
    """Return a folder holding links to the named recorded weather files."""
    folder = tmp_path / "weather"
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).symlink_to(realdata_path("weather", name))
    return folder


def read(folder: Path, window: Window | None = None) -> tuple[dict, LoadContext]:
    ctx = LoadContext(source="weather", window=window or Window())
    tables: dict[str, list[dict[str, Any]]] = {}
    for spec, table in read_files(folder, ctx):
        tables.setdefault(spec.name, []).extend(table.to_pylist())
    return tables, ctx


def by_day(rows: list[dict[str, Any]], **match: Any) -> dict[date, dict[str, Any]]:
    return {
        r["observation_date"]: r
        for r in rows
        if all(r[key] == value for key, value in match.items())
    }


def test_noaa_prcp_tenths_to_mm(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, NOAA_FILE))
    days = by_day(tables["weather_location_daily"], feed="noaa_ghcnd")
    assert len(days) == 28
    assert days[date(2013, 9, 7)]["precip_mm"] == 0.8
    assert days[date(2013, 9, 9)]["precip_mm"] == 7.4
    assert days[date(2013, 9, 21)]["precip_mm"] == 9.9
    assert round(sum(r["precip_mm"] for r in days.values()), 2) == 33.2


def test_noaa_trace_flag_is_zero(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, NOAA_FILE))
    days = by_day(tables["weather_location_daily"], feed="noaa_ghcnd")
    assert days[date(2013, 9, 13)]["precip_mm"] == 0.0


def test_noaa_station_id_and_no_temperature(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, NOAA_FILE))
    rows = [r for r in tables["weather_location_daily"] if r["feed"] == "noaa_ghcnd"]
    assert {r["location_id"] for r in rows} == {"GHCND:USC00200230"}
    assert {r["tmax_c"] for r in rows} == {None}


def test_noaa_other_datasets_skipped(tmp_path: Path) -> None:
    _, ctx = read(landing(tmp_path, NOAA_FILE))
    assert ctx.skips["not GHCND daily data"] == 2
    assert ctx.skips["NOAA metadata response"] == 7


def test_noaa_region_weight_share(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, NOAA_FILE))
    day = by_day(tables["weather_noaa"], region="us_midwest")[date(2013, 9, 9)]
    assert day["precip_mm"] == 7.4
    assert day["locations_reported"] == 1
    assert day["locations_expected"] == 10
    assert day["weight_share_reported"] == 0.04


def test_openmeteo_fahrenheit_to_celsius(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, OPENMETEO_FILE))
    days = by_day(tables["weather_location_daily"], location_id=NYC)
    # 30.5 °F and 19.8 °F
    assert days[date(2025, 12, 5)]["tmax_c"] == -0.83
    assert days[date(2025, 12, 5)]["tmin_c"] == -6.78
    # 51.6 °F
    assert days[date(2025, 11, 22)]["tmax_c"] == 10.89


def test_openmeteo_later_recording_wins(tmp_path: Path) -> None:
    # 2025-11-26 is 59.5 °F in the first range and 59.7 °F in the second.
    tables, ctx = read(landing(tmp_path, OPENMETEO_FILE))
    days = by_day(tables["weather_location_daily"], location_id=NYC)
    assert days[date(2025, 11, 26)]["tmax_c"] == 15.39
    assert ctx.skips["duplicate location day"] == 3


def test_openmeteo_requested_point_kept(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, OPENMETEO_FILE))
    rows = tables["weather_location_daily"]
    assert len(rows) == 12
    assert {(r["latitude"], r["longitude"]) for r in rows} == {(40.7128, -74.006)}
    assert {r["precip_mm"] for r in rows} == {None}


def test_openmeteo_forecast_days_dropped(tmp_path: Path) -> None:
    tables, ctx = read(landing(tmp_path, OPENMETEO_FILE))
    provisional = [r for r in tables["weather_location_daily"] if r["provisional"]]
    assert provisional == []
    assert ctx.skips["forecast day, not observed"] == 7


def test_openmeteo_recorded_error_counted(tmp_path: Path) -> None:
    _, ctx = read(landing(tmp_path, OPENMETEO_FILE))
    assert ctx.skips["recorded error response"] == 1


def test_openmeteo_unseeded_point_not_aggregated(tmp_path: Path) -> None:
    tables, ctx = read(landing(tmp_path, OPENMETEO_FILE))
    assert "weather_noaa" not in tables
    assert ctx.skips["location not in seed"] == 1


def test_openmeteo_saved_error_raises(tmp_path: Path) -> None:
    recorded = json.loads(realdata_path("weather", OPENMETEO_FILE).read_text())
    error = next(item["body"] for item in recorded if item["status"]["code"] == 400)
    folder = tmp_path / "weather"
    folder.mkdir()
    (folder / "openmeteo_archive.json").write_text(json.dumps(error))
    with pytest.raises(OpenMeteoError, match="Latitude must be in range of -90 to 90"):
        read(folder)


def test_power_values(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, POWER_FILE))
    days = by_day(tables["weather_location_daily"], feed="nasa_power")
    assert len(days) == 5
    assert days[date(2025, 1, 3)]["tmax_c"] == 30.96
    assert days[date(2025, 1, 3)]["tmin_c"] == 21.71
    assert days[date(2025, 1, 3)]["precip_mm"] == 1.14


def test_power_matched_to_sorriso(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, POWER_FILE))
    row = tables["weather_location_daily"][0]
    assert row["location_id"] == "power_mt_sorriso"
    assert row["latitude"] == -12.6
    assert row["longitude"] == -56.1


def test_power_region_row(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, POWER_FILE))
    day = by_day(tables["weather_noaa"], region="brazil")[date(2025, 1, 5)]
    assert day["feed"] == "nasa_power"
    assert day["precip_mm"] == 0.82
    assert day["weight_share_reported"] == 0.437


def test_power_fill_value_not_a_number(tmp_path: Path) -> None:
    body = json.loads(realdata_path("weather", POWER_FILE).read_text())
    body["properties"]["parameter"]["T2M_MAX"]["20250102"] = -999.0
    body["properties"]["parameter"]["PRECTOTCORR"]["20250102"] = -999
    folder = tmp_path / "weather"
    folder.mkdir()
    (folder / "power.json").write_text(json.dumps(body))
    tables, _ = read(folder)
    day = by_day(tables["weather_location_daily"])[date(2025, 1, 2)]
    assert day["tmax_c"] is None
    assert day["precip_mm"] is None
    assert day["tmin_c"] == 22.72


def test_smn_daily_max_min(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, SMN_FILE))
    days = by_day(tables["weather_location_daily"], feed="smn")
    assert days[date(2018, 2, 1)]["tmax_c"] == 34.2
    assert days[date(2018, 2, 1)]["tmin_c"] == 18.9
    assert days[date(2018, 2, 28)]["tmax_c"] == 31.4
    assert days[date(2018, 2, 28)]["tmin_c"] == 19.5


def test_smn_missing_day_and_no_precip(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, SMN_FILE))
    days = by_day(tables["weather_location_daily"], feed="smn")
    assert len(days) == 27
    assert date(2018, 2, 11) not in days
    assert {r["precip_mm"] for r in days.values()} == {None}
    assert {r["location_id"] for r in days.values()} == {"ROSARIO AERO"}


def test_smn_region_share(tmp_path: Path) -> None:
    tables, _ = read(landing(tmp_path, SMN_FILE))
    day = by_day(tables["weather_noaa"], region="argentina")[date(2018, 2, 2)]
    assert day["tmax_c"] == 35.6
    assert day["weight_share_reported"] == 0.237


def test_smn_incomplete_day_skipped(tmp_path: Path) -> None:
    lines = realdata_path("weather", SMN_FILE).read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "weather"
    folder.mkdir()
    # The header, all of 1 February and the first 10 hours of 2 February.
    text = "\n".join(lines[: 1 + 24 + 10]) + "\n"
    (folder / "smn_rosario_aero_part.csv").write_text(text, encoding="utf-8")
    tables, ctx = read(folder)
    days = by_day(tables["weather_location_daily"])
    assert list(days) == [date(2018, 2, 1)]
    assert ctx.skips["incomplete day"] == 1


def test_smn_unknown_station_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "weather"
    folder.mkdir()
    source = realdata_path("weather", SMN_FILE)
    (folder / "smn_datohorario_unknown.csv").symlink_to(source)
    tables, ctx = read(folder)
    assert tables == {}
    assert ctx.skips["unknown SMN station"] == 1


def test_window_limits_days(tmp_path: Path) -> None:
    folder = landing(tmp_path, SMN_FILE, POWER_FILE)
    window = Window(date(2018, 2, 27), date(2025, 1, 1))
    tables, _ = read(folder, window)
    days = sorted(r["observation_date"] for r in tables["weather_location_daily"])
    assert days == [date(2018, 2, 27), date(2018, 2, 28), date(2025, 1, 1)]


def test_all_recorded_files(tmp_path: Path) -> None:
    folder = landing(tmp_path, NOAA_FILE, OPENMETEO_FILE, POWER_FILE, SMN_FILE)
    tables, _ = read(folder)
    assert len(tables["weather_location_daily"]) == 28 + 12 + 5 + 27
    assert len(tables["weather_noaa"]) == 28 + 5 + 27


def test_empty_folder_yields_nothing(tmp_path: Path) -> None:
    tables, _ = read(tmp_path)
    assert tables == {}


def test_unrecognised_file_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "notes.txt").write_text("not weather")
    with caplog.at_level(logging.WARNING):
        _, ctx = read(tmp_path)
    assert ctx.skips["unrecognised file"] == 1
    assert "notes.txt" in caplog.text


def test_truncated_json_raises(tmp_path: Path) -> None:
    text = realdata_path("weather", POWER_FILE).read_text()
    (tmp_path / "power.json").write_text(text[: len(text) // 2])
    with pytest.raises(SourceFormatError, match="invalid JSON"):
        read(tmp_path)


def test_openmeteo_column_length_mismatch(tmp_path: Path) -> None:
    body = {
        "latitude": -32.95,
        "longitude": -60.65,
        "daily_units": {"temperature_2m_max": "°C"},
        "daily": {"time": ["2024-01-01", "2024-01-02"], "temperature_2m_max": [30.1]},
    }
    (tmp_path / "archive.json").write_text(json.dumps(body))
    with pytest.raises(SourceFormatError, match="temperature_2m_max"):
        read(tmp_path)


def test_openmeteo_wrong_type_skipped(tmp_path: Path) -> None:
    body = {
        "latitude": -32.95,
        "longitude": -60.65,
        "daily_units": {"temperature_2m_max": "°C", "precipitation_sum": "inch"},
        "daily": {
            "time": ["2024-01-01", "2024-01-02"],
            "temperature_2m_max": ["hot", 30.1],
            "precipitation_sum": [None, 0.5],
        },
    }
    (tmp_path / "archive.json").write_text(json.dumps(body))
    tables, ctx = read(tmp_path)
    days = by_day(tables["weather_location_daily"])
    assert list(days) == [date(2024, 1, 2)]
    assert days[date(2024, 1, 2)]["precip_mm"] == 12.7
    assert days[date(2024, 1, 2)]["location_id"] == "om_sf_rosario"
    assert ctx.skips["no values for day"] == 1


def test_noaa_missing_results_raises(tmp_path: Path) -> None:
    (tmp_path / "noaa.json").write_text(json.dumps({"metadata": {}, "results": 3}))
    with pytest.raises(SourceFormatError, match="results"):
        read(tmp_path)


def test_recorded_forecast_past_days(tmp_path: Path) -> None:
    recorded = json.loads(realdata_path("weather", OPENMETEO_FILE).read_text())
    forecast = next(
        i for i in recorded if "/v1/forecast?latitude=40" in i["request_uri"]
    )
    forecast = {**forecast, "request_uri": forecast["request_uri"] + "&past_days=2"}
    (tmp_path / "recorded.json").write_text(json.dumps([forecast]))
    tables, ctx = read(tmp_path)
    days = by_day(tables["weather_location_daily"])
    assert list(days) == [date(2025, 1, 15), date(2025, 1, 16)]
    assert days[date(2025, 1, 15)]["provisional"] is True
    # 52.1 °F and 0.05 inch
    assert days[date(2025, 1, 16)]["tmax_c"] == 11.17
    assert days[date(2025, 1, 16)]["precip_mm"] == 1.27
    assert ctx.skips["forecast day, not observed"] == 5
