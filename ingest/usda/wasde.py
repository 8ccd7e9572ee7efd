"""Parser of the WASDE machine-readable CSV (`oce-wasde-report-data-YYYY-MM.csv`).

The USDA Office of the Chief Economist publishes every WASDE table as one
long CSV: one row per table cell, every field quoted, numbers such as
`".40"` and `"-.19"`, and the release date and time (Eastern) on every
row. Only soybean, soybean oil and soybean meal supply and use rows are
kept; the other commodities and the reliability tables are counted and
dropped.
"""

from __future__ import annotations

import calendar
import csv
import io
import logging
import re
from datetime import date
from typing import Any

from ingest.source import LoadContext, SourceFormatError
from ingest.usda.settings import WASDE_COMMODITY_WORD, WASDE_EXCLUDED_TITLE_PREFIX
from ingest.usda.tables import USDA_WASDE

log = logging.getLogger(__name__)

Row = dict[str, Any]

REQUIRED_COLUMNS = (
    "WasdeNumber",
    "ReportDate",
    "ReportTitle",
    "Attribute",
    "Commodity",
    "Region",
    "MarketYear",
    "Value",
    "Unit",
    "ReleaseDate",
)
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name)}


def decode_text(data: bytes) -> str:
    """Decode a downloaded or saved CSV: UTF-8 (with or without BOM), else cp1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def is_wasde_header(header: list[str]) -> bool:
    """Return True when a CSV header is the WASDE machine-readable layout."""
    return all(column in header for column in REQUIRED_COLUMNS)


def parse_wasde_csv(text: str, source: str, ctx: LoadContext, where: str) -> list[Row]:
    """Return the soybean complex rows of one WASDE CSV, within `ctx.window`.

    The window applies to the release date. Two rows of one file with the
    same key keep the first and count a skip.

    Raises:
        SourceFormatError: the CSV cannot be read or lacks a required column.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = reader.fieldnames or []
        records = list(reader)
    except csv.Error as exc:
        raise SourceFormatError(f"usda: {where}: invalid WASDE CSV ({exc})") from exc
    if not is_wasde_header(header):
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        raise SourceFormatError(f"usda: {where}: WASDE CSV header lacks {missing}")
    rows: dict[tuple[Any, ...], Row] = {}
    other = 0
    # Line numbers assume one physical line per record, as the OCE writes them.
    for line, record in enumerate(records, start=2):
        if not _is_soybean_balance_row(record):
            other += 1
            continue
        row = _parse_row(record, source, ctx, f"{where} line {line}")
        if row is None or not ctx.window.contains(row["release_date"]):
            continue
        key = tuple(row[name] for name in USDA_WASDE.primary_key)
        if key in rows:
            ctx.skip("duplicate WASDE cell", f"{where} line {line}: {key}")
            continue
        rows[key] = row
    log.info(
        "usda: %s: %d soybean complex rows kept, %d rows of other tables dropped",
        where,
        len(rows),
        other,
    )
    return list(rows.values())


def _is_soybean_balance_row(record: dict[str, Any]) -> bool:
    commodity = (record.get("Commodity") or "").lower()
    title = (record.get("ReportTitle") or "").strip().lower()
    return WASDE_COMMODITY_WORD in commodity and not title.startswith(
        WASDE_EXCLUDED_TITLE_PREFIX
    )


def _parse_row(
    record: dict[str, Any], source: str, ctx: LoadContext, where: str
) -> Row | None:
    if None in record.values():
        ctx.skip("short WASDE row", where)
        return None
    try:
        release_date = date.fromisoformat(record["ReleaseDate"].strip())
    except ValueError:
        ctx.skip("invalid release date", f"{where}: {record['ReleaseDate']!r}")
        return None
    report_month = _report_month(record)
    if report_month is None:
        ctx.skip("invalid report month", f"{where}: {record.get('ReportDate')!r}")
        return None
    value_raw = record["Value"].strip()
    if value_raw and not _NUMBER.match(value_raw):
        ctx.skip("invalid value", f"{where}: Value {value_raw!r}")
        return None
    release_time = _clock(record.get("ReleaseTime") or "")
    if release_time is False:
        ctx.skip("invalid release time", f"{where}: {record.get('ReleaseTime')!r}")
        return None
    number = record["WasdeNumber"].strip()
    return {
        "report_month": report_month,
        "report_title": record["ReportTitle"].strip(),
        "attribute": record["Attribute"].strip(),
        "reliability_projection": (record.get("ReliabilityProjection") or "").strip(),
        "commodity": record["Commodity"].strip(),
        "region": record["Region"].strip(),
        "market_year": record["MarketYear"].strip(),
        "annual_quarter_flag": (record.get("AnnualQuarterFlag") or "").strip(),
        "wasde_number": int(number) if number.isdigit() else None,
        "report_date": record["ReportDate"].strip(),
        "proj_est_flag": (record.get("ProjEstFlag") or "").strip(),
        "value": float(value_raw) if value_raw else None,
        "value_raw": value_raw,
        "unit": record["Unit"].strip(),
        "release_date": release_date,
        "release_time": release_time,
        "source": source,
    }


def _report_month(record: dict[str, Any]) -> date | None:
    """Return the report month from ForecastYear/Month, else from ReportDate."""
    year = (record.get("ForecastYear") or "").strip()
    month = (record.get("ForecastMonth") or "").strip()
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return date(int(year), int(month), 1)
    parts = (record.get("ReportDate") or "").split()
    if len(parts) == 2 and parts[0].lower() in _MONTHS and parts[1].isdigit():
        return date(int(parts[1]), _MONTHS[parts[0].lower()], 1)
    return None


def _clock(text: str) -> str | None | bool:
    """Return `HH:MM:SS`, None when empty, or False when not a clock time."""
    if not text.strip():
        return None
    match = _CLOCK.match(text.strip())
    if not match:
        return False
    hours, minutes = int(match.group(1)), int(match.group(2))
    seconds = int(match.group(3) or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return False
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"
