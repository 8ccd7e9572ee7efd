"""Constants of the weather loader and the two seeds it reads.

`seeds/weather_locations.csv` lists every station or grid point with the
share of its region's soybean production it stands for, and
`seeds/weather_regions.csv` gives each region's time zone. The same seeds
feed the dbt staging model, so Python and SQL agree on regions and zones.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.settings import SEEDS_DIR, env_int

SOURCE_NAME = "weather"
FOLDER = "weather"

# Feed names, stored in the `feed` column of both raw tables.
NOAA = "noaa_ghcnd"
OPEN_METEO = "open_meteo"
NASA_POWER = "nasa_power"
INMET = "inmet"
SMN = "smn"
FEEDS = (NOAA, OPEN_METEO, NASA_POWER, INMET, SMN)
# Feeds whose locations are grid points matched by coordinates.
GRID_FEEDS = frozenset({OPEN_METEO, NASA_POWER})

NOAA_BASE_URL_ENV = "ZL_NOAA_BASE_URL"
NOAA_DEFAULT_BASE_URL = "https://www.ncei.noaa.gov/cdo-web/api/v2"
NOAA_TOKEN_ENV = "NOAA_TOKEN"
NOAA_MIN_INTERVAL_ENV = "ZL_NOAA_MIN_INTERVAL_S"
# CDO allows five requests a second per token.
NOAA_DEFAULT_MIN_INTERVAL_S = 0.2
NOAA_PAGE_LIMIT_ENV = "ZL_NOAA_PAGE_LIMIT"
# CDO returns at most 1000 results per request.
NOAA_MAX_PAGE_LIMIT = 1000
# CDO rejects a daily-data request whose dates span a year or more.
NOAA_MAX_SPAN_DAYS = 365
NOAA_DATATYPES = ("TMAX", "TMIN", "PRCP")

OPENMETEO_ARCHIVE_URL_ENV = "ZL_OPENMETEO_ARCHIVE_URL"
OPENMETEO_ARCHIVE_DEFAULT = "https://archive-api.open-meteo.com/v1/archive"
OPENMETEO_FORECAST_URL_ENV = "ZL_OPENMETEO_FORECAST_URL"
OPENMETEO_FORECAST_DEFAULT = "https://api.open-meteo.com/v1/forecast"
OPENMETEO_DAILY = ("temperature_2m_max", "temperature_2m_min", "precipitation_sum")
# The forecast endpoint accepts past_days up to 92.
OPENMETEO_MAX_PAST_DAYS = 92

# First day an API run requests when the window has no start: the real ZL
# price history starts in 2004.
# Comma-separated location ids that an API run fetches; unset means all.
LOCATIONS_ENV = "ZL_WEATHER_LOCATIONS"
API_START_ENV = "ZL_WEATHER_START"
API_DEFAULT_START = date(2004, 1, 1)

# Grid responses name the cell centre, not the requested point (Open-Meteo
# moved 40.7128 to 40.738136), so a file's point is matched to the nearest
# seeded point of its feed within this many degrees of latitude and longitude.
GRID_MATCH_DEGREES = 0.25
# Hourly files give a daily max and min only for local days with at least
# this many hourly readings, so a day with a gap does not look mild.
MIN_HOURLY_READINGS = 18

LOCATIONS_SEED = SEEDS_DIR / "weather_locations.csv"
REGIONS_SEED = SEEDS_DIR / "weather_regions.csv"
API_SOURCE = "api"


class SeedError(ValueError):
    """Raised when a weather seed has an invalid row."""


@dataclass(frozen=True)
class Location:
    """One row of `seeds/weather_locations.csv`.

    Attributes:
        latitude: degrees north; required for grid feeds, optional for
            stations, which are matched by id.
        weight: the location's share of its region's soybean production; the
            weights of one feed and region sum to at most 1.
        timezone: the IANA zone of the location's local day.
    """

    feed: str
    location_id: str
    region: str
    sub_region: str
    name: str
    latitude: float | None
    longitude: float | None
    weight: float
    timezone: str


@dataclass(frozen=True)
class Region:
    """One row of `seeds/weather_regions.csv`."""

    region: str
    timezone: str
    description: str


def load_regions(path: Path = REGIONS_SEED) -> dict[str, Region]:
    """Read the region seed, keyed by region.

    Raises:
        SeedError: a row lacks a field, repeats a region or names an unknown
            time zone. The message names the line.
    """
    regions: dict[str, Region] = {}
    for where, row in _rows(path):
        try:
            region = Region(
                row["region"].strip(), row["timezone"].strip(), row["description"]
            )
        except (KeyError, AttributeError) as exc:
            raise SeedError(f"{where}: missing field ({exc})") from exc
        _check_zone(region.timezone, where)
        if region.region in regions:
            raise SeedError(f"{where}: repeated region {region.region!r}")
        regions[region.region] = region
    return regions


def load_locations(
    path: Path = LOCATIONS_SEED, regions: dict[str, Region] | None = None
) -> dict[tuple[str, str], Location]:
    """Read the location seed, keyed by (feed, location_id).

    Raises:
        SeedError: a row has an unknown feed or region, a weight outside
            (0, 1], coordinates out of range, a repeated key, or the weights
            of one feed and region sum to more than 1.
    """
    regions = regions if regions is not None else load_regions()
    locations: dict[tuple[str, str], Location] = {}
    for where, row in _rows(path):
        location = _location_row(row, where)
        if location.feed not in FEEDS:
            raise SeedError(f"{where}: unknown feed {location.feed!r}")
        if location.region not in regions:
            raise SeedError(f"{where}: unknown region {location.region!r}")
        if not 0 < location.weight <= 1:
            raise SeedError(f"{where}: weight {location.weight} not in (0, 1]")
        _check_coordinates(location, where)
        _check_zone(location.timezone, where)
        key = (location.feed, location.location_id)
        if key in locations:
            raise SeedError(f"{where}: repeated location {key}")
        locations[key] = location
    totals: dict[tuple[str, str], float] = {}
    for location in locations.values():
        group = (location.feed, location.region)
        totals[group] = totals.get(group, 0.0) + location.weight
    for (feed, region), total in totals.items():
        if total > 1.0001:
            raise SeedError(
                f"{path.name}: weights of feed {feed} in region {region} sum to "
                f"{total:.4f}; they are shares of the region's production"
            )
    return locations


@cache
def regions() -> dict[str, Region]:
    """Return the project's region seed, read once per process."""
    return load_regions()


