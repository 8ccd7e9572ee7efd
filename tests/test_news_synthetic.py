"""Synthetic news files read back by the news loader."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from ingest.news.files import read_files
from ingest.news.synthetic import write_synthetic
from ingest.source import LoadContext

START, END = date(2010, 1, 4), date(2024, 6, 28)


@pytest.fixture(autouse=True)
def _no_scorer(monkeypatch):
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "none")


def _rows(folder) -> tuple[list[dict], LoadContext]:
    ctx = LoadContext(source="news")
    table = pa.concat_tables([t for _, t in read_files(folder, ctx)])
    return table.to_pylist(), ctx


def test_files_labelled_synthetic(tmp_path):
    paths = write_synthetic(tmp_path / "news", START, END, seed=7)
    assert all(p.name.startswith("synthetic_") for p in paths)
    assert all(
        '"synthetic": true' in p.read_text() for p in paths if p.suffix == ".json"
    )


def test_items_read_back(tmp_path):
    write_synthetic(tmp_path / "news", START, END, seed=7)
    rows, ctx = _rows(tmp_path / "news")
    items = {(r["platform"], r["item_id"]) for r in rows}
    assert len(items) == 370
    assert not ctx.skips


def test_items_inside_range(tmp_path):
    write_synthetic(tmp_path / "news", START, END, seed=7)
    rows, _ = _rows(tmp_path / "news")
    days = [r["published_at"].date() for r in rows]
    assert min(days) >= START
    assert max(days) <= END


def test_articles_on_weekdays(tmp_path):
    write_synthetic(tmp_path / "news", START, END, seed=7)
    rows, _ = _rows(tmp_path / "news")
    articles = [r for r in rows if r["platform"] == "news_csv"]
    assert all(r["published_at"].weekday() < 5 for r in articles)


def test_buckets_assigned(tmp_path):
    write_synthetic(tmp_path / "news", START, END, seed=7)
    rows, _ = _rows(tmp_path / "news")
    assert {"biofuel", "china", "tariffs"} <= {r["bucket"] for r in rows}


def test_same_seed_same_files(tmp_path):
    first = write_synthetic(tmp_path / "a", START, END, seed=7)
    second = write_synthetic(tmp_path / "b", START, END, seed=7)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_start_after_end_rejected(tmp_path):
    with pytest.raises(ValueError):
        write_synthetic(tmp_path, END, START, seed=7)
