"""Loading the recorded CFTC file into DuckDB through the runner."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.runner import load_source
from ingest.source import Window
from tests.conftest import realdata_path

TEXT_NAME = "cftc_fut_disagg_f_year_2021_Q1_soy_complex_energy.txt"


def _count(db_path: Path) -> int:
    with duckdb.connect(str(db_path), read_only=True) as con:
        query = "select count(*) from raw.cftc_cot_disaggregated"
        return con.execute(query).fetchone()[0]


def test_second_load_adds_nothing(tmp_path, warehouse):
    landing = tmp_path / "landing"
    (landing / "cftc").mkdir(parents=True)
    (landing / "cftc" / TEXT_NAME).symlink_to(realdata_path("cftc", TEXT_NAME))
    first = load_source("cftc", from_dir=landing, window=Window(), db_path=warehouse)
    assert first.status == "success"
    assert _count(warehouse) == 77
    second = load_source("cftc", from_dir=landing, window=Window(), db_path=warehouse)
    assert second.status == "success"
    assert _count(warehouse) == 77
