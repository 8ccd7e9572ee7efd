"""`zl schedule export`: crontab, GitHub Actions and Cloud Scheduler output.

Each export is parsed back and checked against the schedule. For GitHub
Actions, the UTC cron lines and the offset gate together must fire at
exactly the New York times of the schedule, in winter and in summer.
"""

from __future__ import annotations

import base64
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from ingest.scheduler.__main__ import main
from ingest.scheduler.config import load_schedule
from ingest.scheduler.cron import fire_times, parse_cron
from ingest.scheduler.export import (
    ExportError,
    export_schedule,
    github_actions,
    shift_cron,
    utc_crons,
)

NEW_YORK = ZoneInfo("America/New_York")
KNOWN = ("cftc", "eia", "fred", "usda", "weather")

SCHEDULE = """
timezone: America/New_York
defaults:
  retries: 3
  base_backoff_seconds: 60
  max_backoff_seconds: 3600
jobs:
  fred:
    cron: "0 18 * * *"
    max_backoff_seconds: 1800
  usda:
    cron: "0 10 * * mon"
  cftc:
    cron: "45 15 * * fri"
  eia:
    cron: "45 10 * * wed"
  weather:
    cron: "0 2 * * *"
    max_backoff_seconds: 1800
  late:
    source: fred
    cron: "30 21 * * fri"
  hourly:
    source: cftc
    cron: "0 * * * *"
  night:
    source: eia
    cron: "30 1 * * *"
  two:
    source: usda
    cron: "30 2 * * *"
  features:
    kind: features
    cron: "0 3 * * *"
    retries: 2
  daily_ml_matrix:
    kind: matrix
    after: features
    cron: "0 4 * * *"
    retries: 2
deploy:
  workdir: /opt/zl platform
  github_actions:
    env:
      ZL_DBT_TARGET: motherduck
  cloud_scheduler:
    project: zl-project
    location: us-east1
    uri: https://runner.example.com/jobs
"""


@pytest.fixture
def schedule(tmp_path):
    path = tmp_path / "schedules.yml"
    path.write_text(SCHEDULE, encoding="utf-8")
    return load_schedule(path, known_sources=KNOWN)


# --- crontab ------------------------------------------------------------------


def crontab_entries(text: str) -> dict[str, tuple[str, str]]:
    """Return job -> (cron, command) from crontab text, checking CRON_TZ."""
    entries = {}
    zone = None
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("SHELL="):
            continue
        if line.startswith("CRON_TZ="):
            zone = line.split("=", 1)[1]
            continue
        fields = line.split(maxsplit=5)
        cron, command = " ".join(fields[:5]), fields[5]
        job = command.split("--once ", 1)[1].split()[0]
        entries[job] = (cron, command, zone)
    return entries


def test_crontab_every_job(schedule):
    entries = crontab_entries(export_schedule(schedule, "crontab"))
    assert set(entries) == set(schedule.jobs)


def test_crontab_lines_match_schedule(schedule):
    entries = crontab_entries(export_schedule(schedule, "crontab"))
    for name, (cron, _command, zone) in entries.items():
        assert cron == schedule.job(name).cron.expression
        assert zone == "America/New_York"
        parse_cron(cron)


def test_crontab_command(schedule):
    _cron, command, _zone = crontab_entries(export_schedule(schedule, "crontab"))[
        "cftc"
    ]
    assert command.startswith("cd '/opt/zl platform' && ")
    assert "flock -n data/.cron-cftc.lock" in command
    assert ".venv/bin/zl scheduler --once cftc --schedule" in command
    assert command.endswith("| logger -t zl-cftc")


# --- UTC conversion -----------------------------------------------------------------


def test_shift_daily_evening():
    assert shift_cron(parse_cron("0 18 * * *"), -240) == ["0 22 * * *"]


def test_shift_crosses_midnight_weekday():
    assert shift_cron(parse_cron("30 21 * * fri"), -300) == ["30 2 * * 6"]


def test_shift_hourly_stays_hourly():
    assert shift_cron(parse_cron("0 * * * *"), -300) == ["0 * * * *"]


def test_shift_half_hour_zone():
    assert shift_cron(parse_cron("0 10 * * *"), 330) == ["30 4 * * *"]


