"""Download of WASDE machine-readable CSV files, one per report month.

The OCE names each file `oce-wasde-report-data-YYYY-MM.csv`; they are
requested under `$ZL_WASDE_BASE_URL`. A month without a file (HTTP 404,
for example a month whose report is not out yet) is counted as a skip.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date

from ingest.http import HttpError
from ingest.source import Batch, LoadContext
from ingest.usda.settings import (
    API_SOURCE,
    WASDE_FILE_TEMPLATE,
    WASDE_FIRST_MONTH,
    wasde_base_url,
)
from ingest.usda.tables import USDA_WASDE
from ingest.usda.wasde import decode_text, parse_wasde_csv

log = logging.getLogger(__name__)


def report_months(start: date | None, end: date | None) -> list[tuple[int, int]]:
    """Return (year, month) of every report month from `start` to `end`."""
    year, month = (start.year, start.month) if start else WASDE_FIRST_MONTH
    last = end or date.today()
    months: list[tuple[int, int]] = []
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def fetch_wasde(ctx: LoadContext) -> Iterator[Batch]:
    """Yield the soybean complex rows of each WASDE file in the window.

    Raises:
        HttpError: a request failed with a status other than 404, or
            retries ran out.
        SourceFormatError: a downloaded file is not a WASDE CSV.
    """
    client = ctx.http()
    base = wasde_base_url()
    for year, month in report_months(ctx.window.start, ctx.window.end):
        name = WASDE_FILE_TEMPLATE.format(year=year, month=month)
        url = f"{base}/{name}"
        try:
            response = client.get(url)
        except HttpError as exc:
            if exc.status != 404:
                raise
            ctx.skip("WASDE file not found", url)
            continue
        rows = parse_wasde_csv(decode_text(response.content), API_SOURCE, ctx, url)
        if rows:
            yield USDA_WASDE, USDA_WASDE.to_arrow(rows)
