"""The ScrapeCreators API client shared by the news and Truth Social loaders.

Base URL: `$ZL_SCRAPECREATORS_BASE_URL` (default
`https://api.scrapecreators.com`). The key travels in the `x-api-key`
header and comes from `get_secret("SCRAPECREATORS_API_KEY")`, which also
registers it with `ingest.scrub`, so it never reaches a log line, an error
or a stored row.

Error rules:

- A bad key is not always an HTTP error: the credit-balance endpoint
  returns 200 with `creditCount: 0`. Every run therefore starts with a
  balance check, and a zero balance stops the run with `ScrapeCreatorsError`.
- A body with `success: false` is an error, whatever its status.
- 401 and 403 are reported as a rejected key, 402 as no credits left;
  429 and 5xx are retried by `HttpClient`.

Credits: each response's `credits_charged` and `credits_remaining` are
summed per endpoint, and the balance is read before and after the run.
`credit_rows` turns that into rows of `raw.scrapecreators_credits`, and the
same totals go into `ctx.notes["scrapecreators_credits"]`.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ingest.http import HttpClient, HttpError
from ingest.schema import Column, TableSpec
from ingest.scrub import scrub
from ingest.settings import get_secret
from ingest.source import LoadContext, SourceFormatError

log = logging.getLogger(__name__)

BASE_URL_ENV = "ZL_SCRAPECREATORS_BASE_URL"
DEFAULT_BASE_URL = "https://api.scrapecreators.com"
API_KEY_ENV = "SCRAPECREATORS_API_KEY"
KEY_HEADER = "x-api-key"
BALANCE_ENDPOINT = "/v1/account/credit-balance"
TOTAL_ENDPOINT = "total"

SCRAPECREATORS_CREDITS = TableSpec(
    name="scrapecreators_credits",
    columns=(
        Column(
            "run_id",
            "text",
            nullable=False,
            description="Loader run: source, UTC start and a random suffix",
        ),
        Column("source", "text", nullable=False, description="news or truthsocial"),
        Column(
            "endpoint",
            "text",
            nullable=False,
            description="API path, or `total` for the run's summary row",
        ),
        Column("requests", "bigint", description="Successful responses received"),
        Column("credits_charged", "bigint", description="Sum of `credits_charged`"),
        Column(
            "credits_remaining",
            "bigint",
            description="Last `credits_remaining` the endpoint reported",
        ),
        Column(
            "balance_before",
            "bigint",
            description="`creditCount` before the run (total row)",
        ),
        Column(
            "balance_after",
            "bigint",
            description="`creditCount` after the run (total row)",
        ),
        Column("started_at", "timestamp", nullable=False, description="Run start, UTC"),
        Column("finished_at", "timestamp", description="Run end, UTC"),
    ),
    primary_key=("run_id", "endpoint"),
    description="ScrapeCreators credits used per loader run and endpoint",
)


class ScrapeCreatorsError(RuntimeError):
    """Raised when ScrapeCreators rejects the key or a request, or has no credits."""


def base_url() -> str:
    return os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/")


@dataclass
class _Usage:
    requests: int = 0
    charged: int = 0
    remaining: int | None = None


@dataclass
class ScrapeCreatorsClient:
    """GETs ScrapeCreators endpoints as JSON and counts the credits they charge."""

    ctx: LoadContext
    http: HttpClient = field(init=False)
    base: str = field(init=False)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    balance_before: int | None = None
    usage: dict[str, _Usage] = field(default_factory=dict)

    def __post_init__(self) -> None:
        key = get_secret(API_KEY_ENV) or ""
        self.http = self.ctx.http(headers={KEY_HEADER: key})
        self.base = base_url()
        self._suffix = uuid.uuid4().hex[:8]

    @property
    def run_id(self) -> str:
        return f"{self.ctx.source}-{self.started_at:%Y%m%dT%H%M%S}-{self._suffix}"

    def get(
        self, endpoint: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """GET `endpoint` (a path such as /v1/google/search) and return its JSON object.

        Raises:
            ScrapeCreatorsError: the key was rejected, credits ran out, or the
                body contains `success: false`.
            HttpError: retries ran out on 429, 5xx or connection errors.
            SourceFormatError: the body is not a JSON object.
        """
        url = f"{self.base}{endpoint}"
        try:
            body = self.http.get_json(url, params)
        except HttpError as exc:
            if exc.status in (401, 403):
                raise ScrapeCreatorsError(
                    f"{self.ctx.source}: ScrapeCreators rejected the API key "
                    f"(HTTP {exc.status}) on {endpoint}; check {API_KEY_ENV}"
                ) from None
            if exc.status == 402:
                raise ScrapeCreatorsError(
                    f"{self.ctx.source}: ScrapeCreators has no credits left "
                    f"(HTTP 402) on {endpoint}; top up the account"
                ) from None
            raise
        if not isinstance(body, dict):
            raise SourceFormatError(
                f"{self.ctx.source}: {endpoint}: expected a JSON object, got "
                f"{type(body).__name__}"
            )
        if body.get("success") is False:
            message = body.get("message") or body.get("error") or "no message"
            raise ScrapeCreatorsError(
                scrub(f"{self.ctx.source}: ScrapeCreators {endpoint} failed: {message}")
            )
        self._count(endpoint, body)
        return body

    def check_balance(self) -> int:
        """Return the credit balance, stopping the run when it is zero.

        Raises:
            ScrapeCreatorsError: `creditCount` is 0 or missing. A bad key
                also returns 200 with `creditCount: 0`.
        """
        body = self.get(BALANCE_ENDPOINT)
        count = body.get("creditCount")
        if isinstance(count, bool) or not isinstance(count, int):
            raise SourceFormatError(
                f"{self.ctx.source}: {BALANCE_ENDPOINT}: invalid creditCount {count!r}"
            )
        if count <= 0:
            raise ScrapeCreatorsError(
                f"{self.ctx.source}: ScrapeCreators reports a credit balance of "
                f"{count}: the API key in {API_KEY_ENV} is invalid or the account "
                "has no credits left (a bad key also returns 200 with creditCount 0)"
            )
        if self.balance_before is None:
            self.balance_before = count
        log.info("%s: ScrapeCreators credit balance %d", self.ctx.source, count)
        return count

    def credit_rows(self, balance_after: int | None) -> list[dict[str, Any]]:
        """Return this run's credit rows and store the totals in `ctx.notes`."""
        finished = datetime.now(UTC)
        rows = []
        for endpoint, usage in sorted(self.usage.items()):
            rows.append(
                self._row(endpoint, usage.requests, usage.charged, usage.remaining)
            )
        total_charged = sum(usage.charged for usage in self.usage.values())
        total = self._row(
            TOTAL_ENDPOINT,
            sum(usage.requests for usage in self.usage.values()),
            total_charged,
            balance_after,
        )
        total.update(balance_before=self.balance_before, balance_after=balance_after)
        rows.append(total)

        for row in rows:
            row["finished_at"] = finished
        self.ctx.notes["scrapecreators_credits"] = {
            "run_id": self.run_id,
            "credits_charged": total_charged,
            "balance_before": self.balance_before,
            "balance_after": balance_after,
        }
        log.info(
            "%s: ScrapeCreators credits charged %d (balance %s -> %s)",
            self.ctx.source,
            total_charged,
            self.balance_before,
            balance_after,
        )
        return rows

    def _row(
        self, endpoint: str, requests: int, charged: int, remaining: int | None
    ) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "source": self.ctx.source,
            "endpoint": endpoint,
            "requests": requests,
            "credits_charged": charged,
            "credits_remaining": remaining,
            "balance_before": None,
            "balance_after": None,
            "started_at": self.started_at,
            "finished_at": None,
        }

    def _count(self, endpoint: str, body: dict[str, Any]) -> None:
        usage = self.usage.setdefault(endpoint, _Usage())
        usage.requests += 1
        charged = body.get("credits_charged")
        if isinstance(charged, int) and not isinstance(charged, bool):
            usage.charged += charged
        remaining = body.get("credits_remaining")
        if isinstance(remaining, int) and not isinstance(remaining, bool):
            usage.remaining = remaining
