"""Unit conversion, regional weighting and the weather seeds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.source import LoadContext
from ingest.weather import units
from ingest.weather.aggregate import aggregate, keep_preferred
from ingest.weather.parse import Observation
from ingest.weather.settings import (
    Location,
    SeedError,
    load_locations,
    load_regions,
    locations,
)

DAY = date(2024, 1, 10)


def location(location_id: str, sub_region: str, weight: float) -> Location:
    return Location(
        "noaa_ghcnd",
        location_id,
        "r1",
        sub_region,
        location_id,
        None,
        None,
        weight,
        "UTC",
    )


def observation(
    location_id: str,
    tmax: float | None,
    precip: float | None,
    provisional: bool = False,
) -> Observation:
    return Observation(
        "noaa_ghcnd", location_id, DAY, tmax, None, precip, provisional, None, None, "t"
    )


SEEDED = {
    ("noaa_ghcnd", "a"): location("a", "north", 0.5),
    ("noaa_ghcnd", "b"): location("b", "south", 0.3),
    ("noaa_ghcnd", "c"): location("c", "south", 0.2),
}


def test_fahrenheit_to_celsius() -> None:
    assert units.temperature_c(98.6, units.FAHRENHEIT) == 37.0


def test_tenths_celsius() -> None:
    assert units.temperature_c(-56.0, units.TENTHS_CELSIUS) == -5.6


def test_inches_to_mm() -> None:
    assert units.precipitation_mm(0.35, units.INCHES) == 8.89


def test_tenths_mm() -> None:
    assert units.precipitation_mm(74.0, units.TENTHS_MM) == 7.4


def test_sentinels_are_none() -> None:
    assert units.to_number(-9999, frozenset({-9999.0})) is None
    assert units.to_number("-999.0", frozenset({-999.0})) is None
    assert units.to_number("") is None
    assert units.to_number(float("nan")) is None


def test_decimal_comma() -> None:
    assert units.to_number("22,4") == 22.4


def test_impossible_values_dropped() -> None:
    assert units.temperature_c(-9999.0, units.CELSIUS) is None
    assert units.precipitation_mm(-1.0, units.MILLIMETRES) is None


def test_unknown_unit_raises() -> None:
    with pytest.raises(units.UnitError, match="kelvin"):
        units.temperature_unit("kelvin")


def test_weights_renormalised_over_reporters() -> None:
    ctx = LoadContext(source="weather")
    rows = aggregate(
        [observation("a", 10.0, 4.0), observation("b", 20.0, None)], SEEDED, ctx, "t"
    )
    row = rows[0]
    # tmax: (0.5 * 10 + 0.3 * 20) / 0.8; precip: only a reported it.
    assert row["tmax_c"] == 13.75
    assert row["precip_mm"] == 4.0
    assert row["locations_reported"] == 2
    assert row["locations_expected"] == 3
    assert row["weight_share_reported"] == 0.8


def test_all_reporters_full_share() -> None:
    ctx = LoadContext(source="weather")
    rows = aggregate(
        [
            observation("a", 10.0, 0.0),
            observation("b", 20.0, 0.0),
            observation("c", 30.0, 5.0),
        ],
        SEEDED,
        ctx,
        "t",
    )
    assert rows[0]["tmax_c"] == 17.0
    assert rows[0]["precip_mm"] == 1.0
    assert rows[0]["weight_share_reported"] == 1.0


def test_unseeded_location_skipped() -> None:
    ctx = LoadContext(source="weather")
    rows = aggregate([observation("zz", 10.0, 0.0)], SEEDED, ctx, "t")
    assert rows == []
    assert ctx.skips["location not in seed"] == 1


def test_final_beats_provisional_any_order() -> None:
    ctx = LoadContext(source="weather")
    final = observation("a", 10.0, 1.0)
    forecast = observation("a", 12.0, 3.0, provisional=True)
    assert keep_preferred([final, forecast], ctx) == [final]
    assert keep_preferred([forecast, final], ctx) == [final]


def test_provisional_flag_aggregated() -> None:
    ctx = LoadContext(source="weather")
    rows = aggregate(
        [observation("a", 10.0, 0.0), observation("b", 20.0, 0.0, provisional=True)],
        SEEDED,
        ctx,
        "t",
    )
    assert rows[0]["provisional"] is True


def test_seed_weights_per_feed_and_region() -> None:
    totals: dict[tuple[str, str], float] = {}
    for loc in locations().values():
        key = (loc.feed, loc.region)
        totals[key] = totals.get(key, 0.0) + loc.weight
    assert round(totals[("open_meteo", "us_midwest")], 6) == 1.0
    assert round(totals[("open_meteo", "brazil")], 6) == 1.0
    assert round(totals[("open_meteo", "argentina")], 6) == 1.0
    assert round(totals[("noaa_ghcnd", "us_midwest")], 6) == 1.0


def test_seed_regions_cover_required_states() -> None:
    sub_regions = {loc.sub_region for loc in locations().values()}
    required = {
        "iowa", "illinois", "indiana", "minnesota", "nebraska", "ohio",
        "mato_grosso", "parana", "rio_grande_do_sul", "goias",
        "buenos_aires", "cordoba", "santa_fe",
    }  # fmt: skip
    assert required <= sub_regions


def test_seed_overweight_raises(tmp_path: Path) -> None:
    regions_csv = tmp_path / "regions.csv"
    regions_csv.write_text("region,timezone,description\nr1,UTC,x\n")
    seed = tmp_path / "locations.csv"
    seed.write_text(
        "feed,location_id,region,sub_region,name,latitude,longitude,"
        "production_weight,timezone\n"
        "open_meteo,p1,r1,s,p1,1,1,0.7,UTC\n"
        "open_meteo,p2,r1,s,p2,2,2,0.7,UTC\n"
    )
    with pytest.raises(SeedError, match="sum to 1.4"):
        load_locations(seed, load_regions(regions_csv))


def test_seed_grid_point_needs_coordinates(tmp_path: Path) -> None:
    regions_csv = tmp_path / "regions.csv"
    regions_csv.write_text("region,timezone,description\nr1,UTC,x\n")
    seed = tmp_path / "locations.csv"
    seed.write_text(
        "feed,location_id,region,sub_region,name,latitude,longitude,"
        "production_weight,timezone\n"
        "open_meteo,p1,r1,s,p1,,,0.5,UTC\n"
    )
    with pytest.raises(SeedError, match="line 2"):
        load_locations(seed, load_regions(regions_csv))
