"""`zl schedule export`: the schedule as a crontab, a workflow or Cloud Scheduler jobs.

Every target runs one job per invocation with `zl scheduler --once JOB`,
so the job logic, retries and `ops.job_runs` records are the same as in
the long-running scheduler.

- crontab: one line per job under `CRON_TZ=<zone>` (cronie and other
  crons that read CRON_TZ), wrapped in `flock -n` so that a run still going
  when the next is due makes the next one exit.
- github-actions: one workflow, one workflow job per schedule job. GitHub
  reads cron in UTC only, so a job in a zone with daylight saving gets one
  cron line per UTC offset and a first step that skips the line belonging
  to the offset not in force (see `utc_crons`).
- cloud-scheduler: a JSON list of Cloud Scheduler jobs, which take the time
  zone themselves. Cloud Scheduler owns the retries there, so the target is
  called with `--no-retries`.
"""

from __future__ import annotations

import base64
import json
import math
import shlex
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from ingest.scheduler.config import JobConfig, Schedule
from ingest.scheduler.cron import CronSpec, render_values
from ingest.settings import PROJECT_ROOT, SECRET_NAMES

FORMATS = ("crontab", "github-actions", "cloud-scheduler")
# GitHub-hosted runners stop a job after 6 hours.
GITHUB_MAX_MINUTES = 360
# Cloud Scheduler rejects a RetryConfig.retryCount above 5.
CLOUD_MAX_RETRIES = 5


class ExportError(ValueError):
    """Raised when a job cannot be written in the requested format."""


def export_schedule(schedule: Schedule, fmt: str) -> str:
    """Return the schedule as text in `fmt` (one of `FORMATS`).

    Raises:
        ExportError: an unknown format, an interval job, a cron line that
            cannot be moved to UTC, or a missing `deploy:` setting.
    """
    for job in schedule.jobs.values():
        if job.cron is None:
            raise ExportError(
                f"job {job.name!r} uses every_seconds; only cron jobs can be exported"
            )
    if fmt == "crontab":
        return crontab(schedule)
    if fmt == "github-actions":
        return github_actions(schedule)
    if fmt == "cloud-scheduler":
        return cloud_scheduler(schedule)
    raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def once_command(schedule: Schedule, job: str, retries: bool = True) -> list[str]:
    """Return the `zl` arguments that run `job` once from the project root."""
    path = schedule.path.resolve()
    if path.is_relative_to(PROJECT_ROOT):
        path = path.relative_to(PROJECT_ROOT)
    command = ["zl", "scheduler", "--once", job, "--schedule", str(path)]
    return command + ([] if retries else ["--no-retries"])


def crontab(schedule: Schedule) -> str:
    workdir = str(schedule.deploy.get("workdir") or PROJECT_ROOT)
    lines = [
        f"# zl jobs from {schedule.path.name}; written by `zl schedule export`.",
        "# Needs a cron that reads CRON_TZ (cronie, for one); other crons",
        "# read these times in the system time zone.",
        "SHELL=/bin/sh",
    ]
    zone = None
    for job in schedule.jobs.values():
        if job.timezone != zone:
            zone = job.timezone
            lines += ["", f"CRON_TZ={zone}"]
        command = once_command(schedule, job.name)
        command[0] = ".venv/bin/zl"
        run = " ".join(shlex.quote(part) for part in command)
        lock = f"data/.cron-{job.name}.lock"
        lines.append(
            f"{job.cron.expression} cd {shlex.quote(workdir)} && mkdir -p data && "
            f"flock -n {lock} {run} 2>&1 | logger -t zl-{job.name}"
        )
    return "\n".join(lines) + "\n"


def utc_crons(spec: CronSpec, zone: ZoneInfo, year: int) -> dict[str, set[str]]:
    """Return each UTC cron line of a local cron and the offsets it is right for.

    Offsets are written like `date +%z` (`-0500`). A zone without daylight
    saving gives lines that are right for its single offset.

    Raises:
        ExportError: a line would move to another day while it names days
            of the month or months, which a UTC cron cannot express.
    """
    offsets = {
        _minutes(zone.utcoffset(datetime(year, 1, 1))),
        _minutes(zone.utcoffset(datetime(year, 7, 1))),
    }
    lines: dict[str, set[str]] = {}
    for offset in sorted(offsets):
        for line in shift_cron(spec, offset):
            lines.setdefault(line, set()).add(_offset_text(offset))
    return lines


