"""Bar parsing, row checks and symbol parsing shared by the file readers."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from ingest.prices.sessions import to_utc, trade_date_from_utc
from ingest.prices.settings import (
    CONTINUOUS_RE,
    DEFAULT_EXCHANGE_TZ,
    FUTURES_CONTRACT_RE,
    NAIVE_TZ_ENV,
    VOLUME_SCOPE_PRODUCT_TOTAL,
    WEEKEND_MAX_FRACTION,
)
from ingest.source import LoadContext, SourceFormatError

# Row key holding the file line (CSV) or 1-based row number (parquet) of a
# row, for skip details. It is removed before the Arrow table is built.
LINE_KEY = "_line"

_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_US_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MISSING = ("", "N/A", "NA", "-")


class SymbolParts(NamedTuple):
    """Root, contract and continuity parsed from a vendor symbol."""

    root: str
    contract: str | None
    is_continuous: bool


def parse_symbol(symbol: str) -> SymbolParts:
    """Split a vendor symbol into root, contract and continuity.

    `ZL1!` is the continuous front month of ZL. `ZLZ25` is a futures contract
    (root, month code, two-digit year). Anything else, such as `USDBRL`, is
    its own root with no contract.
    """
    continuous = CONTINUOUS_RE.match(symbol)
    if continuous:
        return SymbolParts(continuous["root"], None, True)
    futures = FUTURES_CONTRACT_RE.match(symbol)
    if futures:
        return SymbolParts(futures["root"], symbol, False)
    return SymbolParts(symbol, None, False)


@dataclass
class RawBar:
    """One bar as read from a file, before parsing.

    `when` is a date, a datetime or text. Prices, volume and open interest
    are numbers or text.
    """

    line: int
    when: Any
    open: Any
    high: Any
    low: Any
    close: Any
    volume: Any = None
    open_interest: Any = None


@dataclass
class ParsedFile:
    """The rows read from one file, before the window and overlap steps.

    Attributes:
        path: the file.
        vendor: vendor column value.
        symbol: symbol column value.
        rank: sort key. When two files hold the same key, the row of the
            file with the greater rank is kept.
        rows: one dict per row, keyed by `vendor_prices` column plus `LINE_KEY`.
    """

    path: Path
    vendor: str
    symbol: str
    rank: tuple[Any, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class BarRules:
    """Parsing settings for one file's bars.

    Attributes:
        volume_scope: the `volume_scope` of every row.
        session_dates: derive a timestamp's trade date with
            `trade_date_from_utc` (TradingView). When false, the trade date
            is the timestamp's date as written in the file.
        naive_tz: the zone of naive timestamps.
        exchange_tz: the session zone, for bars not stamped 00:00 UTC.
        download_date: the day the file was downloaded. Its row is partial,
            and a zero open interest on it means "not yet published" (NULL).
    """

    volume_scope: str | None
    session_dates: bool = False
    naive_tz: ZoneInfo = ZoneInfo("UTC")
    exchange_tz: ZoneInfo = ZoneInfo(DEFAULT_EXCHANGE_TZ)
    download_date: date | None = None


def parse_bars(
    parsed: ParsedFile, bars: Iterable[RawBar], rules: BarRules, ctx: LoadContext
) -> None:
    """Parse `bars` into `parsed.rows`, skipping and counting bad ones.

    Rows with an invalid date or timestamp, a non-numeric or non-positive
    price, high below low or an invalid volume are skipped. Then a repeated
    trade date keeps its last row, and weekend trade dates derived from
    timestamps are dropped (see `drop_weekends`).

    Raises:
        SourceFormatError: too many derived trade dates fall on weekends.
    """
    name = parsed.path.name
    for bar in bars:
        where = f"{name} line {bar.line}"
        try:
            trade_date, bar_time = _parse_when(bar.when, rules)
        except ValueError:
            ctx.skip("invalid date", f"{where}: {bar.when!r}")
            continue
        prices = [_number_or_nan(v) for v in (bar.open, bar.high, bar.low, bar.close)]
        problem = price_problem(*prices)
        if problem:
            ctx.skip(problem, f"{where}: {[bar.open, bar.high, bar.low, bar.close]}")
            continue
        try:
            volume = parse_number(bar.volume)
            open_interest = parse_number(bar.open_interest)
        except ValueError:
            ctx.skip(
                "invalid volume",
                f"{where}: volume {bar.volume!r}, open interest {bar.open_interest!r}",
            )
            continue
        is_partial = trade_date == rules.download_date
        if is_partial and open_interest == 0:
            open_interest = None
        open_, high, low, close = prices
        parsed.rows.append(
            {
                **_symbol_columns(parsed.vendor, parsed.symbol),
                "trade_date": trade_date,
                "bar_time_utc": bar_time,
                "open": open_,
                "high": high,
                "low": low,
                "close": close,
                "volume": volume,
                "open_interest": open_interest,
                "is_settlement_only": is_settlement_only(
                    open_, high, low, close, volume, rules.volume_scope
                ),
                "is_partial_day": is_partial,
                "volume_scope": rules.volume_scope,
                "source_file": name,
                LINE_KEY: bar.line,
            }
        )
    _drop_repeated_dates(parsed, ctx)
    drop_weekends(parsed, ctx)


# How far beyond [low, high] an open or close may sit before the bar is
# rejected: settlements of deferred months differ by a few percent, not 2x.
MAX_OUTSIDE_RANGE = 2.0


def price_problem(open_: float, high: float, low: float, close: float) -> str | None:
    """Return the skip reason for a bar's prices, or None when they are usable.

    A close outside [low, high] is kept, because Barchart settles deferred
    months away from the traded range (ZLZ25 on 2021-12-16 has
    O=H=L=53.12 and settles at 52.17). A close or open more than
    `MAX_OUTSIDE_RANGE` times beyond the range (999999999 against a high of
    55) is a corrupt value, not a settlement, and is skipped.
    """
    prices = (open_, high, low, close)
    if any(not math.isfinite(p) for p in prices):
        return "non-numeric price"
    if any(p <= 0 for p in prices):
        return "non-positive price"
    if high < low:
        return "high below low"
    for value in (open_, close):
        if value > high * MAX_OUTSIDE_RANGE or value < low / MAX_OUTSIDE_RANGE:
            return "price far outside the day's range"
    return None


def parse_number(value: Any) -> float | None:
    """Parse a vendor number. None, NaN, empty text and `N/A` give None.

    Raises:
        ValueError: the value is text that is not a number.
    """
    if value is None:
        return None
    if isinstance(value, str):
        cleaned = value.strip().replace(",", "")
        if cleaned in _MISSING:
            return None
        value = float(cleaned)
    number = float(value)
    return None if math.isnan(number) else number


def is_settlement_only(
    open_: float,
    high: float,
    low: float,
    close: float,
    volume: float | None,
    volume_scope: str | None,
) -> bool:
    """Return whether a bar is a settlement price with no trading of its own.

    The rule is open = high = low = close with zero volume. A product-total
    volume cannot show whether this contract traded, so for those files the
    flat bar alone decides.
    """
    flat = open_ == high == low == close
    if volume_scope == VOLUME_SCOPE_PRODUCT_TOTAL:
        return flat
    return flat and volume == 0


def drop_weekends(parsed: ParsedFile, ctx: LoadContext) -> None:
    """Drop rows whose trade date, derived from a timestamp, is on a weekend.

    Each is a counted skip. When more than `WEEKEND_MAX_FRACTION` of the
    timestamped rows land on weekends, the naive time zone setting is wrong
    and the whole file is rejected. Dates given as dates are left alone.

    Raises:
        SourceFormatError: too many weekend trade dates.
    """
    stamped = [row for row in parsed.rows if row["bar_time_utc"] is not None]
    weekend = [row for row in stamped if row["trade_date"].weekday() >= 5]
    if not weekend:
        return
    if len(weekend) > WEEKEND_MAX_FRACTION * len(stamped):
        specific = f"{NAIVE_TZ_ENV}_{parsed.vendor.upper()}"
        raise SourceFormatError(
            f"prices: {parsed.path.name}: {len(weekend)} of {len(stamped)} trade "
            "dates fall on a weekend, so its naive timestamps were probably read "
            f"in the wrong time zone; set {specific} or {NAIVE_TZ_ENV} to the "
            "time zone of the machine that exported the file"
        )
    for row in weekend:
        ctx.skip(
            "weekend trade date",
            f"{parsed.path.name} line {row[LINE_KEY]}: {row['trade_date']} "
            f"from {row['bar_time_utc'].isoformat()}",
        )
    dropped = {id(row) for row in weekend}
    parsed.rows = [row for row in parsed.rows if id(row) not in dropped]


def _drop_repeated_dates(parsed: ParsedFile, ctx: LoadContext) -> None:
    last: dict[date, dict[str, Any]] = {}
    for row in parsed.rows:
        earlier = last.get(row["trade_date"])
        if earlier is not None:
            ctx.skip(
                "repeated trade date",
                f"{parsed.path.name} line {earlier[LINE_KEY]}: {row['trade_date']} "
                f"again on line {row[LINE_KEY]}, which is kept",
            )
        last[row["trade_date"]] = row
    if len(last) < len(parsed.rows):
        kept = {id(row) for row in last.values()}
        parsed.rows = [row for row in parsed.rows if id(row) in kept]


def _parse_when(value: Any, rules: BarRules) -> tuple[date, datetime | None]:
    """Return (trade date, bar time in UTC or None) for a date or timestamp.

    Raises:
        ValueError: the value is no date or timestamp, or a naive time that
            is ambiguous or missing in the naive time zone.
    """
    if isinstance(value, str):
        value = _parse_date_text(value.strip())
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        bar_time = to_utc(value, rules.naive_tz)
        if bar_time is None:
            raise ValueError(f"{value} is ambiguous or missing in {rules.naive_tz.key}")
        if rules.session_dates:
            return trade_date_from_utc(bar_time, rules.exchange_tz), bar_time
        return value.date(), bar_time
    if isinstance(value, date):
        return value, None
    raise ValueError(f"{value!r} is not a date")


def _parse_date_text(text: str) -> date | datetime:
    if _ISO_DATE_RE.match(text):
        return date.fromisoformat(text)
    us_date = _US_DATE_RE.match(text)
    if us_date:
        month, day, year = (int(part) for part in us_date.groups())
        return date(year, month, day)
    return datetime.fromisoformat(text)


def _number_or_nan(value: Any) -> float:
    try:
        number = parse_number(value)
    except (TypeError, ValueError):
        return math.nan
    return math.nan if number is None else number


def _symbol_columns(vendor: str, symbol: str) -> dict[str, Any]:
    parts = parse_symbol(symbol)
    return {
        "vendor": vendor,
        "symbol": symbol,
        "root": parts.root,
        "contract": parts.contract,
        "is_continuous": parts.is_continuous,
    }
