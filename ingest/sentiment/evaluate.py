"""Accuracy and macro-F1 of a scorer on Financial PhraseBank.

Financial PhraseBank v1.0 (Malo et al., CC BY-NC-SA 3.0) is used here for
evaluation only. Its lines are `sentence@label`. A sentence may itself
contain `@`, so each line splits on the last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.sentiment.base import LABELS, Scorer

# Column of the confusion matrix for texts the scorer left unscored.
UNSCORED = "unscored"


@dataclass(frozen=True)
class LabelledText:
    """One sentence with its gold label."""

    text: str
    label: str


@dataclass(frozen=True)
class ClassMetrics:
    """Precision, recall and F1 of one class, and its gold count (`support`)."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EvalReport:
    """Metrics of one scorer on one labelled set.

    `confusion[gold][predicted]` counts texts. The predicted label is one of
    `LABELS`, another label the model emitted, or `UNSCORED`.
    """

    scorer: str
    count: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, ClassMetrics]
    confusion: dict[str, dict[str, int]]


def decode_text(data: bytes) -> str:
    """Decode UTF-8, falling back to ISO-8859-1 (the 75Agree file's encoding)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_phrasebank(path: Path, limit: int | None = None) -> list[LabelledText]:
    """Read `sentence@label` lines, keeping the first `limit` when given.

    Raises:
        FileNotFoundError: `path` does not exist.
        ValueError: a non-blank line has no `@` or a label outside `LABELS`.
    """
    if not path.is_file():
        raise FileNotFoundError(
            f"Financial PhraseBank file not found: {path}; "
            "pass --file or set ZL_PHRASEBANK_FILE"
        )
    examples: list[LabelledText] = []
    for number, line in enumerate(decode_text(path.read_bytes()).splitlines(), 1):
        if not line.strip():
            continue
        text, at, label = line.rpartition("@")
        label = label.strip().lower()
        if not at or label not in LABELS:
            raise ValueError(
                f"{path}:{number}: invalid line, expected 'sentence@label' with "
                f"label in {', '.join(LABELS)}: {line[:80]!r}"
            )
        examples.append(LabelledText(text.strip(), label))
        if limit is not None and len(examples) >= limit:
            break
    return examples


def confusion_matrix(
    gold: list[str], predicted: list[str | None]
) -> dict[str, dict[str, int]]:
    """Count (gold, predicted) pairs, with a None prediction counted as `UNSCORED`."""
    columns = list(LABELS)
    for label in predicted:
        name = UNSCORED if label is None else label
        if name not in columns:
            columns.append(name)
    matrix = {g: dict.fromkeys(columns, 0) for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        matrix[g][UNSCORED if p is None else p] += 1
    return matrix


def class_metrics(matrix: dict[str, dict[str, int]]) -> dict[str, ClassMetrics]:
    """Return per-class precision, recall and F1 from a confusion matrix.

    A ratio with a zero denominator (a class never predicted, or absent from
    the gold labels) is 0.0.
    """
    metrics = {}
    for label in LABELS:
        true_positive = matrix[label].get(label, 0)
        predicted = sum(row.get(label, 0) for row in matrix.values())
        support = sum(matrix[label].values())
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / support if support else 0.0
        total = precision + recall
        f1 = 2 * precision * recall / total if total else 0.0
        metrics[label] = ClassMetrics(precision, recall, f1, support)
    return metrics


def build_report(
    scorer: str, gold: list[str], predicted: list[str | None]
) -> EvalReport:
    """Compute accuracy, macro-F1 (unweighted mean over `LABELS`) and the rest."""
    matrix = confusion_matrix(gold, predicted)
    per_class = class_metrics(matrix)
    correct = sum(matrix[label][label] for label in LABELS)
    count = len(gold)
    return EvalReport(
        scorer=scorer,
        count=count,
        accuracy=correct / count if count else 0.0,
        macro_f1=sum(m.f1 for m in per_class.values()) / len(LABELS),
        per_class=per_class,
        confusion=matrix,
    )


def evaluate(scorer: Scorer, examples: list[LabelledText]) -> EvalReport:
    """Score every example's text with `scorer` and compare with the gold labels."""
    scores = scorer.score([example.text for example in examples])
    return build_report(
        scorer.name,
        [example.label for example in examples],
        [score.label for score in scores],
    )


def format_report(report: EvalReport) -> str:
    """Render the report as plain-text tables."""
    lines = [
        f"scorer    {report.scorer}",
        f"texts     {report.count}",
        f"accuracy  {report.accuracy:.4f}",
        f"macro-F1  {report.macro_f1:.4f}",
        "",
        f"{'class':<10} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}",
    ]
    for label, m in report.per_class.items():
        lines.append(
            f"{label:<10} {m.precision:>9.4f} {m.recall:>9.4f} {m.f1:>9.4f} "
            f"{m.support:>8}"
        )
    columns = list(next(iter(report.confusion.values())))
    width = max(10, *(len(c) + 1 for c in columns))
    lines += ["", "confusion matrix (rows: gold, columns: predicted)"]
    lines.append(" " * 10 + "".join(f"{c:>{width}}" for c in columns))
    for gold, row in report.confusion.items():
        lines.append(f"{gold:<10}" + "".join(f"{row[c]:>{width}}" for c in columns))
    return "\n".join(lines)
