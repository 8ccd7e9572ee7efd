"""A loopback vendor API that serves a landing folder in each vendor's API shape.

`VendorServer` listens on 127.0.0.1 and serves the requests of the
project's API clients from the synthetic files of a landing folder (see
`benchmarks/scaled.py`). It waits `page_delay_s` (200 ms by default) before
every response to stand in for a remote API's latency. `VendorServer.env`
returns the variables that point each client at it.

Served, with the vendor's own paging:

- FRED `/series` and `/series/observations`: every vintage of the
  all-vintages files, paged by `offset` and `limit` (at most 100,000).
- EIA v2 `/<route>/data/`: rows filtered by series facet and period, paged
  by `offset` and `length` (at most 5,000).
- CFTC history zips `fut_disagg_txt_<year>.zip` and the 2006-2016 zip,
  built from the yearly text file; Socrata gets an empty list.
- ScrapeCreators: the credit balance, Reddit search pages (cursor `after`)
  split over the configured queries, and Truth Social posts newest first
  (cursor `next_max_id`), rewritten from the archive layout into the API's
  (`content` as HTML, `media_attachments`, `reblogs_count`). Google and
  Twitter searches return empty lists.
- Open-Meteo archive: one body per grid point, cut to the requested days.

Not served: USDA (Quick Stats, WASDE, FAS), NOAA CDO and Databento, whose
loads read files in the benchmarks.
"""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ingest.cftc import settings as cftc_settings
from ingest.eia.settings import MAX_PAGE_LENGTH as EIA_MAX_LENGTH
from ingest.fred.settings import MAX_PAGE_LIMIT as FRED_MAX_LIMIT
from ingest.news.settings import GOOGLE_ENDPOINT, REDDIT_ENDPOINT, TWITTER_ENDPOINT
from ingest.text.buckets import default_taxonomy
from ingest.text.scrapecreators import BALANCE_ENDPOINT
from ingest.truthsocial.settings import POSTS_ENDPOINT

log = logging.getLogger(__name__)

PAGE_DELAY_S = 0.2
# Posts per page of the ScrapeCreators endpoints. NOTE: chosen to keep a
# 25-year run to a few hundred pages, not taken from ScrapeCreators, whose
# live pages are probably smaller.
SCRAPECREATORS_PAGE_SIZE = 1_000
CREDIT_BALANCE = 1_000_000
# Placeholder keys: the clients require one, and the server ignores it.
_KEYS = {
    "FRED_API_KEY": "0123456789abcdef0123456789abcdef",
    "EIA_API_KEY": "benchmark-eia-key",
    "SCRAPECREATORS_API_KEY": "benchmark-scrapecreators-key",
}
_FRED_NOT_FOUND = "Bad Request.  The series does not exist."


class BadRequest(ValueError):
    """Raised by a route for a request the vendor would reject with HTTP 400."""


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = "application/json"


Route = Callable[[dict[str, list[str]]], _Response]


def _json(body: Any, status: int = 200) -> _Response:
    return _Response(status, json.dumps(body).encode())


def _param(query: dict[str, list[str]], name: str, default: str = "") -> str:
    values = query.get(name)
    return values[0] if values else default


def _int_param(query: dict[str, list[str]], name: str, default: int) -> int:
    raw = _param(query, name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"{name}={raw!r} is not an integer") from None


