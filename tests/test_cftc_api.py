"""The live CFTC loader against the loopback server.

Socrata pages are built from the soybean rows of the recorded yearly text
file, converted to Socrata's shape: every value a string, dates as floating
timestamps, codes with their trailing space kept.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from ingest.cftc.api import fetch_api, fetch_socrata, fetch_window, plan_fetch
from ingest.cftc.settings import seeded_markets
from ingest.http import HttpError, RetryPolicy
from ingest.source import LoadContext, SourceFormatError, Window
from tests.conftest import realdata_path
from tests.loopback import Reply

TEXT_NAME = "cftc_fut_disagg_f_year_2021_Q1_soy_complex_energy.txt"
SOCRATA_PATH = "/resource/72hh-3qpy.json"
HISTORY_PATH = "/files/dea/history/"
SOYBEAN_CODES = ("007601", "005602", "026603")
TOKEN = "zl-test-app-token-5f3a"
FAST = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)
Q1_2021 = Window(date(2021, 1, 1), date(2021, 3, 31))

# Text header -> Socrata field, for the fields the loader reads.
SOCRATA_NAMES = {
    "Market_and_Exchange_Names": "market_and_exchange_names",
    "As_of_Date_In_Form_YYMMDD": "as_of_date_in_form_yymmdd",
    "CFTC_Contract_Market_Code": "cftc_contract_market_code",
    "CFTC_Market_Code": "cftc_market_code",
    "CFTC_Region_Code": "cftc_region_code",
    "CFTC_Commodity_Code": "cftc_commodity_code",
    "Open_Interest_All": "open_interest_all",
    "Prod_Merc_Positions_Long_All": "prod_merc_positions_long",
    "Prod_Merc_Positions_Short_All": "prod_merc_positions_short",
    "Swap_Positions_Long_All": "swap_positions_long_all",
    "Swap__Positions_Short_All": "swap__positions_short_all",
    "Swap__Positions_Spread_All": "swap__positions_spread_all",
    "M_Money_Positions_Long_All": "m_money_positions_long_all",
    "M_Money_Positions_Short_All": "m_money_positions_short_all",
    "M_Money_Positions_Spread_All": "m_money_positions_spread",
    "Other_Rept_Positions_Long_All": "other_rept_positions_long",
    "Other_Rept_Positions_Short_All": "other_rept_positions_short",
    "Other_Rept_Positions_Spread_All": "other_rept_positions_spread",
    "Tot_Rept_Positions_Long_All": "tot_rept_positions_long_all",
    "Tot_Rept_Positions_Short_All": "tot_rept_positions_short",
    "NonRept_Positions_Long_All": "nonrept_positions_long_all",
    "NonRept_Positions_Short_All": "nonrept_positions_short_all",
    "Traders_Tot_All": "traders_tot_all",
    "Traders_M_Money_Long_All": "traders_m_money_long_all",
    "Traders_M_Money_Short_All": "traders_m_money_short_all",
    "Contract_Units": "contract_units",
    "FutOnly_or_Combined": "futonly_or_combined",
}
# Fields Socrata sends trimmed; codes keep their trailing space.
PADDED = {"cftc_market_code", "cftc_commodity_code"}


def _soybean_records() -> list[dict[str, str]]:
    """Return the soybean rows of the recorded file in Socrata's shape, oldest first."""
    path = realdata_path("cftc", TEXT_NAME)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["CFTC_Contract_Market_Code"]]
    records = []
    for row in rows:
        if row["CFTC_Contract_Market_Code"] not in SOYBEAN_CODES:
            continue
        code = row["CFTC_Contract_Market_Code"]
        day = row["Report_Date_as_YYYY-MM-DD"]
        record = {
            "id": f"{row['As_of_Date_In_Form_YYMMDD']}{code}F",
            "report_date_as_yyyy_mm_dd": f"{day}T00:00:00.000",
        }
        for text_name, socrata_name in SOCRATA_NAMES.items():
            value = row[text_name]
            if socrata_name not in PADDED:
                value = value.strip()
            if value != ".":
                record[socrata_name] = value
        records.append(record)
    records.sort(
        key=lambda r: (r["report_date_as_yyyy_mm_dd"], r["cftc_contract_market_code"])
    )
    return records


