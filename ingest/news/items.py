"""News items: one-per-item collection, then bucket rows with trust and sentiment.

An item is one article, search result, Reddit post or tweet, keyed by
(platform, item_id). `ItemCollector` keeps the first copy of each item seen
across pages, queries and files and counts the rest as "duplicate item"
skips. `bucket_rows` scores every item's text with one scorer call and
returns one row per item and bucket.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ingest.news.tables import SCRAPECREATORS_NEWS_BUCKETS
from ingest.source import LoadContext
from ingest.text.buckets import Taxonomy, default_taxonomy
from ingest.text.scoring import score_texts
from ingest.text.seeds import TrustScores, default_trust

Item = dict[str, Any]
_ITEM_FIELDS = (
    "item_id",
    "platform",
    "query",
    "url",
    "domain",
    "channel",
    "author",
    "title",
    "text",
    "published_at",
    "published_at_estimated",
    "published_at_basis",
    "published_at_raw",
    "fetched_at",
    "engagement_count",
    "view_count",
    "source",
)


def hashed_id(*parts: object) -> str:
    """Return a stable id: the first 24 hex digits of sha256 over the parts."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


def join_title(title: str, body: str) -> str:
    """Return the text that is bucketed and scored: title and body on two lines."""
    return "\n".join(part for part in (title, body) if part)


def new_item(**fields: Any) -> Item:
    """Return an item with every field, unset ones as None.

    Raises:
        TypeError: a field name is not an item field.
    """
    unknown = set(fields) - set(_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields {sorted(unknown)}")
    return {name: fields.get(name) for name in _ITEM_FIELDS}


class ItemCollector:
    """One item per (platform, item_id), in first-seen order."""

    def __init__(self, ctx: LoadContext) -> None:
        self.ctx = ctx
        self.items: dict[tuple[str, str], Item] = {}

    def add(self, item: Item) -> bool:
        """Keep `item` unless it was seen before; return whether it was new."""
        key = (item["platform"], item["item_id"])
        if key in self.items:
            self.ctx.skip(
                "duplicate item", f"{key[0]} {key[1]} again in {item['source']}"
            )
            return False
        self.items[key] = item
        return True

    def in_window(self) -> list[Item]:
        window = self.ctx.window
        return [
            i for i in self.items.values() if window.contains(i["published_at"].date())
        ]


def bucket_rows(
    items: list[Item],
    taxonomy: Taxonomy | None = None,
    trust: TrustScores | None = None,
) -> list[dict[str, Any]]:
    """Return one `scrapecreators_news_buckets` row per item and bucket."""
    taxonomy = taxonomy or default_taxonomy()
    trust = trust or default_trust()
    scores = score_texts([item["text"] for item in items])
    rows = []
    for item, score in zip(items, scores, strict=True):
        trust_score = trust.score(item["domain"], item["platform"], item["author"])
        for match in taxonomy.match(item["text"]):
            rows.append(
                {
                    **item,
                    **score,
                    "bucket": match.bucket,
                    "matched_terms": match.terms_text,
                    "match_score": match.score,
                    "taxonomy_version": taxonomy.version,
                    "trust_score": trust_score,
                }
            )
    names = SCRAPECREATORS_NEWS_BUCKETS.column_names[:-1]
    return [{name: row.get(name) for name in names} for row in rows]
