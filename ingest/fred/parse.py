"""Parsers of FRED JSON bodies, shared by the file reader and the API client.

FRED sends every observation value as a string, with "." for a missing
value, so `value_raw` keeps that string and `value` is its float or NULL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from ingest.fred.settings import (
    ALL_VINTAGES_END,
    MISSING_VALUES,
    SERIES_ID_PATTERN,
)
from ingest.source import LoadContext, SourceFormatError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A decimal number as FRED writes it; float() alone would also accept
# "nan", "inf" and "1_000".
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

Row = dict[str, Any]


def parse_date(text: object) -> date | None:
    """Return the date of a `YYYY-MM-DD` string, or None if it is not one."""
    if not isinstance(text, str) or not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_value(text: object) -> tuple[bool, float | None]:
    """Parse a published value; return (valid, float or None when missing)."""
    if not isinstance(text, str):
        return False, None
    stripped = text.strip()
    if stripped in MISSING_VALUES:
        return True, None
    if not _NUMBER.match(stripped):
        return False, None
    return True, float(stripped)


def detect_vintage_mode(body: Mapping[str, Any], where: str) -> str:
    """Classify an observations body by the request that produced it.

    The header of a `/series/observations` body repeats the request's
    `output_type` and real-time period:

    - output_type 4 (first release only) is `initial_release`;
    - a period ending 9999-12-31 asked for every vintage: `all_vintages`;
    - a single-day period (FRED's default is today) is `latest`;
    - any other period ends at an as-of date: `as_of`.

    NOTE: a single-day period on a past date (values as of that day) is
    classified as `latest` too, because the body does not record the day the
    request was sent. Its rows still carry that day as their vintage.

    Raises:
        SourceFormatError: the real-time period is missing, or output_type is
            2 or 3 (one column per vintage), which this loader does not read.
    """
    output_type = body.get("output_type", 1)
    if output_type in (4, "4"):
        return "initial_release"
    if output_type not in (1, "1"):
        raise SourceFormatError(
            f"fred: {where}: output_type {output_type!r} is not supported; "
            "save observations with output_type 1 (one row per vintage) or 4"
        )
    start = body.get("realtime_start")
    end = body.get("realtime_end")
    if parse_date(start) is None or parse_date(end) is None:
        raise SourceFormatError(
            f"fred: {where}: missing or invalid realtime_start/realtime_end "
            f"in the header ({start!r}, {end!r})"
        )
    if end == ALL_VINTAGES_END:
        return "all_vintages"
    if start == end:
        return "latest"
    return "as_of"


def observation_list(body: object, where: str) -> list[Any]:
    """Return the `observations` array of a body.

    Raises:
        SourceFormatError: the body is not an object or has no array there.
    """
    if not isinstance(body, Mapping):
        raise SourceFormatError(f"fred: {where}: expected a JSON object")
    observations = body.get("observations")
    if not isinstance(observations, list):
        raise SourceFormatError(
            f"fred: {where}: field 'observations' is missing or not an array"
        )
    return observations


def parse_observations(
    observations: list[Any],
    series_id: str,
    vintage_mode: str,
    source: str,
    ctx: LoadContext,
    where: str,
) -> list[Row]:
    """Turn FRED observation objects into `fred_economic` rows.

    Rows outside `ctx.window` are dropped. A row with an invalid date, value
    or real-time period is skipped and counted.
    """
    rows: list[Row] = []
    for index, item in enumerate(observations):
        row = _observation_row(item, series_id, vintage_mode, source)
        if isinstance(row, str):
            ctx.skip(row, f"{where} observation {index}: {str(item)[:120]}")
            continue
        if ctx.window.contains(row["observation_date"]):
            rows.append(row)
    return rows


def _observation_row(
    item: object, series_id: str, vintage_mode: str, source: str
) -> Row | str:
    """Return a row, or the skip reason for an invalid observation."""
    if not isinstance(item, Mapping):
        return "observation is not an object"
    observation_date = parse_date(item.get("date"))
    if observation_date is None:
        return "invalid observation date"
    realtime_start = parse_date(item.get("realtime_start"))
    realtime_end = parse_date(item.get("realtime_end"))
    if realtime_start is None or realtime_end is None:
        return "invalid real-time period"
    if realtime_end < realtime_start:
        return "invalid real-time period"
    value_raw = item.get("value")
    valid, value = parse_value(value_raw)
    if not valid:
        return "invalid value"
    return {
        "series_id": series_id,
        "observation_date": observation_date,
        "realtime_start": realtime_start,
        "realtime_end": realtime_end,
        "vintage_key": realtime_start.isoformat(),
        "value": value,
        "value_raw": value_raw,
        "vintage_mode": vintage_mode,
        "source": source,
    }


def parse_series_info(body: object, ctx: LoadContext, where: str) -> list[Row]:
    """Turn a `/series` body (its `seriess` array) into `fred_series` rows.

    Raises:
        SourceFormatError: the body has no `seriess` array.
    """
    if not isinstance(body, Mapping) or not isinstance(body.get("seriess"), list):
        raise SourceFormatError(
            f"fred: {where}: field 'seriess' is missing or not an array"
        )
    rows: list[Row] = []
    for index, item in enumerate(body["seriess"]):
        try:
            rows.append(_series_row(item))
        except ValueError as exc:
            ctx.skip("invalid series metadata", f"{where} series {index}: {exc}")
    return rows


def _series_row(item: object) -> Row:
    if not isinstance(item, Mapping):
        raise ValueError("entry is not an object")
    series_id = item.get("id")
    if not isinstance(series_id, str) or not SERIES_ID_PATTERN.match(series_id):
        raise ValueError(f"invalid id {series_id!r}")
    popularity = item.get("popularity")
    if popularity is not None and (
        isinstance(popularity, bool) or not isinstance(popularity, int)
    ):
        raise ValueError(f"popularity {popularity!r} is not an integer")
    row: Row = {"series_id": series_id, "popularity": popularity}
    for name in (
        "title",
        "frequency",
        "frequency_short",
        "units",
        "units_short",
        "seasonal_adjustment_short",
        "notes",
    ):
        text = item.get(name)
        if text is not None and not isinstance(text, str):
            raise ValueError(f"{name} {text!r} is not a string")
        row[name] = text
    for name in ("observation_start", "observation_end"):
        raw = item.get(name)
        row[name] = parse_date(raw)
        if raw is not None and row[name] is None:
            raise ValueError(f"{name} {raw!r} is not a YYYY-MM-DD date")
    row["last_updated"] = parse_last_updated(item.get("last_updated"))
    return row


def parse_last_updated(text: object) -> datetime | None:
    """Convert FRED's `2024-10-30 07:54:01-05` (an hours-only offset) to UTC.

    Raises:
        ValueError: the text is not a timestamp with a UTC offset.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(f"last_updated {text!r} is not a string")
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"last_updated {text!r} is not a timestamp") from exc
    if stamp.tzinfo is None:
        raise ValueError(f"last_updated {text!r} has no UTC offset")
    return stamp.astimezone(UTC)
