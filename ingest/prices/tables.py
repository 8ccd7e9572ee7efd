"""The raw table filled by the vendor price-file loader."""

from __future__ import annotations

from ingest.schema import Column, TableSpec

VENDOR_PRICES = TableSpec(
    name="vendor_prices",
    columns=(
        Column(
            "vendor",
            "text",
            nullable=False,
            description="tradingview, barchart or ohlcv_file",
        ),
        Column(
            "symbol",
            "text",
            nullable=False,
            description="vendor symbol, e.g. ZL1!, ZLZ25, USDBRL",
        ),
        Column(
            "root",
            "text",
            nullable=False,
            description="product root, e.g. ZL, ZM, USDBRL, MPC",
        ),
        Column(
            "contract",
            "text",
            description="futures contract, e.g. ZLZ25; NULL for continuous or spot",
        ),
        Column(
            "is_continuous",
            "bool",
            nullable=False,
            description="a continuous front-month series such as ZL1!",
        ),
        Column("trade_date", "date", nullable=False, description="session date"),
        Column(
            "bar_time_utc",
            "timestamp",
            description="the file's bar timestamp in UTC; NULL when it had only a date",
        ),
        Column("open", "double"),
        Column("high", "double"),
        Column("low", "double"),
        Column("close", "double", description="last or settlement price"),
        Column("volume", "double", description="see volume_scope"),
        Column(
            "open_interest",
            "double",
            description="NULL when the file has none or the day is partial",
        ),
        Column(
            "is_settlement_only",
            "bool",
            nullable=False,
            description="open = high = low = close with no own volume: a settle only",
        ),
        Column(
            "is_partial_day",
            "bool",
            nullable=False,
            description="the row of the download day, captured before it closed",
        ),
        Column(
            "volume_scope",
            "text",
            description="contract: this symbol's own volume and open interest; "
            "product_total: all months of the product",
        ),
        Column(
            "source_file",
            "text",
            nullable=False,
            description="file name the row came from, without its directory",
        ),
    ),
    primary_key=("vendor", "symbol", "trade_date"),
    description="Daily OHLCV bars from vendor price files (TradingView, Barchart, "
    "generic OHLCV), one row per vendor, symbol and trade date.",
)
