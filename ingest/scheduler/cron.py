"""Standard five-field cron expressions, parsed with crontab semantics.

APScheduler 3 numbers weekdays from Monday = 0, while crontab, GitHub
Actions and Cloud Scheduler use Sunday = 0 (and 7). This module parses an
expression once with the crontab meaning, expands every field to a set of
values, and hands APScheduler the weekdays by name, so the scheduler and
every export agree on which days a job runs.

Only the portable syntax is accepted: `*`, numbers, names (`jan`, `mon`),
ranges, steps and lists. Day of month and day of week may not both be
restricted, because crontab then fires on either day while APScheduler
requires both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

MONTH_NAMES = [
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
]  # fmt: skip
DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


class CronError(ValueError):
    """Raised for a cron expression that is invalid or not portable."""


@dataclass(frozen=True)
class CronField:
    """One field of a cron expression: its text and its expanded values."""

    text: str
    values: frozenset[int]
    restricted: bool


@dataclass(frozen=True)
class CronSpec:
    """A parsed five-field cron expression.

    Attributes:
        expression: the expression as written, with single spaces.
        minute, hour, day, month: expanded fields.
        weekday: expanded day of week, Sunday = 0 to Saturday = 6.
    """

    expression: str
    minute: CronField
    hour: CronField
    day: CronField
    month: CronField
    weekday: CronField

    def trigger(self, timezone: ZoneInfo) -> CronTrigger:
        """Build the APScheduler trigger from the expanded fields.

        Weekdays go to APScheduler by name, because its numbers start at
        Monday = 0.
        """
        weekday = "*"
        if self.weekday.restricted:
            weekday = ",".join(DAY_NAMES[d] for d in sorted(self.weekday.values))
        return CronTrigger(
            minute=render_values(self.minute.values, 0, 59),
            hour=render_values(self.hour.values, 0, 23),
            day=render_values(self.day.values, 1, 31),
            month=render_values(self.month.values, 1, 12),
            day_of_week=weekday,
            timezone=timezone,
        )


def parse_cron(expression: str) -> CronSpec:
    """Parse a standard five-field cron expression.

    Raises:
        CronError: wrong field count, a value out of range, unknown syntax,
            or both day of month and day of week restricted.
    """
    if not isinstance(expression, str):
        raise CronError(f"cron must be a string, got {expression!r}")
    parts = expression.split()
    if len(parts) != 5:
        raise CronError(
            f"cron {expression!r} has {len(parts)} fields; expected 5 "
            "(minute hour day-of-month month day-of-week)"
        )
    minute = _field(parts[0], "minute", 0, 59)
    hour = _field(parts[1], "hour", 0, 23)
    day = _field(parts[2], "day of month", 1, 31)
    month = _field(parts[3], "month", 1, 12, MONTH_NAMES, 1)
    weekday = _field(parts[4], "day of week", 0, 7, DAY_NAMES, 0)
    # Vixie cron ORs the two day fields only when neither starts with `*`.
    either_day = not parts[2].startswith("*") and not parts[4].startswith("*")
    if day.restricted and weekday.restricted and either_day:
        raise CronError(
            f"cron {expression!r} restricts both day of month and day of week; "
            "crontab fires on either while APScheduler needs both, so use one"
        )
    return CronSpec(" ".join(parts), minute, hour, day, month, weekday)


def _field(
    text: str,
    label: str,
    low: int,
    high: int,
    names: list[str] | None = None,
    first_name_value: int = 0,
) -> CronField:
    values: set[int] = set()
    for item in text.split(","):
        values |= _item(item, text, label, low, high, names, first_name_value)
    if label == "day of week":
        values = {0 if v == 7 else v for v in values}
        high = 6
    full = values == set(range(low, high + 1))
    return CronField(text, frozenset(values), restricted=not full)


def _item(
    item: str,
    text: str,
    label: str,
    low: int,
    high: int,
    names: list[str] | None,
    first_name_value: int,
) -> set[int]:
    base, _, step_text = item.partition("/")
    step = 1
    if step_text:
        if not step_text.isdigit() or int(step_text) == 0:
            raise CronError(f"invalid step {step_text!r} in {label} field {text!r}")
        step = int(step_text)
    if base == "*":
        start, end = low, high if label != "day of week" else 6
    elif "-" in base:
        first, _, last = base.partition("-")
        start = _value(first, text, label, low, high, names, first_name_value)
        end = _value(last, text, label, low, high, names, first_name_value)
        if start > end:
            raise CronError(f"invalid range {base!r} in {label} field {text!r}")
    else:
        start = _value(base, text, label, low, high, names, first_name_value)
        end = high if step_text else start
    return set(range(start, end + 1, step))


def _value(
    token: str,
    text: str,
    label: str,
    low: int,
    high: int,
    names: list[str] | None,
    first_name_value: int,
) -> int:
    lowered = token.lower()
    if names and lowered in names:
        return names.index(lowered) + first_name_value
    if not token.isdigit():
        raise CronError(f"invalid value {token!r} in {label} field {text!r}")
    value = int(token)
    if not low <= value <= high:
        raise CronError(
            f"{label} value {value} in {text!r} is out of range {low}-{high}"
        )
    return value


def render_values(values: set[int] | frozenset[int], low: int, high: int) -> str:
    """Write a set of field values as cron text: `*`, ranges and lists."""
    ordered = sorted(values)
    if ordered == list(range(low, high + 1)):
        return "*"
    runs: list[str] = []
    start = previous = ordered[0]
    for value in ordered[1:] + [None]:
        if value is not None and value == previous + 1:
            previous = value
            continue
        if previous - start >= 2:
            runs.append(f"{start}-{previous}")
        else:
            runs.extend(str(v) for v in range(start, previous + 1))
        if value is not None:
            start = previous = value
    return ",".join(runs)


def fire_times(
    trigger: BaseTrigger, start: datetime, end: datetime, inclusive: bool = False
) -> list[datetime]:
    """Return a trigger's fire times from `start` to `end`, in UTC.

    Each step requests the next fire time after a UTC instant, without a
    previous fire time. With one, APScheduler 3.11 can return the same
    time again inside the hour repeated when daylight saving ends.
    """
    fires: list[datetime] = []
    cursor = start.astimezone(UTC)
    end = end.astimezone(UTC)
    while True:
        fire = trigger.get_next_fire_time(None, cursor)
        if fire is None:
            return fires
        fire = fire.astimezone(UTC)
        if fire > end or (fire == end and not inclusive):
            return fires
        if fire < cursor:
            cursor += timedelta(minutes=1)
            continue
        fires.append(fire)
        cursor = fire + timedelta(microseconds=1)
