"""Client of the NASS Quick Stats API (`/api_GET/`), with query splitting.

Quick Stats rejects a query that would return more than 50,000 rows with
HTTP 413, so a rejected query is split: first into single years, then a
single year into the national aggregate and one query per state. Quick
Stats returns HTTP 400 with an error body such as
`{"error":["bad request - invalid query"]}` for a query with no matching
rows, and the client treats that as an empty result.
The key travels as the `key` query parameter and is scrubbed from every
message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

from ingest.http import HttpClient, HttpError
from ingest.settings import get_secret
from ingest.source import Batch, LoadContext
from ingest.usda.nass import parse_records, record_key, records_from_json
from ingest.usda.settings import (
    NASS_API_KEY_ENV,
    NASS_ROW_LIMIT,
    NASS_STATE_SPLIT,
    NassQuery,
    nass_base_url,
    requested_queries,
)
from ingest.usda.tables import USDA_NASS_QUICKSTATS

log = logging.getLogger(__name__)

# Quick Stats error texts that mean "no rows matched". A 400 with any other
# text is a real rejection and stops the run.
# NOTE: the recorded no-rows body reads "bad request - invalid query". A
# misspelt seed value may get the same words, so such a query also loads
# nothing. The log line names the query and years.
NO_DATA_MARKERS = ("no data", "invalid query")


class NassQueryTooLargeError(HttpError):
    """Raised when a single-year, single-state query still exceeds the limit."""


def fetch_nass(ctx: LoadContext) -> Iterator[Batch]:
    """Yield Quick Stats rows for every query in the seed, within the window.

    Raises:
        MissingSecretError: NASS_API_KEY is not configured.
        NassQueryTooLargeError: a query is over the row limit even for one
            year and one state.
        HttpError: Quick Stats rejected a request, or retries ran out.
        SourceFormatError: a response is not a Quick Stats JSON body.
    """
    api_key = get_secret(NASS_API_KEY_ENV) or ""
    client = ctx.http()
    url = f"{nass_base_url()}/api_GET/"
    last_year = ctx.window.end.year if ctx.window.end else date.today().year
    for query in requested_queries():
        first_year = query.start_year
        if ctx.window.start is not None:
            first_year = max(first_year, ctx.window.start.year)
        if first_year > last_year:
            continue
        rows = _fetch_split(
            client, url, api_key, query, first_year, last_year, None, ctx
        )
        unique = {record_key(row): row for row in rows}
        if len(unique) < len(rows):
            ctx.skip(
                "duplicate Quick Stats record",
                f"{query.query_id}: {len(rows) - len(unique)} repeated keys",
                count=len(rows) - len(unique),
            )
        log.info("usda: Quick Stats %s: %d rows", query.query_id, len(unique))
        if unique:
            yield (
                USDA_NASS_QUICKSTATS,
                USDA_NASS_QUICKSTATS.to_arrow(list(unique.values())),
            )


def _fetch_split(
    client: HttpClient,
    url: str,
    api_key: str,
    query: NassQuery,
    first_year: int,
    last_year: int,
    state: str | None,
    ctx: LoadContext,
) -> list[dict[str, Any]]:
    """Fetch one year range (and state), splitting it on HTTP 413."""
    params = _params(query, api_key, first_year, last_year, state)
    try:
        response = client.get(url, params)
    except HttpError as exc:
        if exc.status == 400 and _is_no_data(str(exc)):
            log.info(
                "usda: Quick Stats %s %d-%d%s: no rows (HTTP 400)",
                query.query_id,
                first_year,
                last_year,
                f" {state}" if state else "",
            )
            return []
        if exc.status != 413:
            raise
    else:
        where = f"Quick Stats {query.query_id} {first_year}-{last_year}"
        records = records_from_json(response.text, where)
        return parse_records(records, query.query_id, ctx, where)

    if first_year < last_year:
        log.info(
            "usda: Quick Stats %s %d-%d is over %d rows; splitting by year",
            query.query_id,
            first_year,
            last_year,
            NASS_ROW_LIMIT,
        )
        rows: list[dict[str, Any]] = []
        for year in range(first_year, last_year + 1):
            rows += _fetch_split(client, url, api_key, query, year, year, None, ctx)
        return rows
    if state is None and "state_alpha" not in query.params:
        log.info(
            "usda: Quick Stats %s %d is over %d rows; splitting by state",
            query.query_id,
            first_year,
            NASS_ROW_LIMIT,
        )
        rows = []
        for code in NASS_STATE_SPLIT:
            rows += _fetch_split(
                client, url, api_key, query, first_year, first_year, code, ctx
            )
        return rows
    raise NassQueryTooLargeError(
        f"usda: Quick Stats query {query.query_id} for {first_year}"
        f"{' state ' + state if state else ''} still exceeds {NASS_ROW_LIMIT} "
        "rows; narrow it in seeds/usda_nass_queries.csv",
        status=413,
    )


def _params(
    query: NassQuery,
    api_key: str,
    first_year: int,
    last_year: int,
    state: str | None,
) -> dict[str, Any]:
    params: dict[str, Any] = {"key": api_key, **query.params, "format": "JSON"}
    if first_year == last_year:
        params["year"] = str(first_year)
    else:
        params["year__GE"] = str(first_year)
        params["year__LE"] = str(last_year)
    if state is not None:
        params["state_alpha"] = state
    return params


def _is_no_data(message: str) -> bool:
    lowered = message.lower()
    return any(marker in lowered for marker in NO_DATA_MARKERS)
