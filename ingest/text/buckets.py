"""Topic buckets from the versioned taxonomy seed `seeds/text_taxonomy.csv`.

Each seed row is one term of one bucket: `taxonomy_version, bucket, term,
match_type, weight`. A text falls in a bucket when the weights of the
distinct terms of that bucket found in it add up to at least 1.0, so a
weak term (weight 0.5, such as `energy` or `reciprocal`) needs a second one.
A text may fall in several buckets; one that falls in none gets the bucket
`none`. The matched terms are kept with each assignment.

Match types:

- `word`: the term as a whole word or phrase, ignoring case and accents
  (`parana` matches `Paraná`), with an optional plural `s` or `es`. A
  space in the term also matches a hyphen.
- `prefix`: a word starting with the term, ignoring case (`tariff` matches
  `tariffs`, `tariffed`).
- `case_word`: a whole word with exact case, for acronyms (`EPA`, `Xi`).
- `regex` and `case_regex`: a Python regular expression, without and with
  case.

Several versions may live in the seed. The loader uses
`$ZL_TEXT_TAXONOMY_VERSION`, else the version that sorts last (versions are
ISO dates). `$ZL_TEXT_TAXONOMY` points at another seed file.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.settings import SEEDS_DIR

NO_BUCKET = "none"
TAXONOMY_ENV = "ZL_TEXT_TAXONOMY"
VERSION_ENV = "ZL_TEXT_TAXONOMY_VERSION"
MATCH_TYPES = ("word", "prefix", "case_word", "regex", "case_regex")
_BUCKET_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUIRED = ("taxonomy_version", "bucket", "term", "match_type", "weight")


class TaxonomyError(ValueError):
    """Raised when the taxonomy seed is missing, malformed or lacks a version."""


@dataclass(frozen=True)
class Term:
    """One seed row, compiled."""

    bucket: str
    term: str
    match_type: str
    weight: float
    pattern: re.Pattern[str]
    folded: bool


@dataclass(frozen=True)
class BucketMatch:
    """One bucket assignment of a text and the terms that produced it."""

    bucket: str
    matched_terms: tuple[str, ...]
    score: float

    @property
    def terms_text(self) -> str:
        """The matched terms joined with `|`, as stored in raw tables."""
        return "|".join(self.matched_terms)


@dataclass(frozen=True)
class Taxonomy:
    """The terms of one taxonomy version."""

    version: str
    terms: tuple[Term, ...]

    @property
    def buckets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(term.bucket for term in self.terms))

    def match(self, text: str) -> list[BucketMatch]:
        """Return the buckets `text` falls in, in seed order, or `[none]`."""
        folded = fold(text)
        found: dict[str, list[Term]] = {}
        for term in self.terms:
            haystack = folded if term.folded else text
            if term.pattern.search(haystack):
                found.setdefault(term.bucket, []).append(term)
        matches = []
        for bucket, terms in found.items():
            score = sum(term.weight for term in terms)
            if score >= 1.0 - 1e-9:
                names = tuple(term.term for term in terms)
                matches.append(BucketMatch(bucket, names, round(score, 6)))
        return matches or [BucketMatch(NO_BUCKET, (), 0.0)]


def fold(text: str) -> str:
    """Return `text` lower-cased without accents, for accent-blind matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def compile_term(term: str, match_type: str) -> tuple[re.Pattern[str], bool]:
    """Return the pattern of a term and whether it runs on folded text.

    Raises:
        TaxonomyError: unknown match type or invalid regular expression.
    """
    if match_type == "word":
        words = [re.escape(part) for part in fold(term).split()]
        body = r"[\s\-]+".join(words)
        return re.compile(rf"(?<!\w){body}(?:e?s)?(?!\w)"), True
    if match_type == "prefix":
        return re.compile(rf"(?<!\w){re.escape(fold(term))}\w*"), True
    if match_type == "case_word":
        return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)"), False
    if match_type in ("regex", "case_regex"):
        flags = re.IGNORECASE if match_type == "regex" else 0
        try:
            return re.compile(rf"(?<!\w)(?:{term})(?!\w)", flags), False
        except re.error as exc:
            raise TaxonomyError(f"invalid regex term {term!r}: {exc}") from exc
    raise TaxonomyError(
        f"unknown match_type {match_type!r} for term {term!r}; use one of "
        f"{', '.join(MATCH_TYPES)}"
    )


def taxonomy_path() -> Path:
    return Path(os.environ.get(TAXONOMY_ENV) or SEEDS_DIR / "text_taxonomy.csv")


def load_taxonomy(path: Path | None = None, version: str | None = None) -> Taxonomy:
    """Read one version of the taxonomy seed.

    Raises:
        TaxonomyError: the file is missing or malformed, a bucket name is not
            snake_case or is `none`, a weight is not a positive number, or
            the requested version has no rows.
    """
    path = path or taxonomy_path()
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise TaxonomyError(f"taxonomy seed {path} cannot be read: {exc}") from exc
    if not rows or any(name not in rows[0] for name in _REQUIRED):
        raise TaxonomyError(
            f"taxonomy seed {path} needs columns {', '.join(_REQUIRED)}"
        )
    versions = sorted({row["taxonomy_version"].strip() for row in rows})
    version = version or os.environ.get(VERSION_ENV) or versions[-1]
    terms = []
    for line, row in enumerate(rows, start=2):
        if row["taxonomy_version"].strip() != version:
            continue
        terms.append(_term(row, path, line))
    if not terms:
        raise TaxonomyError(
            f"taxonomy seed {path} has no rows for version {version!r}; "
            f"versions present: {', '.join(versions)}"
        )
    return Taxonomy(version=version, terms=tuple(terms))


def _term(row: dict[str, str], path: Path, line: int) -> Term:
    bucket = row["bucket"].strip()
    if not _BUCKET_NAME.match(bucket) or bucket == NO_BUCKET:
        raise TaxonomyError(
            f"{path} line {line}: invalid bucket {bucket!r}; use snake_case "
            f"other than {NO_BUCKET!r}"
        )
    term = row["term"].strip()
    match_type = row["match_type"].strip()
    try:
        weight = float(row["weight"])
    except ValueError:
        weight = -1.0
    if not term or not weight > 0:
        raise TaxonomyError(
            f"{path} line {line}: term must be non-empty and weight a positive "
            f"number (got {term!r}, {row['weight']!r})"
        )
    try:
        pattern, folded = compile_term(term, match_type)
    except TaxonomyError as exc:
        raise TaxonomyError(f"{path} line {line}: {exc}") from exc
    return Term(bucket, term, match_type, weight, pattern, folded)


def default_taxonomy() -> Taxonomy:
    """Return the taxonomy of the configured seed and version, read once per process."""
    return _cached_taxonomy(taxonomy_path(), os.environ.get(VERSION_ENV) or None)


@cache
def _cached_taxonomy(path: Path, version: str | None) -> Taxonomy:
    return load_taxonomy(path, version)
