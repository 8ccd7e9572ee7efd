"""WASDE downloads against a loopback server, and reissued files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingest.http import HttpError, RetryPolicy
from ingest.runner import load_source
from ingest.source import LoadContext, Window
from ingest.usda.files import read_files
from ingest.usda.wasde_api import fetch_wasde, report_months
from tests.conftest import realdata_path
from tests.loopback import Reply

WASDE_NAME = "wasde_oce-wasde-report-data-2026-09_excerpt.csv"
FAST = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)


def _reissue(text: str) -> str:
    """A corrected file: new release date, one value changed, one row gone."""
    lines = text.splitlines()
    dropped = [
        line
        for line in lines
        if '"China","2026/27","Proj.","Annual","21.56"' not in line
    ]
    corrected = "\n".join(dropped).replace("2026-09-11", "2026-09-14")
    return corrected.replace('"14.94"', '"15.10"') + "\n"


def test_report_months_span_years():
    months = report_months(date(2025, 11, 20), date(2026, 2, 1))
    assert months == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]


@pytest.mark.realdata
def test_download_and_missing_month(monkeypatch, loopback):
    monkeypatch.setenv("ZL_WASDE_BASE_URL", loopback.url + "/files")
    body = realdata_path("usda", WASDE_NAME).read_bytes()
    loopback.add("/files/oce-wasde-report-data-2026-09.csv", Reply(200, body))
    loopback.add("/files/oce-wasde-report-data-2026-10.csv", Reply(404, "not found"))
    window = Window(start=date(2026, 9, 1), end=date(2026, 10, 31))
    ctx = LoadContext(source="usda", window=window, retry=FAST)
    rows = [r for _, table in fetch_wasde(ctx) for r in table.to_pylist()]
    assert len(rows) == 30
    assert {r["source"] for r in rows} == {"api"}
    assert ctx.skips["WASDE file not found"] == 1


def test_download_server_error_raises(monkeypatch, loopback):
    monkeypatch.setenv("ZL_WASDE_BASE_URL", loopback.url)
    loopback.add("/oce-wasde-report-data-2026-09.csv", Reply(502, "bad gateway"))
    window = Window(start=date(2026, 9, 1), end=date(2026, 9, 30))
    ctx = LoadContext(source="usda", window=window, retry=FAST)
    with pytest.raises(HttpError):
        list(fetch_wasde(ctx))
    assert len(loopback.requests_to("/oce-wasde-report-data-2026-09.csv")) == 3


@pytest.mark.realdata
def test_reissue_in_one_folder_keeps_later(tmp_path):
    original = realdata_path("usda", WASDE_NAME).read_text()
    (tmp_path / "a_original.csv").write_text(original)
    (tmp_path / "b_corrected.csv").write_text(_reissue(original))
    ctx = LoadContext(source="usda")
    rows = [r for _, t in read_files(tmp_path, ctx) for r in t.to_pylist()]
    assert len(rows) == 30
    us = [
        r
        for r in rows
        if r["region"] == "United States" and r["attribute"] == "Production"
    ]
    assert us[0]["value"] == 15.10
    china = [
        r for r in rows if r["region"] == "China" and r["attribute"] == "Production"
    ]
    assert china[0]["release_date"] == date(2026, 9, 11)


def _wasde_rows(db_path: Path) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "select commodity, region, attribute, value, release_date "
            "from raw.usda_wasde"
        ).fetchall()


@pytest.mark.realdata
def test_reissue_replaces_raw_rows(tmp_path, warehouse):
    landing = tmp_path / "landing"
    (landing / "usda").mkdir(parents=True)
    path = landing / "usda" / "oce-wasde-report-data-2026-09.csv"
    path.write_text(realdata_path("usda", WASDE_NAME).read_text())
    first = load_source("usda", from_dir=landing, window=Window(), db_path=warehouse)
    assert first.status == "success"
    path.write_text(_reissue(path.read_text()))
    second = load_source("usda", from_dir=landing, window=Window(), db_path=warehouse)
    assert second.status == "success"
    raw = _wasde_rows(warehouse)
    rows = {(r[0], r[1], r[2]): r for r in raw}
    # 29 cells replaced in place; the cell the correction dropped stays
    # with the old release date (staging drops it).
    assert len(raw) == 30
    us = rows[("Soybean Oil", "United States", "Production")]
    assert us[3] == 15.10
    assert us[4] == date(2026, 9, 14)
    assert rows[("Soybean Oil", "China", "Production")][4] == date(2026, 9, 11)