def _offset_is(offset: int):
    return lambda request: request.param("$offset") == str(offset)


def _ctx(window: Window = Q1_2021) -> LoadContext:
    return LoadContext(source="cftc", window=window, retry=FAST)


def _collect(batches) -> pa.Table:
    tables = [table for _, table in batches]
    if not tables:
        return pa.table({})
    return pa.concat_tables(tables)


@pytest.fixture
def socrata(loopback, monkeypatch):
    monkeypatch.setenv("ZL_CFTC_BASE_URL", loopback.url)
    monkeypatch.delenv("CFTC_APP_TOKEN", raising=False)
    return loopback


def _serve_pages(server, records: list[dict], page_size: int) -> None:
    for offset in range(0, len(records) + 1, page_size):
        page = records[offset : offset + page_size]
        server.add(SOCRATA_PATH, Reply(200, page), when=_offset_is(offset))


def _fetch(ctx: LoadContext, page_size: int = 10) -> pa.Table:
    batches = fetch_socrata(
        ctx, date(2021, 1, 1), date(2021, 3, 31), seeded_markets(), page_size
    )
    return _collect(batches)


# --- Socrata paging -----------------------------------------------------------


def test_paging_row_count(socrata):
    _serve_pages(socrata, _soybean_records(), 10)
    assert _fetch(_ctx()).num_rows == 33


def test_paging_offsets(socrata):
    _serve_pages(socrata, _soybean_records(), 10)
    _fetch(_ctx())
    offsets = [r.param("$offset") for r in socrata.requests_to(SOCRATA_PATH)]
    assert offsets == ["0", "10", "20", "30"]


def test_paging_exact_multiple(socrata):
    records = _soybean_records()[:30]
    _serve_pages(socrata, records, 10)
    assert _fetch(_ctx()).num_rows == 30
    assert len(socrata.requests_to(SOCRATA_PATH)) == 4


def test_query_parameters(socrata):
    _serve_pages(socrata, _soybean_records(), 10)
    _fetch(_ctx())
    first = socrata.requests_to(SOCRATA_PATH)[0]
    where = first.param("$where") or ""
    assert "'007601'" in where
    assert "between '2021-01-01T00:00:00' and '2021-03-31T00:00:00'" in where
    assert first.param("$limit") == "10"
    assert first.param("$order") == (
        "report_date_as_yyyy_mm_dd,cftc_contract_market_code"
    )


def test_socrata_values(socrata):
    _serve_pages(socrata, _soybean_records(), 10)
    rows = _fetch(_ctx()).to_pylist()
    row = next(
        r
        for r in rows
        if r["market_code"] == "007601" and r["report_date"] == date(2021, 3, 16)
    )
    assert row["open_interest"] == 496726
    assert row["m_money_long"] == 114556
    assert row["m_money_short"] == 18060
    assert row["exchange_code"] == "CBT"
    assert row["commodity_code"] == "007"
    assert row["source"] == "socrata"


def test_socrata_matches_file(socrata, tmp_path):
    from ingest.cftc.files import read_files

    _serve_pages(socrata, _soybean_records(), 10)
    api_rows = _fetch(_ctx()).drop_columns(["source", "_loaded_at"]).to_pylist()
    folder = tmp_path / "cftc"
    folder.mkdir()
    (folder / TEXT_NAME).symlink_to(realdata_path("cftc", TEXT_NAME))
    file_table = _collect(read_files(folder, _ctx()))
    file_rows = [
        r
        for r in file_table.drop_columns(["source", "_loaded_at"]).to_pylist()
        if r["market_code"] in SOYBEAN_CODES
    ]

    def key(r):
        return r["report_date"], r["market_code"]

    assert sorted(api_rows, key=key) == sorted(file_rows, key=key)


