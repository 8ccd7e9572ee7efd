"""The Truth Social file reader on every recorded archive and sample file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from ingest.source import LoadContext, SourceFormatError, Window
from ingest.truthsocial.files import read_files
from tests.conftest import realdata_path

ARCHIVE_JSON = "aristotle_tek_truth_archive_2025-10-25_to_2025-10-31.json"
LABELLED = "oschistad_market_events_2025_llm_labeled.jsonl"
APRIL = "stiles_cnn_posts_2025-04-01_to_2025-04-10_all.jsonl"
AUTUMN = "stiles_cnn_posts_2025-09-25_to_2025-10-25_all.jsonl"
SUBSET = "stiles_cnn_posts_2025_keyword_subset.jsonl"


@pytest.fixture(autouse=True)
def _no_scorer(monkeypatch):
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "none")


def _landing(tmp_path: Path, *files: tuple[str, str]) -> Path:
    """Return a truthsocial/ folder with links to the given recorded files."""
    for folder, name in files:
        target = tmp_path / folder
        target.mkdir(parents=True, exist_ok=True)
        (target / name).symlink_to(realdata_path(folder, name))
    (tmp_path / "truthsocial").mkdir(exist_ok=True)
    return tmp_path / "truthsocial"


def _read(folder: Path, window: Window | None = None) -> tuple[dict, LoadContext]:
    ctx = LoadContext(source="truthsocial", window=window or Window())
    batches = list(read_files(folder, ctx))
    if not batches:
        return {}, ctx
    table = pa.concat_tables([t for _, t in batches])
    return {row["post_id"]: row for row in table.to_pylist()}, ctx


@pytest.mark.parametrize(
    ("name", "posts", "media_only", "reposts", "repaired"),
    [
        (ARCHIVE_JSON, 140, 22, 13, 0),
        (LABELLED, 439, 0, 14, 208),
        (APRIL, 172, 37, 4, 63),
        (AUTUMN, 465, 149, 28, 161),
        (SUBSET, 411, 0, 10, 205),
    ],
)
def test_archive_file_counts(tmp_path, name, posts, media_only, reposts, repaired):
    rows, ctx = _read(_landing(tmp_path, ("truthsocial", name)))
    assert len(rows) == posts
    assert sum(r["is_media_only"] for r in rows.values()) == media_only
    assert sum(r["is_repost"] for r in rows.values()) == reposts
    assert sum(r["mojibake_repaired"] for r in rows.values()) == repaired
    assert not ctx.skips


def test_autumn_rt_at_count(tmp_path):
    # 23 posts start "RT @"; 5 more are "RT: <status url>" quote reposts.
    rows, _ = _read(_landing(tmp_path, ("truthsocial", AUTUMN)))
    at_reposts = [r for r in rows.values() if r["text"].startswith("RT @")]
    assert len(at_reposts) == 23


def test_mojibake_post_row(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("truthsocial", AUTUMN)))
    row = rows["115264848871452989"]
    assert "men playing in Women’s Sports" in row["text"]
    assert row["mojibake_repaired"]
    assert row["account"] == "realDonaldTrump"
    assert row["reblogs_count"] == 894
    assert row["favourites_count"] == 2960
    assert row["replies_count"] is None


def test_media_only_row(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("truthsocial", AUTUMN)))
    row = rows["115264865783562094"]
    assert row["text"] == ""
    assert row["is_media_only"]
    assert row["sentiment_scorer"] == "none"


def test_archive_html_row(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("truthsocial", ARCHIVE_JSON)))
    row = rows["115462098072054944"]
    assert row["text"].startswith(
        "I had a truly great meeting with President Xi of China."
    )
    assert row["buckets"] == "china;soybeans"
    assert row["matched_terms"] == "china=china|Xi;soybeans=soybean"
    assert row["replies_count"] == 2958
    assert row["created_at"].isoformat() == "2025-10-30T08:09:59.238000+00:00"


def test_empty_paragraph_row(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("truthsocial", ARCHIVE_JSON)))
    row = rows["115469940475459112"]
    assert row["text"] == ""
    assert row["is_media_only"]
    assert row["has_media"]


def test_bucket_assignment_terms(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("truthsocial", AUTUMN)))
    row = rows["115374202790006886"]
    assert row["buckets"] == "china;soybeans"
    assert row["matched_terms"] == "china=china;soybeans=soybean|cooking oil"
    assert row["taxonomy_version"] == "2025-06-01"


def test_id_stays_string(tmp_path):
    rows, _ = _read(_landing(tmp_path, ("truthsocial", SUBSET)))
    assert "113755116467958801" in rows
    assert isinstance(next(iter(rows)), str)


def test_sample_user_posts(tmp_path):
    folder = _landing(
        tmp_path, ("scrapecreators", "truthsocial_user_posts.sample.json")
    )
    rows, _ = _read(folder)
    row = rows["114315232218538121"]
    assert row["is_link_only"]
    assert row["text"] == "https://www.youtube.com/live/BK2YxPPRqlg?si=LvQtR-YoCJQd059_"
    assert row["source"] == "truthsocial_user_posts.sample.json"


def test_sample_trimmed_posts(tmp_path):
    name = "truthsocial_user_posts.trimmed.sample.json"
    rows, _ = _read(_landing(tmp_path, ("scrapecreators", name)))
    assert len(rows) == 20
    assert sum(r["is_media_only"] for r in rows.values()) == 5
    first = rows["114712957163880045"]
    assert first["is_media_only"]
    assert first["replies_count"] == 58
    assert first["account"] == "realDonaldTrump"


def test_sample_single_post(tmp_path):
    folder = _landing(tmp_path, ("scrapecreators", "truthsocial_post.sample.json"))
    rows, _ = _read(folder)
    row = rows["114315219437063160"]
    assert row["text"].startswith("It’s so hard to watch as Highly Qualified")
    assert row["replies_count"] == 797


def test_profile_skipped(tmp_path):
    folder = _landing(tmp_path, ("scrapecreators", "truthsocial_profile.sample.json"))
    rows, ctx = _read(folder)
    assert rows == {}
    assert ctx.skips["profile not stored"] == 1


def test_news_files_in_sibling_ignored(tmp_path):
    folder = _landing(tmp_path, ("scrapecreators", "google_search.sample.json"))
    rows, ctx = _read(folder)
    assert rows == {}
    assert not ctx.skips


def test_dedupe_across_files(tmp_path):
    folder = _landing(
        tmp_path,
        ("truthsocial", APRIL),
        ("scrapecreators", "truthsocial_post.sample.json"),
    )
    rows, ctx = _read(folder)
    assert len(rows) == 172
    assert ctx.skips["duplicate post"] == 1
    # The April archive has no reply count; the sample post fills it.
    assert rows["114315219437063160"]["replies_count"] == 797
    assert rows["114315219437063160"]["source"] == APRIL


def test_whole_folder_counts():
    rows, ctx = _read(realdata_path("truthsocial"))
    assert len(rows) == 1251
    assert ctx.skips["duplicate post"] == 398
    assert ctx.skips["profile not stored"] == 1


def test_window_filters_posts(tmp_path):
    folder = _landing(tmp_path, ("truthsocial", APRIL))
    rows, _ = _read(folder, Window(end=date(2025, 4, 1)))
    assert all(
        r["created_at"].date().isoformat() == "2025-04-01" for r in rows.values()
    )
    assert len(rows) > 0


def test_truncated_jsonl_line_skipped(tmp_path):
    folder = tmp_path / "truthsocial"
    folder.mkdir()
    lines = realdata_path("truthsocial", APRIL).read_text().splitlines()[:3]
    (folder / "cut.jsonl").write_text("\n".join([*lines[:2], lines[2][:40]]) + "\n")
    rows, ctx = _read(folder)
    assert len(rows) == 2
    assert ctx.skips["invalid JSON line"] == 1


def test_garbled_jsonl_raises(tmp_path):
    folder = tmp_path / "truthsocial"
    folder.mkdir()
    (folder / "bad.jsonl").write_text("not json\nstill not\n")
    with pytest.raises(SourceFormatError, match="bad.jsonl"):
        _read(folder)


def test_invalid_json_raises(tmp_path):
    folder = tmp_path / "truthsocial"
    folder.mkdir()
    (folder / "bad.json").write_text('[{"id": "1",')
    with pytest.raises(SourceFormatError, match="invalid JSON"):
        _read(folder)


def test_wrong_types_skipped(tmp_path):
    folder = tmp_path / "truthsocial"
    folder.mkdir()
    (folder / "odd.json").write_text(
        '[{"id": 1.5e17, "created_at": "2025-01-01T00:00:00Z", "text": "x"},'
        ' {"id": "115", "created_at": "yesterday", "text": "x"},'
        ' {"id": "116", "created_at": "2025-01-01T00:00:00Z", "text": 5}]'
    )
    rows, ctx = _read(folder)
    assert rows == {}
    assert ctx.skips["invalid post id"] == 1
    assert ctx.skips["invalid created_at"] == 1
    assert ctx.skips["post without text or content"] == 1


def test_empty_and_unknown_files(tmp_path):
    folder = tmp_path / "truthsocial"
    folder.mkdir()
    (folder / "empty.jsonl").write_text("")
    (folder / "notes.txt").write_text("hello")
    rows, ctx = _read(folder)
    assert rows == {}
    assert ctx.skips["unrecognised file"] == 1
