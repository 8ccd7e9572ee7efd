"""Measure sentiment scoring throughput, cold and with a warm cache.

Run `python -m benchmarks.sentiment [--limit N]` from the project root: it
scores the Financial PhraseBank sentences with the active scorer (see
`ingest.sentiment.get_scorer`) against a cache in a temporary folder and
prints the figures. The scorer's one-time load is not counted.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ingest.sentiment import settings
from ingest.sentiment.base import NullScorer, Scorer
from ingest.sentiment.cache import CachedScorer, ScoreCache
from ingest.sentiment.evaluate import read_phrasebank


def _timed_pass(scorer: CachedScorer, texts: list[str]) -> tuple[float, int]:
    scored_before = scorer.texts_scored
    started = time.perf_counter()
    scorer.score(texts)
    return time.perf_counter() - started, scorer.texts_scored - scored_before


def measure_throughput(scorer: Scorer, texts: list[str]) -> dict[str, object]:
    """Score `texts` twice and return texts per second for each pass.

    The first (cold) pass runs against a fresh cache in a temporary folder,
    so every distinct text is scored. The second (warm) pass repeats the
    call and should score nothing again (`warm_texts_scored` 0). A
    `CachedScorer` is measured through its inner scorer, so its own cache
    file is neither read nor changed.

    Returns:
        scorer, texts, distinct_texts, cold_s, cold_texts_per_s,
        cold_texts_scored, warm_s, warm_texts_per_s and warm_texts_scored.
    """
    inner = scorer.inner if isinstance(scorer, CachedScorer) else scorer
    if isinstance(inner, NullScorer):
        raise ValueError("the none scorer scores nothing; choose lexicon or finbert")
    with tempfile.TemporaryDirectory(prefix="zl-sentiment-bench-") as folder:
        cached = CachedScorer(inner, ScoreCache(Path(folder) / "cache.sqlite"))
        cold_s, cold_scored = _timed_pass(cached, texts)
        warm_s, warm_scored = _timed_pass(cached, texts)
    return {
        "scorer": inner.name,
        "texts": len(texts),
        "distinct_texts": len(set(texts)),
        "cold_s": cold_s,
        "cold_texts_per_s": len(texts) / cold_s if cold_s else float("inf"),
        "cold_texts_scored": cold_scored,
        "warm_s": warm_s,
        "warm_texts_per_s": len(texts) / warm_s if warm_s else float("inf"),
        "warm_texts_scored": warm_scored,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    from ingest.sentiment import get_scorer

    path = args.file or settings.phrasebank_path()
    texts = [example.text for example in read_phrasebank(path, args.limit)]
    print(json.dumps(measure_throughput(get_scorer(), texts), indent=2))


if __name__ == "__main__":
    main()
