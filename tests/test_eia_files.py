"""The EIA file reader on the recorded API v2 bodies and on malformed files."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest.eia import SOURCE
from ingest.source import LoadContext, SourceFormatError, Window
from tests.conftest import realdata_path

FEEDBIOFUEL = "openbb_eia_v2_petroleum_pnp_feedbiofuel_EPOOBDAFO_2019-01.json"
SPOT = "openbb_eia_v2_petroleum_pri_spt_RWTC_weekly_1986-01-03.json"
RETAIL = "openbb_eia_v2_petroleum_pri_gnd_EMM_EPMRU_PTE_NUS_DPG_weekly_1990-08-20.json"
ECHOED_KEY = "MOCK_API_KEY"


def read(folder: Path, window: Window | None = None) -> tuple[list[dict], LoadContext]:
    ctx = LoadContext(source="eia", window=window or Window())
    rows: list[dict[str, Any]] = []
    for spec, table in SOURCE.read_files(folder, ctx):
        assert spec.name == "eia_observations"
        rows.extend(table.to_pylist())
    return rows, ctx


def landing(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "eia"
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).symlink_to(realdata_path("eia", name))
    return folder


def real_body(name: str) -> dict[str, Any]:
    return json.loads(realdata_path("eia", name).read_text(encoding="utf-8"))


def write_body(folder: Path, name: str, body: Any) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    text = body if isinstance(body, str) else json.dumps(body)
    path.write_text(text, encoding="utf-8")
    return path


def test_feedbiofuel_row(tmp_path):
    rows, ctx = read(landing(tmp_path, FEEDBIOFUEL))
    assert len(rows) == 1
    row = rows[0]
    assert row["route"] == "petroleum/pnp/feedbiofuel"
    assert row["series_id"] == "M_EPOOBDAFO_YIFBP_NUS_MMLB"
    assert row["frequency"] == "monthly"
    assert row["period"] == "2019-01"
    assert row["period_date"] == date(2019, 1, 1)
    assert row["value"] == 3.0
    assert row["value_raw"] == "3"
    assert row["units"] == "MMLB"
    assert row["duoarea"] == "NUS"
    assert row["area_name"] == "U.S."
    assert row["product"] == "EPOOBDAFO"
    assert row["process"] == "YIFBP"
    assert row["process_name"] == "Feedstock Inputs to Biodiesel Production"
    assert row["series_description"].startswith("Other waste oil, fat, and grease")
    assert row["source"] == FEEDBIOFUEL
    assert not ctx.skips


def test_spot_row_keeps_na_area(tmp_path):
    rows, _ = read(landing(tmp_path, SPOT))
    assert len(rows) == 1
    row = rows[0]
    assert row["route"] == "petroleum/pri/spt"
    assert row["series_id"] == "RWTC"
    assert row["frequency"] == "weekly"
    assert row["period_date"] == date(1986, 1, 3)
    assert row["period_date"].isoweekday() == 5
    assert row["value"] == 25.78
    assert row["value_raw"] == "25.78"
    assert row["units"] == "$/BBL"
    assert row["duoarea"] == "YCUOK"
    assert row["area_name"] == "NA"
    assert row["product"] == "EPCWTI"
    assert row["process"] == "PF4"


def test_retail_row_monday(tmp_path):
    rows, _ = read(landing(tmp_path, RETAIL))
    assert len(rows) == 1
    row = rows[0]
    assert row["route"] == "petroleum/pri/gnd"
    assert row["series_id"] == "EMM_EPMRU_PTE_NUS_DPG"
    assert row["period"] == "1990-08-20"
    assert row["period_date"].isoweekday() == 1
    assert row["value"] == 1.191
    assert row["units"] == "$/GAL"
    assert row["product_name"] == "Conventional Regular Gasoline"


def test_all_real_files_together(tmp_path):
    rows, ctx = read(landing(tmp_path, FEEDBIOFUEL, SPOT, RETAIL))
    assert len(rows) == 3
    assert {r["source"] for r in rows} == {FEEDBIOFUEL, SPOT, RETAIL}
    assert not ctx.skips


def test_echoed_key_not_stored(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    rows, _ = read(landing(tmp_path, FEEDBIOFUEL, SPOT, RETAIL))
    assert ECHOED_KEY not in json.dumps(rows, default=str)
    assert ECHOED_KEY not in caplog.text


def test_window_filters_periods(tmp_path):
    folder = landing(tmp_path, FEEDBIOFUEL, SPOT, RETAIL)
    rows, _ = read(folder, Window(start=date(1990, 1, 1), end=date(1999, 12, 31)))
    assert [r["series_id"] for r in rows] == ["EMM_EPMRU_PTE_NUS_DPG"]


def test_empty_data_yields_nothing(tmp_path):
    body = real_body(SPOT)
    body["response"]["data"] = []
    body["response"]["total"] = "0"
    rows, ctx = read(write_body(tmp_path / "eia", "empty.json", body).parent)
    assert rows == []
    assert not ctx.skips


def test_missing_markers_kept_null(tmp_path):
    body = real_body(SPOT)
    template = body["response"]["data"][0]
    body["response"]["data"] = [
        {**template, "period": "1986-01-10", "value": None},
        {**template, "period": "1986-01-17", "value": "NA"},
        {**template, "period": "1986-01-24", "value": "W"},
        {**template, "period": "1986-01-31", "value": 26.5},
    ]
    body["response"]["total"] = "4"
    rows, ctx = read(write_body(tmp_path / "eia", "markers.json", body).parent)
    assert [r["value"] for r in rows] == [None, None, None, 26.5]
    assert [r["value_raw"] for r in rows] == [None, "NA", "W", "26.5"]
    assert not ctx.skips


def test_bad_rows_skipped(tmp_path):
    body = real_body(SPOT)
    template = body["response"]["data"][0]
    body["response"]["data"] = [
        {**template, "value": "abc"},
        {**template, "value": {"nested": 1}},
        {**template, "period": "1986-13-01"},
        {**template, "series": None},
        {key: v for key, v in template.items() if key != "value"},
        "not an object",
        {**template, "period": "1986-01-10"},
    ]
    body["response"]["total"] = "7"
    rows, ctx = read(write_body(tmp_path / "eia", "bad_rows.json", body).parent)
    assert [r["period"] for r in rows] == ["1986-01-10"]
    assert ctx.skips["invalid value"] == 2
    assert ctx.skips["invalid period"] == 1
    assert ctx.skips["missing series"] == 1
    assert ctx.skips["missing value"] == 1
    assert ctx.skips["row is not an object"] == 1


def test_partial_page_file_logged(tmp_path, caplog):
    body = real_body(FEEDBIOFUEL)
    body["response"]["total"] = "250"
    rows, _ = read(write_body(tmp_path / "eia", "page1.json", body).parent)
    assert len(rows) == 1
    assert "contains 1 of 250 rows" in caplog.text


def test_unrecognised_files_counted(tmp_path):
    folder = landing(tmp_path, SPOT)
    write_body(folder, "notes.txt", "hello")
    write_body(folder, "other.json", {"observations": []})
    (folder / "sub").mkdir()
    rows, ctx = read(folder)
    assert len(rows) == 1
    assert ctx.skips["unrecognised file"] == 3


def test_truncated_file_raises(tmp_path):
    text = realdata_path("eia", SPOT).read_text(encoding="utf-8")
    folder = write_body(tmp_path / "eia", "cut.json", text[: len(text) // 2]).parent
    with pytest.raises(SourceFormatError, match="invalid JSON"):
        read(folder)


def test_garbled_bytes_raise(tmp_path):
    folder = tmp_path / "eia"
    folder.mkdir()
    (folder / "garbled.json").write_bytes(b"\xff\xfe\x00{garbage")
    with pytest.raises(SourceFormatError, match="garbled.json"):
        read(folder)


def test_string_total_not_digits_raises(tmp_path):
    body = real_body(SPOT)
    body["response"]["total"] = "one"
    folder = write_body(tmp_path / "eia", "total.json", body).parent
    with pytest.raises(SourceFormatError, match="response.total"):
        read(folder)


def test_data_not_list_raises(tmp_path):
    body = real_body(SPOT)
    body["response"]["data"] = {"period": "1986-01-03"}
    folder = write_body(tmp_path / "eia", "data.json", body).parent
    with pytest.raises(SourceFormatError, match="response.data"):
        read(folder)


def test_missing_command_raises(tmp_path):
    body = real_body(SPOT)
    del body["request"]
    folder = write_body(tmp_path / "eia", "no_request.json", body).parent
    with pytest.raises(SourceFormatError, match="request.command"):
        read(folder)


def test_saved_error_body_raises(tmp_path):
    body = {
        "error": {
            "code": "API_KEY_INVALID",
            "message": "An invalid api_key was supplied.",
        },
        "request": {"params": {"api_key": "0123456789abcdefSECRETKEY"}},
    }
    folder = write_body(tmp_path / "eia", "error.json", body).parent
    with pytest.raises(SourceFormatError, match="API_KEY_INVALID") as info:
        read(folder)
    assert "SECRETKEY" not in str(info.value)
