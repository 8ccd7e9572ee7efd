"""News about the soybean oil complex, bucketed by topic and scored.

API mode sends the search queries of `seeds/news_search_queries.csv` (plus
one per taxonomy bucket without a row) to ScrapeCreators' Google search,
Reddit search and Twitter user-tweets endpoints. File mode reads article
CSVs and saved ScrapeCreators responses in `news/`, and the
`google_search*`, `reddit_*` and `twitter_*` files of a sibling
`scrapecreators/` folder.

Each item is cleaned once (`ingest.text.clean`), assigned the topic buckets
of `seeds/text_taxonomy.csv` with the terms that matched, scored by
`ingest.sentiment` and given a trust score from
`seeds/text_source_trust.csv`. Tables: `raw.scrapecreators_news_buckets`
(one row per item and bucket) and `raw.scrapecreators_credits` (API runs).
Base URL: `$ZL_SCRAPECREATORS_BASE_URL`. Key: `SCRAPECREATORS_API_KEY`.
"""

from __future__ import annotations

from ingest.http import RetryPolicy
from ingest.news.api import fetch_api
from ingest.news.files import read_files
from ingest.news.settings import FOLDER, SOURCE_NAME
from ingest.news.tables import SCRAPECREATORS_NEWS_BUCKETS
from ingest.source import SourceSpec
from ingest.text.scrapecreators import SCRAPECREATORS_CREDITS

SOURCE = SourceSpec(
    name=SOURCE_NAME,
    folder=FOLDER,
    tables=(SCRAPECREATORS_NEWS_BUCKETS, SCRAPECREATORS_CREDITS),
    read_files=read_files,
    fetch_api=fetch_api,
    # Each request costs credits, so retries are few; a 429's Retry-After
    # is obeyed.
    retry=RetryPolicy(max_attempts=4, base_backoff_s=2.0, max_backoff_s=60.0),
    description="News, Google, Reddit and Twitter results by topic bucket "
    "(ScrapeCreators and article CSVs), scored",
)

__all__ = ["SOURCE"]
