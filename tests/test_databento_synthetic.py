"""Synthetic Databento files: determinism, shape, and exact read-back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import databento
import databento_dbn as dbn
import pytest

from ingest.databento import SOURCE
from ingest.databento.synthetic import MARKETS, write_synthetic
from ingest.source import LoadContext

START = dt.date(2024, 1, 1)
END = dt.date(2024, 6, 28)
WEEKDAYS = sum(
    1 for n in range((END - START).days + 1) if (START + dt.timedelta(n)).weekday() < 5
)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict]:
    folder = tmp_path_factory.mktemp("databento")
    paths = write_synthetic(folder, START, END, seed=11)
    ctx = LoadContext(source="databento")
    tables = {
        spec.name: table.to_pylist() for spec, table in SOURCE.read_files(folder, ctx)
    }
    return paths, tables


def test_files_labelled_synthetic(synthetic) -> None:
    paths, _ = synthetic
    assert [p.name.startswith("synthetic_") for p in paths] == [True, True, True]


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", START, END, seed=5)
    second = write_synthetic(tmp_path / "b", START, END, seed=5)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_other_seed_other_prices(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", START, END, seed=5)
    second = write_synthetic(tmp_path / "b", START, END, seed=6)
    assert first[0].read_bytes() != second[0].read_bytes()


def test_ohlcv_matches_records(synthetic) -> None:
    """Every bar read equals the record decoded by the official client."""
    paths, tables = synthetic
    expected = {
        (r.instrument_id, r.ts_event // 1000): (
            r.pretty_open,
            r.pretty_high,
            r.pretty_low,
            r.pretty_close,
            r.volume,
        )
        for r in databento.DBNStore.from_file(paths[0])
    }
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    actual = {
        (
            row["instrument_id"],
            (row["ts_event"] - epoch) // dt.timedelta(microseconds=1),
        ): (
            row["open"],
            row["high"],
            row["low"],
            row["close"],
            row["volume"],
        )
        for row in tables["databento_futures_ohlcv_1d"]
    }
    assert actual == expected


def test_statistics_match_records(synthetic) -> None:
    paths, tables = synthetic
    records = list(databento.DBNStore.from_file(paths[1]))
    rows = tables["databento_statistics"]
    assert len(rows) == len(records)
    assert sorted(r["sequence"] for r in rows) == sorted(r.sequence for r in records)


def test_definitions_match_records(synthetic) -> None:
    paths, tables = synthetic
    records = {r.instrument_id: r for r in databento.DBNStore.from_file(paths[2])}
    rows = tables["databento_definitions"]
    assert {r["instrument_id"] for r in rows} == set(records)
    for row in rows:
        record = records[row["instrument_id"]]
        assert row["raw_symbol"] == record.raw_symbol
        assert row["min_price_increment"] == record.pretty_min_price_increment
        assert row["maturity_month"] == record.maturity_month


def test_one_bar_per_weekday(synthetic) -> None:
    _, tables = synthetic
    bars = [r for r in tables["databento_futures_ohlcv_1d"] if r["symbol"] == "ZL.c.0"]
    assert len(bars) == WEEKDAYS
    assert {r["trade_date"].weekday() for r in bars} <= {0, 1, 2, 3, 4}


def test_zl_front_rolls(synthetic) -> None:
    _, tables = synthetic
    bars = sorted(
        (r for r in tables["databento_futures_ohlcv_1d"] if r["symbol"] == "ZL.c.0"),
        key=lambda r: r["trade_date"],
    )
    contracts = list(dict.fromkeys(r["raw_symbol"] for r in bars))
    assert contracts == ["ZLH4", "ZLK4", "ZLN4", "ZLQ4"]


def test_zl_second_month(synthetic) -> None:
    _, tables = synthetic
    first_day = [
        r
        for r in tables["databento_futures_ohlcv_1d"]
        if r["trade_date"] == START and r["root"] == "ZL"
    ]
    contract_by_symbol = {r["symbol"]: r["raw_symbol"] for r in first_day}
    assert contract_by_symbol == {"ZL.c.0": "ZLH4", "ZL.c.1": "ZLK4", "ZL.v.0": "ZLH4"}


@pytest.mark.parametrize("root", sorted(MARKETS))
def test_prices_in_range(synthetic, root: str) -> None:
    _, tables = synthetic
    market = MARKETS[root]
    bars = [r for r in tables["databento_futures_ohlcv_1d"] if r["root"] == root]
    assert bars
    assert min(r["low"] for r in bars) >= market.low
    assert max(r["high"] for r in bars) <= market.high


def test_bars_consistent(synthetic) -> None:
    _, tables = synthetic
    bad = [
        r
        for r in tables["databento_futures_ohlcv_1d"]
        if not r["low"]
        <= min(r["open"], r["close"])
        <= max(r["open"], r["close"])
        <= r["high"]
    ]
    assert bad == []


def test_settlement_equals_close(synthetic) -> None:
    _, tables = synthetic
    closes = {
        (r["raw_symbol"], r["trade_date"]): r["close"]
        for r in tables["databento_futures_ohlcv_1d"]
    }
    settlements = {
        (r["raw_symbol"], r["ts_recv"].date()): r["price"]
        for r in tables["databento_statistics"]
        if r["stat_type"] == 3
    }
    assert settlements == closes


def test_open_interest_quantity(synthetic) -> None:
    _, tables = synthetic
    rows = [r for r in tables["databento_statistics"] if r["stat_type"] == 9]
    assert len(rows) == len(tables["databento_statistics"]) // 2
    assert all(r["quantity"] > 0 for r in rows)
    assert {r["price"] for r in rows} == {None}


def test_unmapped_continuous_bar_skipped(tmp_path: Path) -> None:
    """A continuous-symbol bar whose instrument no mapping covers is skipped."""
    metadata = dbn.Metadata(
        dataset="GLBX.MDP3",
        start=0,
        stype_in=dbn.SType.CONTINUOUS,
        stype_out=dbn.SType.INSTRUMENT_ID,
        schema=dbn.Schema.OHLCV_1D,
        symbols=["ZL.c.0"],
    )
    bar = dbn.OHLCVMsg(dbn.RType.OHLCV_1D, 1, 42, 1_704_153_600 * 10**9, 1, 1, 1, 1, 1)
    (tmp_path / "unmapped.dbn").write_bytes(bytes(metadata) + bytes(bar))
    ctx = LoadContext(source="databento")
    batches = list(SOURCE.read_files(tmp_path, ctx))
    assert batches == []
    assert ctx.skips["unmapped instrument_id"] == 1
