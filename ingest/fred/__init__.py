"""FRED and ALFRED macro series, loaded with every vintage.

Point in time is the point of this source: the API mode requests every vintage
from ALFRED, so each revision of a value is its own row keyed by the day it
became current (`realtime_start`). Files saved from the API are read with
the vintage mode their header shows; fredgraph CSV downloads have no
vintages and are stored as `undated`.

Tables: `raw.fred_economic` (observations by vintage), `raw.fred_series`
(series metadata). Series list: `seeds/fred_series.csv`, or
`$ZL_FRED_SERIES`. API base URL: `$ZL_FRED_BASE_URL`. Key: `FRED_API_KEY`.
"""

from __future__ import annotations

from ingest.fred.api import fetch_api
from ingest.fred.files import read_files
from ingest.fred.settings import FOLDER, SOURCE_NAME
from ingest.fred.tables import FRED_ECONOMIC, FRED_SERIES
from ingest.http import RetryPolicy
from ingest.source import SourceSpec

SOURCE = SourceSpec(
    name=SOURCE_NAME,
    folder=FOLDER,
    tables=(FRED_ECONOMIC, FRED_SERIES),
    read_files=read_files,
    fetch_api=fetch_api,
    # FRED throttles each key (client libraries report about two requests a
    # second). The API client paces its requests, see
    # settings.min_request_interval_s, and a 429's Retry-After is obeyed.
    retry=RetryPolicy(max_attempts=5, base_backoff_s=1.0, max_backoff_s=60.0),
    description="FRED/ALFRED macro series with every vintage (rates, FX, "
    "energy, inflation, stress, activity, IMF ag prices, money)",
)

__all__ = ["SOURCE"]