@dataclass
class VendorData:
    """The landing folder's data, indexed for the routes.

    Attributes:
        landing: a folder written by `write_scaled_landing` or `zl demo`.
        reddit_queries: the Reddit search queries the news client will send;
            the posts are dealt out among them in turn.
    """

    landing: Path
    reddit_queries: list[str] = field(default_factory=list)
    fred_observations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    fred_info: dict[str, dict[str, Any]] = field(default_factory=dict)
    eia_rows: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    cftc_header: str = ""
    cftc_lines: list[tuple[date, str]] = field(default_factory=list)
    reddit_posts: list[dict[str, Any]] = field(default_factory=list)
    truth_posts: list[dict[str, Any]] = field(default_factory=list)
    weather: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._read_fred(self.landing / "fred")
        self._read_eia(self.landing / "eia")
        self._read_cftc(self.landing / "cftc")
        self._read_news(self.landing / "news")
        self._read_truthsocial(self.landing / "truthsocial")
        self._read_weather(self.landing / "weather")

    def _read_fred(self, folder: Path) -> None:
        for path in sorted(folder.glob("*_all_vintages.json")):
            body = json.loads(path.read_text(encoding="utf-8"))
            self.fred_observations[body["series_id"]] = body["observations"]
        info = folder / "synthetic_series_info.json"
        if info.exists():
            for entry in json.loads(info.read_text(encoding="utf-8"))["seriess"]:
                self.fred_info[entry["id"]] = entry

    def _read_eia(self, folder: Path) -> None:
        for path in sorted(folder.glob("*.json")):
            body = json.loads(path.read_text(encoding="utf-8"))
            command = body["request"]["command"]
            route = command.removeprefix("/v2/").removesuffix("/data/")
            frequency = body["response"]["frequency"]
            self.eia_rows[(route, frequency)] = body["response"]["data"]

    def _read_cftc(self, folder: Path) -> None:
        for path in sorted(folder.glob("*.txt")):
            with path.open(encoding="utf-8", newline="") as handle:
                self.cftc_header = handle.readline()
                for line in handle:
                    day = next(csv.reader([line]))[2]
                    self.cftc_lines.append((date.fromisoformat(day), line))

    def _read_news(self, folder: Path) -> None:
        path = folder / "synthetic_reddit_search.json"
        if path.exists():
            posts = json.loads(path.read_text(encoding="utf-8"))["posts"]
            # Served newest first.
            self.reddit_posts = sorted(posts, key=lambda p: -p["created_utc"])

    def _read_truthsocial(self, folder: Path) -> None:
        for path in sorted(folder.glob("*.jsonl")):
            with path.open(encoding="utf-8") as handle:
                records = [json.loads(line) for line in handle if line.strip()]
            self.truth_posts.extend(_api_post(record) for record in records)
        self.truth_posts.sort(key=lambda post: int(post["id"]), reverse=True)

    def _read_weather(self, folder: Path) -> None:
        for path in sorted(folder.glob("*openmeteo_archive_*.json")):
            self.weather.append(json.loads(path.read_text(encoding="utf-8")))


def _api_post(record: dict[str, Any]) -> dict[str, Any]:
    """Rewrite one archive-layout post into ScrapeCreators' Truth Social layout."""
    text = record.get("text") or ""
    handle = record["url"].split("/@", 1)[1].split("/", 1)[0]
    return {
        "id": record["id"],
        "created_at": record["created_at"],
        "content": f"<p>{html.escape(text)}</p>" if text else "",
        "url": record["url"],
        "account": {"username": handle, "acct": handle},
        "media_attachments": [{"type": "image"}] if record.get("has_media") else [],
        "replies_count": 0,
        "reblogs_count": record.get("reblogs", 0),
        "favourites_count": record.get("favs", 0),
    }


