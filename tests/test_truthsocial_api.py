"""The Truth Social API client against a loopback server replaying real bodies."""

from __future__ import annotations

import json
import logging
from datetime import date

import pyarrow as pa
import pytest

from ingest.http import HttpError, RetryPolicy
from ingest.source import LoadContext, SourceFormatError, Window
from ingest.text.scrapecreators import ScrapeCreatorsError
from ingest.truthsocial.api import fetch_api
from tests.conftest import realdata_path
from tests.loopback import Reply

KEY = "sc-test-key-7f3a9c"
POSTS = "/v1/truthsocial/user/posts"
BALANCE = "/v1/account/credit-balance"
FAST = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)


def _body(name: str) -> dict:
    return json.loads(realdata_path("scrapecreators", name).read_text(encoding="utf-8"))


@pytest.fixture
def api(loopback, monkeypatch):
    monkeypatch.setenv("ZL_SCRAPECREATORS_BASE_URL", loopback.url)
    monkeypatch.setenv("SCRAPECREATORS_API_KEY", KEY)
    monkeypatch.setenv("ZL_TRUTHSOCIAL_ACCOUNTS", "realDonaldTrump")
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "none")
    loopback.add(BALANCE, Reply(200, _body("account_credit_balance.sample.json")))
    return loopback


def _cursor(value: str | None):
    return lambda request: request.param("next_max_id") == value


def _run(window: Window | None = None) -> tuple[dict[str, pa.Table], LoadContext]:
    ctx = LoadContext(source="truthsocial", window=window or Window(), retry=FAST)
    tables = {spec.name: table for spec, table in fetch_api(ctx)}
    return tables, ctx


def _paged(api) -> None:
    """Script three pages: the trimmed sample, a page repeating its last post, empty."""
    first = _body("truthsocial_user_posts.trimmed.sample.json")
    second = _body("truthsocial_user_posts.sample.json")
    second["posts"] = [first["posts"][-1], *second["posts"]]
    empty = {**second, "posts": [], "next_max_id": None}
    api.add(POSTS, Reply(200, first), when=_cursor(None))
    api.add(POSTS, Reply(200, second), when=_cursor("114711182786951532"))
    api.add(POSTS, Reply(200, empty), when=_cursor("114308258545250117"))


def test_pages_with_next_max_id(api):
    _paged(api)
    tables, _ = _run()
    posts = tables["scrapecreators_trump"].to_pylist()
    cursors = [r.param("next_max_id") for r in api.requests_to(POSTS)]
    assert cursors == [None, "114711182786951532", "114308258545250117"]
    assert len(posts) == 21
    assert {p["source"] for p in posts} == {"api"}


def test_repeated_post_stored_once(api):
    _paged(api)
    tables, ctx = _run()
    ids = tables["scrapecreators_trump"].column("post_id").to_pylist()
    assert ids.count("114711182786951532") == 1
    assert ctx.skips["duplicate post"] == 1


def test_handle_and_key_sent(api):
    _paged(api)
    _run()
    request = api.requests_to(POSTS)[0]
    assert request.param("handle") == "realDonaldTrump"
    assert request.headers["x-api-key"] == KEY


def test_credits_recorded(api):
    _paged(api)
    tables, ctx = _run()
    rows = {r["endpoint"]: r for r in tables["scrapecreators_credits"].to_pylist()}
    assert rows[POSTS]["requests"] == 3
    assert rows[POSTS]["credits_charged"] == 3
    assert rows[POSTS]["credits_remaining"] == 1000000
    assert rows[BALANCE]["requests"] == 2
    assert rows["total"]["credits_charged"] == 5
    assert rows["total"]["balance_before"] == 333
    assert rows["total"]["balance_after"] == 333
    assert ctx.notes["scrapecreators_credits"]["credits_charged"] == 5


def test_window_start_stops_paging(api):
    _paged(api)
    tables, _ = _run(Window(start=date(2025, 6, 20)))
    cursors = [r.param("next_max_id") for r in api.requests_to(POSTS)]
    created = tables["scrapecreators_trump"].column("created_at").to_pylist()
    assert cursors == [None]
    assert min(created).date() == date(2025, 6, 20)


def test_429_then_success(api):
    page = _body("truthsocial_user_posts.trimmed.sample.json")
    page["next_max_id"] = None
    api.add(
        POSTS,
        Reply(429, {"error": "slow down"}, {"Retry-After": "0"}),
        Reply(200, page),
    )
    tables, _ = _run()
    assert len(api.requests_to(POSTS)) == 2
    assert tables["scrapecreators_trump"].num_rows == 20


def test_5xx_until_attempts_run_out(api):
    api.add(POSTS, Reply(503, {"error": "unavailable"}))
    with pytest.raises(HttpError, match="after 3 attempts"):
        _run()
    assert len(api.requests_to(POSTS)) == 3


def test_zero_balance_is_bad_key(loopback, monkeypatch):
    monkeypatch.setenv("ZL_SCRAPECREATORS_BASE_URL", loopback.url)
    monkeypatch.setenv("SCRAPECREATORS_API_KEY", KEY)
    loopback.add(BALANCE, Reply(200, {"creditCount": 0}))
    with pytest.raises(ScrapeCreatorsError, match="creditCount 0"):
        _run()
    assert loopback.requests_to(POSTS) == []


def test_401_is_rejected_key(api):
    api.add(POSTS, Reply(401, {"message": "Invalid API key"}))
    with pytest.raises(ScrapeCreatorsError, match="rejected the API key"):
        _run()


def test_success_false_raises(api):
    api.add(POSTS, Reply(200, {"success": False, "message": "handle not found"}))
    with pytest.raises(ScrapeCreatorsError, match="handle not found"):
        _run()


def test_empty_result_yields_no_posts(api):
    api.add(POSTS, Reply(200, {"success": True, "posts": [], "next_max_id": None}))
    tables, _ = _run()
    assert "scrapecreators_trump" not in tables
    assert tables["scrapecreators_credits"].num_rows == 3


def test_missing_posts_list_raises(api):
    api.add(POSTS, Reply(200, {"success": True, "items": []}))
    with pytest.raises(SourceFormatError, match="no posts list"):
        _run()


def test_key_absent_from_logs(api, caplog):
    caplog.set_level(logging.DEBUG)
    api.add(POSTS, Reply(503, {"error": f"bad key {KEY}"}))
    with pytest.raises(HttpError) as error:
        _run()
    assert KEY not in caplog.text
    assert KEY not in str(error.value)


def test_key_absent_from_rows(api):
    page = _body("truthsocial_user_posts.sample.json")
    page["posts"][0]["text"] = f"echo {KEY}"
    page["posts"][0]["content"] = f"<p>echo {KEY}</p>"
    page["next_max_id"] = None
    api.add(POSTS, Reply(200, page))
    tables, _ = _run()
    assert KEY not in str(tables["scrapecreators_trump"].to_pylist())
