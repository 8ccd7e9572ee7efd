"""A retrying HTTP client shared by every API loader.

Retries 429, 5xx, connection errors and time-outs with exponential backoff
and full jitter, capped at the source's maximum backoff. A `Retry-After`
header (seconds or an HTTP date) is obeyed, within the same cap. URLs and
bodies in this module's log lines and errors pass through `scrub`, and so do
urllib3's DEBUG request lines.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import requests

from ingest.scrub import scrub

log = logging.getLogger(__name__)

_T = TypeVar("_T")


class _ScrubFilter(logging.Filter):
    """Scrub keys from urllib3's DEBUG request lines (`zl -v`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_ScrubFilter())

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class HttpError(RuntimeError):
    """Raised when a request fails for good: a 4xx, or retries ran out."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(scrub(message))
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts and backoff for one source's requests."""

    max_attempts: int = 5
    base_backoff_s: float = 1.0
    max_backoff_s: float = 60.0
    timeout_s: float = 30.0

    def backoff(self, attempt: int) -> float:
        """Return the wait before retry number `attempt` (1-based), jittered."""
        ceiling = min(self.max_backoff_s, self.base_backoff_s * 2 ** (attempt - 1))
        return random.uniform(0, ceiling)


class HttpClient:
    """A `requests.Session` with retries, for one source.

    Args:
        source: source name, used in log lines and errors.
        policy: attempts, backoff and time-out.
        headers: default headers (an API key header is scrubbed from logs).
        sleep: the function that waits, replaceable in tests to record waits.
    """

    def __init__(
        self,
        source: str,
        policy: RetryPolicy | None = None,
        headers: dict[str, str] | None = None,
        sleep: Any = time.sleep,
    ) -> None:
        self.source = source
        self.policy = policy or RetryPolicy()
        self.session = requests.Session()
        self.session.headers.update(headers or {})
        self.session.headers.setdefault("User-Agent", "zl-platform/0.1")
        self._sleep = sleep
        self.requests_sent = 0

    def get(self, url: str, params: dict[str, Any] | None = None) -> requests.Response:
        """Send a GET, retrying transient failures.

        Raises:
            HttpError: a non-retryable status, or the last attempt failed.
        """

        def attempt() -> requests.Response:
            self.requests_sent += 1
            try:
                response = self.session.get(
                    url, params=params, timeout=self.policy.timeout_s
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise RetryableFailure(f"{type(exc).__name__}: {exc}") from None
            if response.status_code < 400:
                return response
            reason = f"HTTP {response.status_code}: {scrub(response.text)[:300]}"
            if response.status_code not in RETRYABLE_STATUS:
                raise HttpError(
                    f"{self.source}: GET {response.url} failed with {reason}",
                    status=response.status_code,
                )
            raise RetryableFailure(
                reason,
                status=response.status_code,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )

        description = f"GET {_full_url(url, params)}"
        return retry_call(self.source, description, self.policy, attempt, self._sleep)

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """GET and decode JSON; a body that is not JSON is an `HttpError`."""
        response = self.get(url, params)
        try:
            return response.json()
        except ValueError as exc:
            raise HttpError(
                f"{self.source}: GET {response.url} returned invalid JSON: "
                f"{scrub(response.text)[:200]!r}",
                status=response.status_code,
            ) from exc


class RetryableFailure(Exception):
    """A failed attempt that may succeed when tried again."""

    def __init__(
        self, reason: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


def retry_call(
    source: str,
    description: str,
    policy: RetryPolicy,
    attempt: Callable[[], _T],
    sleep: Callable[[float], None] = time.sleep,
) -> _T:
    """Call `attempt` until it returns, retrying on `RetryableFailure`.

    The wait before retry n is the policy's jittered backoff, or the
    failure's `Retry-After` when it gives one, capped at `max_backoff_s`.
    Any other exception from `attempt` propagates at once.

    Raises:
        HttpError: the last attempt failed; it carries the last status.
    """
    for number in range(1, policy.max_attempts + 1):
        try:
            return attempt()
        except RetryableFailure as failure:
            if number == policy.max_attempts:
                raise HttpError(
                    f"{source}: {description} failed after {number} attempts; "
                    f"last error {failure.reason}",
                    status=failure.status,
                ) from None
            wait = policy.backoff(number)
            if failure.retry_after is not None:
                wait = min(max(failure.retry_after, 0.0), policy.max_backoff_s)
            log.warning(
                "%s: attempt %d/%d for %s failed (%s); retrying in %.2f s",
                source,
                number,
                policy.max_attempts,
                scrub(description),
                scrub(failure.reason),
                wait,
            )
            sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def parse_retry_after(value: str | None) -> float | None:
    """Return the wait in seconds that a `Retry-After` header requests, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()


def _full_url(url: str, params: dict[str, Any] | None) -> str:
    return requests.Request("GET", url, params=params).prepare().url or url
