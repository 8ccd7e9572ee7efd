"""Live download of the Disaggregated futures-only report.

Live mode splits the window by year. Report dates in the current year (UTC)
come from the Socrata API, which the CFTC updates each release day. Earlier
years come from the yearly history zips, one request per year instead of
many pages: `fut_disagg_txt_<YEAR>.zip` from 2017 and the single
`fut_disagg_txt_hist_2006_2016.zip` before that. A window without a start
loads the current year only, so a plain `zl load cftc` is one short request.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ingest.cftc import settings
from ingest.cftc.files import read_zip, socrata_rows
from ingest.cftc.tables import COT_DISAGGREGATED
from ingest.http import HttpClient, HttpError
from ingest.scrub import scrub
from ingest.settings import get_secret
from ingest.source import Batch, LoadContext, SourceFormatError, Window

log = logging.getLogger(__name__)

SOURCE = settings.SOURCE_NAME


@dataclass(frozen=True)
class FetchPlan:
    """Downloads of live mode for one window: history zips and a Socrata range."""

    history_files: list[str] = field(default_factory=list)
    socrata_start: date | None = None
    socrata_end: date | None = None


def plan_fetch(window: Window, today: date) -> FetchPlan:
    """Split `window` into history zips (past years) and a Socrata range.

    The window's end is capped at `today`; a missing start means January 1
    of `today`'s year. Years before the report began (2006) are dropped.
    """
    start = window.start or date(today.year, 1, 1)
    end = min(window.end or today, today)
    if start > end:
        return FetchPlan()
    files: list[str] = []
    for year in range(max(start.year, settings.FIRST_REPORT_YEAR), today.year):
        if year > end.year:
            break
        if year <= settings.MULTI_YEAR_LAST:
            name = settings.MULTI_YEAR_FILE
        else:
            name = settings.YEAR_FILE.format(year=year)
        if name not in files:
            files.append(name)
    if end.year < today.year:
        return FetchPlan(history_files=files)
    socrata_start = max(start, date(today.year, 1, 1))
    return FetchPlan(files, socrata_start, end)


def fetch_api(ctx: LoadContext) -> Iterator[Batch]:
    """Yield batches for `ctx.window` from the history zips and Socrata.

    Raises:
        HttpError: a request failed for good, or the app token was rejected.
        SourceFormatError: a response is malformed or of another report.
    """
    yield from fetch_window(ctx, datetime.now(UTC).date())


def fetch_window(
    ctx: LoadContext, today: date, page_size: int = settings.PAGE_SIZE
) -> Iterator[Batch]:
    """Yield what `fetch_api` yields on the day `today`, so tests can fix it."""
    plan = plan_fetch(ctx.window, today)
    markets = settings.seeded_markets()
    log.info(
        "%s: fetching history files %s and Socrata %s..%s",
        SOURCE,
        plan.history_files or "none",
        plan.socrata_start,
        plan.socrata_end,
    )
    if plan.history_files:
        yield from fetch_history(ctx, plan.history_files, markets)
    if plan.socrata_start is not None and plan.socrata_end is not None:
        yield from fetch_socrata(
            ctx, plan.socrata_start, plan.socrata_end, markets, page_size
        )


def fetch_history(
    ctx: LoadContext, names: list[str], markets: Mapping[str, str]
) -> Iterator[Batch]:
    """Download each yearly zip and yield its rows for the seeded markets."""
    client = ctx.http()
    for name in names:
        url = settings.history_url() + name
        response = client.get(url)
        log.info("%s: downloaded %s (%d bytes)", SOURCE, url, len(response.content))
        yield from read_zip(io.BytesIO(response.content), name, ctx, markets)


def fetch_socrata(
    ctx: LoadContext,
    start: date,
    end: date,
    markets: Mapping[str, str],
    page_size: int = settings.PAGE_SIZE,
) -> Iterator[Batch]:
    """Page through dataset 72hh-3qpy for report dates `start`..`end`.

    Requests `$limit` rows at increasing `$offset` until a page comes back
    shorter than `$limit`. The optional app token (`CFTC_APP_TOKEN`) goes in
    the `X-App-Token` header, never in the URL.

    Raises:
        HttpError: a request failed for good, or Socrata rejected the app
            token (the message names `CFTC_APP_TOKEN`).
        SourceFormatError: a page is not a list of disaggregated records.
    """
    if not markets:
        return
    token = get_secret(settings.APP_TOKEN_ENV, required=False)
    client = ctx.http(headers={"X-App-Token": token} if token else None)
    url = f"{settings.base_url()}/resource/{settings.DATASET_ID}.json"
    codes = ", ".join(f"'{code}'" for code in sorted(markets))
    where = (
        f"{settings.SOCRATA_DATE} between '{start.isoformat()}T00:00:00' "
        f"and '{end.isoformat()}T00:00:00' "
        f"AND {settings.SOCRATA_MARKET_CODE} in ({codes})"
    )
    offset = 0
    while True:
        params = {
            "$where": where,
            "$order": f"{settings.SOCRATA_DATE},{settings.SOCRATA_MARKET_CODE}",
            "$limit": page_size,
            "$offset": offset,
        }
        page = _get_page(client, url, params)
        rows = socrata_rows(
            page, f"{url} (offset {offset})", settings.SOCRATA_SOURCE, ctx, markets
        )
        log.info("%s: Socrata offset %d: %d records", SOURCE, offset, len(page))
        if rows:
            yield COT_DISAGGREGATED, COT_DISAGGREGATED.to_arrow(rows)
        if len(page) < page_size:
            return
        offset += page_size


def _get_page(client: HttpClient, url: str, params: dict[str, object]) -> list:
    try:
        page = client.get_json(url, params)
    except HttpError as exc:
        if exc.status == 403 and "invalid_app_token" in str(exc):
            raise HttpError(
                f"{SOURCE}: Socrata rejected the app token "
                f"(invalid_app_token); fix {settings.APP_TOKEN_ENV} or unset it "
                "to send requests without a token",
                status=exc.status,
            ) from exc
        raise
    if not isinstance(page, list):
        raise SourceFormatError(
            f"{SOURCE}: {url}: expected a JSON list of records, got "
            f"{type(page).__name__}: {scrub(str(page))[:200]}"
        )
    return page
