"""The contract every source package fulfils.

A source package `ingest/<name>/` exposes `SOURCE`, a `SourceSpec` that declares
which raw tables it fills and how to produce Arrow batches for them from the
vendor's files or from its live API. The runner does the rest: dlt, the
warehouse lock and the run ledger.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa

from ingest.http import HttpClient, RetryPolicy
from ingest.schema import TableSpec
from ingest.scrub import scrub

log = logging.getLogger(__name__)

# How many times one skip reason is logged in full before only being counted.
SKIP_LOG_LIMIT = 5


class SourceFormatError(ValueError):
    """Raised when a vendor file or response is malformed as a whole.

    The message names the source, the file or URL and the field or line, so
    the user can find the bad input. Single bad rows are skipped and counted
    through `LoadContext.skip` instead.
    """


class NoLiveApiError(RuntimeError):
    """Raised by `fetch_api` of a source that only reads files."""


@dataclass(frozen=True)
class Window:
    """Inclusive date range requested with `--start` and `--end` (None = open)."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValueError(
                f"invalid date window: start {self.start} is after end {self.end}"
            )

    def contains(self, day: date) -> bool:
        after_start = self.start is None or day >= self.start
        before_end = self.end is None or day <= self.end
        return after_start and before_end


@dataclass
class LoadContext:
    """Inputs of a source's read or fetch function for one run."""

    source: str
    window: Window = field(default_factory=Window)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    skips: Counter[str] = field(default_factory=Counter)
    notes: dict[str, object] = field(default_factory=dict)

    def skip(self, reason: str, detail: str = "", count: int = 1) -> None:
        """Count `count` input rows dropped for `reason`, logging the first few.

        Use a short, stable reason ("invalid date", "sentinel price") so the
        counts group; put the file, line or id in `detail`.
        """
        self.skips[reason] += count
        if self.skips[reason] <= SKIP_LOG_LIMIT:
            log.warning(
                "%s: skipped %d row(s): %s %s",
                self.source,
                count,
                reason,
                scrub(detail),
            )
        elif self.skips[reason] - count < SKIP_LOG_LIMIT + 1:
            log.warning("%s: further '%s' skips are counted only", self.source, reason)

    def http(self, headers: dict[str, str] | None = None) -> HttpClient:
        return HttpClient(self.source, self.retry, headers=headers)


Batch = tuple[TableSpec, pa.Table]
ReadFiles = Callable[[Path, LoadContext], Iterator[Batch]]
FetchApi = Callable[[LoadContext], Iterator[Batch]]


@dataclass(frozen=True)
class SourceSpec:
    """One source: its name, landing folder, raw tables and readers.

    Attributes:
        name: the name used on the command line and in `ops` tables.
        folder: the sub-folder of a `--from-dir` landing folder it reads.
        tables: the raw tables it fills.
        read_files: yields batches from the vendor's files in a folder.
        fetch_api: yields batches from the live API.
        retry: attempts and backoff for its HTTP requests.
        description: one line for `zl status` and the docs.
        live_api: False for a source read only from files, which no
            scheduled job can load.
    """

    name: str
    folder: str
    tables: tuple[TableSpec, ...]
    read_files: ReadFiles
    fetch_api: FetchApi
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    description: str = ""
    live_api: bool = True