def test_shift_splits_by_day():
    lines = shift_cron(parse_cron("0 8,22 * * mon"), -300)
    assert lines == ["0 13 * * 1", "0 3 * * 2"]


def test_shift_day_of_month_rejected():
    with pytest.raises(ExportError, match="names days of the month"):
        shift_cron(parse_cron("0 22 1 * *"), -300)


def test_utc_crons_offsets():
    lines = utc_crons(parse_cron("0 18 * * *"), NEW_YORK, 2025)
    assert lines == {"0 22 * * *": {"-0400"}, "0 23 * * *": {"-0500"}}


def test_utc_crons_no_daylight_saving():
    lines = utc_crons(parse_cron("0 18 * * *"), ZoneInfo("Asia/Tokyo"), 2025)
    assert lines == {"0 9 * * *": {"+0900"}}


def local_fires(job, start: datetime, end: datetime) -> set[datetime]:
    return set(fire_times(job.trigger(), start, end))


def gated_utc_fires(
    lines: dict[str, set[str]], start: datetime, end: datetime
) -> set[datetime]:
    """Return the UTC fire times of the lines that the offset gate lets run.

    This is the gate's rule: the offset in force now, and in the hour after
    the change to summer time also the winter offset.
    """
    fires = set()
    for line, owned in lines.items():
        trigger = parse_cron(line).trigger(ZoneInfo("UTC"))
        for fire in fire_times(trigger, start, end):
            now = fire.astimezone(NEW_YORK)
            before = (fire - timedelta(hours=1)).astimezone(NEW_YORK)
            offsets = {now.strftime("%z")}
            if before.utcoffset() < now.utcoffset():
                offsets.add(before.strftime("%z"))
            if offsets & owned:
                fires.add(fire)
    return fires


@pytest.mark.parametrize("month", [1, 7, 3, 11])
def test_utc_lines_fire_at_local_times(schedule, month):
    start = datetime(2025, month, 1, tzinfo=UTC)
    end = start + timedelta(days=31)
    for job in schedule.jobs.values():
        lines = utc_crons(job.cron, job.tz, 2025)
        assert gated_utc_fires(lines, start, end) == local_fires(job, start, end), (
            job.name
        )


# --- GitHub Actions -----------------------------------------------------------------


@pytest.fixture
def workflow(schedule):
    return yaml.safe_load(github_actions(schedule, year=2025))


def test_workflow_cron_lines(workflow):
    lines = {entry["cron"] for entry in workflow["on"]["schedule"]}
    assert {"0 22 * * *", "0 23 * * *", "45 19 * * 5", "45 20 * * 5"} <= lines


def test_workflow_cron_lines_parse(workflow):
    for entry in workflow["on"]["schedule"]:
        parse_cron(entry["cron"])


def test_workflow_job_per_schedule_job(workflow, schedule):
    assert set(workflow["jobs"]) == set(schedule.jobs)


def test_workflow_dispatch_options(workflow, schedule):
    options = workflow["on"]["workflow_dispatch"]["inputs"]["job"]["options"]
    assert options == list(schedule.jobs)


def test_workflow_job_condition(workflow):
    condition = workflow["jobs"]["fred"]["if"]
    assert "inputs.job == 'fred'" in condition
    assert '["0 22 * * *", "0 23 * * *"]' in condition


def test_workflow_no_overlap(workflow):
    concurrency = workflow["jobs"]["cftc"]["concurrency"]
    assert concurrency == {"group": "zl-cftc", "cancel-in-progress": False}


def test_workflow_runs_once_command(workflow):
    steps = workflow["jobs"]["eia"]["steps"]
    assert steps[-1]["run"].startswith(".venv/bin/zl scheduler --once eia")


def test_workflow_env(workflow):
    env = workflow["jobs"]["fred"]["env"]
    assert env["FRED_API_KEY"] == "${{ secrets.FRED_API_KEY }}"
    assert env["ZL_DBT_TARGET"] == "motherduck"


def run_gate(script: str, schedule_line: str, tmp_path: Path) -> str:
    output = tmp_path / "github_output"
    output.write_text("")
    subprocess.run(
        ["bash", "-c", script],
        env={
            "SCHEDULE": schedule_line,
            "GITHUB_OUTPUT": str(output),
            "PATH": "/usr/bin:/bin",
        },
        check=True,
        capture_output=True,
    )
    return output.read_text().strip()


