"""The score record, the scorer protocol and the scorer that scores nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

# The three classes every scorer reports, in the order used by reports.
LABELS: tuple[str, ...] = ("negative", "neutral", "positive")

NULL_SCORER_NAME = "none"


class ScorerUnavailableError(RuntimeError):
    """Raised when a requested scorer cannot be loaded, with the reason."""


@dataclass(frozen=True)
class SentimentScore:
    """Sentiment of one text, as stored in the raw text tables.

    Probabilities are None when the text was not scored (the `none` scorer,
    or an empty text).
    """

    label: str | None  # from the model's id2label, lower-cased
    positive: float | None
    negative: float | None
    neutral: float | None
    confidence: float | None  # max class probability
    truncated: bool  # the text was longer than the model's token limit
    scorer: str  # e.g. "finbert:ProsusAI/finbert@<rev>", "lexicon:zl-finance@1"
    text_hash: str  # sha256 of the text as given, hex


class Scorer(Protocol):
    """Anything that scores texts; `score` keeps the order of `texts`."""

    name: str

    def score(self, texts: list[str]) -> list[SentimentScore]: ...


def text_hash(text: str) -> str:
    """Return the sha256 hex digest of `text` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unscored(text: str, scorer: str) -> SentimentScore:
    """Return a score with every value NULL, recording `scorer`."""
    return SentimentScore(
        label=None,
        positive=None,
        negative=None,
        neutral=None,
        confidence=None,
        truncated=False,
        scorer=scorer,
        text_hash=text_hash(text),
    )


def from_probabilities(
    text: str, probabilities: dict[str, float], truncated: bool, scorer: str
) -> SentimentScore:
    """Build a score from class probabilities keyed by lower-case label.

    The label is the most probable class; on an exact tie the class listed
    first in `probabilities` wins.
    """
    label = max(probabilities, key=lambda name: probabilities[name])
    return SentimentScore(
        label=label,
        positive=probabilities["positive"],
        negative=probabilities["negative"],
        neutral=probabilities["neutral"],
        confidence=probabilities[label],
        truncated=truncated,
        scorer=scorer,
        text_hash=text_hash(text),
    )


class NullScorer:
    """Scorer that returns NULL scores with scorer name "none"; it loads nothing."""

    name = NULL_SCORER_NAME

    def score(self, texts: list[str]) -> list[SentimentScore]:
        return [unscored(text, self.name) for text in texts]
