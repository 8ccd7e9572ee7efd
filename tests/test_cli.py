"""The `zl` command line, in-process through `main` and as a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.cli import main
from ingest.registry import sources
from tests.conftest import realdata_path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CFTC_TEXT = "cftc_fut_disagg_f_year_2021_Q1_soy_complex_energy.txt"


def zl_command() -> list[str]:
    """Return the installed `zl` script, or `python -m ingest.cli` without one."""
    script = PROJECT_ROOT / ".venv" / "bin" / "zl"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "ingest.cli"]


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    (folder / "cftc").mkdir(parents=True)
    (folder / "cftc" / CFTC_TEXT).symlink_to(realdata_path("cftc", CFTC_TEXT))
    return folder


def error_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_load_without_source(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["load"])
    assert exit_info.value.code == 2
    assert error_lines(capsys)[-1].startswith("zl load: error: ")


def test_load_all_and_source(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["load", "--all", "cftc"])
    assert exit_info.value.code == 2
    assert error_lines(capsys)[-1].startswith("zl load: error: ")


def test_load_unknown_source(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", "nosuch"]) == 1
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert "'nosuch'" in lines[0]
    for name in sources():
        assert name in lines[0]


def test_load_cftc_from_dir(
    warehouse: Path, landing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", "cftc", "--from-dir", str(landing)]) == 0
    out = capsys.readouterr().out.split()
    assert out[:2] == ["cftc", "success"]
    assert "77" in out
    assert warehouse.exists()


def test_status_line_per_source(
    warehouse: Path, landing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", "cftc", "--from-dir", str(landing)]) == 0
    capsys.readouterr()
    assert main(["status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    by_source = {line.split()[0]: line.split() for line in lines[2:]}
    assert set(by_source) == set(sources())
    assert "77" in by_source["cftc"]
    assert "pass" in by_source["cftc"]
    assert by_source["fred"][1] == "-"
    assert "no data" in " ".join(by_source["fred"])


def test_status_without_warehouse(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status"]) == 1
    lines = error_lines(capsys)
    assert len(lines) == 1
    assert "does not exist" in lines[0]


def test_invalid_start_date(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["load", "cftc", "--start", "2024-13-01"])
    assert caught.value.code == 2
    assert "invalid date '2024-13-01'" in capsys.readouterr().err


def test_process_load_then_error(warehouse: Path, landing: Path) -> None:
    env = {**os.environ, "ZL_DUCKDB_PATH": str(warehouse)}
    loaded = subprocess.run(
        [*zl_command(), "load", "cftc", "--from-dir", str(landing)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.split()[:2] == ["cftc", "success"]

    for arguments in (["load"], ["load", "--all", "fred"]):
        rejected = subprocess.run(
            [*zl_command(), *arguments],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert rejected.returncode == 2, arguments
        assert rejected.stderr.startswith("usage: zl load"), arguments
        assert rejected.stderr.splitlines()[-1] == (
            "zl load: error: name one or more sources, or pass --all (not both)"
        ), arguments