def shift_cron(spec: CronSpec, offset_minutes: int) -> list[str]:
    """Return cron lines in UTC for a local cron at a fixed UTC offset."""
    by_shift: dict[int, dict[int, set[int]]] = {}
    for hour in spec.hour.values:
        for minute in spec.minute.values:
            total = hour * 60 + minute - offset_minutes
            day_shift, rest = divmod(total, 24 * 60)
            utc_hour, utc_minute = divmod(rest, 60)
            by_shift.setdefault(day_shift, {}).setdefault(utc_hour, set()).add(
                utc_minute
            )
    moves_day = set(by_shift) != {0}
    if moves_day and (spec.day.restricted or spec.month.restricted):
        raise ExportError(
            f"cron {spec.expression!r} moves to another UTC day and names days "
            "of the month or months; express it with day of week, or use a "
            "target that takes the time zone (crontab, cloud-scheduler)"
        )
    if not spec.weekday.restricted:
        merged: dict[int, set[int]] = {}
        for hours in by_shift.values():
            for hour, minutes in hours.items():
                merged.setdefault(hour, set()).update(minutes)
        by_shift = {0: merged}
    day = render_values(spec.day.values, 1, 31)
    month = render_values(spec.month.values, 1, 12)
    lines = []
    for day_shift, hours in sorted(by_shift.items()):
        weekday = "*"
        if spec.weekday.restricted:
            days = {(d + day_shift) % 7 for d in spec.weekday.values}
            weekday = render_values(days, 0, 6)
        by_minutes: dict[frozenset[int], set[int]] = {}
        for hour, minutes in hours.items():
            by_minutes.setdefault(frozenset(minutes), set()).add(hour)
        for minutes, hour_set in sorted(by_minutes.items(), key=lambda i: min(i[1])):
            minute_text = render_values(minutes, 0, 59)
            hour_text = render_values(hour_set, 0, 23)
            lines.append(f"{minute_text} {hour_text} {day} {month} {weekday}")
    return lines


def github_actions(schedule: Schedule, year: int | None = None) -> str:
    year = year or datetime.now().year
    settings = schedule.deploy.get("github_actions") or {}
    crons: dict[str, dict[str, set[str]]] = {}
    for job in schedule.jobs.values():
        crons[job.name] = utc_crons(job.cron, job.tz, year)
    every_line = sorted({line for lines in crons.values() for line in lines})
    env = {name: f"${{{{ secrets.{name} }}}}" for name in SECRET_NAMES}
    env.update({str(k): str(v) for k, v in (settings.get("env") or {}).items()})
    workflow: dict[str, Any] = {
        "name": "zl scheduled jobs",
        "on": {
            "schedule": [{"cron": line} for line in every_line],
            "workflow_dispatch": {
                "inputs": {
                    "job": {
                        "description": "job from the schedule file to run now",
                        "required": True,
                        "type": "choice",
                        "options": list(schedule.jobs),
                    }
                }
            },
        },
        "permissions": {"contents": "read"},
        "jobs": {},
    }
    for job in schedule.jobs.values():
        workflow["jobs"][job.name] = _workflow_job(
            schedule, job, crons[job.name], env, settings
        )
    header = (
        f"# zl jobs from {schedule.path.name}; written by `zl schedule export`.\n"
        "# Cron lines are UTC. Each local time has a line per UTC offset of its\n"
        "# zone, and the first step skips the line of the offset not in force.\n"
    )
    return header + yaml.dump(
        workflow, Dumper=_WorkflowDumper, sort_keys=False, width=1000
    )


def _workflow_job(
    schedule: Schedule,
    job: JobConfig,
    lines: dict[str, set[str]],
    env: dict[str, str],
    settings: dict[str, Any],
) -> dict[str, Any]:
    listed = json.dumps(sorted(lines))
    condition = (
        f"(github.event_name == 'workflow_dispatch' && inputs.job == '{job.name}') "
        f"|| (github.event_name == 'schedule' && "
        f"contains(fromJSON('{listed}'), github.event.schedule))"
    )
    gate = _offset_gate(job.timezone, lines)
    when = "steps.gate.outputs.run == 'true'"
    run = " ".join(shlex.quote(p) for p in once_command(schedule, job.name))
    return {
        "if": condition,
        "runs-on": settings.get("runs_on", "ubuntu-latest"),
        "timeout-minutes": _timeout_minutes(job),
        "concurrency": {"group": f"zl-{job.name}", "cancel-in-progress": False},
        "env": dict(env),
        "steps": [
            {
                "id": "gate",
                "name": f"Check the UTC offset of {job.timezone}",
                "env": {"SCHEDULE": "${{ github.event.schedule }}"},
                "run": gate,
            },
            {"if": when, "uses": "actions/checkout@v4"},
            {
                "if": when,
                "uses": "actions/setup-python@v5",
                "with": {"python-version": str(settings.get("python_version", "3.11"))},
            },
            {"if": when, "run": "make install"},
            {"if": when, "run": f".venv/bin/{run}"},
        ],
    }


