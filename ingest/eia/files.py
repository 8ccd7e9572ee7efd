"""Reader of saved EIA API v2 JSON responses.

Each `.json` file in the folder is one saved `/v2/<route>/data/` response.
Its route comes from `request.command` and its frequency from
`response.frequency` (or `request.params.frequency`). A file that holds a
single page of a longer result (`response.total` larger than its rows) is
read and logged. A saved EIA error body raises; any other file is skipped
with a warning and counted. The echoed `request.params`, which contains
the API key, is never stored or logged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.eia.parse import parse_rows, read_page
from ingest.eia.settings import SOURCE_NAME
from ingest.eia.tables import EIA_OBSERVATIONS
from ingest.scrub import scrub
from ingest.source import Batch, LoadContext, SourceFormatError

log = logging.getLogger(__name__)


def read_files(folder: Path, ctx: LoadContext) -> Iterator[Batch]:
    """Yield one `eia_observations` batch per saved response in `folder`.

    Raises:
        SourceFormatError: a `.json` file is not valid JSON, is a saved EIA
            error, or lacks `response`, `response.total`, `response.data`,
            the frequency or a route in `request.command`.
    """
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            ctx.skip("unrecognised file", f"{path.name} is not a regular file")
            continue
        if path.suffix.lower() != ".json":
            ctx.skip("unrecognised file", path.name)
            continue
        body = _load_json(path)
        if not isinstance(body, dict) or not ("response" in body or "error" in body):
            ctx.skip("unrecognised file", f"{path.name}: not an EIA v2 response")
            continue
        page = read_page(body, str(path))
        if page.route is None:
            raise SourceFormatError(
                f"{SOURCE_NAME}: {path}: `request.command` is missing or not a "
                "/v2/<route>/data/ path, so the route is unknown; save the "
                "whole response body"
            )
        if page.total != len(page.data):
            log.warning(
                "%s: %s contains %d of %d rows (one page of a longer result)",
                SOURCE_NAME,
                path.name,
                len(page.data),
                page.total,
            )
        rows = parse_rows(page, page.route, path.name, ctx, path.name)
        log.info(
            "%s: %s: %s %s, %d of %d rows in the window",
            SOURCE_NAME,
            path.name,
            page.route,
            page.frequency,
            len(rows),
            len(page.data),
        )
        if rows:
            yield EIA_OBSERVATIONS, EIA_OBSERVATIONS.to_arrow(rows)


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            f"{SOURCE_NAME}: {path}: not UTF-8 text ({exc.reason})"
        ) from exc
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            scrub(
                f"{SOURCE_NAME}: {path}: invalid JSON at line {exc.lineno} "
                f"column {exc.colno}: {exc.msg}"
            )
        ) from exc
