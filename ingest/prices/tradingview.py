"""Reader for TradingView daily OHLCV parquet files written by tvdatafeed.

`tradingview_<EXCHANGE>_<ROOT>_1D.parquet` contains the continuous front month
`<ROOT>1!` with the columns open, high, low, close, volume and a pandas index
`datetime`. tvdatafeed writes that index as naive local time of the
exporting machine, so it is read in `ZL_PRICES_NAIVE_TZ_TRADINGVIEW`,
`ZL_PRICES_NAIVE_TZ` or America/Sao_Paulo, in that order, then converted to
UTC. The trade date follows `sessions.trade_date_from_utc`.

NOTE: the recorded files were exported on a machine whose summer-time rules
for Sao Paulo differ from tzdata's, so about 16% of their `bar_time_utc`
values are an hour off 00:00 UTC. Their trade dates are unaffected.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.prices.ohlcv import PRICE_COLUMNS, read_parquet_columns
from ingest.prices.rows import BarRules, ParsedFile, RawBar, parse_bars
from ingest.prices.settings import (
    VENDOR_TRADINGVIEW,
    VOLUME_SCOPE_CONTRACT,
    exchange_timezone,
    naive_timezone,
)
from ingest.source import LoadContext, SourceFormatError

TIME_COLUMN = "datetime"
LAYOUT = "datetime, open, high, low, close, volume[, symbol]"


def read_tradingview(path: Path, match: re.Match[str], ctx: LoadContext) -> ParsedFile:
    """Read one tvdatafeed parquet file.

    Args:
        path: the file.
        match: its name matched against `TRADINGVIEW_NAME_RE`.
        ctx: the run, for skip counts.

    Raises:
        SourceFormatError: the file is unreadable, lacks a column, or too many
            of its trade dates fall on weekends.
    """
    exchange = match["exchange"].upper()
    symbol = f"{match['root'].upper()}1!"
    parsed = ParsedFile(path, VENDOR_TRADINGVIEW, symbol, rank=(path.name,))
    columns = read_parquet_columns(path)
    missing = [c for c in (TIME_COLUMN, *PRICE_COLUMNS, "volume") if c not in columns]
    if missing:
        raise SourceFormatError(
            f"prices: {path.name}: columns {list(columns)} are not the TradingView "
            f"layout (missing {missing}); expected {LAYOUT}"
        )
    bars = [
        RawBar(
            line=i + 1,
            when=when,
            open=columns["open"][i],
            high=columns["high"][i],
            low=columns["low"][i],
            close=columns["close"][i],
            volume=columns["volume"][i],
        )
        for i, when in enumerate(columns[TIME_COLUMN])
    ]
    rules = BarRules(
        naive_tz=naive_timezone(VENDOR_TRADINGVIEW),
        exchange_tz=exchange_timezone(exchange),
        volume_scope=VOLUME_SCOPE_CONTRACT,
        session_dates=True,
    )
    parse_bars(parsed, bars, rules, ctx)
    return parsed