class _WorkflowDumper(yaml.SafeDumper):
    """Write multi-line strings as literal blocks and repeat shared values.

    GitHub Actions workflows do not take YAML anchors and aliases.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_WorkflowDumper.add_representer(str, _represent_text)


def _offset_gate(zone: str, lines: dict[str, set[str]]) -> str:
    """Return the shell step that lets only the right UTC line run.

    A line runs when it belongs to the offset in force. In the hour after
    the change to summer time, a line of the winter offset runs as well: its
    local time did not exist that day, and APScheduler, like cron, runs it
    at the same instant in the new offset.
    """
    offsets = sorted(
        {offset for line_offsets in lines.values() for offset in line_offsets}
    )
    patterns = [
        f'"{line}|{offset}|"*' for line, owned in lines.items() for offset in owned
    ]
    if len(offsets) == 2:
        winter, summer = sorted(offsets, key=_offset_minutes)
        patterns += [
            f'"{line}|{summer}|{winter}"'
            for line, owned in lines.items()
            if winter in owned
        ]
    return (
        f'now="$(TZ={zone} date +%z)"\n'
        f"before=\"$(TZ={zone} date -d '1 hour ago' +%z)\"\n"
        'case "$SCHEDULE|$now|$before" in\n'
        f'  "|"*|{"|".join(patterns)})\n'
        '    echo "run=true" >> "$GITHUB_OUTPUT" ;;\n'
        "  *)\n"
        '    echo "run=false" >> "$GITHUB_OUTPUT"\n'
        '    echo "skipped: $SCHEDULE is the line for another UTC offset" ;;\n'
        "esac\n"
    )


def _offset_minutes(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    return sign * (int(text[1:3]) * 60 + int(text[3:5]))


def _timeout_minutes(job: JobConfig) -> int:
    # NOTE: an estimate: each attempt gets its wait deadline plus an hour of
    # work, plus the longest backoff before each retry.
    per_attempt = job.wait_deadline_minutes if job.kind != "source" else 0
    total = job.attempts * (per_attempt + 60) + job.retries * job.max_backoff_s / 60
    return min(GITHUB_MAX_MINUTES, math.ceil(total))


def cloud_scheduler(schedule: Schedule) -> str:
    settings = schedule.deploy.get("cloud_scheduler") or {}
    for key in ("project", "location", "uri"):
        if not settings.get(key):
            raise ExportError(
                f"{schedule.path}: deploy.cloud_scheduler.{key} is missing; "
                "Cloud Scheduler jobs need a project, a location and a target uri"
            )
    parent = f"projects/{settings['project']}/locations/{settings['location']}"
    deadline = int(settings.get("attempt_deadline_seconds", 1800))
    jobs = []
    for job in schedule.jobs.values():
        if job.retries > CLOUD_MAX_RETRIES:
            raise ExportError(
                f"job {job.name!r}: {job.retries} retries is above Cloud "
                f"Scheduler's maximum of {CLOUD_MAX_RETRIES}; lower `retries`"
            )
        body = {"job": job.name, "command": once_command(schedule, job.name, False)}
        doublings = 0
        if job.base_backoff_s > 0:
            doublings = math.ceil(math.log2(job.max_backoff_s / job.base_backoff_s))
        jobs.append(
            {
                "name": f"{parent}/jobs/zl-{job.name}",
                "description": f"zl job {job.name} ({job.kind})",
                "schedule": job.cron.expression,
                "timeZone": job.timezone,
                "attemptDeadline": f"{deadline}s",
                "retryConfig": {
                    "retryCount": job.retries,
                    "minBackoffDuration": f"{job.base_backoff_s:g}s",
                    "maxBackoffDuration": f"{job.max_backoff_s:g}s",
                    "maxDoublings": doublings,
                },
                "httpTarget": {
                    "uri": str(settings["uri"]),
                    "httpMethod": "POST",
                    "headers": {"Content-Type": "application/json"},
                    "body": base64.b64encode(json.dumps(body).encode()).decode(),
                },
            }
        )
    return json.dumps(jobs, indent=2) + "\n"


def write_export(text: str, output: Path | None) -> None:
    """Write the export to `output`, or to standard output when None."""
    if output is None:
        print(text, end="")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")


def _minutes(offset: Any) -> int:
    return int(offset.total_seconds() // 60)


def _offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{rest:02d}"
