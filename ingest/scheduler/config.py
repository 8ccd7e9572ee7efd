"""`schedules.yml`: every job with its trigger, time zone, retries and backoff.

The file is validated as a whole when it is loaded. An invalid cron
expression, an unknown time zone, a negative retry count, an unknown key
or a job for a source that no package under `ingest/` defines raises
`ScheduleError`, and the message names the job. Registry sources without
a job are listed in `Schedule.unscheduled`, and logged as a warning unless
they have no live API (such a source is loaded from files only).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from ingest.scheduler.cron import CronError, CronSpec, fire_times, parse_cron
from ingest.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

DEFAULT_SCHEDULE_PATH = PROJECT_ROOT / "schedules.yml"
KINDS = ("source", "features", "matrix")
JOB_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")

# Used for any setting that neither the job nor `defaults:` gives.
BUILTIN_DEFAULTS: dict[str, Any] = {
    "retries": 3,
    "max_backoff_seconds": 3600,
    "base_backoff_seconds": 60,
    "misfire_grace_seconds": 900,
    "wait_deadline_minutes": 60,
    "poll_seconds": 60,
    "allow_stale": False,
}
DEFAULT_SELECT = {
    "features": (["+path:models/features"], ["daily_ml_matrix+"]),
    "matrix": (["daily_ml_matrix+"], []),
}
JOB_KEYS = {
    "kind",
    "source",
    "from_dir",
    "cron",
    "every_seconds",
    "timezone",
    "retries",
    "max_backoff_seconds",
    "base_backoff_seconds",
    "misfire_grace_seconds",
    "wait_deadline_minutes",
    "poll_seconds",
    "allow_stale",
    "waits_for",
    "after",
    "select",
    "exclude",
    "description",
}
TOP_KEYS = {"timezone", "shutdown_grace_seconds", "defaults", "jobs", "deploy"}


class ScheduleError(ValueError):
    """Raised for a schedule file that is missing, malformed or invalid."""


@dataclass(frozen=True)
class JobConfig:
    """One job of the schedule.

    Attributes:
        name: the job id, used by `--once`, in logs and in `ops.job_runs`.
        kind: `source` (load and build staging), `features` or `matrix`.
        timezone: IANA name of the zone the cron expression is read in.
        cron: the parsed cron expression, or None for an interval job.
        every_seconds: the interval of an interval job (tests, local runs),
            which the scheduler also runs as soon as it starts.
        retries: retries after a failed attempt, so attempts = retries + 1.
        base_backoff_s, max_backoff_s: the exponential backoff's start and cap.
        misfire_grace_s: how late a run may still start after its fire time.
        source: the registry source a `source` job loads.
        from_dir: a landing folder that a `source` job reads instead of the
            live API (the folder contains one sub-folder per source).
        wait_deadline_minutes, poll_seconds: how long a `features` or
            `matrix` job waits for its inputs, and how often it checks.
        allow_stale: build past the deadline anyway and record the gaps.
        waits_for: sources a `features` job waits for (None: every source job).
        after: the `features` job that a `matrix` job waits for.
        select, exclude: the dbt selection of a `features` or `matrix` job.
    """

    name: str
    kind: str
    timezone: str
    cron: CronSpec | None
    every_seconds: float | None
    retries: int
    base_backoff_s: float
    max_backoff_s: float
    misfire_grace_s: int
    source: str | None = None
    from_dir: Path | None = None
    wait_deadline_minutes: float = 60.0
    poll_seconds: float = 60.0
    allow_stale: bool = False
    waits_for: tuple[str, ...] | None = None
    after: str | None = None
    select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    description: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def attempts(self) -> int:
        return self.retries + 1

    def trigger(self) -> BaseTrigger:
        """Build the APScheduler trigger of this job."""
        if self.cron is not None:
            return self.cron.trigger(self.tz)
        return IntervalTrigger(seconds=self.every_seconds, timezone=self.tz)

    def previous_fire(self, at: datetime) -> datetime | None:
        """Return the latest cron fire time at or before `at`.

        Looks back up to a year. Interval jobs have no fixed fire times, so
        they return None.
        """
        if self.cron is None:
            return None
        trigger = self.trigger()
        for days in (1, 8, 367):
            fires = fire_times(trigger, at - timedelta(days=days), at, inclusive=True)
            if fires:
                return fires[-1]
        return None

    def next_fire(self, after: datetime) -> datetime | None:
        return self.trigger().get_next_fire_time(None, after)


@dataclass(frozen=True)
class Schedule:
    """A validated schedule file."""

    path: Path
    timezone: str
    jobs: dict[str, JobConfig]
    unscheduled: tuple[str, ...] = ()
    shutdown_grace_s: float = 300.0
    deploy: dict[str, Any] = field(default_factory=dict)

    def job(self, name: str) -> JobConfig:
        try:
            return self.jobs[name]
        except KeyError:
            known = ", ".join(self.jobs) or "none"
            raise ScheduleError(
                f"{self.path}: no job named {name!r}; jobs: {known}"
            ) from None

    def source_jobs(self) -> list[JobConfig]:
        return [job for job in self.jobs.values() if job.kind == "source"]

    def scheduled_sources(self) -> list[str]:
        return sorted({job.source for job in self.source_jobs() if job.source})


def _file_only_sources() -> set[str]:
    """Return the registry sources that have no live API."""
    from ingest.registry import sources

    return {name for name, spec in sources().items() if not spec.live_api}


def load_schedule(
    path: Path | None = None, known_sources: Collection[str] | None = None
) -> Schedule:
    """Read and validate a schedule file.

    Args:
        path: the YAML file (default: `schedules.yml` at the project root).
        known_sources: source names a `source` job may load (default: the
            registry of packages under `ingest/`).

    Raises:
        ScheduleError: the file is missing, not YAML, or invalid; the
            message names the file, the job and the setting.
    """
    path = Path(path or DEFAULT_SCHEDULE_PATH)
    if known_sources is None:
        from ingest.registry import sources

        known_sources = list(sources())
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScheduleError(f"schedule file {path} not found") from None
    except yaml.YAMLError as exc:
        raise ScheduleError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise ScheduleError(f"{path}: expected a mapping with a `jobs:` key")
    _reject_unknown(path, "the top level", document, TOP_KEYS)
    zone = _timezone(path, "the top level", document.get("timezone", "UTC"))
    defaults = {**BUILTIN_DEFAULTS, **_mapping(path, "defaults", document)}
    _reject_unknown(path, "defaults", defaults, JOB_KEYS)
    raw_jobs = _mapping(path, "jobs", document)
    if not raw_jobs:
        raise ScheduleError(f"{path}: `jobs:` is empty")
    jobs = {}
    for name, entry in raw_jobs.items():
        if not isinstance(entry, dict):
            raise ScheduleError(f"{path}: job {name!r}: expected a mapping")
        jobs[str(name)] = _job(path, str(name), {**defaults, **entry}, zone)
    _check_references(path, jobs, set(known_sources))
    scheduled = {job.source for job in jobs.values() if job.kind == "source"}
    unscheduled = tuple(sorted(set(known_sources) - scheduled))
    file_only = _file_only_sources() if unscheduled else set()
    for name in unscheduled:
        if name in file_only:
            log.debug("%s: source %s reads files only and has no job", path, name)
        else:
            log.warning(
                "%s: source %s has no job and will not be scheduled", path, name
            )
    grace = _number(
        path, "the top level", "shutdown_grace_seconds", document, 300, low=0
    )
    deploy = document.get("deploy") or {}
    if not isinstance(deploy, dict):
        raise ScheduleError(f"{path}: `deploy:` must be a mapping")
    return Schedule(path, zone, jobs, unscheduled, grace, deploy)


def _job(path: Path, name: str, entry: dict[str, Any], zone: str) -> JobConfig:
    where = f"job {name!r}"
    if not JOB_NAME.match(name):
        raise ScheduleError(
            f"{path}: {where}: names use lowercase letters, digits, - and _"
        )
    _reject_unknown(path, where, entry, JOB_KEYS)
    kind = entry.get("kind", "source")
    if kind not in KINDS:
        raise ScheduleError(
            f"{path}: {where}: kind {kind!r} is invalid; use one of {', '.join(KINDS)}"
        )
    cron, every = _trigger(path, where, entry)
    retries = entry["retries"]
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ScheduleError(
            f"{path}: {where}: retries must be a whole number >= 0, got {retries!r}"
        )
    base = _number(path, where, "base_backoff_seconds", entry, None, low=0)
    cap = _number(path, where, "max_backoff_seconds", entry, None, low=0)
    if cap < base:
        raise ScheduleError(
            f"{path}: {where}: max_backoff_seconds ({cap:g}) is below "
            f"base_backoff_seconds ({base:g})"
        )
    allow_stale = entry["allow_stale"]
    if not isinstance(allow_stale, bool):
        raise ScheduleError(f"{path}: {where}: allow_stale must be true or false")
    for key in ("source", "from_dir"):
        if key in entry and kind != "source":
            raise ScheduleError(f"{path}: {where}: {key} applies to source jobs only")
    select, exclude = DEFAULT_SELECT.get(kind, ([], []))
    waits_for = entry.get("waits_for")
    return JobConfig(
        name=name,
        kind=kind,
        timezone=_timezone(path, where, entry.get("timezone", zone)),
        cron=cron,
        every_seconds=every,
        retries=retries,
        base_backoff_s=base,
        max_backoff_s=cap,
        misfire_grace_s=int(
            _number(path, where, "misfire_grace_seconds", entry, None, low=1)
        ),
        source=str(entry.get("source", name)) if kind == "source" else None,
        from_dir=_folder(path, where, entry.get("from_dir")),
        wait_deadline_minutes=_number(
            path, where, "wait_deadline_minutes", entry, None, low=0
        ),
        poll_seconds=_number(path, where, "poll_seconds", entry, None, low=0.01),
        allow_stale=allow_stale,
        waits_for=None if waits_for is None else _names(path, where, waits_for),
        after=entry.get("after"),
        select=_names(path, where, entry.get("select", select)),
        exclude=_names(path, where, entry.get("exclude", exclude)),
        description=str(entry.get("description", "")),
    )


def _trigger(
    path: Path, where: str, entry: dict[str, Any]
) -> tuple[CronSpec | None, float | None]:
    has_cron = "cron" in entry
    has_every = "every_seconds" in entry
    if has_cron == has_every:
        raise ScheduleError(
            f"{path}: {where}: give exactly one of `cron` or `every_seconds`"
        )
    if has_every:
        return None, _number(path, where, "every_seconds", entry, None, low=0.1)
    try:
        return parse_cron(entry["cron"]), None
    except CronError as exc:
        raise ScheduleError(f"{path}: {where}: invalid cron: {exc}") from None


def _check_references(path: Path, jobs: dict[str, JobConfig], known: set[str]) -> None:
    listed = ", ".join(sorted(known)) or "none"
    scheduled = {job.source for job in jobs.values() if job.kind == "source"}
    for job in jobs.values():
        if job.kind == "source" and job.source not in known:
            raise ScheduleError(
                f"{path}: job {job.name!r}: unknown source {job.source!r}; "
                f"the registry has: {listed}"
            )
        for name in job.waits_for or ():
            if name not in scheduled:
                raise ScheduleError(
                    f"{path}: job {job.name!r}: waits_for names {name!r}, "
                    "which no source job in this file loads"
                )
        if job.kind == "matrix":
            upstream = jobs.get(job.after or "")
            if upstream is None or upstream.kind != "features":
                raise ScheduleError(
                    f"{path}: job {job.name!r}: `after` must name a features job "
                    f"of this file, got {job.after!r}"
                )
        elif job.after is not None:
            raise ScheduleError(
                f"{path}: job {job.name!r}: `after` applies to matrix jobs only"
            )


def _timezone(path: Path, where: str, name: Any) -> str:
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"{path}: {where}: unknown time zone {name!r}; "
            "use an IANA name such as America/New_York"
        ) from None
    return str(name)


def _number(
    path: Path,
    where: str,
    key: str,
    entry: dict[str, Any],
    default: float | None,
    low: float,
) -> float:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScheduleError(f"{path}: {where}: {key} must be a number, got {value!r}")
    if value < low:
        raise ScheduleError(f"{path}: {where}: {key} must be >= {low:g}, got {value}")
    return float(value)


def _folder(path: Path, where: str, value: Any) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ScheduleError(f"{path}: {where}: from_dir must be a folder path")
    folder = Path(value).expanduser()
    return folder if folder.is_absolute() else PROJECT_ROOT / folder


def _names(path: Path, where: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScheduleError(f"{path}: {where}: expected a list of names, got {value!r}")
    return tuple(value)


def _mapping(path: Path, key: str, document: dict[str, Any]) -> dict[str, Any]:
    value = document.get(key) or {}
    if not isinstance(value, dict):
        raise ScheduleError(f"{path}: `{key}:` must be a mapping")
    return value


def _reject_unknown(
    path: Path, where: str, entry: dict[str, Any], allowed: set[str]
) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ScheduleError(
            f"{path}: {where}: unknown setting(s) {', '.join(map(str, unknown))}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )
