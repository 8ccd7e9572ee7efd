"""A real HTTP server on 127.0.0.1 that replays scripted vendor responses.

Tests register, per path, a sequence of responses (status, body, headers).
Each request to that path takes the next response in order; the last one
repeats. Query parameters can select a route too, for APIs that page with
an offset. Every request is recorded with its path, query and headers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    """One scripted response."""

    status: int = 200
    body: bytes | str | dict | list = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode(), "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        return self.body, "application/octet-stream"


@dataclass
class RecordedRequest:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    method: str = "GET"
    body: bytes = b""

    def form(self) -> dict[str, list[str]]:
        """Return a form-encoded POST body as a dict of lists, like `query`."""
        return parse_qs(self.body.decode(), keep_blank_values=True)

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


Matcher = Callable[[RecordedRequest], bool]


class LoopbackServer:
    """Serve scripted replies on 127.0.0.1 on a free port, in a thread."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, Matcher | None, list[Reply]]] = []
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
                server._handle(self)

            def do_POST(self) -> None:  # noqa: N802 - name fixed by http.server
                server._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, *replies: Reply, when: Matcher | None = None) -> None:
        """Script `replies` for GET or POST `path`; `when` narrows by the request."""
        self._routes.append((path, when, list(replies)))

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        request = RecordedRequest(
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in handler.headers.items()},
            method=handler.command,
            body=handler.rfile.read(length) if length else b"",
        )
        with self._lock:
            self.requests.append(request)
            reply = self._next_reply(request)
        if reply is None:
            reply = Reply(404, {"error": f"no route for {parts.path}"})
        if reply.delay_s:
            threading.Event().wait(reply.delay_s)
        body, content_type = reply.encoded()
        handler.send_response(reply.status)
        headers = {"Content-Type": content_type, **reply.headers}
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _next_reply(self, request: RecordedRequest) -> Reply | None:
        for path, when, replies in self._routes:
            if path != request.path or (when is not None and not when(request)):
                continue
            return replies.pop(0) if len(replies) > 1 else replies[0]
        return None

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
