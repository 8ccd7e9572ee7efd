"""A persistent score cache in SQLite, and the scorer wrapper that uses it.

The cache is keyed by (text hash, scorer name). A FinBERT scorer name
contains the model revision, so new weights never reuse old scores. SQLite
from the standard library keeps the cache apart from the DuckDB warehouse
and its lock. Each operation opens its own connection, so loader processes
running in parallel can share one file.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ingest.sentiment.base import Scorer, SentimentScore, text_hash

log = logging.getLogger(__name__)

# SQLite before 3.32 binds at most 999 parameters per statement, so lookups
# go in chunks below that.
_QUERY_CHUNK = 500
_BUSY_TIMEOUT_S = 60.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sentiment_scores (
    text_hash TEXT NOT NULL,
    scorer TEXT NOT NULL,
    label TEXT,
    positive REAL,
    negative REAL,
    neutral REAL,
    confidence REAL,
    truncated INTEGER NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (text_hash, scorer)
)
"""


class ScoreCache:
    """Scores stored in a SQLite file, created on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S)) as conn:
            if not self._ready:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(_SCHEMA)
                conn.commit()
                self._ready = True
            with conn:
                yield conn

    def get_many(self, scorer: str, hashes: Iterable[str]) -> dict[str, SentimentScore]:
        """Return the cached scores of `scorer` for `hashes`, keyed by text hash."""
        requested = list(dict.fromkeys(hashes))
        found: dict[str, SentimentScore] = {}
        if not requested:
            return found
        with self._connect() as conn:
            for start in range(0, len(requested), _QUERY_CHUNK):
                chunk = requested[start : start + _QUERY_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT text_hash, label, positive, negative, neutral, "
                    "confidence, truncated FROM sentiment_scores "
                    f"WHERE scorer = ? AND text_hash IN ({marks})",
                    [scorer, *chunk],
                )
                for row in rows:
                    found[row[0]] = SentimentScore(
                        label=row[1],
                        positive=row[2],
                        negative=row[3],
                        neutral=row[4],
                        confidence=row[5],
                        truncated=bool(row[6]),
                        scorer=scorer,
                        text_hash=row[0],
                    )
        return found

    def put_many(self, scores: Iterable[SentimentScore]) -> int:
        """Store `scores`, replacing rows with the same key, and return how many."""
        scored_at = datetime.now(UTC).isoformat()
        rows = [
            (
                s.text_hash,
                s.scorer,
                s.label,
                s.positive,
                s.negative,
                s.neutral,
                s.confidence,
                int(s.truncated),
                scored_at,
            )
            for s in scores
        ]
        if not rows:
            return 0
        with self._connect() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO sentiment_scores VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
        return len(rows)

    def count(self, scorer: str | None = None) -> int:
        """Return the number of cached scores, for one scorer or all."""
        with self._connect() as conn:
            if scorer is None:
                row = conn.execute("SELECT count(*) FROM sentiment_scores").fetchone()
            else:
                row = conn.execute(
                    "SELECT count(*) FROM sentiment_scores WHERE scorer = ?",
                    (scorer,),
                ).fetchone()
        return int(row[0])


class CachedScorer:
    """Scorer that sends each distinct text to `inner` once.

    Texts already in the cache, and repeats within one call, are not scored
    again. Unscored results (label None, such as for an empty text) are not
    stored.

    Attributes:
        cache_hits: distinct texts returned from the cache so far.
        texts_scored: distinct texts sent to the inner scorer so far.
    """

    def __init__(self, inner: Scorer, cache: ScoreCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.cache_hits = 0
        self.texts_scored = 0

    def score(self, texts: list[str]) -> list[SentimentScore]:
        hashes = [text_hash(text) for text in texts]
        known = self.cache.get_many(self.name, hashes)
        missing: dict[str, str] = {}
        for digest, text in zip(hashes, texts, strict=True):
            if digest not in known:
                missing.setdefault(digest, text)
        self.cache_hits += len(set(hashes)) - len(missing)
        if missing:
            fresh = self.inner.score(list(missing.values()))
            self.texts_scored += len(missing)
            stored = self.cache.put_many(s for s in fresh if s.label is not None)
            log.debug(
                "scored %d texts with %s, cached %d", len(fresh), self.name, stored
            )
            known.update((s.text_hash, s) for s in fresh)
        return [known[digest] for digest in hashes]
