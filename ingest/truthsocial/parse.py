"""Turn Truth Social records of every known layout into `scrapecreators_trump` rows.

Layouts (each record is one post):

- ScrapeCreators statuses (`/v1/truthsocial/user/posts`, `/post`): Mastodon
  JSON with HTML `content`, plain `text`, `account`, `media_attachments`
  and counts; the trimmed response lacks `content` and `account`.
- CNN archive JSONL: `id, created_at, text, url, has_media, reblogs, favs`,
  with mojibake in `text` and no reply count. Labelled copies add fields
  such as `theme` and `direction`, which are not stored.
- The archive's JSON array: `id, created_at, content` (HTML), `media` (a
  list of URLs) and the three counts. A media-only post is `<p></p>`.

`PostCollector` keeps one row per post id across pages and files: a later
copy only fills columns the first left NULL, and is counted as a
"duplicate post" skip.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from ingest.source import LoadContext
from ingest.text.buckets import Taxonomy, default_taxonomy
from ingest.text.clean import clean_text
from ingest.text.scoring import score_texts
from ingest.truthsocial.tables import SCRAPECREATORS_TRUMP

log = logging.getLogger(__name__)

Row = dict[str, Any]
_ACCOUNT_IN_URL = re.compile(r"truthsocial\.com/@(?P<handle>[A-Za-z0-9_]+)")
_POST_ID = re.compile(r"^\d{1,25}$")
_COUNT_FIELDS = {
    "replies_count": ("replies_count",),
    "reblogs_count": ("reblogs_count", "reblogs"),
    "favourites_count": ("favourites_count", "favs"),
}


def parse_created_at(value: Any) -> datetime | None:
    """Return an ISO 8601 timestamp (`Z` or an offset) as an aware UTC datetime."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)


def post_row(
    record: Any, source: str, ctx: LoadContext, where: str, account: str | None = None
) -> Row | None:
    """Return the row of one post record (without buckets and sentiment), or None.

    A record without a usable id, time or text field is skipped and counted.
    """
    if not isinstance(record, dict):
        ctx.skip("post is not an object", where)
        return None
    post_id = record.get("id")
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        post_id = str(post_id)
    if not isinstance(post_id, str) or not _POST_ID.match(post_id):
        ctx.skip("invalid post id", f"{where}: {post_id!r}")
        return None
    created_at = parse_created_at(record.get("created_at"))
    if created_at is None:
        ctx.skip(
            "invalid created_at",
            f"{where}: post {post_id}: {record.get('created_at')!r}",
        )
        return None
    content = record.get("content")
    text = record.get("text")
    if isinstance(content, str) and content.strip():
        raw, is_html = content, True
    elif isinstance(text, str):
        raw, is_html = text, None
    elif isinstance(content, str):
        raw, is_html = content, True
    else:
        ctx.skip("post without text or content", f"{where}: post {post_id}")
        return None
    has_media = _has_media(record)
    cleaned = clean_text(raw, has_media=bool(has_media), is_html=is_html)
    url = record.get("url") if isinstance(record.get("url"), str) else None
    row: Row = {
        "post_id": post_id,
        "account": _account(record, url) or account,
        "created_at": created_at,
        "url": url,
        "text": cleaned.text,
        "is_repost": cleaned.is_repost,
        "repost_of": cleaned.repost_of,
        "is_link_only": cleaned.is_link_only,
        "is_media_only": cleaned.is_media_only,
        "has_media": has_media,
        "mojibake_repaired": cleaned.mojibake_repaired,
        "source": source,
    }
    for column, fields in _COUNT_FIELDS.items():
        row[column] = _count(record, fields)
    return row


def _has_media(record: dict[str, Any]) -> bool | None:
    for field in ("media_attachments", "media"):
        value = record.get(field)
        if isinstance(value, list):
            return bool(value)
    value = record.get("has_media")
    return value if isinstance(value, bool) else None


def _account(record: dict[str, Any], url: str | None) -> str | None:
    account = record.get("account")
    if isinstance(account, dict):
        for field in ("username", "acct"):
            if isinstance(account.get(field), str) and account[field]:
                return account[field]
    match = _ACCOUNT_IN_URL.search(url or "")
    return match.group("handle") if match else None


def _count(record: dict[str, Any], fields: tuple[str, ...]) -> int | None:
    for field in fields:
        value = record.get(field)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


class PostCollector:
    """One row per post id, across pages and files, in first-seen order."""

    def __init__(self, ctx: LoadContext) -> None:
        self.ctx = ctx
        self.rows: dict[str, Row] = {}

    def add(self, row: Row) -> bool:
        """Keep `row`, or fill the NULL columns of the post already kept.

        Returns:
            True when the post was new.
        """
        stored = self.rows.get(row["post_id"])
        if stored is None:
            self.rows[row["post_id"]] = row
            return True
        for column, value in row.items():
            if stored.get(column) is None and value is not None:
                stored[column] = value
        self.ctx.skip("duplicate post", f"{row['post_id']} also in {row['source']}")
        return False

    def in_window(self) -> list[Row]:
        window = self.ctx.window
        return [
            r for r in self.rows.values() if window.contains(r["created_at"].date())
        ]


def finish_rows(rows: list[Row], taxonomy: Taxonomy | None = None) -> list[Row]:
    """Add buckets, matched terms and sentiment to post rows (one scorer call)."""
    taxonomy = taxonomy or default_taxonomy()
    scores = score_texts([row["text"] for row in rows])
    for row, score in zip(rows, scores, strict=True):
        matches = taxonomy.match(row["text"])
        row["buckets"] = ";".join(match.bucket for match in matches)
        row["matched_terms"] = ";".join(
            f"{match.bucket}={match.terms_text}"
            for match in matches
            if match.matched_terms
        )
        row["taxonomy_version"] = taxonomy.version
        row.update(score)
    return rows


def to_table_rows(rows: list[Row]) -> list[Row]:
    """Return rows with exactly the raw table's columns, in its order."""
    names = SCRAPECREATORS_TRUMP.column_names[:-1]
    return [{name: row.get(name) for name in names} for row in rows]
