"""The raw table of the EIA loader: API v2 data rows as published."""

from __future__ import annotations

from ingest.schema import Column, TableSpec

EIA_OBSERVATIONS = TableSpec(
    name="eia_observations",
    columns=(
        Column(
            "route",
            "text",
            nullable=False,
            description="API v2 route without /data, e.g. petroleum/pri/spt",
        ),
        Column("series_id", "text", nullable=False, description="EIA `series`"),
        Column(
            "frequency",
            "text",
            nullable=False,
            description="weekly, monthly, ... as in `response.frequency`",
        ),
        Column(
            "period",
            "text",
            nullable=False,
            description="The period as published: 2019-01, 1986-01-03, 2019-Q1",
        ),
        Column(
            "period_date",
            "date",
            nullable=False,
            description="First day of the period; a weekly or daily period is "
            "the date EIA stamps it with (spot and stocks a Friday, retail a "
            "Monday)",
        ),
        Column("value", "double", description="The value; NULL when withheld"),
        Column(
            "value_raw",
            "text",
            description="The value as published (a string in EIA's JSON)",
        ),
        Column("units", "text", description="As published, e.g. $/BBL, MMLB"),
        Column("duoarea", "text", description="EIA area code, e.g. NUS, YCUOK"),
        Column(
            "area_name",
            "text",
            description="`area-name` as published; the string NA is kept",
        ),
        Column("product", "text", description="EIA product code"),
        Column("product_name", "text"),
        Column("process", "text", description="EIA process code"),
        Column("process_name", "text"),
        Column("series_description", "text"),
        Column(
            "source",
            "text",
            nullable=False,
            description="`api`, or the name of the file the row was read from",
        ),
    ),
    primary_key=("route", "series_id", "frequency", "period"),
    description="EIA API v2 data rows, one per route, series, frequency and "
    "period, as published",
)