def test_workflow_gate_runs_current_offset(workflow, tmp_path):
    script = workflow["jobs"]["fred"]["steps"][0]["run"]
    offset = datetime.now(NEW_YORK).strftime("%z")
    line = {"-0400": "0 22 * * *", "-0500": "0 23 * * *"}[offset]
    assert run_gate(script, line, tmp_path) == "run=true"


def test_workflow_gate_skips_other_offset(workflow, tmp_path):
    script = workflow["jobs"]["fred"]["steps"][0]["run"]
    offset = datetime.now(NEW_YORK).strftime("%z")
    line = {"-0400": "0 23 * * *", "-0500": "0 22 * * *"}[offset]
    assert run_gate(script, line, tmp_path) == "run=false"


def test_workflow_gate_runs_dispatch(workflow, tmp_path):
    script = workflow["jobs"]["fred"]["steps"][0]["run"]
    assert run_gate(script, "", tmp_path) == "run=true"


# --- Cloud Scheduler ----------------------------------------------------------------


@pytest.fixture
def cloud_jobs(schedule):
    return {
        job["name"].rsplit("/", 1)[1]: job
        for job in json.loads(export_schedule(schedule, "cloud-scheduler"))
    }


def test_cloud_job_per_schedule_job(cloud_jobs, schedule):
    assert set(cloud_jobs) == {f"zl-{name}" for name in schedule.jobs}


def test_cloud_job_fields(cloud_jobs):
    job = cloud_jobs["zl-fred"]
    assert job["name"] == "projects/zl-project/locations/us-east1/jobs/zl-fred"
    assert job["schedule"] == "0 18 * * *"
    assert job["timeZone"] == "America/New_York"
    assert job["httpTarget"]["uri"] == "https://runner.example.com/jobs"


def test_cloud_retry_config(cloud_jobs):
    retry = cloud_jobs["zl-fred"]["retryConfig"]
    assert retry["retryCount"] == 3
    assert retry["maxBackoffDuration"] == "1800s"
    assert retry["minBackoffDuration"] == "60s"
    assert retry["maxDoublings"] == 5


def test_cloud_body_runs_one_attempt(cloud_jobs):
    body = json.loads(base64.b64decode(cloud_jobs["zl-features"]["httpTarget"]["body"]))
    assert body["job"] == "features"
    assert body["command"][:4] == ["zl", "scheduler", "--once", "features"]
    assert "--no-retries" in body["command"]


def test_cloud_missing_project(tmp_path):
    path = tmp_path / "schedules.yml"
    path.write_text(SCHEDULE.replace("    project: zl-project\n", ""))
    schedule = load_schedule(path, known_sources=KNOWN)
    with pytest.raises(ExportError, match="deploy.cloud_scheduler.project"):
        export_schedule(schedule, "cloud-scheduler")


def test_interval_job_not_exported(tmp_path):
    path = tmp_path / "schedules.yml"
    path.write_text("jobs:\n  fred:\n    every_seconds: 5\n")
    schedule = load_schedule(path, known_sources=KNOWN)
    with pytest.raises(ExportError, match="job 'fred' uses every_seconds"):
        export_schedule(schedule, "crontab")


# --- command line -------------------------------------------------------------------


def test_cli_writes_output(schedule, tmp_path, capsys):
    output = tmp_path / "out" / "zl.json"
    status = main(
        [
            "schedule",
            "export",
            "--format",
            "cloud-scheduler",
            "--schedule",
            str(schedule.path),
            "--output",
            str(output),
        ]
    )
    assert status == 0
    assert len(json.loads(output.read_text())) == len(schedule.jobs)


def test_cli_invalid_schedule(tmp_path, capsys):
    path = tmp_path / "schedules.yml"
    path.write_text('jobs:\n  fred:\n    cron: "0 18 * *"\n')
    status = main(
        ["schedule", "export", "--format", "crontab", "--schedule", str(path)]
    )
    assert status == 1
    assert "job 'fred': invalid cron" in capsys.readouterr().err
