"""Real scheduled jobs against loopback FRED and CFTC servers and a temp DuckDB.

The FRED server replays the recorded GDP series and all its vintages; the
CFTC Socrata server replays the soybean rows of the recorded 2021 report,
or returns 503. Jobs run in the scheduler's worker threads, load through
the real runner and build their staging models with dbt.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingest.runner import load_source
from ingest.scheduler.config import load_schedule
from ingest.scheduler.service import SchedulerService
from tests.conftest import realdata_path
from tests.loopback import LoopbackServer, Reply
from tests.test_cftc_api import SOCRATA_PATH, TEXT_NAME, _soybean_records

pytestmark = [pytest.mark.realdata, pytest.mark.dbt]

API_KEY = "0123456789abcdef0123456789abcdef"
GDP_VINTAGE_ROWS = 3201
SOYBEAN_ROWS = 33
# Every wait in these tests ends within this many seconds.
MAX_WAIT_S = 150


def real_fred(name: str) -> dict[str, Any]:
    return json.loads(realdata_path("fred", name).read_text(encoding="utf-8"))


def point_apis(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Send the FRED and CFTC loaders to `server`."""
    monkeypatch.setenv("ZL_FRED_BASE_URL", f"{server.url}/fred")
    monkeypatch.setenv("FRED_API_KEY", API_KEY)
    monkeypatch.setenv("ZL_FRED_SERIES", "GDP")
    monkeypatch.setenv("ZL_FRED_MIN_INTERVAL_S", "0")
    monkeypatch.delenv("ZL_FRED_PAGE_LIMIT", raising=False)
    monkeypatch.setenv("ZL_CFTC_BASE_URL", server.url)
    monkeypatch.delenv("CFTC_APP_TOKEN", raising=False)


