"""Parse ScrapeCreators search responses into news items.

Bodies are recognised by their fields:

- `results`: `/v1/google/search`, a list of `{url, title, description}`
  with no date field (see `dates.from_description`).
- `posts`: `/v1/reddit/search` or `/v1/reddit/subreddit`; `created_utc` is
  epoch seconds.
- `tweets`: `/v1/twitter/user-tweets`, X GraphQL tweet objects; the text
  is `legacy.full_text`, the time `legacy.created_at` in Twitter's format,
  and `views.count` is a string.
- a single tweet (`rest_id` and `legacy`) or Reddit post (`subreddit`,
  `id`, `title`): `/v1/twitter/tweet` and `/v1/reddit/post`.
- `creditCount`: a credit-balance response, which contains no items.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ingest.news.dates import EXACT, from_description, from_epoch, from_twitter
from ingest.news.items import Item, hashed_id, join_title, new_item
from ingest.source import LoadContext
from ingest.text.clean import clean_text
from ingest.text.seeds import domain_of

CREDIT_BALANCE = "credit_balance"


def body_kind(body: dict[str, Any]) -> str | None:
    """Return google, reddit, twitter, credit_balance, or None when unrecognised."""
    if "results" in body:
        return "google"
    if "tweets" in body or ("rest_id" in body and "legacy" in body):
        return "twitter"
    if "posts" in body or {"subreddit", "id", "title"} <= set(body):
        return "reddit"
    if "creditCount" in body:
        return CREDIT_BALANCE
    return None


def parse_body(
    body: dict[str, Any],
    source: str,
    fetched_at: datetime,
    ctx: LoadContext,
    query: str | None = None,
) -> list[Item]:
    """Return the items of one search response; bad entries are skipped and counted."""
    kind = body_kind(body)
    if kind == "google":
        entries, parse = body["results"], _google
    elif kind == "reddit":
        entries, parse = body.get("posts", [body]), _reddit
    elif kind == "twitter":
        entries, parse = body.get("tweets", [body]), _tweet
    else:
        return []
    items = []
    for index, entry in enumerate(entries):
        where = f"{source} {kind} #{index}"
        if not isinstance(entry, dict):
            ctx.skip("entry is not an object", where)
            continue
        item = parse(entry, where, fetched_at, ctx)
        if item is not None:
            item.update(source=source, query=query, fetched_at=fetched_at)
            items.append(item)
    return items


def _google(
    entry: dict[str, Any], where: str, fetched_at: datetime, ctx: LoadContext
) -> Item | None:
    url = entry.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        ctx.skip("result without url", f"{where}: {url!r}")
        return None
    title = clean_text(_text(entry.get("title"))).text
    description = _text(entry.get("description"))
    published = from_description(description, fetched_at)
    return new_item(
        item_id=hashed_id("google", url),
        platform="google",
        url=url,
        domain=domain_of(url),
        title=title,
        text=join_title(title, clean_text(description).text),
        published_at=published.at,
        published_at_estimated=published.estimated,
        published_at_basis=published.basis,
        published_at_raw=published.raw,
    )


def _reddit(
    entry: dict[str, Any], where: str, fetched_at: datetime, ctx: LoadContext
) -> Item | None:
    post_id = entry.get("id") or str(entry.get("name") or "").removeprefix("t3_")
    created = from_epoch(entry.get("created_utc", entry.get("created")))
    if not isinstance(post_id, str) or not post_id:
        ctx.skip("post without id", where)
        return None
    if created is None:
        ctx.skip("invalid created_utc", f"{where}: {entry.get('created_utc')!r}")
        return None
    permalink = entry.get("permalink")
    url = (
        f"https://www.reddit.com{permalink}"
        if isinstance(permalink, str)
        else entry.get("url")
    )
    title = clean_text(_text(entry.get("title"))).text
    body = clean_text(_text(entry.get("selftext")), is_html=False).text
    subreddit = entry.get("subreddit")
    return new_item(
        item_id=post_id,
        platform="reddit",
        url=url if isinstance(url, str) else None,
        domain="reddit.com",
        channel=f"r/{subreddit}" if isinstance(subreddit, str) else None,
        author=_text(entry.get("author")) or None,
        title=title,
        text=join_title(title, body),
        published_at=created,
        published_at_estimated=False,
        published_at_basis=EXACT,
        published_at_raw=str(entry.get("created_utc", entry.get("created"))),
        engagement_count=_integer(entry.get("score", entry.get("ups"))),
    )


def _tweet(
    entry: dict[str, Any], where: str, fetched_at: datetime, ctx: LoadContext
) -> Item | None:
    legacy = entry.get("legacy")
    rest_id = entry.get("rest_id")
    if not isinstance(legacy, dict) or not isinstance(rest_id, str) or not rest_id:
        ctx.skip("tweet without rest_id or legacy", where)
        return None
    created = from_twitter(legacy.get("created_at"))
    if created is None:
        ctx.skip("invalid tweet created_at", f"{where}: {legacy.get('created_at')!r}")
        return None
    author = _screen_name(entry)
    url = entry.get("url")
    if not isinstance(url, str) or not url.endswith(f"/status/{rest_id}"):
        # The trimmed sample's `url` points at another tweet, so a URL is
        # only trusted when it ends with this tweet's id.
        url = f"https://x.com/{author or 'i'}/status/{rest_id}"
    views = entry.get("views")
    return new_item(
        item_id=rest_id,
        platform="twitter",
        url=url,
        domain="x.com",
        author=author,
        text=clean_text(_text(legacy.get("full_text"))).text,
        published_at=created,
        published_at_estimated=False,
        published_at_basis=EXACT,
        published_at_raw=legacy.get("created_at"),
        engagement_count=_integer(legacy.get("favorite_count")),
        view_count=_integer(views.get("count")) if isinstance(views, dict) else None,
    )


def _screen_name(entry: dict[str, Any]) -> str | None:
    try:
        name = entry["core"]["user_results"]["result"]["legacy"]["screen_name"]
    except (KeyError, TypeError):
        return None
    return name if isinstance(name, str) and name else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _integer(value: Any) -> int | None:
    """Return an int from an int or a digit string (Twitter's `views.count`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
