"""Client of ScrapeCreators' search endpoints for news about each bucket.

For every query of `settings.search_queries` (seed rows plus one derived
from the taxonomy for a bucket without rows) it sends:

- google: `/v1/google/search?query=...`, one page.
- reddit: `/v1/reddit/search?query=...`, following `after` for up to
  `$ZL_NEWS_REDDIT_PAGES` pages.
- twitter: `/v1/twitter/user-tweets?handle=...`; the query is a handle.

The query only finds items. Each item is then bucketed by its own text,
so a result of the china query may land in `tariffs`, in several buckets,
or in `none`. An item found by several queries is stored once, with the
first query.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ingest.news.items import ItemCollector, bucket_rows
from ingest.news.scrapecreators import parse_body
from ingest.news.settings import (
    API_SOURCE,
    GOOGLE_ENDPOINT,
    REDDIT_ENDPOINT,
    TWITTER_ENDPOINT,
    SearchQuery,
    reddit_pages,
    search_queries,
)
from ingest.news.tables import SCRAPECREATORS_NEWS_BUCKETS
from ingest.source import Batch, LoadContext, SourceFormatError
from ingest.text.buckets import default_taxonomy
from ingest.text.scrapecreators import (
    BALANCE_ENDPOINT,
    SCRAPECREATORS_CREDITS,
    ScrapeCreatorsClient,
)

log = logging.getLogger(__name__)

_LIST_FIELD = {"google": "results", "reddit": "posts", "twitter": "tweets"}


def fetch_api(ctx: LoadContext) -> Iterator[Batch]:
    """Yield the bucket rows of every query's results, then the run's credit rows.

    Raises:
        MissingSecretError: SCRAPECREATORS_API_KEY is not configured.
        ScrapeCreatorsError: the key was rejected or the balance is zero.
        HttpError: retries ran out on 429, 5xx or connection errors.
        SourceFormatError: a response lacks its list of results.
    """
    client = ScrapeCreatorsClient(ctx)
    client.check_balance()
    collector = ItemCollector(ctx)
    for query in search_queries(default_taxonomy()):
        for body in _responses(client, query):
            items = parse_body(body, API_SOURCE, datetime.now(UTC), ctx, query.query)
            new = sum(collector.add(item) for item in items)
            log.info(
                "news: %s %r (%s): %d items, %d new",
                query.platform,
                query.query,
                query.bucket,
                len(items),
                new,
            )
    items = collector.in_window()
    if items:
        rows = bucket_rows(items)
        yield SCRAPECREATORS_NEWS_BUCKETS, SCRAPECREATORS_NEWS_BUCKETS.to_arrow(rows)
    balance = client.get(BALANCE_ENDPOINT).get("creditCount")
    after = (
        balance if isinstance(balance, int) and not isinstance(balance, bool) else None
    )
    yield (
        SCRAPECREATORS_CREDITS,
        SCRAPECREATORS_CREDITS.to_arrow(client.credit_rows(after)),
    )


def _responses(
    client: ScrapeCreatorsClient, query: SearchQuery
) -> Iterator[dict[str, Any]]:
    if query.platform == "google":
        yield _checked(client.get(GOOGLE_ENDPOINT, {"query": query.query}), query)
    elif query.platform == "twitter":
        handle = query.query.lstrip("@")
        yield _checked(client.get(TWITTER_ENDPOINT, {"handle": handle}), query)
    else:
        params: dict[str, Any] = {"query": query.query}
        seen: set[str] = set()
        for _ in range(reddit_pages()):
            body = _checked(client.get(REDDIT_ENDPOINT, params), query)
            yield body
            after = body.get("after")
            if (
                not body["posts"]
                or not isinstance(after, str)
                or not after
                or after in seen
            ):
                return
            seen.add(after)
            params = {"query": query.query, "after": after}


def _checked(body: dict[str, Any], query: SearchQuery) -> dict[str, Any]:
    field = _LIST_FIELD[query.platform]
    if not isinstance(body.get(field), list):
        raise SourceFormatError(
            f"news: {query.platform} search {query.query!r}: response has no "
            f"{field} list (fields: {', '.join(sorted(body)) or 'none'})"
        )
    return body
