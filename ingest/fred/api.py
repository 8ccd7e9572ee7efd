"""Client of the FRED API: series metadata and every vintage of observations.

For each series it sends `/series` and then pages through
`/series/observations` with the real-time period 1776-07-04 to 9999-12-31,
which makes ALFRED return every vintage of every observation. The API key
travels as the `api_key` query parameter, so every URL and message passes
through `ingest.scrub` before it is logged or raised.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from typing import Any

from ingest.fred.parse import observation_list, parse_observations, parse_series_info
from ingest.fred.settings import (
    ALL_VINTAGES_END,
    ALL_VINTAGES_START,
    API_KEY_ENV,
    API_SOURCE,
    base_url,
    min_request_interval_s,
    page_limit,
    requested_series,
)
from ingest.fred.tables import FRED_ECONOMIC, FRED_SERIES
from ingest.http import HttpClient, HttpError
from ingest.scrub import scrub
from ingest.settings import get_secret
from ingest.source import Batch, LoadContext, SourceFormatError

log = logging.getLogger(__name__)

_ERROR_MESSAGE = re.compile(r'"error_message"\s*:\s*"((?:[^"\\]|\\.)*)"')


class FredApiError(HttpError):
    """Raised when FRED rejects a request; the message contains FRED's reason."""


def fetch_api(ctx: LoadContext) -> Iterator[Batch]:
    """Yield metadata and all-vintages observations of each requested series.

    A series that FRED reports as nonexistent is skipped and counted; any
    other rejection stops the run.

    Raises:
        MissingSecretError: FRED_API_KEY is not configured.
        FredApiError: FRED rejected a request (bad key, bad parameter).
        HttpError: retries ran out on 429, 5xx or connection errors.
        SourceFormatError: a response lacks `observations` or `count`, or a
            page is short before `count` observations arrived.
    """
    api_key = get_secret(API_KEY_ENV) or ""
    client = _PacedClient(ctx.http(), min_request_interval_s())
    base = base_url()
    limit = page_limit()
    for series_id in requested_series():
        try:
            info = _get(client, base, "series", {"series_id": series_id}, api_key)
        except FredApiError as exc:
            if "does not exist" not in str(exc).lower():
                raise
            ctx.skip("series not found", f"{series_id}: {exc}")
            continue
        series_rows = parse_series_info(info, ctx, f"/series {series_id}")
        if series_rows:
            yield FRED_SERIES, FRED_SERIES.to_arrow(series_rows)
        rows = _fetch_observations(client, base, series_id, api_key, limit, ctx)
        log.info("fred: %s: %d observation rows from the API", series_id, len(rows))
        if rows:
            yield FRED_ECONOMIC, FRED_ECONOMIC.to_arrow(rows)


class _PacedClient:
    """An HttpClient that waits at least `interval_s` between request starts."""

    def __init__(self, client: HttpClient, interval_s: float) -> None:
        self.client = client
        self.interval_s = interval_s
        self._last_start: float | None = None

    def get_json(self, url: str, params: dict[str, Any]) -> Any:
        if self._last_start is not None:
            wait = self.interval_s - (time.monotonic() - self._last_start)
            if wait > 0:
                time.sleep(wait)
        self._last_start = time.monotonic()
        return self.client.get_json(url, params)


def _fetch_observations(
    client: _PacedClient,
    base: str,
    series_id: str,
    api_key: str,
    limit: int,
    ctx: LoadContext,
) -> list[dict[str, Any]]:
    params: dict[str, Any] = {
        "series_id": series_id,
        "realtime_start": ALL_VINTAGES_START,
        "realtime_end": ALL_VINTAGES_END,
        "limit": limit,
    }
    if ctx.window.start is not None:
        params["observation_start"] = ctx.window.start.isoformat()
    if ctx.window.end is not None:
        params["observation_end"] = ctx.window.end.isoformat()
    rows: list[dict[str, Any]] = []
    offset = 0
    total: int | None = None
    while True:
        where = f"series/observations {series_id} offset {offset}"
        page_params = {**params, "offset": offset}
        body = _get(client, base, "series/observations", page_params, api_key)
        page = observation_list(body, where)
        count = body.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise SourceFormatError(f"fred: {where}: invalid count {count!r}")
        if total is None:
            total = count
        elif count != total:
            raise SourceFormatError(
                f"fred: {where}: count changed from {total} to {count} while "
                "paging; the series was revised during the fetch, run it again"
            )
        rows.extend(
            parse_observations(page, series_id, "all_vintages", API_SOURCE, ctx, where)
        )
        offset += len(page)
        if offset >= total:
            return rows
        if len(page) < limit:
            raise SourceFormatError(
                f"fred: {where}: page has {len(page)} observations, expected "
                f"{limit}, and only {offset} of {total} arrived"
            )


def _get(
    client: _PacedClient,
    base: str,
    endpoint: str,
    params: dict[str, Any],
    api_key: str,
) -> dict[str, Any]:
    """GET a FRED endpoint as JSON, turning FRED's error body into FredApiError."""
    query = {**params, "api_key": api_key, "file_type": "json"}
    try:
        body = client.get_json(f"{base}/{endpoint}", query)
    except HttpError as exc:
        if exc.status is None or not 400 <= exc.status < 500:
            raise
        message = _error_message(str(exc)) or str(exc)
        raise _rejection(endpoint, params, exc.status, message) from None
    if not isinstance(body, dict):
        raise SourceFormatError(f"fred: {endpoint}: expected a JSON object")
    if "error_code" in body:
        code = body.get("error_code")
        status = code if isinstance(code, int) else None
        message = str(body.get("error_message", ""))
        raise _rejection(endpoint, params, status, message)
    return body


def _rejection(
    endpoint: str, params: dict[str, Any], status: int | None, message: str
) -> FredApiError:
    text = (
        f"fred: FRED rejected {endpoint} for series {params.get('series_id')} "
        f"(HTTP {status}): {message.strip()}"
    )
    if "api_key" in message:
        text += f". Check {API_KEY_ENV}: it must be a registered FRED API key"
    elif "does not exist" in message.lower():
        text += ". Check the id in seeds/fred_series.csv or ZL_FRED_SERIES"
    return FredApiError(scrub(text), status=status)


def _error_message(text: str) -> str | None:
    """Return FRED's `error_message` from an HttpError text, if it has one."""
    match = _ERROR_MESSAGE.search(text)
    if match is None:
        return None
    return match.group(1).replace('\\"', '"')
