"""Environment settings of the sentiment scorer, with their defaults."""

from __future__ import annotations

import os
from pathlib import Path

from ingest.sentiment.finbert import PRECISIONS
from ingest.settings import PROJECT_ROOT

DEFAULT_MODEL = "ProsusAI/finbert"
DEFAULT_BATCH_SIZE = 32
DEFAULT_PRECISION = "float32"
DEFAULT_CACHE_PATH = "data/sentiment_cache.sqlite"
PHRASEBANK_FILE_NAME = "financial_phrasebank_v1.0_Sentences_AllAgree.txt"

SCORER_CHOICES = ("none", "lexicon", "finbert")


def model_id() -> str:
    """Return `$ZL_SENTIMENT_MODEL`: a Hugging Face model id or a local directory."""
    return os.environ.get("ZL_SENTIMENT_MODEL") or DEFAULT_MODEL


def allow_download() -> bool:
    """Return whether `$ZL_SENTIMENT_ALLOW_DOWNLOAD` is `1`.

    Without it, weights are read only from a local directory or the Hugging
    Face cache.
    """
    return os.environ.get("ZL_SENTIMENT_ALLOW_DOWNLOAD", "") == "1"


def batch_size() -> int:
    """Return `$ZL_SENTIMENT_BATCH_SIZE`, the maximum sequences per forward pass.

    Raises:
        ValueError: the value is not a positive integer.
    """
    text = os.environ.get("ZL_SENTIMENT_BATCH_SIZE", "")
    if not text:
        return DEFAULT_BATCH_SIZE
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(
            f"invalid ZL_SENTIMENT_BATCH_SIZE {text!r}; expected a positive integer"
        )
    return value


def precision() -> str:
    """Return `$ZL_SENTIMENT_PRECISION`, FinBERT's forward-pass precision.

    Unset or empty means float32. `int8` (CPU only) and `bfloat16` can
    change labels, so their scores are cached under a scorer name of their
    own.

    Raises:
        ValueError: the value is not one of float32, bfloat16 or int8.
    """
    return _choice("ZL_SENTIMENT_PRECISION", PRECISIONS) or DEFAULT_PRECISION


def cache_path() -> Path:
    """Return the score cache file, `$ZL_SENTIMENT_CACHE`.

    A relative path is taken from the project root, like the warehouse path.
    """
    path = Path(os.environ.get("ZL_SENTIMENT_CACHE") or DEFAULT_CACHE_PATH)
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return path


def scorer_choice() -> str | None:
    """Return the forced scorer from `$ZL_SENTIMENT_SCORER`, or None for automatic.

    Raises:
        ValueError: the value is not one of none, lexicon or finbert.
    """
    return _choice("ZL_SENTIMENT_SCORER", SCORER_CHOICES)


def phrasebank_path() -> Path:
    """Return the Financial PhraseBank file used by `zl sentiment eval`.

    `$ZL_PHRASEBANK_FILE` wins. Otherwise the AllAgree file in the
    `sentiment_eval` folder of the recorded data folder (`$ZL_REALDATA_DIR`,
    with the same default as the tests).
    """
    explicit = os.environ.get("ZL_PHRASEBANK_FILE")
    if explicit:
        return Path(explicit)
    realdata = os.environ.get("ZL_REALDATA_DIR")
    root = Path(realdata) if realdata else PROJECT_ROOT.parent / "shared" / "realdata"
    return root / "sentiment_eval" / PHRASEBANK_FILE_NAME


def _choice(variable: str, choices: tuple[str, ...]) -> str | None:
    """Return `$variable` lowercased, or None when it is unset or empty.

    Raises:
        ValueError: the value is not one of `choices`.
    """
    text = os.environ.get(variable, "").strip().lower()
    if not text:
        return None
    if text not in choices:
        raise ValueError(
            f"invalid {variable} {text!r}; "
            f"expected one of {', '.join(choices)} or unset"
        )
    return text
