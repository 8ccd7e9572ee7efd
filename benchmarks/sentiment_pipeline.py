"""Time FinbertScorer against the transformers text-classification pipeline.

`python -m benchmarks.sentiment_pipeline` saves a randomly initialised
BERT-base-sized classifier (12 layers, hidden size 768) in a temporary
folder and scores the same distinct texts with:

- ours: `FinbertScorer` behind a `CachedScorer` with a fresh cache file,
  so every text is scored and the cache is written, as in a load, once per
  requested precision (`--precision`, default float32);
- baseline: `transformers.pipeline("text-classification", model=...,
  tokenizer=...)` with its defaults (one text per forward pass, no
  truncation).

Throughput depends on the architecture and the token counts, not on the
weights, so random weights time the real FinBERT code path; FinBERT
itself cannot be downloaded here. Loading either model is not timed. The
texts are Financial PhraseBank sentences plus paragraphs of several
sentences each, which stand in for news items and stay under the model's
512-token limit, because the pipeline's defaults do not truncate.

Precision `int8` quantizes the weights of the encoder's Linear layers to
int8 once at load, quantizes each batch's activations on the fly, and runs
those matrix products in int8 on the CPU; everything else stays float32.
It can change labels, so each row notes how its labels agree with the
pipeline's and, when float32 is measured in the same run, how far its
probabilities are from float32's. With random weights every text may get
the same label, and the row then notes that agreement cannot show flips.
"""

from __future__ import annotations

import argparse
import logging
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.compare import Comparison
from ingest.sentiment import settings
from ingest.sentiment.base import SentimentScore
from ingest.sentiment.cache import CachedScorer, ScoreCache
from ingest.sentiment.evaluate import read_phrasebank
from ingest.sentiment.finbert import PRECISIONS, FinbertScorer

log = logging.getLogger(__name__)

TARGET_SPEEDUP = 4.0
DEFAULT_SENTENCES = 64
DEFAULT_PARAGRAPHS = 16
SENTENCES_PER_PARAGRAPH = 6
# Longer paragraphs are drawn again. With punctuation split off, 300 words
# stay well under BERT's 512 tokens, which the pipeline cannot exceed
# because its defaults do not truncate.
MAX_PARAGRAPH_WORDS = 300
SEED = 20240601


@dataclass
class SideResult:
    """Seconds and labels of one side, and how many texts it scored.

    `scores` are FinbertScorer's full results; the pipeline side has none.
    """

    seconds: float
    labels: list[str | None]
    texts_scored: int
    scores: list[SentimentScore] = field(default_factory=list)


def benchmark_texts(
    phrasebank: Path, sentences: int, paragraphs: int, seed: int = SEED
) -> list[str]:
    """Return `sentences` PhraseBank sentences and `paragraphs` paragraphs.

    The texts are distinct, so deduplication inside the scorer gives it no
    advantage. Each paragraph joins `SENTENCES_PER_PARAGRAPH` sentences
    drawn from the whole file.

    Raises:
        ValueError: the file has fewer distinct sentences than requested.
    """
    pool = list(dict.fromkeys(example.text for example in read_phrasebank(phrasebank)))
    if len(pool) < sentences:
        raise ValueError(
            f"{phrasebank} has {len(pool)} distinct sentences, fewer than the "
            f"{sentences} requested"
        )
    rng = random.Random(seed)
    texts = pool[:sentences]
    while len(texts) < sentences + paragraphs:
        paragraph = " ".join(rng.sample(pool, SENTENCES_PER_PARAGRAPH))
        if len(paragraph.split()) > MAX_PARAGRAPH_WORDS:
            continue
        if paragraph not in texts:
            texts.append(paragraph)
    return texts


def save_bert_base(folder: Path, texts: list[str]) -> Path:
    """Save the BERT-base-sized classifier of `make bench` with seeded weights."""
    import torch

    from benchmarks.run import _bert_base_folder

    torch.manual_seed(SEED)
    words = " ".join(texts).split()
    return _bert_base_folder(folder, words)