class VendorRoutes:
    """Request handlers by path, reading from a `VendorData`."""

    def __init__(
        self, data: VendorData, page_size: int = SCRAPECREATORS_PAGE_SIZE
    ) -> None:
        self.data = data
        self.page_size = page_size
        self._cftc_zips: dict[str, bytes] = {}
        self._zip_lock = threading.Lock()

    def find(self, path: str) -> Route | None:
        """Return the handler of `path`, or None when no vendor serves it."""
        fixed: dict[str, Route] = {
            "/fred/series": self.fred_series,
            "/fred/series/observations": self.fred_observations,
            f"/cftc/resource/{cftc_settings.DATASET_ID}.json": self.socrata,
            f"/scrapecreators{BALANCE_ENDPOINT}": self.credit_balance,
            f"/scrapecreators{REDDIT_ENDPOINT}": self.reddit_search,
            f"/scrapecreators{GOOGLE_ENDPOINT}": self.google_search,
            f"/scrapecreators{TWITTER_ENDPOINT}": self.twitter_tweets,
            f"/scrapecreators{POSTS_ENDPOINT}": self.truthsocial_posts,
            "/openmeteo/archive": self.openmeteo_archive,
            "/openmeteo/forecast": self.openmeteo_forecast,
        }
        if path in fixed:
            return fixed[path]
        if path.startswith("/eia/v2/") and path.endswith("/data/"):
            route = path.removeprefix("/eia/v2/").removesuffix("/data/")
            return lambda query: self.eia_data(route, query)
        if path.startswith("/cftc/history/") and path.endswith(".zip"):
            name = path.removeprefix("/cftc/history/")
            return lambda query: self.cftc_history(name)
        return None

    def fred_series(self, query: dict[str, list[str]]) -> _Response:
        series_id = _param(query, "series_id")
        info = self.data.fred_info.get(series_id)
        if info is None or series_id not in self.data.fred_observations:
            return _json({"error_code": 400, "error_message": _FRED_NOT_FOUND}, 400)
        return _json({"seriess": [info]})

    def fred_observations(self, query: dict[str, list[str]]) -> _Response:
        series_id = _param(query, "series_id")
        observations = self.data.fred_observations.get(series_id)
        if observations is None:
            return _json({"error_code": 400, "error_message": _FRED_NOT_FOUND}, 400)
        first = _param(query, "observation_start", "0000-00-00")
        last = _param(query, "observation_end", "9999-99-99")
        kept = [row for row in observations if first <= row["date"] <= last]
        offset = _int_param(query, "offset", 0)
        limit = min(_int_param(query, "limit", FRED_MAX_LIMIT), FRED_MAX_LIMIT)
        return _json(
            {
                "count": len(kept),
                "offset": offset,
                "limit": limit,
                "observations": kept[offset : offset + limit],
            }
        )

    def eia_data(self, route: str, query: dict[str, list[str]]) -> _Response:
        frequency = _param(query, "frequency")
        rows = self.data.eia_rows.get((route, frequency))
        if rows is None:
            body = {"error": f"invalid route {route} or frequency {frequency}"}
            return _json(body, 404)
        wanted = set(query.get("facets[series][]", []))
        first = _param(query, "start", "0000")
        last = _param(query, "end", "9999")
        kept = [
            row
            for row in rows
            if (not wanted or row["series"] in wanted)
            and first <= row["period"] <= last + "\uffff"
        ]
        offset = _int_param(query, "offset", 0)
        length = min(_int_param(query, "length", EIA_MAX_LENGTH), EIA_MAX_LENGTH)
        return _json(
            {
                "response": {
                    "total": str(len(kept)),
                    "frequency": frequency,
                    "data": kept[offset : offset + length],
                },
                "request": {"command": f"/v2/{route}/data/"},
                "apiVersion": "2.1.13",
            }
        )

    def cftc_history(self, name: str) -> _Response:
        with self._zip_lock:
            if name not in self._cftc_zips:
                years = _history_years(name)
                if years is None:
                    return _Response(404, b"not found", "text/plain")
                self._cftc_zips[name] = self._cftc_zip(years)
            return _Response(200, self._cftc_zips[name], "application/zip")

    def _cftc_zip(self, years: range) -> bytes:
        lines = [text for day, text in self.data.cftc_lines if day.year in years]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("f_year.txt", self.data.cftc_header + "".join(lines))
        return buffer.getvalue()

    def socrata(self, query: dict[str, list[str]]) -> _Response:
        # NOTE: the scaled data set ends before the current year, which is
        # the only year the client asks Socrata for, so no rows are served.
        return _json([])

    def credit_balance(self, query: dict[str, list[str]]) -> _Response:
        return _json({"success": True, "creditCount": CREDIT_BALANCE})

    def reddit_search(self, query: dict[str, list[str]]) -> _Response:
        text = _param(query, "query")
        queries = self.data.reddit_queries or [text]
        if text not in queries:
            posts: list[dict[str, Any]] = []
        else:
            share = queries.index(text)
            posts = self.data.reddit_posts[share :: len(queries)]
        start = 0
        after = _param(query, "after")
        if after:
            names = [post["name"] for post in posts]
            if after not in names:
                raise BadRequest(f"unknown after cursor {after!r}")
            start = names.index(after) + 1
        page = posts[start : start + self.page_size]
        more = start + len(page) < len(posts)
        return _json(
            {
                "success": True,
                "credits_remaining": CREDIT_BALANCE,
                "posts": page,
                "after": page[-1]["name"] if page and more else None,
            }
        )

    def google_search(self, query: dict[str, list[str]]) -> _Response:
        return _json({"success": True, "results": []})

    def twitter_tweets(self, query: dict[str, list[str]]) -> _Response:
        return _json({"success": True, "tweets": []})

    def truthsocial_posts(self, query: dict[str, list[str]]) -> _Response:
        handle = _param(query, "handle")
        posts = [p for p in self.data.truth_posts if p["account"]["username"] == handle]
        max_id = _param(query, "next_max_id")
        if max_id:
            posts = [p for p in posts if int(p["id"]) < int(max_id)]
        page = posts[: self.page_size]
        more = len(posts) > len(page)
        return _json(
            {
                "success": True,
                "credits_remaining": CREDIT_BALANCE,
                "posts": page,
                "next_max_id": page[-1]["id"] if page and more else None,
            }
        )

    def openmeteo_archive(self, query: dict[str, list[str]]) -> _Response:
        try:
            latitude = float(_param(query, "latitude"))
            longitude = float(_param(query, "longitude"))
        except ValueError:
            return _json(
                {"error": True, "reason": "invalid latitude or longitude"}, 400
            )
        first = _param(query, "start_date", "0000-00-00")
        last = _param(query, "end_date", "9999-99-99")
        for body in self.data.weather:
            if (
                abs(body["latitude"] - latitude) < 1e-6
                and abs(body["longitude"] - longitude) < 1e-6
            ):
                return _json(_cut_days(body, first, last))
        return _json({"error": True, "reason": "no data for this grid point"}, 400)

    def openmeteo_forecast(self, query: dict[str, list[str]]) -> _Response:
        return _json(
            {
                "latitude": float(_param(query, "latitude", "0")),
                "longitude": float(_param(query, "longitude", "0")),
                "utc_offset_seconds": 0,
                "daily": {
                    "time": [],
                    "temperature_2m_max": [],
                    "temperature_2m_min": [],
                    "precipitation_sum": [],
                },
            }
        )


