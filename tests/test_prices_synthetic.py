"""Synthetic price files: written in vendor formats and read back exactly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ingest.prices.files import read_files
from ingest.prices.synthetic import (
    PRODUCTS,
    barchart_contract,
    synthetic_bars,
    write_synthetic,
)
from ingest.source import LoadContext

START = date(2023, 11, 1)
END = date(2024, 3, 28)
SEED = 11


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_synthetic(tmp_path_factory.mktemp("synthetic"), START, END, SEED)


@pytest.fixture(scope="module")
def loaded(written: list[Path]) -> tuple[dict[str, list[dict]], LoadContext]:
    ctx = LoadContext(source="prices")
    by_file: dict[str, list[dict]] = {}
    for _, table in read_files(written[0].parent, ctx):
        for row in table.to_pylist():
            by_file.setdefault(row["source_file"], []).append(row)
    return by_file, ctx


def test_file_names(written: list[Path]) -> None:
    names = [p.name for p in written]
    assert len(names) == len(PRODUCTS) + 1
    assert all(name.startswith("synthetic_") for name in names)
    assert names[-1] == "synthetic_barchart_zlz24_price-history-03-28-2024.csv"


def test_parquet_labelled(written: list[Path]) -> None:
    metadata = pq.read_schema(written[0]).metadata
    assert metadata[b"zl_synthetic"] == b"true"


def test_naive_local_times(written: list[Path]) -> None:
    stamps = pq.read_table(written[0]).column("datetime").to_pylist()
    # 00:00 UTC shown as 21:00 of the previous day in Sao Paulo (UTC-3).
    assert {s.hour for s in stamps} == {21}


def test_no_skips(loaded: tuple[dict, LoadContext]) -> None:
    assert sum(loaded[1].skips.values()) == 0


@pytest.mark.parametrize("root", sorted(PRODUCTS))
def test_tradingview_round_trip(root: str, loaded: tuple[dict, LoadContext]) -> None:
    product = PRODUCTS[root]
    rows = loaded[0][f"synthetic_tradingview_{product.exchange}_{root}_1D.parquet"]
    expected = synthetic_bars(root, START, END, SEED)
    assert [r["trade_date"] for r in rows] == list(expected["trade_date"])
    for column in ("open", "high", "low", "close", "volume"):
        assert [r[column] for r in rows] == list(expected[column])
    assert {r["symbol"] for r in rows} == {f"{root}1!"}


@pytest.mark.parametrize("root", sorted(PRODUCTS))
def test_price_band(root: str) -> None:
    bars = synthetic_bars(root, date(2015, 1, 1), date(2024, 12, 31), SEED)
    product = PRODUCTS[root]
    assert bars["low"].min() >= product.low
    assert bars["high"].max() <= product.high
    assert (bars["low"] <= bars[["open", "close"]].min(axis=1)).all()
    assert (bars["high"] >= bars[["open", "close"]].max(axis=1)).all()


def test_weekdays_only() -> None:
    bars = synthetic_bars("ZL", START, END, SEED)
    assert all(day.weekday() < 5 for day in bars["trade_date"])


def test_palm_file_name(written: list[Path]) -> None:
    names = [p.name for p in written]
    assert "synthetic_tradingview_MYX_FCPO_1D.parquet" in names


def test_palm_skips_holidays() -> None:
    bars = synthetic_bars("FCPO", START, date(2024, 12, 31), SEED)
    closed = [d for d in bars["trade_date"] if (d.month, d.day) in {(5, 1), (9, 16)}]
    assert closed == []


def test_palm_dates_within_zl() -> None:
    palm = set(synthetic_bars("FCPO", START, date(2024, 12, 31), SEED)["trade_date"])
    zl = set(synthetic_bars("ZL", START, date(2024, 12, 31), SEED)["trade_date"])
    assert palm < zl


def test_deterministic(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", START, END, SEED)
    second = write_synthetic(tmp_path / "b", START, END, SEED)
    assert first[-1].read_bytes() == second[-1].read_bytes()
    assert pq.read_table(first[0]).equals(pq.read_table(second[0]))


def test_barchart_round_trip(loaded: tuple[dict, LoadContext]) -> None:
    name = "synthetic_barchart_zlz24_price-history-03-28-2024.csv"
    rows = sorted(loaded[0][name], key=lambda r: r["trade_date"])
    expected = synthetic_bars("ZL", START, END, SEED + 1)
    n_settle = int(len(expected) * 0.2)
    assert [r["trade_date"] for r in rows] == list(expected["trade_date"])
    assert [r["close"] for r in rows] == list(expected["close"])
    assert [r["open"] for r in rows[n_settle:]] == list(expected["open"][n_settle:])
    assert sum(r["is_settlement_only"] for r in rows) == n_settle
    assert [r["is_partial_day"] for r in rows].count(True) == 1
    assert rows[-1]["is_partial_day"] is True
    assert rows[-1]["open_interest"] is None
    assert {r["contract"] for r in rows} == {barchart_contract(END)}