def run_pipeline(model_dir: Path, texts: list[str]) -> SideResult:
    """Score `texts` with the transformers pipeline's defaults and time the call."""
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        pipeline,
    )

    model = AutoModelForSequenceClassification.from_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    classifier = pipeline("text-classification", model=model, tokenizer=tokenizer)
    started = time.perf_counter()
    outputs: list[dict[str, Any]] = classifier(texts)
    seconds = time.perf_counter() - started
    labels = [str(output["label"]).lower() for output in outputs]
    return SideResult(seconds, labels, len(texts))


def run_scorer(
    model_dir: Path, texts: list[str], batch_size: int, precision: str
) -> SideResult:
    """Score `texts` with FinbertScorer through a fresh cache and time the call.

    Raises:
        RuntimeError: the cache returned a score, so the side did less work.
    """
    scorer = FinbertScorer(
        str(model_dir), batch_size, allow_download=False, precision=precision
    )
    with tempfile.TemporaryDirectory(prefix="zl-bench-cache-") as folder:
        cached = CachedScorer(scorer, ScoreCache(Path(folder) / "cache.sqlite"))
        started = time.perf_counter()
        scores = cached.score(texts)
        seconds = time.perf_counter() - started
    if cached.cache_hits:
        raise RuntimeError(
            f"a fresh score cache returned {cached.cache_hits} scores; "
            "every text must be scored for the timing to count"
        )
    return SideResult(seconds, [s.label for s in scores], cached.texts_scored, scores)


def agreement(left: list[str | None], right: list[str | None]) -> float:
    """Return the share of positions where the two label lists are equal."""
    if len(left) != len(right):
        raise ValueError(f"label lists differ in length: {len(left)}, {len(right)}")
    if not left:
        return 1.0
    return sum(a == b for a, b in zip(left, right, strict=True)) / len(left)


def label_counts(labels: list[str | None]) -> str:
    """Describe how many texts got each label, most frequent first."""
    counts = Counter(str(label) for label in labels)
    return ", ".join(f"{count} {label}" for label, count in counts.most_common())


def _probabilities(score: SentimentScore) -> list[float]:
    values = [score.positive, score.negative, score.neutral]
    if any(value is None for value in values):
        raise ValueError(f"text {score.text_hash} was not scored")
    return [float(value) for value in values if value is not None]


def max_probability_difference(
    left: list[SentimentScore], right: list[SentimentScore]
) -> float:
    """Return the largest absolute difference of any class probability.

    Raises:
        ValueError: the lists differ in length or a text was not scored.
    """
    if len(left) != len(right):
        raise ValueError(f"score lists differ in length: {len(left)}, {len(right)}")
    largest = 0.0
    for a, b in zip(left, right, strict=True):
        for p, q in zip(_probabilities(a), _probabilities(b), strict=True):
            largest = max(largest, abs(p - q))
    return largest


def min_label_margin(scores: list[SentimentScore]) -> float:
    """Return the smallest gap between a text's top two class probabilities.

    A precision whose probabilities move by less than half this gap cannot
    change any label.

    Raises:
        ValueError: the list is empty or a text was not scored.
    """
    if not scores:
        raise ValueError("no scores to take a margin from")
    margins = []
    for score in scores:
        top, second = sorted(_probabilities(score), reverse=True)[:2]
        margins.append(top - second)
    return min(margins)


def agreement_notes(
    ours: SideResult, baseline: SideResult, reference: SideResult | None
) -> list[str]:
    """Describe how far `ours` is from the pipeline and from float32 ours.

    `reference` is the float32 FinbertScorer run of the same texts, or None
    when `ours` is that run or float32 was not measured.
    """
    shared = agreement(ours.labels, baseline.labels)
    notes = [
        f"labels agree with the pipeline on {shared:.1%} of texts "
        f"(pipeline labels: {label_counts(baseline.labels)})"
    ]
    if len(set(baseline.labels)) == 1:
        notes.append(
            "the random model gives every text the same label, so label "
            "agreement cannot show flips; the probability figures can"
        )
    if reference is not None:
        notes.append(
            "probabilities differ from float32 FinbertScorer by at most "
            f"{max_probability_difference(ours.scores, reference.scores):.4f}; "
            "float32's smallest gap between a text's top two labels is "
            f"{min_label_margin(reference.scores):.4f}"
        )
    return notes


