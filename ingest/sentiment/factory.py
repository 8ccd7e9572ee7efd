"""Choose, build and memoise the active scorer from the environment."""

from __future__ import annotations

import logging
import threading

from ingest.sentiment import settings
from ingest.sentiment.base import NullScorer, Scorer, ScorerUnavailableError
from ingest.sentiment.cache import CachedScorer, ScoreCache
from ingest.sentiment.lexicon import LexiconScorer

log = logging.getLogger(__name__)

_scorers: dict[tuple[object, ...], Scorer] = {}
_lock = threading.Lock()


def _config_key() -> tuple[object, ...]:
    return (
        settings.scorer_choice(),
        settings.model_id(),
        settings.allow_download(),
        settings.batch_size(),
        settings.precision(),
        settings.cache_path(),
    )


def _build(
    choice: str | None,
    model_id: str,
    batch_size: int,
    precision: str,
    cache: ScoreCache,
) -> Scorer:
    if choice == "none":
        return NullScorer()
    if choice == "lexicon":
        return CachedScorer(LexiconScorer(), cache)

    from ingest.sentiment.finbert import FinbertScorer

    try:
        model = FinbertScorer(
            model_id, batch_size, settings.allow_download(), precision=precision
        )
    except ScorerUnavailableError as exc:
        if choice == "finbert":
            raise ScorerUnavailableError(
                f"{exc}. ZL_SENTIMENT_SCORER=finbert needs the weights: put them in "
                "the Hugging Face cache, point ZL_SENTIMENT_MODEL at a local "
                "directory, or set ZL_SENTIMENT_ALLOW_DOWNLOAD=1"
            ) from exc
        fallback = LexiconScorer()
        log.warning(
            "FinBERT not used (%s); scoring with %s instead", exc, fallback.name
        )
        return CachedScorer(fallback, cache)
    return CachedScorer(model, cache)


def get_scorer() -> Scorer:
    """Return the scorer configured by the environment, built once per process.

    `ZL_SENTIMENT_SCORER` forces `none` (NULL scores), `lexicon` or `finbert`.
    Unset, FinBERT from `ZL_SENTIMENT_MODEL` at `ZL_SENTIMENT_PRECISION` is
    tried first, and when its weights cannot be loaded (or quantized, for
    int8) the lexicon scorer is used, with one WARNING giving the reason.
    Lexicon and FinBERT scores go through the SQLite cache at
    `ZL_SENTIMENT_CACHE`. A later call with the same settings returns the
    same object, so the model loads once and the warning is logged once.

    Raises:
        ScorerUnavailableError: `ZL_SENTIMENT_SCORER=finbert` and the model
            cannot be loaded.
        ValueError: a setting is invalid.
    """
    key = _config_key()
    with _lock:
        scorer = _scorers.get(key)
        if scorer is None:
            choice, model_id, _, batch_size, precision, cache_path = key
            scorer = _build(
                choice, model_id, batch_size, precision, ScoreCache(cache_path)
            )
            _scorers[key] = scorer
    return scorer
