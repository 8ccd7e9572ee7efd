"""Parsers of NASS Quick Stats bodies (JSON and CSV), for files and the API.

Quick Stats sends every field as a string. `Value` may carry thousands
commas (`"1,234"`) or a code in parentheses (`" (D)"`). The number goes to
`value`, the code to `value_code` and the published text to `value_raw`.
A suppressed figure therefore stays visible as a coded row with a NULL
value.
`CV (%)` is handled the same way. `load_time` has no zone; it is read as
America/New_York, where NASS publishes.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ingest.source import LoadContext, SourceFormatError, Window
from ingest.usda.settings import NASS_CODE, NASS_NUMBER
from ingest.usda.tables import NASS_TEXT_FIELDS, USDA_NASS_QUICKSTATS

log = logging.getLogger(__name__)

Row = dict[str, Any]

EASTERN = ZoneInfo("America/New_York")
VALUE_FIELD = "Value"
CV_FIELD = "CV (%)"
# Fields every Quick Stats record must have; the rest default to "".
REQUIRED_FIELDS = ("short_desc", "year", VALUE_FIELD)


class NassErrorBody(Exception):
    """A Quick Stats `{"error": [...]}` body in place of data."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def parse_number_or_code(text: str) -> tuple[bool, float | None, str | None]:
    """Parse a Quick Stats `Value` or `CV (%)` string.

    Returns:
        (valid, number, code). `number` is set for a number such as
        `1,234.5` and `code` for a parenthesised code such as ` (D)`. Both
        are None for an empty string. `valid` is False for anything else.
    """
    stripped = text.strip()
    if not stripped:
        return True, None, None
    coded = NASS_CODE.match(stripped)
    if coded:
        return True, None, coded.group(1)
    if stripped in {"-", "+", "."} or not NASS_NUMBER.match(stripped):
        return False, None, None
    return True, float(stripped.replace(",", "")), None


def error_messages(body: object) -> list[str] | None:
    """Return the messages of a Quick Stats error body, or None if not one."""
    if not isinstance(body, Mapping) or "error" not in body or "data" in body:
        return None
    error = body["error"]
    if isinstance(error, list):
        return [str(message) for message in error]
    return [str(error)]


def records_from_json(text: str, where: str) -> list[Mapping[str, Any]]:
    """Return the records of a Quick Stats JSON body.

    Raises:
        NassErrorBody: the body is an `{"error": [...]}` object.
        SourceFormatError: the text is not JSON or has no `data` list.
    """
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"usda: {where}: invalid Quick Stats JSON at line {exc.lineno} "
            f"column {exc.colno}: {exc.msg}"
        ) from exc
    messages = error_messages(body)
    if messages is not None:
        raise NassErrorBody(messages)
    if not isinstance(body, Mapping) or not isinstance(body.get("data"), list):
        raise SourceFormatError(
            f"usda: {where}: Quick Stats JSON needs a top-level `data` list"
        )
    records = body["data"]
    if not all(isinstance(record, Mapping) for record in records):
        raise SourceFormatError(f"usda: {where}: a `data` item is not an object")
    return records


def records_from_csv(text: str, where: str) -> list[Mapping[str, Any]]:
    """Return the records of a Quick Stats CSV body (header line first).

    Raises:
        SourceFormatError: the CSV cannot be read or lacks a required column.
    """
    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        header = reader.fieldnames or []
        records = list(reader)
    except csv.Error as exc:
        raise SourceFormatError(
            f"usda: {where}: invalid Quick Stats CSV ({exc})"
        ) from exc
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        raise SourceFormatError(
            f"usda: {where}: Quick Stats CSV header lacks {missing}"
        )
    return records


def parse_records(
    records: Iterable[Mapping[str, Any]],
    origin: str,
    ctx: LoadContext,
    where: str,
) -> list[Row]:
    """Turn Quick Stats records into `usda_nass_quickstats` rows.

    Rows outside `ctx.window` are dropped: a weekly row by its week ending
    date, any other row by its year.

    Args:
        records: JSON objects or CSV dicts, every field a string.
        origin: the `query_id` column: a seed query id or a file name.
        ctx: the run's context, for skips and the window.
        where: file name or URL for messages.

    Raises:
        SourceFormatError: a record lacks a required field.
    """
    rows: list[Row] = []
    for index, record in enumerate(records):
        missing = [name for name in REQUIRED_FIELDS if name not in record]
        if missing:
            raise SourceFormatError(
                f"usda: {where}: Quick Stats record {index} lacks {missing}"
            )
        row = _parse_record(record, origin, ctx, f"{where} record {index}")
        if row is not None and _in_window(row, ctx.window):
            rows.append(row)
    return rows


def _parse_record(
    record: Mapping[str, Any], origin: str, ctx: LoadContext, where: str
) -> Row | None:
    if None in record or None in record.values():
        # csv.DictReader fills a short row with None and files a long row's
        # extra fields under None.
        ctx.skip("wrong field count", f"{where}: a field is missing or null")
        return None
    fields = {name: _as_text(record.get(name)) for name in NASS_TEXT_FIELDS}
    if any(value is None for value in fields.values()):
        ctx.skip("invalid Quick Stats field", f"{where}: a field is not a string")
        return None
    year_text = _as_text(record.get("year")) or ""
    if not year_text.strip().isdigit():
        ctx.skip("invalid year", f"{where}: {record.get('year')!r}")
        return None
    week_ending = _parse_date(_as_text(record.get("week_ending")) or "")
    if week_ending is False:
        ctx.skip("invalid week_ending", f"{where}: {record.get('week_ending')!r}")
        return None
    load_time = _parse_load_time(_as_text(record.get("load_time")) or "")
    if load_time is False:
        ctx.skip("invalid load_time", f"{where}: {record.get('load_time')!r}")
        return None
    value_raw = _as_text(record.get(VALUE_FIELD)) or ""
    valid, value, value_code = parse_number_or_code(value_raw)
    if not valid:
        ctx.skip("invalid value", f"{where}: Value {value_raw!r}")
        return None
    cv_raw = _as_text(record.get(CV_FIELD)) or ""
    cv_valid, cv_pct, cv_code = parse_number_or_code(cv_raw)
    if not cv_valid:
        ctx.skip("invalid CV", f"{where}: CV (%) {cv_raw!r}")
        return None
    return {
        **fields,
        "year": int(year_text),
        "week_ending": week_ending,
        "load_time": load_time,
        "value": value,
        "value_code": value_code,
        "value_raw": value_raw,
        "cv_pct": cv_pct,
        "cv_code": cv_code,
        "cv_raw": cv_raw,
        "query_id": origin,
    }


def _as_text(value: object) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _parse_date(text: str) -> date | None | bool:
    """Return the date, None for an empty string, or False when invalid."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return False


def _parse_load_time(text: str) -> datetime | None | bool:
    """Return `load_time` in UTC, None when empty, or False when invalid."""
    if not text.strip():
        return None
    try:
        local = datetime.strptime(text.strip()[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return local.replace(tzinfo=EASTERN).astimezone(ZoneInfo("UTC"))


def _in_window(row: Row, window: Window) -> bool:
    if row["week_ending"] is not None:
        return window.contains(row["week_ending"])
    year = row["year"]
    after_start = window.start is None or year >= window.start.year
    before_end = window.end is None or year <= window.end.year
    return after_start and before_end


def record_key(row: Row) -> tuple[Any, ...]:
    """Return the natural key of a parsed row, as in the table spec."""
    return tuple(row[name] for name in USDA_NASS_QUICKSTATS.primary_key)
