"""Constants of the EIA loader and the two seeds it reads.

`seeds/eia_series.csv` lists the series the live API requests, and
`seeds/eia_release_rules.csv` gives the release rule of each (route,
frequency). Staging computes `available_at` from the rules; Python only
checks that the two seeds agree.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.settings import SEEDS_DIR, env_int

SOURCE_NAME = "eia"
FOLDER = "eia"

BASE_URL_ENV = "ZL_EIA_BASE_URL"
DEFAULT_BASE_URL = "https://api.eia.gov/v2"
API_KEY_ENV = "EIA_API_KEY"
PAGE_LENGTH_ENV = "ZL_EIA_PAGE_LENGTH"
SERIES_ENV = "ZL_EIA_SERIES"
# EIA API v2 returns at most 5000 rows per JSON request.
MAX_PAGE_LENGTH = 5000
API_SOURCE = "api"

SERIES_SEED = SEEDS_DIR / "eia_series.csv"
RULES_SEED = SEEDS_DIR / "eia_release_rules.csv"

# Value strings that EIA tables use for a missing or withheld number. Rows
# with them are kept with a NULL value; other non-numbers are skipped.
MISSING_VALUES = frozenset({"", "NA", "W", "--", "-"})

FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "annual")
RELEASE_RULES = ("wpsr", "weekly_retail", "monthly_biofuels", "monthly_psm")
ROUTE_PATTERN = re.compile(r"^[a-z0-9-]+(/[a-z0-9-]+)*$")
SERIES_ID_PATTERN = re.compile(r"^[A-Z0-9_-]+$")


class SeedError(ValueError):
    """Raised when an EIA seed has an invalid or inconsistent row."""


@dataclass(frozen=True)
class SeriesSeed:
    """One row of `seeds/eia_series.csv`.

    Attributes:
        id_source: where the series id was checked: `recorded response`
            (a real EIA body in the test data), `third-party reference`
            or `unverified`.
    """

    route: str
    series_id: str
    frequency: str
    name: str
    units: str
    report: str
    release_rule: str
    id_source: str


def load_series(path: Path = SERIES_SEED) -> list[SeriesSeed]:
    """Read and validate the series seed in file order.

    Raises:
        SeedError: a row has an invalid route, id, frequency or release
            rule, repeats a (route, series_id, frequency), or names a
            release rule that `seeds/eia_release_rules.csv` does not give
            its route and frequency. The message names the line.
    """
    rules = load_rules()
    rows: list[SeriesSeed] = []
    seen: set[tuple[str, str, str]] = set()
    with path.open(newline="", encoding="utf-8") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            where = f"{path.name} line {line}"
            entry = _series_row(record, where)
            key = (entry.route, entry.series_id, entry.frequency)
            if key in seen:
                raise SeedError(f"{where}: repeated {key}")
            seen.add(key)
            expected = rules.get((entry.route, entry.frequency))
            if expected != entry.release_rule:
                raise SeedError(
                    f"{where}: release_rule {entry.release_rule!r} does not match "
                    f"{RULES_SEED.name}, which gives {expected!r} for "
                    f"{entry.route} {entry.frequency}"
                )
            rows.append(entry)
    return rows


def load_rules(path: Path = RULES_SEED) -> dict[tuple[str, str], str]:
    """Return release_rule by (route, frequency) from the rules seed.

    Raises:
        SeedError: a rule name is unknown or a (route, frequency) repeats.
    """
    rules: dict[tuple[str, str], str] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            key = (record["route"].strip(), record["frequency"].strip())
            rule = record["release_rule"].strip()
            if rule not in RELEASE_RULES:
                raise SeedError(f"{path.name} line {line}: unknown rule {rule!r}")
            if key in rules:
                raise SeedError(f"{path.name} line {line}: repeated {key}")
            rules[key] = rule
    return rules


@cache
def seed() -> tuple[SeriesSeed, ...]:
    """Return the project's series seed, read once per process."""
    return tuple(load_series())


def _series_row(record: dict[str, str], where: str) -> SeriesSeed:
    try:
        entry = SeriesSeed(
            **{name: record[name].strip() for name in SeriesSeed.__annotations__}
        )
    except (KeyError, AttributeError) as exc:
        raise SeedError(f"{where}: missing field {exc}") from exc
    checks = [
        (ROUTE_PATTERN.match(entry.route), "route"),
        (SERIES_ID_PATTERN.match(entry.series_id), "series_id"),
        (entry.frequency in FREQUENCIES, "frequency"),
        (entry.release_rule in RELEASE_RULES, "release_rule"),
        (entry.name and entry.units, "name or units"),
    ]
    for passed, field_name in checks:
        if not passed:
            raise SeedError(f"{where}: invalid {field_name} in {record!r}")
    return entry


def base_url() -> str:
    """Return the API base URL from `$ZL_EIA_BASE_URL`, without a trailing /."""
    return os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/")


def page_length() -> int:
    """Return rows per request, `$ZL_EIA_PAGE_LENGTH` (1 to 5000, default 5000).

    Raises:
        ValueError: the variable is not an integer in that range.
    """
    return env_int(PAGE_LENGTH_ENV, MAX_PAGE_LENGTH, 1, MAX_PAGE_LENGTH)


def requested_series() -> tuple[SeriesSeed, ...]:
    """Return the seed rows to fetch: those named in `$ZL_EIA_SERIES`, else all.

    Raises:
        ValueError: `$ZL_EIA_SERIES` names an id that is not in the seed.
    """
    raw = os.environ.get(SERIES_ENV, "")
    if not raw.strip():
        return seed()
    requested_ids = {part.strip() for part in raw.split(",") if part.strip()}
    unknown = sorted(requested_ids - {entry.series_id for entry in seed()})
    if unknown:
        raise ValueError(
            f"{SERIES_ENV} names series {unknown} that are not in "
            f"{SERIES_SEED.name}; add them there first"
        )
    return tuple(entry for entry in seed() if entry.series_id in requested_ids)
