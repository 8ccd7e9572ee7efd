"""`python -m ingest.scheduler scheduler ...` or `... schedule export ...`.

The same commands as `zl scheduler` and `zl schedule export`, for use
before or without the `zl` entry point.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ingest.scheduler.cli import add_parsers, run
from ingest.scheduler.config import ScheduleError
from ingest.scheduler.export import ExportError
from ingest.scrub import scrub


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.scheduler")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return run(args)
    except (ScheduleError, ExportError) as exc:
        print(f"zl: error: {scrub(str(exc))}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
