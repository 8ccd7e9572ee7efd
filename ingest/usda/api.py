"""Live mode of the USDA source: Quick Stats, WASDE files and FAS OpenData."""

from __future__ import annotations

from collections.abc import Iterator

from ingest.source import Batch, LoadContext
from ingest.usda.fas import fetch_fas
from ingest.usda.nass_api import fetch_nass
from ingest.usda.wasde_api import fetch_wasde


def fetch_api(ctx: LoadContext) -> Iterator[Batch]:
    """Yield batches from the three USDA feeds in turn.

    Raises:
        MissingSecretError: NASS_API_KEY or FAS_API_KEY is not configured.
        HttpError: a request was rejected, or retries ran out.
        SourceFormatError: a response is malformed as a whole.
    """
    yield from fetch_nass(ctx)
    yield from fetch_wasde(ctx)
    yield from fetch_fas(ctx)
