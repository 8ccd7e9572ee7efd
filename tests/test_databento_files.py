"""Databento file reader against the recorded DBN files (v1, v2, v3; zstd)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import zstandard

from ingest.databento import SOURCE
from ingest.databento.decode import decode_dbn
from ingest.databento.settings import load_roots
from ingest.source import LoadContext, SourceFormatError, Window
from tests.conftest import realdata_path

pytestmark = pytest.mark.realdata

UTC = dt.UTC
ESH1 = "GLBX.MDP3_ESH1_20201228"
MSFT_V1 = "dbnrepo_XNAS.ITCH_MSFT.definition.v1.dbn.zst"
MSFT_V2 = "dbnrepo_XNAS.ITCH_MSFT.definition.v2.dbn.zst"
EMPTY_V1 = "dbnrepo_GLBX.MDP3_ESH1_empty.ohlcv-1d.v1.dbn.zst"


def link_files(folder: Path, *names: str) -> Path:
    """Link recorded files into `folder`, so one test reads just those."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).symlink_to(realdata_path("databento", name))
    return folder


def read(folder: Path, window: Window | None = None) -> tuple[dict, LoadContext]:
    ctx = LoadContext(source="databento", window=window or Window())
    tables = {
        spec.name: table.to_pylist() for spec, table in SOURCE.read_files(folder, ctx)
    }
    return tables, ctx


def test_ohlcv_esh1_bar(tmp_path: Path) -> None:
    tables, _ = read(link_files(tmp_path, f"{ESH1}.ohlcv-1d.dbn.zst"))
    rows = tables["databento_futures_ohlcv_1d"]
    assert len(rows) == 1
    bar = rows[0]
    assert bar["open"] == 3702.75
    assert bar["high"] == 3735.0
    assert bar["low"] == 3697.25
    assert bar["close"] == 3735.0
    assert bar["volume"] == 718174
    assert bar["instrument_id"] == 5482
    assert bar["symbol"] == "ESH1"
    assert bar["stype_in"] == "raw_symbol"
    assert bar["root"] == "ES"
    assert bar["raw_symbol"] == "ESH1"
    assert bar["ts_event"] == dt.datetime(2020, 12, 28, tzinfo=UTC)
    assert bar["trade_date"] == dt.date(2020, 12, 28)
    assert bar["dataset"] == "GLBX.MDP3"
    assert bar["publisher_id"] == 1


def test_statistics_sentinels_null(tmp_path: Path) -> None:
    tables, _ = read(link_files(tmp_path, f"{ESH1}.statistics.dbn.zst"))
    rows = tables["databento_statistics"]
    assert len(rows) == 4
    assert [r["stat_type"] for r in rows] == [8, 8, 5, 8]
    assert [r["sequence"] for r in rows] == [210043, 210232, 210353, 210354]
    assert [r["quantity"] for r in rows] == [None] * 4
    assert [r["ts_ref"] for r in rows] == [None] * 4
    assert [r["price"] for r in rows] == [3707.75, 3708.0, 3708.25, 3708.25]
    assert rows[2]["stat_type_name"] == "TRADING_SESSION_HIGH_PRICE"
    assert rows[0]["stat_type_name"] == "HIGHEST_BID"
    assert rows[0]["ts_recv"] == dt.datetime(2020, 12, 28, 1, 9, 29, 471598, tzinfo=UTC)
    assert rows[0]["ts_event"] == dt.datetime(
        2020, 12, 28, 1, 9, 29, 470220, tzinfo=UTC
    )
    assert rows[0]["update_action"] == 1
    assert rows[0]["stat_flags"] == 255
    assert rows[0]["symbol"] == "ESH1"


def test_definition_esh1_fields(tmp_path: Path) -> None:
    tables, _ = read(link_files(tmp_path, f"{ESH1}.definition.dbn.zst"))
    rows = tables["databento_definitions"]
    assert len(rows) == 1
    row = rows[0]
    assert row["instrument_id"] == 5482
    assert row["raw_symbol"] == "ESH1"
    assert row["expiration"] == dt.datetime(2021, 3, 19, 13, 30, tzinfo=UTC)
    assert row["activation"] == dt.datetime(2019, 12, 20, 14, 30, tzinfo=UTC)
    assert row["min_price_increment"] == 0.25
    assert row["display_factor"] == 0.01
    assert row["unit_of_measure_qty"] == 50.0
    assert row["unit_of_measure"] == "IPNT"
    assert row["contract_multiplier"] is None
    assert row["maturity_year"] == 2021
    assert row["maturity_month"] == 3
    assert row["asset"] == "ES"
    assert row["security_group"] == "ES"
    assert row["exchange"] == "XCME"
    assert row["instrument_class"] == "F"
    assert row["security_type"] == "FUT"
    assert row["cfi"] == "FFIXSX"
    assert row["currency"] == "USD"
    assert row["ts_recv"] == dt.datetime(2020, 12, 28, tzinfo=UTC)


def test_msft_v1_definitions(tmp_path: Path) -> None:
    tables, _ = read(link_files(tmp_path, MSFT_V1))
    rows = tables["databento_definitions"]
    assert [r["instrument_id"] for r in rows] == [6819, 6830]
    assert [r["raw_symbol"] for r in rows] == ["MSFT", "MSFT"]
    assert rows[0]["exchange"] == "XNAS"
    assert rows[0]["instrument_class"] == "K"
    assert rows[0]["min_price_increment"] is None
    assert rows[0]["unit_of_measure_qty"] is None
    assert rows[0]["expiration"] is None
    assert rows[0]["activation"] is None
    assert rows[0]["maturity_year"] is None
    assert rows[0]["maturity_month"] is None
    assert rows[0]["contract_multiplier"] is None
    assert rows[0]["asset"] is None
    assert rows[0]["display_factor"] == 100000.0
    assert rows[1]["ts_recv"] == dt.datetime(2021, 10, 5, 7, 7, 1, 703120, tzinfo=UTC)


