"""The Quick Stats client against a loopback server.

The 413 and 400 bodies are the recorded Quick Stats bodies; the data bodies
are the recorded Virginia corn record with its year changed. The 401 body
for a bad key is built by hand, because none was recorded.
"""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest

from ingest.http import HttpError, RetryPolicy
from ingest.source import LoadContext, Window
from ingest.usda.nass_api import fetch_nass
from tests.conftest import realdata_path
from tests.loopback import RecordedRequest, Reply

PATH = "/api_GET/"
SECRET = "nass-secret-key-4711"
FAST = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)


@pytest.fixture
def nass_env(monkeypatch, loopback):
    monkeypatch.setenv("ZL_NASS_BASE_URL", loopback.url)
    monkeypatch.setenv("NASS_API_KEY", SECRET)
    monkeypatch.setenv("ZL_NASS_QUERIES", "soybean_progress")
    return loopback


def _ctx(first: int, last: int) -> LoadContext:
    window = Window(start=date(first, 1, 1), end=date(last, 12, 31))
    return LoadContext(source="usda", window=window, retry=FAST)


def _real(name: str) -> bytes:
    return realdata_path("usda", name).read_bytes()


def _data(year: int, state: str = "VA") -> dict:
    body = json.loads(_real("rnassqs_quickstats_api_GET_corn_yield_VA.json"))
    record = body["data"][6]  # SURVEY grain yield, 103 BU / ACRE
    return {"data": [{**record, "year": str(year), "state_alpha": state}]}


def _rows(ctx: LoadContext) -> list[dict]:
    return [row for _, table in fetch_nass(ctx) for row in table.to_pylist()]


def _is(year: str | None = None, state: str | None = None, broad: bool = False):
    def match(request: RecordedRequest) -> bool:
        if broad:
            return request.param("year__GE") is not None
        return request.param("year") == year and request.param("state_alpha") == state

    return match


@pytest.mark.realdata
def test_413_splits_by_year_then_state(nass_env):
    too_large = Reply(413, _real("rnassqs_quickstats_error_413_exceeds_limit.json"))
    no_data = Reply(400, _real("rnassqs_quickstats_error_400_bad_request.json"))
    nass_env.add(PATH, too_large, when=_is(broad=True))
    nass_env.add(PATH, Reply(200, _data(2020)), when=_is("2020"))
    nass_env.add(PATH, too_large, when=_is("2021"))
    nass_env.add(PATH, Reply(200, _data(2021, "US")), when=_is("2021", "US"))
    nass_env.add(PATH, no_data, when=lambda r: r.param("year") == "2021")

    rows = _rows(_ctx(2020, 2021))

    assert sorted(row["year"] for row in rows) == [2020, 2021]
    requests = nass_env.requests_to(PATH)
    # One broad query, one per year, then the US and 50 states for 2021.
    assert len(requests) == 1 + 2 + 51
    assert requests[0].param("year__GE") == "2020"
    assert requests[0].param("year__LE") == "2021"


@pytest.mark.realdata
def test_400_no_data_is_empty(nass_env):
    body = _real("rnassqs_quickstats_error_400_bad_request.json")
    nass_env.add(PATH, Reply(400, body))
    assert _rows(_ctx(2020, 2020)) == []


@pytest.mark.realdata
def test_query_parameters_sent(nass_env):
    nass_env.add(PATH, Reply(200, _data(2020)))
    _rows(_ctx(2020, 2020))
    request = nass_env.requests_to(PATH)[0]
    assert request.param("key") == SECRET
    assert request.param("commodity_desc") == "SOYBEANS"
    assert request.param("statisticcat_desc") == "PROGRESS"
    assert request.param("freq_desc") == "WEEKLY"
    assert request.param("format") == "JSON"
    assert request.param("year") == "2020"


@pytest.mark.realdata
def test_rows_parsed_from_api(nass_env):
    nass_env.add(PATH, Reply(200, _data(2020)))
    rows = _rows(_ctx(2020, 2020))
    assert len(rows) == 1
    assert rows[0]["value"] == 103.0
    assert rows[0]["query_id"] == "soybean_progress"


@pytest.mark.realdata
def test_429_then_success(nass_env):
    nass_env.add(
        PATH,
        Reply(429, {"error": ["too many requests"]}, headers={"Retry-After": "0"}),
        Reply(200, _data(2020)),
    )
    rows = _rows(_ctx(2020, 2020))
    assert len(rows) == 1
    assert len(nass_env.requests_to(PATH)) == 2


def test_5xx_until_attempts_run_out(nass_env, caplog):
    caplog.set_level(logging.DEBUG)
    nass_env.add(PATH, Reply(503, "service unavailable"))
    with pytest.raises(HttpError) as raised:
        _rows(_ctx(2020, 2020))
    assert raised.value.status == 503
    assert len(nass_env.requests_to(PATH)) == 3
    assert SECRET not in str(raised.value)
    assert SECRET not in caplog.text


def test_bad_key_raises_without_key(nass_env, caplog):
    caplog.set_level(logging.DEBUG)
    # Hand-made body: no recorded Quick Stats 401 is available.
    nass_env.add(PATH, Reply(401, {"error": ["unauthorized"]}))
    with pytest.raises(HttpError) as raised:
        _rows(_ctx(2020, 2020))
    assert raised.value.status == 401
    assert SECRET not in str(raised.value)
    assert SECRET not in caplog.text


def test_other_400_raises(nass_env):
    nass_env.add(PATH, Reply(400, {"error": ["unsupported parameter foo"]}))
    with pytest.raises(HttpError, match="unsupported parameter"):
        _rows(_ctx(2020, 2020))


def test_413_for_one_state_raises(nass_env):
    too_large = Reply(413, {"error": ["exceeds limit=50000"]})
    nass_env.add(PATH, too_large)
    with pytest.raises(HttpError, match="still exceeds"):
        _rows(_ctx(2020, 2020))


def test_unknown_query_id_rejected(nass_env, monkeypatch):
    monkeypatch.setenv("ZL_NASS_QUERIES", "no_such_query")
    with pytest.raises(ValueError, match="no_such_query"):
        _rows(_ctx(2020, 2020))


def test_invalid_json_body_raises(nass_env):
    nass_env.add(PATH, Reply(200, '{"data": [{"short_desc"'))
    with pytest.raises(ValueError, match="invalid Quick Stats JSON"):
        _rows(_ctx(2020, 2020))
