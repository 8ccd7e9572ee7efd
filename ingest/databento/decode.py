"""Decoding of DBN bytes (versions 1 to 3, plain or zstd) into records.

Records of older DBN versions are upgraded to version 3 structs by
`databento_dbn.DBNDecoder`, so the mapping code handles one layout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import databento_dbn
import zstandard

from ingest.source import SourceFormatError

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
DBN_MAGIC = b"DBN"


@dataclass(frozen=True)
class Interval:
    """One mapping interval: the symbol maps to `value` on [`start`, `end`)."""

    start: dt.date
    end: dt.date
    value: str


@dataclass
class DbnData:
    """The decoded content of one DBN file or API response.

    Attributes:
        name: the file name or request description, for messages.
        version: the DBN version of the input, before upgrading.
        dataset: dataset code from the metadata, e.g. GLBX.MDP3.
        schema: schema name from the metadata, or None for mixed schemas.
        stype_in: input symbology type, e.g. `continuous` or `raw_symbol`.
        stype_out: output symbology type, usually `instrument_id`.
        mappings: requested symbol -> mapping intervals.
        records: the data records, upgraded to DBN version 3.
    """

    name: str
    version: int
    dataset: str
    schema: str | None
    stype_in: str | None
    stype_out: str | None
    mappings: dict[str, list[Interval]]
    records: list[Any]


def decode_dbn(data: bytes, name: str) -> DbnData:
    """Decode a whole DBN stream, compressed with zstd or not.

    Args:
        data: the file or response body.
        name: the file name or request description used in errors.

    Raises:
        SourceFormatError: the bytes are not DBN, the zstd frame or the
            metadata is damaged, or the last record is incomplete.
    """
    raw = _decompress(data, name)
    if not raw.startswith(DBN_MAGIC):
        raise SourceFormatError(
            f"databento: {name} is not a DBN stream (header {raw[:4]!r}, "
            "expected 'DBN' followed by the version)"
        )
    decoder = databento_dbn.DBNDecoder(
        upgrade_policy=databento_dbn.VersionUpgradePolicy.UPGRADE_TO_V3
    )
    try:
        decoder.write(raw)
        decoded = decoder.decode()
    except (databento_dbn.DBNError, ValueError) as exc:
        raise SourceFormatError(f"databento: {name}: invalid DBN data: {exc}") from exc
    if not decoded or not isinstance(decoded[0], databento_dbn.Metadata):
        raise SourceFormatError(f"databento: {name}: DBN metadata header missing")
    leftover = len(decoder.buffer())
    if leftover:
        raise SourceFormatError(
            f"databento: {name}: truncated DBN data, {leftover} bytes of an "
            "incomplete record at the end"
        )
    metadata = decoded[0]
    return DbnData(
        name=name,
        version=raw[len(DBN_MAGIC)],
        dataset=str(metadata.dataset),
        schema=_text(metadata.schema),
        stype_in=_text(metadata.stype_in),
        stype_out=_text(metadata.stype_out),
        mappings=_mappings(metadata.mappings),
        records=list(decoded[1:]),
    )


def _decompress(data: bytes, name: str) -> bytes:
    if not data.startswith(ZSTD_MAGIC):
        return data
    chunks = []
    remaining = data
    # A stream may hold several zstd frames back to back.
    while remaining:
        frame = zstandard.ZstdDecompressor().decompressobj()
        try:
            chunks.append(frame.decompress(remaining))
        except zstandard.ZstdError as exc:
            raise SourceFormatError(
                f"databento: {name}: damaged zstd data: {exc}"
            ) from exc
        if not frame.eof:
            raise SourceFormatError(
                f"databento: {name}: truncated zstd data, the last frame is incomplete"
            )
        remaining = frame.unused_data
    return b"".join(chunks)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _mappings(raw: dict[str, list[dict[str, Any]]]) -> dict[str, list[Interval]]:
    return {
        symbol: [
            Interval(item["start_date"], item["end_date"], str(item["symbol"]))
            for item in intervals
        ]
        for symbol, intervals in raw.items()
    }
