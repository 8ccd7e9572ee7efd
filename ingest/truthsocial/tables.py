"""The raw table of the Truth Social loader: one row per post."""

from __future__ import annotations

from ingest.schema import Column, TableSpec
from ingest.text.scoring import SENTIMENT_COLUMNS

SCRAPECREATORS_TRUMP = TableSpec(
    name="scrapecreators_trump",
    columns=(
        Column(
            "post_id",
            "text",
            nullable=False,
            description="Truth Social status id as a string (18 digits, above 2^53)",
        ),
        Column("account", "text", description="Handle of the posting account"),
        Column("created_at", "timestamp", nullable=False, description="Post time, UTC"),
        Column("url", "text", description="Link to the post"),
        Column(
            "text",
            "text",
            nullable=False,
            description="Cleaned text; empty for media-only",
        ),
        Column(
            "is_repost",
            "bool",
            nullable=False,
            description="A ReTruth (`RT @handle` or `RT:`)",
        ),
        Column(
            "repost_of", "text", description="Reposted handle when it can be separated"
        ),
        Column(
            "is_link_only",
            "bool",
            nullable=False,
            description="The text is a single URL",
        ),
        Column(
            "is_media_only",
            "bool",
            nullable=False,
            description="Media with no text; stored with empty text, not scored",
        ),
        Column(
            "has_media",
            "bool",
            description="Images or video attached; NULL when unknown",
        ),
        Column(
            "mojibake_repaired",
            "bool",
            nullable=False,
            description="UTF-8 read as Latin-1 was repaired in the text",
        ),
        Column(
            "replies_count",
            "bigint",
            description="Replies when captured; NULL when absent",
        ),
        Column("reblogs_count", "bigint", description="ReTruths when captured"),
        Column("favourites_count", "bigint", description="Likes when captured"),
        Column(
            "buckets",
            "text",
            nullable=False,
            description="Topic buckets joined with `;`, or `none`",
        ),
        Column(
            "matched_terms",
            "text",
            nullable=False,
            description="Per bucket, the taxonomy terms found: "
            "`bucket=term|term;bucket=term`; empty when no bucket",
        ),
        Column(
            "taxonomy_version",
            "text",
            nullable=False,
            description="Taxonomy seed version used",
        ),
        *SENTIMENT_COLUMNS,
        Column(
            "source",
            "text",
            nullable=False,
            description="`api`, or the file the row was read from",
        ),
    ),
    primary_key=("post_id",),
    description="Truth Social posts from ScrapeCreators and public archives, "
    "one row per post, cleaned, bucketed and scored at ingestion",
)
