"""Folder reading: generic OHLCV files, dispatch, window, overlaps, loading."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from ingest.prices import SOURCE, fetch_api
from ingest.prices.files import SUPERSEDED_NOTE, read_file, read_files
from ingest.prices.tables import VENDOR_PRICES
from ingest.runner import load_source
from ingest.source import LoadContext, NoLiveApiError, SourceFormatError, Window
from tests.conftest import realdata_path

HEADER = 'Time,Open,High,Low,Last,Change,%Change,Volume,"Open Int"'


def read_all(
    folder: Path, window: Window | None = None
) -> tuple[pa.Table, LoadContext]:
    ctx = LoadContext(source="prices", window=window or Window())
    tables = [table for _, table in read_files(folder, ctx)]
    if not tables:
        return VENDOR_PRICES.empty(), ctx
    return pa.concat_tables(tables), ctx


def barchart_csv(folder: Path, name: str, rows: list[str], download: str) -> Path:
    footer = f'"Downloaded from Barchart.com as of {download} 04:21pm CDT"'
    path = folder / name
    path.write_text("\n".join([HEADER, *rows, footer]) + "\n", encoding="utf-8")
    return path


def test_source_spec() -> None:
    assert SOURCE.name == "prices"
    assert SOURCE.folder == "prices"
    assert SOURCE.tables == (VENDOR_PRICES,)


def test_table_key() -> None:
    assert VENDOR_PRICES.primary_key == ("vendor", "symbol", "trade_date")
    assert VENDOR_PRICES.column_names[:-1] == [
        "vendor",
        "symbol",
        "root",
        "contract",
        "is_continuous",
        "trade_date",
        "bar_time_utc",
        "open",
        "high",
        "low",
        "close",
        "volume",
        "open_interest",
        "is_settlement_only",
        "is_partial_day",
        "volume_scope",
        "source_file",
    ]


def test_no_live_api() -> None:
    with pytest.raises(NoLiveApiError, match="--from-dir"):
        fetch_api(LoadContext(source="prices"))


def test_generic_csv_dates(tmp_path: Path) -> None:
    (tmp_path / "zl.csv").write_text(
        "Date,Open,High,Low,Close,Volume,Open_Interest\n"
        "2024-01-02,48.0,48.5,47.5,48.2,1000,5000\n"
        "2024-01-03,48.2,48.9,48.1,48.8,1200,\n",
        encoding="utf-8",
    )
    table, ctx = read_all(tmp_path)
    rows = table.to_pylist()
    assert len(rows) == 2
    assert rows[0]["vendor"] == "ohlcv_file"
    assert rows[0]["symbol"] == "ZL"
    assert rows[0]["root"] == "ZL"
    assert rows[0]["trade_date"] == date(2024, 1, 2)
    assert rows[0]["bar_time_utc"] is None
    assert rows[0]["open_interest"] == 5000.0
    assert rows[1]["open_interest"] is None
    assert sum(ctx.skips.values()) == 0


def test_generic_csv_offsets(tmp_path: Path) -> None:
    (tmp_path / "CLZ25.csv").write_text(
        "timestamp,open,high,low,close,volume\n"
        "2024-01-02T00:00:00-05:00,70,71,69,70.5,10\n"
        "2024-01-03T00:00:00Z,70,71,69,70.5,10\n",
        encoding="utf-8",
    )
    rows = read_all(tmp_path)[0].to_pylist()
    assert rows[0]["trade_date"] == date(2024, 1, 2)
    assert rows[0]["bar_time_utc"] == datetime(2024, 1, 2, 5, tzinfo=UTC)
    assert rows[1]["bar_time_utc"] == datetime(2024, 1, 3, tzinfo=UTC)
    assert rows[0]["contract"] == "CLZ25"
    assert rows[0]["root"] == "CL"


def test_generic_naive_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZL_PRICES_NAIVE_TZ_OHLCV_FILE", "America/Chicago")
    (tmp_path / "ZL.csv").write_text(
        "timestamp,open,high,low,close,volume\n2024-07-01 00:00:00,48,49,47,48.5,10\n",
        encoding="utf-8",
    )
    row = read_all(tmp_path)[0].to_pylist()[0]
    assert row["trade_date"] == date(2024, 7, 1)
    assert row["bar_time_utc"] == datetime(2024, 7, 1, 5, tzinfo=UTC)


def test_generic_parquet(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "date": [date(2024, 1, 2), date(2024, 1, 3)],
            "open": [48.0, 48.2],
            "high": [48.5, 48.9],
            "low": [47.5, 48.1],
            "close": [48.2, 48.8],
            "volume": [1000, 1200],
        }
    )
    frame.to_parquet(tmp_path / "ZL1!.parquet", index=False)
    rows = read_all(tmp_path)[0].to_pylist()
    assert [r["close"] for r in rows] == [48.2, 48.8]
    assert rows[0]["is_continuous"] is True
    assert rows[0]["root"] == "ZL"
    assert rows[0]["volume"] == 1000.0


def test_generic_unknown_header(tmp_path: Path) -> None:
    (tmp_path / "ZL.csv").write_text("when,price\n2024-01-02,48\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"ZL\.csv.*\['when', 'price'\]"):
        read_all(tmp_path)


def test_generic_short_line(tmp_path: Path) -> None:
    (tmp_path / "ZL.csv").write_text(
        "date,open,high,low,close,volume\n2024-01-02,48,49,47,48.5,10\n2024-01-03,48\n",
        encoding="utf-8",
    )
    table, ctx = read_all(tmp_path)
    assert table.num_rows == 1
    assert ctx.skips["wrong field count"] == 1


def test_unrecognised_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "tradingview_CBOT_ZL_1H.parquet").write_bytes(b"x")
    table, ctx = read_all(tmp_path)
    assert table.num_rows == 0
    assert ctx.skips["unrecognised file"] == 1
    assert ctx.skips["unsupported vendor export"] == 1
    assert "notes.txt" in caplog.text


def test_empty_folder(tmp_path: Path) -> None:
    table, ctx = read_all(tmp_path)
    assert table.num_rows == 0
    assert sum(ctx.skips.values()) == 0


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "ZL.csv").write_bytes(b"")
    table, ctx = read_all(tmp_path)
    assert table.num_rows == 0
    assert sum(ctx.skips.values()) == 0


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_all(tmp_path / "absent")


def test_window(tmp_path: Path) -> None:
    barchart_csv(
        tmp_path,
        "barchart_zlz25_price-history-10-03-2025.csv",
        [
            "2025-10-03,50.44,50.58,49.95,50.05,-0.39,-0.77%,41426,0",
            "2025-10-02,50.42,50.75,49.98,50.44,0.02,+0.04%,68759,260956",
            "2025-10-01,49.49,50.75,49.2,50.42,0.93,+1.88%,92060,261986",
        ],
        "10-03-2025",
    )
    window = Window(start=date(2025, 10, 2), end=date(2025, 10, 2))
    table, _ = read_all(tmp_path, window)
    assert table.column("trade_date").to_pylist() == [date(2025, 10, 2)]


def test_later_download_wins(tmp_path: Path) -> None:
    barchart_csv(
        tmp_path,
        "barchart_zlz25_price-history-10-03-2025.csv",
        [
            "2025-10-03,50.44,50.58,49.95,50.05,-0.39,-0.77%,41426,0",
            "2025-10-02,50.42,50.75,49.98,50.44,0.02,+0.04%,68759,260956",
        ],
        "10-03-2025",
    )
    barchart_csv(
        tmp_path,
        "barchart_zlz25_daily_historical-data-10-15-2025.csv",
        ["2025-10-03,50.44,50.58,49.95,50.10,-0.34,-0.67%,150000,620000"],
        "10-15-2025",
    )
    table, ctx = read_all(tmp_path)
    rows = {r["trade_date"]: r for r in table.to_pylist()}
    assert table.num_rows == 2
    assert rows[date(2025, 10, 3)]["close"] == 50.10
    assert rows[date(2025, 10, 3)]["is_partial_day"] is False
    assert rows[date(2025, 10, 3)]["volume_scope"] == "product_total"
    assert rows[date(2025, 10, 2)]["volume_scope"] == "contract"
    assert ctx.notes[SUPERSEDED_NOTE] == 1


@pytest.mark.realdata
def test_real_folder_counts() -> None:
    table, ctx = read_all(realdata_path("prices"))
    per_file = pd.Series(table.column("source_file").to_pylist()).value_counts()
    # ZLZ25's price-history rows all reappear in the later historical export.
    assert "barchart_zlz25_price-history-10-03-2025.csv" not in per_file
    assert ctx.notes[SUPERSEDED_NOTE] == 519
    assert table.num_rows == REAL_ROWS


REAL_ROWS = 4996 + 4997 + 4997 + 3 * 519 + 963 + 6262 + 426 + 118 + 334


@pytest.mark.realdata
def test_reload_adds_no_rows(warehouse: Path) -> None:
    root = realdata_path()
    first = load_source("prices", from_dir=root, db_path=warehouse)
    second = load_source("prices", from_dir=root, db_path=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        count = con.execute("select count(*) from raw.vendor_prices").fetchone()[0]
    assert first.rows_loaded == {"vendor_prices": REAL_ROWS}
    assert second.status == "success"
    assert count == REAL_ROWS


def test_read_file_synthetic_prefix(tmp_path: Path) -> None:
    path = barchart_csv(
        tmp_path,
        "synthetic_barchart_zlz25_price-history-10-03-2025.csv",
        ["2025-10-02,50.42,50.75,49.98,50.44,0.02,+0.04%,68759,260956"],
        "10-03-2025",
    )
    parsed = read_file(path, LoadContext(source="prices"))
    assert parsed is not None
    assert parsed.symbol == "ZLZ25"
