"""The MotherDuck target fails fast, before any parsing, with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.cli import main
from tests.test_cli import error_lines


def test_motherduck_without_token(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("ZL_DBT_TARGET", "motherduck")
    monkeypatch.delenv("MOTHERDUCK_TOKEN", raising=False)
    monkeypatch.chdir(warehouse.parent)
    assert main(["load", "cftc"]) == 1
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert "MOTHERDUCK_TOKEN" in lines[0]


def test_motherduck_without_extension(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("ZL_DBT_TARGET", "motherduck")
    monkeypatch.setenv("MOTHERDUCK_TOKEN", "md-test-token-123")
    # A fresh home folder contains no installed DuckDB extensions.
    monkeypatch.setenv("HOME", str(warehouse.parent))
    assert main(["build"]) == 1
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert "motherduck extension" in lines[0]
    assert "md-test-token-123" not in lines[0]


def test_unknown_target(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("ZL_DBT_TARGET", "postgres")
    assert main(["load", "cftc"]) == 1
    assert "ZL_DBT_TARGET='postgres' is invalid" in error_lines(capsys)[0]
