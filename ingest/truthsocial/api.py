"""Client of ScrapeCreators' Truth Social posts endpoint.

For each account in `seeds/truthsocial_accounts.csv` it pages back through
`/v1/truthsocial/user/posts?handle=...`, newest first, sending the previous
response's `next_max_id` (Mastodon max_id paging). Paging stops at an
empty page, a missing or repeated `next_max_id`, a page whose oldest post
is before `--start`, or the page limit (`settings.max_pages`). Posts seen
on two pages are stored once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from ingest.source import Batch, LoadContext, SourceFormatError
from ingest.text.scrapecreators import (
    BALANCE_ENDPOINT,
    SCRAPECREATORS_CREDITS,
    ScrapeCreatorsClient,
)
from ingest.truthsocial.parse import (
    PostCollector,
    finish_rows,
    post_row,
    to_table_rows,
)
from ingest.truthsocial.settings import API_SOURCE, POSTS_ENDPOINT, accounts, max_pages
from ingest.truthsocial.tables import SCRAPECREATORS_TRUMP

log = logging.getLogger(__name__)


def fetch_api(ctx: LoadContext) -> Iterator[Batch]:
    """Yield the posts of every configured account, then the run's credit rows.

    Raises:
        MissingSecretError: SCRAPECREATORS_API_KEY is not configured.
        ScrapeCreatorsError: the key was rejected or the balance is zero.
        HttpError: retries ran out on 429, 5xx or connection errors.
        SourceFormatError: a response has no `posts` list.
    """
    client = ScrapeCreatorsClient(ctx)
    client.check_balance()
    collector = PostCollector(ctx)
    limit = max_pages(ctx.window.start is not None)
    for handle in accounts():
        _fetch_account(client, collector, handle, limit)
    rows = collector.in_window()
    if rows:
        finish_rows(rows)
        yield SCRAPECREATORS_TRUMP, SCRAPECREATORS_TRUMP.to_arrow(to_table_rows(rows))
    balance = client.get(BALANCE_ENDPOINT).get("creditCount")
    after = (
        balance if isinstance(balance, int) and not isinstance(balance, bool) else None
    )
    yield (
        SCRAPECREATORS_CREDITS,
        SCRAPECREATORS_CREDITS.to_arrow(client.credit_rows(after)),
    )


def _fetch_account(
    client: ScrapeCreatorsClient, collector: PostCollector, handle: str, limit: int
) -> None:
    ctx = client.ctx
    params: dict[str, Any] = {"handle": handle}
    seen_cursors: set[str] = set()
    for page in range(1, limit + 1):
        where = f"{POSTS_ENDPOINT} handle={handle} page {page}"
        body = client.get(POSTS_ENDPOINT, params)
        posts = body.get("posts")
        if not isinstance(posts, list):
            raise SourceFormatError(f"truthsocial: {where}: response has no posts list")
        rows = [
            post_row(post, API_SOURCE, ctx, where, account=handle) for post in posts
        ]
        parsed = [row for row in rows if row is not None]
        new = sum(collector.add(row) for row in parsed)
        log.info("truthsocial: %s: %d posts, %d new", where, len(posts), new)
        if not posts:
            return
        oldest = min((row["created_at"] for row in parsed), default=None)
        start = ctx.window.start
        if start is not None and oldest is not None and oldest.date() < start:
            return
        cursor = body.get("next_max_id")
        if isinstance(cursor, int) and not isinstance(cursor, bool):
            cursor = str(cursor)
        if not isinstance(cursor, str) or not cursor or cursor in seen_cursors:
            return
        seen_cursors.add(cursor)
        params = {"handle": handle, "next_max_id": cursor}
    log.warning(
        "truthsocial: %s: stopped after %d pages (the page limit); raise "
        "ZL_TRUTHSOCIAL_MAX_PAGES or pass --start to page further back",
        handle,
        limit,
    )
