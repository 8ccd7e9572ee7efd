"""The INMET reader on a file built here to INMET's yearly-file layout.

No real INMET file is in the recorded data, so this file is built to the
layout the reader expects: a Latin-1 header block, semicolons, decimal
commas, -9999 for a missing value and hourly UTC rows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ingest.source import LoadContext, SourceFormatError
from ingest.weather import read_files

HEADER = (
    "REGIAO:;CO\n"
    "UF:;MT\n"
    "ESTACAO:;CUIABA\n"
    "CODIGO (WMO):;A901\n"
    "LATITUDE:;-15,55\n"
    "LONGITUDE:;-56,06\n"
    "ALTITUDE:;240,7\n"
    "DATA DE FUNDACAO:;2000/09/27\n"
    "Data;Hora UTC;PRECIPITAÇÃO TOTAL, HORÁRIO (mm);"
    "TEMPERATURA DO AR - BULBO SECO, HORARIA (°C);"
    "TEMPERATURA MÁXIMA NA HORA ANT. (AUT) (°C);"
    "TEMPERATURA MÍNIMA NA HORA ANT. (AUT) (°C);\n"
)


def hourly_rows() -> str:
    """Return two whole Cuiabá days (UTC-4) and six hours of a third.

    Each value covers the hour before its UTC stamp, so local 1 January
    is stamped 2024-01-01 05:00 to 2024-01-02 04:00 UTC.
    """
    first_stamp = datetime(2024, 1, 1, 5)
    lines = []
    for index in range(24 + 24 + 6):
        stamp = first_stamp + timedelta(hours=index)
        hour_of_day = index % 24
        precip = "0,2" if index < 24 else "-9999"
        high = f"{30 + hour_of_day / 10:.1f}".replace(".", ",")
        low = f"{20 + hour_of_day / 10:.1f}".replace(".", ",")
        if index == 24 + 5:
            low = "-9999"
        lines.append(f"{stamp:%Y/%m/%d};{stamp:%H%M} UTC;{precip};25,0;{high};{low};")
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "weather"
    folder.mkdir()
    (folder / "INMET_CO_MT_A901_CUIABA_01-01-2024_A_31-12-2024.CSV.csv").write_bytes(
        text.encode("latin-1")
    )
    return folder


def read(folder: Path) -> tuple[dict, LoadContext]:
    ctx = LoadContext(source="weather")
    tables: dict[str, list] = {}
    for spec, table in read_files(folder, ctx):
        tables.setdefault(spec.name, []).extend(table.to_pylist())
    return tables, ctx


def test_inmet_daily_values(tmp_path: Path) -> None:
    tables, _ = read(write(tmp_path, HEADER + hourly_rows()))
    days = {r["observation_date"]: r for r in tables["weather_location_daily"]}
    first = days[date(2024, 1, 1)]
    assert first["tmax_c"] == 32.3
    assert first["tmin_c"] == 20.0
    assert first["precip_mm"] == 4.8
    assert first["location_id"] == "A901"


def test_inmet_sentinels_not_numbers(tmp_path: Path) -> None:
    tables, _ = read(write(tmp_path, HEADER + hourly_rows()))
    days = {r["observation_date"]: r for r in tables["weather_location_daily"]}
    second = days[date(2024, 1, 2)]
    assert second["precip_mm"] is None
    assert second["tmin_c"] == 20.0
    assert second["tmax_c"] == 32.3


def test_inmet_partial_day_skipped(tmp_path: Path) -> None:
    tables, ctx = read(write(tmp_path, HEADER + hourly_rows()))
    days = {r["observation_date"] for r in tables["weather_location_daily"]}
    assert days == {date(2024, 1, 1), date(2024, 1, 2)}
    assert ctx.skips["incomplete day"] == 1


def test_inmet_region_row(tmp_path: Path) -> None:
    tables, _ = read(write(tmp_path, HEADER + hourly_rows()))
    rows = {r["observation_date"]: r for r in tables["weather_noaa"]}
    assert rows[date(2024, 1, 1)]["feed"] == "inmet"
    assert rows[date(2024, 1, 1)]["weight_share_reported"] == 0.437


def test_inmet_without_table_header_raises(tmp_path: Path) -> None:
    header_block = HEADER.split("Data;")[0]
    folder = write(tmp_path, header_block + hourly_rows())
    with pytest.raises(SourceFormatError, match="Data;Hora UTC"):
        read(folder)
