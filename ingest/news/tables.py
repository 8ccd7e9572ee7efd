"""The raw table of the news loader: one row per item and bucket."""

from __future__ import annotations

from ingest.schema import Column, TableSpec
from ingest.text.scoring import SENTIMENT_COLUMNS

SCRAPECREATORS_NEWS_BUCKETS = TableSpec(
    name="scrapecreators_news_buckets",
    columns=(
        Column(
            "item_id",
            "text",
            nullable=False,
            description="Platform id (Reddit id, tweet rest_id), or a sha256 "
            "prefix of the URL (Google) or of publisher, date, title and body (CSV)",
        ),
        Column(
            "platform",
            "text",
            nullable=False,
            description="google, reddit, twitter or news_csv",
        ),
        Column("bucket", "text", nullable=False, description="Topic bucket, or `none`"),
        Column(
            "query", "text", description="Search query or handle that found the item"
        ),
        Column("url", "text"),
        Column(
            "domain",
            "text",
            description="Host of the URL or the publisher, without www.",
        ),
        Column(
            "channel",
            "text",
            description="Subreddit (r/name) where the platform has one",
        ),
        Column("author", "text", description="Author or account handle"),
        Column("title", "text", description="Headline or title, cleaned"),
        Column(
            "text",
            "text",
            nullable=False,
            description="Cleaned title and body (or description), the text "
            "that was bucketed and scored",
        ),
        Column(
            "published_at",
            "timestamp",
            nullable=False,
            description="Publication time, UTC",
        ),
        Column(
            "published_at_estimated",
            "bool",
            nullable=False,
            description="published_at is not an exact vendor timestamp",
        ),
        Column(
            "published_at_basis",
            "text",
            nullable=False,
            description="exact, relative (fetch time minus `22 hours ago`), "
            "date_only (00:00 UTC of a date) or fetched (no date: the fetch time)",
        ),
        Column(
            "published_at_raw", "text", description="The date as the vendor wrote it"
        ),
        Column(
            "fetched_at", "timestamp", description="When the response was fetched, UTC"
        ),
        Column(
            "matched_terms",
            "text",
            nullable=False,
            description="Taxonomy terms of this bucket found in the text, "
            "joined with `|`",
        ),
        Column(
            "match_score",
            "double",
            nullable=False,
            description="Sum of the terms' weights",
        ),
        Column("taxonomy_version", "text", nullable=False),
        *SENTIMENT_COLUMNS,
        Column(
            "trust_score",
            "double",
            nullable=False,
            description="Source trust from seeds/text_source_trust.csv, 0 to 1",
        ),
        Column("engagement_count", "bigint", description="Likes, upvotes or score"),
        Column("view_count", "bigint", description="Views (Twitter sends a string)"),
        Column("source", "text", nullable=False, description="`api`, or the file name"),
    ),
    primary_key=("platform", "item_id", "bucket"),
    description="News, search results and social posts about the soybean "
    "oil complex, one row per item and topic bucket",
)
