"""The raw table of the CFTC loader."""

from __future__ import annotations

from ingest.schema import Column, TableSpec


def _count(name: str, description: str) -> Column:
    return Column(name, "bigint", description=description)


COT_DISAGGREGATED = TableSpec(
    name="cftc_cot_disaggregated",
    columns=(
        Column(
            "report_date",
            "date",
            nullable=False,
            description="Date the positions are as of (a Tuesday, or the Monday "
            "when that Tuesday is a holiday); not the release date",
        ),
        Column(
            "market_code",
            "text",
            nullable=False,
            description="CFTC contract market code, e.g. 007601 for soybean oil",
        ),
        Column("market_name", "text", description="Market and exchange names"),
        Column("exchange_code", "text", description="CFTC market code, e.g. CBT"),
        Column("commodity_code", "text", description="CFTC commodity code"),
        Column(
            "futonly_or_combined",
            "text",
            nullable=False,
            description="FutOnly, or Combined for futures and options",
        ),
        _count("open_interest", "Open interest, all contract months"),
        _count("prod_merc_long", "Producer/merchant/processor/user long"),
        _count("prod_merc_short", "Producer/merchant/processor/user short"),
        _count("swap_long", "Swap dealer long"),
        _count("swap_short", "Swap dealer short"),
        _count("swap_spread", "Swap dealer spreading"),
        _count("m_money_long", "Managed money long"),
        _count("m_money_short", "Managed money short"),
        _count("m_money_spread", "Managed money spreading"),
        _count("other_rept_long", "Other reportables long"),
        _count("other_rept_short", "Other reportables short"),
        _count("other_rept_spread", "Other reportables spreading"),
        _count("nonrept_long", "Non-reportable positions long"),
        _count("nonrept_short", "Non-reportable positions short"),
        _count("tot_rept_long", "Total reportable long"),
        _count("tot_rept_short", "Total reportable short"),
        _count("traders_total", "Number of reportable traders"),
        _count("traders_m_money_long", "Number of managed money traders long"),
        _count("traders_m_money_short", "Number of managed money traders short"),
        Column(
            "source",
            "text",
            nullable=False,
            description="'socrata' for the live API, else the file name read",
        ),
    ),
    primary_key=("report_date", "market_code", "futonly_or_combined"),
    description="CFTC Commitments of Traders, Disaggregated report, positions "
    "in contracts for the seeded markets (all contract months combined).",
)

# Every column filled from the vendor's fields, in table order.
VALUE_COLUMNS = tuple(c.name for c in COT_DISAGGREGATED.columns[:-1])
