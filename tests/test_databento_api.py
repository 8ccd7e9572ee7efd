"""Databento live API mode against the loopback server.

The server replays DBN bytes for POST /v0/timeseries.get_range: the recorded
ESH1 files, and synthetic continuous-symbol files for the roll mapping.
The 401 body follows the JSON `detail` shape the official client parses.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from pathlib import Path

import pytest

from ingest.databento import SOURCE
from ingest.databento.api import request_range
from ingest.databento.synthetic import write_synthetic
from ingest.http import HttpError, RetryPolicy
from ingest.source import LoadContext, SourceFormatError, Window
from tests.conftest import realdata_path
from tests.loopback import LoopbackServer, RecordedRequest, Reply

API_KEY = "db-LoopbackTestKey7f3a9c"
PATH = "/v0/timeseries.get_range"
ESH1 = "GLBX.MDP3_ESH1_20201228"
DAY = Window(dt.date(2020, 12, 28), dt.date(2020, 12, 28))
FAST = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)


@pytest.fixture
def api(loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> LoopbackServer:
    monkeypatch.setenv("DATABENTO_API_KEY", API_KEY)
    monkeypatch.setenv("ZL_DATABENTO_GATEWAY", loopback.url)
    return loopback


def for_schema(schema: str):
    def matcher(request: RecordedRequest) -> bool:
        return request.form().get("schema") == [schema]

    return matcher


def recorded(schema: str) -> bytes:
    return realdata_path("databento", f"{ESH1}.{schema}.dbn.zst").read_bytes()


def fetch(window: Window = DAY) -> tuple[dict, LoadContext]:
    ctx = LoadContext(source="databento", window=window, retry=FAST)
    tables = {spec.name: table.to_pylist() for spec, table in SOURCE.fetch_api(ctx)}
    return tables, ctx


def serve_recorded(server: LoopbackServer) -> None:
    for schema in ("definition", "ohlcv-1d", "statistics"):
        server.add(PATH, Reply(200, recorded(schema)), when=for_schema(schema))


def test_api_request_fields(api: LoopbackServer) -> None:
    serve_recorded(api)
    fetch()
    forms = [r.form() for r in api.requests_to(PATH)]
    assert [f["schema"][0] for f in forms] == ["definition", "ohlcv-1d", "statistics"]
    assert forms[0]["dataset"] == ["GLBX.MDP3"]
    assert forms[0]["stype_in"] == ["continuous"]
    assert forms[0]["start"] == ["2020-12-28"]
    assert forms[0]["end"] == ["2020-12-29"]
    assert "ZL.c.0" in forms[0]["symbols"][0].split(",")
    assert "HO.v.0" in forms[0]["symbols"][0].split(",")


def test_api_sends_key_basic_auth(api: LoopbackServer) -> None:
    serve_recorded(api)
    fetch()
    header = api.requests_to(PATH)[0].headers["authorization"]
    user = base64.b64decode(header.removeprefix("Basic ")).decode()
    assert user == f"{API_KEY}:"


def test_api_recorded_rows(api: LoopbackServer) -> None:
    serve_recorded(api)
    tables, _ = fetch()
    bar = tables["databento_futures_ohlcv_1d"][0]
    assert bar["open"] == 3702.75
    assert bar["raw_symbol"] == "ESH1"
    assert len(tables["databento_statistics"]) == 4
    assert tables["databento_definitions"][0]["min_price_increment"] == 0.25


def test_api_continuous_roll(api: LoopbackServer, tmp_path: Path) -> None:
    paths = write_synthetic(tmp_path, dt.date(2024, 2, 12), dt.date(2024, 2, 16), 3)
    for path, schema in zip(
        paths, ("ohlcv-1d", "statistics", "definition"), strict=True
    ):
        api.add(PATH, Reply(200, path.read_bytes()), when=for_schema(schema))
    tables, _ = fetch(Window(dt.date(2024, 2, 12), dt.date(2024, 2, 16)))
    bars = [r for r in tables["databento_futures_ohlcv_1d"] if r["symbol"] == "ZL.c.0"]
    assert [r["raw_symbol"] for r in bars] == ["ZLH4"] * 3 + ["ZLK4"] * 2
    assert {r["root"] for r in bars} == {"ZL"}
    assert {r["stype_in"] for r in bars} == {"continuous"}


def test_api_429_then_success(api: LoopbackServer, caplog) -> None:
    throttled = Reply(429, {"detail": "Too many requests"}, {"Retry-After": "0"})
    api.add(
        PATH, throttled, Reply(200, recorded("ohlcv-1d")), when=for_schema("ohlcv-1d")
    )
    serve_recorded(api)
    with caplog.at_level(logging.DEBUG):
        tables, _ = fetch()
    ohlcv = [r for r in api.requests_to(PATH) if r.form()["schema"] == ["ohlcv-1d"]]
    assert len(ohlcv) == 2
    assert len(tables["databento_futures_ohlcv_1d"]) == 1
    assert "HTTP 429" in caplog.text
    assert API_KEY not in caplog.text


def test_api_5xx_gives_up(api: LoopbackServer, caplog) -> None:
    api.add(PATH, Reply(503, {"detail": "Service unavailable"}))
    with caplog.at_level(logging.DEBUG), pytest.raises(HttpError) as info:
        fetch()
    assert len(api.requests_to(PATH)) == FAST.max_attempts
    assert "after 3 attempts" in str(info.value)
    assert API_KEY not in str(info.value)
    assert API_KEY not in caplog.text


def test_api_bad_key(api: LoopbackServer, caplog) -> None:
    api.add(PATH, Reply(401, {"detail": "Authentication failed."}))
    with caplog.at_level(logging.DEBUG), pytest.raises(HttpError) as info:
        fetch()
    assert info.value.status == 401
    assert len(api.requests_to(PATH)) == 1
    assert "Authentication failed." in str(info.value)
    assert API_KEY not in str(info.value)
    assert API_KEY not in caplog.text


def test_api_empty_result(api: LoopbackServer) -> None:
    empty = realdata_path(
        "databento", "dbnrepo_GLBX.MDP3_ESH1_empty.ohlcv-1d.v1.dbn.zst"
    )
    api.add(PATH, Reply(200, empty.read_bytes()))
    tables, ctx = fetch()
    assert tables == {}
    assert sum(ctx.skips.values()) == 0


def test_api_truncated_body(api: LoopbackServer) -> None:
    api.add(PATH, Reply(200, recorded("ohlcv-1d")[:100]))
    with pytest.raises(SourceFormatError, match="not valid DBN"):
        fetch()


def test_api_garbled_body(api: LoopbackServer) -> None:
    api.add(PATH, Reply(200, "<html>maintenance</html>"))
    with pytest.raises(SourceFormatError, match="not valid DBN"):
        fetch()
    assert len(api.requests_to(PATH)) == 1


def test_api_empty_body(api: LoopbackServer) -> None:
    api.add(PATH, Reply(200, b""))
    with pytest.raises(SourceFormatError, match="not valid DBN"):
        fetch()


def test_range_open_end() -> None:
    start, end = request_range(Window(), dt.date(2024, 3, 31))
    assert end == dt.date(2024, 3, 31)
    assert start == dt.date(2024, 3, 1)


def test_range_clips_future_end() -> None:
    window = Window(dt.date(2024, 3, 1), dt.date(2024, 12, 31))
    _, end = request_range(window, dt.date(2024, 3, 31))
    assert end == dt.date(2024, 3, 31)
