"""Vendor price files: TradingView, Barchart and generic OHLCV exports.

Users already hold daily futures prices exported from vendors. This source
reads them from a folder into `raw.vendor_prices`; it has no live API.

- TradingView parquet (tvdatafeed): continuous front month such as `ZL1!`,
  naive timestamps read in `ZL_PRICES_NAIVE_TZ` (default America/Sao_Paulo).
- Barchart CSV: single contracts such as `ZLZ25`, and spot series such as
  `USDBRL`, in the price-history and daily historical-data exports.
- Generic `<SYMBOL>.csv` / `<SYMBOL>.parquet` with date or timestamp and
  OHLCV columns.

Load with `zl load prices --from-dir DIR`, where `DIR/prices/` contains the files.
"""

from __future__ import annotations

from collections.abc import Iterator

from ingest.http import RetryPolicy
from ingest.prices.files import read_files
from ingest.prices.tables import VENDOR_PRICES
from ingest.source import Batch, LoadContext, NoLiveApiError, SourceSpec


def fetch_api(ctx: LoadContext) -> Iterator[Batch]:
    """Raise NoLiveApiError: vendor price files are loaded from a folder only."""
    raise NoLiveApiError(
        "prices reads vendor files only; use zl load prices --from-dir DIR"
    )


SOURCE = SourceSpec(
    name="prices",
    folder="prices",
    tables=(VENDOR_PRICES,),
    read_files=read_files,
    fetch_api=fetch_api,
    retry=RetryPolicy(),
    description="Daily prices from TradingView, Barchart and generic OHLCV files",
    live_api=False,
)

__all__ = ["SOURCE", "VENDOR_PRICES", "fetch_api", "read_files"]
