"""Client of the EIA API v2 for the series in `seeds/eia_series.csv`.

One request sequence per (route, frequency): `GET <base>/<route>/data/`
with every seeded series of that route as a `facets[series][]` filter,
sorted by period and series, paged with `offset` and `length` until
`response.total` rows have arrived. The key travels as the `api_key` query
parameter and EIA echoes it back in `request.params`, so no response body
is stored or logged and every message passes through `ingest.scrub`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from ingest.eia.parse import Row, error_text, parse_rows, read_page
from ingest.eia.settings import (
    API_KEY_ENV,
    API_SOURCE,
    SOURCE_NAME,
    SeriesSeed,
    base_url,
    page_length,
    requested_series,
)
from ingest.eia.tables import EIA_OBSERVATIONS
from ingest.http import HttpClient, HttpError
from ingest.scrub import scrub
from ingest.settings import get_secret
from ingest.source import Batch, LoadContext, SourceFormatError, Window

log = logging.getLogger(__name__)

_ERROR_CODE = re.compile(r"\b(API_KEY_[A-Z_]+)\b")


class EiaApiError(HttpError):
    """Raised when EIA rejects a request; the message contains EIA's reason."""


def fetch_api(ctx: LoadContext) -> Iterator[Batch]:
    """Yield the seeded series of each route, one batch per (route, frequency).

    Raises:
        MissingSecretError: EIA_API_KEY is not configured.
        EiaApiError: EIA rejected a request (bad key, bad route or facet).
        HttpError: retries ran out on 429, 5xx or connection errors.
        SourceFormatError: a response lacks `response.total` or `data`, the
            total changes while paging, or a page is short before the total.
    """
    api_key = get_secret(API_KEY_ENV) or ""
    client = ctx.http()
    length = page_length()
    for (route, frequency), series in group_series(requested_series()).items():
        rows = fetch_route(client, route, frequency, series, api_key, length, ctx)
        found = {row["series_id"] for row in rows}
        for entry in series:
            if entry.series_id not in found:
                log.warning(
                    "%s: no %s rows for %s on %s in the window; check the id in "
                    "seeds/eia_series.csv",
                    SOURCE_NAME,
                    frequency,
                    entry.series_id,
                    route,
                )
        log.info("%s: %s %s: %d rows", SOURCE_NAME, route, frequency, len(rows))
        if rows:
            yield EIA_OBSERVATIONS, EIA_OBSERVATIONS.to_arrow(rows)


def group_series(
    entries: tuple[SeriesSeed, ...],
) -> dict[tuple[str, str], list[SeriesSeed]]:
    """Group seed rows by (route, frequency), keeping seed order."""
    groups: dict[tuple[str, str], list[SeriesSeed]] = {}
    for entry in entries:
        groups.setdefault((entry.route, entry.frequency), []).append(entry)
    return groups


def request_params(
    frequency: str, series: list[SeriesSeed], window: Window
) -> dict[str, Any]:
    """Return the v2 query, without `api_key`, `offset` and `length`."""
    params: dict[str, Any] = {
        "frequency": frequency,
        "data[0]": "value",
        "facets[series][]": [entry.series_id for entry in series],
        "sort[0][column]": "period",
        "sort[0][direction]": "asc",
        "sort[1][column]": "series",
        "sort[1][direction]": "asc",
    }
    if window.start is not None:
        params["start"] = period_text(window.start, frequency)
    if window.end is not None:
        params["end"] = period_text(window.end, frequency)
    return params


def period_text(day: date, frequency: str) -> str:
    """Return `day` in the period format EIA expects for `frequency`."""
    if frequency == "monthly":
        return f"{day.year:04d}-{day.month:02d}"
    if frequency == "quarterly":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if frequency == "annual":
        return f"{day.year:04d}"
    return day.isoformat()


def fetch_route(
    client: HttpClient,
    route: str,
    frequency: str,
    series: list[SeriesSeed],
    api_key: str,
    length: int,
    ctx: LoadContext,
) -> list[Row]:
    """Page through one route until `response.total` rows have arrived.

    Raises:
        SourceFormatError: the total changes between pages, or a page has
            fewer than `length` rows before the total is reached.
    """
    url = f"{base_url()}/{route}/data/"
    params = request_params(frequency, series, ctx.window)
    rows: list[Row] = []
    offset = 0
    total: int | None = None
    while True:
        where = f"{route} {frequency} offset {offset}"
        query = {**params, "api_key": api_key, "offset": offset, "length": length}
        body = _get(client, url, query, route)
        page = read_page(body, where)
        if total is None:
            total = page.total
        elif page.total != total:
            raise SourceFormatError(
                f"{SOURCE_NAME}: {where}: response.total changed from {total} "
                f"to {page.total} while paging; EIA updated the data during the "
                "fetch, run it again"
            )
        rows.extend(parse_rows(page, route, API_SOURCE, ctx, where))
        offset += len(page.data)
        if offset >= total:
            return rows
        if len(page.data) < length:
            raise SourceFormatError(
                f"{SOURCE_NAME}: {where}: page has {len(page.data)} rows, "
                f"expected {length}, and only {offset} of {total} arrived"
            )


def _get(
    client: HttpClient, url: str, query: dict[str, Any], route: str
) -> dict[str, Any]:
    """GET one page, turning an EIA error status or body into EiaApiError."""
    try:
        body = client.get_json(url, query)
    except HttpError as exc:
        if exc.status is None or not 400 <= exc.status < 500:
            raise
        raise _rejection(route, exc.status, str(exc)) from None
    if isinstance(body, dict) and "error" in body:
        raise _rejection(route, None, error_text(body))
    return body


def _rejection(route: str, status: int | None, message: str) -> EiaApiError:
    text = f"{SOURCE_NAME}: EIA rejected the request for {route} (HTTP {status})"
    match = _ERROR_CODE.search(message)
    if match is not None:
        text += (
            f": {match.group(1)}. Check {API_KEY_ENV}: it must be a key "
            "registered at https://www.eia.gov/opendata/"
        )
    else:
        text += f": {message.strip()}"
    return EiaApiError(scrub(text), status=status)
