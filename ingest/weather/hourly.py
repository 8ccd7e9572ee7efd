"""Readers of hourly station CSV files: SMN Argentina and INMET Brazil.

Both are aggregated to local days: the day's maximum and minimum of the
hourly temperatures and, for INMET, the sum of the hourly precipitation. A
day with fewer than `MIN_HOURLY_READINGS` readings of a variable gets NULL
for it, so a gap cannot pass for a mild or dry day.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ingest.source import LoadContext, SourceFormatError
from ingest.weather import units
from ingest.weather.parse import Observation
from ingest.weather.settings import INMET, MIN_HOURLY_READINGS, SMN, Location

# INMET writes -9999 for a missing hourly value.
INMET_SENTINELS = frozenset({-9999.0})
# Zone for an INMET station that is not in the seed.
INMET_DEFAULT_ZONE = "America/Sao_Paulo"
_SMN_TIME = "%Y-%m-%d %H:%M:%S"


@dataclass
class _Day:
    """Hourly readings of one local day."""

    temperatures_max: list[float] = field(default_factory=list)
    temperatures_min: list[float] = field(default_factory=list)
    precipitation: list[float] = field(default_factory=list)


def is_smn_header(first_line: str) -> bool:
    return first_line.startswith("Horario,") and "Temp[" in first_line


def smn_station(path: Path, seeded: list[Location]) -> Location | None:
    """Return the seeded SMN station whose name, as a slug, is in the file name.

    The SMN CSV has no station column, so `..._rosario_aero_...csv` is read
    as station ROSARIO AERO.
    """
    name = path.name.lower()
    for location in seeded:
        slug = re.sub(r"[^a-z0-9]+", "_", location.name.lower()).strip("_")
        if slug and slug in name:
            return location
    return None


def read_smn(path: Path, ctx: LoadContext, station: Location) -> list[Observation]:
    """Read an SMN `datohorario` CSV into daily maximum and minimum temperature.

    Columns: `Horario` (naive local time, UTC-3), `Temp[ºC]` (the header may
    use º, U+00BA, or °), humidity, pressure and wind. SMN hourly files have
    no precipitation, so precip_mm is NULL.

    Raises:
        SourceFormatError: the file is not UTF-8 or has no temperature column.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"weather: {path}: not UTF-8 text ({exc})") from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or header[0] != "Horario":
        raise SourceFormatError(f"weather: {path}: first column is not `Horario`")
    temp_index = next(
        (i for i, name in enumerate(header) if name.replace("º", "°") == "Temp[°C]"),
        None,
    )
    if temp_index is None:
        raise SourceFormatError(f"weather: {path}: no `Temp[ºC]` column in {header}")
    days: dict[date, _Day] = defaultdict(_Day)
    for line, record in enumerate(reader, start=2):
        if not record:
            continue
        if len(record) != len(header):
            ctx.skip("wrong column count", f"{path.name} line {line}")
            continue
        try:
            local = datetime.strptime(record[0].strip(), _SMN_TIME)
        except ValueError:
            ctx.skip("invalid timestamp", f"{path.name} line {line}: {record[0]!r}")
            continue
        value = units.to_number(record[temp_index])
        if value is None:
            ctx.skip("missing hourly value", f"{path.name} line {line}")
            continue
        day = days[local.date()]
        day.temperatures_max.append(value)
        day.temperatures_min.append(value)
    return _daily(days, SMN, station.location_id, path.name, ctx, "°C", "mm")


