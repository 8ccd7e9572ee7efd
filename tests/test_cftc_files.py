"""The CFTC file readers on the recorded yearly text file and saved Socrata JSON."""

from __future__ import annotations

import json
import logging
import zipfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from ingest.cftc import SOURCE
from ingest.cftc.files import (
    OtherReportError,
    read_files,
    read_socrata_file,
    read_text,
)
from ingest.cftc.settings import seeded_markets
from ingest.source import LoadContext, SourceFormatError, Window
from tests.conftest import realdata_path

TEXT_NAME = "cftc_fut_disagg_f_year_2021_Q1_soy_complex_energy.txt"
LEGACY_NAME = "openbb_socrata_jun7-fc8e_legacy_combined_239747_2024-08-20.json"


def _ctx(window: Window | None = None) -> LoadContext:
    return LoadContext(source="cftc", window=window or Window())


def _read(folder: Path, ctx: LoadContext | None = None) -> pa.Table:
    ctx = ctx or _ctx()
    tables = [table for _, table in read_files(folder, ctx)]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables)


def _rows(table: pa.Table) -> list[dict]:
    return table.to_pylist()


def _row(table: pa.Table, code: str, day: date) -> dict:
    matches = [
        r for r in _rows(table) if r["market_code"] == code and r["report_date"] == day
    ]
    assert len(matches) == 1
    return matches[0]


@pytest.fixture
def real_text() -> Path:
    return realdata_path("cftc", TEXT_NAME)


@pytest.fixture
def text_folder(tmp_path: Path, real_text: Path) -> Path:
    folder = tmp_path / "cftc"
    folder.mkdir()
    (folder / TEXT_NAME).symlink_to(real_text)
    return folder


