"""Live clients: NOAA CDO v2 GHCND stations and Open-Meteo grid points.

NOAA: for each seeded station, `/data` with TMAX, TMIN and PRCP, in requests
that each span less than a year, paged 1000 results at a time with CDO's
1-based `offset`. `units` is never sent, so values arrive in GHCN's raw
tenths. The token travels in the `token` header and is registered with
`ingest.scrub`, so it never reaches a log or error.

Open-Meteo: for each seeded grid point, the archive for the whole window in
the point's own time zone. The archive runs days behind, so the days after
its last value come from the forecast endpoint's `past_days`, flagged
provisional. Their key equals the archive's, so a later run's archive row
replaces them. The forecast is requested only for days the archive lacks,
so within API runs a forecast row never replaces an archive row.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ingest.http import HttpClient, HttpError
from ingest.settings import get_secret
from ingest.source import Batch, LoadContext, SourceFormatError, Window
from ingest.weather.aggregate import aggregate, keep_preferred
from ingest.weather.parse import (
    Observation,
    OpenMeteoError,
    noaa_results,
    parse_noaa,
    parse_openmeteo,
)
from ingest.weather.settings import (
    API_SOURCE,
    NOAA,
    NOAA_DATATYPES,
    NOAA_MAX_SPAN_DAYS,
    NOAA_TOKEN_ENV,
    OPEN_METEO,
    OPENMETEO_DAILY,
    OPENMETEO_MAX_PAST_DAYS,
    Location,
    api_locations,
    api_start,
    locations,
    noaa_base_url,
    noaa_min_interval_s,
    noaa_page_limit,
    openmeteo_archive_url,
    openmeteo_forecast_url,
)
from ingest.weather.tables import WEATHER_LOCATION_DAILY, WEATHER_NOAA

log = logging.getLogger(__name__)

_REASON = re.compile(r'"reason"\s*:\s*"((?:[^"\\]|\\.)*)"')


def fetch_api(ctx: LoadContext) -> Iterator[Batch]:
    """Yield location-day and regional batches from NOAA and Open-Meteo.

    Without `NOAA_TOKEN` the NOAA stations are skipped with a warning and
    Open-Meteo, which needs no key, is still fetched.

    Raises:
        OpenMeteoError: Open-Meteo rejected a request; the message has its reason.
        HttpError: retries ran out, or NOAA rejected a request.
        SourceFormatError: a response lacks its data fields or pages are short.
    """
    start, end = _span(ctx.window)
    observations: list[Observation] = []
    token = get_secret(NOAA_TOKEN_ENV, required=False)
    if token:
        client = ctx.http(headers={"token": token})
        observations.extend(_fetch_noaa(client, start, end, ctx))
    else:
        log.warning("weather: %s is not set; NOAA stations skipped", NOAA_TOKEN_ENV)
        ctx.skip("NOAA token not set", f"{len(api_locations(NOAA))} stations")
    observations.extend(_fetch_openmeteo(ctx.http(), start, end, ctx))
    kept = keep_preferred(observations, ctx)
    if not kept:
        return
    yield (
        WEATHER_LOCATION_DAILY,
        WEATHER_LOCATION_DAILY.to_arrow([obs.row() for obs in kept]),
    )
    rows = aggregate(kept, locations(), ctx, API_SOURCE)
    if rows:
        yield WEATHER_NOAA, WEATHER_NOAA.to_arrow(rows)


def date_chunks(start: date, end: date, span_days: int) -> list[tuple[date, date]]:
    """Split [start, end] into consecutive ranges of at most `span_days` days."""
    chunks = []
    first = start
    while first <= end:
        last = min(first + timedelta(days=span_days - 1), end)
        chunks.append((first, last))
        first = last + timedelta(days=1)
    return chunks


def local_today(zone: str) -> date:
    """Return today's date in time zone `zone`."""
    return datetime.now(ZoneInfo(zone)).date()


def _span(window: Window) -> tuple[date, date]:
    start = window.start or api_start()
    end = window.end or date.today()
    if start > end:
        raise ValueError(f"weather: window start {start} is after its end {end}")
    return start, end


# --- NOAA ------------------------------------------------------------------


