"""A scaled synthetic data set in each vendor's landing-file format.

`write_scaled_landing` writes what `zl load --all --from-dir` reads, using
each source's own `synthetic.write_synthetic`. By default it writes 25
years of weekday bars for ZL and 10 other futures roots, 60 FRED series
with every vintage, 50,000 news items (Reddit search posts plus the
CEPEA-layout CSV) and about 8 Truth Social posts a day. CFTC, EIA, USDA, weather and the
vendor price files keep the density their writers give them, over the same
25 years. The same `Scale` always gives the same files.
"""

from __future__ import annotations

import argparse
import logging
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest.cftc import synthetic as cftc_synthetic
from ingest.databento import synthetic as databento_synthetic
from ingest.eia import synthetic as eia_synthetic
from ingest.fred import synthetic as fred_synthetic
from ingest.news import synthetic as news_synthetic
from ingest.prices import synthetic as prices_synthetic
from ingest.registry import get_source
from ingest.truthsocial import synthetic as truthsocial_synthetic
from ingest.usda import synthetic as usda_synthetic
from ingest.weather import synthetic as weather_synthetic

log = logging.getLogger(__name__)

SCALED_SEED = 20241231
SCALED_END = date(2024, 12, 31)
# Share of the news items written as Reddit search posts; the rest are
# rows of the CEPEA-layout CSV.
REDDIT_SHARE = 0.9


@dataclass(frozen=True)
class Scale:
    """Size of the scaled data set.

    Attributes:
        years: calendar years of history, ending on `SCALED_END`.
        extra_roots: futures roots written besides the six seeded ones (at
            most `len(databento_synthetic.EXTRA_MARKETS)`).
        fred_series: FRED series with an all-vintages file.
        news_items: news items over all news files.
        truthsocial_posts_per_year: Truth Social posts per calendar year.
    """

    years: int = 25
    extra_roots: int = 5
    fred_series: int = 60
    news_items: int = 50_000
    truthsocial_posts_per_year: int = 3_000

    def __post_init__(self) -> None:
        if self.years < 1:
            raise ValueError(f"years must be at least 1, got {self.years}")
        available = len(databento_synthetic.EXTRA_MARKETS)
        if not 0 <= self.extra_roots <= available:
            raise ValueError(
                f"extra_roots must be 0 to {available}, got {self.extra_roots}"
            )

    @classmethod
    def for_years(cls, years: int) -> Scale:
        """Return the full scale cut to `years`, with news items in proportion.

        Futures roots and FRED series stay as in the full scale, so each
        series or root gets shorter, not fewer.
        """
        full = cls()
        items = round(full.news_items * years / full.years)
        return cls(years=years, news_items=items)

    @property
    def start(self) -> date:
        """First day of the data set: January 1 of the first year."""
        return date(SCALED_END.year - self.years + 1, 1, 1)

    @property
    def end(self) -> date:
        return SCALED_END

    def describe(self) -> str:
        """Return a one-line summary for benchmark tables."""
        roots = 6 + self.extra_roots
        return (
            f"{self.years} years ({self.start}..{self.end}), {roots} futures "
            f"roots, {self.fred_series} FRED series, {self.news_items:,} news "
            f"items, {self.truthsocial_posts:,} Truth Social posts"
        )

    @property
    def truthsocial_posts(self) -> int:
        return self.years * self.truthsocial_posts_per_year


FULL_SCALE = Scale()
# A data set small enough for tests: two years, a few series and items.
TINY_SCALE = Scale(
    years=2,
    extra_roots=1,
    fred_series=3,
    news_items=120,
    truthsocial_posts_per_year=40,
)


def write_scaled_landing(
    folder: Path, scale: Scale = FULL_SCALE
) -> dict[str, list[Path]]:
    """Write the scaled landing folder, one sub-folder per source.

    An existing `folder` is replaced.

    Returns:
        The files written, by source name.
    """
    if folder.exists():
        shutil.rmtree(folder)
    start, end, seed = scale.start, scale.end, SCALED_SEED
    extra = dict(list(databento_synthetic.EXTRA_MARKETS.items())[: scale.extra_roots])
    reddit_posts = round(scale.news_items * REDDIT_SHARE)

    written: dict[str, list[Path]] = {}
    written["databento"] = databento_synthetic.write_synthetic(
        _folder(folder, "databento"), start, end, seed, extra_markets=extra
    )
    written["prices"] = prices_synthetic.write_synthetic(
        _folder(folder, "prices"), start, end, seed
    )
    written["fred"] = fred_synthetic.write_synthetic(
        _folder(folder, "fred"), start, end, seed, alfred_series=scale.fred_series
    )
    written["news"] = news_synthetic.write_synthetic(
        _folder(folder, "news"),
        start,
        end,
        seed,
        articles=scale.news_items - reddit_posts,
        reddit_posts=reddit_posts,
    )
    written["truthsocial"] = truthsocial_synthetic.write_synthetic(
        _folder(folder, "truthsocial"),
        start,
        end,
        seed,
        posts=scale.truthsocial_posts,
    )
    for name, module in (
        ("cftc", cftc_synthetic),
        ("eia", eia_synthetic),
        ("usda", usda_synthetic),
        ("weather", weather_synthetic),
    ):
        written[name] = module.write_synthetic(_folder(folder, name), start, end, seed)
    (folder / "README.txt").write_text(
        "SYNTHETIC DATA written by benchmarks/scaled.py for ingestion "
        f"benchmarks: {scale.describe()}. Not market data.\n"
    )
    log.info("wrote the scaled landing folder %s: %s", folder, scale.describe())
    return written


def _folder(landing: Path, source: str) -> Path:
    path = landing / get_source(source).folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="landing folder to (re)write")
    parser.add_argument(
        "--years", type=int, default=FULL_SCALE.years, help="years of history"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    written = write_scaled_landing(args.folder, Scale.for_years(args.years))
    for source, paths in sorted(written.items()):
        size = sum(path.stat().st_size for path in paths)
        print(f"{source:<12} {len(paths):>4} files {size / 2**20:>8.1f} MiB")


if __name__ == "__main__":
    main()
