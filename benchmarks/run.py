"""Measure what users wait for and write docs/benchmarks.md.

The side-by-side comparisons (benchmarks/ingestion.py, latency.py,
features.py, sentiment_pipeline.py) run first, on the scaled data set.
The stages below them time the demo and the real recorded files.

Each stage runs as its own `zl` child process against a fresh warehouse in
a temporary folder, so the figures include process start-up as a user sees
it. Peak memory is the largest resident set of any one process of the stage
(`getrusage(RUSAGE_CHILDREN).ru_maxrss`), not the sum over the parallel
loader processes.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.compare import Comparison
from benchmarks.scaled import FULL_SCALE, Scale

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"
PEAK_MEMORY_TARGET_MIB = 2048


@dataclass
class Stage:
    name: str
    command: str
    wall_s: float
    peak_rss_mib: float


def _zl() -> list[str]:
    return [sys.executable, "-m", "ingest.cli"]


# Runs one command and prints the peak RSS (KiB) of its process tree's
# largest process, so every stage is measured from a fresh baseline.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def run_stage(name: str, args: list[str], env: dict[str, str], shown: str) -> Stage:
    """Run `zl ARGS` in a child process; return its wall time and peak RSS."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", _MEASURE, *_zl(), *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall_s = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{name} failed:\n{completed.stderr[-2000:]}")
    peak_kib = int(completed.stdout.strip().splitlines()[-1])
    return Stage(name, shown, wall_s, peak_kib / 1024)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory_gib:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def measure(realdata: Path) -> list[Stage]:
    stages = []
    with tempfile.TemporaryDirectory(prefix="zl-bench-") as folder:
        root = Path(folder)
        env = {
            **os.environ,
            "ZL_DUCKDB_PATH": str(root / "demo" / "demo.duckdb"),
            "ZL_SENTIMENT_CACHE": str(root / "sentiment_cache.sqlite"),
        }
        landing = str(root / "demo_landing")
        stages.append(
            run_stage(
                "demo (synthetic, end to end)",
                ["demo", "--landing", landing],
                env,
                "zl demo",
            )
        )

        env = {**env, "ZL_DUCKDB_PATH": str(root / "real" / "zl.duckdb")}
        load = ["load", "--all", "--from-dir", str(realdata)]
        shown = "zl load --all --from-dir ../shared/realdata"
        stages.append(run_stage("real data: load all sources", load, env, shown))
        stages.append(run_stage("real data: build", ["build"], env, "zl build"))
        stages.append(run_stage("real data: reload (no new rows)", load, env, shown))
    return stages


