"""Constants and environment settings of the vendor price-file loader."""

from __future__ import annotations

import os
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

VENDOR_TRADINGVIEW = "tradingview"
VENDOR_BARCHART = "barchart"
VENDOR_OHLCV_FILE = "ohlcv_file"

# The time zone that naive timestamps are read in. The vendor-specific
# variable wins over the general one, which wins over the vendor default.
NAIVE_TZ_ENV = "ZL_PRICES_NAIVE_TZ"

# tvdatafeed converts TradingView's epoch bar times with the exporting
# machine's local time zone and stores them without a zone. The recorded
# files were written in America/Sao_Paulo: 21:00 (22:00 under Brazilian
# summer time before 2019) is 00:00 UTC of the next day.
DEFAULT_NAIVE_TZ: dict[str, str] = {
    VENDOR_TRADINGVIEW: "America/Sao_Paulo",
    VENDOR_OHLCV_FILE: "UTC",
}

# Exchange time zone used to place a bar that is not stamped at 00:00 UTC.
# CME Group sessions (CBOT, CME, NYMEX, COMEX) run on Chicago time.
EXCHANGE_TZ: dict[str, str] = {
    "CBOT": "America/Chicago",
    "CME": "America/Chicago",
    "NYMEX": "America/Chicago",
    "COMEX": "America/Chicago",
    "ICEUS": "America/New_York",
}
DEFAULT_EXCHANGE_TZ = "America/Chicago"

# A bar stamped before this exchange-local hour belongs to that day's
# session. One stamped at or after it opened the evening session of the
# next business day. Grain day sessions open at 08:30 CT and close at 13:20
# CT, and evening sessions open at 19:00 CT.
SESSION_SPLIT_HOUR = 12

# More weekend trade dates than this fraction of a file's rows means its
# naive timestamps were read in the wrong time zone.
WEEKEND_MAX_FRACTION = 0.02

MONTH_CODES = "FGHJKMNQUVXZ"
FUTURES_CONTRACT_RE = re.compile(
    rf"^(?P<root>[A-Z0-9]+)(?P<month>[{MONTH_CODES}])(?P<year>\d{{2}})$"
)
CONTINUOUS_RE = re.compile(r"^(?P<root>[A-Z0-9]+?)\d?!$")

# File names, matched after an optional `synthetic_` prefix is removed.
SYNTHETIC_PREFIX = "synthetic_"
TRADINGVIEW_NAME_RE = re.compile(
    r"^tradingview_(?P<exchange>[A-Za-z]+)_(?P<root>[A-Za-z0-9]+)_1D\.parquet$"
)
BARCHART_NAME_RE = re.compile(
    r"^barchart_(?P<symbol>[A-Za-z0-9^$.]+)_"
    r"(?P<kind>price-history|daily_historical-data)-"
    r"(?P<month>\d{2})-(?P<day>\d{2})-(?P<year>\d{4})\.csv$"
)
OHLCV_NAME_RE = re.compile(
    r"^(?P<symbol>[A-Za-z0-9][A-Za-z0-9._!=^-]*)\.(?:csv|parquet)$"
)

BARCHART_DAILY_HISTORICAL = "daily_historical-data"
BARCHART_HEADER = ("Time", "Open", "High", "Low", "Last", "Change", "%Change", "Volume")
BARCHART_HEADER_WITH_OI = (*BARCHART_HEADER, "Open Int")
BARCHART_FOOTER_RE = re.compile(
    r"^Downloaded from Barchart\.com as of "
    r"(?P<month>\d{2})-(?P<day>\d{2})-(?P<year>\d{4})"
)

VOLUME_SCOPE_CONTRACT = "contract"
VOLUME_SCOPE_PRODUCT_TOTAL = "product_total"


def naive_timezone(vendor: str) -> ZoneInfo:
    """Return the time zone that `vendor`'s naive timestamps are read in.

    `ZL_PRICES_NAIVE_TZ_<VENDOR>` (for example `ZL_PRICES_NAIVE_TZ_TRADINGVIEW`)
    wins over `ZL_PRICES_NAIVE_TZ`, which wins over `DEFAULT_NAIVE_TZ`.

    Raises:
        ValueError: the configured name is not an IANA time zone.
    """
    specific = f"{NAIVE_TZ_ENV}_{vendor.upper()}"
    for env_name in (specific, NAIVE_TZ_ENV):
        value = os.environ.get(env_name)
        if value:
            return _zone(value, env_name)
    return _zone(DEFAULT_NAIVE_TZ.get(vendor, "UTC"), "the vendor default")


def exchange_timezone(exchange: str | None) -> ZoneInfo:
    """Return the session time zone of an exchange code such as `CBOT`."""
    name = EXCHANGE_TZ.get((exchange or "").upper(), DEFAULT_EXCHANGE_TZ)
    return ZoneInfo(name)


def _zone(name: str, origin: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"{origin} sets time zone {name!r}, which is not an IANA name; "
            "use one such as America/Sao_Paulo or UTC"
        ) from exc
