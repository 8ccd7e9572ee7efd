"""Ingestion loaders for the ZL soybean oil data platform.

Each sub-package is one source. Shared pieces live here: settings, the
retrying HTTP client, raw table specifications, the warehouse write lock,
the run ledger and the source registry.
"""
