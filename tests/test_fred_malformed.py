"""The FRED file reader on malformed, mislabelled and unknown files."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from ingest.fred import read_files
from ingest.source import LoadContext, SourceFormatError
from tests.conftest import realdata_path

HEADER = {
    "realtime_start": "1776-07-04",
    "realtime_end": "9999-12-31",
    "output_type": 1,
    "count": 2,
    "offset": 0,
    "limit": 100000,
}


def write_json(folder: Path, name: str, body: Any) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def read(folder: Path) -> tuple[dict[str, list[dict[str, Any]]], LoadContext]:
    ctx = LoadContext(source="fred")
    rows: dict[str, list[dict[str, Any]]] = {}
    for spec, table in read_files(folder, ctx):
        rows.setdefault(spec.name, []).extend(table.to_pylist())
    return rows, ctx


def observation(day: str, value: Any, start: str = "2024-01-05") -> dict[str, Any]:
    return {
        "realtime_start": start,
        "realtime_end": "9999-12-31",
        "date": day,
        "value": value,
    }


@pytest.mark.realdata
def test_truncated_json_raises(tmp_path: Path) -> None:
    real = realdata_path("fred", "pyfredapi_series_observations_GDP_latest.json")
    folder = tmp_path / "fred"
    folder.mkdir()
    broken = folder / "x_series_observations_GDP_latest.json"
    broken.write_bytes(real.read_bytes()[:700])
    with pytest.raises(SourceFormatError, match="GDP_latest.json: invalid JSON"):
        read(folder)


def test_garbled_bytes_raise(tmp_path: Path) -> None:
    folder = tmp_path / "fred"
    folder.mkdir()
    (folder / "fredgraph_DGS10.csv").write_bytes(
        b"observation_date,DGS10\n\xff\xfe\x00"
    )
    with pytest.raises(SourceFormatError, match="fredgraph_DGS10.csv"):
        read(folder)


def test_bad_json_rows_skipped(tmp_path: Path) -> None:
    body = {
        **HEADER,
        "observations": [
            observation("2024-01-01", "1.5"),
            observation("2024-01-02", 1.5),
            observation("20240103", "1.5"),
            observation("2024-01-04", "abc"),
            observation("2024-01-05", "nan"),
            observation("2024-01-06", "2.5", start="2024-13-01"),
            "not an object",
        ],
    }
    write_json(tmp_path / "fred", "a_series_observations_DGS10_x.json", body)
    rows, ctx = read(tmp_path / "fred")
    assert [r["value"] for r in rows["fred_economic"]] == [1.5]
    assert ctx.skips["invalid value"] == 3
    assert ctx.skips["invalid observation date"] == 1
    assert ctx.skips["invalid real-time period"] == 1
    assert ctx.skips["observation is not an object"] == 1


def test_observations_not_list_raises(tmp_path: Path) -> None:
    body = {**HEADER, "observations": {"date": "2024-01-01"}}
    write_json(tmp_path / "fred", "a_series_observations_DGS10.json", body)
    with pytest.raises(SourceFormatError, match="'observations'"):
        read(tmp_path / "fred")


def test_missing_realtime_header_raises(tmp_path: Path) -> None:
    body = {"observations": [observation("2024-01-01", "1.0")]}
    write_json(tmp_path / "fred", "a_series_observations_DGS10.json", body)
    with pytest.raises(SourceFormatError, match="realtime_start"):
        read(tmp_path / "fred")


def test_wide_output_type_raises(tmp_path: Path) -> None:
    body = {**HEADER, "output_type": 2, "observations": []}
    write_json(tmp_path / "fred", "a_series_observations_GDP.json", body)
    with pytest.raises(SourceFormatError, match="output_type 2"):
        read(tmp_path / "fred")


def test_series_id_field_wins(tmp_path: Path) -> None:
    body = {
        **HEADER,
        "series_id": "dgs2",
        "observations": [observation("2024-01-02", "4.3")],
    }
    write_json(tmp_path / "fred", "a_series_observations_DGS10.json", body)
    rows = read(tmp_path / "fred")[0]["fred_economic"]
    assert rows[0]["series_id"] == "DGS2"


def test_unnamed_series_raises(tmp_path: Path) -> None:
    body = {**HEADER, "observations": [observation("2024-01-02", "4.3")]}
    write_json(tmp_path / "fred", "observations.json", body)
    with pytest.raises(SourceFormatError, match="cannot tell the series id"):
        read(tmp_path / "fred")


def test_saved_error_body_raises(tmp_path: Path) -> None:
    body = {"error_code": 400, "error_message": "Bad Request.  Something."}
    write_json(tmp_path / "fred", "a_series_observations_DGS10.json", body)
    with pytest.raises(SourceFormatError, match="FRED error response"):
        read(tmp_path / "fred")


def test_unknown_files_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "fred"
    write_json(folder, "other.json", {"foo": 1})
    (folder / "README.txt").write_text("notes", encoding="utf-8")
    (folder / "prices.csv").write_text("symbol,close\nZL,40\n", encoding="utf-8")
    (folder / "nested").mkdir()
    with caplog.at_level(logging.WARNING):
        rows, ctx = read(folder)
    assert rows == {}
    assert ctx.skips["unrecognised file"] == 4
    assert "README.txt" in caplog.text


def test_empty_inputs_yield_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "fred"
    write_json(folder, "a_series_observations_GDP.json", {**HEADER, "observations": []})
    (folder / "fredgraph_GDP.csv").write_text(
        "observation_date,GDP\n", encoding="utf-8"
    )
    rows, ctx = read(folder)
    assert rows == {}
    assert sum(ctx.skips.values()) == 0


def test_empty_folder_yields_nothing(tmp_path: Path) -> None:
    (tmp_path / "fred").mkdir()
    assert read(tmp_path / "fred")[0] == {}


def test_bad_csv_rows_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "fred"
    folder.mkdir()
    text = (
        "observation_date,DGS10,DGS2\n"
        "2024-01-02,3.95,4.33\n"
        "2024-13-01,3.90,4.30\n"
        "2024-01-03,abc,4.31\n"
        "2024-01-04,3.99\n"
        "\n"
    )
    (folder / "fredgraph.csv").write_text(text, encoding="utf-8")
    rows, ctx = read(folder)
    values = {
        (r["series_id"], r["observation_date"].isoformat()): r["value"]
        for r in rows["fred_economic"]
    }
    assert values == {
        ("DGS10", "2024-01-02"): 3.95,
        ("DGS2", "2024-01-02"): 4.33,
        ("DGS2", "2024-01-03"): 4.31,
    }
    assert ctx.skips["invalid observation date"] == 1
    assert ctx.skips["invalid value"] == 1
    assert ctx.skips["wrong column count"] == 1


def test_bad_csv_header_raises(tmp_path: Path) -> None:
    folder = tmp_path / "fred"
    folder.mkdir()
    (folder / "fredgraph.csv").write_text(
        "DATE,10y yield\n2024-01-02,3.9\n", encoding="utf-8"
    )
    with pytest.raises(SourceFormatError, match="needs series ids"):
        read(folder)


def test_bad_series_info_skipped(tmp_path: Path) -> None:
    body = {
        "seriess": [
            {"id": "GDP", "last_updated": "2024-10-30 07:54:01-05", "popularity": 93},
            {"id": "DGS10", "last_updated": "2024-10-30 07:54:01"},
            {"id": "DGS2", "popularity": "high"},
        ]
    }
    write_json(tmp_path / "fred", "series_info.json", body)
    rows, ctx = read(tmp_path / "fred")
    assert [r["series_id"] for r in rows["fred_series"]] == ["GDP"]
    assert ctx.skips["invalid series metadata"] == 2
