"""A small, transparent financial sentiment lexicon, the offline fallback.

The word lists below were written for this project from general financial
vocabulary. They are not copied from any published lexicon, and no labelled
evaluation data was used to choose them.

Scoring, per text:

1. Lower-case the text and split it into words.
2. A direction word (`rose`, `fell`, `cut`, ...) next to a measure (`sales`,
   `loss`, ...) within `PAIR_WINDOW` words counts once, as the product of
   their signs: `profit rose` and `costs fell` are positive, `loss widened`
   and `orders fell` are negative. A direction word with no measure in reach
   counts nothing, because `prices rose` can be good or bad news.
3. Every other word of `POSITIVE_WORDS` or `NEGATIVE_WORDS`, and a bad
   measure such as `loss` that no direction word claimed, counts one hit.
4. A negator (`not`, `no`, `never`, ...) flips the sign of the next hit
   within `NEGATION_WINDOW` words.
5. With `p` positive and `n` negative hits, the logits are
   `(positive=p, negative=n, neutral=NEUTRAL_LOGIT + min(p, n))`, so a text
   without hits is neutral, one hit outweighs the neutral prior, and hits
   that cancel out add to neutral. The probabilities are their softmax.
"""

from __future__ import annotations

import math
import re

from ingest.sentiment.base import SentimentScore, from_probabilities, unscored


def _words(text: str) -> list[str]:
    """Split a word list written as one whitespace-separated string."""
    return text.split()


LEXICON_NAME = "zl-finance"
LEXICON_VERSION = "1"

NEUTRAL_LOGIT = 0.75
PAIR_WINDOW = 4
NEGATION_WINDOW = 3

POSITIVE_WORDS = frozenset(
    _words(
        """
    gain gains gained improve improved improvement improvements improving
    strong stronger strongest strength strengthen strengthened beat beats
    exceed exceeded exceeds outperform outperformed outperforms upgrade
    upgraded upgrades surge surged surging soar soared soaring rally rallied
    boom booming robust recovery recover recovered rebound rebounded expand
    expanded expanding expansion success successful successfully win wins won
    award awarded boost boosted favorable favourable optimistic optimism
    positive upbeat bullish profitable profitability accelerate accelerated
    benefit benefited benefits opportunity opportunities efficient efficiency
    record breakthrough innovative attractive healthy resilient solid
    momentum outstanding excellent upside tailwind tailwinds
    """
    )
)

NEGATIVE_WORDS = frozenset(
    _words(
        """
    weak weaker weakest weakness weaken weakened fail failed failing fails
    failure default defaulted bankruptcy bankrupt insolvency insolvent
    lawsuit litigation penalty penalties fined downgrade downgraded
    downgrades miss missed misses underperform underperformed plunge plunged
    plunging slump slumped tumble tumbled crash crashed crisis recession
    warning warned warns concern concerns uncertainty uncertain volatile
    pessimistic bearish negative adverse deteriorate deteriorated
    deteriorating deterioration shortfall writedown halt halted suspend
    suspended delay delayed shortage sanctions ban banned retaliation
    retaliatory fraud scandal shutdown slowdown downturn disappointing
    disappointed difficult difficulties struggle struggled struggling
    headwind headwinds threat threatened turmoil collapse collapsed
    """
    )
)

# Direction words: +1 for up, -1 for down.
DIRECTION_WORDS: dict[str, int] = {
    **dict.fromkeys(
        _words(
            """
        increase increased increases increasing rise rose risen rising rises
        grow grew grown growing grows up higher climb climbed climbs jump
        jumped jumps doubled tripled raise raised raises widen widened
        widening
        """
        ),
        1,
    ),
    **dict.fromkeys(
        _words(
            """
        decrease decreased decreases decreasing decline declined declines
        declining fall fell fallen falling falls drop dropped drops down lower
        lowered reduce reduced reduces reduction cut cuts shrink shrank shrunk
        narrow narrowed narrowing contracted slipped dip dipped halved slowed
        slowing
        """
        ),
        -1,
    ),
}

