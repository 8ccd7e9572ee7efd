"""Sentiment columns of the text tables, from `ingest.sentiment`.

The scorer package is imported on first use, not at import time, so the
loaders work while it is absent. Then every row gets NULL scores with scorer
`none`, and a warning is logged once unless `ZL_SENTIMENT_SCORER=none`
requested exactly that. Empty texts (media-only posts) are never sent to the
scorer and get NULL scores with scorer `none`.
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import Any

from ingest.schema import Column

log = logging.getLogger(__name__)

UNSCORED = "none"
_missing_warned = False

SENTIMENT_COLUMNS: tuple[Column, ...] = (
    Column(
        "sentiment_label",
        "text",
        description="Model label, lower-cased; NULL when unscored",
    ),
    Column(
        "sentiment_positive", "double", description="Probability of the positive class"
    ),
    Column(
        "sentiment_negative", "double", description="Probability of the negative class"
    ),
    Column(
        "sentiment_neutral", "double", description="Probability of the neutral class"
    ),
    Column("sentiment_confidence", "double", description="Maximum class probability"),
    Column(
        "sentiment_truncated",
        "bool",
        description="The text was longer than the model's token limit",
    ),
    Column(
        "sentiment_scorer",
        "text",
        nullable=False,
        description="Scorer and model, e.g. finbert:ProsusAI/finbert; "
        "`none` when unscored",
    ),
    Column(
        "text_hash",
        "text",
        nullable=False,
        description="sha256 of the cleaned text, hex",
    ),
)
SENTIMENT_NAMES = tuple(column.name for column in SENTIMENT_COLUMNS)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unscored(text: str) -> dict[str, Any]:
    """Return the sentiment columns of a text that was not scored."""
    return {
        "sentiment_label": None,
        "sentiment_positive": None,
        "sentiment_negative": None,
        "sentiment_neutral": None,
        "sentiment_confidence": None,
        "sentiment_truncated": False,
        "sentiment_scorer": UNSCORED,
        "text_hash": text_hash(text),
    }


def _scorer() -> Any | None:
    """Return the scorer the environment configures, or None without the package.

    `get_scorer` builds each configuration once per process, so calling it
    per batch is cheap and follows changes of the environment.
    """
    global _missing_warned
    try:
        from ingest.sentiment import get_scorer
    except ModuleNotFoundError as exc:
        if exc.name is None or not exc.name.startswith("ingest.sentiment"):
            raise
        requested = os.environ.get("ZL_SENTIMENT_SCORER", "").strip().lower()
        if requested != UNSCORED and not _missing_warned:
            log.warning("ingest.sentiment is not installed; texts are stored unscored")
            _missing_warned = True
        return None
    return get_scorer()


def score_texts(texts: list[str]) -> list[dict[str, Any]]:
    """Return the sentiment columns of each text, in order, with one scorer call.

    Duplicate texts are scored once. Empty texts are not scored.
    """
    results = [unscored(text) for text in texts]
    scorer = _scorer()
    unique = list(dict.fromkeys(text for text in texts if text))
    if scorer is None or not unique:
        return results
    scores = scorer.score(unique)
    if len(scores) != len(unique):
        raise RuntimeError(
            f"sentiment scorer {getattr(scorer, 'name', scorer)!r} returned "
            f"{len(scores)} scores for {len(unique)} texts"
        )
    by_text = dict(zip(unique, scores, strict=True))
    for index, text in enumerate(texts):
        score = by_text.get(text)
        if score is None:
            continue
        results[index] = {
            "sentiment_label": score.label,
            "sentiment_positive": score.positive,
            "sentiment_negative": score.negative,
            "sentiment_neutral": score.neutral,
            "sentiment_confidence": score.confidence,
            "sentiment_truncated": bool(score.truncated),
            "sentiment_scorer": score.scorer,
            "text_hash": score.text_hash or text_hash(text),
        }
    return results
