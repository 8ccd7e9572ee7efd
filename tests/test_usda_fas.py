"""The FAS OpenData client against a loopback server.

No FAS response was recorded, so every body here is built by hand from the
documented record shapes (camelCase fields, ESR `weekEndingDate` as
`YYYY-MM-DDT00:00:00`, PSD codes as strings). These tests check the
client's requests and parsing, not the live API's shapes.
"""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest

from ingest.http import HttpError, RetryPolicy
from ingest.source import LoadContext, SourceFormatError, Window
from ingest.usda.fas import fetch_fas, parse_esr
from ingest.usda.files import read_files
from ingest.usda.settings import ESR_COMMODITIES, PSD_COMMODITIES
from tests.loopback import Reply

SECRET = "fas-secret-key-0815"
FAST = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)
ESR_OIL = "/esr/exports/commodityCode/902/allCountries/marketYear/2024"
PSD_OIL = "/psd/commodity/4232000/country/all/year/2024"

HAND_MADE_ESR = [
    {
        "commodityCode": 902,
        "countryCode": 2010,
        "weeklyExports": 1500,
        "accumulatedExports": 40000,
        "outstandingSales": 12000,
        "grossNewSales": 2500,
        "currentMYNetSales": 2300,
        "currentMYTotalCommitment": 52000,
        "nextMYOutstandingSales": 0,
        "nextMYNetSales": 0,
        "unitId": 1,
        "weekEndingDate": "2024-03-07T00:00:00",
    }
]
HAND_MADE_PSD = [
    {
        "commodityCode": "4232000",
        "countryCode": "US",
        "marketYear": "2024",
        "calendarYear": "2024",
        "month": "10",
        "attributeId": 28,
        "unitId": 8,
        "value": 12500.0,
    }
]


@pytest.fixture
def fas(monkeypatch, loopback):
    monkeypatch.setenv("ZL_FAS_BASE_URL", loopback.url)
    monkeypatch.setenv("FAS_API_KEY", SECRET)
    loopback.add(ESR_OIL, Reply(200, HAND_MADE_ESR))
    loopback.add(PSD_OIL, Reply(200, HAND_MADE_PSD))
    loopback.add(
        "/psd/commodityAttributes",
        Reply(200, [{"attributeId": 28, "attributeName": "Production"}]),
    )
    loopback.add(
        "/psd/unitsOfMeasure",
        Reply(200, [{"unitId": 8, "unitDescription": "(1000 MT)"}]),
    )
    for year in (2024, 2025):
        for code in ESR_COMMODITIES:
            path = f"/esr/exports/commodityCode/{code}/allCountries/marketYear/{year}"
            loopback.add(path, Reply(200, []))
        for code in PSD_COMMODITIES:
            loopback.add(
                f"/psd/commodity/{code}/country/all/year/{year}", Reply(200, [])
            )
    return loopback


def _ctx() -> LoadContext:
    window = Window(start=date(2024, 1, 1), end=date(2024, 12, 31))
    return LoadContext(source="usda", window=window, retry=FAST)


def _tables(ctx: LoadContext) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    for spec, table in fetch_fas(ctx):
        tables.setdefault(spec.name, []).extend(table.to_pylist())
    return tables


def test_esr_rows_from_hand_made_body(fas):
    rows = _tables(_ctx())["usda_fas_export_sales"]
    assert len(rows) == 1
    assert rows[0]["week_ending_date"] == date(2024, 3, 7)
    assert rows[0]["current_my_net_sales"] == 2300.0
    assert rows[0]["market_year"] == 2024
    assert rows[0]["country_code"] == 2010


def test_psd_rows_named_from_lookups(fas):
    rows = _tables(_ctx())["usda_fas_psd"]
    assert len(rows) == 1
    assert rows[0]["attribute_name"] == "Production"
    assert rows[0]["unit_description"] == "(1000 MT)"
    assert rows[0]["value"] == 12500.0
    assert rows[0]["month"] == 10


def test_key_sent_in_header(fas):
    _tables(_ctx())
    request = fas.requests_to(ESR_OIL)[0]
    assert request.headers["api_key"] == SECRET
    assert "api_key" not in request.query


def test_market_years_requested(fas):
    _tables(_ctx())
    paths = {r.path for r in fas.requests}
    assert "/esr/exports/commodityCode/801/allCountries/marketYear/2025" in paths
    assert "/psd/commodity/2222000/country/all/year/2024" in paths


def test_rejected_key_not_logged(monkeypatch, loopback, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("ZL_FAS_BASE_URL", loopback.url)
    monkeypatch.setenv("FAS_API_KEY", SECRET)
    loopback.add(
        "/esr/exports/commodityCode/801/allCountries/marketYear/2024",
        Reply(401, {"message": f"invalid API_KEY {SECRET}"}),
    )
    with pytest.raises(HttpError) as raised:
        _tables(_ctx())
    assert raised.value.status == 401
    assert SECRET not in str(raised.value)
    assert SECRET not in caplog.text


def test_500_until_attempts_run_out(monkeypatch, loopback):
    monkeypatch.setenv("ZL_FAS_BASE_URL", loopback.url)
    monkeypatch.setenv("FAS_API_KEY", SECRET)
    path = "/esr/exports/commodityCode/801/allCountries/marketYear/2024"
    loopback.add(path, Reply(500, "internal error"))
    with pytest.raises(HttpError):
        _tables(_ctx())
    assert len(loopback.requests_to(path)) == 3


def test_object_body_raises(monkeypatch, loopback):
    monkeypatch.setenv("ZL_FAS_BASE_URL", loopback.url)
    monkeypatch.setenv("FAS_API_KEY", SECRET)
    path = "/esr/exports/commodityCode/801/allCountries/marketYear/2024"
    loopback.add(path, Reply(200, {"unexpected": True}))
    with pytest.raises(SourceFormatError, match="JSON list"):
        _tables(_ctx())


def test_invalid_esr_record_skipped():
    bad = [{**HAND_MADE_ESR[0], "weeklyExports": "lots"}, HAND_MADE_ESR[0]]
    ctx = _ctx()
    rows = parse_esr(bad, 2024, "api", ctx, "hand-made body")
    assert len(rows) == 1
    assert ctx.skips["invalid ESR record"] == 1


def test_saved_fas_files_read(tmp_path):
    (tmp_path / "esr.json").write_text(json.dumps(HAND_MADE_ESR))
    (tmp_path / "psd.json").write_text(json.dumps(HAND_MADE_PSD))
    ctx = LoadContext(source="usda")
    tables = {s.name: t.to_pylist() for s, t in read_files(tmp_path, ctx)}
    assert tables["usda_fas_export_sales"][0]["market_year"] is None
    assert tables["usda_fas_psd"][0]["attribute_name"] is None
