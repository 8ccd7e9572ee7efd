"""Read a folder of vendor price files into `vendor_prices` batches.

The file name picks the reader, after an optional `synthetic_` prefix:

- `tradingview_<EXCHANGE>_<ROOT>_1D.parquet`: `tradingview.read_tradingview`
- `barchart_<symbol>_price-history-MM-DD-YYYY.csv` and
  `barchart_<symbol>_daily_historical-data-MM-DD-YYYY.csv`:
  `barchart.read_barchart`
- any other `<SYMBOL>.csv` or `<SYMBOL>.parquet`: `ohlcv.read_ohlcv`

Other files are skipped with a warning and counted. When two files hold the
same (vendor, symbol, trade date), the row of the later file wins: a
Barchart file with the later download day, otherwise the later file name.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.prices.barchart import read_barchart
from ingest.prices.ohlcv import read_ohlcv
from ingest.prices.rows import LINE_KEY, ParsedFile
from ingest.prices.settings import (
    BARCHART_NAME_RE,
    OHLCV_NAME_RE,
    SYNTHETIC_PREFIX,
    TRADINGVIEW_NAME_RE,
)
from ingest.prices.tables import VENDOR_PRICES
from ingest.prices.tradingview import read_tradingview
from ingest.source import Batch, LoadContext

log = logging.getLogger(__name__)

SUPERSEDED_NOTE = "superseded_rows"


def read_files(folder: Path, ctx: LoadContext) -> Iterator[Batch]:
    """Yield one `vendor_prices` batch per file with rows in `ctx.window`.

    Args:
        folder: the folder holding the vendor files (not searched recursively).
        ctx: the run: window, skip counts, and `notes["superseded_rows"]`,
            the number of rows replaced by a later file's row.

    Raises:
        FileNotFoundError: `folder` does not exist.
        SourceFormatError: a file is malformed as a whole.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"prices: folder {folder} not found")
    parsed_files = []
    for path in sorted(folder.iterdir()):
        if path.is_file():
            parsed = read_file(path, ctx)
            if parsed is not None:
                parsed_files.append(parsed)
    superseded = drop_superseded(parsed_files)
    if superseded:
        log.info("prices: %d row(s) replaced by a later file's row", superseded)
    ctx.notes[SUPERSEDED_NOTE] = superseded
    for parsed in parsed_files:
        rows = [
            _without_line(row)
            for row in parsed.rows
            if ctx.window.contains(row["trade_date"])
        ]
        if rows:
            log.info("prices: %s: %d row(s)", parsed.path.name, len(rows))
            yield VENDOR_PRICES, VENDOR_PRICES.to_arrow(rows)


def read_file(path: Path, ctx: LoadContext) -> ParsedFile | None:
    """Read one file with the reader its name selects.

    Returns:
        The parsed file, or None for an empty or unrecognised file.

    Raises:
        SourceFormatError: the file is malformed as a whole.
    """
    name = path.name
    bare = name.removeprefix(SYNTHETIC_PREFIX)
    if path.stat().st_size == 0:
        log.info("prices: %s is empty", name)
        return None
    tradingview = TRADINGVIEW_NAME_RE.match(bare)
    if tradingview:
        return read_tradingview(path, tradingview, ctx)
    barchart = BARCHART_NAME_RE.match(bare)
    if barchart:
        return read_barchart(path, barchart, ctx)
    if bare.startswith(("tradingview_", "barchart_")):
        _skip_file(path, "unsupported vendor export", ctx)
        return None
    generic = OHLCV_NAME_RE.match(bare)
    if generic:
        return read_ohlcv(path, generic["symbol"].upper(), ctx)
    _skip_file(path, "unrecognised file", ctx)
    return None


def drop_superseded(parsed_files: list[ParsedFile]) -> int:
    """Keep each (vendor, symbol, trade date) only in its highest-ranked file.

    Returns:
        The number of rows dropped.
    """
    groups: dict[tuple[str, str], list[ParsedFile]] = defaultdict(list)
    for parsed in parsed_files:
        groups[(parsed.vendor, parsed.symbol)].append(parsed)
    dropped = 0
    for group in groups.values():
        if len(group) < 2:
            continue
        owner: dict[Any, int] = {}
        for parsed in sorted(group, key=lambda p: p.rank):
            for row in parsed.rows:
                owner[row["trade_date"]] = id(parsed)
        for parsed in group:
            kept = [
                row for row in parsed.rows if owner[row["trade_date"]] == id(parsed)
            ]
            dropped += len(parsed.rows) - len(kept)
            parsed.rows = kept
    return dropped


def _skip_file(path: Path, reason: str, ctx: LoadContext) -> None:
    log.warning(
        "prices: skipping %s: its name matches no known layout "
        "(tradingview_<EXCHANGE>_<ROOT>_1D.parquet, "
        "barchart_<symbol>_price-history-MM-DD-YYYY.csv, "
        "barchart_<symbol>_daily_historical-data-MM-DD-YYYY.csv, "
        "<SYMBOL>.csv or <SYMBOL>.parquet)",
        path.name,
    )
    ctx.skip(reason, path.name)


def _without_line(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key != LINE_KEY}
