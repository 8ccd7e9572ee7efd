"""Synthetic vendor price files for `zl demo`.

`write_synthetic` writes, for ZL, ZS, ZM, ZC, CL, HO and Bursa Malaysia crude
palm oil (FCPO), a TradingView-style parquet file with the tvdatafeed naive
local-time quirk, and a Barchart price-history CSV for one ZL contract.
Prices are a seeded random walk kept inside a realistic band for each
product. Bars fall on CBOT business days only. Palm oil also skips a few
fixed-date Malaysian holidays, so its dates are a strict subset of ZL's.
Every file name starts with `synthetic_`, and the parquet files carry
`zl_synthetic: true` in their schema metadata.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.prices.sessions import is_business_day
from ingest.prices.settings import (
    BARCHART_HEADER_WITH_OI,
    DEFAULT_NAIVE_TZ,
    SYNTHETIC_PREFIX,
    VENDOR_TRADINGVIEW,
)

SYNTHETIC_METADATA = {b"zl_synthetic": b"true"}


@dataclass(frozen=True)
class Product:
    """Random-walk settings for one product.

    Attributes:
        exchange: TradingView exchange code.
        low: lowest price of the band, in the product's quote unit.
        high: highest price of the band.
        tick: minimum price step.
        daily_vol: standard deviation of the daily log return.
        volume: typical daily contract volume.
        closed_on: (month, day) dates without a bar in any year, on top of
            the CBOT closures.
    """

    exchange: str
    low: float
    high: float
    tick: float
    daily_vol: float
    volume: int
    closed_on: tuple[tuple[int, int], ...] = ()


# Quote units: ZL US cents/lb, ZS and ZC cents/bu, ZM $/short ton,
# CL $/bbl, HO $/gal, FCPO Malaysian ringgit per metric ton. FCPO is closed
# on Labour Day, National Day and Malaysia Day. A bar on a day CBOT is
# closed would be read as the next CBOT session's bar, so palm oil only
# drops days from the CBOT calendar and never adds one.
PRODUCTS: dict[str, Product] = {
    "ZL": Product("CBOT", 30.0, 80.0, 0.01, 0.016, 60_000),
    "ZS": Product("CBOT", 900.0, 1500.0, 0.25, 0.012, 120_000),
    "ZM": Product("CBOT", 300.0, 450.0, 0.1, 0.014, 50_000),
    "ZC": Product("CBOT", 350.0, 700.0, 0.25, 0.014, 200_000),
    "CL": Product("NYMEX", 50.0, 100.0, 0.01, 0.02, 300_000),
    "HO": Product("NYMEX", 1.5, 3.5, 0.0001, 0.02, 80_000),
    "FCPO": Product(
        "MYX", 1800.0, 5500.0, 1.0, 0.015, 40_000, ((5, 1), (8, 31), (9, 16))
    ),
}
BARCHART_ROOT = "ZL"
# Share of the oldest contract rows written as settle-only (deferred month).
SETTLE_ONLY_SHARE = 0.2


def write_synthetic(folder: Path, start: date, end: date, seed: int) -> list[Path]:
    """Write deterministic synthetic price files into `folder`.

    Args:
        folder: target folder, created if missing.
        start: first trade date (inclusive).
        end: last trade date (inclusive), and the Barchart download day.
        seed: random seed; the same arguments give byte-identical CSVs and
            identical parquet data.

    Returns:
        The written paths: one parquet per product, then the Barchart CSV.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for root, product in PRODUCTS.items():
        bars = synthetic_bars(root, start, end, seed)
        name = f"{SYNTHETIC_PREFIX}tradingview_{product.exchange}_{root}_1D.parquet"
        path = folder / name
        _write_tradingview(path, f"{product.exchange}:{root}1!", bars)
        paths.append(path)
    paths.append(_write_barchart(folder, start, end, seed))
    return paths


def synthetic_bars(root: str, start: date, end: date, seed: int) -> pd.DataFrame:
    """Return the random-walk bars of `root`, oldest first.

    Columns: trade_date, open, high, low, close, volume. Prices are rounded
    to the product's tick, and low <= open, close <= high.
    """
    product = PRODUCTS[root]
    rng = random.Random(seed * 1_000_003 + zlib.crc32(root.encode()))
    decimals = max(0, -math.floor(math.log10(product.tick)))
    mid = math.sqrt(product.low * product.high)
    close = mid
    rows = []
    for day in _business_days(start, end):
        if (day.month, day.day) in product.closed_on:
            continue
        open_ = _reflect(close * math.exp(rng.gauss(0, product.daily_vol / 4)), product)
        close = _reflect(open_ * math.exp(rng.gauss(0, product.daily_vol)), product)
        spread = abs(rng.gauss(0, product.daily_vol / 2))
        high = min(max(open_, close) * (1 + spread), product.high)
        low = max(min(open_, close) * (1 - spread), product.low)
        prices = [
            _to_tick(p, product.tick, decimals) for p in (open_, high, low, close)
        ]
        open_r, high_r, low_r, close_r = prices
        high_r = max(high_r, open_r, close_r)
        low_r = min(low_r, open_r, close_r)
        volume = float(round(product.volume * math.exp(rng.gauss(0, 0.3))))
        rows.append((day, open_r, high_r, low_r, close_r, volume))
    return pd.DataFrame(
        rows, columns=["trade_date", "open", "high", "low", "close", "volume"]
    )


