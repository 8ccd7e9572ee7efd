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


def _run_demo(landing: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest.cli", "demo", "--landing", str(landing)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_demo_keeps_foreign_landing(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "mine.csv").write_text("a,b\n1,2\n")
    completed = _run_demo(landing, {"ZL_DUCKDB_PATH": str(tmp_path / "d.duckdb")})
    assert completed.returncode == 1
    assert "was not written by zl demo" in completed.stderr
    assert (landing / "mine.csv").read_text() == "a,b\n1,2\n"
    assert not (tmp_path / "d.duckdb").exists()


def test_demo_keeps_foreign_warehouse(tmp_path: Path) -> None:
    db_path = tmp_path / "prod.duckdb"
    with duckdb.connect(str(db_path)) as con:
        con.execute("create table prices as select 42 as close")
    completed = _run_demo(tmp_path / "landing", {"ZL_DUCKDB_PATH": str(db_path)})
    assert completed.returncode == 1
    assert "is not a zl demo warehouse" in completed.stderr
    assert not (tmp_path / "landing").exists()
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select close from prices").fetchall() == [(42,)]


def test_demo_rejects_linked_landing(tmp_path: Path) -> None:
    from ingest.demo import write_landing

    write_landing(tmp_path / "real")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    completed = _run_demo(
        tmp_path / "link", {"ZL_DUCKDB_PATH": str(tmp_path / "d.duckdb")}
    )
    assert completed.returncode == 1
    assert "is a symbolic link" in completed.stderr
    assert (tmp_path / "real" / "README.txt").exists()
    assert not (tmp_path / "d.duckdb").exists()


def test_demo_keeps_file_that_is_not_duckdb(tmp_path: Path) -> None:
    db_path = tmp_path / "notes.txt"
    db_path.write_text("not a database\n")
    completed = _run_demo(tmp_path / "landing", {"ZL_DUCKDB_PATH": str(db_path)})
    assert completed.returncode == 1
    assert "could not be read as a DuckDB file" in completed.stderr
    assert db_path.read_text() == "not a database\n"


def test_demo_rejects_motherduck_target(tmp_path: Path) -> None:
    completed = _run_demo(
        tmp_path / "landing",
        {"ZL_DUCKDB_PATH": str(tmp_path / "d.duckdb"), "ZL_DBT_TARGET": "motherduck"},
    )
    assert completed.returncode == 1
    assert "runs only on the local DuckDB file" in completed.stderr
    assert not (tmp_path / "landing").exists()


def test_demo_may_replace_its_own_files(tmp_path: Path) -> None:
    from ingest.demo import (
        _check_landing_replaceable,
        _check_warehouse_replaceable,
        _mark_demo_warehouse,
        write_landing,
    )

    db_path = tmp_path / "demo.duckdb"
    _mark_demo_warehouse(db_path)
    _check_warehouse_replaceable(db_path)
    landing = tmp_path / "landing"
    write_landing(landing)
    _check_landing_replaceable(landing)
    (tmp_path / "empty").mkdir()
    _check_landing_replaceable(tmp_path / "empty")
