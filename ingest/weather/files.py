"""Reader of saved weather files; each file is recognised by its content.

- JSON object with `results` (or `{}`): a NOAA CDO v2 `/data` body of GHCND
  daily values, in GHCN's raw units (tenths of °C and mm), because the API
  client never sends `units`.
- JSON object with `daily`: an Open-Meteo archive body. Its point is matched
  to the nearest seeded grid point. A saved forecast body does not say how
  many of its days are past days (`past_days` is in the request only), so a
  file whose name contains `forecast` is skipped and counted.
- JSON Feature with `properties.parameter`: a NASA POWER daily point body.
- JSON list of `{request_uri, body}` objects: recorded API interactions.
  Each one is read by its request: its path picks the parser, and its query
  gives NOAA's `units`, Open-Meteo's requested point and `past_days`.
  Recorded error responses and metadata endpoints are skipped and counted.
- JSON object with `"error": true`: a saved Open-Meteo error, which raises.
- CSV whose header starts `Horario,` with a `Temp[ºC]` column: SMN hourly.
- CSV with a `CODIGO (WMO):` header line: INMET hourly.

Anything else is skipped with a warning and counted.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ingest.source import Batch, LoadContext, SourceFormatError
from ingest.weather import hourly
from ingest.weather.aggregate import aggregate, keep_preferred
from ingest.weather.parse import (
    Observation,
    check_openmeteo_error,
    parse_noaa,
    parse_openmeteo,
    parse_power,
    power_point,
)
from ingest.weather.settings import (
    GRID_MATCH_DEGREES,
    INMET,
    NASA_POWER,
    OPEN_METEO,
    SMN,
    Location,
    feed_locations,
    locations,
)
from ingest.weather.tables import WEATHER_LOCATION_DAILY, WEATHER_NOAA

log = logging.getLogger(__name__)

FILES_SOURCE = "files"


def read_files(folder: Path, ctx: LoadContext) -> Iterator[Batch]:
    """Yield location-day and regional batches from the files in `folder`.

    Raises:
        SourceFormatError: a file is not valid JSON or CSV, lacks a required
            field, or is a saved Open-Meteo error body.
    """
    observations: list[Observation] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            ctx.skip("unrecognised file", f"{path.name} is not a regular file")
            continue
        suffix = path.suffix.lower()
        if suffix == ".json":
            found = _read_json(path, ctx)
        elif suffix == ".csv":
            found = _read_csv(path, ctx)
        else:
            ctx.skip("unrecognised file", path.name)
            continue
        log.info("weather: %s: %d location days", path.name, len(found))
        observations.extend(found)
    kept = keep_preferred(observations, ctx)
    if not kept:
        return
    yield (
        WEATHER_LOCATION_DAILY,
        WEATHER_LOCATION_DAILY.to_arrow([obs.row() for obs in kept]),
    )
    rows = aggregate(kept, locations(), ctx, FILES_SOURCE)
    if rows:
        yield WEATHER_NOAA, WEATHER_NOAA.to_arrow(rows)


def nearest_location(feed: str, latitude: float, longitude: float) -> Location | None:
    """Return the seeded grid point of `feed` nearest to a point, if close enough."""
    best: tuple[float, Location] | None = None
    for location in feed_locations(feed):
        if location.latitude is None or location.longitude is None:
            continue
        d_lat = abs(location.latitude - latitude)
        d_lon = abs(location.longitude - longitude)
        if d_lat > GRID_MATCH_DEGREES or d_lon > GRID_MATCH_DEGREES:
            continue
        distance = d_lat**2 + d_lon**2
        if best is None or distance < best[0]:
            best = (distance, location)
    return best[1] if best else None


def grid_location_id(feed: str, latitude: float, longitude: float) -> str:
    location = nearest_location(feed, latitude, longitude)
    return location.location_id if location else f"{latitude:.4f},{longitude:.4f}"


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"weather: {path}: not UTF-8 text ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"weather: {path}: invalid JSON at line {exc.lineno} column "
            f"{exc.colno}: {exc.msg}"
        ) from exc


def _read_json(path: Path, ctx: LoadContext) -> list[Observation]:
    body = _load_json(path)
    where = str(path)
    if (
        isinstance(body, list)
        and body
        and all(isinstance(item, dict) and "request_uri" in item for item in body)
    ):
        return _read_interactions(path, body, ctx)
    if not isinstance(body, dict):
        ctx.skip("unrecognised file", f"{path.name}: JSON root is not an object")
        return []
    check_openmeteo_error(body, where)
    if not body or "results" in body:
        return parse_noaa(body, where, ctx, path.name)
    if "daily" in body:
        if "forecast" in path.name.lower():
            ctx.skip("forecast file without past_days", path.name)
            return []
        lat, lon = _body_point(body, where)
        return _openmeteo(body, where, ctx, lat, lon, False, path.name)
    if body.get("type") == "Feature" and "properties" in body:
        lat, lon = power_point(body, where)
        location_id = grid_location_id(NASA_POWER, lat, lon)
        return parse_power(body, where, ctx, location_id=location_id, source=path.name)
    ctx.skip("unrecognised file", f"{path.name}: no results, daily or Feature")
    return []


def _read_interactions(
    path: Path, interactions: list[dict[str, Any]], ctx: LoadContext
) -> list[Observation]:
    """Read a list of recorded requests and responses, one by one."""
    found: list[Observation] = []
    for index, item in enumerate(interactions):
        uri = str(item["request_uri"])
        where = f"{path.name} interaction {index} ({urlsplit(uri).path})"
        parts = urlsplit(uri)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        status = _status(item)
        body = item.get("body")
        if parts.path.endswith("/cdo-web/api/v2/data"):
            if status != 200:
                ctx.skip("recorded error response", f"{where}: HTTP {status}")
            elif query.get("datasetid") != "GHCND":
                ctx.skip("not GHCND daily data", f"{where}: {query.get('datasetid')}")
            else:
                found.extend(
                    parse_noaa(body, where, ctx, path.name, query.get("units"))
                )
        elif "/cdo-web/api/v2/" in parts.path:
            ctx.skip("NOAA metadata response", where)
        elif parts.path.endswith(("/v1/archive", "/v1/forecast")):
            forecast = parts.path.endswith("/v1/forecast")
            found.extend(
                _recorded_openmeteo(
                    where, query, status, body, ctx, path.name, forecast
                )
            )
        else:
            ctx.skip("unrecognised response", where)
    return found


def _recorded_openmeteo(
    where: str,
    query: dict[str, str],
    status: int | None,
    body: Any,
    ctx: LoadContext,
    source: str,
    forecast: bool,
) -> list[Observation]:
    """Read a recorded Open-Meteo response; forecast rows are provisional.

    Only the first `past_days` entries of a forecast are past days; the rest,
    today included, are forecasts and are dropped.
    """
    if status != 200:
        reason = body.get("reason") if isinstance(body, dict) else body
        ctx.skip("recorded error response", f"{where}: HTTP {status}: {reason}")
        return []
    try:
        lat, lon = float(query["latitude"]), float(query["longitude"])
    except (KeyError, ValueError):
        lat, lon = _body_point(body, where)
    keep_before = None
    if forecast:
        daily = body.get("daily") if isinstance(body, dict) else None
        times = daily.get("time") if isinstance(daily, dict) else None
        keep_before = _first_date(times or [], int(query.get("past_days", "0")))
    return _openmeteo(body, where, ctx, lat, lon, forecast, source, keep_before)


def _openmeteo(
    body: Any,
    where: str,
    ctx: LoadContext,
    lat: float,
    lon: float,
    provisional: bool,
    source: str,
    keep_before: date | None = None,
) -> list[Observation]:
    return parse_openmeteo(
        body,
        where,
        ctx,
        location_id=grid_location_id(OPEN_METEO, lat, lon),
        latitude=lat,
        longitude=lon,
        provisional=provisional,
        source=source,
        keep_before=keep_before,
    )


def _read_csv(path: Path, ctx: LoadContext) -> list[Observation]:
    head = path.read_bytes()[:4096]
    lines = head.decode("utf-8", "replace").splitlines()
    if hourly.is_smn_header(lines[0] if lines else ""):
        station = hourly.smn_station(path, feed_locations(SMN))
        if station is None:
            ctx.skip("unknown SMN station", f"{path.name}: no seeded name in file name")
            return []
        return hourly.read_smn(path, ctx, station)
    if "CODIGO (WMO)" in head.decode("latin-1").upper():
        seeded = {loc.location_id: loc for loc in feed_locations(INMET)}
        return hourly.read_inmet(path, ctx, seeded)
    ctx.skip("unrecognised file", f"{path.name}: not an SMN or INMET CSV")
    return []


def _body_point(body: Any, where: str) -> tuple[float, float]:
    try:
        return float(body["latitude"]), float(body["longitude"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceFormatError(
            f"weather: {where}: missing or invalid `latitude`/`longitude`"
        ) from exc


def _status(item: dict[str, Any]) -> int | None:
    raw = item.get("status_code")
    if raw is None and isinstance(item.get("status"), dict):
        raw = item["status"].get("code")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _first_date(times: list[Any], index: int) -> date | None:
    """Return the date at `index` of a `daily.time` list; None past its end."""
    if index >= len(times):
        return None
    try:
        return date.fromisoformat(str(times[index]))
    except ValueError:
        return None
