"""Constants of the CFTC loader: URLs, file names, field names and seeds."""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path

from ingest.settings import SEEDS_DIR

SOURCE_NAME = "cftc"
FOLDER = "cftc"

BASE_URL_ENV = "ZL_CFTC_BASE_URL"
DEFAULT_BASE_URL = "https://publicreporting.cftc.gov"
HISTORY_URL_ENV = "ZL_CFTC_HISTORY_URL"
DEFAULT_HISTORY_URL = "https://www.cftc.gov/files/dea/history/"
APP_TOKEN_ENV = "CFTC_APP_TOKEN"

# Socrata dataset of the Disaggregated report, futures only.
DATASET_ID = "72hh-3qpy"
PAGE_SIZE = 5000
SOCRATA_SOURCE = "socrata"

# The CFTC publishes the disaggregated history as one file for 2006-2016
# and one file per year from 2017; the report starts on 2006-06-13.
FIRST_REPORT_YEAR = 2006
MULTI_YEAR_FILE = "fut_disagg_txt_hist_2006_2016.zip"
MULTI_YEAR_LAST = 2016
YEAR_FILE = "fut_disagg_txt_{year}.zip"

MARKETS_SEED = SEEDS_DIR / "cftc_markets.csv"
HOLIDAYS_SEED = SEEDS_DIR / "us_federal_holidays.csv"
RELEASE_EXCEPTIONS_SEED = SEEDS_DIR / "cot_release_exceptions.csv"

MISSING = frozenset({"", "."})

# Text file header -> raw column. Names with a double underscore are the
# CFTC's own spelling.
TEXT_DATE = "Report_Date_as_YYYY-MM-DD"
TEXT_YYMMDD = "As_of_Date_In_Form_YYMMDD"
TEXT_TEXT_FIELDS = {
    "Market_and_Exchange_Names": "market_name",
    "CFTC_Contract_Market_Code": "market_code",
    "CFTC_Market_Code": "exchange_code",
    "CFTC_Commodity_Code": "commodity_code",
    "FutOnly_or_Combined": "futonly_or_combined",
}
TEXT_NUMBER_FIELDS = {
    "Open_Interest_All": "open_interest",
    "Prod_Merc_Positions_Long_All": "prod_merc_long",
    "Prod_Merc_Positions_Short_All": "prod_merc_short",
    "Swap_Positions_Long_All": "swap_long",
    "Swap__Positions_Short_All": "swap_short",
    "Swap__Positions_Spread_All": "swap_spread",
    "M_Money_Positions_Long_All": "m_money_long",
    "M_Money_Positions_Short_All": "m_money_short",
    "M_Money_Positions_Spread_All": "m_money_spread",
    "Other_Rept_Positions_Long_All": "other_rept_long",
    "Other_Rept_Positions_Short_All": "other_rept_short",
    "Other_Rept_Positions_Spread_All": "other_rept_spread",
    "NonRept_Positions_Long_All": "nonrept_long",
    "NonRept_Positions_Short_All": "nonrept_short",
    "Tot_Rept_Positions_Long_All": "tot_rept_long",
    "Tot_Rept_Positions_Short_All": "tot_rept_short",
    "Traders_Tot_All": "traders_total",
    "Traders_M_Money_Long_All": "traders_m_money_long",
    "Traders_M_Money_Short_All": "traders_m_money_short",
}

# Socrata field -> raw column. Socrata shortens some long field names
# (`prod_merc_positions_long`, `tot_rept_positions_short`), so each column
# lists every spelling accepted, the published one first.
# NOTE: these names come from public queries of dataset 72hh-3qpy, not
# from a recorded disaggregated response.
SOCRATA_DATE = "report_date_as_yyyy_mm_dd"
SOCRATA_YYMMDD = "as_of_date_in_form_yymmdd"
SOCRATA_MARKET_CODE = "cftc_contract_market_code"
SOCRATA_TEXT_FIELDS = {
    "market_name": ("market_and_exchange_names",),
    "market_code": (SOCRATA_MARKET_CODE,),
    "exchange_code": ("cftc_market_code",),
    "commodity_code": ("cftc_commodity_code",),
    "futonly_or_combined": ("futonly_or_combined",),
}
SOCRATA_NUMBER_FIELDS = {
    "open_interest": ("open_interest_all",),
    "prod_merc_long": ("prod_merc_positions_long", "prod_merc_positions_long_all"),
    "prod_merc_short": (
        "prod_merc_positions_short",
        "prod_merc_positions_short_all",
    ),
    "swap_long": ("swap_positions_long_all",),
    "swap_short": ("swap__positions_short_all", "swap_positions_short_all"),
    "swap_spread": ("swap__positions_spread_all", "swap_positions_spread_all"),
    "m_money_long": ("m_money_positions_long_all",),
    "m_money_short": ("m_money_positions_short_all",),
    "m_money_spread": ("m_money_positions_spread", "m_money_positions_spread_all"),
    "other_rept_long": (
        "other_rept_positions_long",
        "other_rept_positions_long_all",
    ),
    "other_rept_short": (
        "other_rept_positions_short",
        "other_rept_positions_short_all",
    ),
    "other_rept_spread": (
        "other_rept_positions_spread",
        "other_rept_positions_spread_all",
    ),
    "nonrept_long": ("nonrept_positions_long_all",),
    "nonrept_short": ("nonrept_positions_short_all",),
    "tot_rept_long": ("tot_rept_positions_long_all",),
    "tot_rept_short": ("tot_rept_positions_short", "tot_rept_positions_short_all"),
    "traders_total": ("traders_tot_all",),
    "traders_m_money_long": ("traders_m_money_long_all",),
    "traders_m_money_short": ("traders_m_money_short_all",),
}
# The dataset above contains futures-only rows; a response without the field
# is taken to be futures only.
SOCRATA_DEFAULT_FUTONLY = "FutOnly"


def base_url() -> str:
    return os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/")


def history_url() -> str:
    return os.environ.get(HISTORY_URL_ENV, DEFAULT_HISTORY_URL).rstrip("/") + "/"


@cache
def seeded_markets(path: Path = MARKETS_SEED) -> dict[str, str]:
    """Read the market seed: CFTC contract market code -> market name."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["market_code"].strip(): row["market_name"]
            for row in csv.DictReader(handle)
        }
