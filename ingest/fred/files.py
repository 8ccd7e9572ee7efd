"""Reader of saved FRED files: API JSON bodies and fredgraph CSV downloads.

Each file in the folder is recognised by its content, not its name:

- a JSON object with `observations` is a `/series/observations` body. Its
  series id comes from a top-level `series_id` field when present, else
  from the file name: the letters and digits right after
  `series_observations_` (`..._series_observations_GDP_latest.json` is GDP),
  so an id that contains `_` needs the field. Its vintage_mode comes from
  the header, see `parse.detect_vintage_mode`.
- a JSON object with `seriess` is a `/series` body (series metadata).
- a JSON object with `vintage_dates` is a `/series/vintagedates` body. It is
  skipped and counted, because every observation row already carries the
  vintage date it belongs to.
- a JSON object with `error_code` is a saved FRED error and raises.
- a CSV whose header starts with `DATE` (legacy layout, "." for missing) or
  `observation_date` (current layout, empty for missing) is a fredgraph
  download. Each further column is one series. Its rows have no real-time
  period, so they get vintage_key `undated` and vintage_mode `fredgraph`.

Anything else is skipped with a warning and counted.
"""

from __future__ import annotations

import csv
import json
import logging
import re
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.fred.parse import (
    Row,
    detect_vintage_mode,
    observation_list,
    parse_date,
    parse_observations,
    parse_series_info,
    parse_value,
)
from ingest.fred.settings import (
    FREQUENCIES,
    SERIES_ID_PATTERN,
    UNDATED,
    VINTAGE_MODES,
    seed,
)
from ingest.fred.tables import FRED_ECONOMIC, FRED_SERIES
from ingest.source import Batch, LoadContext, SourceFormatError

log = logging.getLogger(__name__)

_NAME_SERIES_ID = re.compile(r"series_observations_([A-Za-z0-9]+)(?=[_.]|$)")
_FREDGRAPH_DATE_HEADERS = {"DATE", "observation_date"}
# Median gap in days between observation dates -> frequency code, for
# recognising a fredgraph download aggregated to a lower frequency.
_GAP_LIMITS = ((4, "D"), (10, "W"), (45, "M"), (140, "Q"))
_FREQUENCY_RANK = {code: rank for rank, code in enumerate((*FREQUENCIES, "A"))}


def read_files(folder: Path, ctx: LoadContext) -> Iterator[Batch]:
    """Yield `fred_series` and `fred_economic` batches from the files in `folder`.

    When several files hold the same (series_id, observation_date,
    vintage_key), one row is kept: the one whose vintage_mode comes first in
    `VINTAGE_MODES`, else the one from the file that sorts last by name. The
    others are counted as "duplicate vintage row" skips.

    Raises:
        SourceFormatError: a file is not valid JSON or CSV, lacks a required
            field, or is a saved FRED error body.
    """
    preferred: dict[tuple[Any, ...], Row] = {}
    series_rows: dict[str, Row] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            ctx.skip("unrecognised file", f"{path.name} is not a regular file")
            continue
        if path.suffix.lower() == ".json":
            rows, metadata = _read_json(path, ctx)
        elif path.suffix.lower() == ".csv":
            rows, metadata = _read_fredgraph(path, ctx), []
        else:
            ctx.skip("unrecognised file", path.name)
            continue
        for row in metadata:
            series_rows[row["series_id"]] = row
        _keep_preferred(preferred, rows, ctx)

    if series_rows:
        yield FRED_SERIES, FRED_SERIES.to_arrow(list(series_rows.values()))
    by_series: dict[str, list[Row]] = {}
    for key in sorted(preferred):
        by_series.setdefault(key[0], []).append(preferred[key])
    for series_id, rows in by_series.items():
        log.info("fred: %s: %d observation rows from files", series_id, len(rows))
        yield FRED_ECONOMIC, FRED_ECONOMIC.to_arrow(rows)


def _keep_preferred(
    preferred: dict[tuple[Any, ...], Row], rows: list[Row], ctx: LoadContext
) -> None:
    for row in rows:
        key = (row["series_id"], row["observation_date"], row["vintage_key"])
        previous = preferred.get(key)
        if previous is None:
            preferred[key] = row
            continue
        rank = VINTAGE_MODES.index(row["vintage_mode"])
        previous_rank = VINTAGE_MODES.index(previous["vintage_mode"])
        winner = row if rank <= previous_rank else previous
        preferred[key] = winner
        ctx.skip(
            "duplicate vintage row",
            f"{key[0]} {key[1]} {key[2]}: kept {winner['vintage_mode']} from "
            f"{winner['source']}",
        )


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"fred: {path}: not UTF-8 text ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"fred: {path}: invalid JSON at line {exc.lineno} column {exc.colno}: "
            f"{exc.msg}"
        ) from exc


