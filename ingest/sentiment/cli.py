"""`zl sentiment eval`: measure the active scorer on Financial PhraseBank."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ingest.sentiment import settings
from ingest.sentiment.base import ScorerUnavailableError
from ingest.sentiment.evaluate import evaluate, format_report, read_phrasebank
from ingest.sentiment.factory import get_scorer

log = logging.getLogger(__name__)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"invalid count {text!r}; expected a positive integer"
        )
    return value


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add `sentiment` and its sub-command `eval` to the `zl` parser."""
    sentiment = subparsers.add_parser("sentiment", help="sentiment scorer tools")
    commands = sentiment.add_subparsers(dest="sentiment_command", required=True)
    evaluate_cmd = commands.add_parser(
        "eval",
        help="accuracy and macro-F1 of the active scorer on Financial PhraseBank",
    )
    evaluate_cmd.add_argument(
        "--file",
        type=Path,
        help="PhraseBank file of 'sentence@label' lines "
        "(default: $ZL_PHRASEBANK_FILE, else the AllAgree file in the "
        "recorded data folder)",
    )
    evaluate_cmd.add_argument(
        "--limit",
        type=_positive_int,
        help="score only the first N sentences of the file",
    )


def run(args: argparse.Namespace) -> int:
    """Run a `zl sentiment` sub-command and return its exit status.

    Expected failures (missing file, invalid file or setting, scorer that
    cannot load) print one line to stderr and return 1.
    """
    if args.sentiment_command != "eval":
        return 2
    path = args.file or settings.phrasebank_path()
    try:
        examples = read_phrasebank(path, args.limit)
        scorer = get_scorer()
        report = evaluate(scorer, examples)
    except (FileNotFoundError, ValueError, ScorerUnavailableError) as exc:
        print(f"zl: error: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    log.info("evaluated %s on %d texts from %s", report.scorer, report.count, path)
    print(format_report(report))
    return 0
