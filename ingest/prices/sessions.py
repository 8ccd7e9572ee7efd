"""Trade dates from bar timestamps, and the CBOT holiday calendar.

TradingView stamps a daily bar with the time its session opened, which is
the evening before the trade date. The recorded ZL, ZM and ZS files (5000
bars each, 2004-2024) show these stamps, in Chicago time:

- 18:00 or 19:00 of the previous evening, 00:00 UTC, for almost every bar.
  A Monday bar is stamped on Sunday evening. About 800 bars per file read
  as 23:00 or 01:00 UTC instead, because the exporting machine's summer time
  dates for Sao Paulo differ from tzdata's (it still applied summer time in
  2021 and 2022, after Brazil abolished it in 2019). They still fall in the
  evening in Chicago.
- Sunday evening before a Monday holiday (2022 Memorial Day, Juneteenth and
  Labor Day at 19:00, 2021 and 2023 Monday holidays at 16:00). The next bar is
  Wednesday's, so this one is Tuesday's session, which opened on Sunday and
  paused through the holiday. Good Friday 2021 works the same way: the bar
  stamped Thursday evening is followed by Tuesday's, so it is Monday's.
- 08:30 on the trade date itself when no evening session preceded it:
  Tuesday 2021-07-06 after the July 4 closure, Friday 2021-11-26 after
  Thanksgiving, Tuesday 2024-01-02 after New Year's Day.

So `trade_date_from_utc` converts the stamp to the exchange time zone and
takes that day for a stamp before `SESSION_SPLIT_HOUR`, and the next CBOT
business day otherwise. In 2005-2010 TradingView also has a few filler bars
stamped on the eve of a holiday (Thanksgiving 2005 and 2006, July 4 2007,
Good Friday 2010), each with the previous close and tiny or copied volume.
The rule gives them the same trade date as the bar after them, and the
reader keeps the later bar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd
from pandas.tseries.holiday import (
    AbstractHolidayCalendar,
    GoodFriday,
    Holiday,
    USLaborDay,
    USMartinLutherKingJr,
    USMemorialDay,
    USPresidentsDay,
    USThanksgivingDay,
    nearest_workday,
    sunday_to_monday,
)

from ingest.prices.settings import SESSION_SPLIT_HOUR


class CbotHolidayCalendar(AbstractHolidayCalendar):
    """Full-day CBOT grain closures.

    New Year's Day falling on a Saturday closes nothing, unlike the federal
    calendar, which observes it on the Friday before. Juneteenth has closed
    the exchange since 2022. Early closes are trading days and not listed.
    """

    rules = [
        Holiday("New Year's Day", month=1, day=1, observance=sunday_to_monday),
        USMartinLutherKingJr,
        USPresidentsDay,
        GoodFriday,
        USMemorialDay,
        Holiday(
            "Juneteenth",
            month=6,
            day=19,
            start_date="2022-01-01",
            observance=nearest_workday,
        ),
        Holiday("Independence Day", month=7, day=4, observance=nearest_workday),
        USLaborDay,
        USThanksgivingDay,
        Holiday("Christmas Day", month=12, day=25, observance=nearest_workday),
    ]


@lru_cache(maxsize=64)
def cbot_holidays(year: int) -> frozenset[date]:
    """Return the CBOT full-day closures in `year`."""
    days = CbotHolidayCalendar().holidays(
        start=pd.Timestamp(year, 1, 1), end=pd.Timestamp(year, 12, 31)
    )
    return frozenset(day.date() for day in days)


def is_business_day(day: date) -> bool:
    """Return whether CBOT grains trade on `day` (a weekday and no holiday)."""
    return day.weekday() < 5 and day not in cbot_holidays(day.year)


def next_business_day(day: date) -> date:
    """Return the first CBOT business day after `day`."""
    candidate = day + timedelta(days=1)
    while not is_business_day(candidate):
        candidate += timedelta(days=1)
    return candidate


def trade_date_from_utc(bar_time_utc: datetime, exchange_tz: ZoneInfo) -> date:
    """Derive the session date of a daily bar from the time its session opened.

    Args:
        bar_time_utc: the bar's timestamp, timezone-aware.
        exchange_tz: the exchange's session time zone.

    Returns:
        The exchange-local date when the local time is before
        `SESSION_SPLIT_HOUR`, else the first CBOT business day after it.
    """
    local = bar_time_utc.astimezone(exchange_tz)
    if local.hour < SESSION_SPLIT_HOUR:
        return local.date()
    return next_business_day(local.date())


def to_utc(moment: datetime, naive_tz: ZoneInfo) -> datetime | None:
    """Convert a timestamp to UTC, reading a naive one as wall-clock time in `naive_tz`.

    Returns:
        The UTC instant, or None for a naive time that is ambiguous or does not
        exist in `naive_tz` because of a daylight saving change.
    """
    if moment.tzinfo is None:
        first = moment.replace(tzinfo=naive_tz, fold=0)
        second = moment.replace(tzinfo=naive_tz, fold=1)
        if first.utcoffset() != second.utcoffset():
            return None
        moment = first
    return moment.astimezone(UTC)
