"""Topic buckets from the taxonomy seed, trust scores and the scorer hook."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.text.buckets import NO_BUCKET, TaxonomyError, load_taxonomy
from ingest.text.scoring import score_texts, text_hash
from ingest.text.seeds import TrustSeedError, domain_of, load_trust

HEADER = "taxonomy_version,bucket,term,match_type,weight\n"


def _seed(tmp_path: Path, rows: str, name: str = "taxonomy.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_project_seed_loads():
    taxonomy = load_taxonomy()
    assert {"biofuel", "china", "tariffs"} <= set(taxonomy.buckets)
    assert taxonomy.version == "2025-06-01"


def test_real_post_matches_two_buckets():
    text = (
        "I believe that China purposefully not buying our Soybeans, and causing "
        "difficulty for our Soybean Farmers, is an Economically Hostile Act. We are "
        "considering terminating business with China having to do with Cooking Oil"
    )
    matches = {m.bucket: m.matched_terms for m in load_taxonomy().match(text)}
    assert matches == {"china": ("china",), "soybeans": ("soybean", "cooking oil")}


def test_unmatched_text_gets_none():
    matches = load_taxonomy().match("A great day for our Country")
    assert [m.bucket for m in matches] == [NO_BUCKET]
    assert matches[0].matched_terms == ()


def test_accents_ignored_for_word_terms():
    matches = load_taxonomy().match("Prices at Paranaguá rose")
    assert matches[0].bucket == "argentina_brazil"
    assert matches[0].matched_terms == ("paranagua",)


def test_weak_term_needs_second(tmp_path):
    path = _seed(tmp_path, "v1,energy,energy,word,0.5\nv1,energy,drill,prefix,0.5\n")
    taxonomy = load_taxonomy(path)
    assert taxonomy.match("American Energy")[0].bucket == NO_BUCKET
    both = taxonomy.match("Energy from drilling")[0]
    assert both.bucket == "energy"
    assert both.score == 1.0


def test_case_word_respects_case(tmp_path):
    taxonomy = load_taxonomy(_seed(tmp_path, "v1,epa_rfs,EPA,case_word,1\n"))
    assert taxonomy.match("the EPA rule")[0].bucket == "epa_rfs"
    assert taxonomy.match("the epa rule")[0].bucket == NO_BUCKET


def test_word_allows_plural_not_substring(tmp_path):
    taxonomy = load_taxonomy(_seed(tmp_path, "v1,soybeans,soy,word,1\n"))
    assert taxonomy.match("soys and soy")[0].matched_terms == ("soy",)
    assert taxonomy.match("soybean")[0].bucket == NO_BUCKET


def test_user_bucket_added(tmp_path):
    rows = "v1,china,china,word,1\nv1,palm,palm oil,word,1\n"
    taxonomy = load_taxonomy(_seed(tmp_path, rows))
    assert taxonomy.match("Palm-oil exports")[0].bucket == "palm"


def test_latest_version_used(tmp_path):
    rows = "2024-01-01,china,china,word,1\n2025-01-01,china,beijing,word,1\n"
    taxonomy = load_taxonomy(_seed(tmp_path, rows))
    assert taxonomy.version == "2025-01-01"
    assert taxonomy.match("China")[0].bucket == NO_BUCKET


def test_version_pinned_by_env(tmp_path, monkeypatch):
    rows = "2024-01-01,china,china,word,1\n2025-01-01,china,beijing,word,1\n"
    monkeypatch.setenv("ZL_TEXT_TAXONOMY_VERSION", "2024-01-01")
    assert load_taxonomy(_seed(tmp_path, rows)).match("China")[0].bucket == "china"


@pytest.mark.parametrize(
    "row",
    [
        "v1,China,china,word,1\n",
        "v1,none,china,word,1\n",
        "v1,china,china,fuzzy,1\n",
        "v1,china,china,word,zero\n",
        "v1,china,(unclosed,regex,1\n",
    ],
)
def test_bad_seed_row_rejected(tmp_path, row):
    with pytest.raises(TaxonomyError):
        load_taxonomy(_seed(tmp_path, row))


def test_missing_version_rejected(tmp_path):
    path = _seed(tmp_path, "v1,china,china,word,1\n")
    with pytest.raises(TaxonomyError, match="versions present: v1"):
        load_taxonomy(path, version="v2")


def test_trust_domain_and_account():
    trust = load_trust()
    assert trust.score("cepea.esalq.usp.br") == 0.9
    assert trust.score("apps.fas.usda.gov") == 1.0
    assert trust.score("truthsocial.com", "truthsocial", "realDonaldTrump") == 1.0
    assert trust.score("unknown.example") == 0.5


def test_trust_seed_score_range(tmp_path):
    path = tmp_path / "trust.csv"
    path.write_text("source_kind,source_key,trust_score\ndomain,a.com,1.5\n")
    with pytest.raises(TrustSeedError):
        load_trust(path)


def test_domain_of_strips_www():
    assert domain_of("https://www.Reddit.com/r/x") == "reddit.com"
    assert domain_of(None) is None


def test_scorer_none_gives_null_scores(monkeypatch):
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "none")
    scores = score_texts(["Tariffs are great", ""])
    assert scores[0]["sentiment_label"] is None
    assert scores[0]["sentiment_scorer"] == "none"
    assert scores[1]["text_hash"] == text_hash("")


def test_lexicon_scorer_scores_text(tmp_path, monkeypatch):
    monkeypatch.setenv("ZL_SENTIMENT_SCORER", "lexicon")
    monkeypatch.setenv("ZL_SENTIMENT_CACHE", str(tmp_path / "cache.sqlite"))
    scores = score_texts(["Profits rose strongly and demand is excellent", ""])
    assert scores[0]["sentiment_scorer"].startswith("lexicon")
    assert scores[0]["sentiment_label"] in ("positive", "negative", "neutral")
    assert scores[0]["text_hash"] == text_hash(
        "Profits rose strongly and demand is excellent"
    )
    assert scores[1]["sentiment_scorer"] == "none"
