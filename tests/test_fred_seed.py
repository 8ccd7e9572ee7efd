"""The FRED series seed, the loader's settings and the synthetic writer."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest.fred import SOURCE, read_files
from ingest.fred.settings import (
    CATEGORIES,
    SeedError,
    load_seed,
    page_limit,
    requested_series,
)
from ingest.fred.synthetic import write_synthetic
from ingest.source import LoadContext

SEED_HEADER = (
    "series_id,name,category,frequency,units,release_time_et,"
    "publication_lag_days,max_age_days,feature_transform\n"
)
START, END = date(2023, 1, 1), date(2024, 6, 15)


def test_seed_size_and_ids() -> None:
    seeds = load_seed()
    assert 55 <= len(seeds) <= 60
    required = {"DEXBZUS", "DTWEXBGS", "DCOILWTICO", "DGS10", "CPIAUCSL", "VIXCLS"}
    assert required <= set(seeds)
    assert "GDP" in seeds


def test_seed_covers_categories() -> None:
    seeds = load_seed()
    assert {s.category for s in seeds.values()} == set(CATEGORIES)
    assert {s.frequency for s in seeds.values()} == {"D", "W", "M", "Q"}


def test_seed_ag_prices_monthly() -> None:
    seeds = load_seed()
    imf = [s for s in seeds.values() if s.category == "ag_prices"]
    assert len(imf) == 6
    assert {s.frequency for s in imf} == {"M"}


def test_seed_rejects_bad_frequency(tmp_path: Path) -> None:
    path = tmp_path / "seed.csv"
    path.write_text(SEED_HEADER + "DGS10,x,rates,Y,Percent,16:15,4,10,diff\n")
    with pytest.raises(SeedError, match="line 2: invalid frequency"):
        load_seed(path)


def test_seed_rejects_bad_clock(tmp_path: Path) -> None:
    path = tmp_path / "seed.csv"
    path.write_text(SEED_HEADER + "DGS10,x,rates,D,Percent,4pm,4,10,diff\n")
    with pytest.raises(SeedError, match="release_time_et"):
        load_seed(path)


def test_seed_rejects_repeated_id(tmp_path: Path) -> None:
    row = "DGS10,x,rates,D,Percent,16:15,4,10,diff\n"
    path = tmp_path / "seed.csv"
    path.write_text(SEED_HEADER + row + row)
    with pytest.raises(SeedError, match="repeated DGS10"):
        load_seed(path)


def test_series_env_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZL_FRED_SERIES", " dgs10, GDP ,,DGS10")
    assert requested_series() == ["DGS10", "GDP"]


def test_series_env_rejects_junk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZL_FRED_SERIES", "DGS10&api_key=x")
    with pytest.raises(ValueError, match="invalid series id"):
        requested_series()


def test_page_limit_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZL_FRED_PAGE_LIMIT", "200000")
    with pytest.raises(ValueError, match="ZL_FRED_PAGE_LIMIT"):
        page_limit()


def test_source_spec_tables() -> None:
    assert SOURCE.name == "fred"
    assert [t.name for t in SOURCE.tables] == ["fred_economic", "fred_series"]


def read_synthetic(folder: Path) -> dict[str, list[dict[str, Any]]]:
    ctx = LoadContext(source="fred")
    rows: dict[str, list[dict[str, Any]]] = {}
    for spec, table in read_files(folder, ctx):
        rows.setdefault(spec.name, []).extend(table.to_pylist())
    assert sum(ctx.skips.values()) == 0
    return rows


def test_synthetic_is_deterministic(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", START, END, 7)
    second = write_synthetic(tmp_path / "b", START, END, 7)
    assert [p.name for p in first] == [p.name for p in second]
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()


def test_synthetic_seed_changes_values(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", START, END, 7)
    second = write_synthetic(tmp_path / "b", START, END, 8)
    assert first[0].read_bytes() != second[0].read_bytes()


def test_synthetic_names_labelled(tmp_path: Path) -> None:
    paths = write_synthetic(tmp_path, START, END, 7)
    assert all(p.name.startswith("synthetic_") for p in paths)
    assert any(p.name.endswith("_legacy.csv") for p in paths)
    assert any(p.name.endswith("_current.csv") for p in paths)


def test_synthetic_series_covered(tmp_path: Path) -> None:
    write_synthetic(tmp_path, START, END, 7)
    rows = read_synthetic(tmp_path)["fred_economic"]
    series = {r["series_id"] for r in rows}
    required = {
        "DEXBZUS",
        "DEXCHUS",
        "DEXMAUS",
        "ARGCCUSMA02STM",
        "DTWEXBGS",
        "DCOILWTICO",
        "DGS10",
        "CPIAUCSL",
        "VIXCLS",
        "GDP",
    }
    assert required <= series
    assert 15 <= len(series) <= 19
    seeds = load_seed()
    assert {seeds[s].frequency for s in series} == {"D", "W", "M", "Q"}
    assert {seeds[s].category for s in series} == set(CATEGORIES)


def test_synthetic_vintages_plausible(tmp_path: Path) -> None:
    write_synthetic(tmp_path, START, END, 7)
    dated = [
        r for r in read_synthetic(tmp_path)["fred_economic"] if r["realtime_start"]
    ]
    assert all(r["realtime_start"] > r["observation_date"] for r in dated)
    assert all(r["realtime_start"] <= END for r in dated)
    assert all(r["realtime_end"] >= r["realtime_start"] for r in dated)


def test_synthetic_gdp_revised(tmp_path: Path) -> None:
    write_synthetic(tmp_path, START, END, 7)
    rows = read_synthetic(tmp_path)["fred_economic"]
    gdp = [r for r in rows if r["series_id"] == "GDP"]
    first_quarter = [r for r in gdp if r["observation_date"] == date(2023, 1, 1)]
    assert len(first_quarter) == 3
    assert first_quarter[-1]["realtime_end"] == date(9999, 12, 31)


def test_synthetic_daily_on_weekdays(tmp_path: Path) -> None:
    write_synthetic(tmp_path, START, END, 7)
    rows = read_synthetic(tmp_path)["fred_economic"]
    daily = [r for r in rows if r["series_id"] in {"DGS10", "DEXBZUS", "DEXMXUS"}]
    assert all(r["observation_date"].weekday() < 5 for r in daily)
    assert any(r["value_raw"] == "." for r in daily)


def test_synthetic_fredgraph_layouts(tmp_path: Path) -> None:
    write_synthetic(tmp_path, START, END, 7)
    rows = read_synthetic(tmp_path)["fred_economic"]
    fredgraph = [r for r in rows if r["vintage_mode"] == "fredgraph"]
    assert {r["series_id"] for r in fredgraph} == {"DEXMXUS", "FEDFUNDS"}
    trailing = [r for r in fredgraph if r["observation_date"] == date(2024, 6, 1)]
    assert trailing[0]["value_raw"] == ""


def test_synthetic_series_info(tmp_path: Path) -> None:
    write_synthetic(tmp_path, START, END, 7)
    info = read_synthetic(tmp_path)["fred_series"]
    assert len(info) == 19
    assert all(r["title"].startswith("Synthetic ") for r in info)