def _bert_base_folder(folder: Path, words: list[str]) -> Path:
    """Save a randomly initialised BERT-base classifier and a word vocabulary.

    Throughput depends on the architecture (12 layers, hidden size 768),
    not on the weights, so random weights time the FinBERT code path
    without the real model, which cannot be downloaded here.
    """
    from transformers import (
        BertConfig,
        BertForSequenceClassification,
        BertTokenizerFast,
    )

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = specials + sorted({w.lower() for w in words if w.isalpha()})[:30000]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    config = BertConfig(
        vocab_size=len(vocab),
        num_labels=3,
        id2label={0: "positive", 1: "negative", 2: "neutral"},
        label2id={"positive": 0, "negative": 1, "neutral": 2},
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def measure_sentiment(phrasebank: Path, bert_texts: int) -> list[dict[str, object]]:
    """Throughput of the lexicon scorer and of a BERT-base-sized model.

    Each is scored twice against a fresh cache; the second pass must score
    nothing again.
    """
    from benchmarks.sentiment import measure_throughput
    from ingest.sentiment.evaluate import read_phrasebank
    from ingest.sentiment.finbert import FinbertScorer
    from ingest.sentiment.lexicon import LexiconScorer

    texts = [example.text for example in read_phrasebank(phrasebank, None)]
    results = [measure_throughput(LexiconScorer(), texts)]
    with tempfile.TemporaryDirectory(prefix="zl-bench-bert-") as folder:
        words = " ".join(texts).split()
        model_dir = _bert_base_folder(Path(folder), words)
        scorer = FinbertScorer(str(model_dir), batch_size=32, allow_download=False)
        bert = measure_throughput(scorer, texts[:bert_texts])
        # The scorer's own name contains the temporary folder's path.
        bert["scorer"] = "finbert path, BERT-base size, random weights"
        results.append(bert)
    return results


def _comparison_lines(comparisons: list[Comparison]) -> list[str]:
    """Render the side-by-side table and each row's notes."""
    lines = [
        "## Side by side",
        "",
        "Each row times the project's way against what a user would otherwise",
        "use, on the same input in the same run. The ratio is the baseline's",
        "time over ours when higher is better (a speed-up), else ours over",
        "the baseline's (a fraction of its time).",
        "",
        "| comparison | ours (s) | baseline (s) | ratio | target | result | scale |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for row in comparisons:
        if row.target:
            target, result = row.target_text(), "met" if row.met else "MISSED"
        else:
            target, result = "none", "for information"
        lines.append(
            f"| {row.name} | {row.ours_s:.2f} | {row.baseline_s:.2f} | "
            f"{row.ratio:.2f} | {target} | {result} | {row.scale} |"
        )
    lines.append("")
    for row in comparisons:
        lines += [
            f"### {row.name}",
            "",
            f"- Ours: {row.ours}.",
            f"- Baseline: {row.baseline}.",
            f"- Command: `{row.command}`.",
            *(f"- {note}" for note in row.notes),
            "",
        ]
    return lines


def write_page(
    stages: list[Stage],
    path: Path,
    sentiment: list[dict],
    comparisons: list[Comparison],
) -> None:
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m benchmarks.run`); each figure is one run.",
        "",
        f"- Date: {today}",
        f"- Machine: {_machine()}",
        "- Peak memory: the largest resident set of any one process of the stage.",
        "- Each stage uses a fresh warehouse in a temporary folder; the real-data",
        "  stages read the recorded vendor files (`--realdata`).",
        "",
        *_comparison_lines(comparisons),
        "## Stages",
        "",
        "| stage | command | wall time (s) | peak memory (MiB) | target |",
        "|---|---|---:|---:|---|",
    ]
    for stage in stages:
        verdict = (
            "under 2 GiB"
            if stage.peak_rss_mib < PEAK_MEMORY_TARGET_MIB
            else ("OVER 2 GiB")
        )
        lines.append(
            f"| {stage.name} | `{stage.command}` | {stage.wall_s:.1f} | "
            f"{stage.peak_rss_mib:.0f} | peak {verdict} |"
        )
    lines += [
        "",
        "## Sentiment scoring",
        "",
        "Texts are Financial PhraseBank sentences (`benchmarks/sentiment.py`).",
        "The BERT row is a randomly initialised BERT-base-sized classifier on the",
        "FinBERT code path: speed depends on the architecture, not the weights.",
        "",
        "| scorer | texts | cold texts/s | warm texts/s | scored again on rerun |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in sentiment:
        lines.append(
            f"| {row['scorer']} | {row['texts']} | {row['cold_texts_per_s']:.0f} | "
            f"{row['warm_texts_per_s']:.0f} | {row['warm_texts_scored']} |"
        )
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", type=Path, default=DEFAULT_REALDATA)
    parser.add_argument(
        "--output", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks.md"
    )
    parser.add_argument(
        "--bert-texts",
        type=int,
        default=256,
        help="texts scored by the BERT-base-sized model",
    )
    parser.add_argument(
        "--years",
        type=int,
        default=FULL_SCALE.years,
        help="years of history in the scaled data set of the ingestion benchmarks",
    )
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    phrasebank = (
        args.realdata
        / "sentiment_eval"
        / "financial_phrasebank_v1.0_Sentences_AllAgree.txt"
    )
    comparisons = measure_comparisons(args.years, phrasebank)
    stages = measure(args.realdata)
    sentiment = measure_sentiment(phrasebank, args.bert_texts)
    write_page(stages, args.output, sentiment, comparisons)
    print(args.output.read_text())


def measure_comparisons(years: int, phrasebank: Path) -> list[Comparison]:
    """Run every side-by-side benchmark, slowest first."""
    from benchmarks import features, ingestion, latency, sentiment_pipeline

    rows = ingestion.comparisons(Scale.for_years(years))
    rows += latency.comparisons("scaled", years)
    rows += features.comparisons()
    rows += sentiment_pipeline.comparisons(phrasebank, precisions=("float32", "int8"))
    return rows


if __name__ == "__main__":
    main()