def _read_json(path: Path, ctx: LoadContext) -> tuple[list[Row], list[Row]]:
    """Return (observation rows, series metadata rows) of one JSON file."""
    body = _load_json(path)
    if not isinstance(body, dict):
        ctx.skip("unrecognised file", f"{path.name}: JSON root is not an object")
        return [], []
    if "error_code" in body:
        raise SourceFormatError(
            f"fred: {path}: file contains a FRED error response "
            f"({body.get('error_code')}: {body.get('error_message')}), "
            "not data; fetch it again"
        )
    if "observations" in body:
        series_id = _series_id_of(path, body)
        mode = detect_vintage_mode(body, str(path))
        observations = observation_list(body, str(path))
        rows = parse_observations(
            observations, series_id, mode, path.name, ctx, path.name
        )
        log.info(
            "fred: %s: %s %s, %d of %d observations in the window",
            path.name,
            series_id,
            mode,
            len(rows),
            len(observations),
        )
        return rows, []
    if "seriess" in body:
        return [], parse_series_info(body, ctx, path.name)
    if "vintage_dates" in body:
        ctx.skip(
            "vintage dates file not stored",
            f"{path.name}: observation rows carry their own vintage dates",
        )
        return [], []
    ctx.skip("unrecognised file", f"{path.name}: no observations or seriess field")
    return [], []


def _series_id_of(path: Path, body: dict[str, Any]) -> str:
    field = body.get("series_id")
    if field is not None:
        if isinstance(field, str) and SERIES_ID_PATTERN.match(field.upper()):
            return field.upper()
        raise SourceFormatError(f"fred: {path}: invalid series_id field {field!r}")
    match = _NAME_SERIES_ID.search(path.name)
    if match is None:
        raise SourceFormatError(
            f"fred: {path}: cannot tell the series id. Name the file "
            "<prefix>series_observations_<SERIES>_<suffix>.json or add a "
            "top-level series_id field"
        )
    return match.group(1).upper()


def _read_fredgraph(path: Path, ctx: LoadContext) -> list[Row]:
    """Parse a fredgraph CSV in either layout into undated rows."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            records = list(csv.reader(handle))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SourceFormatError(f"fred: {path}: invalid CSV ({exc})") from exc
    if not records or not records[0] or records[0][0] not in _FREDGRAPH_DATE_HEADERS:
        ctx.skip("unrecognised file", f"{path.name}: not a fredgraph CSV header")
        return []
    header = records[0]
    series_ids = [name.strip().upper() for name in header[1:]]
    bad = [name for name in series_ids if not SERIES_ID_PATTERN.match(name)]
    if not series_ids or bad:
        raise SourceFormatError(
            f"fred: {path}: header {header!r} needs series ids after the date "
            f"column (invalid: {bad})"
        )
    columns = _fredgraph_columns(path, series_ids, records[1:], ctx)
    rows: list[Row] = []
    for series_id, series_rows in columns.items():
        _mark_aggregated(path, series_id, series_rows)
        rows.extend(series_rows)
    return rows


def _fredgraph_columns(
    path: Path, series_ids: list[str], records: list[list[str]], ctx: LoadContext
) -> dict[str, list[Row]]:
    """Return the rows of each series column; `records` start at CSV line 2."""
    columns: dict[str, list[Row]] = {series_id: [] for series_id in series_ids}
    for line, record in enumerate(records, start=2):
        if not record:
            continue
        if len(record) != len(series_ids) + 1:
            ctx.skip("wrong column count", f"{path.name} line {line}: {record!r}")
            continue
        observation_date = parse_date(record[0])
        if observation_date is None:
            ctx.skip("invalid observation date", f"{path.name} line {line}")
            continue
        if not ctx.window.contains(observation_date):
            continue

        for series_id, value_raw in zip(series_ids, record[1:], strict=True):
            valid, value = parse_value(value_raw)
            if not valid:
                ctx.skip("invalid value", f"{path.name} line {line}: {value_raw!r}")
                continue
            columns[series_id].append(
                {
                    "series_id": series_id,
                    "observation_date": observation_date,
                    "realtime_start": None,
                    "realtime_end": None,
                    "vintage_key": UNDATED,
                    "value": value,
                    "value_raw": value_raw,
                    "vintage_mode": "fredgraph",
                    "source": path.name,
                }
            )
    return columns


def _mark_aggregated(path: Path, series_id: str, rows: list[Row]) -> None:
    """Rename a download aggregated below the series' own frequency.

    fredgraph can average a daily series to monthly values dated on the first
    of the month, and its header still reads the plain id. Stored under that
    id, the March average would pass for the 1 March price, with a daily
    publication lag, and leak the rest of March. Such rows get the id
    `<ID>@<frequency>` (e.g. `DCOILWTICO@M`), which has no seed row. Only
    seeded series can be checked, because the seed contains the native frequency.
    """
    native = seed().get(series_id)
    if native is None or len(rows) < 2:
        return
    inferred = _infer_frequency([row["observation_date"] for row in rows])
    if _FREQUENCY_RANK[inferred] <= _FREQUENCY_RANK[native.frequency]:
        return
    renamed = f"{series_id}@{inferred}"
    log.warning(
        "fred: %s: %s has frequency %s in the seed but the file's dates are %s; "
        "storing the rows as %s",
        path.name,
        series_id,
        native.frequency,
        inferred,
        renamed,
    )
    for row in rows:
        row["series_id"] = renamed


def _infer_frequency(dates: list[Any]) -> str:
    ordered = sorted(dates)
    gaps = [(b - a).days for a, b in zip(ordered, ordered[1:], strict=False)]
    median_gap = statistics.median(gaps)
    for limit, code in _GAP_LIMITS:
        if median_gap <= limit:
            return code
    return "A"
