"""The raw tables of the USDA loader: Quick Stats, WASDE, FAS ESR and PSD."""

from __future__ import annotations

from ingest.schema import Column, TableSpec


def _text(name: str, description: str = "", key: bool = False) -> Column:
    return Column(name, "text", nullable=not key, description=description)


# Quick Stats descriptive fields kept as published ("" when unused). The
# ones that identify a record are NOT NULL because they are in the key.
_NASS_KEY_TEXT = (
    "source_desc",
    "short_desc",
    "domain_desc",
    "domaincat_desc",
    "agg_level_desc",
    "location_desc",
    "state_ansi",
    "asd_code",
    "county_code",
    "region_desc",
    "zip_5",
    "watershed_code",
    "congr_district_code",
    "country_code",
    "freq_desc",
    "begin_code",
    "end_code",
    "reference_period_desc",
)
_NASS_OTHER_TEXT = (
    "sector_desc",
    "group_desc",
    "commodity_desc",
    "class_desc",
    "prodn_practice_desc",
    "util_practice_desc",
    "statisticcat_desc",
    "unit_desc",
    "state_fips_code",
    "state_alpha",
    "state_name",
    "asd_desc",
    "county_ansi",
    "county_name",
    "watershed_desc",
    "country_name",
)
# Every Quick Stats text field this table stores, in the vendor's CSV order
# minus `year`, `week_ending`, `load_time`, `Value` and `CV (%)`.
NASS_TEXT_FIELDS = _NASS_KEY_TEXT + _NASS_OTHER_TEXT

USDA_NASS_QUICKSTATS = TableSpec(
    name="usda_nass_quickstats",
    columns=(
        *(_text(name, key=True) for name in _NASS_KEY_TEXT),
        Column("year", "bigint", nullable=False, description="Quick Stats `year`"),
        *(_text(name) for name in _NASS_OTHER_TEXT),
        Column(
            "week_ending",
            "date",
            description="Last day of the week for weekly statistics; NULL otherwise",
        ),
        Column(
            "load_time",
            "timestamp",
            description="Quick Stats `load_time`, the time the record was last "
            "loaded into Quick Stats, read as America/New_York and stored in UTC",
        ),
        Column("value", "double", description="Value as a number; NULL when coded"),
        _text(
            "value_code",
            "Suppression or availability code of the value without parentheses "
            "(D, Z, NA, S, X, ...); NULL when the value is a number",
        ),
        _text("value_raw", "Value as published, e.g. `1,234` or ` (D)`"),
        Column("cv_pct", "double", description="Coefficient of variation, percent"),
        _text("cv_code", "Code in place of the CV (L, H, D, ...); NULL otherwise"),
        _text("cv_raw", "`CV (%)` as published; empty when not computed"),
        _text(
            "query_id",
            "Seed query that requested the row, or the file name it was read from",
        ),
    ),
    primary_key=(*_NASS_KEY_TEXT, "year"),
    description="NASS Quick Stats records (Fats & Oils crush, soybean oil "
    "production and stocks, crop progress and condition), one row per "
    "statistic, domain, location and reference period; current values only, "
    "because Quick Stats overwrites revised records",
)

USDA_WASDE = TableSpec(
    name="usda_wasde",
    columns=(
        Column(
            "report_month",
            "date",
            nullable=False,
            description="First day of the WASDE report's month "
            "(ForecastYear and ForecastMonth, else ReportDate)",
        ),
        _text("report_title", "WASDE table title (ReportTitle)", key=True),
        _text("attribute", "Balance sheet line, e.g. Ending Stocks", key=True),
        _text(
            "reliability_projection",
            "ReliabilityProjection; empty for supply and use tables",
            key=True,
        ),
        _text("commodity", "e.g. Soybean Oil, Oilseed, Soybean", key=True),
        _text("region", "e.g. United States, World, Brazil", key=True),
        _text("market_year", "e.g. 2026/27; empty when not applicable", key=True),
        _text("annual_quarter_flag", "Annual, or the quarter", key=True),
        Column("wasde_number", "bigint", description="WASDE report number"),
        _text("report_date", "ReportDate as published, e.g. September 2026"),
        _text("proj_est_flag", "Proj., Est. or empty (history)"),
        Column("value", "double", description="Value in `unit`; NULL when empty"),
        _text("value_raw", "Value as published, e.g. `.40`"),
        _text("unit", "e.g. Million Metric Tons, Million Pounds"),
        Column(
            "release_date",
            "date",
            nullable=False,
            description="ReleaseDate of the file the row was read from",
        ),
        _text(
            "release_time",
            "ReleaseTime as HH:MM:SS, America/New_York (12:00:00 as a rule)",
        ),
        _text("source", "`api` or the file name the row was read from"),
    ),
    primary_key=(
        "report_month",
        "report_title",
        "attribute",
        "reliability_projection",
        "commodity",
        "region",
        "market_year",
        "annual_quarter_flag",
    ),
    description="WASDE soybean, soybean oil and soybean meal supply and use "
    "rows, one per report month and balance sheet cell. The key leaves out "
    "the release date, so a corrected file for a month replaces its rows",
)

USDA_FAS_EXPORT_SALES = TableSpec(
    name="usda_fas_export_sales",
    columns=(
        Column("commodity_code", "bigint", nullable=False, description="ESR code"),
        Column("country_code", "bigint", nullable=False, description="ESR country"),
        Column(
            "week_ending_date",
            "date",
            nullable=False,
            description="Thursday that ends the reporting week",
        ),
        Column(
            "market_year",
            "bigint",
            description="Market year requested from the API; NULL from files",
        ),
        Column("weekly_exports", "double"),
        Column("accumulated_exports", "double"),
        Column("outstanding_sales", "double"),
        Column("gross_new_sales", "double"),
        Column("current_my_net_sales", "double"),
        Column("current_my_total_commitment", "double"),
        Column("next_my_outstanding_sales", "double"),
        Column("next_my_net_sales", "double"),
        Column("unit_id", "bigint", description="ESR unit id (1 = metric tons)"),
        _text("source", "`api` or the file name the row was read from"),
    ),
    primary_key=("commodity_code", "country_code", "week_ending_date"),
    description="FAS weekly export sales (ESR) for soybeans, soybean meal and "
    "soybean oil, one row per commodity, destination country and week",
)

USDA_FAS_PSD = TableSpec(
    name="usda_fas_psd",
    columns=(
        _text("commodity_code", "PSD commodity code, e.g. 4232000", key=True),
        _text("country_code", "PSD country code, e.g. US", key=True),
        Column("market_year", "bigint", nullable=False),
        Column("attribute_id", "bigint", nullable=False),
        _text("attribute_name", "From /psd/commodityAttributes; NULL if unknown"),
        Column("unit_id", "bigint"),
        _text("unit_description", "From /psd/unitsOfMeasure; NULL if unknown"),
        Column(
            "calendar_year",
            "bigint",
            description="Year of the PSD update that last changed the value",
        ),
        Column(
            "month",
            "bigint",
            description="Month of the PSD update that last changed the value",
        ),
        Column("value", "double"),
        _text("source", "`api` or the file name the row was read from"),
    ),
    primary_key=("commodity_code", "country_code", "market_year", "attribute_id"),
    description="FAS PSD world balances for soybeans, soybean oil and soybean "
    "meal, one row per commodity, country, market year and attribute; "
    "current values only",
)

TABLES = (USDA_NASS_QUICKSTATS, USDA_WASDE, USDA_FAS_EXPORT_SALES, USDA_FAS_PSD)
