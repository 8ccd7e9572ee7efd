"""Synthetic Truth Social posts read back by the loader."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ingest.source import LoadContext
from ingest.truthsocial.files import read_files
from ingest.truthsocial.synthetic import POSTS, write_synthetic

START, END = date(2010, 1, 4), date(2024, 6, 28)


@pytest.fixture(autouse=True)
def _no_scorer(monkeypatch):
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "none")


def _rows(folder) -> list[dict]:
    ctx = LoadContext(source="truthsocial")
    batches = list(read_files(folder, ctx))
    assert not ctx.skips
    return batches[0][1].to_pylist()


def test_file_labelled_synthetic(tmp_path):
    (path,) = write_synthetic(tmp_path / "truthsocial", START, END, seed=3)
    first = json.loads(path.read_text().splitlines()[0])
    assert path.name.startswith("synthetic_")
    assert first["synthetic"] is True


def test_posts_read_back(tmp_path):
    write_synthetic(tmp_path / "truthsocial", START, END, seed=3)
    rows = _rows(tmp_path / "truthsocial")
    assert len(rows) == POSTS
    assert min(r["created_at"].date() for r in rows) >= START
    assert max(r["created_at"].date() for r in rows) <= END


def test_cleaning_cases_present(tmp_path):
    write_synthetic(tmp_path / "truthsocial", START, END, seed=3)
    rows = _rows(tmp_path / "truthsocial")
    assert any(r["is_media_only"] for r in rows)
    assert any(r["is_repost"] for r in rows)
    assert any(r["is_link_only"] for r in rows)
    assert any(r["mojibake_repaired"] for r in rows)
    assert not any("â\x80" in r["text"] for r in rows)


def test_same_seed_same_file(tmp_path):
    (first,) = write_synthetic(tmp_path / "a", START, END, seed=3)
    (second,) = write_synthetic(tmp_path / "b", START, END, seed=3)
    assert first.read_bytes() == second.read_bytes()
