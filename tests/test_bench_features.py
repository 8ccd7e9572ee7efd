"""The feature benchmark's synthetic bars, its value check and its pandas side.

The last test compiles the real dbt models and runs them on a small
synthetic table. Nothing is timed.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from benchmarks.features import (
    DATABASE_FILE,
    FeatureMismatchError,
    check_same_values,
    compile_models,
    load_market,
    pandas_features,
    run_sql,
    synthetic_market_daily,
)

MODEL = "technical_indicators_us_oil_solutions"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("create schema features")
    connection.execute(
        f"""
        create table features.{MODEL} as
        select * from (values
            ('A', date '2024-01-02', 1.0, 'x'),
            ('A', date '2024-01-03', null, 'y'),
            ('B', date '2024-01-02', 100.0, 'z')
        ) as t(symbol, trade_date, value, label)
        """
    )
    return connection


def frame(values: list[float | None], labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "symbol": ["A", "A", "B"],
            "trade_date": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-02"]),
            "value": pd.array(values, dtype="float64"),
            "label": labels,
        }
    )


def test_check_accepts_equal(con: duckdb.DuckDBPyConnection) -> None:
    ours = frame([1.0 + 1e-12, None, 100.0], ["x", "y", "z"])
    ours["spare"] = 0.0
    assert check_same_values(con, {MODEL: ours}) == [f"{MODEL}.spare"]


def test_check_names_missing_column(con: duckdb.DuckDBPyConnection) -> None:
    ours = frame([1.0, None, 100.0], ["x", "y", "z"]).drop(columns="label")
    with pytest.raises(
        FeatureMismatchError, match="without a pandas counterpart: label"
    ):
        check_same_values(con, {MODEL: ours})


def test_check_names_differing_column(con: duckdb.DuckDBPyConnection) -> None:
    ours = frame([1.0, None, 100.001], ["x", "y", "z"])
    with pytest.raises(FeatureMismatchError, match=rf"{MODEL}\.value: values differ"):
        check_same_values(con, {MODEL: ours})


def test_check_rejects_null_mismatch(con: duckdb.DuckDBPyConnection) -> None:
    ours = frame([1.0, 2.0, 100.0], ["x", "y", "z"])
    with pytest.raises(FeatureMismatchError, match="NULL in one side only"):
        check_same_values(con, {MODEL: ours})


def test_check_names_differing_text(con: duckdb.DuckDBPyConnection) -> None:
    ours = frame([1.0, None, 100.0], ["x", "y", "other"])
    with pytest.raises(FeatureMismatchError, match=rf"{MODEL}\.label: 1 of 3 rows"):
        check_same_values(con, {MODEL: ours})


def test_synthetic_shape() -> None:
    bars = synthetic_market_daily(contracts=3, years=1)
    assert len(bars) == 3 * 252
    assert bars.groupby("symbol").size().tolist() == [252, 252, 252]
    assert not bars.duplicated(["symbol", "trade_date"]).any()


def test_synthetic_roll_rules() -> None:
    bars = synthetic_market_daily(contracts=3, years=1)
    rolls = bars[bars["is_roll"]]
    first = bars.groupby("symbol").head(1)
    assert len(rolls) >= 9
    assert rolls["log_return"].isna().all()
    assert (rolls["roll_adjusted_log_return"] == 0).all()
    assert first["roll_adjusted_log_return"].isna().all()
    assert not first["is_roll"].any()


def test_synthetic_prices_consistent() -> None:
    bars = synthetic_market_daily(contracts=2, years=1)
    assert (bars["high"] >= bars[["open", "close"]].max(axis=1)).all()
    assert (bars["low"] <= bars[["open", "close"]].min(axis=1)).all()


def test_synthetic_has_nulls() -> None:
    bars = synthetic_market_daily(contracts=10, years=2)
    assert bars["volume"].isna().any()
    assert bars["open_interest"].isna().any()
    assert bars["close"].notna().all()


def test_rolling_std_matches_numpy() -> None:
    bars = synthetic_market_daily(contracts=2, years=1)
    with duckdb.connect() as connection:
        load_market(connection, bars)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            technical = pandas_features(connection)[MODEL]
    second = technical[technical["symbol"] == "M001"].reset_index(drop=True)
    window = second["close"].iloc[30:50].to_numpy()
    expected = (second["close"].iloc[49] - window.mean()) / window.std(ddof=1)
    assert second["close_zscore_20"].iloc[49] == pytest.approx(expected, rel=1e-12)
    assert second["close_zscore_20"].iloc[:19].isna().all()
    assert np.isfinite(second["close_zscore_20"].iloc[19])


@pytest.mark.dbt
def test_pandas_matches_sql(tmp_path: Path) -> None:
    db_path = tmp_path / DATABASE_FILE
    compiled = compile_models(db_path)
    with duckdb.connect(str(db_path)) as connection:
        load_market(connection, synthetic_market_daily(contracts=3, years=2))
        run_sql(connection, compiled)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            extras = check_same_values(connection, pandas_features(connection))
    assert extras == []
