"""Daily weather over the soybean regions, weighted by production.

Feeds: NOAA CDO v2 GHCND stations (API and saved bodies), the Open-Meteo
archive with forecast `past_days` for the latest days (API and saved
bodies), NASA POWER daily points, INMET and SMN hourly station CSV files.
Values are converted to °C and mm in `units`, then each region's daily
value is the production-weighted mean over the seeded locations that
reported (`aggregate`).

Tables: `raw.weather_noaa` (region, day and feed; named after its first feed
but holding all of them) and `raw.weather_location_daily` (each location's
days). Locations and weights: `seeds/weather_locations.csv`; region time
zones: `seeds/weather_regions.csv`. API URLs: `$ZL_NOAA_BASE_URL`,
`$ZL_OPENMETEO_ARCHIVE_URL`, `$ZL_OPENMETEO_FORECAST_URL`. Key: `NOAA_TOKEN`
(Open-Meteo needs none).
"""

from __future__ import annotations

from ingest.http import RetryPolicy
from ingest.source import SourceSpec
from ingest.weather.api import fetch_api
from ingest.weather.files import read_files
from ingest.weather.settings import FOLDER, SOURCE_NAME
from ingest.weather.tables import WEATHER_LOCATION_DAILY, WEATHER_NOAA

SOURCE = SourceSpec(
    name=SOURCE_NAME,
    folder=FOLDER,
    tables=(WEATHER_NOAA, WEATHER_LOCATION_DAILY),
    read_files=read_files,
    fetch_api=fetch_api,
    # CDO returns 429 beyond five requests a second or 10000 a day. The
    # client paces NOAA requests and obeys Retry-After.
    retry=RetryPolicy(max_attempts=5, base_backoff_s=1.0, max_backoff_s=60.0),
    description="Daily weather (tmax, tmin, precipitation) over the US Midwest, "
    "Brazil and Argentina soybean regions, production-weighted",
)

__all__ = ["SOURCE"]
