"""FinbertScorer's opt-in precision and the pipeline comparison's bookkeeping.

Everything runs on a tiny random BERT built here, and nothing is timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

from benchmarks.sentiment_pipeline import (
    MAX_PARAGRAPH_WORDS,
    SENTENCES_PER_PARAGRAPH,
    agreement,
    benchmark_texts,
    run_pipeline,
    run_scorer,
)
from ingest.sentiment.cache import CachedScorer, ScoreCache
from ingest.sentiment.finbert import FinbertScorer

WORDS = [
    "profit", "rose", "fell", "sales", "loss", "strong", "weak", "demand",
    "soybean", "oil", "prices", "china", "tariff", "exports", "record",
]  # fmt: skip
TEXTS = [
    "profit rose",
    "weak sales and a loss",
    "soybean oil prices fell",
    "strong demand",
    "china tariff on soybean exports",
    "record exports",
]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny_bert_speed")
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *WORDS])}
    torch.manual_seed(11)
    labels = {0: "positive", 1: "negative", 2: "neutral"}
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
        initializer_range=1.0,
        id2label=labels,
        label2id={label: i for i, label in labels.items()},
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    BertTokenizer(vocab=vocab).save_pretrained(folder)
    return folder


def test_bfloat16_name_has_suffix(model_dir: Path) -> None:
    exact = FinbertScorer(str(model_dir), 8, allow_download=False)
    fast = FinbertScorer(str(model_dir), 8, False, precision="bfloat16")
    assert fast.name == f"{exact.name}+bfloat16"


def test_invalid_precision_rejected(model_dir: Path) -> None:
    with pytest.raises(ValueError, match="invalid precision 'int4'"):
        FinbertScorer(str(model_dir), 8, False, precision="int4")


def test_bfloat16_scores_are_probabilities(model_dir: Path) -> None:
    scorer = FinbertScorer(str(model_dir), 8, False, precision="bfloat16")
    for result in scorer.score(TEXTS):
        total = result.positive + result.negative + result.neutral
        assert total == pytest.approx(1.0, abs=1e-6)
        assert result.label in ("positive", "negative", "neutral")


def test_cache_keeps_precisions_apart(model_dir: Path, tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "cache.sqlite")
    CachedScorer(FinbertScorer(str(model_dir), 8, False), cache).score(TEXTS)
    fast = CachedScorer(
        FinbertScorer(str(model_dir), 8, False, precision="bfloat16"), cache
    )
    fast.score(TEXTS)
    assert fast.cache_hits == 0
    assert fast.texts_scored == len(TEXTS)


def test_scores_independent_of_order(model_dir: Path) -> None:
    scorer = FinbertScorer(str(model_dir), 4, allow_download=False)
    forward = scorer.score(TEXTS)
    backward = scorer.score(TEXTS[::-1])
    assert [s.label for s in backward[::-1]] == [s.label for s in forward]
    for ahead, behind in zip(forward, backward[::-1], strict=True):
        assert ahead.positive == pytest.approx(behind.positive, abs=1e-6)


def test_pipeline_labels_agree(model_dir: Path) -> None:
    baseline = run_pipeline(model_dir, TEXTS)
    ours = run_scorer(model_dir, TEXTS, batch_size=4, precision="float32")
    assert ours.labels == baseline.labels
    assert agreement(ours.labels, baseline.labels) == 1.0


def test_sides_score_same_count(model_dir: Path) -> None:
    baseline = run_pipeline(model_dir, TEXTS)
    ours = run_scorer(model_dir, TEXTS, batch_size=4, precision="float32")
    assert ours.texts_scored == len(TEXTS)
    assert baseline.texts_scored == len(TEXTS)


def test_agreement_counts_matches() -> None:
    assert agreement(["positive", "neutral"], ["positive", "negative"]) == 0.5


def test_agreement_rejects_lengths() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        agreement(["positive"], [])


def test_benchmark_texts_distinct(tmp_path: Path) -> None:
    bank = tmp_path / "bank.txt"
    lines = [f"Sentence number {i} .@neutral" for i in range(12)]
    bank.write_text("\n".join([*lines, lines[0]]) + "\n")
    texts = benchmark_texts(bank, sentences=10, paragraphs=3)
    assert len(texts) == 13
    assert len(set(texts)) == 13
    assert texts[10].count("Sentence number") == SENTENCES_PER_PARAGRAPH


def test_benchmark_texts_too_few(tmp_path: Path) -> None:
    bank = tmp_path / "bank.txt"
    bank.write_text("Profit rose .@positive\nProfit rose .@positive\n")
    with pytest.raises(ValueError, match="1 distinct sentences"):
        benchmark_texts(bank, sentences=2, paragraphs=0)


def test_benchmark_paragraphs_capped(tmp_path: Path) -> None:
    bank = tmp_path / "bank.txt"
    long_words = " ".join(["word"] * (MAX_PARAGRAPH_WORDS + 20))
    short = [f"Short sentence {i} .@neutral" for i in range(8)]
    bank.write_text("\n".join([*short, f"{long_words} .@neutral"]) + "\n")
    texts = benchmark_texts(bank, sentences=0, paragraphs=5)
    assert len(texts) == 5
    for paragraph in texts:
        assert len(paragraph.split()) <= MAX_PARAGRAPH_WORDS
