"""One side-by-side measurement for docs/benchmarks.md.

Each benchmark module returns `Comparison` rows: the project's way of doing
something against what a user would otherwise use, timed in the same run on
the same input, with the target the ratio is judged against.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Comparison:
    """A timed pair of runs and the target their ratio must meet.

    `ratio` is `baseline_s / ours_s` when `higher_is_better` (a speed-up),
    otherwise `ours_s / baseline_s` (a fraction of the baseline's time).
    `target` is the bound on that ratio: at least `target` when
    `higher_is_better`, at most `target` otherwise.
    """

    name: str
    ours: str
    ours_s: float
    baseline: str
    baseline_s: float
    target: float
    higher_is_better: bool
    command: str
    scale: str
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        if self.higher_is_better:
            return self.baseline_s / self.ours_s if self.ours_s else float("inf")
        return self.ours_s / self.baseline_s if self.baseline_s else float("inf")

    @property
    def met(self) -> bool:
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.ratio <= self.target

    def target_text(self) -> str:
        bound = "at least" if self.higher_is_better else "at most"
        return f"{bound} {self.target:g}"
