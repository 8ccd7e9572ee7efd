"""The EIA API v2 client against a loopback server replaying real EIA bodies."""

from __future__ import annotations

import copy
import json
import logging
from datetime import date, timedelta
from typing import Any

import pytest

from ingest.eia import fetch_api
from ingest.eia.api import EiaApiError
from ingest.http import HttpError, RetryPolicy
from ingest.source import LoadContext, SourceFormatError, Window
from tests.conftest import realdata_path
from tests.loopback import LoopbackServer, RecordedRequest, Reply

pytestmark = pytest.mark.realdata

# Shaped like an EIA key (40 letters and digits) but not a real one.
API_KEY = "Zq9X2mN4pL7vB1cD8fG3hJ6kS5tR0wY2uE4iO7aP"
SPOT_PATH = "/v2/petroleum/pri/spt/data/"
SPOT = "openbb_eia_v2_petroleum_pri_spt_RWTC_weekly_1986-01-03.json"
# EIA's reply to an invalid key. No recording exists in the test data, so
# this body is constructed: HTTP 403 with the api.data.gov gateway's error
# object, which is the shape EIA users report.
BAD_KEY_BODY = {
    "error": {
        "code": "API_KEY_INVALID",
        "message": "An invalid api_key was supplied. Get one at "
        "https://www.eia.gov/opendata/",
    }
}


def spot_body(n_rows: int) -> dict[str, Any]:
    """Return the recorded RWTC body grown to `n_rows` weekly rows.

    Every row copies the recorded one, with a period one Friday later each.
    """
    body = json.loads(realdata_path("eia", SPOT).read_text(encoding="utf-8"))
    template = body["response"]["data"][0]
    first = date.fromisoformat(template["period"])
    body["response"]["data"] = [
        {
            **template,
            "period": (first + timedelta(weeks=i)).isoformat(),
            "value": f"{25.78 + i / 100:.2f}",
        }
        for i in range(n_rows)
    ]
    body["response"]["total"] = str(n_rows)
    return body


def page(body: dict[str, Any], offset: int, length: int) -> dict[str, Any]:
    """Return the page EIA sends for `offset` and `length`, echoing the key."""
    result = copy.deepcopy(body)
    result["response"]["data"] = body["response"]["data"][offset : offset + length]
    params = result["request"]["params"]
    params.update(api_key=API_KEY, offset=str(offset), length=str(length))
    return result


def at_offset(offset: int) -> Any:
    def matches(request: RecordedRequest) -> bool:
        return request.param("offset") == str(offset)

    return matches


@pytest.fixture
def eia_env(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> LoopbackServer:
    monkeypatch.setenv("ZL_EIA_BASE_URL", f"{loopback.url}/v2")
    monkeypatch.setenv("EIA_API_KEY", API_KEY)
    monkeypatch.setenv("ZL_EIA_SERIES", "RWTC")
    monkeypatch.delenv("ZL_EIA_PAGE_LENGTH", raising=False)
    return loopback


def make_ctx(window: Window | None = None) -> LoadContext:
    policy = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)
    return LoadContext(source="eia", retry=policy, window=window or Window())


def fetch(ctx: LoadContext) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for spec, table in fetch_api(ctx):
        assert spec.name == "eia_observations"
        rows.extend(table.to_pylist())
    return rows


def serve_pages(server: LoopbackServer, body: dict[str, Any], length: int) -> None:
    total = len(body["response"]["data"])
    for offset in range(0, total, length):
        server.add(
            SPOT_PATH, Reply(200, page(body, offset, length)), when=at_offset(offset)
        )


def test_paging_reads_all_rows(eia_env, monkeypatch):
    monkeypatch.setenv("ZL_EIA_PAGE_LENGTH", "5")
    serve_pages(eia_env, spot_body(12), 5)
    rows = fetch(make_ctx())
    assert len(rows) == 12
    assert rows[0]["period"] == "1986-01-03"
    assert rows[-1]["period"] == "1986-03-21"
    assert rows[-1]["value"] == 25.89
    assert {r["source"] for r in rows} == {"api"}
    assert {r["route"] for r in rows} == {"petroleum/pri/spt"}


def test_paging_offsets_and_length(eia_env, monkeypatch):
    monkeypatch.setenv("ZL_EIA_PAGE_LENGTH", "5")
    serve_pages(eia_env, spot_body(12), 5)
    fetch(make_ctx())
    requests = eia_env.requests_to(SPOT_PATH)
    assert [r.param("offset") for r in requests] == ["0", "5", "10"]
    assert {r.param("length") for r in requests} == {"5"}


def test_request_parameters(eia_env):
    serve_pages(eia_env, spot_body(3), 5000)
    fetch(make_ctx(Window(start=date(1986, 1, 1), end=date(1986, 1, 31))))
    first = eia_env.requests_to(SPOT_PATH)[0]
    assert first.param("frequency") == "weekly"
    assert first.param("data[0]") == "value"
    assert first.query["facets[series][]"] == ["RWTC"]
    assert first.param("sort[0][column]") == "period"
    assert first.param("sort[0][direction]") == "asc"
    assert first.param("start") == "1986-01-01"
    assert first.param("end") == "1986-01-31"
    assert first.param("length") == "5000"
    assert first.param("api_key") == API_KEY


