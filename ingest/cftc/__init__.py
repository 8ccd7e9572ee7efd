"""CFTC Commitments of Traders, Disaggregated report, futures only.

Fills `raw.cftc_cot_disaggregated` with weekly positions of the markets in
`seeds/cftc_markets.csv` (soybean oil, soybeans, meal, corn, WTI, heating
oil, canola).

- Files (`zl load cftc --from-dir`): the CFTC's yearly text file
  `f_year.txt`, its zip `fut_disagg_txt_<YEAR>.zip`, or a saved Socrata
  JSON response of dataset 72hh-3qpy. Other COT reports are rejected.
- Live API: Socrata (`$ZL_CFTC_BASE_URL`, optional `CFTC_APP_TOKEN`) for the
  current year, the yearly history zips (`$ZL_CFTC_HISTORY_URL`) for
  earlier years.

A report is as of a Tuesday and public only days later:
`ingest.cftc.calendar.release_time` gives the instant staging must use.
"""

from ingest.cftc.api import fetch_api
from ingest.cftc.files import read_files
from ingest.cftc.settings import FOLDER, SOURCE_NAME
from ingest.cftc.tables import COT_DISAGGREGATED
from ingest.http import RetryPolicy
from ingest.source import SourceSpec

SOURCE = SourceSpec(
    name=SOURCE_NAME,
    folder=FOLDER,
    tables=(COT_DISAGGREGATED,),
    read_files=read_files,
    fetch_api=fetch_api,
    retry=RetryPolicy(max_attempts=5, base_backoff_s=2.0, max_backoff_s=60.0),
    description="CFTC Commitments of Traders, Disaggregated futures-only, weekly",
)

__all__ = ["SOURCE"]
