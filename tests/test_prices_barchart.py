"""Barchart CSV exports: every recorded file, and malformed input."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest.prices.files import read_file
from ingest.prices.rows import ParsedFile
from ingest.source import LoadContext, SourceFormatError
from tests.conftest import realdata_path

HEADER = 'Time,Open,High,Low,Last,Change,%Change,Volume,"Open Int"'
FOOTER = '"Downloaded from Barchart.com as of 10-03-2025 04:21pm CDT"'


def read(path: Path) -> tuple[ParsedFile, LoadContext]:
    ctx = LoadContext(source="prices")
    parsed = read_file(path, ctx)
    assert parsed is not None
    return parsed, ctx


def by_date(parsed: ParsedFile) -> dict[date, dict[str, Any]]:
    return {row["trade_date"]: row for row in parsed.rows}


def bar(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["open"],
        row["high"],
        row["low"],
        row["close"],
        row["volume"],
        row["open_interest"],
    )


# name, rows, newest day, oldest day, settle-only rows, volume scope,
# (day, O, H, L, C, volume, open interest) of one row read from the file.
REAL_FILES = [
    (
        "barchart_zlz25_price-history-10-03-2025.csv",
        519,
        date(2025, 10, 3),
        date(2023, 9, 12),
        46,
        "contract",
        (date(2025, 10, 2), 50.42, 50.75, 49.98, 50.44, 68759.0, 260956.0),
    ),
    (
        "barchart_zmz25_price-history-10-03-2025.csv",
        519,
        date(2025, 10, 3),
        date(2023, 9, 12),
        86,
        "contract",
        (date(2025, 10, 2), 273.6, 279.9, 272.2, 279.3, 110533.0, 323161.0),
    ),
    (
        "barchart_zsx25_price-history-10-03-2025.csv",
        519,
        date(2025, 10, 3),
        date(2023, 9, 12),
        7,
        "contract",
        (date(2023, 9, 12), 1237.0, 1237.0, 1224.25, 1228.75, 16.0, 394.0),
    ),
    (
        "barchart_zcz25_price-history-10-03-2025.csv",
        519,
        date(2025, 10, 3),
        date(2023, 9, 12),
        0,
        "contract",
        (date(2025, 10, 1), 415.75, 419.5, 410.5, 416.5, 285170.0, 800920.0),
    ),
    (
        "barchart_zlz25_daily_historical-data-10-15-2025.csv",
        963,
        date(2025, 10, 15),
        date(2021, 12, 15),
        475,
        "product_total",
        (date(2021, 12, 16), 53.12, 53.12, 53.12, 52.17, 140587.0, 406594.0),
    ),
    (
        "barchart_usdbrl_daily_historical-data-10-15-2025.csv",
        6262,
        date(2025, 10, 15),
        date(2001, 8, 27),
        487,
        "contract",
        (date(2025, 10, 13), 5.52514, 5.5597, 5.44061, 5.4665, 5909.0, None),
    ),
    (
        "barchart_mpcv25_daily_historical-data-10-15-2025.csv",
        426,
        date(2025, 10, 15),
        date(2024, 2, 5),
        418,
        "product_total",
        (date(2025, 10, 14), 1056.5, 1056.5, 1056.5, 1056.5, 0.0, 0.0),
    ),
    (
        "barchart_bdov25_daily_historical-data-10-15-2025.csv",
        118,
        date(2025, 10, 14),
        date(2025, 4, 28),
        113,
        "product_total",
        (date(2025, 4, 29), 976.0, 976.0, 975.0, 975.0, 0.0, 0.0),
    ),
    (
        "barchart_flx25_daily_historical-data-10-15-2025.csv",
        334,
        date(2025, 10, 15),
        date(2024, 6, 18),
        328,
        "product_total",
        (date(2025, 10, 14), 1.715, 1.715, 1.71, 1.715, 7480.0, 43452.0),
    ),
]
IDS = [case[0].split("-")[0] for case in REAL_FILES]


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "n_rows", "newest", "oldest", "n_settle", "scope", "sample"),
    REAL_FILES,
    ids=IDS,
)
def test_real_file(
    name: str,
    n_rows: int,
    newest: date,
    oldest: date,
    n_settle: int,
    scope: str,
    sample: tuple[Any, ...],
) -> None:
    parsed, ctx = read(realdata_path("prices", name))
    rows = by_date(parsed)
    assert len(parsed.rows) == n_rows
    assert sum(ctx.skips.values()) == 0
    assert max(rows) == newest
    assert min(rows) == oldest
    assert sum(r["is_settlement_only"] for r in parsed.rows) == n_settle
    assert {r["volume_scope"] for r in parsed.rows} == {scope}
    assert bar(rows[sample[0]]) == sample[1:]
    assert {r["source_file"] for r in parsed.rows} == {name}


# name -> (symbol, root, contract)
SYMBOLS = {
    "barchart_zlz25_price-history-10-03-2025.csv": ("ZLZ25", "ZL", "ZLZ25"),
    "barchart_zsx25_price-history-10-03-2025.csv": ("ZSX25", "ZS", "ZSX25"),
    "barchart_usdbrl_daily_historical-data-10-15-2025.csv": ("USDBRL", "USDBRL", None),
    "barchart_mpcv25_daily_historical-data-10-15-2025.csv": ("MPCV25", "MPC", "MPCV25"),
    "barchart_flx25_daily_historical-data-10-15-2025.csv": ("FLX25", "FL", "FLX25"),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(SYMBOLS))
def test_real_symbol(name: str) -> None:
    row = read(realdata_path("prices", name))[0].rows[0]
    assert (row["symbol"], row["root"], row["contract"]) == SYMBOLS[name]
    assert row["vendor"] == "barchart"
    assert row["is_continuous"] is False
    assert row["bar_time_utc"] is None


@pytest.mark.realdata
def test_intraday_row() -> None:
    path = realdata_path("prices", "barchart_zlz25_price-history-10-03-2025.csv")
    rows = by_date(read(path)[0])
    today = rows[date(2025, 10, 3)]
    assert today["is_partial_day"] is True
    assert bar(today) == (50.44, 50.58, 49.95, 50.05, 41426.0, None)
    assert sum(r["is_partial_day"] for r in rows.values()) == 1


@pytest.mark.realdata
def test_settle_only_row() -> None:
    path = realdata_path("prices", "barchart_zlz25_price-history-10-03-2025.csv")
    rows = by_date(read(path)[0])
    oldest = rows[date(2023, 9, 12)]
    assert oldest["is_settlement_only"] is True
    assert bar(oldest) == (54.63, 54.63, 54.63, 54.63, 0.0, 249.0)


@pytest.mark.realdata
def test_settle_away_from_range() -> None:
    path = realdata_path(
        "prices", "barchart_zlz25_daily_historical-data-10-15-2025.csv"
    )
    rows = by_date(read(path)[0])
    # O=H=L=53.12 but the settle is 52.17: kept, and not settle-only.
    assert rows[date(2021, 12, 16)]["is_settlement_only"] is False
    assert rows[date(2021, 12, 15)]["is_settlement_only"] is True


@pytest.mark.realdata
def test_no_download_day_row() -> None:
    path = realdata_path(
        "prices", "barchart_bdov25_daily_historical-data-10-15-2025.csv"
    )
    parsed, _ = read(path)
    assert not any(r["is_partial_day"] for r in parsed.rows)


@pytest.mark.realdata
def test_currency_without_oi() -> None:
    path = realdata_path(
        "prices", "barchart_usdbrl_daily_historical-data-10-15-2025.csv"
    )
    parsed, _ = read(path)
    assert all(r["open_interest"] is None for r in parsed.rows)
    assert sum(r["volume"] == 0 for r in parsed.rows) == 2409


def write(folder: Path, *lines: str, name: str = "") -> Path:
    path = folder / (name or "barchart_zlz25_price-history-10-03-2025.csv")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_rows_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER,
        "2025-10-03,50.44,50.58,49.95,50.05,-0.39,-0.77%,41426,0",
        "2025-10-02,abc,50.75,49.98,50.44,0.02,+0.04%,68759,260956",
        "2025-10-01,49.49,49.00,50.75,50.42,0.93,+1.88%,92060,261986",
        "2025-09-30,0,50.75,49.2,50.42,0.93,+1.88%,92060,261986",
        "2025-13-45,49.49,50.75,49.2,50.42,0.93,+1.88%,92060,261986",
        "2025-09-26,49.49,50.75,49.2,50.42,0.93,+1.88%,lots,261986",
        "2025-09-25,49.49,50.75,49.2,50.42,-3.,+1.88%,92060,261986",
        FOOTER,
    )
    parsed, ctx = read(path)
    assert [r["trade_date"] for r in parsed.rows] == [
        date(2025, 10, 3),
        date(2025, 9, 25),
    ]
    assert ctx.skips["non-numeric price"] == 1
    assert ctx.skips["high below low"] == 1
    assert ctx.skips["non-positive price"] == 1
    assert ctx.skips["invalid date"] == 1
    assert ctx.skips["invalid volume"] == 1


def test_skip_detail_names_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(
        tmp_path,
        HEADER,
        "2025-10-02,abc,50.75,49.98,50.44,0.02,+0.04%,68759,260956",
        FOOTER,
    )
    read(path)
    assert f"{path.name} line 2" in caplog.text


def test_unknown_header(tmp_path: Path) -> None:
    path = write(tmp_path, "Date,Open,High,Low,Close,Volume", FOOTER)
    with pytest.raises(SourceFormatError, match=r"price-history-10-03-2025\.csv.*Date"):
        read(path)


def test_truncated_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(
        tmp_path,
        HEADER,
        "2025-10-03,50.44,50.58,49.95,50.05,-0.39,-0.77%,41426,0",
        "2025-10-02,50.42,50.75,49.98,50.44,0.02,+0.04%,68759,260956",
        "2025-10-01,49.49,50.7",
    )
    parsed, ctx = read(path)
    assert len(parsed.rows) == 2
    assert ctx.skips["wrong field count"] == 1
    assert "no 'Downloaded from Barchart.com' footer" in caplog.text
    # Without a footer the download day comes from the file name.
    assert by_date(parsed)[date(2025, 10, 3)]["is_partial_day"] is True


def test_header_only(tmp_path: Path) -> None:
    parsed, ctx = read(write(tmp_path, HEADER, FOOTER))
    assert parsed.rows == []
    assert sum(ctx.skips.values()) == 0


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "barchart_zlz25_price-history-10-03-2025.csv"
    path.write_bytes(b"Time,Open\n\xff\xfe\x00garbage")
    with pytest.raises(SourceFormatError, match="not UTF-8"):
        read(path)


def test_us_dates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER,
        "10/02/2025,50.42,50.75,49.98,50.44,0.02,+0.04%,68759,260956",
        FOOTER,
    )
    parsed, _ = read(path)
    assert parsed.rows[0]["trade_date"] == date(2025, 10, 2)


def test_repeated_date_keeps_last(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER,
        "2025-10-02,50.42,50.75,49.98,50.44,0.02,+0.04%,68759,260956",
        "2025-10-02,50.00,50.75,49.98,50.44,0.02,+0.04%,68759,260956",
        FOOTER,
    )
    parsed, ctx = read(path)
    assert [r["open"] for r in parsed.rows] == [50.0]
    assert ctx.skips["repeated trade date"] == 1