def test_missing_field_is_null(socrata):
    # Soybean oil 2021-03-16 has `.` in an unstored column only; drop a
    # stored one to check that an omitted Socrata field reads as NULL.
    records = _soybean_records()
    del records[-1]["traders_m_money_short_all"]
    _serve_pages(socrata, records, 100)
    rows = _fetch(_ctx(), page_size=100).to_pylist()
    assert rows[-1]["traders_m_money_short"] is None


# --- retries and errors ---------------------------------------------------------


def test_429_then_success(socrata):
    records = _soybean_records()[:5]
    socrata.add(
        SOCRATA_PATH,
        Reply(429, {"message": "slow down"}, headers={"Retry-After": "0"}),
        Reply(200, records),
    )
    assert _fetch(_ctx()).num_rows == 5
    assert len(socrata.requests_to(SOCRATA_PATH)) == 2


def test_5xx_exhausts_attempts(socrata):
    socrata.add(SOCRATA_PATH, Reply(503, "Service Unavailable"))
    with pytest.raises(HttpError, match="after 3 attempts"):
        _fetch(_ctx())
    assert len(socrata.requests_to(SOCRATA_PATH)) == 3


def test_bad_token(socrata, monkeypatch, caplog):
    monkeypatch.setenv("CFTC_APP_TOKEN", TOKEN)
    body = {
        "code": "invalid_app_token",
        "error": True,
        "message": "Invalid app_token specified",
    }
    socrata.add(SOCRATA_PATH, Reply(403, body))
    with caplog.at_level(logging.DEBUG), pytest.raises(HttpError) as caught:
        _fetch(_ctx())
    assert caught.value.status == 403
    assert "CFTC_APP_TOKEN" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in caplog.text


def test_token_sent_in_header(socrata, monkeypatch, caplog):
    monkeypatch.setenv("CFTC_APP_TOKEN", TOKEN)
    socrata.add(SOCRATA_PATH, Reply(200, _soybean_records()[:2]))
    with caplog.at_level(logging.DEBUG):
        rows = _fetch(_ctx()).to_pylist()
    request = socrata.requests_to(SOCRATA_PATH)[0]
    assert request.headers.get("x-app-token") == TOKEN
    assert TOKEN not in request.query.get("$where", [""])[0]
    assert TOKEN not in caplog.text
    assert all(TOKEN not in str(value) for row in rows for value in row.values())


def test_no_token_no_header(socrata):
    socrata.add(SOCRATA_PATH, Reply(200, []))
    _fetch(_ctx())
    assert "x-app-token" not in socrata.requests_to(SOCRATA_PATH)[0].headers


def test_empty_result(socrata):
    socrata.add(SOCRATA_PATH, Reply(200, []))
    assert (
        list(
            fetch_socrata(_ctx(), date(2021, 1, 1), date(2021, 1, 2), seeded_markets())
        )
        == []
    )
    assert len(socrata.requests_to(SOCRATA_PATH)) == 1


def test_error_object_body(socrata):
    socrata.add(SOCRATA_PATH, Reply(200, {"error": True, "message": "bad query"}))
    with pytest.raises(SourceFormatError, match="expected a JSON list"):
        _fetch(_ctx())


def test_legacy_dataset_rejected(socrata):
    legacy = realdata_path(
        "cftc", "openbb_socrata_jun7-fc8e_legacy_combined_239747_2024-08-20.json"
    )
    socrata.add(SOCRATA_PATH, Reply(200, legacy.read_bytes()))
    with pytest.raises(SourceFormatError, match="Legacy"):
        _fetch(_ctx())


# --- planning and the yearly history zips ----------------------------------


def test_plan_current_year_only():
    plan = plan_fetch(Window(), date(2024, 5, 10))
    assert plan.history_files == []
    assert (plan.socrata_start, plan.socrata_end) == (
        date(2024, 1, 1),
        date(2024, 5, 10),
    )


