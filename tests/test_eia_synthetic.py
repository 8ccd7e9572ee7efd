"""Synthetic EIA responses: EIA's v2 shape, read back by the file reader."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest.eia.files import read_files
from ingest.eia.settings import seed
from ingest.eia.synthetic import write_synthetic
from ingest.source import LoadContext

START, END = date(2023, 1, 2), date(2024, 6, 28)


@pytest.fixture
def written(tmp_path: Path) -> list[Path]:
    return write_synthetic(tmp_path / "eia", START, END, seed=7)


def read(folder: Path) -> tuple[list[dict[str, Any]], LoadContext]:
    ctx = LoadContext(source="eia")
    rows = [row for _, table in read_files(folder, ctx) for row in table.to_pylist()]
    return rows, ctx


def test_one_file_per_route(written):
    routes = {(entry.route, entry.frequency) for entry in seed()}
    assert len(written) == len(routes)


def test_files_labelled_synthetic(written):
    for path in written:
        assert path.name.startswith("synthetic_")
        body = json.loads(path.read_text(encoding="utf-8"))
        assert body["synthetic"] is True


def test_total_and_values_are_strings(written):
    body = json.loads(written[0].read_text(encoding="utf-8"))
    assert isinstance(body["response"]["total"], str)
    assert int(body["response"]["total"]) == len(body["response"]["data"])
    assert isinstance(body["response"]["data"][0]["value"], str)
    assert "area-name" in body["response"]["data"][0]


def test_every_seeded_series_read_back(written):
    rows, ctx = read(written[0].parent)
    assert {r["series_id"] for r in rows} == {entry.series_id for entry in seed()}
    assert not ctx.skips


def test_weekly_stamps(written):
    rows, _ = read(written[0].parent)
    retail = {r["period_date"].isoweekday() for r in rows if r["route"].endswith("gnd")}
    spot = {r["period_date"].isoweekday() for r in rows if r["route"].endswith("spt")}
    assert retail == {1}
    assert spot == {5}


def test_nothing_released_after_end(written):
    rows, _ = read(written[0].parent)
    monthly = [r["period_date"] for r in rows if r["frequency"] == "monthly"]
    wpsr = [r["period_date"] for r in rows if r["route"].endswith(("spt", "wstk"))]
    assert max(monthly) == date(2024, 3, 1)
    assert max(wpsr) == date(2024, 6, 21)


def test_deterministic(tmp_path):
    first = write_synthetic(tmp_path / "a", START, END, seed=7)
    second = write_synthetic(tmp_path / "b", START, END, seed=7)
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()


def test_start_after_end_raises(tmp_path):
    with pytest.raises(ValueError, match="after end"):
        write_synthetic(tmp_path, END, START, seed=7)
