"""Conversion of one COT record, from a text file or from Socrata, to a raw row.

Both formats carry the same report with different field names and
encodings: the yearly text file pads numbers with spaces and marks missing
values with `.`, while Socrata sends every number as a JSON string, omits
null fields and writes dates as floating timestamps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from ingest.cftc import settings
from ingest.cftc.tables import VALUE_COLUMNS

DISAGGREGATED = "Disaggregated"
LEGACY = "Legacy"
TFF = "Traders in Financial Futures"
UNKNOWN = "unknown"


class RowError(ValueError):
    """Raised for one record that cannot become a row; the caller skips it."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def detect_report_type(field_names: Iterable[str]) -> str:
    """Name the COT report whose fields these are, from its trader categories.

    Works for text headers and Socrata field names alike, because the
    comparison ignores case and Socrata's shortened suffixes.
    """
    names = {name.strip().lower() for name in field_names}
    if "m_money_positions_long_all" in names:
        return DISAGGREGATED
    if any(name.startswith("lev_money_positions_long") for name in names):
        return TFF
    if "noncomm_positions_long_all" in names:
        return LEGACY
    return UNKNOWN


def parse_count(value: object, field: str) -> int | None:
    """Parse a space-padded or string integer; `.` and blanks are NULL.

    Raises:
        RowError: the value is not an integer.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowError("invalid number", f"{field}={value!r}")
    if isinstance(value, int):
        return value
    text = value.strip()
    if text in settings.MISSING:
        return None
    try:
        return int(text)
    except ValueError:
        raise RowError("invalid number", f"{field}={value!r}") from None


def parse_text(value: object, field: str) -> str | None:
    """Strip a text value (codes carry a trailing space); blanks are NULL."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise RowError("invalid text", f"{field}={value!r}")
    text = value.strip()
    return None if text in settings.MISSING else text


def check_yymmdd(report_date: date, value: object, field: str) -> None:
    """Check the six-digit `As_of_Date_In_Form_YYMMDD` against the report date.

    A value whose leading zero was dropped (`60613` for 2006-06-13) is
    padded back to six digits first.

    Raises:
        RowError: the value is not a date, or names another day.
    """
    text = parse_text(value, field)
    if text is None:
        return
    try:
        as_of = datetime.strptime(text.zfill(6), "%y%m%d").date()
    except ValueError:
        raise RowError("invalid date", f"{field}={value!r}") from None
    if as_of != report_date:
        raise RowError(
            "report date mismatch",
            f"{field}={text} but report date is {report_date.isoformat()}",
        )


def text_row(
    record: list[str], index: Mapping[str, int], source: str
) -> dict[str, Any]:
    """Build a raw row from one record of the yearly text file.

    Args:
        record: the record's fields, as many as the header has.
        index: header name -> position in `record`.
        source: the file name stored in `source`.

    Raises:
        RowError: a date, number or key field is invalid.
    """
    raw_date = record[index[settings.TEXT_DATE]].strip()
    try:
        report_date = date.fromisoformat(raw_date)
    except ValueError:
        raise RowError("invalid date", f"{settings.TEXT_DATE}={raw_date!r}") from None
    if settings.TEXT_YYMMDD in index:
        check_yymmdd(report_date, record[index[settings.TEXT_YYMMDD]], "YYMMDD")
    row: dict[str, Any] = {"report_date": report_date, "source": source}
    for field, column in settings.TEXT_TEXT_FIELDS.items():
        row[column] = parse_text(record[index[field]], field)
    for field, column in settings.TEXT_NUMBER_FIELDS.items():
        row[column] = parse_count(record[index[field]], field)
    return _checked(row)


def socrata_row(record: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Build a raw row from one Socrata record (a JSON object).

    Socrata leaves out fields whose value is null, so an absent count is
    NULL. An absent `futonly_or_combined` is taken as futures only, the
    content of the disaggregated futures-only dataset.

    Raises:
        RowError: the report date is missing or invalid, or a value has
            the wrong type.
    """
    raw_date = record.get(settings.SOCRATA_DATE)
    if not isinstance(raw_date, str):
        raise RowError("invalid date", f"{settings.SOCRATA_DATE}={raw_date!r}")
    try:
        report_date = datetime.fromisoformat(raw_date).date()
    except ValueError:
        raise RowError(
            "invalid date", f"{settings.SOCRATA_DATE}={raw_date!r}"
        ) from None
    if settings.SOCRATA_YYMMDD in record:
        check_yymmdd(report_date, record[settings.SOCRATA_YYMMDD], "yymmdd")
    row: dict[str, Any] = {"report_date": report_date, "source": source}
    for column, names in settings.SOCRATA_TEXT_FIELDS.items():
        row[column] = parse_text(_first_present(record, names), names[0])
    for column, names in settings.SOCRATA_NUMBER_FIELDS.items():
        row[column] = parse_count(_first_present(record, names), names[0])
    if row["futonly_or_combined"] is None:
        row["futonly_or_combined"] = settings.SOCRATA_DEFAULT_FUTONLY
    return _checked(row)


def _first_present(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if name in record:
            return record[name]
    return None


def _checked(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("market_code", "futonly_or_combined"):
        if row[key] is None:
            raise RowError("missing key field", key)
    return {column: row[column] for column in VALUE_COLUMNS}
