"""Federal holidays and COT release times, checked against hand-read calendars."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime

import pytest

from ingest.cftc.calendar import (
    federal_holidays,
    holiday_rows,
    is_federal_holiday,
    release_exceptions,
    release_time,
    scheduled_release_time,
)
from ingest.cftc.settings import HOLIDAYS_SEED, RELEASE_EXCEPTIONS_SEED


def _seed_rows() -> list[tuple[date, str]]:
    with HOLIDAYS_SEED.open(newline="", encoding="utf-8") as handle:
        return [
            (date.fromisoformat(row["holiday_date"]), row["name"])
            for row in csv.DictReader(handle)
        ]


def test_holiday_seed_matches_function():
    assert _seed_rows() == holiday_rows()


def test_holiday_seed_range():
    days = [day for day, _ in _seed_rows()]
    assert min(days) == date(2000, 1, 17)
    assert max(days) == date(2035, 12, 25)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2021, 7, 5), "Independence Day"),  # July 4 on a Sunday
        (date(2022, 12, 26), "Christmas Day"),  # Dec 25 on a Sunday
        (date(2023, 6, 19), "Juneteenth National Independence Day"),
        (date(2010, 12, 31), "New Year's Day"),  # Jan 1 2011 on a Saturday
        (date(2021, 6, 18), "Juneteenth National Independence Day"),  # Saturday
        (date(2024, 11, 28), "Thanksgiving Day"),
        (date(2024, 5, 27), "Memorial Day"),
        (date(2025, 1, 20), "Birthday of Martin Luther King, Jr."),
    ],
)
def test_holiday_spot_checks(day, name):
    assert (day, name) in _seed_rows()


def test_juneteenth_starts_2021():
    names = [name for _, name in federal_holidays(2020)]
    assert "Juneteenth National Independence Day" not in names


def test_saturday_holiday_not_on_saturday():
    assert not is_federal_holiday(date(2022, 1, 1))


def test_holidays_per_year():
    assert len(federal_holidays(2024)) == 11


@pytest.mark.parametrize(
    ("report_date", "expected"),
    [
        # Normal week, daylight saving time: Friday 15:30 EDT.
        (date(2021, 3, 16), datetime(2021, 3, 19, 19, 30, tzinfo=UTC)),
        # Normal week, standard time: Friday 15:30 EST.
        (date(2021, 1, 5), datetime(2021, 1, 8, 20, 30, tzinfo=UTC)),
        # MLK Day on the Monday of the release week: Monday after.
        (date(2021, 1, 19), datetime(2021, 1, 25, 20, 30, tzinfo=UTC)),
        # Independence Day observed Monday 2022-07-04.
        (date(2022, 7, 5), datetime(2022, 7, 11, 19, 30, tzinfo=UTC)),
        # Thanksgiving Thursday: Monday after.
        (date(2023, 11, 21), datetime(2023, 11, 27, 20, 30, tzinfo=UTC)),
        # Christmas Monday, then New Year's Day on the next Monday: Tuesday.
        (date(2023, 12, 26), datetime(2024, 1, 2, 20, 30, tzinfo=UTC)),
        # Monday report date (Christmas on the Tuesday).
        (date(2018, 12, 24), datetime(2018, 12, 31, 20, 30, tzinfo=UTC)),
        # Veterans Day Thursday; the Monday after is in standard time.
        (date(2021, 11, 9), datetime(2021, 11, 15, 20, 30, tzinfo=UTC)),
        # Week before daylight saving time ends.
        (date(2021, 11, 2), datetime(2021, 11, 5, 19, 30, tzinfo=UTC)),
    ],
)
def test_release_time_rule(report_date, expected):
    assert release_time(report_date) == expected


def test_release_time_exception():
    expected = datetime(2025, 11, 19, 20, 30, tzinfo=UTC)
    assert release_time(date(2025, 9, 30)) == expected


def test_exception_overrides_rule():
    rule = scheduled_release_time(date(2025, 9, 30))
    assert rule == datetime(2025, 10, 3, 19, 30, tzinfo=UTC)


def test_exceptions_only_delay():
    for report_date, instant in release_exceptions().items():
        assert instant > scheduled_release_time(report_date), report_date


def test_exceptions_seed_rows():
    with RELEASE_EXCEPTIONS_SEED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(release_exceptions()) == len(rows)


def test_release_always_after_report():
    for day in (date(2006, 6, 13), date(2019, 1, 1), date(2035, 12, 25)):
        assert release_time(day).date() > day
