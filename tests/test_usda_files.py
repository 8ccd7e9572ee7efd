"""The USDA file reader on the recorded Quick Stats and WASDE files."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ingest.source import LoadContext, SourceFormatError, Window
from ingest.usda.files import read_files
from ingest.usda.nass import parse_number_or_code
from tests.conftest import realdata_path

JSON_NAME = "rnassqs_quickstats_api_GET_corn_yield_VA.json"
CSV_NAME = "rnassqs_quickstats_api_GET_corn_format_csv.csv"
ERROR_400 = "rnassqs_quickstats_error_400_bad_request.json"
ERROR_413 = "rnassqs_quickstats_error_413_exceeds_limit.json"
WASDE_NAME = "wasde_oce-wasde-report-data-2026-09_excerpt.csv"


def _read(folder: Path, window: Window | None = None) -> tuple[dict, LoadContext]:
    ctx = LoadContext(source="usda", window=window or Window())
    tables = {spec.name: table.to_pylist() for spec, table in read_files(folder, ctx)}
    return tables, ctx


def _folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "usda"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).symlink_to(realdata_path("usda", name))
    return folder


def _nass_row(rows: list[dict], reference_period: str, short_desc: str) -> dict:
    matches = [
        r
        for r in rows
        if r["reference_period_desc"] == reference_period
        and r["short_desc"] == short_desc
    ]
    assert len(matches) == 1
    return matches[0]


GRAIN = "CORN, GRAIN - YIELD, MEASURED IN BU / ACRE"
IRRIGATED = "CORN, GRAIN, IRRIGATED, ENTIRE CROP - YIELD, MEASURED IN BU / ACRE"


@pytest.mark.realdata
@pytest.mark.parametrize("name", [JSON_NAME, CSV_NAME])
def test_quickstats_real_file_rows(tmp_path, name):
    tables, ctx = _read(_folder(tmp_path, name))
    rows = tables["usda_nass_quickstats"]
    assert len(rows) == 12
    assert sum(ctx.skips.values()) == 0
    census = _nass_row(rows, "YEAR", IRRIGATED)
    assert census["source_desc"] == "CENSUS"
    assert census["value"] == 161.2
    assert census["cv_pct"] == 0.6
    assert census["unit_desc"] == "BU / ACRE"
    assert census["state_alpha"] == "VA"
    assert census["watershed_code"] == "00000000"
    assert census["year"] == 2012
    # "2012-12-31 00:00:00" Eastern (EST, UTC-5).
    assert census["load_time"] == datetime(2012, 12, 31, 5, 0, tzinfo=UTC)


@pytest.mark.realdata
@pytest.mark.parametrize("name", [JSON_NAME, CSV_NAME])
def test_quickstats_forecast_and_empty_cv(tmp_path, name):
    tables, _ = _read(_folder(tmp_path, name))
    august = _nass_row(tables["usda_nass_quickstats"], "YEAR - AUG FORECAST", GRAIN)
    assert august["value"] == 91.0
    assert august["value_raw"] == "91"
    assert august["cv_raw"] == ""
    assert august["cv_pct"] is None
    assert august["cv_code"] is None
    assert august["value_code"] is None
    # 12:59:15 EDT (UTC-4).
    assert august["load_time"] == datetime(2012, 8, 10, 16, 59, 15, tzinfo=UTC)


@pytest.mark.realdata
def test_quickstats_json_and_csv_agree(tmp_path):
    json_rows, _ = _read(_folder(tmp_path / "a", JSON_NAME))
    csv_rows, _ = _read(_folder(tmp_path / "b", CSV_NAME))

    def strip(rows: list[dict]) -> list[dict]:
        ignored = {"query_id", "_loaded_at"}
        cleaned = [{k: v for k, v in r.items() if k not in ignored} for r in rows]
        return sorted(
            cleaned,
            key=lambda r: (
                r["short_desc"],
                r["reference_period_desc"],
                r["source_desc"],
            ),
        )

    assert strip(json_rows["usda_nass_quickstats"]) == strip(
        csv_rows["usda_nass_quickstats"]
    )


@pytest.mark.realdata
def test_quickstats_both_files_deduplicated(tmp_path):
    tables, ctx = _read(_folder(tmp_path, JSON_NAME, CSV_NAME))
    assert len(tables["usda_nass_quickstats"]) == 12
    assert ctx.skips["duplicate usda_nass_quickstats row"] == 12


@pytest.mark.realdata
@pytest.mark.parametrize("name", [ERROR_400, ERROR_413])
def test_saved_error_body_is_counted_skip(tmp_path, name):
    tables, ctx = _read(_folder(tmp_path, name))
    assert tables == {}
    assert ctx.skips["saved Quick Stats error response"] == 1


@pytest.mark.realdata
def test_wasde_real_file_rows(tmp_path):
    tables, ctx = _read(_folder(tmp_path, WASDE_NAME))
    rows = tables["usda_wasde"]
    # 36 records: 27 world soybean oil and 3 world soybean rows are kept;
    # 2 sugar, 3 reliability and 1 cotton row are not soybean balance rows.
    assert len(rows) == 30
    assert sum(ctx.skips.values()) == 0
    us = [
        r
        for r in rows
        if r["region"] == "United States" and r["attribute"] == "Production"
    ]
    assert len(us) == 1
    assert us[0]["value"] == 14.94
    assert us[0]["unit"] == "Million Metric Tons"
    assert us[0]["report_month"] == date(2026, 9, 1)
    assert us[0]["release_date"] == date(2026, 9, 11)
    assert us[0]["release_time"] == "12:00:00"
    assert us[0]["wasde_number"] == 675
    assert us[0]["proj_est_flag"] == "Proj."
    assert us[0]["market_year"] == "2026/27"


@pytest.mark.realdata
def test_wasde_leading_dot_values(tmp_path):
    tables, _ = _read(_folder(tmp_path, WASDE_NAME))
    by_cell = {(r["region"], r["attribute"]): r for r in tables["usda_wasde"]}
    imports = by_cell[("Argentina", "Imports")]
    assert imports["value_raw"] == ".14"
    assert imports["value"] == 0.14
    world_soy = by_cell[("Argentina", "Domestic Crush")]
    assert world_soy["commodity"] == "Oilseed, Soybean"
    assert world_soy["market_year"] == "2024/25"
    assert world_soy["proj_est_flag"] == ""
    assert world_soy["value"] == 43.24


@pytest.mark.realdata
def test_wasde_window_on_release_date(tmp_path):
    folder = _folder(tmp_path, WASDE_NAME)
    tables, _ = _read(folder, Window(start=date(2026, 9, 12)))
    assert tables == {}


@pytest.mark.realdata
def test_whole_folder_reads(tmp_path):
    folder = _folder(tmp_path, JSON_NAME, CSV_NAME, ERROR_400, ERROR_413, WASDE_NAME)
    tables, _ = _read(folder)
    assert len(tables["usda_nass_quickstats"]) == 12
    assert len(tables["usda_wasde"]) == 30


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", (True, 1234.0, None)),
        ("1,234,567.5", (True, 1234567.5, None)),
        ("161.2", (True, 161.2, None)),
        ("                 (D)", (True, None, "D")),
        ("(Z)", (True, None, "Z")),
        ("(NA)", (True, None, "NA")),
        ("(S)", (True, None, "S")),
        ("(X)", (True, None, "X")),
        ("", (True, None, None)),
        ("12,34", (False, None, None)),
        ("abc", (False, None, None)),
        ("(d)", (False, None, None)),
    ],
)
def test_value_parsing(text, expected):
    assert parse_number_or_code(text) == expected


def _quickstats_body(value: str, cv: str = "") -> dict:
    record = json.loads(realdata_path("usda", JSON_NAME).read_text())["data"][0]
    return {"data": [{**record, "Value": value, "CV (%)": cv}]}


@pytest.mark.realdata
def test_suppressed_value_keeps_code(tmp_path):
    (tmp_path / "coded.json").write_text(json.dumps(_quickstats_body(" (D)", "(L)")))
    tables, _ = _read(tmp_path)
    row = tables["usda_nass_quickstats"][0]
    assert row["value"] is None
    assert row["value_code"] == "D"
    assert row["value_raw"] == " (D)"
    assert row["cv_code"] == "L"
    assert row["cv_pct"] is None


@pytest.mark.realdata
def test_invalid_value_row_skipped(tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps(_quickstats_body("n/a")))
    tables, ctx = _read(tmp_path)
    assert tables == {}
    assert ctx.skips["invalid value"] == 1


@pytest.mark.realdata
def test_non_string_field_skipped(tmp_path):
    body = _quickstats_body("5")
    body["data"][0]["short_desc"] = ["not", "text"]
    (tmp_path / "bad.json").write_text(json.dumps(body))
    tables, ctx = _read(tmp_path)
    assert tables == {}
    assert ctx.skips["invalid Quick Stats field"] == 1


@pytest.mark.realdata
def test_truncated_json_raises(tmp_path):
    text = realdata_path("usda", JSON_NAME).read_text()
    (tmp_path / "cut.json").write_text(text[: len(text) // 2])
    with pytest.raises(SourceFormatError, match="cut.json"):
        _read(tmp_path)


@pytest.mark.realdata
def test_truncated_csv_row_skipped(tmp_path):
    lines = realdata_path("usda", CSV_NAME).read_text().splitlines()
    # The first record loses its last five fields, as in a cut-off download.
    cut = lines[1].rsplit(",", 5)[0]
    (tmp_path / "cut.csv").write_text("\n".join([lines[0], cut, lines[2]]) + "\n")
    tables, ctx = _read(tmp_path)
    assert len(tables["usda_nass_quickstats"]) == 1
    assert ctx.skips["wrong field count"] == 1


def test_record_without_value_raises(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"data": [{"short_desc": "A"}]}))
    with pytest.raises(SourceFormatError, match="Value"):
        _read(tmp_path)


@pytest.mark.realdata
def test_wasde_missing_column_raises(tmp_path):
    lines = realdata_path("usda", WASDE_NAME).read_text().splitlines()
    header = lines[0].replace('"Unit",', '"Units",')
    (tmp_path / "w.csv").write_text("\n".join([header, *lines[1:]]) + "\n")
    # A WASDE file whose header lost a column is not recognised as one.
    tables, ctx = _read(tmp_path)
    assert tables == {}
    assert ctx.skips["unrecognised file"] == 1


@pytest.mark.realdata
def test_wasde_garbled_value_skipped(tmp_path):
    text = realdata_path("usda", WASDE_NAME).read_text()
    (tmp_path / "w.csv").write_text(text.replace('"14.94"', '"14,94x"'))
    tables, ctx = _read(tmp_path)
    assert len(tables["usda_wasde"]) == 29
    assert ctx.skips["invalid value"] == 1


def test_unrecognised_files_counted(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    (tmp_path / "other.json").write_text('{"x": 1}')
    tables, ctx = _read(tmp_path)
    assert tables == {}
    assert ctx.skips["unrecognised file"] == 3


def test_empty_folder_yields_nothing(tmp_path):
    tables, ctx = _read(tmp_path)
    assert tables == {}
    assert sum(ctx.skips.values()) == 0


@pytest.mark.realdata
def test_window_drops_other_years(tmp_path):
    folder = tmp_path / "usda"
    folder.mkdir()
    shutil.copy(realdata_path("usda", JSON_NAME), folder / JSON_NAME)
    tables, _ = _read(folder, Window(start=date(2013, 1, 1)))
    assert tables == {}
