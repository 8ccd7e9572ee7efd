"""Choosing the scorer, the offline fallback, the none scorer and the lexicon."""

from __future__ import annotations

import hashlib
import logging
import math
from pathlib import Path

import pytest

from ingest.sentiment import ScorerUnavailableError, get_scorer, settings
from ingest.sentiment.cache import CachedScorer, ScoreCache
from ingest.sentiment.lexicon import (
    NEUTRAL_LOGIT,
    LexiconScorer,
    count_hits,
    probabilities_from_hits,
)

LEXICON = "lexicon:zl-finance@1"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Point the scorer at a missing model folder and a fresh cache."""
    monkeypatch.setenv("ZL_SENTIMENT_MODEL", str(tmp_path / "no_such_model"))
    monkeypatch.setenv("ZL_SENTIMENT_CACHE", str(tmp_path / "cache.sqlite"))
    monkeypatch.delenv("ZL_SENTIMENT_SCORER", raising=False)
    monkeypatch.delenv("ZL_SENTIMENT_ALLOW_DOWNLOAD", raising=False)
    monkeypatch.delenv("ZL_SENTIMENT_BATCH_SIZE", raising=False)
    monkeypatch.delenv("ZL_SENTIMENT_PRECISION", raising=False)
    return monkeypatch


def test_fallback_uses_lexicon(env: pytest.MonkeyPatch) -> None:
    assert get_scorer().name == LEXICON


def test_fallback_warns_once(
    env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="ingest.sentiment")
    first = get_scorer()
    second = get_scorer()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert second is first
    assert len(warnings) == 1
    assert "no_such_model" in warnings[0].getMessage()


def test_fallback_scores_are_labelled(env: pytest.MonkeyPatch) -> None:
    result = get_scorer().score(["Quarterly profit rose sharply."])[0]
    assert result.scorer == LEXICON
    assert result.label == "positive"


def test_forced_finbert_fails_clearly(env: pytest.MonkeyPatch) -> None:
    env.setenv("ZL_SENTIMENT_SCORER", "finbert")
    with pytest.raises(ScorerUnavailableError, match="ZL_SENTIMENT_SCORER=finbert"):
        get_scorer()


def test_forced_lexicon_is_cached(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("ZL_SENTIMENT_SCORER", "lexicon")
    scorer = get_scorer()
    scorer.score(["Sales fell.", "Sales fell.", "Orders rose."])
    assert isinstance(scorer, CachedScorer)
    assert ScoreCache(tmp_path / "cache.sqlite").count(LEXICON) == 2


def test_none_scorer_returns_nulls(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("ZL_SENTIMENT_SCORER", "none")
    result = get_scorer().score(["Sales fell."])[0]
    assert result.scorer == "none"
    assert result.label is None
    assert result.positive is None
    assert result.negative is None
    assert result.neutral is None
    assert result.confidence is None
    assert result.truncated is False
    assert result.text_hash == hashlib.sha256(b"Sales fell.").hexdigest()
    assert not (tmp_path / "cache.sqlite").exists()


def test_invalid_scorer_choice(env: pytest.MonkeyPatch) -> None:
    env.setenv("ZL_SENTIMENT_SCORER", "vader")
    with pytest.raises(ValueError, match="ZL_SENTIMENT_SCORER"):
        get_scorer()


def test_invalid_batch_size(env: pytest.MonkeyPatch) -> None:
    env.setenv("ZL_SENTIMENT_BATCH_SIZE", "0")
    with pytest.raises(ValueError, match="ZL_SENTIMENT_BATCH_SIZE"):
        get_scorer()


def test_invalid_precision_setting(env: pytest.MonkeyPatch) -> None:
    env.setenv("ZL_SENTIMENT_PRECISION", "int4")
    with pytest.raises(ValueError, match="invalid ZL_SENTIMENT_PRECISION 'int4'"):
        get_scorer()


def test_precision_default_float32(env: pytest.MonkeyPatch) -> None:
    assert settings.precision() == "float32"


def test_precision_setting_case_folded(env: pytest.MonkeyPatch) -> None:
    env.setenv("ZL_SENTIMENT_PRECISION", " INT8 ")
    assert settings.precision() == "int8"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Operating profit rose to EUR 5 mn.", "positive"),
        ("The company reported a net loss.", "negative"),
        ("Net loss narrowed from a year earlier.", "positive"),
        ("Costs fell in the quarter.", "positive"),
        ("Orders fell sharply.", "negative"),
        ("Sales did not increase.", "negative"),
        ("The company had no losses.", "positive"),
        ("Prices rose.", "neutral"),
        ("The meeting is on Tuesday.", "neutral"),
        ("Strong demand, but weak margins.", "neutral"),
    ],
)
def test_lexicon_labels(text: str, label: str) -> None:
    assert LexiconScorer().score([text])[0].label == label


def test_lexicon_direction_pairs_once() -> None:
    # "fell" claims "costs", so only the later "loss" counts on its own.
    assert count_hits("Costs fell, but a loss followed.") == (1, 1)


def test_lexicon_softmax_without_hits() -> None:
    probabilities = probabilities_from_hits(0, 0)
    total = 2 + math.exp(NEUTRAL_LOGIT)
    assert probabilities["neutral"] == pytest.approx(math.exp(NEUTRAL_LOGIT) / total)
    assert probabilities["positive"] == pytest.approx(1 / total)
    assert sum(probabilities.values()) == pytest.approx(1.0)


def test_lexicon_confidence_is_max() -> None:
    result = LexiconScorer().score(["Profit rose and sales grew."])[0]
    assert result.confidence == max(result.positive, result.negative, result.neutral)
    assert result.truncated is False


def test_lexicon_empty_text_unscored() -> None:
    result = LexiconScorer().score([""])[0]
    assert result.label is None
    assert result.scorer == LEXICON
