"""Databento CME Globex futures: daily bars, statistics and definitions.

Reads DBN files (versions 1 to 3, plain or zstd) or calls the live API
through the official `databento` client for the continuous symbols in
`seeds/databento_symbols.csv` (dataset GLBX.MDP3, `stype_in=continuous`).

Tables:
    databento_futures_ohlcv_1d: ohlcv-1d bars per requested symbol, with the
        contract (`raw_symbol`) it held that day, so rolls stay visible.
    databento_statistics: settlement (stat_type 3), open interest (9) and
        every other statistic received.
    databento_definitions: contract metadata such as expiration and tick.

Environment: DATABENTO_API_KEY (secret), ZL_DATABENTO_GATEWAY (optional
base URL; default the client's own).
"""

from __future__ import annotations

from ingest.databento.api import fetch_api
from ingest.databento.files import read_files
from ingest.databento.settings import SOURCE_NAME
from ingest.databento.tables import DEFINITIONS, OHLCV_1D, STATISTICS
from ingest.http import RetryPolicy
from ingest.source import SourceSpec

SOURCE = SourceSpec(
    name=SOURCE_NAME,
    folder=SOURCE_NAME,
    tables=(OHLCV_1D, STATISTICS, DEFINITIONS),
    read_files=read_files,
    fetch_api=fetch_api,
    retry=RetryPolicy(max_attempts=5, base_backoff_s=2.0, max_backoff_s=60.0),
    description="Databento GLBX.MDP3 futures: daily bars, settlement, open interest",
)

__all__ = ["SOURCE"]
