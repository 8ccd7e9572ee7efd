"""The NOAA and Open-Meteo clients against a loopback server replaying real bodies."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingest.http import HttpError, RetryPolicy
from ingest.runner import load_source
from ingest.source import LoadContext, Window
from ingest.weather import fetch_api
from ingest.weather.api import date_chunks, local_today
from ingest.weather.parse import OpenMeteoError
from tests.conftest import realdata_path
from tests.loopback import LoopbackServer, RecordedRequest, Reply

pytestmark = pytest.mark.realdata

TOKEN = "NoaaTestToken0123456789abcdefXYZ"
STATION = "GHCND:USC00200230"
POINT = "om_sf_rosario"
POINT_ZONE = "America/Argentina/Cordoba"
DATA = "/cdo-web/api/v2/data"
ARCHIVE = "/v1/archive"
FORECAST = "/v1/forecast"
SEPTEMBER_2013 = Window(date(2013, 9, 1), date(2013, 9, 30))


def recorded(name: str) -> list[dict[str, Any]]:
    return json.loads(realdata_path("weather", name).read_text(encoding="utf-8"))


def noaa_body() -> dict[str, Any]:
    """The real GHCND PRCP body: 28 results, count 28."""
    interactions = recorded("noaa_cdo_v2_recorded_responses_rnoaa.json")
    return next(
        i["body"] for i in interactions if "datasetid=GHCND" in i["request_uri"]
    )


def openmeteo_recorded() -> list[dict[str, Any]]:
    return recorded("openmeteo_recorded_responses_accessiweather.json")


def noaa_page(body: dict[str, Any], offset: int, limit: int) -> dict[str, Any]:
    results = body["results"][offset - 1 : offset - 1 + limit]
    count = body["metadata"]["resultset"]["count"]
    metadata = {"resultset": {"offset": offset, "count": count, "limit": limit}}
    return {"metadata": metadata, "results": results}


def param_is(name: str, value: str) -> Any:
    def matches(request: RecordedRequest) -> bool:
        return request.param(name) == value

    return matches


@pytest.fixture
def weather_env(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> LoopbackServer:
    monkeypatch.setenv("ZL_NOAA_BASE_URL", f"{loopback.url}/cdo-web/api/v2")
    monkeypatch.setenv("ZL_OPENMETEO_ARCHIVE_URL", f"{loopback.url}{ARCHIVE}")
    monkeypatch.setenv("ZL_OPENMETEO_FORECAST_URL", f"{loopback.url}{FORECAST}")
    monkeypatch.setenv("NOAA_TOKEN", TOKEN)
    monkeypatch.setenv("ZL_NOAA_MIN_INTERVAL_S", "0")
    monkeypatch.setenv("ZL_WEATHER_LOCATIONS", STATION)
    monkeypatch.delenv("ZL_NOAA_PAGE_LIMIT", raising=False)
    return loopback


def make_ctx(window: Window = SEPTEMBER_2013) -> LoadContext:
    policy = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)
    return LoadContext(source="weather", retry=policy, window=window)


def fetch(ctx: LoadContext) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for spec, table in fetch_api(ctx):
        tables.setdefault(spec.name, []).extend(table.to_pylist())
    return tables


# --- NOAA ------------------------------------------------------------------


def test_noaa_paging_reads_all(
    weather_env: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_NOAA_PAGE_LIMIT", "10")
    body = noaa_body()
    for offset in (1, 11, 21):
        weather_env.add(
            DATA,
            Reply(200, noaa_page(body, offset, 10)),
            when=param_is("offset", str(offset)),
        )
    tables = fetch(make_ctx())
    rows = tables["weather_location_daily"]
    assert len(rows) == 28
    assert sum(r["precip_mm"] for r in rows) == pytest.approx(33.2)
    offsets = [r.param("offset") for r in weather_env.requests_to(DATA)]
    assert offsets == ["1", "11", "21"]


def test_noaa_request_parameters(weather_env: LoopbackServer) -> None:
    weather_env.add(DATA, Reply(200, noaa_body()))
    fetch(make_ctx())
    request = weather_env.requests_to(DATA)[0]
    assert request.query["datatypeid"] == ["TMAX", "TMIN", "PRCP"]
    assert request.param("datasetid") == "GHCND"
    assert request.param("stationid") == STATION
    assert request.param("startdate") == "2013-09-01"
    assert request.param("enddate") == "2013-09-30"
    assert request.param("limit") == "1000"
    assert request.param("units") is None
    assert request.headers["token"] == TOKEN


def test_noaa_requests_span_under_a_year(weather_env: LoopbackServer) -> None:
    weather_env.add(DATA, Reply(200, {}))
    fetch(make_ctx(Window(date(2012, 1, 1), date(2013, 12, 31))))
    spans = [
        (
            date.fromisoformat(r.param("startdate")),
            date.fromisoformat(r.param("enddate")),
        )
        for r in weather_env.requests_to(DATA)
    ]
    assert spans[0][0] == date(2012, 1, 1)
    assert spans[-1][1] == date(2013, 12, 31)
    assert all((last - first).days < 365 for first, last in spans)
    assert all(
        b[0] - a[1] == timedelta(days=1) for a, b in zip(spans, spans[1:], strict=False)
    )


def test_date_chunks_whole_range() -> None:
    chunks = date_chunks(date(2024, 1, 1), date(2024, 1, 10), 4)
    assert chunks == [
        (date(2024, 1, 1), date(2024, 1, 4)),
        (date(2024, 1, 5), date(2024, 1, 8)),
        (date(2024, 1, 9), date(2024, 1, 10)),
    ]


def test_noaa_429_then_success(weather_env: LoopbackServer) -> None:
    weather_env.add(
        DATA,
        Reply(429, {"status": "429", "message": "limit"}, headers={"Retry-After": "0"}),
        Reply(200, noaa_body()),
    )
    tables = fetch(make_ctx())
    assert len(tables["weather_location_daily"]) == 28
    assert len(weather_env.requests_to(DATA)) == 2


def test_noaa_5xx_exhausts_attempts(weather_env: LoopbackServer) -> None:
    weather_env.add(DATA, Reply(503, "Service Unavailable"))
    with pytest.raises(HttpError, match="after 3 attempts"):
        fetch(make_ctx())
    assert len(weather_env.requests_to(DATA)) == 3


def test_noaa_token_not_logged(
    weather_env: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    weather_env.add(DATA, Reply(503, f"upstream error for token={TOKEN}"))
    with caplog.at_level(logging.DEBUG), pytest.raises(HttpError) as error:
        fetch(make_ctx())
    assert TOKEN not in caplog.text
    assert TOKEN not in str(error.value)
    assert "attempt 1/3" in caplog.text


def test_noaa_empty_result(weather_env: LoopbackServer) -> None:
    weather_env.add(DATA, Reply(200, {}))
    ctx = make_ctx()
    assert fetch(ctx) == {}
    assert ctx.skips["station returned no data"] == 1


def test_noaa_without_token_skipped(
    weather_env: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOAA_TOKEN")
    ctx = make_ctx()
    assert fetch(ctx) == {}
    assert ctx.skips["NOAA token not set"] == 1
    assert weather_env.requests_to(DATA) == []


def test_noaa_region_row(weather_env: LoopbackServer) -> None:
    weather_env.add(DATA, Reply(200, noaa_body()))
    rows = fetch(make_ctx())["weather_noaa"]
    day = next(r for r in rows if r["observation_date"] == date(2013, 9, 9))
    assert day["region"] == "us_midwest"
    assert day["precip_mm"] == 7.4
    assert day["source"] == "api"


# --- Open-Meteo ------------------------------------------------------------


def openmeteo_body(days: list[date], highs_f: list[float | None]) -> dict[str, Any]:
    """A body shaped like the real recorded archive response, in °F."""
    template = next(
        i["body"] for i in openmeteo_recorded() if i["request_uri"].count("2025-11-22")
    )
    lows = [None if h is None else h - 18.0 for h in highs_f]
    return {
        **template,
        "daily": {
            "time": [d.isoformat() for d in days],
            "temperature_2m_max": highs_f,
            "temperature_2m_min": lows,
            "weather_code": [3] * len(days),
        },
    }


@pytest.fixture
def point_env(
    weather_env: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> LoopbackServer:
    monkeypatch.setenv("ZL_WEATHER_LOCATIONS", POINT)
    return weather_env


def test_openmeteo_error_reason(point_env: LoopbackServer) -> None:
    error = next(i for i in openmeteo_recorded() if i["status"]["code"] == 400)
    point_env.add(ARCHIVE, Reply(400, error["body"]))
    message = "Latitude must be in range of -90 to 90°. Given: 200.0."
    with pytest.raises(OpenMeteoError, match=message.replace(".", r"\.")):
        fetch(make_ctx(Window(date(2024, 1, 1), date(2024, 1, 5))))


def test_openmeteo_archive_request(point_env: LoopbackServer) -> None:
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(3)]
    point_env.add(ARCHIVE, Reply(200, openmeteo_body(days, [86.0, 77.0, 68.0])))
    tables = fetch(make_ctx(Window(days[0], days[-1])))
    rows = tables["weather_location_daily"]
    assert [r["tmax_c"] for r in rows] == [30.0, 25.0, 20.0]
    assert [r["tmin_c"] for r in rows] == [20.0, 15.0, 10.0]
    request = point_env.requests_to(ARCHIVE)[0]
    assert request.param("latitude") == "-32.95"
    assert request.param("timezone") == POINT_ZONE
    assert (
        request.param("daily")
        == "temperature_2m_max,temperature_2m_min,precipitation_sum"
    )
    assert point_env.requests_to(FORECAST) == []


def test_archive_replaces_forecast(point_env: LoopbackServer, warehouse: Path) -> None:
    today = local_today(POINT_ZONE)
    days = [today - timedelta(days=n) for n in range(5, 0, -1)]
    phase = {"run": 1}

    def in_run(run: int) -> Any:
        return lambda request: phase["run"] == run

    point_env.add(
        ARCHIVE,
        Reply(200, openmeteo_body(days, [50.0, 50.0, 50.0, None, None])),
        when=in_run(1),
    )
    forecast_days = [*days[-2:], today]
    point_env.add(
        FORECAST, Reply(200, openmeteo_body(forecast_days, [68.0] * 3)), when=in_run(1)
    )
    point_env.add(ARCHIVE, Reply(200, openmeteo_body(days, [59.0] * 5)), when=in_run(2))
    window = Window(days[0], days[-1])

    load_source("weather", window=window, db_path=warehouse)
    first = _location_rows(warehouse)
    forecast_request = point_env.requests_to(FORECAST)[0]
    phase["run"] = 2
    load_source("weather", window=window, db_path=warehouse)
    second = _location_rows(warehouse)

    assert forecast_request.param("past_days") == "2"
    assert [row[1] for row in first] == [False, False, False, True, True]
    assert first[3][2] == 20.0
    assert len(second) == 5
    assert [row[1] for row in second] == [False] * 5
    assert second[3][2] == 15.0
    assert len(point_env.requests_to(FORECAST)) == 1
    assert _region_provisional(warehouse) == [False] * 5


def _location_rows(db_path: Path) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "select observation_date, provisional, tmax_c "
            "from raw.weather_location_daily order by observation_date"
        ).fetchall()


def _region_provisional(db_path: Path) -> list[bool]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(
            "select provisional from raw.weather_noaa "
            "where region = 'argentina' order by observation_date"
        ).fetchall()
    return [row[0] for row in rows]
