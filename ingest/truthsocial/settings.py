"""Constants and environment settings of the Truth Social loader."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from ingest.settings import SEEDS_DIR

SOURCE_NAME = "truthsocial"
FOLDER = "truthsocial"
API_SOURCE = "api"
POSTS_ENDPOINT = "/v1/truthsocial/user/posts"
ACCOUNTS_ENV = "ZL_TRUTHSOCIAL_ACCOUNTS"
MAX_PAGES_ENV = "ZL_TRUTHSOCIAL_MAX_PAGES"
# Pages per account without --start (about 20 posts a page), and the cap
# when paging back to --start.
DEFAULT_MAX_PAGES = 5
WINDOW_MAX_PAGES = 200
DEFAULT_ACCOUNT = "realDonaldTrump"


def accounts(path: Path | None = None) -> list[str]:
    """Return the handles to fetch: `$ZL_TRUTHSOCIAL_ACCOUNTS`, else the seed.

    The variable is a comma-separated list of handles.

    The seed is `seeds/truthsocial_accounts.csv` (column `handle`); without
    it, realDonaldTrump.
    """
    raw = os.environ.get(ACCOUNTS_ENV, "")
    if raw.strip():
        return list(
            dict.fromkeys(h.strip().lstrip("@") for h in raw.split(",") if h.strip())
        )
    path = path or SEEDS_DIR / "truthsocial_accounts.csv"
    if not path.exists():
        return [DEFAULT_ACCOUNT]
    with path.open(newline="", encoding="utf-8") as handle:
        handles = [row["handle"].strip().lstrip("@") for row in csv.DictReader(handle)]
    return [h for h in dict.fromkeys(handles) if h] or [DEFAULT_ACCOUNT]


def max_pages(has_start: bool) -> int:
    """Return the page limit per account, `$ZL_TRUTHSOCIAL_MAX_PAGES` if set.

    Raises:
        ValueError: the variable is not a positive integer.
    """
    default = WINDOW_MAX_PAGES if has_start else DEFAULT_MAX_PAGES
    raw = os.environ.get(MAX_PAGES_ENV, str(default))
    try:
        pages = int(raw)
    except ValueError:
        pages = 0
    if pages < 1:
        raise ValueError(f"{MAX_PAGES_ENV}={raw!r} is invalid: use a positive integer")
    return pages