def test_msft_v1_equals_v2(tmp_path: Path) -> None:
    v1, _ = read(link_files(tmp_path / "v1", MSFT_V1))
    v2, _ = read(link_files(tmp_path / "v2", MSFT_V2))
    strip = [
        {k: v for k, v in r.items() if k != "_loaded_at"}
        for r in v1["databento_definitions"]
    ]
    other = [
        {k: v for k, v in r.items() if k != "_loaded_at"}
        for r in v2["databento_definitions"]
    ]
    assert strip == other


def test_dbn_versions_detected() -> None:
    versions = {
        name: decode_dbn(realdata_path("databento", name).read_bytes(), name).version
        for name in (MSFT_V1, MSFT_V2, EMPTY_V1, f"{ESH1}.ohlcv-1d.dbn.zst")
    }
    assert versions[MSFT_V1] == 1
    assert versions[MSFT_V2] == 2
    assert versions[EMPTY_V1] == 1
    assert versions[f"{ESH1}.ohlcv-1d.dbn.zst"] == 3


def test_msft_instrument_id_changes_daily() -> None:
    stream = decode_dbn(realdata_path("databento", MSFT_V2).read_bytes(), MSFT_V2)
    ids = [interval.value for interval in stream.mappings["MSFT"][:3]]
    assert ids == ["6819", "6830", "6811"]


def test_empty_v1_yields_nothing(tmp_path: Path) -> None:
    tables, ctx = read(link_files(tmp_path, EMPTY_V1))
    assert tables == {}
    assert sum(ctx.skips.values()) == 0


def test_status_counted_skip(tmp_path: Path) -> None:
    tables, ctx = read(link_files(tmp_path, f"{ESH1}.status.dbn.zst"))
    assert tables == {}
    assert ctx.skips["unsupported record type"] == 4


def test_whole_folder_counts() -> None:
    tables, ctx = read(realdata_path("databento"))
    assert len(tables["databento_futures_ohlcv_1d"]) == 1
    assert len(tables["databento_statistics"]) == 4
    # The v1 and v2 MSFT files hold the same two definitions.
    assert len(tables["databento_definitions"]) == 3
    assert ctx.skips["unsupported record type"] == 4


def test_window_excludes_bar_day() -> None:
    window = Window(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    tables, _ = read(realdata_path("databento"), window)
    assert "databento_futures_ohlcv_1d" not in tables
    assert "databento_statistics" not in tables
    assert [r["instrument_id"] for r in tables["databento_definitions"]] == [6819, 6830]


def test_truncated_zstd_raises(tmp_path: Path) -> None:
    data = realdata_path("databento", f"{ESH1}.statistics.dbn.zst").read_bytes()
    (tmp_path / "cut.statistics.dbn.zst").write_bytes(data[:150])
    with pytest.raises(SourceFormatError, match="cut.statistics.dbn.zst"):
        read(tmp_path)


def test_truncated_record_raises(tmp_path: Path) -> None:
    name = f"{ESH1}.statistics.dbn.zst"
    raw = decode_plain(realdata_path("databento", name).read_bytes())
    (tmp_path / "cut.dbn").write_bytes(raw[:-20])
    with pytest.raises(SourceFormatError, match="truncated DBN data"):
        read(tmp_path)


def test_plain_dbn_reads(tmp_path: Path) -> None:
    name = f"{ESH1}.ohlcv-1d.dbn.zst"
    raw = decode_plain(realdata_path("databento", name).read_bytes())
    (tmp_path / "bars.dbn").write_bytes(raw)
    tables, _ = read(tmp_path)
    assert tables["databento_futures_ohlcv_1d"][0]["open"] == 3702.75


def test_garbled_file_raises(tmp_path: Path) -> None:
    (tmp_path / "garbled.dbn").write_bytes(b"symbol,open\nZLZ5,45.1\n")
    with pytest.raises(SourceFormatError, match="not a DBN stream"):
        read(tmp_path)


def test_damaged_zstd_raises(tmp_path: Path) -> None:
    data = bytearray(
        realdata_path("databento", f"{ESH1}.ohlcv-1d.dbn.zst").read_bytes()
    )
    data[60] ^= 0xFF
    (tmp_path / "damaged.dbn.zst").write_bytes(bytes(data))
    with pytest.raises(SourceFormatError, match="damaged.dbn.zst"):
        read(tmp_path)


def test_unknown_file_skipped(tmp_path: Path) -> None:
    link_files(tmp_path, f"{ESH1}.ohlcv-1d.dbn.zst")
    (tmp_path / "notes.txt").write_text("not market data")
    tables, ctx = read(tmp_path)
    assert ctx.skips["unrecognised file"] == 1
    assert len(tables["databento_futures_ohlcv_1d"]) == 1


def test_empty_folder_yields_nothing(tmp_path: Path) -> None:
    tables, _ = read(tmp_path)
    assert tables == {}


def test_seed_rejects_bad_rule(tmp_path: Path) -> None:
    seed = tmp_path / "symbols.csv"
    seed.write_text(
        "root,exchange,description,continuous_rules,enabled\nZL,CBOT,x,front,true\n"
    )
    with pytest.raises(ValueError, match="continuous_rules"):
        load_roots(seed)


def test_seed_default_roots() -> None:
    roots = [r.root for r in load_roots()]
    assert roots == ["ZL", "ZS", "ZM", "ZC", "CL", "HO"]


def decode_plain(data: bytes) -> bytes:
    return zstandard.ZstdDecompressor().decompressobj().decompress(data)
