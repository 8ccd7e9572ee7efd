"""Synthetic COT files: the real layout, read back by the file reader."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from ingest.cftc.files import read_files
from ingest.cftc.settings import TEXT_NUMBER_FIELDS, seeded_markets
from ingest.cftc.synthetic import report_dates, write_synthetic, yearly_header
from ingest.source import LoadContext
from tests.conftest import realdata_path

START, END = date(2024, 1, 1), date(2024, 3, 31)


@pytest.fixture
def written(tmp_path: Path) -> Path:
    paths = write_synthetic(tmp_path / "cftc", START, END, seed=7)
    assert len(paths) == 1
    return paths[0]


def _read(folder: Path) -> pa.Table:
    ctx = LoadContext(source="cftc")
    return pa.concat_tables([table for _, table in read_files(folder, ctx)])


def _written_records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_file_name(written):
    assert written.name.startswith("synthetic_")


def test_header_is_real():
    path = realdata_path(
        "cftc", "cftc_fut_disagg_f_year_2021_Q1_soy_complex_energy.txt"
    )
    with path.open(encoding="utf-8", newline="") as handle:
        real_header = next(csv.reader(handle))
    assert yearly_header() == real_header


def test_crlf(written):
    data = written.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n")


def test_newest_first(written):
    days = [r["Report_Date_as_YYYY-MM-DD"] for r in _written_records(written)]
    assert days == sorted(days, reverse=True)


def test_padding_and_codes(written):
    record = _written_records(written)[0]
    assert record["Open_Interest_All"].startswith(" ")
    assert record["CFTC_Commodity_Code"].endswith(" ")


def test_row_count(written):
    # 13 Tuesdays from 2024-01-02 to 2024-03-26, for each seeded market.
    assert _read(written.parent).num_rows == 13 * len(seeded_markets())


def test_names_say_synthetic(written):
    names = set(_read(written.parent).column("market_name").to_pylist())
    assert all("SYNTHETIC" in name for name in names)


def test_reads_back_written_values(written):
    records = {
        (r["CFTC_Contract_Market_Code"], r["Report_Date_as_YYYY-MM-DD"]): r
        for r in _written_records(written)
    }
    rows = _read(written.parent).to_pylist()
    assert len(rows) == len(records)
    for row in rows:
        record = records[(row["market_code"], row["report_date"].isoformat())]
        for field, column in TEXT_NUMBER_FIELDS.items():
            assert row[column] == int(record[field]), (field, row["market_code"])


def test_long_side_sums_to_open_interest(written):
    for row in _read(written.parent).to_pylist():
        long_side = (
            row["prod_merc_long"]
            + row["swap_long"]
            + row["swap_spread"]
            + row["m_money_long"]
            + row["m_money_spread"]
            + row["other_rept_long"]
            + row["other_rept_spread"]
            + row["nonrept_long"]
        )
        assert long_side == row["open_interest"]


def test_short_side_sums_to_open_interest(written):
    for row in _read(written.parent).to_pylist():
        short_side = (
            row["prod_merc_short"]
            + row["swap_short"]
            + row["swap_spread"]
            + row["m_money_short"]
            + row["m_money_spread"]
            + row["other_rept_short"]
            + row["other_rept_spread"]
            + row["nonrept_short"]
        )
        assert short_side == row["open_interest"]


def test_positions_not_negative(tmp_path):
    paths = write_synthetic(tmp_path / "cftc", date(2015, 1, 1), date(2024, 12, 31), 3)
    table = _read(paths[0].parent)
    for column in ("prod_merc_short", "nonrept_short", "open_interest"):
        assert min(table.column(column).to_pylist()) >= 0, column


def test_deterministic(tmp_path):
    first = write_synthetic(tmp_path / "a", START, END, seed=7)[0]
    second = write_synthetic(tmp_path / "b", START, END, seed=7)[0]
    assert first.read_bytes() == second.read_bytes()


def test_seed_changes_values(tmp_path):
    first = write_synthetic(tmp_path / "a", START, END, seed=7)[0]
    second = write_synthetic(tmp_path / "b", START, END, seed=8)[0]
    assert first.read_bytes() != second.read_bytes()


def test_holiday_tuesday_moves_to_monday():
    # Veterans Day fell on Tuesday 2025-11-11; the CFTC report was as of
    # Monday 2025-11-10.
    assert report_dates(date(2025, 11, 3), date(2025, 11, 16)) == [
        date(2025, 11, 4),
        date(2025, 11, 10),
    ]


def test_report_dates_weekdays():
    days = report_dates(date(2000, 1, 1), date(2035, 12, 31))
    assert all(day.weekday() < 5 for day in days)


def test_empty_range(tmp_path):
    path = write_synthetic(tmp_path / "cftc", date(2024, 1, 3), date(2024, 1, 8), 1)[0]
    ctx = LoadContext(source="cftc")
    assert list(read_files(path.parent, ctx)) == []
