"""Readers for the CFTC's own files: yearly text files, their zips, Socrata JSON.

The yearly text file (`f_year.txt` inside `fut_disagg_txt_<YEAR>.zip`) is a
CSV with 191 columns, CRLF line ends and rows newest first. Numbers are
padded with spaces, codes carry a trailing space and `.` marks a missing
value. A JSON file is a saved Socrata response: a list of objects whose
values are all strings.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, TextIO

from ingest.cftc import settings
from ingest.cftc.parse import (
    DISAGGREGATED,
    UNKNOWN,
    RowError,
    detect_report_type,
    socrata_row,
    text_row,
)
from ingest.cftc.tables import COT_DISAGGREGATED
from ingest.scrub import scrub
from ingest.source import Batch, LoadContext, SourceFormatError

log = logging.getLogger(__name__)


class OtherReportError(SourceFormatError):
    """Raised for a file that contains another COT report than Disaggregated."""


SOURCE = settings.SOURCE_NAME
REQUIRED_TEXT_FIELDS = (
    settings.TEXT_DATE,
    *settings.TEXT_TEXT_FIELDS,
    *settings.TEXT_NUMBER_FIELDS,
)


def read_files(folder: Path, ctx: LoadContext) -> Iterator[Batch]:
    """Yield one batch per file (per text member of a zip) in `folder`.

    Reads `*.txt`, `*.zip` and `*.json`, in name order. Anything else is
    skipped with a warning and counted under "unrecognised file". A file of
    another COT report (Legacy, TFF, combined) is a valid file of the wrong
    kind, as found in a mixed download folder: it is skipped with a warning
    and counted under "other COT report".

    Raises:
        SourceFormatError: a file is malformed as a whole.
    """
    markets = settings.seeded_markets()
    for path in sorted(folder.iterdir()):
        try:
            yield from _read_path(path, ctx, markets)
        except OtherReportError as exc:
            ctx.skip("other COT report", str(exc))


def _read_path(
    path: Path, ctx: LoadContext, markets: Mapping[str, str]
) -> Iterator[Batch]:
    suffix = path.suffix.lower()
    if not path.is_file() or suffix not in {".txt", ".zip", ".json"}:
        log.warning("%s: %s is not a .txt, .zip or .json file", SOURCE, path)
        ctx.skip("unrecognised file", path.name)
        return
    if suffix == ".txt":
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
            yield from read_text(stream, path.name, ctx, markets)
    elif suffix == ".zip":
        yield from read_zip(path, path.name, ctx, markets)
    else:
        yield from read_socrata_file(path, ctx, markets)


def read_zip(
    archive_file: Path | IO[bytes],
    name: str,
    ctx: LoadContext,
    markets: Mapping[str, str],
) -> Iterator[Batch]:
    """Yield batches from every `.txt` member of a yearly zip.

    Args:
        archive_file: a path, or bytes downloaded into a `BytesIO`.
        name: the zip's file name, used in messages and stored in `source`.

    Raises:
        SourceFormatError: not a valid zip, no `.txt` member, or a member
            that cannot be decompressed.
    """
    try:
        archive = zipfile.ZipFile(archive_file)
    except zipfile.BadZipFile as exc:
        raise SourceFormatError(f"{SOURCE}: {name} is not a valid zip ({exc})") from exc
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and info.filename.lower().endswith(".txt")
        ]
        if not members:
            raise SourceFormatError(
                f"{SOURCE}: {name} contains no .txt file "
                f"(members: {archive.namelist()})"
            )
        for member in members:
            try:
                with archive.open(member) as raw:
                    stream = io.TextIOWrapper(
                        raw, encoding="utf-8-sig", errors="replace", newline=""
                    )
                    batches = list(read_text(stream, name, ctx, markets))
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
                raise SourceFormatError(
                    f"{SOURCE}: {name}: member {member.filename} cannot be "
                    f"decompressed ({exc})"
                ) from exc
            yield from batches


def read_text(
    stream: TextIO, name: str, ctx: LoadContext, markets: Mapping[str, str]
) -> Iterator[Batch]:
    """Yield the rows of one yearly text file for the seeded markets.

    A file with no lines yields nothing. Rows of other markets are counted
    under one skip reason per file, and rows outside `ctx.window` are
    dropped without counting.

    Raises:
        SourceFormatError: the header is not that of the Disaggregated
            report, a required column is missing, or the CSV is garbled.
    """
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
        if header is None:
            log.info("%s: %s is empty", SOURCE, name)
            return
        index = _text_index(header, name)
        rows = []
        other_markets = 0
        outside_window = 0
        code_at = index["CFTC_Contract_Market_Code"]
        for record in reader:
            line = reader.line_num
            if not record:
                continue
            if len(record) != len(header):
                detail = f"{name}:{line}: {len(record)} of {len(header)} fields"
                ctx.skip("wrong field count", detail)
                continue
            if record[code_at].strip() not in markets:
                other_markets += 1
                continue
            try:
                row = text_row(record, index, name)
            except RowError as exc:
                ctx.skip(exc.reason, f"{name}:{line}: {exc.detail}")
                continue
            if not ctx.window.contains(row["report_date"]):
                outside_window += 1
                continue
            rows.append(row)
    except csv.Error as exc:
        raise SourceFormatError(
            f"{SOURCE}: {name}:{reader.line_num}: invalid CSV ({exc})"
        ) from exc
    if other_markets:
        detail = f"{name}: {other_markets} rows"
        ctx.skip("market not in seed", detail, count=other_markets)
    log.info(
        "%s: %s: %d rows kept, %d outside the window",
        SOURCE,
        name,
        len(rows),
        outside_window,
    )
    if rows:
        yield COT_DISAGGREGATED, COT_DISAGGREGATED.to_arrow(rows)


def _text_index(header: list[str], name: str) -> dict[str, int]:
    names = [field.strip() for field in header]
    report_type = detect_report_type(names)
    if report_type != DISAGGREGATED:
        error = SourceFormatError if report_type == UNKNOWN else OtherReportError
        raise error(
            f"{SOURCE}: {name} is not a Disaggregated COT file: its header "
            f"matches the {report_type} report (first fields {names[:3]})"
        )
    missing = [field for field in REQUIRED_TEXT_FIELDS if field not in names]
    if missing:
        raise SourceFormatError(
            f"{SOURCE}: {name}: header is missing required columns {missing}"
        )
    return {field: position for position, field in enumerate(names)}


def read_socrata_file(
    path: Path, ctx: LoadContext, markets: Mapping[str, str]
) -> Iterator[Batch]:
    """Yield the rows of a saved Socrata response for the seeded markets.

    Raises:
        SourceFormatError: invalid JSON, not a list of objects, or records
            of another COT report (for example the legacy report of dataset
            jun7-fc8e).
    """
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceFormatError(
            f"{SOURCE}: {path.name} is not valid JSON ({exc})"
        ) from exc
    rows = socrata_rows(payload, path.name, path.name, ctx, markets)
    if rows:
        yield COT_DISAGGREGATED, COT_DISAGGREGATED.to_arrow(rows)


def socrata_rows(
    payload: Any,
    where: str,
    source: str,
    ctx: LoadContext,
    markets: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Convert a Socrata JSON payload to raw rows, filtered like text rows.

    Args:
        payload: the decoded JSON.
        where: the file name or URL, for messages.
        source: the value stored in `source`.

    Raises:
        SourceFormatError: the payload is not a list of objects, or contains
            another COT report than the Disaggregated one.
    """
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise SourceFormatError(
            f"{SOURCE}: {where}: expected a JSON list of records, got "
            f"{type(payload).__name__}: {scrub(str(payload))[:200]}"
        )
    if not payload:
        return []
    report_type = detect_report_type(name for record in payload for name in record)
    if report_type == UNKNOWN:
        raise SourceFormatError(
            f"{SOURCE}: {where} has no COT report fields "
            f"(first record keys {sorted(payload[0])[:5]})"
        )
    if report_type != DISAGGREGATED:
        kinds = sorted({str(r.get("futonly_or_combined", "?")) for r in payload})
        raise OtherReportError(
            f"{SOURCE}: {where} contains the {report_type} COT report "
            f"(futonly_or_combined: {', '.join(kinds)}), not the Disaggregated "
            f"futures-only report of dataset {settings.DATASET_ID}"
        )
    rows = []
    other_markets = 0
    for position, record in enumerate(payload):
        code = record.get(settings.SOCRATA_MARKET_CODE)
        if not isinstance(code, str) or code.strip() not in markets:
            other_markets += 1
            continue
        try:
            row = socrata_row(record, source)
        except RowError as exc:
            ctx.skip(exc.reason, f"{where}: record {position}: {exc.detail}")
            continue
        if ctx.window.contains(row["report_date"]):
            rows.append(row)
    if other_markets:
        detail = f"{where}: {other_markets} records"
        ctx.skip("market not in seed", detail, count=other_markets)
    return rows
