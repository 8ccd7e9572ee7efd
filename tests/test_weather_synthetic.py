"""Synthetic Open-Meteo files: deterministic, labelled, readable."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ingest.source import LoadContext
from ingest.weather import read_files
from ingest.weather.settings import OPEN_METEO, feed_locations
from ingest.weather.synthetic import write_synthetic

START = date(2023, 12, 30)
END = date(2024, 1, 5)


def test_one_file_per_grid_point(tmp_path: Path) -> None:
    paths = write_synthetic(tmp_path, START, END, seed=7)
    assert len(paths) == len(feed_locations(OPEN_METEO))
    assert all(p.name.startswith("synthetic_") for p in paths)


def test_labelled_in_content(tmp_path: Path) -> None:
    path = write_synthetic(tmp_path, START, END, seed=7)[0]
    assert json.loads(path.read_text())["synthetic"] is True


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in write_synthetic(tmp_path / "a", START, END, 7)]
    second = [p.read_bytes() for p in write_synthetic(tmp_path / "b", START, END, 7)]
    assert first == second


def test_read_back_every_region(tmp_path: Path) -> None:
    write_synthetic(tmp_path, START, END, seed=7)
    ctx = LoadContext(source="weather")
    tables = {spec.name: table.to_pylist() for spec, table in read_files(tmp_path, ctx)}
    regional = tables["weather_noaa"]
    assert len(regional) == 3 * 7
    assert {r["weight_share_reported"] for r in regional} == {1.0}
    assert all(r["tmax_c"] > r["tmin_c"] for r in regional)
    assert sum(ctx.skips.values()) == 0
