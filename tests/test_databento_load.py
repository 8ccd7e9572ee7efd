"""Databento recorded files loaded into a DuckDB warehouse through the runner."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.runner import load_source
from ingest.source import Window
from tests.conftest import realdata_path

pytestmark = pytest.mark.realdata

TABLES = ("databento_futures_ohlcv_1d", "databento_statistics", "databento_definitions")


def count_rows(db_path: Path) -> dict[str, int]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return {
            t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
            for t in TABLES
        }


def test_reload_adds_no_rows(warehouse: Path) -> None:
    root = realdata_path()
    load_source("databento", from_dir=root, window=Window(), db_path=warehouse)
    first = count_rows(warehouse)
    load_source("databento", from_dir=root, window=Window(), db_path=warehouse)
    second = count_rows(warehouse)
    assert first == {
        "databento_futures_ohlcv_1d": 1,
        "databento_statistics": 4,
        "databento_definitions": 3,
    }
    assert second == first
