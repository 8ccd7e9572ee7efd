"""The raw tables of the weather loader: regional aggregates, location days."""

from __future__ import annotations

from ingest.schema import Column, TableSpec

_FEED = Column(
    "feed",
    "text",
    nullable=False,
    description="noaa_ghcnd, open_meteo, nasa_power, inmet or smn",
)
_DATE = Column(
    "observation_date",
    "date",
    nullable=False,
    description="The location's local day the values describe",
)
_PROVISIONAL = Column(
    "provisional",
    "bool",
    nullable=False,
    description="True for Open-Meteo forecast past_days values; the archive "
    "row for the same key replaces them once it is published",
)

# Kept under this name although it contains every feed, not only NOAA.
WEATHER_NOAA = TableSpec(
    name="weather_noaa",
    columns=(
        Column(
            "region",
            "text",
            nullable=False,
            description="us_midwest, brazil or argentina (seeds/weather_regions.csv)",
        ),
        _DATE,
        _FEED,
        Column(
            "tmax_c",
            "double",
            description="Production-weighted daily maximum temperature, °C",
        ),
        Column(
            "tmin_c",
            "double",
            description="Production-weighted daily minimum temperature, °C",
        ),
        Column(
            "precip_mm",
            "double",
            description="Production-weighted daily precipitation, mm; NULL when "
            "no location of the feed reported it (SMN never does)",
        ),
        Column(
            "locations_reported",
            "bigint",
            nullable=False,
            description="Seeded locations of this feed and region with a value",
        ),
        Column(
            "locations_expected",
            "bigint",
            nullable=False,
            description="Seeded locations of this feed and region",
        ),
        Column(
            "weight_share_reported",
            "double",
            nullable=False,
            description="Sum of the production weights of the locations that "
            "reported: the share of the region's production they stand for",
        ),
        _PROVISIONAL,
        Column(
            "source",
            "text",
            nullable=False,
            description="`api` or `files`: how the location values were read",
        ),
    ),
    primary_key=("region", "observation_date", "feed"),
    description="Daily weather per soybean region and feed, weighted by "
    "production over the seeded locations that reported that day",
)

WEATHER_LOCATION_DAILY = TableSpec(
    name="weather_location_daily",
    columns=(
        _FEED,
        Column(
            "location_id",
            "text",
            nullable=False,
            description="GHCND station id, INMET WMO code, SMN station name or "
            "seeded grid point id; `lat,lon` for a grid point not in the seed",
        ),
        _DATE,
        Column("tmax_c", "double", description="Daily maximum temperature, °C"),
        Column("tmin_c", "double", description="Daily minimum temperature, °C"),
        Column("precip_mm", "double", description="Daily precipitation, mm"),
        _PROVISIONAL,
        Column(
            "latitude",
            "double",
            description="Requested or reported latitude; NULL for stations",
        ),
        Column(
            "longitude",
            "double",
            description="Requested or reported longitude; NULL for stations",
        ),
        Column(
            "source",
            "text",
            nullable=False,
            description="`api`, or the name of the file the values were read from",
        ),
    ),
    primary_key=("feed", "location_id", "observation_date"),
    description="Daily values per station or grid point, in °C and mm, as "
    "read before regional aggregation; includes locations not in the seed",
)
