"""Parsing of EIA API v2 response bodies into raw rows.

A v2 body is `{"response": {"total", "frequency", "data": [...]},
"request": {"command", "params"}, "apiVersion"}`. `total` arrives as a
string, values are strings, field names are hyphenated (`area-name`), and
`request.params` echoes the query including `api_key`. Only the rows of
`response.data` are kept, so the echoed key never reaches a stored row.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ingest.eia.settings import MISSING_VALUES, ROUTE_PATTERN
from ingest.scrub import scrub
from ingest.source import LoadContext, SourceFormatError

Row = dict[str, Any]

_COMMAND = re.compile(r"^/?(?:v2/)?(?P<route>.+?)/data/?$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
# (raw field, raw column) copied as published.
_TEXT_FIELDS = (
    ("duoarea", "duoarea"),
    ("area-name", "area_name"),
    ("product", "product"),
    ("product-name", "product_name"),
    ("process", "process"),
    ("process-name", "process_name"),
    ("series-description", "series_description"),
)


@dataclass(frozen=True)
class Page:
    """One v2 response: its rows and the envelope fields the loader checks."""

    total: int
    frequency: str
    data: list[Any]
    route: str | None


def read_page(body: Any, where: str) -> Page:
    """Check a v2 body's envelope and return its parts.

    Args:
        body: the decoded JSON.
        where: the file or URL, for messages (scrubbed before raising).

    Raises:
        SourceFormatError: the body is an EIA error, or `response`,
            `response.total`, `response.frequency` or `response.data` is
            missing or of the wrong type.
    """
    if not isinstance(body, dict):
        raise SourceFormatError(scrub(f"eia: {where}: JSON root is not an object"))
    if "error" in body:
        raise SourceFormatError(
            scrub(f"eia: {where}: EIA error response, not data: {error_text(body)}")
        )
    response = body.get("response")
    if not isinstance(response, dict):
        raise SourceFormatError(scrub(f"eia: {where}: missing `response` object"))
    total = parse_total(response.get("total"), where)
    data = response.get("data")
    if not isinstance(data, list):
        raise SourceFormatError(scrub(f"eia: {where}: `response.data` is not a list"))
    frequency = response.get("frequency")
    request = body.get("request")
    params = request.get("params") if isinstance(request, dict) else None
    if frequency is None and isinstance(params, dict):
        frequency = params.get("frequency")
    if not isinstance(frequency, str) or not frequency:
        raise SourceFormatError(
            scrub(f"eia: {where}: missing `response.frequency` ({frequency!r})")
        )
    command = request.get("command") if isinstance(request, dict) else None
    return Page(total, frequency, data, route_of_command(command))


def parse_total(value: Any, where: str) -> int:
    """Return `response.total` as an int; EIA sends it as a string of digits.

    Raises:
        SourceFormatError: the value is neither digits nor a non-negative int.
    """
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise SourceFormatError(scrub(f"eia: {where}: invalid `response.total` {value!r}"))


def route_of_command(command: Any) -> str | None:
    """Return the route of `request.command` (`/v2/petroleum/pri/spt/data/`)."""
    if not isinstance(command, str):
        return None
    match = _COMMAND.match(command.strip())
    if match is None or not ROUTE_PATTERN.match(match.group("route")):
        return None
    return match.group("route")


def parse_period(text: Any) -> date | None:
    """Return the first day of a v2 period (day, month, quarter or year)."""
    if not isinstance(text, str):
        return None
    try:
        if match := _DAY.match(text):
            return date(*(int(part) for part in match.groups()))
        if match := _MONTH.match(text):
            return date(int(match.group(1)), int(match.group(2)), 1)
        if match := _QUARTER.match(text):
            return date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1)
        if match := _YEAR.match(text):
            return date(int(match.group(1)), 1, 1)
    except ValueError:
        return None
    return None


def parse_value(value: Any) -> tuple[bool, float | None, str | None]:
    """Return (valid, number, text as published) of a v2 `value`.

    JSON null and the strings in `MISSING_VALUES` are valid and give None.
    """
    if value is None:
        return True, None, None
    if isinstance(value, bool):
        return False, None, str(value)
    if isinstance(value, int | float):
        number = float(value)
        return math.isfinite(number), number, str(value)
    if not isinstance(value, str):
        return False, None, None
    text = value.strip()
    if text in MISSING_VALUES:
        return True, None, value
    try:
        number = float(text)
    except ValueError:
        return False, None, value
    return math.isfinite(number), number, value


def parse_rows(
    page: Page, route: str, source: str, ctx: LoadContext, where: str
) -> list[Row]:
    """Turn `page.data` into raw rows inside `ctx.window`, skipping bad rows."""
    rows: list[Row] = []
    for index, record in enumerate(page.data):
        detail = f"{where} data[{index}]"
        if not isinstance(record, dict):
            ctx.skip("row is not an object", detail)
            continue
        series_id = record.get("series")
        if not isinstance(series_id, str) or not series_id.strip():
            ctx.skip("missing series", detail)
            continue
        period = record.get("period")
        period_date = parse_period(period)
        if period_date is None:
            ctx.skip("invalid period", f"{detail}: {period!r}")
            continue
        if not ctx.window.contains(period_date):
            continue
        if "value" not in record:
            ctx.skip("missing value", detail)
            continue
        valid, number, value_raw = parse_value(record["value"])
        if not valid:
            ctx.skip("invalid value", f"{detail}: {record['value']!r}")
            continue
        row: Row = {
            "route": route,
            "series_id": series_id.strip(),
            "frequency": page.frequency,
            "period": period,
            "period_date": period_date,
            "value": number,
            "value_raw": value_raw,
            "units": _text(record.get("units")),
            "source": source,
        }
        for field_name, column in _TEXT_FIELDS:
            row[column] = _text(record.get(field_name))
        rows.append(row)
    return rows


def error_text(body: dict[str, Any]) -> str:
    """Return the code and message of an EIA error body, scrubbed.

    EIA sends `{"error": "message", "code": 400}` for a bad request, and
    the api.data.gov gateway in front of it `{"error": {"code":
    "API_KEY_INVALID", "message": ...}}` for a bad key.
    """
    error = body.get("error")
    if isinstance(error, dict):
        code = error.get("code", "")
        message = error.get("message", "")
    else:
        code = body.get("code", "")
        message = error
    return scrub(f"{code}: {message}".strip(": "))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)
