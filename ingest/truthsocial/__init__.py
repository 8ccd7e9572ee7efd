"""Truth Social posts (default account realDonaldTrump), cleaned, bucketed, scored.

API mode pages through ScrapeCreators' `/v1/truthsocial/user/posts` for the
accounts in `seeds/truthsocial_accounts.csv`. File mode reads the public
archives (CNN JSONL with plain `text`, the JSON array with HTML `content`)
in `truthsocial/` and saved ScrapeCreators responses in `truthsocial/` or
in a sibling `scrapecreators/` folder (`truthsocial_*` files).

Every post is cleaned once (`ingest.text.clean`), assigned topic buckets
from `seeds/text_taxonomy.csv` and scored by `ingest.sentiment` at
ingestion. Tables: `raw.scrapecreators_trump` (one row per post) and
`raw.scrapecreators_credits` (API runs). Base URL:
`$ZL_SCRAPECREATORS_BASE_URL`. Key: `SCRAPECREATORS_API_KEY`.
"""

from __future__ import annotations

from ingest.http import RetryPolicy
from ingest.source import SourceSpec
from ingest.text.scrapecreators import SCRAPECREATORS_CREDITS
from ingest.truthsocial.api import fetch_api
from ingest.truthsocial.files import read_files
from ingest.truthsocial.settings import FOLDER, SOURCE_NAME
from ingest.truthsocial.tables import SCRAPECREATORS_TRUMP

SOURCE = SourceSpec(
    name=SOURCE_NAME,
    folder=FOLDER,
    tables=(SCRAPECREATORS_TRUMP, SCRAPECREATORS_CREDITS),
    read_files=read_files,
    fetch_api=fetch_api,
    # Each request costs credits, so retries are few; a 429's Retry-After
    # is obeyed.
    retry=RetryPolicy(max_attempts=4, base_backoff_s=2.0, max_backoff_s=60.0),
    description="Truth Social posts (ScrapeCreators and public archives), "
    "cleaned, bucketed and scored",
)

__all__ = ["SOURCE"]
