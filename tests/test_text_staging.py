"""Real text files through the runner and dbt: raw tables and staging models."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from ingest.build import build
from ingest.runner import load_source
from ingest.source import Window
from tests.conftest import realdata_path

pytestmark = [pytest.mark.realdata, pytest.mark.dbt]


def _count(db_path: Path, table: str) -> int:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[dict]:
    """Load the recorded text files twice with the lexicon scorer, then build."""
    root = tmp_path_factory.mktemp("text")
    landing = root / "landing"
    landing.mkdir()
    for folder in ("news", "truthsocial", "scrapecreators"):
        (landing / folder).symlink_to(realdata_path(folder), target_is_directory=True)
    db_path = root / "warehouse" / "zl.duckdb"
    db_path.parent.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZL_DUCKDB_PATH", str(db_path))
        patch.setenv("ZL_SENTIMENT_SCORER", "lexicon")
        patch.setenv("ZL_SENTIMENT_CACHE", str(root / "sentiment.sqlite"))
        counts = {}
        for name in ("news", "truthsocial"):
            load_source(name, from_dir=landing, window=Window(), db_path=db_path)
        counts["first"] = {
            "news": _count(db_path, "raw.scrapecreators_news_buckets"),
            "truthsocial": _count(db_path, "raw.scrapecreators_trump"),
        }
        for name in ("news", "truthsocial"):
            load_source(name, from_dir=landing, window=Window(), db_path=db_path)
        counts["second"] = {
            "news": _count(db_path, "raw.scrapecreators_news_buckets"),
            "truthsocial": _count(db_path, "raw.scrapecreators_trump"),
        }
        build(
            db_path, allow_stale=True, select=["+news_bucketed", "+truthsocial_posts"]
        )
        yield {"db_path": db_path, "counts": counts}


def _one(db_path: Path, query: str, *params: object) -> tuple:
    with duckdb.connect(str(db_path), read_only=True) as con:
        con.execute("set timezone = 'UTC'")
        row = con.execute(query, list(params)).fetchone()
    assert row is not None, query
    return row


def test_first_load_counts(built):
    assert built["counts"]["first"] == {"news": 1152, "truthsocial": 1251}


def test_second_load_adds_nothing(built):
    assert built["counts"]["second"] == built["counts"]["first"]


def test_lexicon_scores_stored(built):
    scorer, label = _one(
        built["db_path"],
        "select sentiment_scorer, sentiment_label from raw.scrapecreators_trump "
        "where post_id = '115374202790006886'",
    )
    assert scorer.startswith("lexicon")
    assert label in ("positive", "negative", "neutral")


def test_media_only_not_scored(built):
    scorer, label = _one(
        built["db_path"],
        "select sentiment_scorer, sentiment_label from raw.scrapecreators_trump "
        "where post_id = '115264865783562094'",
    )
    assert scorer == "none"
    assert label is None


def test_post_available_at(built):
    # 2025-10-14 19:37:03.629 UTC plus the 5-minute truthsocial lag.
    available, administration, trade = _one(
        built["db_path"],
        "select available_at, administration, trade_regime "
        "from staging.truthsocial_posts where post_id = '115374202790006886'",
    )
    assert available == datetime(2025, 10, 14, 19, 42, 3, 629000, tzinfo=UTC)
    assert administration == "trump_2"
    assert trade == "us_china_truce_2025"


def test_busan_post_regime(built):
    available, trade, buckets = _one(
        built["db_path"],
        "select available_at, trade_regime, bucket_list "
        "from staging.truthsocial_posts where post_id = '115462098072054944'",
    )
    assert available == datetime(2025, 10, 30, 8, 14, 59, 238000, tzinfo=UTC)
    assert trade == "us_china_busan_2025"
    assert buckets == ["china", "soybeans"]


def test_date_only_article_available_at(built):
    # CEPEA dated 2007-04-02: 00:00 UTC + 30 h date-only wait + 0 min lag.
    row = _one(
        built["db_path"],
        "select available_at, available_date, week_start, iso_week, month_start, "
        "marketing_year, marketing_year_label, trust_weight from staging.news_bucketed "
        "where platform = 'news_csv' and bucket = 'soybeans' "
        "order by published_at limit 1",
    )
    assert row[0] == datetime(2007, 4, 3, 6, 0, tzinfo=UTC)
    assert row[1] == date(2007, 4, 3)
    assert row[2] == date(2007, 4, 2)
    assert row[3] == 14
    assert row[4] == date(2007, 4, 1)
    assert row[5] == 2006
    assert row[6] == "2006/07"
    assert row[7] == 0.9


def test_reddit_available_at(built):
    # created_utc 1767816090 = 2026-01-07 20:01:30 UTC, plus the 60-minute lag.
    available, season = _one(
        built["db_path"],
        "select available_at, marketing_year_label from staging.news_bucketed "
        "where platform = 'reddit' and item_id = '1q6pxwn'",
    )
    assert available == datetime(2026, 1, 7, 21, 1, 30, tzinfo=UTC)
    assert season == "2025/26"


def test_staging_row_counts(built):
    assert _count(built["db_path"], "staging.news_bucketed") == 1152
    assert _count(built["db_path"], "staging.truthsocial_posts") == 1251
