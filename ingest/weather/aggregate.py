"""Production-weighted regional aggregation of location days.

For each feed, region and day, a variable's regional value is the weighted
mean over the seeded locations that reported that variable, with weights
renormalised over those locations:

    value = sum(weight_i * x_i) / sum(weight_i)   over locations i with x_i

so a station that missed a day neither drags the mean to zero nor counts.
`weight_share_reported` is the sum of the weights of the locations that
reported any value, that is the share of the region's production they cover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from ingest.source import LoadContext
from ingest.weather.parse import Observation
from ingest.weather.settings import Location

_VARIABLES = ("tmax_c", "tmin_c", "precip_mm")


def keep_preferred(
    observations: Iterable[Observation], ctx: LoadContext
) -> list[Observation]:
    """Keep one observation per (feed, location, day).

    A final value beats a provisional one whatever the order, so an archive
    day replaces the forecast's past day; otherwise the later input wins.
    Dropped duplicates are counted as "duplicate location day" skips.
    """
    kept: dict[tuple[str, str, date], Observation] = {}
    for observation in observations:
        previous = kept.get(observation.key)
        if previous is not None:
            ctx.skip("duplicate location day", f"{observation.key}")
            if observation.provisional and not previous.provisional:
                continue
        kept[observation.key] = observation
    return [kept[key] for key in sorted(kept)]


def aggregate(
    observations: Iterable[Observation],
    seeded: dict[tuple[str, str], Location],
    ctx: LoadContext,
    source: str,
) -> list[dict[str, Any]]:
    """Return `weather_noaa` rows: one per region, day and feed.

    Observations of locations not in the seed are counted as skips
    ("location not in seed", once per location) and stay out of the mean.
    """
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for location in seeded.values():
        expected[(location.feed, location.region)] += 1
    groups: dict[tuple[str, date, str], list[tuple[Location, Observation]]] = (
        defaultdict(list)
    )
    unseeded: set[tuple[str, str]] = set()
    for observation in observations:
        location = seeded.get((observation.feed, observation.location_id))
        if location is None:
            unseeded.add((observation.feed, observation.location_id))
            continue
        group = (location.region, observation.observation_date, observation.feed)
        groups[group].append((location, observation))
    for feed, location_id in sorted(unseeded):
        ctx.skip("location not in seed", f"{feed} {location_id}")

    rows = []
    for (region, day, feed), members in sorted(groups.items()):
        reporting = [(loc, obs) for loc, obs in members if obs.has_values()]
        if not reporting:
            continue
        row: dict[str, Any] = {
            "region": region,
            "observation_date": day,
            "feed": feed,
            "locations_reported": len(reporting),
            "locations_expected": expected[(feed, region)],
            "weight_share_reported": round(sum(loc.weight for loc, _ in reporting), 6),
            "provisional": any(obs.provisional for _, obs in reporting),
            "source": source,
        }
        for variable in _VARIABLES:
            row[variable] = _weighted_mean(reporting, variable)
        rows.append(row)
    return rows


def _weighted_mean(
    members: list[tuple[Location, Observation]], variable: str
) -> float | None:
    pairs = [
        (loc.weight, getattr(obs, variable))
        for loc, obs in members
        if getattr(obs, variable) is not None
    ]
    total = sum(weight for weight, _ in pairs)
    if not pairs or total <= 0:
        return None
    return round(sum(weight * value for weight, value in pairs) / total, 3)
