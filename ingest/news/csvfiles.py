"""News articles from CSV files, in the layouts recognised by their header.

- `cepea`: `Date, Text_Headline, Text_Body, Commodity, Language, Real,
  Dolar`, CEPEA/ESALQ English soybean news. `Date` is `YYYY-MM-DD
  00:00:00`, the publication day without a time. The file repeats some
  articles on consecutive rows; each is stored once.
- `advisor`: `Date, Headlines, News` plus price columns, from
  soybeansandcorn.com. `Date` is `YYYY-MM-DD`. `News` is a Python list of
  paragraphs written out as text without its brackets, so paragraphs are
  separated by `', "` and the like. Those separators become line breaks.
  The price columns (some hold Excel formulas as text) are not stored.
- `generic`: `published_at, title, text` and optional `url, domain,
  author`. `published_at` is ISO 8601: a date alone is date-only, a time
  without an offset is read as UTC.

Every row's publication time is estimated except a generic row with a
time. An article's id is a hash of its publisher, date, title and body.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

from ingest.news.dates import DATE_ONLY, EXACT, midnight
from ingest.news.items import Item, hashed_id, join_title, new_item
from ingest.source import LoadContext, SourceFormatError
from ingest.text.clean import clean_text
from ingest.text.seeds import domain_of

PLATFORM = "news_csv"
_LAYOUTS: dict[str, tuple[str, ...]] = {
    "cepea": ("Date", "Text_Headline", "Text_Body"),
    "advisor": ("Date", "Headlines", "News"),
    "generic": ("published_at", "title", "text"),
}
_PUBLISHERS = {"cepea": "cepea.esalq.usp.br", "advisor": "soybeansandcorn.com"}
_FIELDS = {
    "cepea": ("Text_Headline", "Text_Body"),
    "advisor": ("Headlines", "News"),
    "generic": ("title", "text"),
}
_LIST_SEPARATOR = re.compile(r"""(?<=[.!?%)"'\]])['"], ['"](?=\S)""")


def csv_layout(header: list[str]) -> str | None:
    """Return the layout whose required columns the header contains, or None."""
    names = {name.strip().lstrip("\ufeff") for name in header}
    for layout, required in _LAYOUTS.items():
        if set(required) <= names:
            return layout
    return None


def read_csv(path: Path, ctx: LoadContext) -> list[Item] | None:
    """Return the articles of a news CSV, or None when the header is unknown.

    Raises:
        SourceFormatError: the file is not UTF-8 or not parseable as CSV.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            layout = csv_layout(reader.fieldnames or [])
            if layout is None:
                return None
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"news: {path}: not UTF-8 text ({exc})") from exc
    except csv.Error as exc:
        raise SourceFormatError(f"news: {path}: invalid CSV: {exc}") from exc
    items = []
    for line, row in enumerate(rows, start=2):
        item = _article(row, layout, path.name, ctx, f"{path.name} line {line}")
        if item is not None:
            items.append(item)
    return items


def _article(
    row: dict[str, str | None], layout: str, source: str, ctx: LoadContext, where: str
) -> Item | None:
    if None in row:
        ctx.skip("row with extra fields", where)
        return None
    title_field, body_field = _FIELDS[layout]
    title = clean_text(row.get(title_field) or "").text
    raw_body = row.get(body_field) or ""
    if layout == "advisor":
        raw_body = _LIST_SEPARATOR.sub("\n", raw_body)
    body = clean_text(raw_body).text
    if not title and not body:
        ctx.skip("article without title or text", where)
        return None

    date_field = "published_at" if layout == "generic" else "Date"
    raw_date = (row.get(date_field) or "").strip()
    parsed = _published(raw_date)
    if parsed is None:
        ctx.skip("invalid article date", f"{where}: {raw_date!r}")
        return None
    published_at, basis = parsed

    url = (row.get("url") or "").strip() or None
    domain = (
        _PUBLISHERS.get(layout) or (row.get("domain") or "").strip() or domain_of(url)
    )
    return new_item(
        item_id=hashed_id(domain, raw_date, title, body),
        platform=PLATFORM,
        url=url,
        domain=domain,
        author=(row.get("author") or "").strip() or None,
        title=title or None,
        text=join_title(title, body),
        published_at=published_at,
        published_at_estimated=basis != EXACT,
        published_at_basis=basis,
        published_at_raw=raw_date,
        source=source,
    )


def _published(raw: str) -> tuple[datetime, str] | None:
    """Return the UTC time and basis of a CSV date; a midnight time is date-only."""
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    date_only = len(raw) <= 10 or (parsed.tzinfo is None and raw.endswith("00:00:00"))
    if date_only:
        return midnight(parsed.date()), DATE_ONLY
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC), EXACT
