"""`zl sentiment eval`: the PhraseBank reader, the metric code and the command."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.sentiment import measure_throughput
from ingest.sentiment import cli
from ingest.sentiment.base import NullScorer
from ingest.sentiment.evaluate import (
    UNSCORED,
    build_report,
    confusion_matrix,
    read_phrasebank,
)
from ingest.sentiment.lexicon import LexiconScorer
from tests.conftest import realdata_path

ALL_AGREE = "financial_phrasebank_v1.0_Sentences_AllAgree.txt"
AGREE_75 = "financial_phrasebank_v1.0_Sentences_75Agree.txt"

# Hand-made case. The expected figures in the tests below were computed by hand.
GOLD = ["negative"] * 3 + ["neutral"] * 2 + ["positive"] * 5
PREDICTED = [
    "negative", "neutral", "positive",
    "neutral", "neutral",
    "positive", "positive", "positive", "negative", None,
]  # fmt: skip


def zl_sentiment(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="zl")
    cli.add_parser(parser.add_subparsers(dest="command", required=True))
    return cli.run(parser.parse_args(argv))


def test_confusion_matrix_by_hand() -> None:
    matrix = confusion_matrix(GOLD, PREDICTED)
    assert matrix["negative"] == {
        "negative": 1,
        "neutral": 1,
        "positive": 1,
        UNSCORED: 0,
    }
    assert matrix["neutral"] == {
        "negative": 0,
        "neutral": 2,
        "positive": 0,
        UNSCORED: 0,
    }
    assert matrix["positive"] == {
        "negative": 1,
        "neutral": 0,
        "positive": 3,
        UNSCORED: 1,
    }


def test_metrics_by_hand() -> None:
    report = build_report("hand", GOLD, PREDICTED)
    negative = report.per_class["negative"]
    neutral = report.per_class["neutral"]
    positive = report.per_class["positive"]
    assert report.accuracy == pytest.approx(0.6)
    assert negative.precision == pytest.approx(1 / 2)
    assert negative.recall == pytest.approx(1 / 3)
    assert negative.f1 == pytest.approx(0.4)
    assert neutral.precision == pytest.approx(2 / 3)
    assert neutral.recall == pytest.approx(1.0)
    assert neutral.f1 == pytest.approx(0.8)
    assert positive.precision == pytest.approx(3 / 4)
    assert positive.recall == pytest.approx(3 / 5)
    assert positive.f1 == pytest.approx(2 / 3)
    assert positive.support == 5
    assert report.macro_f1 == pytest.approx((0.4 + 0.8 + 2 / 3) / 3)


def test_metrics_class_never_predicted() -> None:
    report = build_report("hand", ["negative", "positive"], ["positive", "positive"])
    assert report.per_class["negative"].precision == 0.0
    assert report.per_class["negative"].f1 == 0.0
    assert report.per_class["neutral"].support == 0


def test_reader_splits_on_last_at(tmp_path: Path) -> None:
    path = tmp_path / "bank.txt"
    path.write_text(
        "Mail info@example.com for details .@neutral\n\nUp 5 % .@positive\n"
    )
    examples = read_phrasebank(path)
    assert len(examples) == 2
    assert examples[0].text == "Mail info@example.com for details ."
    assert examples[0].label == "neutral"


def test_reader_falls_back_to_latin1(tmp_path: Path) -> None:
    path = tmp_path / "bank.txt"
    path.write_bytes("Sepp\xe4l\xe4 sales rose .@positive\n".encode("latin-1"))
    assert read_phrasebank(path)[0].text == "Seppälä sales rose ."


def test_reader_rejects_bad_label(tmp_path: Path) -> None:
    path = tmp_path / "bank.txt"
    path.write_text("Fine .@neutral\nNo label here\n")
    with pytest.raises(ValueError, match=r"bank\.txt:2"):
        read_phrasebank(path)


def test_reader_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="ZL_PHRASEBANK_FILE"):
        read_phrasebank(tmp_path / "missing.txt")


def test_real_all_agree_counts() -> None:
    examples = read_phrasebank(realdata_path("sentiment_eval", ALL_AGREE))
    counts = Counter(example.label for example in examples)
    assert len(examples) == 2264
    assert counts == {"neutral": 1391, "positive": 570, "negative": 303}
    assert examples[0].text.startswith("According to Gran , the company has no plans")


def test_real_75_agree_latin1() -> None:
    examples = read_phrasebank(realdata_path("sentiment_eval", AGREE_75))
    counts = Counter(example.label for example in examples)
    assert len(examples) == 3453
    assert counts == {"neutral": 2146, "positive": 887, "negative": 420}
    assert examples[10].text.startswith("Clothing retail chain Sepp+ñl+ñ 's sales")


def test_eval_command_subset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "lexicon")
    monkeypatch.setenv("ZL_SENTIMENT_CACHE", str(tmp_path / "cache.sqlite"))
    path = realdata_path("sentiment_eval", ALL_AGREE)
    code = zl_sentiment(["sentiment", "eval", "--file", str(path), "--limit", "200"])
    output = capsys.readouterr().out
    assert code == 0
    assert "scorer    lexicon:zl-finance@1" in output
    assert "texts     200" in output
    assert "confusion matrix (rows: gold, columns: predicted)" in output


def test_eval_lexicon_full_file() -> None:
    # Pins the figures published for lexicon:zl-finance@1. A change to the
    # word lists must bump LEXICON_VERSION and update these figures.
    examples = read_phrasebank(realdata_path("sentiment_eval", ALL_AGREE))
    scores = LexiconScorer().score([example.text for example in examples])
    report = build_report(
        "lexicon", [e.label for e in examples], [s.label for s in scores]
    )
    assert report.accuracy == pytest.approx(0.8158, abs=5e-5)
    assert report.macro_f1 == pytest.approx(0.7434, abs=5e-5)


def test_eval_default_file_from_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bank.txt"
    path.write_text("Profit rose .@positive\nThe office is in Espoo .@neutral\n")
    monkeypatch.setenv("ZL_PHRASEBANK_FILE", str(path))
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "lexicon")
    monkeypatch.setenv("ZL_SENTIMENT_CACHE", str(tmp_path / "cache.sqlite"))
    code = zl_sentiment(["sentiment", "eval"])
    output = capsys.readouterr().out
    assert code == 0
    assert "accuracy  1.0000" in output


def test_eval_missing_file_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "none")
    code = zl_sentiment(["sentiment", "eval", "--file", str(tmp_path / "nope.txt")])
    assert code == 1
    assert "not found" in capsys.readouterr().err


def test_eval_rejects_zero_limit() -> None:
    with pytest.raises(SystemExit):
        zl_sentiment(["sentiment", "eval", "--limit", "0"])


def test_throughput_warm_scores_nothing() -> None:
    texts = ["Profit rose .", "Sales fell .", "Profit rose .", "Orders grew ."]
    result = measure_throughput(LexiconScorer(), texts)
    assert result["cold_texts_scored"] == 3
    assert result["warm_texts_scored"] == 0
    assert result["texts"] == 4


def test_throughput_rejects_none_scorer() -> None:
    with pytest.raises(ValueError, match="none scorer"):
        measure_throughput(NullScorer(), ["Profit rose ."])
