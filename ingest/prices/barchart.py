"""Reader for Barchart CSV exports of daily prices.

Two exports share one layout, newest row first:

- `barchart_<symbol>_price-history-MM-DD-YYYY.csv`: one contract's own
  volume and open interest.
- `barchart_<symbol>_daily_historical-data-MM-DD-YYYY.csv`: for a futures
  contract the OHLC is the contract's, but Volume and Open Int are totals
  over all months of the product (ZLZ25 shows about 600k open interest).
  Those rows get `volume_scope = 'product_total'`. For a symbol that is no
  futures contract, such as USDBRL, the volume is the symbol's own.

The header is `Time,Open,High,Low,Last,Change,%Change,Volume,"Open Int"`,
without `Open Int` for currencies. The last line is a footer such as
`"Downloaded from Barchart.com as of 10-03-2025 04:21pm CDT"`. The row of the
download day is intraday (partial), and its open interest of 0 means "not
published yet", so it is stored as NULL. Change and %Change are derived from
Last and not stored.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

from ingest.prices.ohlcv import read_csv_lines
from ingest.prices.rows import BarRules, ParsedFile, RawBar, parse_bars, parse_symbol
from ingest.prices.settings import (
    BARCHART_DAILY_HISTORICAL,
    BARCHART_FOOTER_RE,
    BARCHART_HEADER,
    BARCHART_HEADER_WITH_OI,
    VENDOR_BARCHART,
    VOLUME_SCOPE_CONTRACT,
    VOLUME_SCOPE_PRODUCT_TOTAL,
)
from ingest.source import LoadContext, SourceFormatError

log = logging.getLogger(__name__)


def read_barchart(path: Path, match: re.Match[str], ctx: LoadContext) -> ParsedFile:
    """Read one Barchart price-history or daily historical-data export.

    Args:
        path: the file.
        match: its name matched against `BARCHART_NAME_RE`.
        ctx: the run, for skip counts.

    Raises:
        SourceFormatError: the header is not a known Barchart layout or the
            file is not UTF-8 text.
    """
    symbol = match["symbol"].upper()
    name_date = date(int(match["year"]), int(match["month"]), int(match["day"]))
    lines = read_csv_lines(path)
    download_date = _download_date(path, lines, name_date)
    parsed = ParsedFile(
        path, VENDOR_BARCHART, symbol, rank=(download_date, match["kind"], path.name)
    )
    if not lines:
        return parsed
    header = tuple(field.strip() for field in lines[0])
    if header not in (BARCHART_HEADER, BARCHART_HEADER_WITH_OI):
        raise SourceFormatError(
            f"prices: {path.name}: header {list(header)} is not a known Barchart "
            f"layout; expected {list(BARCHART_HEADER_WITH_OI)}, with or without "
            "the last column"
        )
    has_open_interest = header == BARCHART_HEADER_WITH_OI
    bars = []
    for line_number, fields in enumerate(lines[1:], start=2):
        if not any(field.strip() for field in fields) or _footer_date(fields):
            continue
        if len(fields) != len(header):
            ctx.skip(
                "wrong field count",
                f"{path.name} line {line_number}: {len(fields)} fields, "
                f"expected {len(header)}",
            )
            continue
        bars.append(
            RawBar(
                line=line_number,
                when=fields[0],
                open=fields[1],
                high=fields[2],
                low=fields[3],
                close=fields[4],
                volume=fields[7],
                open_interest=fields[8] if has_open_interest else None,
            )
        )
    is_contract = parse_symbol(symbol).contract is not None
    product_total = match["kind"] == BARCHART_DAILY_HISTORICAL and is_contract
    scope = VOLUME_SCOPE_PRODUCT_TOTAL if product_total else VOLUME_SCOPE_CONTRACT
    rules = BarRules(volume_scope=scope, download_date=download_date)
    parse_bars(parsed, bars, rules, ctx)
    return parsed


def _footer_date(fields: list[str]) -> date | None:
    """Return the download day if `fields` is the footer line, else None."""
    if len(fields) != 1:
        return None
    found = BARCHART_FOOTER_RE.match(fields[0].strip())
    if found is None:
        return None
    return date(int(found["year"]), int(found["month"]), int(found["day"]))


def _download_date(path: Path, lines: list[list[str]], name_date: date) -> date:
    """Return the download day from the footer, else from the file name.

    A missing footer usually means a truncated file, which is logged.
    """
    footer_dates = (_footer_date(fields) for fields in reversed(lines))
    footer_date = next((day for day in footer_dates if day is not None), None)
    if footer_date is None:
        if lines:
            log.warning(
                "prices: %s has no 'Downloaded from Barchart.com' footer and may be "
                "truncated; taking the download day %s from its name",
                path.name,
                name_date,
            )
        return name_date
    if footer_date != name_date:
        log.warning(
            "prices: %s: footer download day %s differs from the name's %s; "
            "using the footer",
            path.name,
            footer_date,
            name_date,
        )
    return footer_date
