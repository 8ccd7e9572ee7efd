"""`zl scheduler` and `zl schedule export`.

`ingest/cli.py` adds these commands with `add_parsers(commands)` and runs
them with `run(args)`. `python -m ingest.scheduler` runs them on their own.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from ingest.scheduler.config import DEFAULT_SCHEDULE_PATH, load_schedule
from ingest.scheduler.export import FORMATS, export_schedule, write_export
from ingest.scheduler.service import SchedulerService
from ingest.warehouse import LockTimeoutError, write_lock

log = logging.getLogger(__name__)

# After abandoning jobs, how long to wait for the warehouse lock, so that
# the process never exits in the middle of a write.
EXIT_LOCK_TIMEOUT_S = 120.0


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Add the `scheduler` and `schedule export` commands to `zl`."""
    scheduler = subparsers.add_parser(
        "scheduler",
        help="run the jobs of the schedule file on their schedules",
        description="Run every job of the schedule file on its cron schedule "
        "until SIGTERM or SIGINT, or run the jobs given with --once now.",
    )
    _schedule_option(scheduler)
    scheduler.add_argument(
        "--once",
        nargs="+",
        metavar="JOB",
        help="run these jobs now, in parallel, with their retries, then exit",
    )
    scheduler.add_argument(
        "--allow-stale",
        action="store_true",
        help="build features past the wait deadline even with missing or "
        "stale sources, and record them in ops.feature_build_runs",
    )
    scheduler.add_argument(
        "--no-retries",
        action="store_true",
        help="make one attempt per job, for callers that retry themselves",
    )

    schedule = subparsers.add_parser(
        "schedule", help="write the schedule for cron, GitHub Actions or GCP"
    )
    actions = schedule.add_subparsers(dest="schedule_command", required=True)
    export = actions.add_parser(
        "export", help="write deployment definitions from the schedule file"
    )
    _schedule_option(export)
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument(
        "--output", type=Path, help="file to write (default: standard output)"
    )


def run(args: argparse.Namespace) -> int:
    """Run `zl scheduler` or `zl schedule export`; return the exit status.

    Raises:
        ScheduleError: the schedule file is invalid or names no such job.
        ExportError: the schedule cannot be written in the format.
    """
    schedule = load_schedule(args.schedule)
    if args.command == "schedule":
        write_export(export_schedule(schedule, args.format), args.output)
        return 0
    service = SchedulerService(
        schedule, allow_stale=args.allow_stale, retries=not args.no_retries
    )
    with _signals(service):
        if args.once:
            status = _run_once(service, args.once)
        else:
            service.start()
            service.runtime.stop.wait()
            service.stop()
            status = 0
    if service.abandoned:
        _exit_when_idle(service, status)
    return status


def _run_once(service: SchedulerService, names: list[str]) -> int:
    outcomes = service.run_once(names)
    for outcome in outcomes:
        detail = outcome.error or outcome.summary
        print(
            f"{outcome.job:<16} {outcome.status:<9} "
            f"{outcome.attempts} attempt(s)  {detail}"
        )
    failed = [o.job for o in outcomes if o.status != "success"]
    if failed:
        names = ", ".join(failed)
        print(f"zl: error: job(s) did not succeed: {names}", file=sys.stderr)
        return 1
    return 0


@contextmanager
def _signals(service: SchedulerService) -> Iterator[None]:
    """Stop on SIGTERM or SIGINT; a second signal ends the grace period."""

    def handle(signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if service.stopping:
            log.warning("scheduler: second %s; abandoning running jobs now", name)
            service.abandon_now()
            return
        log.info("scheduler: received %s; shutting down", name)
        service.runtime.stop.set()

    signals = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.signal(sig, handle) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _exit_when_idle(service: SchedulerService, status: int) -> None:
    """Exit without waiting for abandoned job threads, but never mid-write.

    Every write to the warehouse holds its lock. While this process holds
    it, no abandoned job is writing, so exiting leaves no half-written row
    or completion flag.
    """
    try:
        with write_lock(service.runtime.db_path, "scheduler exit", EXIT_LOCK_TIMEOUT_S):
            log.info("scheduler: exiting; abandoned: %s", ", ".join(service.abandoned))
            logging.shutdown()
            sys.stdout.flush()
            os._exit(status)
    except LockTimeoutError:
        log.error(
            "scheduler: the warehouse lock was still held after %.0f s; exiting anyway",
            EXIT_LOCK_TIMEOUT_S,
        )
        logging.shutdown()
        os._exit(1)


def _schedule_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--schedule",
        type=Path,
        default=DEFAULT_SCHEDULE_PATH,
        help="schedule file (default: schedules.yml at the project root)",
    )
