"""FinbertScorer's opt-in precisions, batching and the pipeline comparison.

Most tests run on a tiny random BERT built here. The int8 label tests use
a tiny BERT trained here for a few steps on made-up sentences, so its
labels depend on the words and int8 has real margins to keep. Nothing is
timed.
"""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import pytest
import torch
from torch.ao.nn.quantized.dynamic import Linear as DynamicQuantizedLinear
from transformers import BertForSequenceClassification, BertTokenizer

from benchmarks.sentiment_pipeline import (
    MAX_PARAGRAPH_WORDS,
    SENTENCES_PER_PARAGRAPH,
    SideResult,
    agreement,
    agreement_notes,
    benchmark_texts,
    comparisons,
    label_counts,
    max_probability_difference,
    min_label_margin,
    run_pipeline,
    run_scorer,
)
from ingest.sentiment import get_scorer
from ingest.sentiment.base import SentimentScore, from_probabilities
from ingest.sentiment.cache import CachedScorer, ScoreCache
from ingest.sentiment.finbert import FinbertScorer, length_batches
from tests.tiny_bert import save_random_bert, tiny_bert_config

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

# Vocabulary and labelling rule of the trained model: a sentence with a
# POSITIVE word is positive, one with a NEGATIVE word negative, else neutral.
POSITIVE = ["profit", "rose", "strong", "record", "growth", "gained"]
NEGATIVE = ["loss", "fell", "weak", "cut", "decline", "dropped"]
NEUTRAL = ["the", "company", "soybean", "oil", "quarter", "meeting", "prices"]
TRAINED_LABELS = {0: "positive", 1: "negative", 2: "neutral"}
# int8 probabilities may differ from float32's by this much. The trained
# model's largest difference was about 0.002 (torch 2.13, x86 quantized
# engine, 2-core AMD EPYC).
INT8_TOLERANCE = 0.02


def labelled_sentence(rng: random.Random) -> tuple[str, int]:
    """Return a made-up sentence and its class id under the labelling rule."""
    label = rng.randrange(3)
    words = rng.sample(NEUTRAL, rng.randint(1, 4))
    if label == 0:
        words += rng.sample(POSITIVE, rng.randint(1, 2))
    elif label == 1:
        words += rng.sample(NEGATIVE, rng.randint(1, 2))
    rng.shuffle(words)
    return " ".join(words), label


def held_out_examples() -> list[tuple[str, str]]:
    """Return 40 distinct sentences and labels drawn apart from the training data."""
    rng = random.Random(101)
    examples: dict[str, str] = {}
    while len(examples) < 40:
        text, label = labelled_sentence(rng)
        examples[text] = TRAINED_LABELS[label]
    return list(examples.items())


