"""Mapping of decoded DBN records to rows of the three raw tables.

Both the file reader and the API client decode DBN into `DbnData` and pass
it here. The definition records of the same run resolve instrument ids to
contracts (`raw_symbol`). The symbology mappings in each stream's metadata
resolve them to requested symbols such as `ZL.c.0`. So a continuous series
shows the contract it held on each day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import databento_dbn

from ingest.databento.decode import DbnData
from ingest.databento.settings import (
    FIXED_PRICE_SCALE,
    INT32_MAX,
    INT64_MAX,
    MONTH_CODES,
    SCHEMA_OHLCV_1D,
    UINT8_MAX,
    UINT16_MAX,
    UINT64_MAX,
)
from ingest.databento.tables import DEFINITIONS, OHLCV_1D, STATISTICS
from ingest.schema import TableSpec
from ingest.source import Batch, LoadContext

log = logging.getLogger(__name__)

RType = databento_dbn.RType
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_OUTRIGHT = re.compile(rf"^(?P<root>.+?)[{MONTH_CODES}]\d{{1,4}}$")


def price(value: int) -> float | None:
    """Convert a 1e-9 fixed-point price to a float; UNDEF_PRICE becomes None."""
    if value == INT64_MAX:
        return None
    return value / FIXED_PRICE_SCALE


def timestamp(value: int) -> dt.datetime | None:
    """Convert UNIX nanoseconds to a UTC datetime (microseconds, truncated).

    UNDEF_TIMESTAMP (UINT64_MAX) becomes None.
    """
    if value == UINT64_MAX:
        return None
    return _EPOCH + dt.timedelta(microseconds=value // 1000)


def quantity(value: int) -> int | None:
    """Return a quantity, or None for the INT32_MAX and INT64_MAX sentinels."""
    return None if value in (INT32_MAX, INT64_MAX, UINT64_MAX) else int(value)


def text(value: object) -> str | None:
    """Return a DBN string or char field, None when empty or blank."""
    if value is None:
        return None
    result = str(getattr(value, "value", value)).strip()
    return result or None


def utc_date(ts_ns: int) -> dt.date:
    return (_EPOCH + dt.timedelta(microseconds=ts_ns // 1000)).date()


def root_of(symbol: str, asset: str | None = None) -> str:
    """Return the futures root of `ZL.c.0`, `ZL.FUT` or an outright like `ZLZ5`.

    The definition's `asset` wins for outrights when it is known.
    """
    if "." in symbol:
        return symbol.split(".", 1)[0]
    if asset:
        return asset
    match = _OUTRIGHT.match(symbol)
    return match.group("root") if match else symbol


class Definitions:
    """Definition records of one run, for looking up contracts by instrument id.

    Instrument ids can be reused for another instrument later (XNAS.ITCH
    assigns new ids every day), so lookups are by time.
    """

    def __init__(self) -> None:
        self._by_id: dict[int, list[tuple[int, str | None, str | None]]] = {}

    def add(self, record: Any) -> None:
        entries = self._by_id.setdefault(int(record.instrument_id), [])
        entry = (int(record.ts_recv), text(record.raw_symbol), text(record.asset))
        bisect.insort(entries, entry, key=_first)

    def lookup(self, instrument_id: int, ts_ns: int) -> tuple[str | None, str | None]:
        """Return (raw_symbol, asset) of the definition in force at `ts_ns`.

        That is the latest definition received at or before `ts_ns`, or the
        earliest one after it when none came before. Returns (None, None)
        if the instrument id has no definition.
        """
        entries = self._by_id.get(instrument_id)
        if not entries:
            return None, None
        index = bisect.bisect_right(entries, ts_ns, key=_first) - 1
        _, raw_symbol, asset = entries[max(index, 0)]
        return raw_symbol, asset


def _first(entry: tuple[int, str | None, str | None]) -> int:
    return entry[0]


class SymbolIndex:
    """Requested symbols per instrument id and day, from a stream's mappings."""

    def __init__(self, data: DbnData) -> None:
        self.stype_in = data.stype_in
        self._intervals: dict[int, list[tuple[dt.date, dt.date, str]]] = {}
        for requested, intervals in data.mappings.items():
            for interval in intervals:
                if data.stype_in == "instrument_id":
                    key, symbol = requested, interval.value
                else:
                    key, symbol = interval.value, requested
                if not key.isdigit():
                    continue
                self._intervals.setdefault(int(key), []).append(
                    (interval.start, interval.end, symbol)
                )

    def on(self, instrument_id: int, day: dt.date) -> list[str]:
        """Return the symbols mapped to `instrument_id` on `day`, in request order."""
        return [
            symbol
            for start, end, symbol in self._intervals.get(instrument_id, [])
            if start <= day < end
        ]

    def any_day(self, instrument_id: int) -> list[str]:
        """Return every symbol ever mapped to `instrument_id`, without repeats."""
        symbols = [s for _, _, s in self._intervals.get(instrument_id, [])]
        return list(dict.fromkeys(symbols))


