"""Cross-asset and regime feature tables on a demo build.

The demo warehouse is loaded and built once. Correlations with palm oil and
the volatility percentile are recomputed from staging.market_daily with
pandas, independently of the SQL, and compared row by row. A copy that
loses every raw row dated after a cut-off is rebuilt, and no row of the
four tables on or before the cut-off may change.
"""

from __future__ import annotations

import shutil
from datetime import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from ingest.build import build
from ingest.demo import write_landing
from ingest.runner import load_many
from tests.test_leakage import CUTOFF, REFERENCE_DATE, UNDATED, _raw_tables

pytestmark = pytest.mark.dbt

PALM = "FCPO"
TARGET = "ZL"
TABLES = (
    "fx_indicators_daily",
    "pair_correlations_daily",
    "cross_asset_betas_daily",
    "regime_indicators_daily",
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cross_asset")
    landing = folder / "landing"
    written = write_landing(landing)
    db_path = folder / "demo.duckdb"
    results = load_many(sorted(written), landing, db_path=db_path)
    assert [r.message for r in results if r.status != "success"] == []
    build(db_path)
    return db_path


def _query(db_path: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).df()


def _market(db_path: Path, symbol: str) -> pd.DataFrame:
    return _query(
        db_path,
        "select trade_date, roll_adjusted_log_return, available_at "
        f"from staging.market_daily where symbol = '{symbol}' order by trade_date",
    )


def test_palm_bars_loaded(warehouse: Path) -> None:
    palm = _market(warehouse, PALM)
    assert len(palm) > 3000


def test_palm_available_at_close(warehouse: Path) -> None:
    palm = _market(warehouse, PALM)
    local = palm["available_at"].dt.tz_convert("Asia/Kuala_Lumpur")
    assert set(local.dt.time) == {time(18, 0)}


def _as_of(spine: pd.DataFrame, windows: pd.DataFrame, column: str) -> pd.Series:
    """Return, per spine row, `column` of the latest window public by its decision."""
    joined = pd.merge_asof(
        spine.sort_values("decision_at"),
        windows.sort_values("available_at")[["available_at", "trade_date", column]],
        left_on="decision_at",
        right_on="available_at",
        suffixes=("", "_window"),
    )
    return joined.set_index("trade_date")[column]


def test_palm_corr_matches_pandas(warehouse: Path) -> None:
    target = _market(warehouse, TARGET).dropna(subset=["roll_adjusted_log_return"])
    palm = _market(warehouse, PALM).dropna(subset=["roll_adjusted_log_return"])
    pairs = target.merge(palm, on="trade_date", suffixes=("_zl", "_palm"))
    pairs["corr"] = (
        pairs["roll_adjusted_log_return_zl"]
        .rolling(20)
        .corr(pairs["roll_adjusted_log_return_palm"])
    )
    pairs["available_at"] = (
        pairs[["available_at_zl", "available_at_palm"]].max(axis=1).cummax()
    )
    windows = pairs.drop_duplicates("available_at", keep="last")

    table = _query(
        warehouse,
        "select trade_date, decision_at, corr_palm_20, corr_palm_age_days "
        "from features.pair_correlations_daily order by trade_date",
    )
    expected = _as_of(table[["trade_date", "decision_at"]], windows, "corr")
    fresh = (table["corr_palm_age_days"] <= 21).fillna(False).to_numpy(dtype=bool)
    actual = table["corr_palm_20"].to_numpy(dtype=float)[fresh]
    compared = expected.to_numpy(dtype=float)[fresh]
    assert np.isfinite(compared).sum() > 3000
    same = np.isclose(actual, compared, atol=1e-9, rtol=0, equal_nan=True)
    assert table.loc[fresh, "trade_date"][~same].tolist() == []


def test_vol_percentile_matches_pandas(warehouse: Path) -> None:
    target = _market(warehouse, TARGET)
    returns = target["roll_adjusted_log_return"]
    vol = returns.rolling(20).std() * np.sqrt(252)
    percentile = vol.rolling(252).apply(lambda w: (w <= w[-1]).mean(), raw=True)

    table = _query(
        warehouse,
        "select trade_date, vol_percentile, market_regime_age_days "
        "from features.regime_indicators_daily order by trade_date",
    )
    by_date = pd.Series(percentile.to_numpy(), index=target["trade_date"])
    # Each trade date ends on the latest bar public at its decision time.
    bar_dates = table["trade_date"] - pd.to_timedelta(
        table["market_regime_age_days"], unit="D"
    )
    expected = by_date.reindex(bar_dates).to_numpy()
    assert np.isfinite(expected).sum() > 3000
    same = np.isclose(
        table["vol_percentile"], expected, atol=1e-9, rtol=0, equal_nan=True
    )
    assert table.loc[~same, "trade_date"].tolist() == []


def _truncate(db_path: Path) -> None:
    with duckdb.connect(str(db_path)) as con:
        for table in _raw_tables(con):
            if table in UNDATED:
                continue
            column = REFERENCE_DATE[table]
            con.execute(
                f'delete from raw."{table}" where cast({column} as date) > ?',
                [CUTOFF],
            )


@pytest.mark.parametrize("table", TABLES)
def test_cutoff_changes_nothing(
    table: str, warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    truncated = tmp_path_factory.getbasetemp() / "cross_asset_truncated.duckdb"
    if not truncated.exists():
        shutil.copy(warehouse, truncated)
        _truncate(truncated)
        build(truncated, allow_stale=True)

    sql = f"select * from features.{table} where trade_date <= '{CUTOFF}' order by 1"
    full = _query(warehouse, sql)
    cut = _query(truncated, sql)
    assert len(full) == len(cut)
    assert full.notna().any().sum() > 10
    for column in full.columns:
        left, right = full[column], cut[column]
        if pd.api.types.is_float_dtype(left):
            # The cross-asset tables round to 10 decimals, so a last-bit
            # difference in a window sum can move a value by 1e-10.
            same = np.isclose(left, right, rtol=1e-12, atol=1e-9, equal_nan=True)
        else:
            same = ((left == right) | (left.isna() & right.isna())).to_numpy()
        changed = full.loc[~np.asarray(same), "trade_date"].tolist()
        assert changed == [], f"{column} changed on {changed[:5]}"