@cache
def locations() -> dict[tuple[str, str], Location]:
    """Return the project's location seed, read once per process."""
    return load_locations(regions=regions())


def feed_locations(feed: str) -> list[Location]:
    """Return the seeded locations of one feed, in seed order."""
    return [loc for loc in locations().values() if loc.feed == feed]


def api_locations(feed: str) -> list[Location]:
    """Return the locations of `feed` an API run fetches, `$ZL_WEATHER_LOCATIONS`.

    Raises:
        ValueError: the variable names an id that is in no feed of the seed.
    """
    raw = os.environ.get(LOCATIONS_ENV, "")
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    if not wanted:
        return feed_locations(feed)
    known = {loc.location_id for loc in locations().values()}
    unknown = sorted(wanted - known)
    if unknown:
        raise ValueError(
            f"{LOCATIONS_ENV} names locations not in {LOCATIONS_SEED.name}: {unknown}"
        )
    return [loc for loc in feed_locations(feed) if loc.location_id in wanted]


def noaa_page_limit() -> int:
    """Return results per CDO request, `$ZL_NOAA_PAGE_LIMIT` (1-1000, default 1000).

    Raises:
        ValueError: the variable is not an integer in that range.
    """
    return env_int(NOAA_PAGE_LIMIT_ENV, NOAA_MAX_PAGE_LIMIT, 1, NOAA_MAX_PAGE_LIMIT)


def noaa_base_url() -> str:
    return os.environ.get(NOAA_BASE_URL_ENV, NOAA_DEFAULT_BASE_URL).rstrip("/")


def openmeteo_archive_url() -> str:
    return os.environ.get(OPENMETEO_ARCHIVE_URL_ENV, OPENMETEO_ARCHIVE_DEFAULT)


def openmeteo_forecast_url() -> str:
    return os.environ.get(OPENMETEO_FORECAST_URL_ENV, OPENMETEO_FORECAST_DEFAULT)


def noaa_min_interval_s() -> float:
    """Return the minimum seconds between CDO requests, `$ZL_NOAA_MIN_INTERVAL_S`.

    Raises:
        ValueError: the variable is not a non-negative number.
    """
    raw = os.environ.get(NOAA_MIN_INTERVAL_ENV, str(NOAA_DEFAULT_MIN_INTERVAL_S))
    try:
        interval = float(raw)
    except ValueError:
        interval = -1.0
    if not interval >= 0:
        raise ValueError(
            f"{NOAA_MIN_INTERVAL_ENV}={raw!r} is invalid: use seconds >= 0"
        )
    return interval


def api_start() -> date:
    """Return the first day an API run requests without `--start`.

    Raises:
        ValueError: `$ZL_WEATHER_START` is not an ISO date.
    """
    raw = os.environ.get(API_START_ENV)
    if not raw:
        return API_DEFAULT_START
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"{API_START_ENV}={raw!r} is invalid: use YYYY-MM-DD") from exc


def _rows(path: Path) -> list[tuple[str, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            (f"{path.name} line {line}", row)
            for line, row in enumerate(csv.DictReader(handle), start=2)
        ]


def _location_row(row: dict[str, str], where: str) -> Location:
    try:
        return Location(
            feed=row["feed"].strip(),
            location_id=row["location_id"].strip(),
            region=row["region"].strip(),
            sub_region=row["sub_region"].strip(),
            name=row["name"].strip(),
            latitude=_optional_float(row["latitude"]),
            longitude=_optional_float(row["longitude"]),
            weight=float(row["production_weight"]),
            timezone=row["timezone"].strip(),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SeedError(f"{where}: missing or invalid field ({exc})") from exc


def _check_zone(name: str, where: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SeedError(f"{where}: unknown time zone {name!r}") from exc


def _optional_float(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def _check_coordinates(location: Location, where: str) -> None:
    lat, lon = location.latitude, location.longitude
    if lat is None or lon is None:
        if location.feed in GRID_FEEDS:
            raise SeedError(f"{where}: a grid point needs latitude and longitude")
        return
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise SeedError(f"{where}: coordinates ({lat}, {lon}) out of range")
