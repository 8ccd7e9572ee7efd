"""Raw tables filled from Databento GLBX.MDP3 DBN data.

Prices are DBN fixed-point integers divided by 1e9. Fields holding a DBN
"undefined" sentinel are NULL. Timestamps are UTC with microsecond
precision, so the nanosecond digits of DBN timestamps are truncated.
"""

from __future__ import annotations

from ingest.schema import Column, TableSpec

OHLCV_1D = TableSpec(
    name="databento_futures_ohlcv_1d",
    description="Daily OHLCV bars (ohlcv-1d schema), one row per requested symbol.",
    columns=(
        Column("ts_event", "timestamp", False, "bar start, 00:00 UTC of the bar day"),
        Column("trade_date", "date", False, "UTC date of ts_event"),
        Column("symbol", "text", False, "requested symbol, e.g. ZL.c.0, or raw symbol"),
        Column("stype_in", "text", description="symbology type of `symbol`"),
        Column("root", "text", False, "futures root, e.g. ZL"),
        Column("instrument_id", "bigint", False, "Databento instrument id"),
        Column("raw_symbol", "text", description="contract on that day, e.g. ZLZ5"),
        Column("open", "double"),
        Column("high", "double"),
        Column("low", "double"),
        Column("close", "double"),
        Column("volume", "bigint"),
        Column("dataset", "text"),
        Column("publisher_id", "bigint"),
    ),
    primary_key=("symbol", "ts_event"),
)

STATISTICS = TableSpec(
    name="databento_statistics",
    description=(
        "Exchange statistics (statistics schema): settlement is stat_type 3, "
        "open interest stat_type 9."
    ),
    columns=(
        Column("ts_event", "timestamp", False),
        Column("ts_recv", "timestamp", False),
        Column("ts_ref", "timestamp", description="reference time, e.g. trade date"),
        Column("instrument_id", "bigint", False),
        Column("raw_symbol", "text", description="contract, e.g. ZLZ5"),
        Column("symbol", "text", description="requested symbol mapped to it that day"),
        Column("stat_type", "bigint", False),
        Column("stat_type_name", "text", description="databento_dbn StatType name"),
        Column("price", "double"),
        Column("quantity", "bigint"),
        Column("sequence", "bigint", False),
        Column("update_action", "bigint", description="1 new, 2 delete"),
        Column("stat_flags", "bigint"),
        Column("channel_id", "bigint"),
        Column("dataset", "text"),
    ),
    primary_key=("instrument_id", "ts_event", "ts_recv", "stat_type", "sequence"),
)

DEFINITIONS = TableSpec(
    name="databento_definitions",
    description="Instrument definitions (definition schema): contract metadata.",
    columns=(
        Column("instrument_id", "bigint", False),
        Column("ts_recv", "timestamp", False),
        Column("raw_symbol", "text"),
        Column("asset", "text"),
        Column("security_group", "text", description="DBN field `group`"),
        Column("exchange", "text", description="MIC, e.g. XCME"),
        Column("instrument_class", "text", description="F future, K stock, ..."),
        Column("security_type", "text"),
        Column("cfi", "text"),
        Column("currency", "text"),
        Column("expiration", "timestamp"),
        Column("activation", "timestamp"),
        Column("min_price_increment", "double"),
        Column("display_factor", "double"),
        Column("unit_of_measure", "text"),
        Column("unit_of_measure_qty", "double"),
        Column("contract_multiplier", "bigint"),
        Column("maturity_year", "bigint"),
        Column("maturity_month", "bigint"),
        Column("dataset", "text"),
    ),
    primary_key=("instrument_id", "ts_recv"),
)

TABLES = (OHLCV_1D, STATISTICS, DEFINITIONS)