def comparisons(
    phrasebank: Path | None = None,
    sentences: int = DEFAULT_SENTENCES,
    paragraphs: int = DEFAULT_PARAGRAPHS,
    batch_size: int | None = None,
    precisions: tuple[str, ...] = ("float32",),
    model_dir: Path | None = None,
) -> list[Comparison]:
    """Time the pipeline once and FinbertScorer at each precision.

    `batch_size` defaults to the scorer's setting (`ZL_SENTIMENT_BATCH_SIZE`,
    else 32), so the row measures what a load uses. `model_dir` replaces the
    BERT-base-sized model, for tests with a tiny one. Returns one row per
    precision with target `TARGET_SPEEDUP`.

    Raises:
        RuntimeError: the two sides scored different numbers of texts.
    """
    import torch

    path = phrasebank or settings.phrasebank_path()
    batch_size = batch_size or settings.batch_size()
    texts = benchmark_texts(path, sentences, paragraphs)
    with tempfile.TemporaryDirectory(prefix="zl-bench-bert-") as folder:
        model_dir = model_dir or save_bert_base(Path(folder), texts)
        baseline = run_pipeline(model_dir, texts)
        runs = {p: run_scorer(model_dir, texts, batch_size, p) for p in precisions}
    rows = []
    for precision, ours in runs.items():
        if ours.texts_scored != baseline.texts_scored:
            raise RuntimeError(
                f"FinbertScorer scored {ours.texts_scored} texts, the "
                f"pipeline {baseline.texts_scored}"
            )
        log.info(
            "%s: scorer %.2f s, pipeline %.2f s, labels agree %.4f",
            precision,
            ours.seconds,
            baseline.seconds,
            agreement(ours.labels, baseline.labels),
        )
        reference = None if precision == "float32" else runs.get("float32")
        rows.append(
            Comparison(
                name=f"sentiment scoring, {precision}",
                ours=f"FinbertScorer, batch size {batch_size}, {precision}",
                ours_s=ours.seconds,
                baseline='transformers.pipeline("text-classification"), defaults',
                baseline_s=baseline.seconds,
                target=TARGET_SPEEDUP,
                higher_is_better=True,
                command="python -m benchmarks.sentiment_pipeline",
                scale=(
                    f"{len(texts)} distinct texts ({sentences} PhraseBank "
                    f"sentences, {paragraphs} paragraphs of "
                    f"{SENTENCES_PER_PARAGRAPH}), CPU, "
                    f"{torch.get_num_threads()} torch threads"
                ),
                notes=[
                    *agreement_notes(ours, baseline, reference),
                    "BERT-base-sized classifier with random weights: speed "
                    "depends on the architecture, not the weights",
                    "both sides score every text once; model loading is "
                    "not timed; ours includes writing a fresh score cache",
                ],
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=None, help="PhraseBank file")
    parser.add_argument(
        "--sentences", type=int, default=DEFAULT_SENTENCES, help="sentences scored"
    )
    parser.add_argument(
        "--paragraphs",
        type=int,
        default=DEFAULT_PARAGRAPHS,
        help=f"paragraphs of {SENTENCES_PER_PARAGRAPH} sentences scored",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="FinbertScorer's maximum sequences per forward pass "
        "(default: ZL_SENTIMENT_BATCH_SIZE, else 32)",
    )
    parser.add_argument(
        "--precision",
        action="append",
        choices=PRECISIONS,
        help="FinbertScorer precision; repeat for several (default float32)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rows = comparisons(
        args.file,
        args.sentences,
        args.paragraphs,
        args.batch_size,
        tuple(args.precision or ("float32",)),
    )
    for row in rows:
        print(
            f"{row.name}: ours {row.ours_s:.2f} s, pipeline {row.baseline_s:.2f} s, "
            f"speed-up {row.ratio:.2f} (target {row.target_text()}, "
            f"{'met' if row.met else 'missed'}) [{row.scale}]"
        )
        for note in row.notes:
            print(f"  - {note}")


if __name__ == "__main__":
    main()
