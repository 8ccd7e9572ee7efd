"""US federal holidays and the release instant of each Commitments of Traders report.

Positions in a COT report are as of a Tuesday (a Monday when that Tuesday
is a federal holiday), and the CFTC publishes the report later that week.
`release_time` returns the instant from which a report may be used, so the
point-in-time matrix uses no positions before their release.
"""

from __future__ import annotations

import csv
import logging
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from ingest.cftc.settings import HOLIDAYS_SEED, RELEASE_EXCEPTIONS_SEED

log = logging.getLogger(__name__)

NEW_YORK = ZoneInfo("America/New_York")
RELEASE_CLOCK = time(15, 30)
HOLIDAY_SEED_START = 2000
HOLIDAY_SEED_END = 2035
JUNETEENTH_FIRST_YEAR = 2021

_MONDAY, _THURSDAY, _FRIDAY = 0, 3, 4


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def federal_holidays(year: int) -> list[tuple[date, str]]:
    """Return the observed US federal holidays of one holiday year, by date.

    A holiday on a Saturday is observed the Friday before and one on a
    Sunday the Monday after, so New Year's Day of `year` can be observed
    on December 31 of the year before. Juneteenth counts
    from 2021. Inauguration Day and one-off closures by executive order are
    not included.
    """
    fixed = [
        (date(year, 1, 1), "New Year's Day"),
        (date(year, 7, 4), "Independence Day"),
        (date(year, 11, 11), "Veterans Day"),
        (date(year, 12, 25), "Christmas Day"),
    ]
    if year >= JUNETEENTH_FIRST_YEAR:
        fixed.append((date(year, 6, 19), "Juneteenth National Independence Day"))
    floating = [
        (_nth_weekday(year, 1, _MONDAY, 3), "Birthday of Martin Luther King, Jr."),
        (_nth_weekday(year, 2, _MONDAY, 3), "Washington's Birthday"),
        (_last_weekday(year, 5, _MONDAY), "Memorial Day"),
        (_nth_weekday(year, 9, _MONDAY, 1), "Labor Day"),
        (_nth_weekday(year, 10, _MONDAY, 2), "Columbus Day"),
        (_nth_weekday(year, 11, _THURSDAY, 4), "Thanksgiving Day"),
    ]
    observed = [(_observed(day), name) for day, name in fixed] + floating
    return sorted(observed)


def holiday_rows(
    first_year: int = HOLIDAY_SEED_START, last_year: int = HOLIDAY_SEED_END
) -> list[tuple[date, str]]:
    """Return `(holiday_date, name)` for observed dates in the given years.

    The range is on the observed date, so a New Year's Day observed on
    December 31 belongs to the earlier year. This is the content of the
    `us_federal_holidays` seed.
    """
    rows: list[tuple[date, str]] = []
    for year in range(first_year - 1, last_year + 2):
        rows.extend(federal_holidays(year))
    return [(day, name) for day, name in rows if first_year <= day.year <= last_year]


def write_holiday_seed(path: Path = HOLIDAYS_SEED) -> None:
    """Write the holiday seed CSV (`holiday_date,name`) from `holiday_rows`."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["holiday_date", "name"])
        for day, name in holiday_rows():
            writer.writerow([day.isoformat(), name])


@cache
def _holiday_dates(year: int) -> frozenset[date]:
    return frozenset(day for day, _ in holiday_rows(year, year))


def is_federal_holiday(day: date) -> bool:
    return day in _holiday_dates(day.year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and not is_federal_holiday(day)


@cache
def release_exceptions(path: Path = RELEASE_EXCEPTIONS_SEED) -> dict[date, datetime]:
    """Read the off-schedule releases: report date -> release instant in UTC.

    Raises:
        ValueError: a row has an invalid date or time; the message names
            the file and the row.
    """
    exceptions: dict[date, datetime] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                report_date = date.fromisoformat(row["report_date"])
                local = datetime.strptime(row["release_at_et"], "%Y-%m-%d %H:%M")
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{line}: invalid row {row!r} ({exc})") from exc
            exceptions[report_date] = local.replace(tzinfo=NEW_YORK).astimezone(UTC)
    return exceptions


def release_time(report_date: date) -> datetime:
    """Return the UTC instant from which the report for `report_date` is public.

    The rule, kept simple so staging SQL can mirror it:

    1. The normal release is 15:30 America/New_York on the first Friday
       after the report date (the Friday of the same week for a Tuesday or
       Monday report date).
    2. When an observed federal holiday falls on Monday to Friday of that
       release week, the release moves to the next business day after that
       Friday (usually the Monday after), still at 15:30 New York time.
       The rule errs late: the CFTC's regular schedule put the report of
       Monday 2025-11-10 (Veterans Day on the Tuesday) on Friday
       2025-11-14, while this rule gives Monday 2025-11-17.
    3. A report date listed in `seeds/cot_release_exceptions.csv` (releases
       delayed by government shutdowns) takes that instant instead.
    """
    override = release_exceptions().get(report_date)
    if override is not None:
        return override
    return scheduled_release_time(report_date)


def scheduled_release_time(report_date: date) -> datetime:
    """Return the release instant of rules 1 and 2 of `release_time` in UTC."""
    days_to_friday = (_FRIDAY - report_date.weekday()) % 7 or 7
    friday = report_date + timedelta(days=days_to_friday)
    release_day = friday
    week = [friday - timedelta(days=offset) for offset in range(5)]
    if any(is_federal_holiday(day) for day in week):
        release_day = friday + timedelta(days=1)
        while not is_business_day(release_day):
            release_day += timedelta(days=1)
    local = datetime.combine(release_day, RELEASE_CLOCK, tzinfo=NEW_YORK)
    return local.astimezone(UTC)