def _history_years(name: str) -> range | None:
    """Return the report years of a CFTC history zip name, or None if unknown."""
    if name == cftc_settings.MULTI_YEAR_FILE:
        return range(cftc_settings.FIRST_REPORT_YEAR, cftc_settings.MULTI_YEAR_LAST + 1)
    prefix, suffix = cftc_settings.YEAR_FILE.split("{year}")
    year = name.removeprefix(prefix).removesuffix(suffix)
    if name.startswith(prefix) and name.endswith(suffix) and year.isdigit():
        return range(int(year), int(year) + 1)
    return None


def _cut_days(body: dict[str, Any], first: str, last: str) -> dict[str, Any]:
    daily = body["daily"]
    keep = [i for i, day in enumerate(daily["time"]) if first <= day <= last]
    cut = {name: [values[i] for i in keep] for name, values in daily.items()}
    return {**body, "daily": cut}


class VendorServer:
    """Serve a landing folder on 127.0.0.1 on a free port, in a thread.

    Use as a context manager. `requests` counts the requests by path.
    `scrapecreators_page_size` is the number of posts per Reddit and Truth
    Social page.
    """

    def __init__(
        self,
        landing: Path,
        page_delay_s: float = PAGE_DELAY_S,
        reddit_queries: list[str] | None = None,
        scrapecreators_page_size: int = SCRAPECREATORS_PAGE_SIZE,
    ) -> None:
        self.page_delay_s = page_delay_s
        self.reddit_queries = reddit_queries or default_reddit_queries()
        data = VendorData(landing, self.reddit_queries)
        self.routes = VendorRoutes(data, scrapecreators_page_size)
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
                server._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def env(self, work_dir: Path) -> dict[str, str]:
        """Return the variables that point every served client at this server.

        Writes the news query list the server expects into `work_dir`. The
        result also removes `NOAA_TOKEN` (an empty value reads as unset), so
        the weather client asks Open-Meteo only.
        """
        work_dir.mkdir(parents=True, exist_ok=True)
        queries = work_dir / "news_search_queries.csv"
        buckets = default_taxonomy().buckets
        with queries.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["bucket", "platform", "query"])
            for bucket, text in zip(buckets, self.reddit_queries, strict=False):
                writer.writerow([bucket, "reddit", text])
        return {
            **_KEYS,
            "NOAA_TOKEN": "",
            "ZL_FRED_BASE_URL": f"{self.url}/fred",
            "ZL_FRED_SERIES": ",".join(sorted(self.routes.data.fred_observations)),
            "ZL_EIA_BASE_URL": f"{self.url}/eia/v2",
            "ZL_CFTC_BASE_URL": f"{self.url}/cftc",
            "ZL_CFTC_HISTORY_URL": f"{self.url}/cftc/history/",
            "ZL_SCRAPECREATORS_BASE_URL": f"{self.url}/scrapecreators",
            "ZL_NEWS_QUERIES": str(queries),
            "ZL_NEWS_REDDIT_PAGES": "100000",
            "ZL_TRUTHSOCIAL_ACCOUNTS": _truth_accounts(self.routes.data),
            "ZL_TRUTHSOCIAL_MAX_PAGES": "100000",
            "ZL_OPENMETEO_ARCHIVE_URL": f"{self.url}/openmeteo/archive",
            "ZL_OPENMETEO_FORECAST_URL": f"{self.url}/openmeteo/forecast",
        }

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        with self._lock:
            self.requests[parts.path] += 1
        started = time.monotonic()
        route = self.routes.find(parts.path)
        try:
            if route is None:
                log.warning("vendor server: no route for %s", parts.path)
                response = _json({"error": f"no route for {parts.path}"}, 404)
            else:
                response = route(query)
        except BadRequest as exc:
            log.warning("vendor server: bad request to %s: %s", parts.path, exc)
            response = _json({"error": str(exc)}, 400)
        except Exception:
            log.exception("vendor server: %s failed", parts.path)
            response = _json({"error": "internal error"}, 500)
        remaining = self.page_delay_s - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        handler.send_response(response.status)
        handler.send_header("Content-Type", response.content_type)
        handler.send_header("Content-Length", str(len(response.body)))
        handler.end_headers()
        handler.wfile.write(response.body)

    def __enter__(self) -> VendorServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def default_reddit_queries() -> list[str]:
    """Return one Reddit query per taxonomy bucket, so no query is derived."""
    return [f"zl benchmark {bucket}" for bucket in default_taxonomy().buckets]


def _truth_accounts(data: VendorData) -> str:
    handles = sorted({post["account"]["username"] for post in data.truth_posts})
    return ",".join(handles) or "SyntheticAccount"