def convert(streams: list[DbnData], ctx: LoadContext) -> Iterator[Batch]:
    """Turn decoded DBN streams into batches for the three raw tables.

    Rows outside `ctx.window` are dropped: bars by `trade_date`, statistics
    and definitions by the UTC date of `ts_recv`. A later row with the same
    primary key replaces an earlier one. Records of other schemas are
    counted as skips.

    Args:
        streams: decoded files or responses; definitions anywhere among
            them resolve instrument ids in all of them.
        ctx: the run's context, for the window and skip counts.
    """
    definitions = Definitions()
    for stream in streams:
        for record in stream.records:
            if record.rtype == RType.INSTRUMENT_DEF:
                definitions.add(record)

    rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {
        spec.name: {} for spec in (OHLCV_1D, STATISTICS, DEFINITIONS)
    }
    for stream in streams:
        index = SymbolIndex(stream)
        unsupported: Counter[str] = Counter()
        for record in stream.records:
            if not _add_record(stream, index, definitions, record, rows, ctx):
                unsupported[getattr(record.rtype, "name", str(record.rtype))] += 1
        for rtype_name, count in sorted(unsupported.items()):
            detail = f"{stream.name}: {count} record(s) of rtype {rtype_name}"
            ctx.skip("unsupported record type", detail, count=count)

    for spec in (OHLCV_1D, STATISTICS, DEFINITIONS):
        table_rows = list(rows[spec.name].values())
        if table_rows:
            yield spec, spec.to_arrow(table_rows)


def _add_record(
    stream: DbnData,
    index: SymbolIndex,
    definitions: Definitions,
    record: Any,
    rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]],
    ctx: LoadContext,
) -> bool:
    """Store the rows of one record; return False for an unsupported rtype."""
    rtype = record.rtype
    if rtype == RType.OHLCV_1D or (
        rtype == RType.OHLCV_DEPRECATED and stream.schema == SCHEMA_OHLCV_1D
    ):
        new_rows = _ohlcv_rows(stream, index, definitions, record, ctx)
        spec: TableSpec = OHLCV_1D
    elif rtype == RType.STATISTICS:
        new_rows = _stat_rows(stream, index, definitions, record, ctx)
        spec = STATISTICS
    elif rtype == RType.INSTRUMENT_DEF:
        new_rows = _definition_rows(stream, record, ctx)
        spec = DEFINITIONS
    else:
        return False
    for row in new_rows:
        key = tuple(row[column] for column in spec.primary_key)
        rows[spec.name][key] = row
    return True