def test_plan_history_years():
    plan = plan_fetch(Window(date(2015, 3, 1), date(2018, 2, 1)), date(2024, 5, 10))
    assert plan.history_files == [
        "fut_disagg_txt_hist_2006_2016.zip",
        "fut_disagg_txt_2017.zip",
        "fut_disagg_txt_2018.zip",
    ]
    assert plan.socrata_start is None


def test_plan_spans_new_year():
    plan = plan_fetch(Window(date(2023, 6, 1), date(2024, 3, 31)), date(2024, 5, 10))
    assert plan.history_files == ["fut_disagg_txt_2023.zip"]
    assert plan.socrata_start == date(2024, 1, 1)
    assert plan.socrata_end == date(2024, 3, 31)


def test_plan_before_report_began():
    plan = plan_fetch(Window(date(1999, 1, 1), date(2005, 12, 31)), date(2024, 5, 10))
    assert plan.history_files == []
    assert plan.socrata_start is None


def test_plan_future_window():
    plan = plan_fetch(Window(date(2030, 1, 1), None), date(2024, 5, 10))
    assert plan == type(plan)()


def _zip_bytes(real_text: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(real_text, "f_year.txt")
    return buffer.getvalue()


@pytest.fixture
def history(socrata, monkeypatch):
    monkeypatch.setenv("ZL_CFTC_HISTORY_URL", socrata.url + HISTORY_PATH)
    return socrata


def test_history_zip_download(history):
    zip_path = HISTORY_PATH + "fut_disagg_txt_2021.zip"
    history.add(zip_path, Reply(200, _zip_bytes(realdata_path("cftc", TEXT_NAME))))
    table = _collect(fetch_window(_ctx(), date(2022, 6, 1)))
    assert table.num_rows == 77
    assert set(table.column("source").to_pylist()) == {"fut_disagg_txt_2021.zip"}
    assert history.requests_to(SOCRATA_PATH) == []


def test_history_zip_window(history):
    zip_path = HISTORY_PATH + "fut_disagg_txt_2021.zip"
    history.add(zip_path, Reply(200, _zip_bytes(realdata_path("cftc", TEXT_NAME))))
    window = Window(date(2021, 3, 1), date(2021, 3, 31))
    table = _collect(fetch_window(_ctx(window), date(2022, 6, 1)))
    assert table.num_rows == 21


def test_history_then_socrata(history):
    zip_path = HISTORY_PATH + "fut_disagg_txt_2021.zip"
    history.add(zip_path, Reply(200, _zip_bytes(realdata_path("cftc", TEXT_NAME))))
    history.add(SOCRATA_PATH, Reply(200, []))
    window = Window(date(2021, 1, 1), date(2022, 1, 31))
    table = _collect(fetch_window(_ctx(window), date(2022, 2, 15)))
    assert table.num_rows == 77
    where = history.requests_to(SOCRATA_PATH)[0].param("$where") or ""
    assert "'2022-01-01T00:00:00' and '2022-01-31T00:00:00'" in where


def test_history_zip_missing(history):
    history.add(HISTORY_PATH + "fut_disagg_txt_2021.zip", Reply(404, "Not Found"))
    with pytest.raises(HttpError, match="404"):
        list(fetch_window(_ctx(), date(2022, 6, 1)))


def test_history_zip_not_a_zip(history):
    history.add(
        HISTORY_PATH + "fut_disagg_txt_2021.zip", Reply(200, "<html>moved</html>")
    )
    with pytest.raises(SourceFormatError, match="fut_disagg_txt_2021.zip"):
        list(fetch_window(_ctx(), date(2022, 6, 1)))


def test_fetch_api_current_year(socrata):
    socrata.add(SOCRATA_PATH, Reply(200, []))
    assert list(fetch_api(_ctx(Window()))) == []
    assert len(socrata.requests_to(SOCRATA_PATH)) == 1
