"""Publication times of news items, including Google's relative ages.

Google results carry no date field. The age is part of the description:
`22 hours ago` (anywhere, usually last) or `Dec 20, 2024 ·` (at the start,
where the separator may arrive as U+FFFD). A relative age is subtracted from
the fetch time; months count 30 days and years 365, so those are rough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

EXACT = "exact"
RELATIVE = "relative"
DATE_ONLY = "date_only"
FETCHED = "fetched"

_UNITS = {
    "second": timedelta(seconds=1),
    "sec": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}
_RELATIVE = re.compile(
    r"(?<!\w)(?P<n>\d{1,4}|an?)\s+(?P<unit>second|sec|minute|min|hour|day|week|month|year)s?\s+ago\b",
    re.IGNORECASE,
)
_YESTERDAY = re.compile(r"(?<!\w)yesterday\b", re.IGNORECASE)
_LEADING_DATE = re.compile(r"^\s*(?P<text>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\b")


@dataclass(frozen=True)
class Published:
    """A publication time and how it was found."""

    at: datetime
    basis: str
    raw: str | None

    @property
    def estimated(self) -> bool:
        return self.basis != EXACT


def from_description(description: str, fetched_at: datetime) -> Published:
    """Return the publication time found in a Google result's description."""
    match = _RELATIVE.search(description)
    if match:
        count = match.group("n").lower()
        amount = 1 if count in ("a", "an") else int(count)
        delta = _UNITS[match.group("unit").lower()] * amount
        return Published(fetched_at - delta, RELATIVE, match.group(0))
    match = _YESTERDAY.search(description)
    if match:
        return Published(fetched_at - timedelta(days=1), RELATIVE, match.group(0))
    match = _LEADING_DATE.match(description)
    if match:
        day = _parse_month_day_year(match.group("text"))
        if day is not None:
            return Published(midnight(day), DATE_ONLY, match.group("text"))
    return Published(fetched_at, FETCHED, None)


def _parse_month_day_year(text: str) -> date | None:
    cleaned = text.replace(".", "")
    for layout in ("%b %d, %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(cleaned, layout).date()
        except ValueError:
            continue
    return None


def midnight(day: date) -> datetime:
    """Return 00:00 UTC of `day`."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def from_epoch(value: object) -> datetime | None:
    """Return epoch seconds (Reddit `created_utc`) as UTC; None when invalid."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def from_twitter(value: object) -> datetime | None:
    """Return Twitter's `Thu Sep 12 00:08:39 +0000 2024` as UTC; None when invalid."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
    except ValueError:
        return None
