"""HttpClient retries, backoff and key scrubbing against a loopback server."""

from __future__ import annotations

import email.utils
import logging
import socket
from datetime import UTC, datetime, timedelta

import pytest

from ingest.http import HttpClient, HttpError, RetryPolicy
from tests.loopback import LoopbackServer, Reply

FAST = RetryPolicy(max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01)
# Never passed to register_secret, so only the pattern scrubbing can hide it.
KEY = "q7x2k9zr4m1t8w5v3b6n0c2p4l6j8h0d"


class SleepRecorder:
    """A `sleep` replacement that stores each requested wait and returns."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_client(policy: RetryPolicy = FAST) -> tuple[HttpClient, SleepRecorder]:
    recorder = SleepRecorder()
    return HttpClient("testsrc", policy, sleep=recorder), recorder


def closed_port() -> int:
    """Return a port on 127.0.0.1 that had a listener a moment ago and has none now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_429_then_success(loopback: LoopbackServer) -> None:
    loopback.add(
        "/data",
        Reply(429, "slow down", headers={"Retry-After": "0"}),
        Reply(200, {"ok": True}),
    )
    client, recorder = make_client()
    response = client.get(loopback.url + "/data")
    assert response.json() == {"ok": True}
    assert len(loopback.requests_to("/data")) == 2
    assert recorder.waits == [0.0]


def test_retry_after_http_date(loopback: LoopbackServer) -> None:
    later = datetime.now(UTC) + timedelta(seconds=30)
    loopback.add(
        "/data",
        Reply(
            503,
            "busy",
            headers={"Retry-After": email.utils.format_datetime(later, usegmt=True)},
        ),
        Reply(200, "done"),
    )
    policy = RetryPolicy(max_attempts=2, base_backoff_s=0.001, max_backoff_s=60.0)
    client, recorder = make_client(policy)
    assert client.get(loopback.url + "/data").text == "done"
    assert len(recorder.waits) == 1
    # The header has whole seconds, so up to one second is lost in rounding.
    assert 25.0 < recorder.waits[0] <= 30.0


def test_retry_after_past_date(loopback: LoopbackServer) -> None:
    earlier = datetime.now(UTC) - timedelta(hours=1)
    loopback.add(
        "/data",
        Reply(
            429,
            "",
            headers={"Retry-After": email.utils.format_datetime(earlier, usegmt=True)},
        ),
        Reply(200, "done"),
    )
    client, recorder = make_client()
    client.get(loopback.url + "/data")
    assert recorder.waits == [0.0]


def test_5xx_exhausts_attempts(loopback: LoopbackServer) -> None:
    loopback.add("/data", Reply(502, "bad gateway"))
    policy = RetryPolicy(max_attempts=4, base_backoff_s=0.001, max_backoff_s=0.01)
    client, recorder = make_client(policy)
    with pytest.raises(HttpError) as caught:
        client.get(loopback.url + "/data")
    assert len(loopback.requests_to("/data")) == 4
    assert len(recorder.waits) == 3
    assert client.requests_sent == 4
    assert "after 4 attempts" in str(caught.value)
    assert "HTTP 502" in str(caught.value)


def test_4xx_not_retried(loopback: LoopbackServer) -> None:
    loopback.add("/data", Reply(403, {"error": "forbidden"}), Reply(200, "never"))
    client, recorder = make_client()
    with pytest.raises(HttpError) as caught:
        client.get(loopback.url + "/data")
    assert caught.value.status == 403
    assert len(loopback.requests_to("/data")) == 1
    assert recorder.waits == []


def test_connection_refused_retried() -> None:
    url = f"http://127.0.0.1:{closed_port()}/data"
    client, recorder = make_client()
    with pytest.raises(HttpError) as caught:
        client.get(url)
    assert client.requests_sent == FAST.max_attempts
    assert len(recorder.waits) == FAST.max_attempts - 1
    assert "ConnectionError" in str(caught.value)


