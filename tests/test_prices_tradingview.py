"""TradingView parquet files: the recorded ZL, ZM and ZS exports and bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ingest.prices.files import read_file
from ingest.prices.rows import ParsedFile
from ingest.prices.sessions import is_business_day
from ingest.source import LoadContext, SourceFormatError
from tests.conftest import realdata_path


def read(path: Path) -> tuple[ParsedFile, LoadContext]:
    ctx = LoadContext(source="prices")
    parsed = read_file(path, ctx)
    assert parsed is not None
    return parsed, ctx


def by_date(parsed: ParsedFile) -> dict[date, dict[str, Any]]:
    return {row["trade_date"]: row for row in parsed.rows}


def real(root: str) -> Path:
    return realdata_path("prices", f"tradingview_CBOT_{root}_1D.parquet")


# (root, rows kept, first trade date, first OHLCV, last OHLCV). The file has
# 5000 bars; the missing ones are holiday filler bars (see test_filler_bars).
REAL_FILES = [
    (
        "ZL",
        4996,
        date(2004, 8, 20),
        (22.35, 22.66, 22.31, 22.66, 22.0),
        (44.32, 44.58, 44.03, 44.38, 60666.0),
    ),
    (
        "ZM",
        4997,
        date(2004, 8, 19),
        (181.5, 181.5, 180.4, 180.4, 1.0),
        (345.7, 351.2, 345.6, 348.7, 33794.0),
    ),
    (
        "ZS",
        4997,
        date(2004, 8, 19),
        (590.5, 592.5, 588.0, 589.5, 637.0),
        (1116.5, 1125.75, 1113.25, 1120.0, 132632.0),
    ),
]


def ohlcv(row: dict[str, Any]) -> tuple[float, ...]:
    return (row["open"], row["high"], row["low"], row["close"], row["volume"])


@pytest.mark.realdata
@pytest.mark.parametrize(("root", "n_rows", "first_day", "first", "last"), REAL_FILES)
def test_real_file(
    root: str,
    n_rows: int,
    first_day: date,
    first: tuple[float, ...],
    last: tuple[float, ...],
) -> None:
    parsed, ctx = read(real(root))
    rows = by_date(parsed)
    assert len(parsed.rows) == n_rows
    assert min(rows) == first_day
    assert ohlcv(rows[first_day]) == first
    # The last bar is stored as 2024-06-20 21:00 local: Friday's session.
    assert max(rows) == date(2024, 6, 21)
    assert ohlcv(rows[date(2024, 6, 21)]) == last
    assert ctx.skips["repeated trade date"] == 5000 - n_rows
    assert sum(ctx.skips.values()) == 5000 - n_rows


@pytest.mark.realdata
@pytest.mark.parametrize("root", ["ZL", "ZM", "ZS"])
def test_real_columns(root: str) -> None:
    parsed, _ = read(real(root))
    row = parsed.rows[0]
    assert row["vendor"] == "tradingview"
    assert row["symbol"] == f"{root}1!"
    assert row["root"] == root
    assert row["contract"] is None
    assert row["is_continuous"] is True
    assert row["open_interest"] is None
    assert row["volume_scope"] == "contract"
    assert row["is_partial_day"] is False
    assert row["source_file"] == f"tradingview_CBOT_{root}_1D.parquet"


@pytest.mark.realdata
@pytest.mark.parametrize("root", ["ZL", "ZM", "ZS"])
def test_real_no_weekends(root: str) -> None:
    parsed, _ = read(real(root))
    weekend = [r["trade_date"] for r in parsed.rows if r["trade_date"].weekday() >= 5]
    assert weekend == []


@pytest.mark.realdata
def test_evening_row() -> None:
    rows = by_date(read(real("ZL"))[0])
    # Stored 2004-08-22 21:00 (Sunday, UTC-3): Monday's session.
    row = rows[date(2004, 8, 23)]
    assert row["bar_time_utc"] == datetime(2004, 8, 23, tzinfo=UTC)
    assert ohlcv(row) == (22.40, 23.51, 22.31, 23.51, 27.0)


@pytest.mark.realdata
def test_summer_time_row() -> None:
    rows = by_date(read(real("ZL"))[0])
    # Stored 2005-11-21 22:00 under Brazilian summer time (UTC-2).
    row = rows[date(2005, 11, 22)]
    assert row["bar_time_utc"] == datetime(2005, 11, 22, tzinfo=UTC)
    assert row["close"] == 22.13


@pytest.mark.realdata
def test_stale_zone_rules_row() -> None:
    rows = by_date(read(real("ZL"))[0])
    # Stored 2021-01-17 22:00: the exporting machine still applied summer
    # time, abolished in 2019, so tzdata places it at 01:00 UTC. Monday was
    # MLK Day, and the next bar is Wednesday's, so this is Tuesday's.
    row = rows[date(2021, 1, 19)]
    assert row["bar_time_utc"] == datetime(2021, 1, 18, 1, tzinfo=UTC)
    assert row["close"] == 41.70
    assert date(2021, 1, 18) not in rows


# Stored naive time -> (trade date, close) for each bar not stamped near
# 00:00 UTC in the ZL file.
ODD_HOUR_ROWS = [
    (datetime(2021, 5, 30, 18, 0), date(2021, 6, 1), 67.39),
    (datetime(2021, 7, 6, 10, 30), date(2021, 7, 6), 58.78),
    (datetime(2021, 9, 5, 18, 0), date(2021, 9, 7), 57.76),
    (datetime(2021, 11, 26, 11, 30), date(2021, 11, 26), 58.88),
    (datetime(2022, 7, 5, 10, 30), date(2022, 7, 5), 57.42),
    (datetime(2023, 1, 15, 19, 0), date(2023, 1, 17), 63.84),
    (datetime(2023, 2, 19, 19, 0), date(2023, 2, 21), 62.95),
    (datetime(2023, 5, 28, 18, 0), date(2023, 5, 30), 46.20),
    (datetime(2023, 6, 18, 18, 0), date(2023, 6, 20), 59.63),
    (datetime(2023, 7, 5, 10, 30), date(2023, 7, 5), 61.40),
    (datetime(2023, 9, 3, 18, 0), date(2023, 9, 5), 62.81),
    (datetime(2023, 11, 24, 11, 30), date(2023, 11, 24), 50.29),
    (datetime(2023, 12, 26, 11, 30), date(2023, 12, 26), 48.51),
    (datetime(2024, 1, 2, 11, 30), date(2024, 1, 2), 48.29),
]


@pytest.mark.realdata
@pytest.mark.parametrize(("stored", "trade_day", "close"), ODD_HOUR_ROWS)
def test_odd_hour_row(stored: datetime, trade_day: date, close: float) -> None:
    rows = by_date(read(real("ZL"))[0])
    expected_utc = pd.Timestamp(stored, tz="America/Sao_Paulo").tz_convert("UTC")
    assert rows[trade_day]["close"] == close
    assert rows[trade_day]["bar_time_utc"] == expected_utc.to_pydatetime()


@pytest.mark.realdata
def test_odd_hour_count() -> None:
    parsed, _ = read(real("ZL"))
    odd = [r for r in parsed.rows if r["bar_time_utc"].hour not in (0, 1, 23)]
    assert len(odd) == len(ODD_HOUR_ROWS)


@pytest.mark.realdata
def test_monday_holiday_2022() -> None:
    rows = by_date(read(real("ZL"))[0])
    # Stamped 00:00 UTC on Memorial Day; the next bar is Wednesday's.
    assert rows[date(2022, 5, 31)]["close"] == 77.92
    assert date(2022, 5, 30) not in rows


@pytest.mark.realdata
def test_good_friday_2021() -> None:
    rows = by_date(read(real("ZL"))[0])
    # Stamped Thursday evening before Good Friday, followed by Tuesday's bar.
    assert rows[date(2021, 4, 5)]["close"] == 52.81
    assert date(2021, 4, 2) not in rows


@pytest.mark.realdata
def test_filler_bars() -> None:
    parsed, ctx = read(real("ZL"))
    rows = by_date(parsed)
    # Thanksgiving 2005: the filler bar repeats Wednesday's 21.82 close and
    # gives way to Friday's real bar.
    assert rows[date(2005, 11, 25)]["close"] == 21.28
    assert date(2005, 11, 24) not in rows
    assert ctx.skips["repeated trade date"] == 4


@pytest.mark.realdata
def test_wrong_zone_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZL_PRICES_NAIVE_TZ", "Asia/Tokyo")
    with pytest.raises(SourceFormatError, match="ZL_PRICES_NAIVE_TZ"):
        read(real("ZL"))


@pytest.mark.realdata
def test_vendor_zone_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZL_PRICES_NAIVE_TZ", "Asia/Tokyo")
    monkeypatch.setenv("ZL_PRICES_NAIVE_TZ_TRADINGVIEW", "America/Sao_Paulo")
    parsed, _ = read(real("ZL"))
    assert len(parsed.rows) == 4996


def test_invalid_zone_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_tv(tmp_path, [datetime(2024, 1, 1, 21)])
    monkeypatch.setenv("ZL_PRICES_NAIVE_TZ", "Mars/Olympus")
    with pytest.raises(ValueError, match="Mars/Olympus"):
        read(path)


def write_tv(folder: Path, stamps: list[datetime], **columns: list[Any]) -> Path:
    n_rows = len(stamps)
    data: dict[str, list[Any]] = {
        "open": [50.0] * n_rows,
        "high": [51.0] * n_rows,
        "low": [49.0] * n_rows,
        "close": [50.5] * n_rows,
        "volume": [100.0] * n_rows,
    }
    data.update(columns)
    frame = pd.DataFrame(data, index=pd.DatetimeIndex(stamps, name="datetime"))
    path = folder / "tradingview_CBOT_ZL_1D.parquet"
    frame.to_parquet(path)
    return path


def weekday_stamps(n_rows: int) -> list[datetime]:
    candidates = pd.bdate_range("2024-03-04", periods=2 * n_rows)
    days = [d for d in candidates if is_business_day(d.date())][:n_rows]
    # 21:00 in Sao Paulo of the previous day is 00:00 UTC of the trade date.
    return [(d - pd.Timedelta(hours=3)).to_pydatetime() for d in days]


def test_few_weekends_skipped(tmp_path: Path) -> None:
    stamps = weekday_stamps(100)
    # Saturday 09:00 in Sao Paulo is Saturday 07:00 in Chicago.
    stamps[50] = datetime(2024, 3, 9, 9, 0)
    parsed, ctx = read(write_tv(tmp_path, sorted(stamps)))
    assert ctx.skips["weekend trade date"] == 1
    assert len(parsed.rows) == 99


def test_bad_rows_skipped(tmp_path: Path) -> None:
    nan = float("nan")
    path = write_tv(
        tmp_path,
        weekday_stamps(5),
        high=[51.0, nan, 48.0, 51.0, 51.0],
        low=[49.0, 49.0, 49.0, -1.0, 49.0],
    )
    parsed, ctx = read(path)
    assert [r["trade_date"] for r in parsed.rows] == [
        date(2024, 3, 4),
        date(2024, 3, 8),
    ]
    assert ctx.skips["non-numeric price"] == 1
    assert ctx.skips["high below low"] == 1
    assert ctx.skips["non-positive price"] == 1


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "tradingview_CBOT_ZL_1D.parquet"
    pd.DataFrame(
        {"open": [1.0], "close": [1.0]},
        index=pd.DatetimeIndex([datetime(2024, 1, 1, 21)], name="datetime"),
    ).to_parquet(path)
    with pytest.raises(SourceFormatError, match="tradingview_CBOT_ZL_1D.parquet"):
        read(path)


def test_text_prices(tmp_path: Path) -> None:
    path = write_tv(tmp_path, weekday_stamps(1), close=["50.5"])
    with pytest.raises(SourceFormatError, match="'close' has type .*string"):
        read(path)


def test_truncated_parquet(tmp_path: Path) -> None:
    good = write_tv(tmp_path, weekday_stamps(20))
    good.write_bytes(good.read_bytes()[:200])
    with pytest.raises(SourceFormatError, match="not a readable parquet"):
        read(good)


def test_zero_row_file(tmp_path: Path) -> None:
    parsed, ctx = read(write_tv(tmp_path, []))
    assert parsed.rows == []
    assert sum(ctx.skips.values()) == 0