@pytest.fixture
def apis(loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> LoopbackServer:
    point_apis(loopback, monkeypatch)
    return loopback


def serve_fred(server: LoopbackServer) -> None:
    server.add("/fred/series", Reply(200, real_fred("pyfredapi_series_GDP_info.json")))
    server.add(
        "/fred/series/observations",
        Reply(
            200, real_fred("pyfredapi_series_observations_GDP_alfred_all_vintages.json")
        ),
    )


def unavailable() -> Reply:
    return Reply(503, "Service Unavailable", {"Retry-After": "0"})


def schedule_file(tmp_path: Path, jobs: str) -> Path:
    path = tmp_path / "schedule.yml"
    path.write_text(
        "timezone: America/New_York\n"
        "shutdown_grace_seconds: 60\n"
        "defaults:\n"
        "  retries: 2\n"
        "  base_backoff_seconds: 5\n"
        "  max_backoff_seconds: 8\n"
        "  misfire_grace_seconds: 30\n"
        f"jobs:\n{jobs}",
        encoding="utf-8",
    )
    return path


class Waits:
    """Record each backoff wait and return at once."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> bool:
        self.seconds.append(seconds)
        return True


def upper(low: float, high: float) -> float:
    return high


def query(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def relation_exists(db_path: Path, schema: str, name: str) -> bool:
    rows = query(
        db_path,
        "SELECT count(*) FROM information_schema.tables "
        f"WHERE table_schema = '{schema}' AND table_name = '{name}'",
    )
    return rows[0][0] == 1


def wait_for(condition, timeout_s: float = MAX_WAIT_S) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def outcomes_of(service: SchedulerService, job: str) -> list:
    return [o for o in list(service.outcomes) if o.job == job]


# --- the long-running scheduler ---------------------------------------------------

SCHEDULER_JOBS = """
  fred:
    every_seconds: 2
  cftc:
    every_seconds: 3600
  features:
    kind: features
    every_seconds: 3600
    retries: 0
    wait_deadline_minutes: 0.25
    poll_seconds: 0.5
"""


@pytest.fixture(scope="module")
def scheduler_run(tmp_path_factory) -> dict[str, Any]:
    """Run fred, failing cftc and features in one scheduler; return the results."""
    tmp_path = tmp_path_factory.mktemp("scheduler")
    db_path = tmp_path / "warehouse" / "zl.duckdb"
    db_path.parent.mkdir()
    with pytest.MonkeyPatch.context() as monkeypatch, LoopbackServer() as server:
        monkeypatch.setenv("ZL_DUCKDB_PATH", str(db_path))
        point_apis(server, monkeypatch)
        serve_fred(server)
        server.add(SOCRATA_PATH, unavailable())
        schedule = load_schedule(
            schedule_file(tmp_path, SCHEDULER_JOBS), known_sources=["cftc", "fred"]
        )
        waits = Waits()
        service = SchedulerService(schedule, db_path, sleep=waits, uniform=upper)
        service.start()
        try:
            finished = wait_for(
                lambda: (
                    len(
                        [
                            o
                            for o in outcomes_of(service, "fred")
                            if o.status == "success"
                        ]
                    )
                    >= 2
                    and outcomes_of(service, "cftc")
                    and outcomes_of(service, "features")
                )
            )
        finally:
            abandoned = service.stop(grace_s=60)
    return {
        "db": db_path,
        "service": service,
        "finished": finished,
        "abandoned": abandoned,
        "waits": waits.seconds,
    }


def test_scheduler_finishes(scheduler_run):
    assert scheduler_run["finished"]
    assert scheduler_run["abandoned"] == []


def test_fred_runs_repeat(scheduler_run):
    fred = outcomes_of(scheduler_run["service"], "fred")
    assert [o.status for o in fred[:2]] == ["success", "success"]


def test_rerun_adds_no_rows(scheduler_run):
    rows = query(scheduler_run["db"], "SELECT count(*) FROM raw.fred_economic")
    assert rows[0][0] == GDP_VINTAGE_ROWS


def test_fred_staging_built(scheduler_run):
    assert relation_exists(scheduler_run["db"], "staging", "fred_macro_clean")


def test_only_fred_staging_built(scheduler_run):
    assert not relation_exists(scheduler_run["db"], "staging", "cftc_cot")


def test_failing_source_retried(scheduler_run):
    cftc = outcomes_of(scheduler_run["service"], "cftc")[0]
    assert cftc.status == "failed"
    assert cftc.attempts == 3
    assert "503" in cftc.error


def test_backoff_capped(scheduler_run):
    # The first cftc run is the only job that retries: base 5 s, cap 8 s.
    assert scheduler_run["waits"][:2] == [5.0, 8.0]


def test_attempts_in_job_runs(scheduler_run):
    run_id = outcomes_of(scheduler_run["service"], "cftc")[0].run_id
    rows = query(
        scheduler_run["db"],
        "SELECT attempt, status, next_retry_at IS NOT NULL FROM ops.job_runs "
        f"WHERE run_id = '{run_id}' ORDER BY attempt",
    )
    assert rows == [(1, "failed", True), (2, "failed", True), (3, "failed", False)]


def test_failing_source_does_not_block(scheduler_run):
    rows = query(
        scheduler_run["db"],
        "SELECT job, min(started_at), max(finished_at) FROM ops.job_runs "
        "WHERE job IN ('fred', 'cftc') GROUP BY job",
    )
    spans = {job: (start, end) for job, start, end in rows}
    # Both started before either of their first runs ended: they ran side
    # by side, and fred succeeded while cftc was failing.
    assert spans["cftc"][0] < spans["fred"][1]
    assert spans["fred"][0] < spans["cftc"][1]


def test_features_names_missing_source(scheduler_run):
    features = outcomes_of(scheduler_run["service"], "features")[0]
    assert features.status == "failed"
    assert "inputs not ready by the deadline" in features.error
    assert "cftc (no successful load since" in features.error


def test_features_waited_for_fred(scheduler_run):
    features = outcomes_of(scheduler_run["service"], "features")[0]
    assert "fred (" not in features.error


# --- one run with a retry that succeeds ---------------------------------------------


def test_retry_then_success(apis, warehouse, tmp_path):
    apis.add(SOCRATA_PATH, *[unavailable()] * 5, Reply(200, _soybean_records()))
    path = schedule_file(tmp_path, "  cftc:\n    cron: '45 15 * * fri'\n")
    schedule = load_schedule(path, known_sources=["cftc"])
    waits = Waits()
    service = SchedulerService(schedule, warehouse, sleep=waits, uniform=upper)
    [outcome] = service.run_once(["cftc"])
    assert outcome.status == "success"
    assert outcome.attempts == 2
    assert waits.seconds == [5.0]
    rows = query(warehouse, "SELECT count(*) FROM raw.cftc_cot_disaggregated")
    assert rows[0][0] == SOYBEAN_ROWS
    assert relation_exists(warehouse, "staging", "cftc_cot")


# --- features and matrix jobs ---------------------------------------------------


FEATURE_JOBS = """
  fred:
    cron: "0 18 * * *"
  cftc:
    cron: "45 15 * * fri"
  features:
    kind: features
    cron: "0 3 * * *"
    retries: 0
    wait_deadline_minutes: 0.02
    poll_seconds: 0.2
    allow_stale: true
    select: ["+macro_features_daily"]
    exclude: []
  matrix:
    kind: matrix
    after: features
    cron: "0 4 * * *"
    retries: 0
    wait_deadline_minutes: 0.02
    poll_seconds: 0.2
    select: ["fred_series"]
"""


def test_matrix_waits_for_features(warehouse, tmp_path):
    path = schedule_file(tmp_path, FEATURE_JOBS)
    service = SchedulerService(load_schedule(path, ["cftc", "fred"]), warehouse)
    [outcome] = service.run_once(["matrix"])
    assert outcome.status == "failed"
    assert "job features has not succeeded on" in outcome.error


def test_stale_build_recorded(warehouse, tmp_path):
    landing = tmp_path / "landing" / "cftc"
    landing.mkdir(parents=True)
    (landing / TEXT_NAME).symlink_to(realdata_path("cftc", TEXT_NAME))
    load_source("cftc", landing.parent, db_path=warehouse)
    # Age the loaded rows past the COT source's error_after (15 days), so
    # dbt source freshness fails for cftc.
    old = datetime.now(UTC) - timedelta(days=30)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE raw.cftc_cot_disaggregated SET _loaded_at = ?", [old])
    path = schedule_file(tmp_path, FEATURE_JOBS)
    service = SchedulerService(load_schedule(path, ["cftc", "fred"]), warehouse)
    features, matrix = service.run_once(["features"]) + service.run_once(["matrix"])
    assert features.status == "success"
    assert matrix.status == "success"
    builds = query(
        warehouse,
        "SELECT kind, status, allow_stale, stale_sources, missing_sources, "
        "upstream_build_id FROM ops.feature_build_runs ORDER BY started_at",
    )
    feature_id = features.summary.split("(build ")[1].rstrip(")")
    assert builds == [
        ("features", "success", True, ["cftc"], ["fred"], None),
        ("matrix", "success", True, ["cftc"], ["fred"], feature_id),
    ]
    inputs = json.loads(
        query(warehouse, "SELECT inputs FROM ops.feature_build_runs")[0][0]
    )
    assert inputs["fred"] is None
    assert inputs["cftc"].startswith(datetime.now(UTC).strftime("%Y-%m-%d"))
