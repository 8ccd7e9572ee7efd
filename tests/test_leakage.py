"""Leakage on the synthetic demo data, where every source has rows.

The whole warehouse is loaded and built once; a copy then loses every raw
row dated after a cut-off and is rebuilt. No matrix feature on or before
the cut-off may change. The real-data version of this test is in
test_pipeline.py; this one also covers the sources that have no real
history in the matrix's date range.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from ingest.build import build
from ingest.demo import write_landing
from ingest.runner import load_many

pytestmark = pytest.mark.dbt

CUTOFF = date(2019, 6, 12)

# The column that dates each raw row: nothing dated after the cut-off can
# have been published by the cut-off's decision time.
REFERENCE_DATE = {
    "cftc_cot_disaggregated": "report_date",
    "databento_definitions": "ts_recv",
    "databento_futures_ohlcv_1d": "trade_date",
    "databento_statistics": "ts_recv",
    "eia_observations": "period_date",
    "fred_economic": "coalesce(realtime_start, observation_date)",
    "scrapecreators_news_buckets": "published_at",
    "scrapecreators_trump": "created_at",
    "usda_fas_export_sales": "week_ending_date",
    "usda_nass_quickstats": "coalesce(load_time, week_ending)",
    "usda_wasde": "release_date",
    "vendor_prices": "trade_date",
    "weather_location_daily": "observation_date",
    "weather_noaa": "observation_date",
}
# Tables without a date of their own (metadata, credits, yearly balances
# that staging dates by their update month) stay as they are.
UNDATED = {"fred_series", "scrapecreators_credits", "usda_fas_psd"}


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("leakage")
    landing = folder / "landing"
    written = write_landing(landing)
    db_path = folder / "full.duckdb"
    results = load_many(sorted(written), landing, db_path=db_path)
    assert [r.message for r in results if r.status != "success"] == []
    build(db_path)
    return db_path


def _raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'raw' and table_name not like '\\_dlt%' escape '\\'"
    ).fetchall()
    return [name for (name,) in rows]


def test_every_raw_table_is_dated(demo_warehouse: Path) -> None:
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        tables = set(_raw_tables(con))
    assert tables - set(REFERENCE_DATE) - UNDATED == set()


def test_statistics_dated_by_session(demo_warehouse: Path) -> None:
    # The synthetic settlement of a session is that session's close, and
    # Databento stamps its ts_ref at 00:00 UTC of the session date.
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        settled, differing = con.execute(
            "select count(settlement), "
            "count(*) filter (where settlement <> close) "
            "from staging.market_daily where price_source = 'databento'"
        ).fetchone()
    assert settled > 0
    assert differing == 0


def _features(db_path: Path) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        frame = con.execute(
            "select * from features.daily_ml_matrix where trade_date <= ? "
            "order by trade_date",
            [CUTOFF],
        ).df()
    return frame[[c for c in frame.columns if not c.startswith("target_")]]


def test_later_rows_change_no_feature(demo_warehouse: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.duckdb"
    shutil.copy(demo_warehouse, truncated)
    with duckdb.connect(str(truncated)) as con:
        for table in _raw_tables(con):
            if table in UNDATED:
                continue
            column = REFERENCE_DATE[table]
            con.execute(
                f'delete from raw."{table}" where cast({column} as date) > ?',
                [CUTOFF],
            )
    build(truncated, allow_stale=True)

    full = _features(demo_warehouse)
    cut = _features(truncated)
    assert len(full) == len(cut)
    assert list(full.columns) == list(cut.columns)
    filled = [c for c in full.columns if full[c].notna().any()]
    # The demo must exercise every block of the matrix for this to mean much.
    for prefix in (
        "zl_",
        "cot_zl_",
        "fred_",
        "stocks_to_use",
        "us_midwest_",
        "fx_",
        "corr_",
        "beta_",
        "vol_regime",
        "cot_mm_",
        "trump_events_",
    ):
        assert any(c.startswith(prefix) for c in filled), prefix
    for column in full.columns:
        left, right = full[column], cut[column]
        if pd.api.types.is_float_dtype(left):
            # The cross-asset tables round to 10 decimals, so a last-bit
            # difference in a window sum can move a value by 1e-10.
            same = np.isclose(left, right, rtol=1e-12, atol=1e-9, equal_nan=True)
        else:
            same = (left == right) | (left.isna() & right.isna())
        changed = full.loc[~np.asarray(same), "trade_date"].tolist()
        assert changed == [], f"{column} changed on {changed[:5]}"