def test_timeout_retried(loopback: LoopbackServer) -> None:
    loopback.add("/data", Reply(200, "too late", delay_s=1.0), Reply(200, "in time"))
    policy = RetryPolicy(
        max_attempts=3, base_backoff_s=0.001, max_backoff_s=0.01, timeout_s=0.2
    )
    client, recorder = make_client(policy)
    response = client.get(loopback.url + "/data")
    assert response.text == "in time"
    assert len(loopback.requests_to("/data")) == 2
    assert len(recorder.waits) == 1


def test_backoff_within_cap(loopback: LoopbackServer) -> None:
    loopback.add("/data", Reply(503, "busy"))
    policy = RetryPolicy(max_attempts=12, base_backoff_s=1.0, max_backoff_s=2.5)
    client, recorder = make_client(policy)
    with pytest.raises(HttpError):
        client.get(loopback.url + "/data")
    assert len(recorder.waits) == 11
    assert max(recorder.waits) <= 2.5
    assert min(recorder.waits) >= 0.0


def test_backoff_method_within_cap() -> None:
    policy = RetryPolicy(base_backoff_s=1.0, max_backoff_s=4.0)
    waits = [policy.backoff(attempt) for attempt in range(1, 30) for _ in range(20)]
    assert max(waits) <= 4.0


def test_retry_after_capped(loopback: LoopbackServer) -> None:
    loopback.add(
        "/data", Reply(429, "", headers={"Retry-After": "120"}), Reply(200, "ok")
    )
    policy = RetryPolicy(max_attempts=2, base_backoff_s=0.001, max_backoff_s=0.05)
    client, recorder = make_client(policy)
    client.get(loopback.url + "/data")
    assert recorder.waits == [0.05]


@pytest.mark.parametrize("param", ["api_key", "$$app_token", "token"])
def test_key_hidden_after_retries(
    loopback: LoopbackServer, caplog: pytest.LogCaptureFixture, param: str
) -> None:
    caplog.set_level(logging.INFO)
    loopback.add("/data", Reply(500, f"failed for ?{param}={KEY}"))
    client, _ = make_client()
    with pytest.raises(HttpError) as caught:
        client.get(loopback.url + "/data", params={param: KEY, "series": "GDP"})
    assert len(loopback.requests_to("/data")) == FAST.max_attempts
    assert loopback.requests_to("/data")[0].param(param) == KEY
    assert KEY not in str(caught.value)
    assert "series=GDP" in str(caught.value)
    assert "retrying" in caplog.text
    assert KEY not in caplog.text


def test_key_hidden_on_4xx(
    loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    loopback.add("/data", Reply(400, {"echo": {"api_key": KEY}}))
    client, _ = make_client()
    with pytest.raises(HttpError) as caught:
        client.get(loopback.url + "/data", params={"api_key": KEY})
    assert KEY not in str(caught.value)
    assert KEY not in caplog.text


def test_key_hidden_connection_refused(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    url = f"http://127.0.0.1:{closed_port()}/data"
    client, _ = make_client()
    with pytest.raises(HttpError) as caught:
        client.get(url, params={"api_key": KEY})
    assert KEY not in str(caught.value)
    assert KEY not in caplog.text


def test_key_hidden_debug_log(
    loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    # `zl -v` sets the root logger to DEBUG, where urllib3 logs each request line.
    caplog.set_level(logging.DEBUG)
    loopback.add("/data", Reply(200, {"ok": True}))
    client, _ = make_client()
    client.get(loopback.url + "/data", params={"api_key": KEY})
    assert KEY not in caplog.text


def test_get_json_invalid_body(loopback: LoopbackServer) -> None:
    loopback.add("/data", Reply(200, "<html>maintenance</html>"))
    client, _ = make_client()
    with pytest.raises(HttpError) as caught:
        client.get_json(loopback.url + "/data")
    assert "invalid JSON" in str(caught.value)
    assert caught.value.status == 200
