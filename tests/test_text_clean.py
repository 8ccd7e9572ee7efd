"""Text cleaning on real Truth Social, Google and news strings."""

from __future__ import annotations

import json

import pytest

from ingest.text.clean import clean_text, html_to_text, repair_mojibake
from tests.conftest import realdata_path

STILES_WINDOW = "stiles_cnn_posts_2025-09-25_to_2025-10-25_all.jsonl"
STILES_SUBSET = "stiles_cnn_posts_2025_keyword_subset.jsonl"
ARCHIVE_JSON = "aristotle_tek_truth_archive_2025-10-25_to_2025-10-31.json"


def _jsonl_post(name: str, post_id: str) -> dict:
    path = realdata_path("truthsocial", name)
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == post_id:
            return record
    raise AssertionError(f"post {post_id} not in {name}")


def _archive_post(post_id: str) -> dict:
    path = realdata_path("truthsocial", ARCHIVE_JSON)
    records = json.loads(path.read_text(encoding="utf-8"))
    return next(r for r in records if r["id"] == post_id)


def test_mojibake_post_repaired():
    record = _jsonl_post(STILES_WINDOW, "115264848871452989")
    cleaned = clean_text(record["text"], has_media=record["has_media"])
    assert "Women’s Sports" in cleaned.text
    assert "â" not in cleaned.text
    assert cleaned.mojibake_repaired


def test_mixed_mojibake_repaired():
    # Plain Latin-1 round trip fails on this post: it mixes a no-break
    # space with mis-decoded UTF-8.
    record = _jsonl_post(STILES_WINDOW, "115434875694997684")
    cleaned = clean_text(record["text"])
    assert "Florida’s 17th Congressional" in cleaned.text
    assert cleaned.mojibake_repaired


def test_clean_text_untouched_when_ascii():
    text, repaired = repair_mojibake("Tariffs are working!")
    assert text == "Tariffs are working!"
    assert not repaired


def test_media_only_post_flagged():
    record = _jsonl_post(STILES_WINDOW, "115264865783562094")
    cleaned = clean_text(record["text"], has_media=record["has_media"])
    assert cleaned.text == ""
    assert cleaned.is_media_only
    assert not cleaned.is_scorable


def test_empty_text_without_media_not_media_only():
    assert not clean_text("", has_media=False).is_media_only


def test_empty_paragraph_html_is_media_only():
    record = _archive_post("115469940475459112")
    assert record["content"] == "<p></p>"
    cleaned = clean_text(
        record["content"], has_media=bool(record["media"]), is_html=True
    )
    assert cleaned.text == ""
    assert cleaned.is_media_only


def test_rt_with_colon_keeps_handle():
    record = _jsonl_post(STILES_SUBSET, "113787844990922959")
    cleaned = clean_text(record["text"])
    assert cleaned.is_repost
    assert cleaned.repost_of == "RSBNLIVE"


def test_rt_glued_handle_not_guessed():
    # "RT @realDonaldTrumpAnybody": the handle cannot be separated from the text.
    record = _jsonl_post(STILES_SUBSET, "113937029963457397")
    cleaned = clean_text(record["text"])
    assert cleaned.is_repost
    assert cleaned.repost_of is None


def test_rt_in_html_uses_mention():
    record = _archive_post("115455747368897621")
    cleaned = clean_text(record["content"], is_html=True)
    assert cleaned.text.startswith("RT @SecWar Yesterday, at the direction")
    assert cleaned.is_repost
    assert cleaned.repost_of == "SecWar"


def test_html_content_cleaned():
    record = _archive_post("115470116607441456")
    cleaned = clean_text(record["content"], is_html=True)
    assert cleaned.text.startswith("Christianity is facing an existential threat")
    assert cleaned.text.endswith(
        "World!\nDONALD J. TRUMP,\nPRESIDENT OF THE UNITED STATES OF AMERICA"
    )
    assert "<" not in cleaned.text


def test_html_entity_decoded():
    record = _archive_post("115435125397678740")
    cleaned = clean_text(record["content"], is_html=True)
    assert "POWERFUL Ways & Means Committee" in cleaned.text
    assert "&amp;" not in cleaned.text


def test_mastodon_link_spans_joined():
    body = json.loads(
        realdata_path(
            "scrapecreators", "truthsocial_user_posts.sample.json"
        ).read_text()
    )
    text, mention = html_to_text(body["posts"][0]["content"])
    assert (
        text.strip() == "https://www.youtube.com/live/BK2YxPPRqlg?si=LvQtR-YoCJQd059_"
    )
    assert mention is None


def test_bare_link_flagged():
    record = _jsonl_post(STILES_WINDOW, "115374436076679454")
    cleaned = clean_text(record["text"])
    assert cleaned.is_link_only
    assert (
        cleaned.text == "https://www.youtube.com/live/kMzSea9TrMY?si=xaaEBNxVHDuEE723"
    )


def test_glued_status_url_split():
    body = json.loads(
        realdata_path(
            "scrapecreators", "truthsocial_user_posts.trimmed.sample.json"
        ).read_text()
    )
    post = next(p for p in body["posts"] if p["id"] == "114712560416441760")
    cleaned = clean_text(post["text"])
    assert cleaned.text == (
        "https://truthsocial.com/@IStandWithTrump47/114712550508860920 Thank you!!! DJT"
    )
    assert not cleaned.is_link_only


def test_replacement_character_removed():
    body = json.loads(
        realdata_path("scrapecreators", "google_search.sample.json").read_text()
    )
    cleaned = clean_text(body["results"][2]["description"])
    assert "\ufffd" not in cleaned.text
    assert cleaned.text.startswith(
        "Dec 20, 2024 Austen Allred is an absolute con artist"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\u00a0b   c", "a b c"),
        ("line one\r\n\r\n  line two", "line one\nline two"),
        ("AT&T &amp; more", "AT&T & more"),
        (None, ""),
    ],
)
def test_whitespace_and_entities(raw, expected):
    assert clean_text(raw).text == expected
