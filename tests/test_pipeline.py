"""End to end on the real recorded files: load every source, build, check.

One warehouse is loaded and built once per module; the leakage test copies
it, removes everything published after a cut-off date and rebuilds.
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
from ingest.runner import load_many
from tests.conftest import realdata_path

pytestmark = [pytest.mark.realdata, pytest.mark.dbt]

SOURCES = [
    "cftc",
    "databento",
    "eia",
    "fred",
    "news",
    "prices",
    "truthsocial",
    "usda",
    "weather",
]
# A date inside the real ZL, FRED and COT histories.
CUTOFF = date(2021, 2, 10)


def _raw_counts(db_path: Path) -> dict[str, int]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'raw' and table_name not like '\\_dlt%' escape '\\'"
        ).fetchall()
        return {
            name: con.execute(f'select count(*) from raw."{name}"').fetchone()[0]
            for (name,) in tables
        }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    realdata = realdata_path()
    db_path = tmp_path_factory.mktemp("e2e") / "zl.duckdb"
    results = load_many(SOURCES, realdata, db_path=db_path)
    failed = [r.message for r in results if r.status != "success"]
    assert failed == []
    build(db_path)
    return db_path


def _query(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_training_rows_from_real_history(built: Path) -> None:
    first, last, rows = _query(
        built,
        "select min(trade_date), max(trade_date), count(*) "
        "from training.daily_ml_matrix_train",
    )[0]
    assert first.year == 2004
    assert last == date(2016, 12, 30)
    assert rows > 3000


def test_val_and_test_splits_filled(built: Path) -> None:
    for split in ("val", "test"):
        (rows,) = _query(
            built, f"select count(*) from training.daily_ml_matrix_{split}"
        )[0]
        assert rows > 500, split


def test_splits_disjoint_with_purge_gap(built: Path) -> None:
    sessions = _query(
        built,
        """
        with indexed as (
            select trade_date, row_number() over (order by trade_date) as n
            from features.daily_ml_matrix
        ),
        labelled as (
            select 'train' as split, trade_date from training.daily_ml_matrix_train
            union all
            select 'val', trade_date from training.daily_ml_matrix_val
            union all
            select 'test', trade_date from training.daily_ml_matrix_test
        )
        select split, min(n), max(n), count(*), count(distinct trade_date)
        from labelled join indexed using (trade_date)
        group by split
        """,
    )
    bounds = {row[0]: row[1:] for row in sessions}
    assert bounds["val"][0] - bounds["train"][1] > 20
    assert bounds["test"][0] - bounds["val"][1] > 20
    for split, (_, _, rows, distinct) in bounds.items():
        assert rows == distinct, split


def test_matrix_has_no_weekend_rows(built: Path) -> None:
    (weekend,) = _query(
        built,
        "select count(*) from features.daily_ml_matrix "
        "where isodow(trade_date) in (6, 7)",
    )[0]
    assert weekend == 0


def test_cot_first_visible_after_release(built: Path) -> None:
    # The soybean oil report of Tuesday 2021-01-05 was released on Friday
    # 2021-01-08 at 15:30 New York time, after that day's 13:20 Chicago
    # decision time, so Monday 2021-01-11 is the first session to see it.
    rows = _query(
        built,
        """
        select trade_date, cot_zl_managed_money_net
        from features.daily_ml_matrix
        where cot_zl_report_date = date '2021-01-05'
        order by trade_date
        """,
    )
    assert rows[0][0] == date(2021, 1, 11)
    # Managed money long 117378 minus short 8220 in the yearly file.
    assert rows[0][1] == 109158


def test_cot_release_instant(built: Path) -> None:
    (available_at,) = _query(
        built,
        "select available_at from staging.cftc_cot "
        "where report_date = date '2021-01-05' and market_code = '007601'",
    )[0]
    assert available_at.isoformat().startswith("2021-01-08T20:30:00")


def test_reload_adds_no_rows(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "reload.duckdb"
    shutil.copy(built, copy)
    before = _raw_counts(copy)
    results = load_many(SOURCES, realdata_path(), db_path=copy)
    assert [r.status for r in results] == ["success"] * len(SOURCES)
    assert _raw_counts(copy) == before


def _matrix_until(db_path: Path, day: date) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        frame = con.execute(
            "select * from features.daily_ml_matrix where trade_date <= ? "
            "order by trade_date",
            [day],
        ).df()
    features = [c for c in frame.columns if not c.startswith("target_")]
    return frame[features]


def test_removing_later_data_changes_no_feature(built: Path, tmp_path: Path) -> None:
    """Features up to a date are identical with everything after it removed."""
    truncated = tmp_path / "truncated.duckdb"
    shutil.copy(built, truncated)
    with duckdb.connect(str(truncated)) as con:
        con.execute("delete from raw.vendor_prices where trade_date > ?", [CUTOFF])
        con.execute(
            "delete from raw.databento_futures_ohlcv_1d where trade_date > ?", [CUTOFF]
        )
        con.execute(
            "delete from raw.fred_economic where coalesce(realtime_start, "
            "observation_date) > ?",
            [CUTOFF],
        )
        con.execute(
            "delete from raw.cftc_cot_disaggregated where report_date > ?", [CUTOFF]
        )
        con.execute("delete from raw.eia_observations where period_date > ?", [CUTOFF])
        con.execute("delete from raw.usda_wasde where release_date > ?", [CUTOFF])
        con.execute("delete from raw.weather_noaa where observation_date > ?", [CUTOFF])
        con.execute(
            "delete from raw.scrapecreators_news_buckets "
            "where cast(published_at as date) > ?",
            [CUTOFF],
        )
        con.execute(
            "delete from raw.scrapecreators_trump where cast(created_at as date) > ?",
            [CUTOFF],
        )
    build(truncated, allow_stale=True)

    full = _matrix_until(built, CUTOFF)
    cut = _matrix_until(truncated, CUTOFF)
    assert len(full) == len(cut)
    assert list(full.columns) == list(cut.columns)
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
