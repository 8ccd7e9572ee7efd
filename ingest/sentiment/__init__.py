"""Sentiment scores for the text sources, computed once per distinct text.

`get_scorer().score(texts)` returns one `SentimentScore` per text, in order.
The scorer is FinBERT (`ZL_SENTIMENT_MODEL`, default `ProsusAI/finbert`)
when its weights are available offline, else a small built-in lexicon
scorer; `ZL_SENTIMENT_SCORER=none|lexicon|finbert` forces one. Every score
records the scorer that produced it, and scores are cached in SQLite at
`ZL_SENTIMENT_CACHE` (default `data/sentiment_cache.sqlite`).

This package defines no `SOURCE`: it loads nothing by itself. Importing it
does not import torch; the model code loads on first use.
"""

from ingest.sentiment.base import (
    LABELS,
    Scorer,
    ScorerUnavailableError,
    SentimentScore,
    text_hash,
)
from ingest.sentiment.factory import get_scorer

__all__ = [
    "LABELS",
    "Scorer",
    "ScorerUnavailableError",
    "SentimentScore",
    "get_scorer",
    "text_hash",
]
