"""The news API client against a loopback server replaying real search bodies."""

from __future__ import annotations

import json
import logging

import pyarrow as pa
import pytest

from ingest.http import HttpError, RetryPolicy
from ingest.news.api import fetch_api
from ingest.news.settings import search_queries
from ingest.source import LoadContext, SourceFormatError
from ingest.text.buckets import load_taxonomy
from ingest.text.scrapecreators import ScrapeCreatorsError
from tests.conftest import realdata_path
from tests.loopback import Reply

KEY = "sc-news-key-41d2e8"
GOOGLE = "/v1/google/search"
REDDIT = "/v1/reddit/search"
TWITTER = "/v1/twitter/user-tweets"
BALANCE = "/v1/account/credit-balance"
FAST = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)
TAXONOMY = (
    "taxonomy_version,bucket,term,match_type,weight\n"
    "t1,china,china,word,1\n"
    "t1,tariffs,tariff,prefix,1\n"
    "t1,biofuel,biofuel,word,1\n"
    "t1,webdev,scraping,word,1\n"
)
QUERIES = (
    "bucket,platform,query\n"
    "china,google,China soybean purchases\n"
    "tariffs,reddit,tariffs soybeans\n"
    "biofuel,twitter,@USDA\n"
)


def _body(name: str) -> dict:
    return json.loads(realdata_path("scrapecreators", name).read_text(encoding="utf-8"))


@pytest.fixture
def api(loopback, monkeypatch, tmp_path):
    taxonomy = tmp_path / "taxonomy.csv"
    taxonomy.write_text(TAXONOMY)
    queries = tmp_path / "queries.csv"
    queries.write_text(QUERIES)
    monkeypatch.setenv("ZL_TEXT_TAXONOMY", str(taxonomy))
    monkeypatch.setenv("ZL_NEWS_QUERIES", str(queries))
    monkeypatch.setenv("ZL_SCRAPECREATORS_BASE_URL", loopback.url)
    monkeypatch.setenv("SCRAPECREATORS_API_KEY", KEY)
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "none")
    loopback.add(BALANCE, Reply(200, _body("account_credit_balance.sample.json")))
    return loopback


def _script_all(api) -> None:
    api.add(GOOGLE, Reply(200, _body("google_search.sample.json")))
    api.add(REDDIT, Reply(200, _body("reddit_search.sample.json")))
    api.add(TWITTER, Reply(200, _body("twitter_user_tweets.trimmed.sample.json")))


def _run() -> tuple[dict[str, pa.Table], LoadContext]:
    ctx = LoadContext(source="news", retry=FAST)
    tables = {spec.name: table for spec, table in fetch_api(ctx)}
    return tables, ctx


def test_derived_query_per_bucket(api):
    queries = search_queries(load_taxonomy())
    derived = [q for q in queries if q.bucket == "webdev"]
    assert [(q.platform, q.query) for q in derived] == [
        ("google", "scraping"),
        ("reddit", "scraping"),
    ]


def test_queries_sent_per_platform(api):
    _script_all(api)
    _run()
    google = [r.param("query") for r in api.requests_to(GOOGLE)]
    reddit = [r.param("query") for r in api.requests_to(REDDIT)]
    twitter = [r.param("handle") for r in api.requests_to(TWITTER)]
    assert google == ["China soybean purchases", "scraping"]
    assert reddit == ["tariffs soybeans", "scraping"]
    assert twitter == ["USDA"]


def test_items_bucketed_by_text(api):
    _script_all(api)
    tables, _ = _run()
    rows = tables["scrapecreators_news_buckets"].to_pylist()
    reddit = [r for r in rows if r["platform"] == "reddit"]
    assert [(r["item_id"], r["bucket"], r["matched_terms"]) for r in reddit] == [
        ("1flgwup", "webdev", "scraping")
    ]
    assert reddit[0]["query"] == "tariffs soybeans"
    assert reddit[0]["source"] == "api"


def test_repeated_item_stored_once(api):
    _script_all(api)
    tables, ctx = _run()
    rows = tables["scrapecreators_news_buckets"].to_pylist()
    google_ids = {r["item_id"] for r in rows if r["platform"] == "google"}
    assert len(google_ids) == 5
    assert ctx.skips["duplicate item"] == 6


