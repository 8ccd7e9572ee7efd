"""Constants of the FRED loader and the series seed it reads."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.settings import SEEDS_DIR, env_int

SOURCE_NAME = "fred"
FOLDER = "fred"

BASE_URL_ENV = "ZL_FRED_BASE_URL"
DEFAULT_BASE_URL = "https://api.stlouisfed.org/fred"
API_KEY_ENV = "FRED_API_KEY"
SERIES_ENV = "ZL_FRED_SERIES"
PAGE_LIMIT_ENV = "ZL_FRED_PAGE_LIMIT"
MIN_INTERVAL_ENV = "ZL_FRED_MIN_INTERVAL_S"
# NOTE: FRED does not publish its throttle; 0.5 s keeps to the roughly two
# requests a second that client libraries report.
DEFAULT_MIN_INTERVAL_S = 0.5
# FRED accepts at most 100000 observations per /series/observations request.
MAX_PAGE_LIMIT = 100_000

# The real-time period that requests every vintage of a series from ALFRED.
ALL_VINTAGES_START = "1776-07-04"
ALL_VINTAGES_END = "9999-12-31"

SERIES_SEED = SEEDS_DIR / "fred_series.csv"

# vintage_key of rows that carry no real-time period (fredgraph CSV).
UNDATED = "undated"
API_SOURCE = "api"

# vintage_mode values, highest precedence first. When two inputs of one run
# hold the same (series_id, observation_date, vintage_key), the row from the
# mode listed first is kept: an all-vintages file has the true realtime_end,
# while an as-of file clips it to its as-of date.
VINTAGE_MODES = ("all_vintages", "as_of", "initial_release", "latest", "fredgraph")

# FRED writes a missing value as "." in JSON and legacy CSV, and as an empty
# field in the current fredgraph CSV.
MISSING_VALUES = frozenset({".", ""})

FREQUENCIES = ("D", "W", "M", "Q")
FEATURE_TRANSFORMS = ("level", "diff", "log_diff")
CATEGORIES = (
    "rates",
    "fx",
    "energy",
    "inflation",
    "volatility",
    "activity",
    "ag_prices",
    "money",
)

SERIES_ID_PATTERN = re.compile(r"^[A-Z0-9_]+$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class SeriesSeed:
    """One row of `seeds/fred_series.csv`.

    Attributes:
        publication_lag_days: conservative days from the observation date to
            first publication, used only for rows without a vintage date.
        max_age_days: how many days a value may be carried forward after it
            became available.
    """

    series_id: str
    name: str
    category: str
    frequency: str
    units: str
    release_time_et: str
    publication_lag_days: int
    max_age_days: int
    feature_transform: str


class SeedError(ValueError):
    """Raised when `seeds/fred_series.csv` has an invalid row."""


def load_seed(path: Path = SERIES_SEED) -> dict[str, SeriesSeed]:
    """Read and validate the series seed, keyed by series id, in file order.

    Raises:
        SeedError: a row has an unknown frequency, category or transform, a
            clock time that is not HH:MM, a negative day count or a repeated
            id. The message names the line.
    """
    seeds: dict[str, SeriesSeed] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            seed = _seed_row(row, f"{path.name} line {line}")
            if seed.series_id in seeds:
                raise SeedError(f"{path.name} line {line}: repeated {seed.series_id}")
            seeds[seed.series_id] = seed
    return seeds


@cache
def seed() -> dict[str, SeriesSeed]:
    """Return the project's series seed, read once per process."""
    return load_seed()


def _seed_row(row: dict[str, str], where: str) -> SeriesSeed:
    try:
        entry = SeriesSeed(
            series_id=row["series_id"].strip(),
            name=row["name"].strip(),
            category=row["category"].strip(),
            frequency=row["frequency"].strip(),
            units=row["units"].strip(),
            release_time_et=row["release_time_et"].strip(),
            publication_lag_days=int(row["publication_lag_days"]),
            max_age_days=int(row["max_age_days"]),
            feature_transform=row["feature_transform"].strip(),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SeedError(f"{where}: missing or invalid field ({exc})") from exc
    checks = [
        (SERIES_ID_PATTERN.match(entry.series_id), "series_id"),
        (entry.category in CATEGORIES, "category"),
        (entry.frequency in FREQUENCIES, "frequency"),
        (entry.feature_transform in FEATURE_TRANSFORMS, "feature_transform"),
        (_CLOCK.match(entry.release_time_et), "release_time_et"),
        (entry.publication_lag_days >= 0, "publication_lag_days"),
        (entry.max_age_days > 0, "max_age_days"),
    ]
    for passed, field_name in checks:
        if not passed:
            value = getattr(entry, field_name)
            raise SeedError(f"{where}: invalid {field_name} {value!r}")
    return entry


def base_url() -> str:
    """Return the API base URL from `$ZL_FRED_BASE_URL`, without a trailing /."""
    return os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/")


def page_limit() -> int:
    """Return observations per request from `$ZL_FRED_PAGE_LIMIT` (1-100000).

    Raises:
        ValueError: the variable is not an integer in that range.
    """
    return env_int(PAGE_LIMIT_ENV, MAX_PAGE_LIMIT, 1, MAX_PAGE_LIMIT)


def min_request_interval_s() -> float:
    """Return the minimum seconds between API requests, `$ZL_FRED_MIN_INTERVAL_S`.

    Raises:
        ValueError: the variable is not a non-negative number.
    """
    raw = os.environ.get(MIN_INTERVAL_ENV, str(DEFAULT_MIN_INTERVAL_S))
    try:
        interval = float(raw)
    except ValueError:
        interval = -1.0
    if not interval >= 0:
        raise ValueError(f"{MIN_INTERVAL_ENV}={raw!r} is invalid: use seconds >= 0")
    return interval


def requested_series() -> list[str]:
    """Return the series ids to fetch: `$ZL_FRED_SERIES`, else the whole seed.

    Raises:
        ValueError: an id in `$ZL_FRED_SERIES` has characters FRED ids never
            contain.
    """
    raw = os.environ.get(SERIES_ENV, "")
    if not raw.strip():
        return list(seed())
    ids = [part.strip().upper() for part in raw.split(",") if part.strip()]
    for series_id in ids:
        if not SERIES_ID_PATTERN.match(series_id):
            raise ValueError(
                f"{SERIES_ENV} contains invalid series id {series_id!r}: use "
                "FRED ids such as DGS10, separated by commas"
            )
    return list(dict.fromkeys(ids))
