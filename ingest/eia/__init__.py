"""EIA API v2: biofuel feedstocks and production, distillate prices and stocks.

Fills `raw.eia_observations` with the data rows of the series in
`seeds/eia_series.csv`: soybean oil and other feedstocks consumed for
biofuels (`petroleum/pnp/feedbiofuel`), biodiesel and renewable diesel
production (`petroleum/sum/snd`), No. 2 heating oil and ULSD spot prices
(`petroleum/pri/spt`), distillate stocks (`petroleum/stoc/wstk`) and
retail diesel (`petroleum/pri/gnd`).

- Files (`zl load eia --from-dir`): saved `/v2/<route>/data/` JSON bodies.
- Live API: `$ZL_EIA_BASE_URL` (default https://api.eia.gov/v2), key
  `EIA_API_KEY`, paged 5000 rows at a time.

Staging (`models/staging/eia/`) attaches `available_at` from the release
rules in `seeds/eia_release_rules.csv`.
"""

from __future__ import annotations

from ingest.eia.api import fetch_api
from ingest.eia.files import read_files
from ingest.eia.settings import FOLDER, SOURCE_NAME
from ingest.eia.tables import EIA_OBSERVATIONS
from ingest.http import RetryPolicy
from ingest.source import SourceSpec

SOURCE = SourceSpec(
    name=SOURCE_NAME,
    folder=FOLDER,
    tables=(EIA_OBSERVATIONS,),
    read_files=read_files,
    fetch_api=fetch_api,
    # NOTE: these values are not tuned to a documented EIA rate limit. A
    # 429 response's Retry-After header is obeyed.
    retry=RetryPolicy(max_attempts=5, base_backoff_s=1.0, max_backoff_s=60.0),
    description="EIA biofuel feedstocks and production, distillate spot "
    "prices and stocks, retail diesel",
)

__all__ = ["SOURCE"]
