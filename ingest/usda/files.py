"""Reader of saved USDA files, recognised by content, not by name.

- JSON object with `data`: a Quick Stats `api_GET` body.
- JSON object with `error` only: a saved Quick Stats error body. It
  contains no rows, so it is skipped and counted.
- JSON list of objects with `weekEndingDate`: FAS ESR export records.
- JSON list of objects with `attributeId`: FAS PSD records.
- CSV with the WASDE header (`WasdeNumber`, `ReportTitle`, ...): an OCE
  WASDE machine-readable file.
- CSV with `short_desc` and `Value` columns: a Quick Stats CSV body.

Anything else is skipped with a warning and counted. When several files
hold the same key, one row is kept: for WASDE the row with the later
release date (a reissued file replaces the original), otherwise the row
from the file that sorts last by name.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.schema import TableSpec
from ingest.source import Batch, LoadContext, SourceFormatError
from ingest.usda import fas, nass
from ingest.usda.tables import (
    USDA_FAS_EXPORT_SALES,
    USDA_FAS_PSD,
    USDA_NASS_QUICKSTATS,
    USDA_WASDE,
)
from ingest.usda.wasde import decode_text, is_wasde_header, parse_wasde_csv

log = logging.getLogger(__name__)

Row = dict[str, Any]


def read_files(folder: Path, ctx: LoadContext) -> Iterator[Batch]:
    """Yield one batch per raw table from the files in `folder`.

    Raises:
        SourceFormatError: a file is not valid JSON or CSV, or a recognised
            file lacks a required field.
    """
    kept: dict[str, dict[tuple[Any, ...], Row]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            ctx.skip("unrecognised file", f"{path.name} is not a regular file")
            continue
        suffix = path.suffix.lower()
        if suffix == ".json":
            batches = _read_json(path, ctx)
        elif suffix == ".csv":
            batches = _read_csv(path, ctx)
        else:
            ctx.skip("unrecognised file", path.name)
            continue
        for spec, rows in batches:
            _keep(kept.setdefault(spec.name, {}), spec, rows, ctx)
    for spec in (USDA_NASS_QUICKSTATS, USDA_WASDE, USDA_FAS_EXPORT_SALES, USDA_FAS_PSD):
        rows = list(kept.get(spec.name, {}).values())
        if rows:
            log.info("usda: %s: %d rows from files", spec.name, len(rows))
            yield spec, spec.to_arrow(rows)


def _keep(
    kept: dict[tuple[Any, ...], Row], spec: TableSpec, rows: list[Row], ctx: LoadContext
) -> None:
    for row in rows:
        key = tuple(row[name] for name in spec.primary_key)
        previous = kept.get(key)
        if previous is not None:
            if spec is USDA_WASDE and previous["release_date"] > row["release_date"]:
                row = previous
            ctx.skip(
                f"duplicate {spec.name} row",
                f"{key}: kept the row from {row.get('source') or row.get('query_id')}",
            )
        kept[key] = row


def _read_text(path: Path) -> str:
    try:
        return decode_text(path.read_bytes())
    except OSError as exc:
        raise SourceFormatError(f"usda: {path}: cannot be read ({exc})") from exc


def _read_json(path: Path, ctx: LoadContext) -> list[tuple[TableSpec, list[Row]]]:
    text = _read_text(path)
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"usda: {path}: invalid JSON at line {exc.lineno} column {exc.colno}: "
            f"{exc.msg}"
        ) from exc
    messages = nass.error_messages(body)
    if messages is not None:
        ctx.skip(
            "saved Quick Stats error response",
            f"{path.name}: {'; '.join(messages)} (no rows)",
        )
        return []
    if isinstance(body, dict) and "data" in body:
        records = nass.records_from_json(text, str(path))
        rows = nass.parse_records(records, path.name, ctx, path.name)
        return [(USDA_NASS_QUICKSTATS, rows)]
    if isinstance(body, list) and not body:
        log.info("usda: %s: empty JSON list, no rows", path.name)
        return []
    if isinstance(body, list) and fas.is_esr(body):
        rows = fas.parse_esr(body, None, path.name, ctx, path.name)
        return [(USDA_FAS_EXPORT_SALES, rows)]
    if isinstance(body, list) and fas.is_psd(body):
        rows = fas.parse_psd(body, {}, {}, path.name, ctx, path.name)
        return [(USDA_FAS_PSD, rows)]
    ctx.skip("unrecognised file", f"{path.name}: not a Quick Stats or FAS body")
    return []


def _read_csv(path: Path, ctx: LoadContext) -> list[tuple[TableSpec, list[Row]]]:
    text = _read_text(path)
    if not text.strip():
        log.info("usda: %s: empty file, no rows", path.name)
        return []
    try:
        header = next(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise SourceFormatError(f"usda: {path}: invalid CSV header ({exc})") from exc
    if is_wasde_header(header):
        return [(USDA_WASDE, parse_wasde_csv(text, path.name, ctx, path.name))]
    if "short_desc" in header and nass.VALUE_FIELD in header:
        records = nass.records_from_csv(text, str(path))
        rows = nass.parse_records(records, path.name, ctx, path.name)
        return [(USDA_NASS_QUICKSTATS, rows)]
    ctx.skip("unrecognised file", f"{path.name}: not a WASDE or Quick Stats CSV")
    return []
