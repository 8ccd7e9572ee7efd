"""The EIA series and release-rule seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.eia.settings import RULES_SEED, SERIES_SEED, SeedError, load_series

HEADER = "route,series_id,frequency,name,units,report,release_rule,id_source\n"


def write_seed(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "eia_series.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_project_seed_loads():
    entries = load_series(SERIES_SEED)
    assert len(entries) == 13
    assert RULES_SEED.exists()


def test_seed_has_soybean_oil():
    ids = {entry.series_id for entry in load_series()}
    assert "M_EPOOBDSO_YIFBP_NUS_MMLB" in ids


def test_seed_has_every_required_route():
    routes = {entry.route for entry in load_series()}
    expected = {
        "petroleum/pnp/feedbiofuel",
        "petroleum/pri/spt",
        "petroleum/stoc/wstk",
        "petroleum/pri/gnd",
    }
    assert expected <= routes


def test_rule_mismatch_raises(tmp_path):
    path = write_seed(
        tmp_path,
        "petroleum/pri/spt,RWTC,weekly,WTI,$/BBL,WPSR,weekly_retail,x",
    )
    with pytest.raises(SeedError, match="does not match"):
        load_series(path)


def test_route_without_rule_raises(tmp_path):
    path = write_seed(
        tmp_path,
        "petroleum/pri/fut,RCLC1,daily,WTI future,$/BBL,WPSR,wpsr,x",
    )
    with pytest.raises(SeedError, match="does not match"):
        load_series(path)


def test_repeated_series_raises(tmp_path):
    line = "petroleum/pri/spt,RWTC,weekly,WTI,$/BBL,WPSR,wpsr,x"
    path = write_seed(tmp_path, line, line)
    with pytest.raises(SeedError, match="repeated"):
        load_series(path)


def test_bad_frequency_raises(tmp_path):
    path = write_seed(tmp_path, "petroleum/pri/spt,RWTC,hourly,WTI,$/BBL,W,wpsr,x")
    with pytest.raises(SeedError, match="invalid frequency"):
        load_series(path)