def test_monthly_window_format(eia_env, monkeypatch):
    monkeypatch.setenv("ZL_EIA_SERIES", "M_EPOOBDAFO_YIFBP_NUS_MMLB")
    path = "/v2/petroleum/pnp/feedbiofuel/data/"
    name = "openbb_eia_v2_petroleum_pnp_feedbiofuel_EPOOBDAFO_2019-01.json"
    body = json.loads(realdata_path("eia", name).read_text(encoding="utf-8"))
    eia_env.add(path, Reply(200, body))
    rows = fetch(make_ctx(Window(start=date(2019, 1, 1), end=date(2019, 1, 31))))
    request = eia_env.requests_to(path)[0]
    assert request.param("start") == "2019-01"
    assert request.param("end") == "2019-01"
    assert [r["value"] for r in rows] == [3.0]


def test_short_page_raises(eia_env, monkeypatch):
    monkeypatch.setenv("ZL_EIA_PAGE_LENGTH", "5")
    body = spot_body(12)
    eia_env.add(SPOT_PATH, Reply(200, page(body, 0, 5)), when=at_offset(0))
    eia_env.add(SPOT_PATH, Reply(200, page(body, 5, 3)), when=at_offset(5))
    with pytest.raises(SourceFormatError, match="page has 3 rows"):
        fetch(make_ctx())


def test_total_change_raises(eia_env, monkeypatch):
    monkeypatch.setenv("ZL_EIA_PAGE_LENGTH", "5")
    body = spot_body(12)
    second = page(body, 5, 5)
    second["response"]["total"] = "13"
    eia_env.add(SPOT_PATH, Reply(200, page(body, 0, 5)), when=at_offset(0))
    eia_env.add(SPOT_PATH, Reply(200, second), when=at_offset(5))
    with pytest.raises(SourceFormatError, match="changed from 12 to 13"):
        fetch(make_ctx())


def test_429_then_success(eia_env):
    body = page(spot_body(2), 0, 5000)
    eia_env.add(
        SPOT_PATH,
        Reply(429, {"error": "rate limited"}, headers={"Retry-After": "0"}),
        Reply(200, body),
    )
    rows = fetch(make_ctx())
    assert len(rows) == 2
    assert len(eia_env.requests_to(SPOT_PATH)) == 2


def test_5xx_until_attempts_run_out(eia_env):
    eia_env.add(SPOT_PATH, Reply(503, "Service Unavailable"))
    with pytest.raises(HttpError, match="after 3 attempts") as info:
        fetch(make_ctx())
    assert info.value.status == 503
    assert len(eia_env.requests_to(SPOT_PATH)) == 3


def test_bad_key_raises(eia_env):
    eia_env.add(SPOT_PATH, Reply(403, BAD_KEY_BODY))
    with pytest.raises(EiaApiError, match="API_KEY_INVALID") as info:
        fetch(make_ctx())
    assert "EIA_API_KEY" in str(info.value)
    assert info.value.status == 403
    assert len(eia_env.requests_to(SPOT_PATH)) == 1


def test_error_body_with_200_raises(eia_env):
    body = {"error": "Invalid facet 'seriez'", "code": 400}
    eia_env.add(SPOT_PATH, Reply(200, body))
    with pytest.raises(EiaApiError, match="Invalid facet"):
        fetch(make_ctx())


def test_empty_data_yields_nothing(eia_env, caplog):
    body = page(spot_body(0), 0, 5000)
    eia_env.add(SPOT_PATH, Reply(200, body))
    rows = fetch(make_ctx())
    assert rows == []
    assert "no weekly rows for RWTC" in caplog.text


def test_key_absent_everywhere(eia_env, caplog):
    caplog.set_level(logging.DEBUG)
    body = page(spot_body(2), 0, 5000)
    eia_env.add(
        SPOT_PATH,
        Reply(500, {"request": {"params": {"api_key": API_KEY}}}),
        Reply(200, body),
    )
    rows = fetch(make_ctx())
    assert API_KEY in json.dumps(body)
    assert API_KEY not in json.dumps(rows, default=str)
    assert API_KEY not in caplog.text


def test_key_absent_from_errors(eia_env, caplog):
    caplog.set_level(logging.DEBUG)
    echoed = {**BAD_KEY_BODY, "request": {"params": {"api_key": API_KEY}}}
    eia_env.add(SPOT_PATH, Reply(403, echoed))
    with pytest.raises(EiaApiError) as info:
        fetch(make_ctx())
    assert API_KEY not in str(info.value)
    assert API_KEY not in caplog.text


def test_key_absent_after_retries(eia_env, caplog):
    caplog.set_level(logging.DEBUG)
    eia_env.add(SPOT_PATH, Reply(502, f"bad gateway for api_key={API_KEY}"))
    with pytest.raises(HttpError) as info:
        fetch(make_ctx())
    assert API_KEY not in str(info.value)
    assert API_KEY not in caplog.text


def test_unknown_series_env_raises(eia_env, monkeypatch):
    monkeypatch.setenv("ZL_EIA_SERIES", "NOT_A_SERIES")
    with pytest.raises(ValueError, match="NOT_A_SERIES"):
        fetch(make_ctx())


def test_invalid_page_length_raises(eia_env, monkeypatch):
    monkeypatch.setenv("ZL_EIA_PAGE_LENGTH", "5001")
    with pytest.raises(ValueError, match="ZL_EIA_PAGE_LENGTH"):
        fetch(make_ctx())
