"""The raw tables of the FRED loader: observations by vintage, series metadata."""

from __future__ import annotations

from ingest.schema import Column, TableSpec

FRED_ECONOMIC = TableSpec(
    name="fred_economic",
    columns=(
        Column("series_id", "text", nullable=False, description="FRED series id"),
        Column(
            "observation_date",
            "date",
            nullable=False,
            description="Start of the period the value describes (FRED `date`)",
        ),
        Column(
            "realtime_start",
            "date",
            description="First day this vintage of the value was current on "
            "FRED or ALFRED; NULL for fredgraph CSV, which has no vintages",
        ),
        Column(
            "realtime_end",
            "date",
            description="Last day this vintage was current; 9999-12-31 while "
            "it still is, as FRED publishes it; NULL for fredgraph CSV",
        ),
        Column(
            "vintage_key",
            "text",
            nullable=False,
            description="realtime_start as an ISO date, or `undated`",
        ),
        Column("value", "double", description="The value; NULL when missing"),
        Column(
            "value_raw",
            "text",
            description="The value as published: a number string, `.` or empty",
        ),
        Column(
            "vintage_mode",
            "text",
            nullable=False,
            description="all_vintages, as_of, latest, initial_release or "
            "fredgraph: which kind of request or download produced the row",
        ),
        Column(
            "source",
            "text",
            nullable=False,
            description="`api`, or the name of the file the row was read from",
        ),
    ),
    primary_key=("series_id", "observation_date", "vintage_key"),
    description="FRED and ALFRED observations, one row per series, "
    "observation date and vintage; missing values kept as NULL rows",
)

FRED_SERIES = TableSpec(
    name="fred_series",
    columns=(
        Column("series_id", "text", nullable=False, description="FRED series id"),
        Column("title", "text"),
        Column("frequency", "text", description="e.g. Quarterly"),
        Column("frequency_short", "text", description="e.g. Q"),
        Column("units", "text"),
        Column("units_short", "text"),
        Column("seasonal_adjustment_short", "text", description="e.g. SAAR, NSA"),
        Column("observation_start", "date"),
        Column("observation_end", "date"),
        Column(
            "last_updated",
            "timestamp",
            description="When FRED last updated the series, converted to UTC",
        ),
        Column("popularity", "bigint"),
        Column("notes", "text"),
    ),
    primary_key=("series_id",),
    description="FRED /series metadata, one row per series",
)
