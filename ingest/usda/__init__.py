"""USDA: NASS Quick Stats, WASDE balance sheets and FAS export sales and PSD.

Three feeds fill four raw tables:

- `raw.usda_nass_quickstats`: Quick Stats records for the queries in
  `seeds/usda_nass_queries.csv` (Fats & Oils soybean crush, soybean oil
  production and stocks, soybean crop progress and condition). Suppression
  codes such as `(D)` are kept beside a NULL value. Base URL:
  `$ZL_NASS_BASE_URL`. Key: `NASS_API_KEY`.
- `raw.usda_wasde`: soybean complex rows of the OCE WASDE machine-readable
  CSV, keyed by report month so a corrected file replaces the original.
  Base URL: `$ZL_WASDE_BASE_URL`. No key.
- `raw.usda_fas_export_sales` and `raw.usda_fas_psd`: FAS OpenData weekly
  export sales and PSD balances. Base URL: `$ZL_FAS_BASE_URL`. Key:
  `FAS_API_KEY`.
"""

from __future__ import annotations

from ingest.http import RetryPolicy
from ingest.source import SourceSpec
from ingest.usda.api import fetch_api
from ingest.usda.files import read_files
from ingest.usda.settings import FOLDER, SOURCE_NAME
from ingest.usda.tables import TABLES

SOURCE = SourceSpec(
    name=SOURCE_NAME,
    folder=FOLDER,
    tables=TABLES,
    read_files=read_files,
    fetch_api=fetch_api,
    # Neither NASS nor FAS publishes a request rate, so this uses the same
    # five attempts with backoff up to a minute as the other loaders. A
    # 429's Retry-After is obeyed.
    retry=RetryPolicy(max_attempts=5, base_backoff_s=1.0, max_backoff_s=60.0),
    description="USDA NASS Quick Stats (crush, soybean oil, crop progress), "
    "WASDE soybean complex balance sheets, FAS export sales and PSD",
)

__all__ = ["SOURCE"]
