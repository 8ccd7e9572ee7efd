"""Shared text handling of the news and Truth Social loaders.

- `clean`: one cleaning pass for every post and article (HTML, entities,
  mojibake, reposts, link-only and media-only posts).
- `buckets`: topic buckets from the versioned taxonomy seed, with the terms
  that matched, so every assignment can be explained.
- `seeds`: source trust scores.
- `scoring`: sentiment columns from `ingest.sentiment`, imported on first use.
- `scrapecreators`: the ScrapeCreators HTTP client, its error rules and its
  per-run credit accounting.
- `landing`: which files of a `--from-dir` landing folder each source reads.
"""
