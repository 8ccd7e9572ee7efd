"""Synthetic USDA files: labelled, deterministic and readable by the loader."""

from __future__ import annotations

import json
from datetime import date

from ingest.source import LoadContext
from ingest.usda.files import read_files
from ingest.usda.synthetic import write_synthetic

START = date(2023, 1, 2)
END = date(2023, 12, 29)


def test_files_labelled_synthetic(tmp_path):
    paths = write_synthetic(tmp_path, START, END, seed=7)
    assert all(path.name.startswith("synthetic_") for path in paths)
    body = json.loads(paths[0].read_text())
    assert "SYNTHETIC" in body["_comment"]


def test_deterministic_for_seed(tmp_path):
    first = write_synthetic(tmp_path / "a", START, END, seed=7)
    second = write_synthetic(tmp_path / "b", START, END, seed=7)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_loader_reads_without_skips(tmp_path):
    write_synthetic(tmp_path, START, END, seed=7)
    ctx = LoadContext(source="usda")
    tables = {s.name: t.to_pylist() for s, t in read_files(tmp_path, ctx)}
    assert sum(ctx.skips.values()) == 0
    assert len(tables["usda_wasde"]) == 12 * 4 * 5
    # 51 weeks ending Thursday, 5 January to 21 December, for 3 countries.
    assert len(tables["usda_fas_export_sales"]) == 51 * 3
    # Market year 2022, revised June 2023: four attributes.
    assert len(tables["usda_fas_psd"]) == 4
    coded = [r for r in tables["usda_nass_quickstats"] if r["value_code"] == "D"]
    assert coded
    assert all(r["value"] is None for r in coded)


def test_release_dates_are_weekdays(tmp_path):
    write_synthetic(tmp_path, START, END, seed=7)
    ctx = LoadContext(source="usda")
    tables = {s.name: t.to_pylist() for s, t in read_files(tmp_path, ctx)}
    assert all(r["release_date"].weekday() < 5 for r in tables["usda_wasde"])