# Measures: +1 when more is good news, -1 when more is bad news.
MEASURE_WORDS: dict[str, int] = {
    **dict.fromkeys(
        _words(
            """
        sales revenue revenues profit profits earnings income ebit ebitda
        margin margins orders demand dividend dividends eps turnover shares
        guidance outlook forecast exports jobs employment growth
        """
        ),
        1,
    ),
    **dict.fromkeys(
        _words(
            """
        loss losses costs cost expenses debt deficit unemployment layoffs
        defaults delinquencies impairment writedowns liabilities
        """
        ),
        -1,
    ),
}

# Bad measures that read as bad news on their own, without a direction word.
STANDALONE_NEGATIVE_MEASURES = frozenset(
    _words("loss losses deficit unemployment layoffs defaults impairment")
)

NEGATORS = frozenset(_words("not no never neither nor cannot without n't"))

_WORD = re.compile(r"n't|[a-z]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Split `text` into lower-case words; "didn't" stays one word."""
    return _WORD.findall(text.lower())


def _is_negator(word: str) -> bool:
    return word in NEGATORS or word.endswith("n't")


def _pair_directions(words: list[str]) -> dict[int, int]:
    """Return the sign of each direction word that claims a measure, by position.

    The claimed measures are recorded under their own positions with sign 0,
    so they add no standalone hit.
    """
    claimed: dict[int, int] = {}
    for i, word in enumerate(words):
        direction = DIRECTION_WORDS.get(word)
        if direction is None:
            continue
        candidates = []
        for j in range(max(0, i - PAIR_WINDOW), min(len(words), i + PAIR_WINDOW + 1)):
            if j != i and j not in claimed and words[j] in MEASURE_WORDS:
                # Nearest first; at equal distance the measure before the
                # direction word wins ("sales rose, costs ...").
                candidates.append((abs(j - i), j > i, j))
        if candidates:
            _, _, j = min(candidates)
            claimed[i] = direction * MEASURE_WORDS[words[j]]
            claimed[j] = 0
    return claimed


def count_hits(text: str) -> tuple[float, float]:
    """Return (positive hits, negative hits) of `text`, as described above."""
    words = tokenize(text)
    paired = _pair_directions(words)
    positive = negative = 0.0
    negate_until = -1
    for i, word in enumerate(words):
        if _is_negator(word):
            negate_until = i + NEGATION_WINDOW
            continue
        if i in paired:
            sign = paired[i]
        elif word in POSITIVE_WORDS:
            sign = 1
        elif word in NEGATIVE_WORDS or word in STANDALONE_NEGATIVE_MEASURES:
            sign = -1
        else:
            sign = 0
        if sign == 0:
            continue
        if i <= negate_until:
            sign = -sign
            negate_until = -1
        if sign > 0:
            positive += 1
        else:
            negative += 1
    return positive, negative


def probabilities_from_hits(positive: float, negative: float) -> dict[str, float]:
    """Return the softmax of the hit logits, keyed neutral, positive, negative.

    Neutral comes first so that it wins exact ties in the label.
    """
    logits = {
        "neutral": NEUTRAL_LOGIT + min(positive, negative),
        "positive": positive,
        "negative": negative,
    }
    top = max(logits.values())
    exps = {label: math.exp(value - top) for label, value in logits.items()}
    total = sum(exps.values())
    return {label: value / total for label, value in exps.items()}


class LexiconScorer:
    """Word-count scorer named `lexicon:zl-finance@<version>`; needs no model."""

    name = f"lexicon:{LEXICON_NAME}@{LEXICON_VERSION}"

    def score(self, texts: list[str]) -> list[SentimentScore]:
        out = []
        for text in texts:
            if not text.strip():
                out.append(unscored(text, self.name))
                continue
            probabilities = probabilities_from_hits(*count_hits(text))
            out.append(from_probabilities(text, probabilities, False, self.name))
        return out
