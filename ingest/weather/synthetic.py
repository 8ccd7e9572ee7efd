"""Synthetic Open-Meteo archive files for `zl demo`.

One JSON body per seeded Open-Meteo grid point, shaped like the archive's
reply to `daily=temperature_2m_max,temperature_2m_min,precipitation_sum`
in °C and mm, with a top-level `"synthetic": true`. Temperatures follow a
seasonal cycle (warm in January south of the equator) plus seeded noise;
precipitation falls on about a third of days. Not weather data.
"""

from __future__ import annotations

import json
import math
import random
import zlib
from datetime import date, timedelta
from pathlib import Path

from ingest.weather.settings import OPEN_METEO, Location, feed_locations

_MEAN_C = {"us_midwest": 11.0, "brazil": 24.0, "argentina": 17.0}
_AMPLITUDE_C = {"us_midwest": 14.0, "brazil": 3.0, "argentina": 7.0}


def write_synthetic(folder: Path, start: date, end: date, seed: int) -> list[Path]:
    """Write one synthetic archive body per grid point into `folder`.

    Returns:
        The paths written, in seed order.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for point in feed_locations(OPEN_METEO):
        path = folder / f"synthetic_openmeteo_archive_{point.location_id}.json"
        body = _body(point, start, end, seed)
        path.write_text(json.dumps(body, separators=(",", ":")), encoding="utf-8")
        paths.append(path)
    return paths


def _body(point: Location, start: date, end: date, seed: int) -> dict[str, object]:
    rng = random.Random(seed ^ zlib.crc32(point.location_id.encode()))
    mean = _MEAN_C.get(point.region, 15.0)
    amplitude = _AMPLITUDE_C.get(point.region, 8.0)
    # Peak warmth around day 200 in the north and day 17 in the south.
    peak = 200 if (point.latitude or 0.0) >= 0 else 17
    times, highs, lows, rain = [], [], [], []
    day = start
    while day <= end:
        season = math.cos(2 * math.pi * (day.timetuple().tm_yday - peak) / 365.25)
        centre = mean + amplitude * season + rng.gauss(0, 2.5)
        spread = max(4.0, 10.0 + rng.gauss(0, 2.0))
        times.append(day.isoformat())
        highs.append(round(centre + spread / 2, 1))
        lows.append(round(centre - spread / 2, 1))
        rain.append(round(rng.expovariate(1 / 8.0), 1) if rng.random() < 0.33 else 0.0)
        day += timedelta(days=1)
    return {
        "synthetic": True,
        "latitude": point.latitude,
        "longitude": point.longitude,
        "generationtime_ms": 0.0,
        "utc_offset_seconds": 0,
        "timezone": point.timezone,
        "timezone_abbreviation": "SYNTHETIC",
        "elevation": 0.0,
        "daily_units": {
            "time": "iso8601",
            "temperature_2m_max": "°C",
            "temperature_2m_min": "°C",
            "precipitation_sum": "mm",
        },
        "daily": {
            "time": times,
            "temperature_2m_max": highs,
            "temperature_2m_min": lows,
            "precipitation_sum": rain,
        },
    }
