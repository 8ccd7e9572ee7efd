"""`zl demo` as a user runs it: a child process, synthetic files, a build."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.dbt

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def test_demo_builds_every_layer(tmp_path: Path) -> None:
    db_path = tmp_path / "demo.duckdb"
    landing = tmp_path / "landing"
    env = {**os.environ, "ZL_DUCKDB_PATH": str(db_path)}
    completed = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "demo", "--landing", str(landing)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "SYNTHETIC" in completed.stdout
    assert str(db_path) in completed.stdout
    for split in ("train", "val", "test"):
        assert f"    {split} " in completed.stdout
    assert (landing / "README.txt").read_text().startswith("SYNTHETIC")

    with duckdb.connect(str(db_path), read_only=True) as con:
        for split in ("train", "val", "test"):
            (rows,) = con.execute(
                f"select count(*) from training.daily_ml_matrix_{split}"
            ).fetchone()
            assert rows > 0, split
        sources = con.execute(
            "select distinct source from ops.ingestion_completion order by 1"
        ).fetchall()
    assert [s for (s,) in sources] == _sources_with_synthetic_data()


def _sources_with_synthetic_data() -> list[str]:
    from ingest.registry import sources

    return [
        name
        for name in sources()
        if importlib.util.find_spec(f"ingest.{name}.synthetic") is not None
    ]


def test_demo_files_are_labelled(tmp_path: Path) -> None:
    from ingest.demo import write_landing

    written = write_landing(tmp_path / "landing")
    names = [path.name for paths in written.values() for path in paths]
    assert names
    unlabelled = [name for name in names if "synthetic" not in name.lower()]
    assert unlabelled == []
