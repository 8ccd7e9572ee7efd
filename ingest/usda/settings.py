"""Constants of the USDA loader and the Quick Stats query seed it reads."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.settings import SEEDS_DIR

SOURCE_NAME = "usda"
FOLDER = "usda"

# NASS Quick Stats: the key travels as the `key` query parameter.
NASS_BASE_URL_ENV = "ZL_NASS_BASE_URL"
NASS_DEFAULT_BASE_URL = "https://quickstats.nass.usda.gov/api"
NASS_API_KEY_ENV = "NASS_API_KEY"
# Quick Stats rejects a query that would return more than this many rows
# with HTTP 413 `{"error":["exceeds limit=50000"]}`.
NASS_ROW_LIMIT = 50_000
NASS_QUERY_SEED = SEEDS_DIR / "usda_nass_queries.csv"
# Comma-separated query ids that limit a run to part of the seed.
NASS_QUERIES_ENV = "ZL_NASS_QUERIES"
# First year requested when neither the seed row nor --start gives one.
NASS_DEFAULT_START_YEAR = 2000

# Two-letter codes for splitting a single-year query that is still over the
# row limit: the national aggregate (`US`) and the 50 states.
NASS_STATE_SPLIT = (
    "US",
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
    "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
    "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
    "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
)  # fmt: skip

# WASDE machine-readable CSV from the USDA Office of the Chief Economist.
WASDE_BASE_URL_ENV = "ZL_WASDE_BASE_URL"
WASDE_DEFAULT_BASE_URL = "https://www.usda.gov/sites/default/files/documents"
WASDE_FILE_TEMPLATE = "oce-wasde-report-data-{year:04d}-{month:02d}.csv"
# First report month requested when --start is not given. A month without a
# file (HTTP 404) is counted as a skip, so an early start costs requests only.
WASDE_FIRST_MONTH = (2010, 1)
# Rows kept from a WASDE file: commodity contains this word (case-insensitive)
# and the table is a supply and use table, not a reliability table.
WASDE_COMMODITY_WORD = "soybean"
WASDE_EXCLUDED_TITLE_PREFIX = "reliability"

# FAS OpenData: the key travels in the `API_KEY` header.
FAS_BASE_URL_ENV = "ZL_FAS_BASE_URL"
FAS_DEFAULT_BASE_URL = "https://apps.fas.usda.gov/OpenData/api"
FAS_API_KEY_ENV = "FAS_API_KEY"
FAS_API_KEY_HEADER = "API_KEY"
# ESR commodity codes: 801 soybeans, 901 soybean cake and meal, 902 soybean oil.
# NOTE: 801 and 901 are confirmed by public client code; 902 follows the
# same numbering and was not checked against `/esr/commodities`.
ESR_COMMODITIES = {801: "soybeans", 901: "soybean meal", 902: "soybean oil"}
# PSD commodity codes (`/psd/commodities`): oilseed soybean, soybean oil,
# soybean meal.
PSD_COMMODITIES = {
    "2222000": "soybeans",
    "4232000": "soybean oil",
    "0813100": "soybean meal",
}
API_SOURCE = "api"

# Quick Stats writes a suppressed or unavailable value as a code in
# parentheses: (D) withheld to avoid disclosing individual operations,
# (Z) less than half the rounding unit, (NA) not available, (S) not
# published because of insufficient reports, (X) not applicable, (L) and
# (H) for CVs below 0.05% or at least 99.95%.
NASS_CODE = re.compile(r"^\(([A-Z]{1,3})\)$")
# A Quick Stats number: digits with optional thousands commas and a decimal
# part, optionally signed.
NASS_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


@dataclass(frozen=True)
class NassQuery:
    """One row of `seeds/usda_nass_queries.csv`: a Quick Stats query.

    Attributes:
        query_id: short stable name, used in logs.
        report: the NASS report the figures come from.
        params: Quick Stats filter parameters (`commodity_desc`, ...).
        start_year: first year requested unless `--start` is later.
    """

    query_id: str
    report: str
    params: dict[str, str]
    start_year: int


class SeedError(ValueError):
    """Raised when `seeds/usda_nass_queries.csv` has an invalid row."""


# Seed columns that are Quick Stats parameters, sent when non-empty.
NASS_QUERY_PARAMS = (
    "source_desc",
    "sector_desc",
    "group_desc",
    "commodity_desc",
    "class_desc",
    "statisticcat_desc",
    "short_desc",
    "agg_level_desc",
    "freq_desc",
)


def load_query_seed(path: Path = NASS_QUERY_SEED) -> list[NassQuery]:
    """Read and validate the Quick Stats query seed, in file order.

    Raises:
        SeedError: a row lacks a query id or parameters, repeats an id or
            has a start year that is not an integer. The message names the line.
    """
    queries: list[NassQuery] = []
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name} line {line}"
            query_id = (row.get("query_id") or "").strip()
            if not query_id:
                raise SeedError(f"{where}: missing query_id")
            if query_id in seen:
                raise SeedError(f"{where}: repeated query_id {query_id!r}")
            seen.add(query_id)
            params = {
                name: row[name].strip()
                for name in NASS_QUERY_PARAMS
                if (row.get(name) or "").strip()
            }
            if "commodity_desc" not in params and "short_desc" not in params:
                raise SeedError(f"{where}: needs commodity_desc or short_desc")
            try:
                start_year = int(row.get("start_year") or NASS_DEFAULT_START_YEAR)
            except ValueError as exc:
                raise SeedError(f"{where}: invalid start_year ({exc})") from exc
            queries.append(
                NassQuery(
                    query_id=query_id,
                    report=(row.get("report") or "").strip(),
                    params=params,
                    start_year=start_year,
                )
            )
    return queries


@cache
def nass_queries() -> list[NassQuery]:
    """Return the project's Quick Stats queries, read once per process."""
    return load_query_seed()


def requested_queries() -> list[NassQuery]:
    """Return the seed queries named in `$ZL_NASS_QUERIES`, else all of them.

    Raises:
        ValueError: an id in `$ZL_NASS_QUERIES` is not in the seed.
    """
    queries = nass_queries()
    raw = os.environ.get(NASS_QUERIES_ENV, "")
    requested = [part.strip() for part in raw.split(",") if part.strip()]
    if not requested:
        return queries
    by_id = {query.query_id: query for query in queries}
    unknown = [query_id for query_id in requested if query_id not in by_id]
    if unknown:
        raise ValueError(
            f"{NASS_QUERIES_ENV} names unknown queries {unknown}; use query_id "
            f"values from {NASS_QUERY_SEED.name}"
        )
    return [by_id[query_id] for query_id in requested]


def nass_base_url() -> str:
    """Return the Quick Stats base URL from `$ZL_NASS_BASE_URL`, no trailing /."""
    return os.environ.get(NASS_BASE_URL_ENV, NASS_DEFAULT_BASE_URL).rstrip("/")


def wasde_base_url() -> str:
    """Return the WASDE CSV base URL from `$ZL_WASDE_BASE_URL`, no trailing /."""
    return os.environ.get(WASDE_BASE_URL_ENV, WASDE_DEFAULT_BASE_URL).rstrip("/")


def fas_base_url() -> str:
    """Return the FAS OpenData base URL from `$ZL_FAS_BASE_URL`, no trailing /."""
    return os.environ.get(FAS_BASE_URL_ENV, FAS_DEFAULT_BASE_URL).rstrip("/")
