"""Reader of news files: article CSVs and saved ScrapeCreators search responses.

Reads every file of the `news/` folder and the `google_search*`, `reddit_*`,
`twitter_*` and `account_credit_balance*` files of a sibling
`scrapecreators/` folder (see `ingest.text.landing`):

- `.csv`: articles in a layout of `csvfiles` (unknown header: skipped).
- `.json`: a ScrapeCreators response recognised by its fields, see
  `scrapecreators.body_kind`. A credit-balance body is skipped and counted,
  because credits are recorded by API runs only.

A saved response has no request time, and Google's relative ages ("22
hours ago") need one: a top-level `fetched_at` (ISO 8601, written by the
synthetic files) is used when present, else the file's modification time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.news.csvfiles import read_csv
from ingest.news.items import Item, ItemCollector, bucket_rows
from ingest.news.scrapecreators import CREDIT_BALANCE, body_kind, parse_body
from ingest.news.tables import SCRAPECREATORS_NEWS_BUCKETS
from ingest.source import Batch, LoadContext, SourceFormatError
from ingest.text.landing import NEWS_PREFIXES, landing_files

log = logging.getLogger(__name__)


def read_files(folder: Path, ctx: LoadContext) -> Iterator[Batch]:
    """Yield one `scrapecreators_news_buckets` batch with every item of the files.

    Raises:
        SourceFormatError: a file is not UTF-8, not valid JSON or CSV, or a
            recognised response has a malformed list.
    """
    collector = ItemCollector(ctx)
    for path in landing_files(folder, ctx, NEWS_PREFIXES):
        items = _read(path, ctx)
        if items is None:
            continue
        new = sum(collector.add(item) for item in items)
        log.info("news: %s: %d items, %d new", path.name, len(items), new)
    items = collector.in_window()
    if not items:
        return
    rows = bucket_rows(items)
    yield SCRAPECREATORS_NEWS_BUCKETS, SCRAPECREATORS_NEWS_BUCKETS.to_arrow(rows)


def _read(path: Path, ctx: LoadContext) -> list[Item] | None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        items = read_csv(path, ctx)
        if items is None:
            ctx.skip("unrecognised file", f"{path.name}: unknown CSV header")
        return items
    if suffix != ".json":
        ctx.skip("unrecognised file", path.name)
        return None
    body = _load_json(path)
    if body is None:
        return []
    kind = body_kind(body) if isinstance(body, dict) else None
    if kind is None:
        ctx.skip(
            "unrecognised file", f"{path.name}: not a ScrapeCreators search response"
        )
        return None
    if kind == CREDIT_BALANCE:
        ctx.skip("credit balance file not stored", path.name)
        return None
    for field in ("results", "posts", "tweets"):
        if field in body and not isinstance(body[field], list):
            raise SourceFormatError(f"news: {path}: field {field} is not a list")
    return parse_body(body, path.name, _fetched_at(path, body), ctx)


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"news: {path}: not UTF-8 text ({exc})") from exc
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"news: {path}: invalid JSON at line {exc.lineno} column "
            f"{exc.colno}: {exc.msg}"
        ) from exc


def _fetched_at(path: Path, body: dict[str, Any]) -> datetime:
    """Return the body's `fetched_at`, else the file's modification time, in UTC."""
    value = body.get("fetched_at")
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
