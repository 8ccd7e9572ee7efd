"""Synthetic GLBX.MDP3 DBN files for demos and tests.

`write_synthetic` writes three zstd DBN files (ohlcv-1d, statistics,
definition) shaped like a `timeseries.get_range` download with
`stype_in=continuous`: the metadata maps each continuous symbol (such as
`ZL.c.0`) to monthly contracts, rolling on the 15th of the month before
delivery. Prices follow a seeded random walk within each market's usual
range. File names start with `synthetic_`. DBN has no free-text field, so
the records themselves carry no label.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import databento_dbn as dbn
import zstandard

from ingest.databento.settings import (
    DATASET,
    MONTH_CODES,
    SYMBOLS_SEED,
    RootSymbols,
    load_roots,
)

PUBLISHER_GLBX = 1  # publisher id of GLBX.MDP3.GLBX
NS_PER_DAY = 86_400 * 10**9
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Market:
    """Contract listing and price range of one futures root."""

    months: str  # listed delivery months as CME month codes
    low: float  # usual price range, in the exchange's quote unit
    high: float
    tick: int  # minimum price increment, 1e-9 fixed point
    mic: str
    unit: str
    unit_qty: int  # contract size in `unit`


MARKETS: dict[str, Market] = {
    "ZL": Market("FHKNQUVZ", 30.0, 80.0, 10_000_000, "XCBT", "LBS", 60_000),
    "ZS": Market("FHKNQUX", 900.0, 1500.0, 250_000_000, "XCBT", "BU", 5_000),
    "ZM": Market("FHKNQUVZ", 300.0, 450.0, 100_000_000, "XCBT", "SHTONS", 100),
    "ZC": Market("HKNUZ", 350.0, 700.0, 250_000_000, "XCBT", "BU", 5_000),
    "CL": Market(MONTH_CODES, 50.0, 100.0, 10_000_000, "XNYM", "BBL", 1_000),
    "HO": Market(MONTH_CODES, 1.5, 3.5, 100_000, "XNYM", "GAL", 42_000),
}
# Further CME roots for scaled benchmark data; the demo writes only `MARKETS`.
EXTRA_MARKETS: dict[str, Market] = {
    "ZW": Market("HKNUZ", 450.0, 900.0, 250_000_000, "XCBT", "BU", 5_000),
    "KE": Market("HKNUZ", 450.0, 950.0, 250_000_000, "XCBT", "BU", 5_000),
    "ZR": Market("FHKNUX", 10.0, 22.0, 5_000_000, "XCBT", "CWT", 2_000),
    "NG": Market(MONTH_CODES, 2.0, 9.0, 1_000_000, "XNYM", "MMBTU", 10_000),
    "RB": Market(MONTH_CODES, 1.5, 3.5, 100_000, "XNYM", "GAL", 42_000),
}


@dataclass(frozen=True)
class Contract:
    root: str
    year: int
    month: int
    instrument_id: int

    @property
    def raw_symbol(self) -> str:
        return f"{self.root}{MONTH_CODES[self.month - 1]}{self.year % 10}"

    @property
    def roll_date(self) -> dt.date:
        """Day the continuous symbols move off this contract: the 15th of
        the month before delivery."""
        if self.month == 1:
            return dt.date(self.year - 1, 12, 15)
        return dt.date(self.year, self.month - 1, 15)


@dataclass(frozen=True)
class _Interval:
    start_date: dt.date
    end_date: dt.date
    symbol: str


@dataclass(frozen=True)
class _SymbolMapping:
    raw_symbol: str
    intervals: list[_Interval]


def write_synthetic(
    folder: Path,
    start: dt.date,
    end: dt.date,
    seed: int,
    extra_markets: Mapping[str, Market] | None = None,
) -> list[Path]:
    """Write synthetic ohlcv-1d, statistics and definition DBN files.

    Args:
        folder: output folder, created if missing.
        start: first day (inclusive).
        end: last day (inclusive); bars are written for weekdays only.
        seed: random seed; the same arguments give byte-identical files.
        extra_markets: roots written after the seeded ones, each with the
            continuous symbols `c.0` and `v.0` (e.g. `EXTRA_MARKETS`), after
            the roots of `seeds/databento_symbols.csv`.

    Returns:
        The paths written: ohlcv-1d, statistics and definition, in that order.
    """
    folder.mkdir(parents=True, exist_ok=True)
    markets = {**MARKETS, **(extra_markets or {})}
    roots = [r for r in load_roots(SYMBOLS_SEED) if r.root in MARKETS]
    seeded = {r.root for r in roots}
    roots += [
        RootSymbols(name, market.mic, f"{name} (synthetic)", ("c.0", "v.0"), True)
        for name, market in (extra_markets or {}).items()
        if name not in seeded
    ]
    days = [start + dt.timedelta(n) for n in range((end - start).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5]

    ohlcv: list[Any] = []
    stats: list[Any] = []
    definitions: dict[int, Any] = {}
    mappings: list[_SymbolMapping] = []
    sequence = 0
    for index, root in enumerate(roots):
        market = markets[root.root]
        contracts = _contracts(root.root, index, market, start, end)
        rng = random.Random(f"{seed}:{root.root}")
        for symbol, rule in zip(root.symbols, root.rules, strict=True):
            rank = int(rule.split(".")[1])
            contract_by_day = {d: _held(contracts, d, rank) for d in days}
            mappings.append(_SymbolMapping(symbol, _intervals(contract_by_day)))
        spot = (market.low + market.high) / 2
        for day in weekdays:
            spot_open = _walk(rng, spot, 0.003, market)
            spot = _walk(rng, spot_open, 0.012, market)
            spread = (abs(rng.gauss(0, 0.006)), abs(rng.gauss(0, 0.006)))
            used = {_held(contracts, day, int(r.split(".")[1])) for r in root.rules}
            for contract in sorted(used, key=lambda c: c.instrument_id):
                carry = 1 + 0.003 * contracts.index(contract)
                bar = _bar(market, contract, day, spot_open, spot, spread, carry, rng)
                ohlcv.append(bar)
                sequence += 2
                stats.extend(_stats(contract, day, bar.close, sequence, rng))
                if contract.instrument_id not in definitions:
                    definitions[contract.instrument_id] = _definition(
                        market, contract, day
                    )

    first = _ns(start)
    last = _ns(end + dt.timedelta(1))
    ohlcv.sort(key=lambda r: (r.ts_event, r.instrument_id))
    stats.sort(key=lambda r: (r.ts_recv, r.sequence))
    defs = sorted(definitions.values(), key=lambda r: (r.ts_recv, r.instrument_id))
    stem = f"synthetic_{DATASET}_{start:%Y%m%d}_{end:%Y%m%d}"
    paths = []
    for schema, records in (
        (dbn.Schema.OHLCV_1D, ohlcv),
        (dbn.Schema.STATISTICS, stats),
        (dbn.Schema.DEFINITION, defs),
    ):
        metadata = dbn.Metadata(
            dataset=DATASET,
            start=first,
            end=last,
            stype_in=dbn.SType.CONTINUOUS,
            stype_out=dbn.SType.INSTRUMENT_ID,
            schema=schema,
            symbols=[m.raw_symbol for m in mappings],
            mappings=mappings,
        )
        raw = bytes(metadata) + b"".join(bytes(r) for r in records)
        path = folder / f"{stem}.{schema.value}.dbn.zst"
        path.write_bytes(zstandard.ZstdCompressor(level=3).compress(raw))
        paths.append(path)
    return paths


def _contracts(
    root: str, index: int, market: Market, start: dt.date, end: dt.date
) -> list[Contract]:
    contracts = []
    for year in range(start.year - 1, end.year + 3):
        for code in market.months:
            month = MONTH_CODES.index(code) + 1
            instrument_id = 1_000_000 + index * 10_000 + (year % 100) * 100 + month
            contracts.append(Contract(root, year, month, instrument_id))
    return contracts


def _held(contracts: list[Contract], day: dt.date, rank: int) -> Contract:
    """Return the contract of rank `rank` (0 = front) on `day`.

    Calendar (`c`), volume (`v`) and open-interest (`n`) rules all use the
    calendar roll here.
    """
    front = next(i for i, c in enumerate(contracts) if c.roll_date > day)
    return contracts[front + rank]


def _intervals(contract_by_day: dict[dt.date, Contract]) -> list[_Interval]:
    intervals: list[_Interval] = []
    for day, contract in contract_by_day.items():
        value = str(contract.instrument_id)
        after = day + dt.timedelta(1)
        if intervals and intervals[-1].symbol == value:
            intervals[-1] = _Interval(intervals[-1].start_date, after, value)
        else:
            intervals.append(_Interval(day, after, value))
    return intervals


def _walk(rng: random.Random, level: float, sigma: float, market: Market) -> float:
    level *= math.exp(rng.gauss(0, sigma))
    # Reflect inside the range, with room left for carry and intraday
    # highs, so bars stay in the usual range.
    ceiling = market.high / 1.05
    floor = market.low * 1.05
    if level > ceiling:
        level = 2 * ceiling - level
    if level < floor:
        level = 2 * floor - level
    return level


def _ticks(value: float, market: Market) -> int:
    return round(value * 1e9 / market.tick) * market.tick


def _bar(
    market: Market,
    contract: Contract,
    day: dt.date,
    spot_open: float,
    spot_close: float,
    spread: tuple[float, float],
    carry: float,
    rng: random.Random,
) -> Any:
    open_ = _ticks(spot_open * carry, market)
    close = _ticks(spot_close * carry, market)
    high = max(
        open_,
        close,
        _ticks(max(spot_open, spot_close) * carry * (1 + spread[0]), market),
    )
    low = min(
        open_,
        close,
        _ticks(min(spot_open, spot_close) * carry * (1 - spread[1]), market),
    )
    return dbn.OHLCVMsg(
        dbn.RType.OHLCV_1D,
        PUBLISHER_GLBX,
        contract.instrument_id,
        _ns(day),
        open_,
        high,
        low,
        close,
        rng.randint(5_000, 250_000),
    )


def _stats(
    contract: Contract, day: dt.date, settlement: int, sequence: int, rng: random.Random
) -> list[Any]:
    """Return the settlement (stat_type 3) and open interest (9) of one day.

    Settlement arrives after the close at 19:30 UTC. Open interest for the
    previous session arrives the next morning at 12:00 UTC.
    """
    settle_ns = _ns(day) + 19 * 3_600 * 10**9 + 1_800 * 10**9
    oi_ns = _ns(day) + 12 * 3_600 * 10**9
    previous = day - dt.timedelta(3 if day.weekday() == 0 else 1)
    common = {"channel_id": 0, "update_action": dbn.StatUpdateAction.NEW}
    return [
        dbn.StatMsg(
            PUBLISHER_GLBX,
            contract.instrument_id,
            oi_ns,
            oi_ns + 1_000_000,
            _ns(previous),
            dbn.UNDEF_PRICE,
            rng.randint(50_000, 600_000),
            dbn.StatType.OPEN_INTEREST,
            sequence - 1,
            **common,
        ),
        dbn.StatMsg(
            PUBLISHER_GLBX,
            contract.instrument_id,
            settle_ns,
            settle_ns + 1_000_000,
            _ns(day),
            settlement,
            dbn.UNDEF_STAT_QUANTITY,
            dbn.StatType.SETTLEMENT_PRICE,
            sequence,
            **common,
        ),
    ]


def _definition(market: Market, contract: Contract, day: dt.date) -> Any:
    if market.mic == "XNYM":
        expiry = contract.roll_date.replace(day=20)
    else:
        expiry = dt.date(contract.year, contract.month, 14)
    expiration = _ns(expiry) + 18 * 3_600 * 10**9
    return dbn.InstrumentDefMsg(
        PUBLISHER_GLBX,
        contract.instrument_id,
        _ns(day),
        _ns(day),
        market.tick,
        1_000_000_000,
        contract.raw_symbol,
        contract.root,
        "FUT",
        dbn.InstrumentClass.FUTURE,
        dbn.SecurityUpdateAction.ADD,
        expiration=expiration,
        activation=_ns(expiry.replace(year=expiry.year - 2)),
        unit_of_measure_qty=market.unit_qty * 1_000_000_000,
        maturity_year=contract.year,
        maturity_month=contract.month,
        currency="USD",
        group=contract.root,
        exchange=market.mic,
        cfi="FCAPSX",
        unit_of_measure=market.unit,
    )


def _ns(day: dt.date) -> int:
    return (day - _EPOCH).days * NS_PER_DAY
