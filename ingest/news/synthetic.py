"""Deterministic synthetic news for `zl demo`.

Writes, in the formats the news loader reads:

- `synthetic_cepea_layout_news.csv`: 300 articles by default (`articles`)
  in the CEPEA CSV layout (`Date` as `YYYY-MM-DD 00:00:00`, headline, body,
  indicator prices) on random weekdays of the demo range. Headlines start
  with `SYNTHETIC:`.
- `synthetic_reddit_search.json`: a ScrapeCreators Reddit search response
  with 60 posts by default (`reddit_posts`), with `created_utc` epochs
  spread over the range.
- `synthetic_google_search.json`: a Google search response with 10
  results whose descriptions carry relative ages ("3 days ago") or a
  leading date, as Google's do, and a `fetched_at` at the end of the range.

Both JSON files contain `"synthetic": true`.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ARTICLES = 300
REDDIT_POSTS = 60
GOOGLE_RESULTS = 10
_TOPICS = (
    (
        "Soybean oil demand from biodiesel plants grows",
        "Renewable diesel and biodiesel makers bought more soybean oil this week.",
    ),
    (
        "China buys US soybeans",
        "Chinese importers booked cargoes as the trade deal talks continued.",
    ),
    (
        "Tariffs weigh on soybean exports",
        "New tariffs and retaliatory duties slowed export sales.",
    ),
    (
        "Brazil harvest advances in Mato Grosso",
        "Farmers in Brazil and Argentina sold beans at Paranaguá.",
    ),
    (
        "EPA sets biomass-based diesel volumes",
        "The EPA proposal under the Renewable Fuel Standard raised RVO levels.",
    ),
    (
        "Crude oil prices fall",
        "Lower crude oil and gasoline prices pressured vegetable oils.",
    ),
    (
        "Farm aid package announced",
        "USDA detailed farm aid for soybean farmers hurt by the trade war.",
    ),
    ("Weather supports yields", "Rain in the Midwest helped crop conditions."),
)


def write_synthetic(
    folder: Path,
    start: date,
    end: date,
    seed: int,
    articles: int = ARTICLES,
    reddit_posts: int = REDDIT_POSTS,
) -> list[Path]:
    """Write the synthetic news files into `folder` and return their paths.

    Args:
        articles: rows of the CEPEA-layout CSV.
        reddit_posts: posts in the Reddit search response.

    Raises:
        ValueError: `start` is after `end`, or a count is negative.
    """
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    if articles < 0 or reddit_posts < 0:
        raise ValueError(
            f"item counts must not be negative: articles={articles}, "
            f"reddit_posts={reddit_posts}"
        )
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}:news")
    return [
        _write_cepea(folder, start, end, articles, rng),
        _write_reddit(folder, start, end, reddit_posts, rng),
        _write_google(folder, end, rng),
    ]


def _weekdays(start: date, end: date, count: int, rng: random.Random) -> list[date]:
    span = (end - start).days
    days = []
    while len(days) < count:
        day = start + timedelta(days=rng.randrange(span + 1))
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _write_cepea(
    folder: Path, start: date, end: date, count: int, rng: random.Random
) -> Path:
    path = folder / "synthetic_cepea_layout_news.csv"
    level = 60.0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Date",
                "Text_Headline",
                "Text_Body",
                "Commodity",
                "Language",
                "Real",
                "Dolar",
            ]
        )
        for index, day in enumerate(_weekdays(start, end, count, rng)):
            headline, body = rng.choice(_TOPICS)
            level = max(20.0, level + rng.gauss(0.0, 1.5))
            direction = rng.choice(("up", "down"))
            writer.writerow(
                [
                    f"{day.isoformat()} 00:00:00",
                    f"SYNTHETIC: {headline} ({index})",
                    f"Synthetic article {index}. {body} Prices moved {direction}.",
                    "Soybean",
                    "En",
                    f"{level:.2f}",
                    f"{level / 4:.2f}",
                ]
            )
    return path


def _write_reddit(
    folder: Path, start: date, end: date, count: int, rng: random.Random
) -> Path:
    first = datetime.combine(start, time(0), tzinfo=UTC).timestamp()
    last = datetime.combine(end, time(23, 59), tzinfo=UTC).timestamp()
    posts = []
    for index in range(count):
        created = int(rng.uniform(first, last))
        title, body = rng.choice(_TOPICS)
        posts.append(
            {
                "id": f"synth{index:04d}",
                "name": f"t3_synth{index:04d}",
                "author": "synthetic_user",
                "subreddit": "SyntheticCommodities",
                "title": f"SYNTHETIC: {title}",
                "selftext": body,
                "score": rng.randrange(1, 500),
                "created": created,
                "created_utc": created,
                "permalink": f"/r/SyntheticCommodities/comments/synth{index:04d}/",
                "url": f"https://www.reddit.com/r/SyntheticCommodities/comments/synth{index:04d}/",
            }
        )
    body = {
        "synthetic": True,
        "success": True,
        "credits_remaining": 0,
        "posts": posts,
        "after": None,
    }
    path = folder / "synthetic_reddit_search.json"
    path.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    return path


def _write_google(folder: Path, end: date, rng: random.Random) -> Path:
    fetched_at = datetime.combine(end, time(18, 0), tzinfo=UTC)
    results = []
    for index in range(GOOGLE_RESULTS):
        title, body = rng.choice(_TOPICS)
        if index % 2:
            age = f"{rng.randrange(1, 23)} hours ago"
            description = f"{body} {age}"
        else:
            day = end - timedelta(days=rng.randrange(2, 60))
            description = f"{day:%b} {day.day}, {day.year} · {body}"
        results.append(
            {
                "url": f"https://news.example.com/synthetic/{index}",
                "title": f"SYNTHETIC: {title}",
                "description": description,
            }
        )
    body = {
        "synthetic": True,
        "success": True,
        "fetched_at": fetched_at.isoformat(),
        "results": results,
    }
    path = folder / "synthetic_google_search.json"
    path.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    return path