def _write_lines(folder: Path, name: str, lines: list[bytes]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(b"".join(lines))
    return path


def _real_lines(real_text: Path) -> list[bytes]:
    return real_text.read_bytes().splitlines(keepends=True)


# --- the recorded text file -------------------------------------------------


def test_text_row_count(text_folder):
    assert _read(text_folder).num_rows == 77


def test_text_markets(text_folder):
    codes = set(_read(text_folder).column("market_code").to_pylist())
    assert codes == set(seeded_markets())


def test_text_date_range(text_folder):
    days = _read(text_folder).column("report_date").to_pylist()
    assert (min(days), max(days)) == (date(2021, 1, 5), date(2021, 3, 16))


def test_text_no_skips(text_folder):
    ctx = _ctx()
    _read(text_folder, ctx)
    assert not ctx.skips


def test_soybean_oil_values(text_folder):
    row = _row(_read(text_folder), "007601", date(2021, 3, 16))
    assert row["open_interest"] == 496726
    assert row["m_money_long"] == 114556
    assert row["m_money_short"] == 18060
    assert row["m_money_spread"] == 58027
    assert row["swap_short"] == 11142
    assert row["tot_rept_short"] == 470323
    assert row["traders_total"] == 313
    assert row["traders_m_money_long"] == 87
    assert row["traders_m_money_short"] == 11


def test_soybean_oil_earliest(text_folder):
    row = _row(_read(text_folder), "007601", date(2021, 1, 5))
    assert row["open_interest"] == 469513
    assert row["m_money_long"] == 117378
    assert row["m_money_short"] == 8220


def test_codes_stripped(text_folder):
    row = _row(_read(text_folder), "007601", date(2021, 3, 16))
    assert row["exchange_code"] == "CBT"
    assert row["commodity_code"] == "007"
    assert row["market_name"] == "SOYBEAN OIL - CHICAGO BOARD OF TRADE"


def test_futonly_and_source(text_folder):
    row = _row(_read(text_folder), "007601", date(2021, 3, 16))
    assert row["futonly_or_combined"] == "FutOnly"
    assert row["source"] == TEXT_NAME


def test_dot_is_null(text_folder):
    # Canola 2021-01-05 has `.` in Traders_M_Money_Short_All.
    row = _row(_read(text_folder), "135731", date(2021, 1, 5))
    assert row["traders_m_money_short"] is None
    assert row["traders_m_money_long"] == 59


def test_text_window(text_folder):
    window = Window(date(2021, 2, 1), date(2021, 2, 28))
    days = set(_read(text_folder, _ctx(window)).column("report_date").to_pylist())
    assert days == {date(2021, 2, d) for d in (2, 9, 16, 23)}


def test_other_markets_counted_once(real_text, caplog):
    ctx = _ctx()
    soybean_oil = {"007601": "SOYBEAN OIL - CHICAGO BOARD OF TRADE"}
    with (
        caplog.at_level(logging.WARNING),
        real_text.open(encoding="utf-8", newline="") as stream,
    ):
        tables = [t for _, t in read_text(stream, TEXT_NAME, ctx, soybean_oil)]
    assert tables[0].num_rows == 11
    assert ctx.skips["market not in seed"] == 66
    assert len(caplog.records) == 1


def test_zipped_text(tmp_path, real_text):
    folder = tmp_path / "cftc"
    folder.mkdir()
    with zipfile.ZipFile(folder / "fut_disagg_txt_2021.zip", "w") as archive:
        archive.write(real_text, "f_year.txt")
    table = _read(folder)
    assert table.num_rows == 77
    assert set(table.column("source").to_pylist()) == {"fut_disagg_txt_2021.zip"}


def test_zipped_values(tmp_path, real_text):
    folder = tmp_path / "cftc"
    folder.mkdir()
    with zipfile.ZipFile(
        folder / "fut_disagg_txt_2021.zip", "w", zipfile.ZIP_DEFLATED
    ) as archive:
        archive.write(real_text, "f_year.txt")
    row = _row(_read(folder), "007601", date(2021, 3, 16))
    assert row["open_interest"] == 496726


# --- the recorded Socrata file (legacy report) ------------------------------


def test_legacy_json_rejected(tmp_path):
    path = tmp_path / LEGACY_NAME
    path.symlink_to(realdata_path("cftc", LEGACY_NAME))
    with pytest.raises(OtherReportError) as caught:
        list(read_socrata_file(path, _ctx(), seeded_markets()))
    assert LEGACY_NAME in str(caught.value)
    assert "Legacy" in str(caught.value)
    assert "Combined" in str(caught.value)


def test_legacy_json_in_folder_skipped(tmp_path):
    folder = tmp_path / "cftc"
    folder.mkdir()
    (folder / LEGACY_NAME).symlink_to(realdata_path("cftc", LEGACY_NAME))
    ctx = _ctx()
    table = _read(folder, ctx)
    assert table.num_rows == 0
    assert ctx.skips["other COT report"] == 1


def test_real_folder_loads_disaggregated_only():
    ctx = _ctx()
    table = _read(realdata_path("cftc"), ctx)
    assert table.num_rows == 77
    assert ctx.skips["other COT report"] == 1


# --- saved Socrata JSON of the disaggregated report -------------------------


def _socrata_record(code: str, day: str, **extra: str) -> dict:
    record = {
        "report_date_as_yyyy_mm_dd": f"{day}T00:00:00.000",
        "market_and_exchange_names": "SOYBEAN OIL - CHICAGO BOARD OF TRADE",
        "cftc_contract_market_code": code,
        "cftc_market_code": "CBT ",
        "cftc_commodity_code": "007 ",
        "open_interest_all": "496726",
        "m_money_positions_long_all": "114556",
        "m_money_positions_short_all": "18060",
        "prod_merc_positions_long": "90660",
        "tot_rept_positions_short": "470323",
        "futonly_or_combined": "FutOnly",
    }
    record.update(extra)
    return record


def test_socrata_json_file(tmp_path):
    folder = tmp_path / "cftc"
    folder.mkdir()
    records = [_socrata_record("007601", "2021-03-16")]
    (folder / "disagg.json").write_text(json.dumps(records))
    row = _rows(_read(folder))[0]
    assert row["report_date"] == date(2021, 3, 16)
    assert row["exchange_code"] == "CBT"
    assert row["prod_merc_long"] == 90660
    assert row["tot_rept_short"] == 470323
    assert row["swap_long"] is None
    assert row["source"] == "disagg.json"


def test_socrata_json_other_market(tmp_path):
    folder = tmp_path / "cftc"
    folder.mkdir()
    records = [
        _socrata_record("007601", "2021-03-16"),
        _socrata_record("239747", "2021-03-16"),
    ]
    (folder / "disagg.json").write_text(json.dumps(records))
    ctx = _ctx()
    assert _read(folder, ctx).num_rows == 1
    assert ctx.skips["market not in seed"] == 1


def test_socrata_json_bad_number(tmp_path):
    folder = tmp_path / "cftc"
    folder.mkdir()
    records = [
        _socrata_record("007601", "2021-03-16", open_interest_all="n/a"),
        _socrata_record("007601", "2021-03-09"),
    ]
    (folder / "disagg.json").write_text(json.dumps(records))
    ctx = _ctx()
    assert _read(folder, ctx).num_rows == 1
    assert ctx.skips["invalid number"] == 1


def test_socrata_json_not_a_list(tmp_path):
    folder = tmp_path / "cftc"
    folder.mkdir()
    (folder / "error.json").write_text('{"error": true, "message": "boom"}')
    with pytest.raises(SourceFormatError, match="error.json"):
        _read(folder)


def test_socrata_json_invalid(tmp_path):
    folder = tmp_path / "cftc"
    folder.mkdir()
    (folder / "cut.json").write_text('[{"report_date_as_yyyy_mm_dd": "2021-')
    with pytest.raises(SourceFormatError, match="not valid JSON"):
        _read(folder)


def test_socrata_json_empty_list(tmp_path):
    folder = tmp_path / "cftc"
    folder.mkdir()
    (folder / "empty.json").write_text("[]")
    assert _read(folder).num_rows == 0


# --- malformed text files ---------------------------------------------------


def test_truncated_last_row(tmp_path, real_text):
    lines = _real_lines(real_text)
    cut = lines[:-1] + [lines[-1][:200]]
    folder = tmp_path / "cftc"
    _write_lines(folder, "cut.txt", cut)
    ctx = _ctx()
    assert _read(folder, ctx).num_rows == 76
    assert ctx.skips["wrong field count"] == 1


def test_date_disagreement_skipped(tmp_path, real_text):
    lines = _real_lines(real_text)
    assert lines[1].count(b",210316,") == 1
    lines[1] = lines[1].replace(b",210316,", b",210317,")
    folder = tmp_path / "cftc"
    _write_lines(folder, "mismatch.txt", lines)
    ctx = _ctx()
    assert _read(folder, ctx).num_rows == 76
    assert ctx.skips["report date mismatch"] == 1


def test_bad_number_skipped(tmp_path, real_text):
    lines = _real_lines(real_text)
    lines[1] = lines[1].replace(b", 1790781,", b",  17x0781,", 1)
    folder = tmp_path / "cftc"
    _write_lines(folder, "bad.txt", lines)
    ctx = _ctx()
    assert _read(folder, ctx).num_rows == 76
    assert ctx.skips["invalid number"] == 1


def test_bad_date_skipped(tmp_path, real_text):
    lines = _real_lines(real_text)
    lines[1] = lines[1].replace(b",2021-03-16,", b",2021-02-30,", 1)
    folder = tmp_path / "cftc"
    _write_lines(folder, "bad.txt", lines)
    ctx = _ctx()
    assert _read(folder, ctx).num_rows == 76
    assert ctx.skips["invalid date"] == 1


def test_garbled_file(tmp_path):
    folder = tmp_path / "cftc"
    _write_lines(folder, "garbled.txt", [bytes(range(256)) * 4])
    with pytest.raises(SourceFormatError, match="garbled.txt"):
        _read(folder)


def test_missing_column(tmp_path, real_text):
    lines = _real_lines(real_text)
    lines[0] = lines[0].replace(b'"Traders_Tot_All"', b'"Traders_Total"')
    folder = tmp_path / "cftc"
    _write_lines(folder, "renamed.txt", lines)
    with pytest.raises(SourceFormatError, match="Traders_Tot_All"):
        _read(folder)


def test_header_only(tmp_path, real_text):
    folder = tmp_path / "cftc"
    _write_lines(folder, "header.txt", _real_lines(real_text)[:1])
    assert _read(folder).num_rows == 0


def test_empty_text(tmp_path):
    folder = tmp_path / "cftc"
    _write_lines(folder, "empty.txt", [])
    assert _read(folder).num_rows == 0


def test_unrecognised_file(tmp_path, real_text, caplog):
    folder = tmp_path / "cftc"
    _write_lines(folder, "notes.md", [b"hello"])
    ctx = _ctx()
    with caplog.at_level(logging.WARNING):
        _read(folder, ctx)
    assert ctx.skips["unrecognised file"] == 1
    assert "notes.md" in caplog.text


def test_zip_without_text(tmp_path):
    folder = tmp_path / "cftc"
    folder.mkdir()
    with zipfile.ZipFile(folder / "odd.zip", "w") as archive:
        archive.writestr("readme.pdf", b"%PDF")
    with pytest.raises(SourceFormatError, match="no .txt"):
        _read(folder)


def test_corrupt_zip(tmp_path):
    folder = tmp_path / "cftc"
    _write_lines(folder, "broken.zip", [b"PK\x03\x04 not really a zip"])
    with pytest.raises(SourceFormatError, match="broken.zip"):
        _read(folder)


def test_truncated_zip(tmp_path, real_text):
    folder = tmp_path / "cftc"
    folder.mkdir()
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(real_text, "f_year.txt")
    data = whole.read_bytes()
    (folder / "cut.zip").write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFormatError, match="cut.zip"):
        _read(folder)


def test_legacy_text_header(tmp_path):
    header = b'"Market_and_Exchange_Names","NonComm_Positions_Long_All"\r\n'
    folder = tmp_path / "cftc"
    _write_lines(folder, "legacy.txt", [header])
    ctx = _ctx()
    assert _read(folder, ctx).num_rows == 0
    assert ctx.skips["other COT report"] == 1


def test_source_spec():
    assert SOURCE.name == "cftc"
    assert SOURCE.folder == "cftc"
