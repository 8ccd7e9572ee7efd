"""The scheduler as a process: `--once`, SIGTERM shutdown and `zl status` rows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest.registry import sources
from ingest.runner import LoadError, load_source
from ingest.scheduler.__main__ import main
from ingest.scheduler.config import load_schedule
from ingest.scheduler.status import format_source_status, source_status
from tests.conftest import PROJECT_ROOT, realdata_path
from tests.loopback import LoopbackServer, Reply
from tests.test_cftc_api import TEXT_NAME

API_KEY = "0123456789abcdef0123456789abcdef"
BAD_KEY_BODY = {
    "error_code": 400,
    "error_message": "Bad Request.  The value for variable api_key is not registered.",
}
# Every wait in these tests ends within this many seconds.
MAX_WAIT_S = 60


def schedule_file(tmp_path: Path, jobs: str) -> Path:
    path = tmp_path / "schedule.yml"
    path.write_text(
        "timezone: America/New_York\n"
        "shutdown_grace_seconds: 1\n"
        "defaults:\n"
        "  retries: 0\n"
        f"jobs:\n{jobs}",
        encoding="utf-8",
    )
    return path


def read_log(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def wait_for_log(path: Path, *texts: str) -> bool:
    deadline = time.monotonic() + MAX_WAIT_S
    while time.monotonic() < deadline:
        log = read_log(path)
        if all(text in log for text in texts):
            return True
        time.sleep(0.2)
    return False


# --- --once -------------------------------------------------------------------------


def test_once_skipped_source(warehouse, tmp_path, capsys):
    # prices has no live API, so its job succeeds with a skipped load.
    path = schedule_file(tmp_path, "  prices:\n    cron: '0 18 * * *'\n")
    status = main(["scheduler", "--once", "prices", "--schedule", str(path)])
    assert status == 0
    assert "prices           success   1 attempt(s)  load skipped" in (
        capsys.readouterr().out
    )


def test_once_unknown_job(warehouse, tmp_path, capsys):
    path = schedule_file(tmp_path, "  prices:\n    cron: '0 18 * * *'\n")
    status = main(["scheduler", "--once", "fred", "--schedule", str(path)])
    assert status == 1
    assert "no job named 'fred'; jobs: prices" in capsys.readouterr().err


def test_once_failed_job_exits_1(warehouse, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    path = schedule_file(tmp_path, "  fred:\n    cron: '0 18 * * *'\n")
    status = main(["scheduler", "--once", "fred", "--schedule", str(path)])
    assert status == 1
    assert "job(s) did not succeed: fred" in capsys.readouterr().err


# --- SIGTERM ------------------------------------------------------------------------


@pytest.mark.realdata
def test_sigterm_finishes_or_abandons(warehouse, tmp_path):
    gdp_info = json.loads(
        realdata_path("fred", "pyfredapi_series_GDP_info.json").read_text()
    )
    path = schedule_file(
        tmp_path,
        "  prices:\n    every_seconds: 3600\n  fred:\n    every_seconds: 3600\n",
    )
    log_path = tmp_path / "scheduler.log"
    with LoopbackServer() as server, log_path.open("w") as log_file:
        # FRED replies after 30 s, so the fred job is still running at SIGTERM.
        server.add("/fred/series", Reply(200, gdp_info, delay_s=30))
        env = {
            **os.environ,
            "ZL_DUCKDB_PATH": str(warehouse),
            "ZL_FRED_BASE_URL": f"{server.url}/fred",
            "FRED_API_KEY": API_KEY,
            "ZL_FRED_SERIES": "GDP",
            "ZL_FRED_MIN_INTERVAL_S": "0",
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ingest.scheduler",
                "scheduler",
                "--schedule",
                str(path),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            started = wait_for_log(
                log_path, "job prices: finished", "job fred: attempt 1/1 started"
            )
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=MAX_WAIT_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    log = read_log(log_path)
    assert started
    assert code == 0
    assert "scheduler: received SIGTERM; shutting down" in log
    assert "job fred: abandoned at shutdown (run fred-" in log
    assert "scheduler: exiting; abandoned: fred" in log
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT job, status FROM ops.job_runs ORDER BY job"
        ).fetchall()
        completions = con.execute(
            "SELECT count(*) FROM ops.ingestion_completion"
        ).fetchone()[0]
    assert rows == [("fred", "abandoned"), ("prices", "success")]
    assert completions == 0


# --- status rows --------------------------------------------------------------------


@pytest.mark.realdata
def test_status_rows(warehouse, tmp_path, loopback, monkeypatch):
    landing = tmp_path / "landing"
    (landing / "cftc").mkdir(parents=True)
    (landing / "cftc" / TEXT_NAME).symlink_to(realdata_path("cftc", TEXT_NAME))
    load_source("cftc", landing, db_path=warehouse)
    monkeypatch.setenv("ZL_FRED_BASE_URL", f"{loopback.url}/fred")
    monkeypatch.setenv("FRED_API_KEY", API_KEY)
    monkeypatch.setenv("ZL_FRED_SERIES", "GDP")
    loopback.add("/fred/series", Reply(400, BAD_KEY_BODY))
    with pytest.raises(LoadError):
        load_source("fred", db_path=warehouse)
    path = schedule_file(tmp_path, "  cftc:\n    cron: '45 15 * * fri'\n")
    schedule = load_schedule(path)
    rows = {row.source: row for row in source_status(warehouse, schedule)}
    cftc, fred = rows["cftc"], rows["fred"]
    assert cftc.rows_loaded == 77
    assert cftc.freshness == "pass"
    assert cftc.last_failure_at is None
    local = cftc.next_run_at.astimezone(schedule.job("cftc").tz)
    assert local.strftime("%a %H:%M") == "Fri 15:45"
    assert fred.last_success_at is None
    assert "api_key is not registered" in fred.last_failure_reason
    assert API_KEY not in fred.last_failure_reason
    assert fred.freshness == "no data"
    assert fred.next_run_at is None


def test_status_table(warehouse, tmp_path):
    path = schedule_file(tmp_path, "  prices:\n    cron: '0 18 * * *'\n")
    main(["scheduler", "--once", "prices", "--schedule", str(path)])
    text = format_source_status(source_status(warehouse, load_schedule(path)))
    header, *lines = text.splitlines()
    assert header.split()[:4] == ["source", "last", "success", "UTC"]
    assert len(lines) == len(sources())
