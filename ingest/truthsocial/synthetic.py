"""Deterministic synthetic Truth Social posts for `zl demo`.

Writes one JSONL file in the CNN archive layout (`id, created_at, text,
url, has_media, reblogs, favs`) with about 300 posts spread over the demo
range. Like the real archive it has media-only posts with empty text,
`RT @handle` reposts, bare links and mojibake (UTF-8 text decoded as
Latin-1), so the demo exercises every cleaning rule. Every line carries
`"synthetic": true` and the account is `SyntheticAccount`.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ACCOUNT = "SyntheticAccount"
POSTS = 300
_SUBJECTS = (
    "China must buy our Soybeans",
    "Tariffs on imports are working",
    "The EPA will protect our biofuel producers",
    "Our Farmers need help against unfair trade",
    "Brazil and Argentina are selling soybeans to China",
    "Gasoline and crude oil prices are down",
    "Renewable diesel plants are opening",
    "The trade deal with China is very close",
    "A great day for our Country",
    "The Fake News will not report it",
)
_ENDINGS = ("!", "!!!", ". Thank you!", " — it’s true.", ". DJT")


def write_synthetic(
    folder: Path, start: date, end: date, seed: int, posts: int = POSTS
) -> list[Path]:
    """Write the synthetic posts file into `folder` and return its path in a list.

    Args:
        posts: number of posts, spread at random over `start`..`end`.

    Raises:
        ValueError: `start` is after `end`, or `posts` is negative.
    """
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    if posts < 0:
        raise ValueError(f"posts must not be negative, got {posts}")
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}:truthsocial")
    span_s = (end - start).days * 86_400 + 86_399
    first = datetime.combine(start, time(0), tzinfo=UTC)
    offsets = sorted(rng.randrange(span_s) for _ in range(posts))
    path = folder / "synthetic_truthsocial_posts.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for index, offset in enumerate(offsets):
            created = first + timedelta(seconds=offset)
            handle.write(json.dumps(_post(index, created, rng)) + "\n")
    return [path]


def _post(index: int, created: datetime, rng: random.Random) -> dict[str, object]:
    post_id = str(110_000_000_000_000_000 + index * 1_000_003)
    kind = rng.random()
    has_media = False
    if kind < 0.1:
        text, has_media = "", True
    elif kind < 0.17:
        text = f"RT @{ACCOUNT}{rng.choice(_SUBJECTS)}{rng.choice(_ENDINGS)}"
    elif kind < 0.22:
        text = f"https://example.com/synthetic/{index}"
    else:
        text = f"{rng.choice(_SUBJECTS)}{rng.choice(_ENDINGS)}"
        if rng.random() < 0.3:
            # The archive's mojibake: UTF-8 bytes read back as Latin-1.
            text = text.encode("utf-8").decode("latin-1")
        has_media = rng.random() < 0.2
    reposted = text.startswith("RT @")
    return {
        "id": post_id,
        "created_at": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "text": text,
        "url": f"https://truthsocial.com/@{ACCOUNT}/{post_id}",
        "has_media": has_media,
        "reblogs": 0 if reposted else rng.randrange(100, 20_000),
        "favs": 0 if reposted else rng.randrange(500, 80_000),
        "synthetic": True,
    }
