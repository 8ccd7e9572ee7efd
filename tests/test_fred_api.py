"""The FRED API client against a loopback server replaying real FRED bodies."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest.fred import fetch_api
from ingest.fred.api import FredApiError
from ingest.http import HttpError, RetryPolicy
from ingest.source import LoadContext, SourceFormatError, Window
from tests.conftest import realdata_path
from tests.loopback import LoopbackServer, RecordedRequest, Reply

pytestmark = pytest.mark.realdata

# Shaped like a FRED key (32 lowercase hex digits) but not a real one.
API_KEY = "0123456789abcdef0123456789abcdef"
OBSERVATIONS = "/fred/series/observations"
SERIES = "/fred/series"
# FRED's reply to an unregistered key. No recording of it exists in the test
# data, so this is built from the message text FRED users quote.
BAD_KEY_BODY = {
    "error_code": 400,
    "error_message": "Bad Request.  The value for variable api_key is not registered.",
}


def real_body(name: str) -> dict[str, Any]:
    return json.loads(realdata_path("fred", name).read_text(encoding="utf-8"))


def all_vintages() -> dict[str, Any]:
    return real_body("pyfredapi_series_observations_GDP_alfred_all_vintages.json")


def gdp_info() -> dict[str, Any]:
    return real_body("pyfredapi_series_GDP_info.json")


def page(body: dict[str, Any], offset: int, limit: int) -> dict[str, Any]:
    """Return the page of a full body that FRED sends for `offset` and `limit`."""
    rows = body["observations"][offset : offset + limit]
    return {**body, "offset": offset, "limit": limit, "observations": rows}


def at_offset(offset: int) -> Any:
    def matches(request: RecordedRequest) -> bool:
        return request.param("offset") == str(offset)

    return matches


@pytest.fixture
def fred_env(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> LoopbackServer:
    monkeypatch.setenv("ZL_FRED_BASE_URL", f"{loopback.url}/fred")
    monkeypatch.setenv("FRED_API_KEY", API_KEY)
    monkeypatch.setenv("ZL_FRED_SERIES", "GDP")
    monkeypatch.setenv("ZL_FRED_MIN_INTERVAL_S", "0")
    monkeypatch.delenv("ZL_FRED_PAGE_LIMIT", raising=False)
    return loopback


def make_ctx(window: Window | None = None) -> LoadContext:
    policy = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)
    return LoadContext(source="fred", retry=policy, window=window or Window())


def fetch(ctx: LoadContext) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for spec, table in fetch_api(ctx):
        rows.setdefault(spec.name, []).extend(table.to_pylist())
    return rows


def test_paging_reads_all_rows(
    fred_env: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_FRED_PAGE_LIMIT", "1000")
    body = all_vintages()
    fred_env.add(SERIES, Reply(200, gdp_info()))
    for offset in (0, 1000, 2000, 3000):
        fred_env.add(
            OBSERVATIONS, Reply(200, page(body, offset, 1000)), when=at_offset(offset)
        )
    rows = fetch(make_ctx())
    economic = rows["fred_economic"]
    assert len(economic) == 3201
    assert {r["vintage_mode"] for r in economic} == {"all_vintages"}
    assert {r["source"] for r in economic} == {"api"}
    assert len({(r["observation_date"], r["vintage_key"]) for r in economic}) == 3201
    assert rows["fred_series"][0]["series_id"] == "GDP"


def test_paging_request_parameters(
    fred_env: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_FRED_PAGE_LIMIT", "2000")
    body = all_vintages()
    fred_env.add(SERIES, Reply(200, gdp_info()))
    for offset in (0, 2000):
        fred_env.add(
            OBSERVATIONS, Reply(200, page(body, offset, 2000)), when=at_offset(offset)
        )
    fetch(make_ctx())
    requests = fred_env.requests_to(OBSERVATIONS)
    assert [r.param("offset") for r in requests] == ["0", "2000"]
    first = requests[0]
    assert first.param("realtime_start") == "1776-07-04"
    assert first.param("realtime_end") == "9999-12-31"
    assert first.param("file_type") == "json"
    assert first.param("limit") == "2000"
    assert first.param("series_id") == "GDP"
    assert first.param("api_key") == API_KEY


def test_window_sets_observation_range(fred_env: LoopbackServer) -> None:
    fred_env.add(SERIES, Reply(200, gdp_info()))
    fred_env.add(OBSERVATIONS, Reply(200, all_vintages()))
    fetch(make_ctx(Window(date(2020, 1, 1), date(2024, 12, 31))))
    request = fred_env.requests_to(OBSERVATIONS)[0]
    assert request.param("observation_start") == "2020-01-01"
    assert request.param("observation_end") == "2024-12-31"


def test_short_page_raises(
    fred_env: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_FRED_PAGE_LIMIT", "1000")
    short = page(all_vintages(), 0, 500)
    fred_env.add(SERIES, Reply(200, gdp_info()))
    fred_env.add(OBSERVATIONS, Reply(200, {**short, "limit": 1000}))
    with pytest.raises(SourceFormatError, match="only 500 of 3201 arrived"):
        fetch(make_ctx())


def test_count_change_raises(
    fred_env: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_FRED_PAGE_LIMIT", "2000")
    body = all_vintages()
    fred_env.add(SERIES, Reply(200, gdp_info()))
    fred_env.add(OBSERVATIONS, Reply(200, page(body, 0, 2000)), when=at_offset(0))
    grown = {**page(body, 2000, 2000), "count": 3202}
    fred_env.add(OBSERVATIONS, Reply(200, grown), when=at_offset(2000))
    with pytest.raises(SourceFormatError, match="count changed"):
        fetch(make_ctx())


def test_429_then_success(
    fred_env: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    body = real_body("openbb_series_observations_T10YFF_2023H1_daily_dot_missing.json")
    fred_env.add(SERIES, Reply(200, gdp_info()))
    fred_env.add(
        OBSERVATIONS,
        Reply(
            429,
            {"error_code": 429, "error_message": "Too Many Requests."},
            {"Retry-After": "2"},
        ),
        Reply(200, body),
    )
    with caplog.at_level(logging.INFO):
        rows = fetch(make_ctx())
    assert len(rows["fred_economic"]) == 112
    assert len(fred_env.requests_to(OBSERVATIONS)) == 2
    assert "retrying" in caplog.text
    assert API_KEY not in caplog.text


def test_5xx_until_attempts_run_out(
    fred_env: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    fred_env.add(SERIES, Reply(503, "Service Unavailable"))
    with caplog.at_level(logging.INFO), pytest.raises(HttpError) as raised:
        fetch(make_ctx())
    assert len(fred_env.requests_to(SERIES)) == 3
    assert "after 3 attempts" in str(raised.value)
    assert API_KEY not in str(raised.value)
    assert API_KEY not in caplog.text


def test_bad_key_raises_clearly(
    fred_env: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    fred_env.add(SERIES, Reply(400, BAD_KEY_BODY))
    with caplog.at_level(logging.INFO), pytest.raises(FredApiError) as raised:
        fetch(make_ctx())
    message = str(raised.value)
    assert "api_key is not registered" in message
    assert "FRED_API_KEY" in message
    assert raised.value.status == 400
    assert API_KEY not in message
    assert API_KEY not in caplog.text
    assert len(fred_env.requests_to(SERIES)) == 1


def test_empty_observations(fred_env: LoopbackServer) -> None:
    empty = {**page(all_vintages(), 0, 0), "count": 0, "limit": 100000}
    fred_env.add(SERIES, Reply(200, gdp_info()))
    fred_env.add(OBSERVATIONS, Reply(200, empty))
    rows = fetch(make_ctx())
    assert "fred_economic" not in rows
    assert len(rows["fred_series"]) == 1


def test_missing_series_skipped(
    fred_env: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_FRED_SERIES", "NOSUCHSERIES,GDP")
    missing = {
        "error_code": 400,
        "error_message": "Bad Request.  The series does not exist.",
    }
    fred_env.add(
        SERIES,
        Reply(400, missing),
        when=lambda r: r.param("series_id") == "NOSUCHSERIES",
    )
    fred_env.add(SERIES, Reply(200, gdp_info()))
    fred_env.add(OBSERVATIONS, Reply(200, all_vintages()))
    ctx = make_ctx()
    rows = fetch(ctx)
    assert ctx.skips["series not found"] == 1
    assert len(rows["fred_economic"]) == 3201


def test_missing_key_raises(
    fred_env: LoopbackServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ingest.settings import MissingSecretError

    monkeypatch.delenv("FRED_API_KEY")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MissingSecretError, match="FRED_API_KEY"):
        fetch(make_ctx())
    assert fred_env.requests == []
