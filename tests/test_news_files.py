"""The news file reader on every recorded CSV and ScrapeCreators search sample."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from ingest.news.files import read_files
from ingest.source import LoadContext, SourceFormatError, Window
from tests.conftest import realdata_path

CEPEA = "cepea_en_soybean_news_2007-2021.csv"
ADVISOR = "soybeansandcorn_advisor_news_2020-09_to_2021-05.csv"


@pytest.fixture(autouse=True)
def _no_scorer(monkeypatch):
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "none")


def _landing(tmp_path: Path, *files: tuple[str, str]) -> Path:
    for folder, name in files:
        target = tmp_path / folder
        target.mkdir(parents=True, exist_ok=True)
        (target / name).symlink_to(realdata_path(folder, name))
    (tmp_path / "news").mkdir(exist_ok=True)
    return tmp_path / "news"


def _read(folder: Path, window: Window | None = None) -> tuple[list[dict], LoadContext]:
    ctx = LoadContext(source="news", window=window or Window())
    batches = list(read_files(folder, ctx))
    if not batches:
        return [], ctx
    return pa.concat_tables([t for _, t in batches]).to_pylist(), ctx


def _items(rows: list[dict]) -> dict[str, dict]:
    """Return one row per item id (its first bucket row)."""
    items: dict[str, dict] = {}
    for row in rows:
        items.setdefault(row["item_id"], row)
    return items


def _buckets(rows: list[dict], item_id: str) -> dict[str, str]:
    return {r["bucket"]: r["matched_terms"] for r in rows if r["item_id"] == item_id}


def test_cepea_counts(tmp_path):
    rows, ctx = _read(_landing(tmp_path, ("news", CEPEA)))
    assert len(_items(rows)) == 306
    assert ctx.skips["duplicate item"] == 20


def test_cepea_first_article(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("news", CEPEA)))
    first = min(rows, key=lambda r: r["published_at"])
    assert first["title"] == "High levels at CBOT support Brazil and Argentina"
    assert first["published_at"] == datetime(2007, 4, 2, tzinfo=UTC)
    assert first["published_at_basis"] == "date_only"
    assert first["published_at_estimated"]
    assert first["domain"] == "cepea.esalq.usp.br"
    assert first["trust_score"] == 0.9
    assert first["platform"] == "news_csv"


def test_cepea_bucket_terms(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("news", CEPEA)))
    first = min(rows, key=lambda r: r["published_at"])
    buckets = _buckets(rows, first["item_id"])
    assert buckets == {
        "soybeans": "soybean",
        "argentina_brazil": "argentina|brazil|parana",
    }


def test_cepea_last_date(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("news", CEPEA)))
    last = max(rows, key=lambda r: r["published_at"])
    assert last["published_at"].date() == date(2021, 6, 1)
    assert last["title"].startswith("Brazilian processors reduce purchases")


def test_advisor_counts(tmp_path):
    rows, ctx = _read(_landing(tmp_path, ("news", ADVISOR)))
    assert len(_items(rows)) == 200
    assert not ctx.skips


def test_advisor_paragraphs_split(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("news", ADVISOR)))
    first = next(r for r in rows if r["title"].startswith("2021 U.S. Corn 80% planted"))
    expected = "the topsoil rated short to very short.\nIn contrast, it's too wet"
    assert expected in first["text"]
    assert "', \"" not in first["text"]
    assert first["published_at"] == datetime(2021, 5, 18, tzinfo=UTC)
    assert first["domain"] == "soybeansandcorn.com"


def test_google_relative_date(tmp_path):
    folder = _landing(tmp_path, ("scrapecreators", "google_search.sample.json"))
    rows, _ = _read(folder)
    path = realdata_path("scrapecreators", "google_search.sample.json")
    fetched = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    row = next(r for r in rows if r["url"] == "https://x.com/Austen")
    assert row["published_at"] == fetched - timedelta(hours=22)
    assert row["published_at_basis"] == "relative"
    assert row["published_at_raw"] == "22 hours ago"
    assert row["published_at_estimated"]
    assert row["domain"] == "x.com"
    assert row["bucket"] == "none"


def test_google_leading_date(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("scrapecreators", "google_search.sample.json")))
    row = next(r for r in rows if "codingbootcamp" in r["url"])
    assert row["published_at"] == datetime(2024, 12, 20, tzinfo=UTC)
    assert row["published_at_basis"] == "date_only"
    assert "\ufffd" not in row["text"]


def test_google_undated_uses_fetch_time(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("scrapecreators", "google_search.sample.json")))
    row = next(r for r in rows if r["domain"] == "consumerfinance.gov")
    assert row["published_at_basis"] == "fetched"
    assert row["published_at"] == row["fetched_at"]
    assert row["text"] == "CFPB Takes Action Against Coding Boot Camp BloomTech"
    assert len(rows) == 5


@pytest.mark.parametrize(
    ("name", "item_id", "published"),
    [
        (
            "reddit_post.sample.json",
            "1q6pxwn",
            datetime(2026, 1, 7, 20, 1, 30, tzinfo=UTC),
        ),
        (
            "reddit_search.sample.json",
            "1flgwup",
            datetime(2024, 9, 20, 16, 59, 51, tzinfo=UTC),
        ),
        (
            "reddit_search.trimmed.sample.json",
            "w63dgy",
            datetime(2022, 7, 23, 12, 55, tzinfo=UTC),
        ),
        (
            "reddit_subreddit.sample.json",
            "1ldr6b9",
            datetime(2025, 6, 17, 16, 8, 36, tzinfo=UTC),
        ),
        (
            "reddit_subreddit.trimmed.sample.json",
            "1lfbo7u",
            datetime(2025, 6, 19, 14, 5, 59, tzinfo=UTC),
        ),
    ],
)
def test_reddit_epochs(tmp_path, name, item_id, published):
    rows, _ = _read(_landing(tmp_path, ("scrapecreators", name)))
    row = _items(rows)[item_id]
    assert row["published_at"] == published
    assert row["published_at_basis"] == "exact"
    assert row["platform"] == "reddit"


def test_reddit_post_fields(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("scrapecreators", "reddit_post.sample.json")))
    row = rows[0]
    assert row["author"] == "franik33"
    assert row["channel"] == "r/webscraping"
    assert row["engagement_count"] == 33
    assert row["trust_score"] == 0.3
    assert row["title"] == "Just Started Web Scraping — Is This a Good Start?"


def test_reddit_trimmed_counts(tmp_path):
    rows, _ = _read(
        _landing(tmp_path, ("scrapecreators", "reddit_search.trimmed.sample.json"))
    )
    assert sorted(_items(rows)) == ["1fu8hix", "w63dgy"]


def test_twitter_trimmed_fields(tmp_path):
    name = "twitter_user_tweets.trimmed.sample.json"
    rows, _ = _read(_landing(tmp_path, ("scrapecreators", name)))
    row = rows[0]
    assert row["item_id"] == "1834021269559501236"
    assert row["published_at"] == datetime(2024, 9, 12, 0, 8, 39, tzinfo=UTC)
    assert row["view_count"] == 4710824
    assert row["engagement_count"] == 129276
    # The sample's url names another tweet, so the URL is rebuilt.
    assert row["url"] == "https://x.com/i/status/1834021269559501236"


def test_twitter_full_tweet_author(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("scrapecreators", "twitter_tweet.sample.json")))
    row = rows[0]
    assert row["item_id"] == "1628769691547074562"
    assert row["author"] == "adrian_horning_"
    assert row["published_at"] == datetime(2023, 2, 23, 14, 52, 10, tzinfo=UTC)
    assert row["url"] == "https://x.com/adrian_horning_/status/1628769691547074562"


@pytest.mark.parametrize(
    ("name", "views"),
    [
        ("twitter_tweet.trimmed.sample.json", 27539),
        ("twitter_user_tweets.sample.json", 493762),
    ],
)
def test_twitter_views_string(tmp_path, name, views):
    rows, _ = _read(_landing(tmp_path, ("scrapecreators", name)))
    assert rows[0]["view_count"] == views


def test_credit_balance_file_skipped(tmp_path):
    folder = _landing(
        tmp_path, ("scrapecreators", "account_credit_balance.sample.json")
    )
    rows, ctx = _read(folder)
    assert rows == []
    assert ctx.skips["credit balance file not stored"] == 1


def test_truthsocial_files_in_sibling_ignored(tmp_path):
    folder = _landing(tmp_path, ("scrapecreators", "truthsocial_post.sample.json"))
    rows, ctx = _read(folder)
    assert rows == []
    assert not ctx.skips


def test_whole_folder_counts():
    rows, ctx = _read(realdata_path("news"))
    assert len({(r["platform"], r["item_id"]) for r in rows}) == 522
    assert len(rows) == 1152
    assert ctx.skips["duplicate item"] == 20


def test_window_filters(tmp_path):
    folder = _landing(tmp_path, ("news", ADVISOR))
    rows, _ = _read(folder, Window(start=date(2021, 5, 1)))
    assert min(r["published_at"] for r in rows).date() >= date(2021, 5, 1)
    assert len(_items(rows)) < 200


def test_unknown_csv_skipped(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "prices.csv").write_text("Date,Close\n2021-01-04,1.0\n")
    rows, ctx = _read(folder)
    assert rows == []
    assert ctx.skips["unrecognised file"] == 1


def test_bad_rows_skipped(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "x.csv").write_text(
        "published_at,title,text\n"
        "not a date,Soybean news,body\n"
        "2021-01-04,,\n"
        "2021-01-05T14:30:00,China buys soybeans,body\n"
    )
    rows, ctx = _read(folder)
    assert ctx.skips["invalid article date"] == 1
    assert ctx.skips["article without title or text"] == 1
    assert rows[0]["published_at"] == datetime(2021, 1, 5, 14, 30, tzinfo=UTC)
    assert rows[0]["published_at_basis"] == "exact"


def test_invalid_json_raises(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "cut.json").write_text('{"results": [{"url": "https://a.com"')
    with pytest.raises(SourceFormatError, match="cut.json"):
        _read(folder)


def test_wrong_list_type_raises(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "odd.json").write_text('{"tweets": {"rest_id": "1"}}')
    with pytest.raises(SourceFormatError, match="tweets is not a list"):
        _read(folder)


def test_bad_entries_skipped(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "g.json").write_text(
        '{"fetched_at": "2025-01-02T00:00:00Z", "results": '
        '[{"url": 5}, "x", {"url": "https://a.com/n", "title": "Soy", '
        '"description": "3 days ago"}]}'
    )
    rows, ctx = _read(folder)
    assert ctx.skips["result without url"] == 1
    assert ctx.skips["entry is not an object"] == 1
    assert rows[0]["published_at"] == datetime(2024, 12, 30, tzinfo=UTC)