def read_inmet(
    path: Path, ctx: LoadContext, seeded: dict[str, Location]
) -> list[Observation]:
    """Read an INMET automatic-station CSV into daily values.

    NOTE: the layout below is INMET's yearly historical file as remembered,
    not checked against a real file, and only tested on a file built to it.
    A Latin-1 header block of `KEY:;VALUE` lines (`CODIGO (WMO):;A901`) comes
    first. A `Data;Hora UTC;...` table follows, separated by semicolons, with
    decimal commas and -9999 for a missing value. Dates are `YYYY/MM/DD` or
    `YYYY-MM-DD`, hours `0000 UTC` or `00:00`. Each hourly value covers the
    hour before its UTC time stamp, so it counts towards the local day in
    which that hour began.

    Raises:
        SourceFormatError: no station code or no table header.
    """
    lines = path.read_bytes().decode("latin-1").splitlines()
    meta: dict[str, str] = {}
    header_at = None
    for index, line in enumerate(lines):
        key = _fold(line.split(";", 1)[0])
        if key.startswith("DATA") and ";" in line and "HORA" in _fold(line):
            header_at = index
            break
        if ":" in key and ";" in line:
            meta[key.rstrip(":").strip()] = line.split(";", 1)[1].strip()
    code = meta.get("CODIGO (WMO)")
    if not code or header_at is None:
        raise SourceFormatError(
            f"weather: {path}: INMET file needs a `CODIGO (WMO):` line and a "
            "`Data;Hora UTC;...` header"
        )
    header = [_fold(name) for name in lines[header_at].split(";")]
    columns = _inmet_columns(header, path)
    location = seeded.get(code)
    zone = ZoneInfo(location.timezone if location else INMET_DEFAULT_ZONE)
    days: dict[date, _Day] = defaultdict(_Day)
    for line_no, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        record = line.split(";")
        if not line.strip():
            continue
        stamp = _inmet_time(record[0], record[1] if len(record) > 1 else "")
        if stamp is None:
            ctx.skip("invalid timestamp", f"{path.name} line {line_no}")
            continue
        local_day = (stamp - timedelta(hours=1)).astimezone(zone).date()
        day = days[local_day]
        for target, index in columns.items():
            value = units.to_number(
                record[index] if index < len(record) else None, INMET_SENTINELS
            )
            if value is not None:
                getattr(day, target).append(value)
    return _daily(days, INMET, code, path.name, ctx, "°C", "mm")


def _inmet_columns(header: list[str], path: Path) -> dict[str, int]:
    def find(*needles: str) -> int | None:
        return next(
            (i for i, name in enumerate(header) if all(n in name for n in needles)),
            None,
        )

    precip = find("PRECIPITACAO")
    high = find("TEMPERATURA MAXIMA NA HORA")
    low = find("TEMPERATURA MINIMA NA HORA")
    dry_bulb = find("BULBO SECO")
    high = high if high is not None else dry_bulb
    low = low if low is not None else dry_bulb
    if high is None or low is None:
        raise SourceFormatError(f"weather: {path}: no INMET temperature column")
    columns = {"temperatures_max": high, "temperatures_min": low}
    if precip is not None:
        columns["precipitation"] = precip
    return columns


def _inmet_time(day_text: str, hour_text: str) -> datetime | None:
    digits = re.sub(r"\D", "", hour_text)[:4]
    try:
        day = datetime.strptime(day_text.strip().replace("/", "-"), "%Y-%m-%d")
        hour, minute = int(digits[:2]), int(digits[2:4] or 0)
        return day.replace(hour=hour, minute=minute, tzinfo=UTC)
    except ValueError:
        return None


def _daily(
    days: dict[date, _Day],
    feed: str,
    location_id: str,
    source: str,
    ctx: LoadContext,
    temperature_unit: str,
    precip_unit: str,
) -> list[Observation]:
    observations = []
    for day in sorted(days):
        if not ctx.window.contains(day):
            continue
        readings = days[day]
        complete_temps = (
            len(readings.temperatures_max) >= MIN_HOURLY_READINGS
            and len(readings.temperatures_min) >= MIN_HOURLY_READINGS
        )
        complete_precip = len(readings.precipitation) >= MIN_HOURLY_READINGS
        if not complete_temps and not complete_precip:
            ctx.skip("incomplete day", f"{source}: {day}")
            continue
        temp = units.temperature_unit(temperature_unit)
        observations.append(
            Observation(
                feed=feed,
                location_id=location_id,
                observation_date=day,
                tmax_c=units.temperature_c(max(readings.temperatures_max), temp)
                if complete_temps
                else None,
                tmin_c=units.temperature_c(min(readings.temperatures_min), temp)
                if complete_temps
                else None,
                precip_mm=units.precipitation_mm(
                    sum(readings.precipitation), units.precipitation_unit(precip_unit)
                )
                if complete_precip
                else None,
                provisional=False,
                latitude=None,
                longitude=None,
                source=source,
            )
        )
    return observations


def _fold(text: str) -> str:
    """Return `text` upper-cased without accents, for matching INMET headers."""
    decomposed = unicodedata.normalize("NFKD", text.strip().upper())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