def _fetch_noaa(
    client: HttpClient, start: date, end: date, ctx: LoadContext
) -> list[Observation]:
    url = f"{noaa_base_url()}/data"
    interval = noaa_min_interval_s()
    limit = noaa_page_limit()
    found: list[Observation] = []
    last_request: float | None = None
    for station in api_locations(NOAA):
        before = len(found)
        for first, last in date_chunks(start, end, NOAA_MAX_SPAN_DAYS):
            offset = 1
            while True:
                if last_request is not None:
                    wait = interval - (time.monotonic() - last_request)
                    if wait > 0:
                        time.sleep(wait)
                last_request = time.monotonic()
                params = {
                    "datasetid": "GHCND",
                    "stationid": station.location_id,
                    "datatypeid": list(NOAA_DATATYPES),
                    "startdate": first.isoformat(),
                    "enddate": last.isoformat(),
                    "limit": limit,
                    "offset": offset,
                }
                where = (
                    f"NOAA /data {station.location_id} {first}..{last} offset {offset}"
                )
                body = client.get_json(url, params)
                results = noaa_results(body, where)
                found.extend(parse_noaa(body, where, ctx, API_SOURCE))
                offset = _next_offset(body, results, offset, limit, where)
                if offset is None:
                    break
        if len(found) == before:
            ctx.skip("station returned no data", station.location_id)
    return found


def _next_offset(
    body: dict[str, Any], results: list[Any], offset: int, limit: int, where: str
) -> int | None:
    """Return the next page's 1-based offset, or None after the last page."""
    if not results:
        return None
    try:
        resultset = body["metadata"]["resultset"]
        count = int(resultset["count"])
        page_offset = int(resultset["offset"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceFormatError(
            f"weather: {where}: missing `metadata.resultset` count or offset"
        ) from exc
    if page_offset != offset:
        raise SourceFormatError(
            f"weather: {where}: page starts at offset {page_offset}, expected {offset}"
        )
    received = offset + len(results) - 1
    if received >= count:
        return None
    if len(results) < limit:
        raise SourceFormatError(
            f"weather: {where}: page has {len(results)} results, expected "
            f"{limit}, and only {received} of {count} arrived"
        )
    return offset + len(results)


# --- Open-Meteo ------------------------------------------------------------


def _fetch_openmeteo(
    client: HttpClient, start: date, end: date, ctx: LoadContext
) -> list[Observation]:
    found: list[Observation] = []
    for point in api_locations(OPEN_METEO):
        today = local_today(point.timezone)
        last_day = min(end, today - timedelta(days=1))
        if start > last_day:
            continue
        archive = _openmeteo_request(
            client,
            openmeteo_archive_url(),
            point,
            {"start_date": start.isoformat(), "end_date": last_day.isoformat()},
            ctx,
            provisional=False,
        )
        found.extend(archive)
        last_archived = max((obs.observation_date for obs in archive), default=None)
        first_missing = start
        if last_archived is not None:
            first_missing = max(start, last_archived + timedelta(days=1))
        if first_missing > last_day:
            continue
        past_days = (today - first_missing).days
        if past_days > OPENMETEO_MAX_PAST_DAYS:
            ctx.skip(
                "beyond forecast past_days",
                f"{point.location_id}: archive ends {last_archived}",
            )
            first_missing = today - timedelta(days=OPENMETEO_MAX_PAST_DAYS)
            past_days = OPENMETEO_MAX_PAST_DAYS
        recent = _openmeteo_request(
            client,
            openmeteo_forecast_url(),
            point,
            {"past_days": past_days, "forecast_days": 1},
            ctx,
            provisional=True,
            keep_before=today,
        )
        found.extend(
            obs for obs in recent if first_missing <= obs.observation_date <= last_day
        )
    return found


def _openmeteo_request(
    client: HttpClient,
    url: str,
    point: Location,
    extra: dict[str, Any],
    ctx: LoadContext,
    *,
    provisional: bool,
    keep_before: date | None = None,
) -> list[Observation]:
    kind = "forecast" if provisional else "archive"
    params = {
        "latitude": point.latitude,
        "longitude": point.longitude,
        "daily": ",".join(OPENMETEO_DAILY),
        "timezone": point.timezone,
        **extra,
    }
    where = (
        f"the {kind} request for {point.location_id} "
        f"({point.latitude}, {point.longitude})"
    )
    try:
        body = client.get_json(url, params)
    except HttpError as exc:
        if exc.status != 400:
            raise
        raise OpenMeteoError(
            f"weather: Open-Meteo rejected {where}: {_reason(str(exc))}"
        ) from None
    return parse_openmeteo(
        body,
        where,
        ctx,
        location_id=point.location_id,
        latitude=float(point.latitude or 0.0),
        longitude=float(point.longitude or 0.0),
        provisional=provisional,
        source=API_SOURCE,
        keep_before=keep_before,
    )


def _reason(text: str) -> str:
    """Return Open-Meteo's `reason` from an HttpError message, else the message."""
    match = _REASON.search(text)
    if match is None:
        return text
    try:
        return json.loads(f'"{match.group(1)}"')
    except json.JSONDecodeError:
        return match.group(1)