def barchart_contract(end: date) -> str:
    """Return the ZL December contract traded at `end`, such as `ZLZ25`."""
    year = end.year if end.month < 12 else end.year + 1
    return f"{BARCHART_ROOT}Z{year % 100:02d}"


def _write_tradingview(path: Path, tv_symbol: str, bars: pd.DataFrame) -> None:
    # tvdatafeed stamps a bar at 00:00 UTC of its trade date and stores that
    # instant as naive local time of the exporting machine.
    local = ZoneInfo(DEFAULT_NAIVE_TZ[VENDOR_TRADINGVIEW])
    stamps = [
        datetime(d.year, d.month, d.day, tzinfo=UTC)
        .astimezone(local)
        .replace(tzinfo=None)
        for d in bars["trade_date"]
    ]
    frame = bars.drop(columns="trade_date").copy()
    frame.insert(0, "symbol", tv_symbol)
    frame.index = pd.DatetimeIndex(stamps, name="datetime")
    table = pa.Table.from_pandas(frame)
    metadata = {**(table.schema.metadata or {}), **SYNTHETIC_METADATA}
    pq.write_table(table.replace_schema_metadata(metadata), path)


def _write_barchart(folder: Path, start: date, end: date, seed: int) -> Path:
    contract = barchart_contract(end)
    bars = synthetic_bars(BARCHART_ROOT, start, end, seed + 1)
    lines = [",".join(BARCHART_HEADER_WITH_OI[:-1]) + ',"Open Int"']
    lines.extend(reversed(_barchart_rows(bars, end)))
    lines.append(
        f'"Downloaded from Barchart.com as of {end:%m-%d-%Y} 04:21pm CDT; '
        'synthetic data, not from Barchart"'
    )

    name = (
        f"{SYNTHETIC_PREFIX}barchart_{contract.lower()}_price-history-"
        f"{end:%m-%d-%Y}.csv"
    )
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _barchart_rows(bars: pd.DataFrame, end: date) -> list[str]:
    """Format bars as Barchart CSV lines, oldest first.

    The oldest `SETTLE_ONLY_SHARE` of rows are settle-only, as for a deferred
    month: no volume and open = high = low = close.
    """
    n_settle_only = int(len(bars) * SETTLE_ONLY_SHARE)
    previous_close: float | None = None
    open_interest = 500
    rows = []
    for i, bar in enumerate(bars.itertuples(index=False)):
        prices = [bar.open, bar.high, bar.low, bar.close]
        volume = bar.volume
        if i < n_settle_only:
            prices = [bar.close] * 4
            volume = 0.0
        else:
            open_interest += int(volume) // 100

        change = 0.0 if previous_close is None else prices[3] - previous_close
        percent = 0.0 if previous_close is None else 100 * change / previous_close
        # The download day's row is intraday, and Barchart shows its open
        # interest as 0.
        shown_oi = 0 if bar.trade_date == end else open_interest
        fields = [
            bar.trade_date.isoformat(),
            *(_price_text(p) for p in prices),
            _change_text(change),
            f"{percent:+.2f}%",
            str(int(volume)),
            str(shown_oi),
        ]
        rows.append(",".join(fields))
        previous_close = prices[3]
    return rows


def _business_days(start: date, end: date) -> list[date]:
    days = []
    day = start
    while day <= end:
        if is_business_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _reflect(price: float, product: Product) -> float:
    if price > product.high:
        return product.high**2 / price
    if price < product.low:
        return product.low**2 / price
    return price


def _to_tick(price: float, tick: float, decimals: int) -> float:
    return round(round(price / tick) * tick, decimals)


def _price_text(price: float) -> str:
    text = repr(price)
    return text.removesuffix(".0")


def _change_text(change: float) -> str:
    # Barchart drops trailing zeros and keeps a bare dot on whole numbers: "-3."
    return f"{change:.4f}".rstrip("0")
