"""Readers for generic OHLCV files, and the parquet helper TradingView shares.

A generic file is `<SYMBOL>.csv` or `<SYMBOL>.parquet` with the columns
`date` (or `timestamp`), `open`, `high`, `low`, `close`, `volume` and an
optional `open_interest`, in any letter case. A `date` column is the trade date.
A `timestamp` is stored in UTC: with a UTC offset it is exact, and without
one it is read in `ZL_PRICES_NAIVE_TZ_OHLCV_FILE`, `ZL_PRICES_NAIVE_TZ` or
UTC, in that order. Its trade date is the date as written, before the
conversion, because most tools stamp a daily bar at midnight of its own day
(`2024-01-02T00:00:00-05:00` is the bar of 2024-01-02).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.prices.rows import BarRules, ParsedFile, RawBar, parse_bars
from ingest.prices.settings import (
    VENDOR_OHLCV_FILE,
    VOLUME_SCOPE_CONTRACT,
    naive_timezone,
)
from ingest.source import LoadContext, SourceFormatError

PRICE_COLUMNS = ("open", "high", "low", "close")
OHLCV_LAYOUT = "date or timestamp, open, high, low, close, volume[, open_interest]"


def read_parquet_columns(path: Path) -> dict[str, list[Any]]:
    """Read a parquet file into lower-cased column name -> Python values.

    A pandas index stored in the file (tvdatafeed keeps `datetime` there) is
    an ordinary column in the result.

    Raises:
        SourceFormatError: the file is not readable parquet, or a price or
            volume column is not numeric.
    """
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SourceFormatError(
            f"prices: {path.name} is not a readable parquet file ({exc})"
        ) from exc
    columns: dict[str, list[Any]] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        key = name.strip().lower()
        numeric = (*PRICE_COLUMNS, "volume", "open_interest")
        if key in numeric and not _is_numeric(column.type):
            raise SourceFormatError(
                f"prices: {path.name}: column {name!r} has type {column.type}, "
                "expected a number"
            )
        columns[key] = column.to_pylist()
    return columns


def read_csv_lines(path: Path) -> list[list[str]]:
    """Read a CSV file into rows of fields, without a UTF-8 BOM.

    Raises:
        SourceFormatError: the file is not UTF-8 text.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            f"prices: {path.name} is not UTF-8 text ({exc})"
        ) from exc
    return list(csv.reader(io.StringIO(text)))


def read_ohlcv(path: Path, symbol: str, ctx: LoadContext) -> ParsedFile:
    """Read a generic OHLCV CSV or parquet file.

    Args:
        path: the file, named `<SYMBOL>.csv` or `<SYMBOL>.parquet`.
        symbol: the symbol from the file name, upper-cased.
        ctx: the run, for skip counts.

    Raises:
        SourceFormatError: the file is unreadable or its columns do not fit.
    """
    parsed = ParsedFile(path, VENDOR_OHLCV_FILE, symbol, rank=(path.name,))
    if path.suffix == ".parquet":
        columns = read_parquet_columns(path)
        n_rows = len(next(iter(columns.values()), []))
        line_numbers = list(range(1, n_rows + 1))
    else:
        lines = read_csv_lines(path)
        if not lines:
            return parsed
        header = [name.strip().lower() for name in lines[0]]
        _check_layout(path, header)
        columns = {name: [] for name in header}
        line_numbers = []
        for line_number, fields in enumerate(lines[1:], start=2):
            if not any(field.strip() for field in fields):
                continue
            if len(fields) != len(header):
                ctx.skip(
                    "wrong field count",
                    f"{path.name} line {line_number}: {len(fields)} fields, "
                    f"expected {len(header)}",
                )
                continue
            for name, value in zip(header, fields, strict=True):
                columns[name].append(value)
            line_numbers.append(line_number)
    bars = _bars_from_columns(path, columns, line_numbers)
    rules = BarRules(
        volume_scope=VOLUME_SCOPE_CONTRACT,
        naive_tz=naive_timezone(VENDOR_OHLCV_FILE),
    )
    parse_bars(parsed, bars, rules, ctx)
    return parsed


def _bars_from_columns(
    path: Path, columns: dict[str, list[Any]], line_numbers: list[int]
) -> list[RawBar]:
    time_column = _check_layout(path, list(columns))
    open_interest = columns.get("open_interest", [None] * len(line_numbers))
    return [
        RawBar(
            line=line,
            when=columns[time_column][i],
            open=columns["open"][i],
            high=columns["high"][i],
            low=columns["low"][i],
            close=columns["close"][i],
            volume=columns["volume"][i],
            open_interest=open_interest[i],
        )
        for i, line in enumerate(line_numbers)
    ]


def _check_layout(path: Path, names: list[str]) -> str:
    """Return the time column's name, or raise if the columns are not the layout."""
    time_column = next((c for c in ("date", "timestamp") if c in names), None)
    missing = [c for c in (*PRICE_COLUMNS, "volume") if c not in names]
    if time_column is None or missing:
        raise SourceFormatError(
            f"prices: {path.name}: columns {names} are not a known layout; "
            f"expected {OHLCV_LAYOUT}"
        )
    return time_column


def _is_numeric(data_type: pa.DataType) -> bool:
    return (
        pa.types.is_integer(data_type)
        or pa.types.is_floating(data_type)
        or (pa.types.is_decimal(data_type))
    )
