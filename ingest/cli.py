"""The `zl` command line: load, build, run, demo and status.

Every command exits 0 on success and 1 with a one-line reason on failure;
invalid arguments exit 2 with argparse's usage message.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

import duckdb

from ingest.build import BuildError, build
from ingest.registry import UnknownSourceError, sources
from ingest.runner import LoadError, RunResult, load_many, load_source
from ingest.scheduler import cli as scheduler_cli
from ingest.scrub import scrub
from ingest.sentiment import cli as sentiment_cli
from ingest.settings import MissingSecretError, duckdb_path
from ingest.source import Window
from ingest.warehouse import LockTimeoutError, TargetUnavailableError

log = logging.getLogger("zl")

EXPECTED_ERRORS = (
    BuildError,
    LoadError,
    LockTimeoutError,
    MissingSecretError,
    TargetUnavailableError,
    UnknownSourceError,
    FileExistsError,
    FileNotFoundError,
    ValueError,
    duckdb.IOException,
)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}; expected YYYY-MM-DD"
        ) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zl",
        description="Point-in-time daily training matrix for soybean oil futures.",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log at DEBUG level"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="load sources into the raw schema")
    load.add_argument("sources", nargs="*", help="source names (see zl status)")
    load.add_argument("--all", action="store_true", help="load every source")
    load.add_argument(
        "--from-dir",
        type=Path,
        help="landing folder with one sub-folder per source; "
        "without it the live APIs are used",
    )
    load.add_argument("--start", type=_date, help="first date to load (YYYY-MM-DD)")
    load.add_argument("--end", type=_date, help="last date to load (YYYY-MM-DD)")
    load.set_defaults(command_parser=load)

    build_cmd = commands.add_parser("build", help="freshness gate, then dbt build")
    build_cmd.add_argument(
        "--allow-stale",
        action="store_true",
        help="build even when a loaded source fails its freshness check",
    )
    build_cmd.add_argument("--select", nargs="+", help="dbt node selection")
    build_cmd.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild incremental models from scratch and run the dbt unit tests "
        "(an incremental build skips them)",
    )

    run = commands.add_parser("run", help="every loader live in parallel, then build")
    run.add_argument("--allow-stale", action="store_true")

    demo = commands.add_parser(
        "demo", help="load synthetic vendor files and build everything"
    )
    demo.add_argument(
        "--landing",
        type=Path,
        default=Path("data/demo_landing"),
        help="where to write the synthetic landing folder",
    )

    commands.add_parser("status", help="per source: last run, rows and outcome")
    sentiment_cli.add_parser(commands)
    scheduler_cli.add_parsers(commands)
    return parser


def _print_results(results: list[RunResult]) -> None:
    for result in results:
        rows = result.total_rows
        detail = result.message or f"{rows} rows in {result.duration_s:.1f} s"
        print(f"{result.source:<12} {result.status:<8} {detail}")


def _load(args: argparse.Namespace) -> int:
    if args.from_dir is not None and not args.from_dir.is_dir():
        raise FileNotFoundError(f"landing folder {args.from_dir} not found")
    names = list(sources()) if args.all else args.sources
    window = Window(args.start, args.end)
    if len(names) == 1:
        results = [load_source(names[0], args.from_dir, window)]
    else:
        results = load_many(names, args.from_dir, window)
    _print_results(results)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise LoadError("; ".join(r.message for r in failed))
    return 0


def _run(args: argparse.Namespace) -> int:
    results = load_many(list(sources()))
    _print_results(results)
    build(allow_stale=args.allow_stale)
    failed = [r.source for r in results if r.status == "failed"]
    if failed:
        raise LoadError(f"built, but these sources failed to load: {failed}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "load" and args.all == bool(args.sources):
        # Exits with status 2 and the `zl load` usage, like any invalid argument.
        args.command_parser.error("name one or more sources, or pass --all (not both)")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        if args.command == "load":
            return _load(args)
        if args.command == "build":
            build(
                allow_stale=args.allow_stale,
                select=args.select,
                full_refresh=args.full_refresh,
            )
            print(f"built {duckdb_path()}")
            return 0
        if args.command == "run":
            return _run(args)
        if args.command == "demo":
            from ingest.demo import run_demo

            run_demo(args.landing)
            return 0
        if args.command == "status":
            from ingest.status import print_status

            print_status()
            return 0
        if args.command == "sentiment":
            return sentiment_cli.run(args)
        if args.command in ("scheduler", "schedule"):
            return scheduler_cli.run(args)
    except EXPECTED_ERRORS as exc:
        _print_error(str(exc))
        return 1
    except Exception as exc:  # noqa: BLE001 - one line for the user, trace in -v
        log.debug("unexpected error", exc_info=True)
        _print_error(f"{type(exc).__name__}: {exc} (rerun with -v for details)")
        return 1
    return 2


def _print_error(message: str) -> None:
    """Print `zl: error: ...` on one line, whatever the message's line breaks."""
    one_line = " ".join(scrub(message).split())
    print(f"zl: error: {one_line}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
