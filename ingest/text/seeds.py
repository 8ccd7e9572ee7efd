"""Source trust scores from `seeds/text_source_trust.csv`.

A row is `source_kind, source_key, trust_score`: a `domain` (a host name,
which also covers its sub-domains) or an `account` (`platform:handle`, e.g.
`truthsocial:realDonaldTrump`), with a score from 0 to 1. The `*` row of each
kind is the default. An account row wins over the domain of its URL.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from ingest.settings import SEEDS_DIR

TRUST_ENV = "ZL_TEXT_SOURCE_TRUST"
DEFAULT_TRUST = 0.5


class TrustSeedError(ValueError):
    """Raised when the trust seed is malformed."""


@dataclass(frozen=True)
class TrustScores:
    """Trust score per domain and per account."""

    domains: dict[str, float]
    accounts: dict[str, float]

    def score(
        self,
        domain: str | None,
        platform: str | None = None,
        account: str | None = None,
    ) -> float:
        """Return the score of the account, else of its domain, else the default."""
        if platform and account:
            key = f"{platform}:{account}".casefold()
            if key in self.accounts:
                return self.accounts[key]
        host = (domain or "").casefold()
        while host:
            if host in self.domains:
                return self.domains[host]
            host = host.partition(".")[2] if "." in host else ""
        if platform and account and "*" in self.accounts:
            return self.accounts["*"]
        return self.domains.get("*", DEFAULT_TRUST)


def domain_of(url: str | None) -> str | None:
    """Return the host of `url` without `www.`, lower-cased; None without one."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").casefold()
    return host.removeprefix("www.") or None


def load_trust(path: Path | None = None) -> TrustScores:
    """Read the trust seed.

    Raises:
        TrustSeedError: the file cannot be read, a kind is not domain or
            account, or a score is not a number from 0 to 1.
    """
    path = path or Path(
        os.environ.get(TRUST_ENV) or SEEDS_DIR / "text_source_trust.csv"
    )
    domains: dict[str, float] = {}
    accounts: dict[str, float] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise TrustSeedError(f"trust seed {path} cannot be read: {exc}") from exc
    for line, row in enumerate(rows, start=2):
        kind = (row.get("source_kind") or "").strip()
        key = (row.get("source_key") or "").strip().casefold()
        try:
            score = float(row.get("trust_score") or "")
        except ValueError:
            score = -1.0
        if kind not in ("domain", "account") or not key or not 0 <= score <= 1:
            raise TrustSeedError(
                f"{path} line {line}: expected kind domain or account, a key "
                f"and a score from 0 to 1, got {row!r}"
            )
        (domains if kind == "domain" else accounts)[key] = score
    return TrustScores(domains, accounts)


def trust_path() -> Path:
    return Path(os.environ.get(TRUST_ENV) or SEEDS_DIR / "text_source_trust.csv")


def default_trust() -> TrustScores:
    """Return the trust scores of the configured seed, read once per process."""
    return _cached_trust(trust_path())


@cache
def _cached_trust(path: Path) -> TrustScores:
    return load_trust(path)