def test_google_age_from_fetch_time(api):
    _script_all(api)
    tables, _ = _run()
    rows = tables["scrapecreators_news_buckets"].to_pylist()
    row = next(r for r in rows if r["url"] == "https://x.com/Austen")
    assert (row["fetched_at"] - row["published_at"]).total_seconds() == 22 * 3600
    assert row["published_at_basis"] == "relative"


def test_reddit_follows_after(api, monkeypatch):
    monkeypatch.setenv("ZL_NEWS_REDDIT_PAGES", "2")
    first = _body("reddit_search.trimmed.sample.json")
    second = {**_body("reddit_search.sample.json"), "after": None}
    api.add(REDDIT, Reply(200, first), when=lambda r: r.param("after") is None)
    api.add(REDDIT, Reply(200, second), when=lambda r: r.param("after") == "t3_1izmcgx")
    api.add(GOOGLE, Reply(200, {"success": True, "results": []}))
    api.add(TWITTER, Reply(200, {"success": True, "tweets": []}))
    tables, _ = _run()
    ids = {r["item_id"] for r in tables["scrapecreators_news_buckets"].to_pylist()}
    assert ids == {"w63dgy", "1fu8hix", "1flgwup"}
    assert len(api.requests_to(REDDIT)) == 4


def test_credits_recorded(api):
    _script_all(api)
    tables, ctx = _run()
    rows = {r["endpoint"]: r for r in tables["scrapecreators_credits"].to_pylist()}
    assert rows[GOOGLE]["requests"] == 2
    assert rows["total"]["credits_charged"] == 7
    assert rows["total"]["balance_before"] == 333
    assert ctx.notes["scrapecreators_credits"]["balance_after"] == 333


def test_429_then_success(api):
    api.add(
        GOOGLE,
        Reply(429, {"error": "rate limited"}, {"Retry-After": "0"}),
        Reply(200, _body("google_search.sample.json")),
    )
    api.add(REDDIT, Reply(200, {"success": True, "posts": []}))
    api.add(TWITTER, Reply(200, {"success": True, "tweets": []}))
    tables, _ = _run()
    assert len(api.requests_to(GOOGLE)) == 3
    assert tables["scrapecreators_news_buckets"].num_rows == 5


def test_5xx_until_attempts_run_out(api):
    api.add(GOOGLE, Reply(502, "bad gateway"))
    with pytest.raises(HttpError, match="after 3 attempts"):
        _run()
    assert len(api.requests_to(GOOGLE)) == 3


def test_zero_balance_is_bad_key(loopback, monkeypatch):
    monkeypatch.setenv("ZL_SCRAPECREATORS_BASE_URL", loopback.url)
    monkeypatch.setenv("SCRAPECREATORS_API_KEY", KEY)
    loopback.add(BALANCE, Reply(200, {"success": True, "creditCount": 0}))
    with pytest.raises(ScrapeCreatorsError, match="invalid or the account"):
        _run()
    assert loopback.requests_to(GOOGLE) == []


def test_402_is_no_credits(api):
    api.add(GOOGLE, Reply(402, {"message": "Payment required"}))
    with pytest.raises(ScrapeCreatorsError, match="no credits left"):
        _run()


def test_empty_results(api):
    api.add(GOOGLE, Reply(200, {"success": True, "results": []}))
    api.add(REDDIT, Reply(200, {"success": True, "posts": []}))
    api.add(TWITTER, Reply(200, {"success": True, "tweets": []}))
    tables, _ = _run()
    assert "scrapecreators_news_buckets" not in tables
    assert tables["scrapecreators_credits"].num_rows == 5


def test_missing_results_raises(api):
    api.add(GOOGLE, Reply(200, {"success": True, "organic": []}))
    with pytest.raises(SourceFormatError, match="no results list"):
        _run()


def test_key_absent_from_logs(api, caplog):
    caplog.set_level(logging.DEBUG)
    api.add(GOOGLE, Reply(500, {"error": f"key {KEY} failed"}))
    with pytest.raises(HttpError) as error:
        _run()
    assert KEY not in caplog.text
    assert KEY not in str(error.value)
    assert api.requests_to(GOOGLE)[0].headers["x-api-key"] == KEY