def _ohlcv_rows(
    stream: DbnData,
    index: SymbolIndex,
    definitions: Definitions,
    record: Any,
    ctx: LoadContext,
) -> list[dict[str, Any]]:
    ts_ns = int(record.ts_event)
    day = utc_date(ts_ns)
    if not ctx.window.contains(day):
        return []
    instrument_id = int(record.instrument_id)
    raw_symbol, asset = definitions.lookup(instrument_id, ts_ns)
    symbols = index.on(instrument_id, day)
    if not symbols and stream.stype_in != "continuous":
        # Outright and id symbols do not roll, so a mapping dated another
        # day still names the same instrument.
        symbols = index.any_day(instrument_id) or ([raw_symbol] if raw_symbol else [])
    if not symbols:
        ctx.skip(
            "unmapped instrument_id",
            f"{stream.name}: instrument_id {instrument_id} on {day}",
        )
        return []
    if raw_symbol is None and stream.stype_in == "raw_symbol":
        raw_symbol = symbols[0]
    return [
        {
            "ts_event": timestamp(ts_ns),
            "trade_date": day,
            "symbol": symbol,
            "stype_in": stream.stype_in,
            "root": root_of(symbol, asset),
            "instrument_id": instrument_id,
            "raw_symbol": raw_symbol,
            "open": price(record.open),
            "high": price(record.high),
            "low": price(record.low),
            "close": price(record.close),
            "volume": quantity(record.volume),
            "dataset": stream.dataset,
            "publisher_id": int(record.publisher_id),
        }
        for symbol in symbols
    ]


def _stat_rows(
    stream: DbnData,
    index: SymbolIndex,
    definitions: Definitions,
    record: Any,
    ctx: LoadContext,
) -> list[dict[str, Any]]:
    ts_recv = int(record.ts_recv)
    ts_event = int(record.ts_event)
    if ts_recv == UINT64_MAX or ts_event == UINT64_MAX:
        ctx.skip("undefined timestamp", f"{stream.name}: statistics record")
        return []
    day = utc_date(ts_recv)
    if not ctx.window.contains(day):
        return []
    instrument_id = int(record.instrument_id)
    raw_symbol, _ = definitions.lookup(instrument_id, ts_recv)
    symbols = index.on(instrument_id, day) or index.on(
        instrument_id, utc_date(ts_event)
    )
    stat_type = int(record.stat_type)
    return [
        {
            "ts_event": timestamp(ts_event),
            "ts_recv": timestamp(ts_recv),
            "ts_ref": timestamp(int(record.ts_ref)),
            "instrument_id": instrument_id,
            "raw_symbol": raw_symbol,
            "symbol": symbols[0] if symbols else None,
            "stat_type": stat_type,
            "stat_type_name": _stat_type_name(stat_type),
            "price": price(record.price),
            "quantity": quantity(record.quantity),
            "sequence": int(record.sequence),
            "update_action": int(record.update_action),
            "stat_flags": int(record.stat_flags),
            "channel_id": int(record.channel_id),
            "dataset": stream.dataset,
        }
    ]


def _stat_type_name(value: int) -> str | None:
    try:
        return databento_dbn.StatType(value).name
    except ValueError:
        return None


def _definition_rows(
    stream: DbnData, record: Any, ctx: LoadContext
) -> list[dict[str, Any]]:
    ts_recv = int(record.ts_recv)
    if ts_recv == UINT64_MAX:
        ctx.skip("undefined timestamp", f"{stream.name}: definition record")
        return []
    if not ctx.window.contains(utc_date(ts_recv)):
        return []
    multiplier = int(record.contract_multiplier)
    year = int(record.maturity_year)
    month = int(record.maturity_month)
    return [
        {
            "instrument_id": int(record.instrument_id),
            "ts_recv": timestamp(ts_recv),
            "raw_symbol": text(record.raw_symbol),
            "asset": text(record.asset),
            "security_group": text(record.group),
            "exchange": text(record.exchange),
            "instrument_class": text(record.instrument_class),
            "security_type": text(record.security_type),
            "cfi": text(record.cfi),
            "currency": text(record.currency),
            "expiration": timestamp(int(record.expiration)),
            "activation": timestamp(int(record.activation)),
            "min_price_increment": price(record.min_price_increment),
            "display_factor": price(record.display_factor),
            "unit_of_measure": text(record.unit_of_measure),
            "unit_of_measure_qty": price(record.unit_of_measure_qty),
            "contract_multiplier": None if multiplier == INT32_MAX else multiplier,
            "maturity_year": None if year == UINT16_MAX else year,
            "maturity_month": None if month == UINT8_MAX else month,
            "dataset": stream.dataset,
        }
    ]
