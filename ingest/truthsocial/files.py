"""Reader of saved Truth Social posts: public archives and ScrapeCreators JSON.

Reads every file of the `truthsocial/` folder and the `truthsocial_*` files
of a sibling `scrapecreators/` folder (see `ingest.text.landing`). Files are
recognised by content:

- `.jsonl`: one post object per line (the CNN archive layout). A line that
  is not JSON is skipped and counted; a file with no valid line raises.
- `.json` holding a list: the archive's JSON array of posts.
- `.json` holding an object with `posts`: a ScrapeCreators
  `/v1/truthsocial/user/posts` response.
- `.json` holding one status (`id`, `created_at`, `content` or `text`): a
  ScrapeCreators `/v1/truthsocial/post` response.
- a ScrapeCreators profile (`followers_count`, no `created_at` post) is
  skipped and counted; anything else is skipped as unrecognised.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.source import Batch, LoadContext, SourceFormatError
from ingest.text.landing import TRUTHSOCIAL_PREFIXES, landing_files
from ingest.truthsocial.parse import (
    PostCollector,
    finish_rows,
    post_row,
    to_table_rows,
)
from ingest.truthsocial.tables import SCRAPECREATORS_TRUMP

log = logging.getLogger(__name__)


def read_files(folder: Path, ctx: LoadContext) -> Iterator[Batch]:
    """Yield one `scrapecreators_trump` batch with every post of the landing files.

    Raises:
        SourceFormatError: a file is not UTF-8, not JSON, or a JSONL file
            has no valid line.
    """
    collector = PostCollector(ctx)
    for path in landing_files(folder, ctx, TRUTHSOCIAL_PREFIXES):
        records = _records(path, ctx)
        added = 0
        for index, record in enumerate(records):
            row = post_row(record, path.name, ctx, f"{path.name} #{index}")
            if row is not None and collector.add(row):
                added += 1
        log.info("truthsocial: %s: %d posts, %d new", path.name, len(records), added)
    rows = collector.in_window()
    if not rows:
        return
    finish_rows(rows)
    yield SCRAPECREATORS_TRUMP, SCRAPECREATORS_TRUMP.to_arrow(to_table_rows(rows))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"truthsocial: {path}: not UTF-8 text ({exc})") from exc


def _records(path: Path, ctx: LoadContext) -> list[Any]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _jsonl_records(path, ctx)
    if suffix != ".json":
        ctx.skip("unrecognised file", path.name)
        return []
    text = _read_text(path)
    if not text.strip():
        return []
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"truthsocial: {path}: invalid JSON at line {exc.lineno} column "
            f"{exc.colno}: {exc.msg}"
        ) from exc
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        ctx.skip(
            "unrecognised file", f"{path.name}: JSON root is a {type(body).__name__}"
        )
        return []

    if "posts" in body:
        posts = body["posts"]
        if not isinstance(posts, list):
            raise SourceFormatError(f"truthsocial: {path}: field posts is not a list")
        return posts
    if "id" in body and "created_at" in body and ("content" in body or "text" in body):
        return [body]
    if "followers_count" in body:
        ctx.skip("profile not stored", path.name)
        return []
    ctx.skip("unrecognised file", f"{path.name}: no posts, status or profile fields")
    return []


def _jsonl_records(path: Path, ctx: LoadContext) -> list[Any]:
    records: list[Any] = []
    bad = 0
    lines = _read_text(path).splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            bad += 1
            ctx.skip("invalid JSON line", f"{path.name} line {number}: {exc.msg}")
    if bad and not records:
        raise SourceFormatError(
            f"truthsocial: {path}: none of its {bad} lines is valid JSON; "
            "expected one post object per line"
        )
    return records
