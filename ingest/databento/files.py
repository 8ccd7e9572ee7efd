"""Reader for Databento DBN files in a landing folder."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from ingest.databento.decode import DbnData, decode_dbn
from ingest.databento.records import convert
from ingest.source import Batch, LoadContext

log = logging.getLogger(__name__)

DBN_SUFFIXES = (".dbn", ".dbn.zst")


def read_files(folder: Path, ctx: LoadContext) -> Iterator[Batch]:
    """Yield batches for every `.dbn` and `.dbn.zst` file in `folder`.

    All files are decoded before any row is built, so definitions in one
    file resolve the instrument ids of bars and statistics in the others.
    Files with other names are skipped with a warning.

    Raises:
        SourceFormatError: a DBN file is truncated, damaged or not DBN.
    """
    streams: list[DbnData] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if not path.name.endswith(DBN_SUFFIXES):
            ctx.skip("unrecognised file", str(path.name))
            continue
        stream = decode_dbn(path.read_bytes(), path.name)
        log.info(
            "databento: %s: DBN v%d, schema %s, %d records",
            path.name,
            stream.version,
            stream.schema,
            len(stream.records),
        )
        streams.append(stream)
    yield from convert(streams, ctx)
