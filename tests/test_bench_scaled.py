"""The scaled benchmark data set and the loopback vendor server, at tiny scale.

The writer's files must load through the real loaders, and each API client
must get from the vendor server, page by page, the same keys that its file
reader gets from the landing folder. Nothing here measures time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from benchmarks.scaled import TINY_SCALE, write_scaled_landing
from benchmarks.vendor_server import VendorServer
from ingest.cftc.api import fetch_window
from ingest.http import RetryPolicy
from ingest.registry import get_source, sources
from ingest.runner import collect_batches, load_source
from ingest.source import LoadContext, Window

# Posts per ScrapeCreators page in these tests, small enough to need paging.
PAGE_SIZE = 25
FRED_PAGE_LIMIT = 200
EIA_PAGE_LENGTH = 300


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scaled") / "landing"
    write_scaled_landing(folder, TINY_SCALE)
    return folder


@pytest.fixture
def server(
    landing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[VendorServer]:
    """Serve `landing` with no page delay and point every client at it."""
    with VendorServer(
        landing, page_delay_s=0.0, scrapecreators_page_size=PAGE_SIZE
    ) as vendor:
        for name, value in vendor.env(tmp_path / "vendor").items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("ZL_FRED_MIN_INTERVAL_S", "0")
        monkeypatch.setenv("ZL_FRED_PAGE_LIMIT", str(FRED_PAGE_LIMIT))
        monkeypatch.setenv("ZL_EIA_PAGE_LENGTH", str(EIA_PAGE_LENGTH))
        monkeypatch.setenv("ZL_SENTIMENT_SCORER", "lexicon")
        yield vendor


def make_ctx(source: str, window: Window | None = None) -> LoadContext:
    policy = RetryPolicy(max_attempts=2, base_backoff_s=0.001, max_backoff_s=0.01)
    return LoadContext(source=source, retry=policy, window=window or Window())


def full_window() -> Window:
    return Window(TINY_SCALE.start, TINY_SCALE.end)


def file_rows(landing: Path, source: str) -> dict[str, list[dict[str, Any]]]:
    spec = get_source(source)
    ctx = make_ctx(source)
    tables = collect_batches(spec.read_files(landing / spec.folder, ctx), ctx)
    return {table.name: rows.to_pylist() for table, rows in tables.items()}


def api_rows(source: str, window: Window | None = None) -> dict[str, list[dict]]:
    ctx = make_ctx(source, window or full_window())
    tables = collect_batches(get_source(source).fetch_api(ctx), ctx)
    return {table.name: rows.to_pylist() for table, rows in tables.items()}


def keys(rows: list[dict[str, Any]], *names: str) -> set[tuple[Any, ...]]:
    return {tuple(row[name] for name in names) for row in rows}


def test_writer_covers_every_source(landing: Path) -> None:
    for name, spec in sources().items():
        files = [p for p in (landing / spec.folder).iterdir() if p.is_file()]
        assert files, f"no landing files for {name}"


def test_writer_is_deterministic(landing: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_scaled_landing(again, TINY_SCALE)
    for path in sorted((landing / "fred").iterdir()):
        assert (again / "fred" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("source", sorted(sources()))
def test_files_parse(landing: Path, source: str) -> None:
    tables = file_rows(landing, source)
    assert sum(len(rows) for rows in tables.values()) > 0


def test_files_load_extra_roots(
    landing: Path, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "lexicon")
    result = load_source("databento", landing, db_path=warehouse)
    assert result.status == "success"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (roots,) = con.execute(
            "select count(distinct root) from raw.databento_futures_ohlcv_1d"
        ).fetchone()
    assert roots == 6 + TINY_SCALE.extra_roots


def test_files_load_fred_series(landing: Path, warehouse: Path) -> None:
    result = load_source("fred", landing, db_path=warehouse)
    assert result.status == "success"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (series,) = con.execute(
            "select count(distinct series_id) from raw.fred_economic "
            "where vintage_mode = 'all_vintages'"
        ).fetchone()
    assert series == TINY_SCALE.fred_series


def test_fred_pages_match_files(landing: Path, server: VendorServer) -> None:
    served = api_rows("fred")["fred_economic"]
    stored = file_rows(landing, "fred")["fred_economic"]
    stored = [r for r in stored if r["vintage_mode"] == "all_vintages"]
    names = ("series_id", "observation_date", "vintage_key")
    assert keys(served, *names) == keys(stored, *names)
    pages = sum(
        math.ceil(len(json.loads(p.read_text())["observations"]) / FRED_PAGE_LIMIT)
        for p in (landing / "fred").glob("*_all_vintages.json")
    )
    assert server.requests["/fred/series/observations"] == pages


def test_fred_unknown_series_skipped(
    server: VendorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_FRED_SERIES", "NOSUCHSERIES")
    ctx = make_ctx("fred", full_window())
    list(get_source("fred").fetch_api(ctx))
    assert ctx.skips["series not found"] == 1


def test_eia_pages_match_files(landing: Path, server: VendorServer) -> None:
    served = api_rows("eia")["eia_observations"]
    stored = file_rows(landing, "eia")["eia_observations"]
    names = ("route", "series_id", "frequency", "period")
    assert keys(served, *names) == keys(stored, *names)
    pages = sum(server.requests[p] for p in server.requests if p.startswith("/eia"))
    assert pages > len({row["route"] for row in stored})


def test_reddit_pages_match_files(landing: Path, server: VendorServer) -> None:
    served = api_rows("news")["scrapecreators_news_buckets"]
    stored = file_rows(landing, "news")["scrapecreators_news_buckets"]
    reddit = [row for row in stored if row["platform"] == "reddit"]
    assert keys(served, "item_id", "bucket") == keys(reddit, "item_id", "bucket")
    posts = len({row["item_id"] for row in reddit})
    queries = len(server.reddit_queries)
    assert server.requests["/scrapecreators/v1/reddit/search"] >= max(
        queries, math.ceil(posts / PAGE_SIZE)
    )


def test_truthsocial_pages_match_files(landing: Path, server: VendorServer) -> None:
    served = api_rows("truthsocial")["scrapecreators_trump"]
    stored = file_rows(landing, "truthsocial")["scrapecreators_trump"]
    assert keys(served, "post_id") == keys(stored, "post_id")
    pages = server.requests["/scrapecreators/v1/truthsocial/user/posts"]
    assert pages == math.ceil(len(stored) / PAGE_SIZE)


def test_truthsocial_text_matches_files(landing: Path, server: VendorServer) -> None:
    served = {
        r["post_id"]: r["text"] for r in api_rows("truthsocial")["scrapecreators_trump"]
    }
    stored = {
        r["post_id"]: r["text"]
        for r in file_rows(landing, "truthsocial")["scrapecreators_trump"]
    }
    assert served == stored


def test_cftc_zips_match_files(landing: Path, server: VendorServer) -> None:
    ctx = make_ctx("cftc", full_window())
    tables = collect_batches(fetch_window(ctx, date(2026, 6, 1)), ctx)
    served = [row for table in tables.values() for row in table.to_pylist()]
    stored = file_rows(landing, "cftc")["cftc_cot_disaggregated"]
    names = ("market_code", "report_date")
    assert keys(served, *names) == keys(stored, *names)
    zips = [p for p in server.requests if p.endswith(".zip")]
    assert len(zips) == TINY_SCALE.years


def test_weather_matches_files(landing: Path, server: VendorServer) -> None:
    served = api_rows("weather")["weather_location_daily"]
    stored = file_rows(landing, "weather")["weather_location_daily"]
    names = ("location_id", "observation_date")
    assert keys(served, *names) == keys(stored, *names)


def test_window_cuts_weather(server: VendorServer) -> None:
    window = Window(date(2024, 3, 1), date(2024, 3, 31))
    served = api_rows("weather", window)["weather_location_daily"]
    days = {row["observation_date"] for row in served}
    assert days == {date(2024, 3, d) for d in range(1, 32)}
