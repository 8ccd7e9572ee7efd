"""Live Databento API client: GLBX.MDP3 continuous futures through `databento`.

The official client (databento 0.88) does not retry, so every request runs
under the source's `RetryPolicy`. HTTP 429, 5xx and connection errors are
retried with backoff that honours `Retry-After`. Other 4xx fail at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import databento
import databento_dbn
import requests
from databento.common.error import BentoError, BentoHttpError

from ingest.databento.decode import DbnData, decode_dbn
from ingest.databento.records import convert
from ingest.databento.settings import (
    API_KEY_ENV,
    API_SCHEMAS,
    DATASET,
    DEFAULT_LOOKBACK_DAYS,
    GATEWAY_ENV,
    STYPE_CONTINUOUS,
    SYMBOLS_SEED,
    load_roots,
)
from ingest.http import (
    RETRYABLE_STATUS,
    HttpError,
    RetryableFailure,
    parse_retry_after,
    retry_call,
)
from ingest.scrub import scrub
from ingest.settings import get_secret
from ingest.source import Batch, LoadContext, SourceFormatError, Window

log = logging.getLogger(__name__)


def fetch_api(ctx: LoadContext) -> Iterator[Batch]:
    """Yield batches from `timeseries.get_range` for the seed's symbols.

    Requests definitions, daily bars and statistics for every enabled root's
    continuous symbols (e.g. `ZL.c.0`) over the window.

    Raises:
        MissingSecretError: DATABENTO_API_KEY is not configured.
        HttpError: a request failed with a 4xx, or retries ran out.
        SourceFormatError: a response is not valid DBN.
    """
    key = get_secret(API_KEY_ENV)
    assert key is not None  # get_secret(required=True) raises instead of None
    client = make_client(key, os.environ.get(GATEWAY_ENV) or None)
    symbols = [s for root in load_roots(SYMBOLS_SEED) for s in root.symbols]
    start, end = request_range(ctx.window, dt.datetime.now(dt.UTC).date())
    if not symbols or start >= end:
        log.info("databento: nothing to request from %s to %s", start, end)
        return
    streams: list[DbnData] = []
    for schema in API_SCHEMAS:
        description = f"{DATASET} {schema} {start}..{end}"
        raw = call_with_retry(
            ctx,
            description,
            lambda schema=schema: (
                client.timeseries.get_range(
                    dataset=DATASET,
                    start=start,
                    end=end,
                    symbols=symbols,
                    schema=schema,
                    stype_in=STYPE_CONTINUOUS,
                ).raw
            ),
        )
        stream = decode_dbn(raw, description)
        log.info("databento: %s: %d records", description, len(stream.records))
        streams.append(stream)
    yield from convert(streams, ctx)


def make_client(key: str, gateway: str | None) -> databento.Historical:
    """Build the official historical client for `gateway` (default: its own).

    databento 0.88 rewrites any custom gateway URL to https. For a plain
    `http://` gateway, such as a local proxy or test server, the time
    series endpoint is pointed back at http.
    """
    if gateway is None:
        return databento.Historical(key)
    client = databento.Historical(key, gateway=gateway)
    if urlsplit(gateway).scheme == "http":
        # NOTE: sets a private attribute of databento 0.88's TimeseriesHttpAPI;
        # check it when upgrading the client.
        base = client.timeseries._base_url
        client.timeseries._base_url = "http" + base.removeprefix("https")
    return client


def request_range(window: Window, today: dt.date) -> tuple[dt.date, dt.date]:
    """Map the inclusive window to Databento's [start, end) range of dates.

    An open or future end becomes `today` at 00:00 UTC, so the incomplete
    current day is not requested. An open start is DEFAULT_LOOKBACK_DAYS
    before the end.
    """
    end = today if window.end is None else min(window.end + dt.timedelta(days=1), today)
    start = window.start or end - dt.timedelta(days=DEFAULT_LOOKBACK_DAYS)
    return start, end


def call_with_retry(
    ctx: LoadContext,
    description: str,
    call: Callable[[], bytes],
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """Run one client request under `ctx.retry`.

    Raises:
        HttpError: a non-retryable HTTP status, or the last attempt failed.
        SourceFormatError: the response body is empty or not DBN.
    """

    def attempt() -> bytes:
        try:
            return call()
        except BentoHttpError as exc:
            status = exc.http_status
            reason = f"HTTP {status}: {exc.message}"
            if status not in RETRYABLE_STATUS:
                raise HttpError(
                    f"databento: {description} failed with {reason}", status=status
                ) from None
            raise RetryableFailure(
                reason,
                status=status,
                retry_after=parse_retry_after(exc.headers.get("Retry-After")),
            ) from None
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise RetryableFailure(f"{type(exc).__name__}: {exc}") from None
        except BentoError as exc:
            # databento 0.88 raises a plain BentoError both for a body cut off
            # mid-stream (worth retrying) and for a body that is not DBN.
            if not str(exc).startswith("Error streaming response"):
                raise _invalid_body(description, exc) from None
            raise RetryableFailure(f"{type(exc).__name__}: {exc}") from None
        except (databento_dbn.DBNError, ValueError) as exc:
            # The client decodes the DBN header; ValueError means an empty body.
            raise _invalid_body(description, exc) from None

    return retry_call("databento", description, ctx.retry, attempt, sleep)


def _invalid_body(description: str, exc: Exception) -> SourceFormatError:
    return SourceFormatError(
        f"databento: {description}: response is not valid DBN: {scrub(exc)}"
    )