HELD_OUT = held_out_examples()
HELD_OUT_TEXTS = [text for text, _ in HELD_OUT]


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Train a 2-layer BERT for 60 AdamW steps (a few seconds on a CPU)."""
    folder = tmp_path_factory.mktemp("tiny_bert_trained")
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokens = [*specials, *POSITIVE, *NEGATIVE, *NEUTRAL]
    tokenizer = BertTokenizer(vocab={token: i for i, token in enumerate(tokens)})
    torch.manual_seed(5)
    config = tiny_bert_config(len(tokens), TRAINED_LABELS, hidden_size=32, layers=2)
    model = BertForSequenceClassification(config)

    rng = random.Random(3)
    examples = [labelled_sentence(rng) for _ in range(256)]
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for step in range(60):
        start = (step * 32) % len(examples)
        batch = examples[start : start + 32]
        inputs = tokenizer(
            [text for text, _ in batch], padding=True, return_tensors="pt"
        )
        targets = torch.tensor([label for _, label in batch])
        loss = model(**inputs, labels=targets).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny_bert_speed")
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", *WORDS]
    labels = {0: "positive", 1: "negative", 2: "neutral"}
    return save_random_bert(folder, tokens, labels, 11)


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


@pytest.mark.parametrize("precision", ["bfloat16", "int8"])
def test_cache_keeps_precisions_apart(
    model_dir: Path, tmp_path: Path, precision: str
) -> None:
    cache = ScoreCache(tmp_path / "cache.sqlite")
    CachedScorer(FinbertScorer(str(model_dir), 8, False), cache).score(TEXTS)
    fast = CachedScorer(
        FinbertScorer(str(model_dir), 8, False, precision=precision), cache
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


def test_int8_name_has_suffix(model_dir: Path) -> None:
    exact = FinbertScorer(str(model_dir), 8, allow_download=False)
    small = FinbertScorer(str(model_dir), 8, False, precision="int8")
    assert small.name == f"{exact.name}+int8"


def test_int8_quantizes_encoder_only(model_dir: Path) -> None:
    model = FinbertScorer(str(model_dir), 8, False, precision="int8").model
    layer = model.bert.encoder.layer[0]
    assert isinstance(layer.attention.self.query, DynamicQuantizedLinear)
    assert isinstance(layer.intermediate.dense, DynamicQuantizedLinear)
    assert isinstance(model.bert.pooler.dense, DynamicQuantizedLinear)
    assert not isinstance(model.classifier, DynamicQuantizedLinear)
    assert isinstance(model.classifier, torch.nn.Linear)


def test_int8_loads_with_warnings_as_errors(model_dir: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scorer = FinbertScorer(str(model_dir), 8, False, precision="int8")
        results = scorer.score(TEXTS)
    assert len(results) == len(TEXTS)


def test_int8_runs_on_cpu(model_dir: Path) -> None:
    scorer = FinbertScorer(str(model_dir), 8, False, precision="int8")
    assert scorer.device.type == "cpu"


def test_trained_model_follows_rule(trained_dir: Path) -> None:
    # Guards the int8 tests below: a model that gave every text one label,
    # like the random ones, could not show int8 flipping a label.
    scores = FinbertScorer(str(trained_dir), 8, False).score(HELD_OUT_TEXTS)
    labels = [score.label for score in scores]
    correct = sum(
        label == expected for label, (_, expected) in zip(labels, HELD_OUT, strict=True)
    )
    assert set(labels) == {"positive", "negative", "neutral"}
    assert correct >= 0.9 * len(HELD_OUT)


def test_int8_labels_match_float32(trained_dir: Path) -> None:
    exact = FinbertScorer(str(trained_dir), 8, False).score(HELD_OUT_TEXTS)
    small = FinbertScorer(str(trained_dir), 8, False, precision="int8").score(
        HELD_OUT_TEXTS
    )
    assert [s.label for s in small] == [s.label for s in exact]


def test_int8_probabilities_close(trained_dir: Path) -> None:
    exact = FinbertScorer(str(trained_dir), 8, False).score(HELD_OUT_TEXTS)
    small = FinbertScorer(str(trained_dir), 8, False, precision="int8").score(
        HELD_OUT_TEXTS
    )
    for text, ours, reference in zip(HELD_OUT_TEXTS, small, exact, strict=True):
        for field in ("positive", "negative", "neutral"):
            assert getattr(ours, field) == pytest.approx(
                getattr(reference, field), abs=INT8_TOLERANCE
            ), (text, field)


def test_int8_changes_probabilities(trained_dir: Path) -> None:
    # Without this, the two tests above would also pass if int8 silently
    # ran the float32 model.
    exact = FinbertScorer(str(trained_dir), 8, False).score(HELD_OUT_TEXTS)
    small = FinbertScorer(str(trained_dir), 8, False, precision="int8").score(
        HELD_OUT_TEXTS
    )
    assert max_probability_difference(small, exact) > 0.0


def test_precision_setting_reaches_scorer(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZL_SENTIMENT_MODEL", str(model_dir))
    monkeypatch.setenv("ZL_SENTIMENT_CACHE", str(tmp_path / "cache.sqlite"))
    monkeypatch.setenv("ZL_SENTIMENT_PRECISION", "int8")
    monkeypatch.delenv("ZL_SENTIMENT_SCORER", raising=False)
    scorer = get_scorer()
    assert isinstance(scorer, CachedScorer)
    assert scorer.name.endswith("+int8")


def test_length_batches_cap_tokens() -> None:
    lengths = [10] * 8 + [100] * 4
    batches = length_batches(lengths, batch_size=32, max_tokens=200)
    assert [len(batch) for batch in batches] == [8, 2, 2]


def test_length_batches_cap_count() -> None:
    batches = length_batches([5] * 10, batch_size=4, max_tokens=1000)
    assert [len(batch) for batch in batches] == [4, 4, 2]


def test_length_batches_long_alone() -> None:
    assert length_batches([600, 10], batch_size=8, max_tokens=512) == [[1], [0]]


def test_length_batches_cover_all() -> None:
    rng = random.Random(9)
    lengths = [rng.randint(3, 300) for _ in range(200)]
    batches = length_batches(lengths, batch_size=16, max_tokens=1024)
    flat = [index for batch in batches for index in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)
    for batch in batches:
        assert len(batch) <= 16
        assert len(batch) * max(lengths[i] for i in batch) <= 1024


def _score(positive: float, negative: float, neutral: float) -> SentimentScore:
    probabilities = {"positive": positive, "negative": negative, "neutral": neutral}
    return from_probabilities("text", probabilities, False, "test")


def test_label_counts_most_common_first() -> None:
    assert label_counts(["neutral", "positive", "neutral"]) == "2 neutral, 1 positive"


def test_min_label_margin() -> None:
    scores = [_score(0.6, 0.3, 0.1), _score(0.2, 0.45, 0.35)]
    assert min_label_margin(scores) == pytest.approx(0.1)


def test_max_probability_difference() -> None:
    left = [_score(0.6, 0.3, 0.1), _score(0.2, 0.45, 0.35)]
    right = [_score(0.55, 0.3, 0.15), _score(0.2, 0.4, 0.4)]
    assert max_probability_difference(left, right) == pytest.approx(0.05)


def test_notes_flag_single_label() -> None:
    scores = [_score(0.6, 0.3, 0.1), _score(0.5, 0.2, 0.3)]
    side = SideResult(1.0, ["positive", "positive"], 2, scores)
    notes = agreement_notes(side, side, reference=None)
    assert notes[0].startswith("labels agree with the pipeline on 100.0% of texts")
    assert "2 positive" in notes[0]
    assert "same label" in notes[1]
    assert len(notes) == 2


def test_int8_row_compares_float32(trained_dir: Path, tmp_path: Path) -> None:
    bank = tmp_path / "bank.txt"
    bank.write_text("".join(f"{text}@{label}\n" for text, label in HELD_OUT))
    rows = comparisons(
        bank,
        sentences=len(HELD_OUT),
        paragraphs=0,
        batch_size=8,
        precisions=("int8", "float32"),
        model_dir=trained_dir,
    )
    int8_row, float32_row = rows
    assert int8_row.name == "sentiment scoring, int8"
    assert any("differ from float32" in note for note in int8_row.notes)
    assert not any("differ from float32" in note for note in float32_row.notes)
    assert not any("same label" in note for note in int8_row.notes)
