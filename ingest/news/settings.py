"""Constants and environment settings of the news loader."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from ingest.settings import SEEDS_DIR
from ingest.text.buckets import Taxonomy

SOURCE_NAME = "news"
FOLDER = "news"
API_SOURCE = "api"
GOOGLE_ENDPOINT = "/v1/google/search"
REDDIT_ENDPOINT = "/v1/reddit/search"
TWITTER_ENDPOINT = "/v1/twitter/user-tweets"
PLATFORMS = ("google", "reddit", "twitter")
QUERIES_ENV = "ZL_NEWS_QUERIES"
REDDIT_PAGES_ENV = "ZL_NEWS_REDDIT_PAGES"
DEFAULT_REDDIT_PAGES = 1
# Platforms that get a query derived from the taxonomy for a bucket that
# has no row in the queries seed.
DERIVED_QUERY_PLATFORMS = ("google", "reddit")


@dataclass(frozen=True)
class SearchQuery:
    """One API request: a bucket's search query on a platform.

    For `twitter` the query is an account handle, because ScrapeCreators
    has no Twitter search. Its user-tweets endpoint returns about 100 of the
    account's most popular tweets, not the latest.
    """

    bucket: str
    platform: str
    query: str


def search_queries(taxonomy: Taxonomy, path: Path | None = None) -> list[SearchQuery]:
    """Return the queries of `seeds/news_search_queries.csv` plus derived ones.

    A taxonomy bucket without a seed row gets one query per platform in
    `DERIVED_QUERY_PLATFORMS`: its first term with weight 1 or more.
    `$ZL_NEWS_QUERIES` (another CSV path) replaces the seed.

    Raises:
        ValueError: a row names an unknown platform or has an empty query.
    """
    path = path or Path(
        os.environ.get(QUERIES_ENV) or SEEDS_DIR / "news_search_queries.csv"
    )
    queries: list[SearchQuery] = []
    if path.exists():
        with path.open(newline="", encoding="utf-8") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                platform = (row.get("platform") or "").strip()
                query = (row.get("query") or "").strip()
                if platform not in PLATFORMS or not query:
                    raise ValueError(
                        f"{path} line {line}: platform must be one of "
                        f"{', '.join(PLATFORMS)} and query non-empty, got {row!r}"
                    )
                queries.append(
                    SearchQuery((row.get("bucket") or "").strip(), platform, query)
                )
    covered = {q.bucket for q in queries}
    for bucket in taxonomy.buckets:
        if bucket in covered:
            continue
        term = next(
            (t.term for t in taxonomy.terms if t.bucket == bucket and t.weight >= 1.0),
            None,
        )
        if term is None or term.startswith(("^", "(")):
            continue
        queries.extend(SearchQuery(bucket, p, term) for p in DERIVED_QUERY_PLATFORMS)
    return list(dict.fromkeys(queries))


def reddit_pages() -> int:
    """Return pages per Reddit query, `$ZL_NEWS_REDDIT_PAGES` (default 1).

    Raises:
        ValueError: the variable is not a positive integer.
    """
    raw = os.environ.get(REDDIT_PAGES_ENV, str(DEFAULT_REDDIT_PAGES))
    try:
        pages = int(raw)
    except ValueError:
        pages = 0
    if pages < 1:
        raise ValueError(
            f"{REDDIT_PAGES_ENV}={raw!r} is invalid: use a positive integer"
        )
    return pages
