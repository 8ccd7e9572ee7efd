"""The FinBERT code paths, run on a tiny BERT classifier built in the test.

The model has random weights (a large init range, so outputs differ between
texts) and an unusual label order, so label mapping mistakes show up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from ingest.sentiment import get_scorer, text_hash
from ingest.sentiment.cache import CachedScorer, ScoreCache
from ingest.sentiment.finbert import FinbertScorer
from tests.tiny_bert import save_random_bert

WORDS = [
    "the", "company", "profit", "rose", "fell", "sales", "loss", "strong",
    "weak", "demand", "soybean", "oil", "prices", "china", "tariff",
    "farmers", "exports", "record", "quarter", "net", "operating",
]  # fmt: skip
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
ID2LABEL = {0: "NEUTRAL", 1: "Negative", 2: "positive"}
MAX_POSITIONS = 16

SHORT_TEXTS = [
    "profit rose",
    "the company reported weak sales and a loss",
    "soybean oil prices fell",
    "strong demand",
    "china tariff on soybean exports hurt farmers",
]
# 35 words split into chunks of 14, 14 and 7 content tokens (16 with [CLS]
# and [SEP]), so the chunk weights differ.
LONG_TEXT = " ".join(WORDS + WORDS[:14])


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny_bert")
    return save_random_bert(folder, SPECIAL + WORDS, ID2LABEL, 7, MAX_POSITIONS)


def load(model_dir: Path, batch_size: int = 32) -> FinbertScorer:
    return FinbertScorer(str(model_dir), batch_size, allow_download=False)


def direct_probabilities(scorer: FinbertScorer, token_ids: list[int]) -> list[float]:
    """Run the model on one sequence of content token ids, without padding."""
    ids = [scorer.tokenizer.cls_token_id, *token_ids, scorer.tokenizer.sep_token_id]
    with torch.inference_mode():
        logits = scorer.model(input_ids=torch.tensor([ids])).logits
    return logits.softmax(dim=-1)[0].tolist()


def test_labels_read_from_id2label(model_dir: Path) -> None:
    scorer = load(model_dir)
    assert scorer.labels == ["neutral", "negative", "positive"]


def test_probabilities_follow_label_order(model_dir: Path) -> None:
    scorer = load(model_dir)
    text = "the company reported weak sales"
    expected = direct_probabilities(scorer, scorer.tokenizer.encode(text)[1:-1])
    result = scorer.score([text])[0]
    assert result.neutral == pytest.approx(expected[0], abs=1e-6)
    assert result.negative == pytest.approx(expected[1], abs=1e-6)
    assert result.positive == pytest.approx(expected[2], abs=1e-6)
    assert (
        result.label
        == ["neutral", "negative", "positive"][expected.index(max(expected))]
    )
    assert result.confidence == pytest.approx(max(expected), abs=1e-6)


def test_probabilities_sum_to_one(model_dir: Path) -> None:
    result = load(model_dir).score(["strong demand"])[0]
    assert result.positive + result.negative + result.neutral == pytest.approx(1.0)


def test_max_length_from_positions(model_dir: Path) -> None:
    assert load(model_dir).max_length == MAX_POSITIONS


def test_name_has_model_and_revision(model_dir: Path) -> None:
    name = load(model_dir).name
    prefix, revision = name.rsplit("@", 1)
    assert prefix == f"finbert:{model_dir}"
    assert len(revision) == 12


def test_revision_changes_with_weights(model_dir: Path, tmp_path: Path) -> None:
    first = load(model_dir)
    copy = tmp_path / "copy"
    first.model.classifier.bias.data += 1.0
    first.model.save_pretrained(copy)
    first.tokenizer.save_pretrained(copy)
    renamed = load(copy).name.rsplit("@", 1)[1]
    assert renamed != first.name.rsplit("@", 1)[1]


def test_batched_equals_single(model_dir: Path) -> None:
    texts = [*SHORT_TEXTS, LONG_TEXT]
    batched = load(model_dir, batch_size=4).score(texts)
    single_scorer = load(model_dir, batch_size=1)
    for text, together in zip(texts, batched, strict=True):
        alone = single_scorer.score([text])[0]
        for field in ("positive", "negative", "neutral", "confidence"):
            assert getattr(together, field) == pytest.approx(
                getattr(alone, field), abs=1e-6
            ), (text, field)
        assert together.label == alone.label, text


def test_long_text_flagged_truncated(model_dir: Path) -> None:
    short, long = load(model_dir).score(["profit rose", LONG_TEXT])
    assert long.truncated is True
    assert short.truncated is False


def test_long_text_chunks_weighted(model_dir: Path) -> None:
    scorer = load(model_dir)
    content = scorer.tokenizer.encode(LONG_TEXT)[1:-1]
    per_chunk = MAX_POSITIONS - 2
    chunks = [content[i : i + per_chunk] for i in range(0, len(content), per_chunk)]
    weighted = [0.0, 0.0, 0.0]
    for chunk in chunks:
        for k, p in enumerate(direct_probabilities(scorer, chunk)):
            weighted[k] += len(chunk) * p
    expected = [value / len(content) for value in weighted]
    result = scorer.score([LONG_TEXT])[0]
    assert [len(chunk) for chunk in chunks] == [14, 14, 7]
    assert result.neutral == pytest.approx(expected[0], abs=1e-6)
    assert result.negative == pytest.approx(expected[1], abs=1e-6)
    assert result.positive == pytest.approx(expected[2], abs=1e-6)


def test_empty_text_unscored(model_dir: Path) -> None:
    scorer = load(model_dir)
    result = scorer.score(["  "])[0]
    assert result.label is None
    assert result.positive is None
    assert result.scorer == scorer.name
    assert scorer.forward_calls == 0


def test_duplicates_scored_once(model_dir: Path) -> None:
    scorer = load(model_dir)
    results = scorer.score(["profit rose", "strong demand", "profit rose"])
    assert scorer.texts_scored == 2
    assert results[0] == results[2]


def test_output_keeps_input_order(model_dir: Path) -> None:
    texts = [LONG_TEXT, *SHORT_TEXTS]
    results = load(model_dir, batch_size=2).score(texts)
    assert [r.text_hash for r in results] == [text_hash(t) for t in texts]


def test_cache_skips_second_call(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_SENTIMENT_MODEL", str(model_dir))
    monkeypatch.setenv("ZL_SENTIMENT_CACHE", str(tmp_path / "cache.sqlite"))
    monkeypatch.delenv("ZL_SENTIMENT_SCORER", raising=False)
    scorer = get_scorer()
    assert isinstance(scorer, CachedScorer)
    calls: list[int] = []
    scorer.inner.model.register_forward_hook(lambda *_: calls.append(1))

    first = scorer.score(SHORT_TEXTS)
    calls_after_first = len(calls)
    second = scorer.score(SHORT_TEXTS)
    assert calls_after_first == 1
    assert len(calls) == calls_after_first
    assert second == first
    assert scorer.cache_hits == len(SHORT_TEXTS)


def test_cache_persists_across_scorers(model_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    first = CachedScorer(load(model_dir), ScoreCache(path))
    expected = first.score(SHORT_TEXTS)

    second = CachedScorer(load(model_dir), ScoreCache(path))
    calls: list[int] = []
    second.inner.model.register_forward_hook(lambda *_: calls.append(1))
    results = second.score(SHORT_TEXTS)
    assert calls == []
    assert second.texts_scored == 0
    assert results == expected
    assert ScoreCache(path).count(first.name) == len(SHORT_TEXTS)


def test_cache_scores_only_new_texts(model_dir: Path, tmp_path: Path) -> None:
    scorer = CachedScorer(load(model_dir), ScoreCache(tmp_path / "cache.sqlite"))
    scorer.score(SHORT_TEXTS[:3])
    scorer.score(SHORT_TEXTS)
    assert scorer.texts_scored == len(SHORT_TEXTS)
    assert scorer.inner.texts_scored == len(SHORT_TEXTS)
